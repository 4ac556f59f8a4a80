"""Estimators from samples at the edges of the floats, and the sizes they refuse.

The estimators work in coordinates centred and scaled by a power of two on the pooled sample, so
a change of units that is exact in floating point (a power-of-two scale 2**k, an offset at which
the floats still hold every point) leaves KL, JS and TV unchanged and scales W1 by 2**k. The
samples of the invariance tests are drawn on a grid (multiples of 2**-20, or of 2**-2 where the
offset reaches 1e15) so that every change of units they go through is exact; the oracle is the
estimate of the same points at unit scale. Elsewhere the oracles are brute-force distances
(math.hypot: no squares to under- or overflow) and numpy histograms with scipy's jensenshannon.
"""

import math
import re
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

from divergences import empirical

seeds = st.integers(0, 2**32 - 1)
ESTIMATORS = {"kl": empirical.kl, "js": empirical.js, "tv": empirical.tv, "w1": empirical.w1}


def _grid_sample(rng, n, d, step):
    """n normal points in d dimensions (shape (n,) when d == 1) rounded to multiples of ``step``, |x| <= 7."""
    shape = (n,) if d == 1 else (n, d)
    return np.clip(np.round(rng.normal(size=shape) / step) * step, -7.0, 7.0)


def _distinct(*samples):
    """Whether no point repeats within or across the samples (the kNN estimator needs it)."""
    pooled = np.concatenate([s.reshape(len(s), -1) for s in samples])
    return len(np.unique(pooled, axis=0)) == len(pooled)


# -- invariance under exact changes of units -------------------------------------------------
@pytest.mark.parametrize("name", sorted(ESTIMATORS))
@settings(max_examples=25, deadline=None)
@given(
    seed=seeds,
    d=st.integers(1, 2),
    k=st.integers(-1050, 990),
    offset=st.integers(-(2**32), 2**32),
)
def test_estimates_do_not_depend_on_exact_units(seed, name, d, k, offset):
    # points on multiples of 2**-20 with |x| < 2**33 keep all their digits after + offset (53 bits)
    # and after * 2**k for k - 20 >= -1074 and 33 + k < 1024
    rng = np.random.default_rng(seed)
    x, y = _grid_sample(rng, 60, d, 2.0**-20), _grid_sample(rng, 50, d, 2.0**-20) + 0.5
    assume(_distinct(x, y))
    fn = ESTIMATORS[name]
    moved = fn(np.ldexp(x + offset, k), np.ldexp(y + offset, k))
    unit = fn(x, y)
    expected = math.ldexp(unit, k) if name == "w1" else unit
    assert math.isclose(moved, expected, rel_tol=1e-12, abs_tol=0.0), (moved, expected)


@pytest.mark.parametrize("name", ["js", "tv"])
@settings(max_examples=25, deadline=None)
@given(
    seed=seeds,
    d=st.integers(1, 2),
    k=st.integers(-1050, 970),
    offset=st.integers(-(2**50), 2**50),
    bins=st.one_of(st.none(), st.integers(1, 40)),
)
def test_histograms_at_offset_1e15_with_spread_1(seed, name, d, k, offset, bins):
    # at 2**50 ~ 1.1e15 the floats are 2**-2 apart: points on multiples of 2**-2, |x| <= 7
    rng = np.random.default_rng(seed)
    x, y = _grid_sample(rng, 80, d, 0.25), _grid_sample(rng, 70, d, 0.25) + 0.75
    fn = ESTIMATORS[name]
    moved = fn(np.ldexp(x + offset, k), np.ldexp(y + offset, k), bins=bins)
    assert moved == fn(x, y, bins=bins)


@pytest.mark.parametrize("scale", [1e300, 1e-300, 2.0**-1000, 2.0**1000])
@pytest.mark.parametrize("d", [1, 2])
def test_kl_at_extreme_scales_is_the_unit_estimate(scale, d):
    # issue 10: kl was NaN at 1e300 (squares overflowed) and claimed repeated values at 1e-300
    # (squares underflowed). Oracle: the formula with math.hypot on the scaled points themselves;
    # and close to the unit-scale estimate: scale * x rounds each point by up to 2**-53 of its
    # size (~3), which moves the smallest distance here (3e-5) by ~1e-11 of itself; 1e-9 holds
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(100, d)), rng.normal(1.0, 1.0, size=(100, d))
    for k in (1, 4):
        value = empirical.kl(scale * x, scale * y, k=k)
        assert math.isclose(value, _kl_exact(scale * x, scale * y, k), rel_tol=1e-12)
        assert math.isclose(value, empirical.kl(x, y, k=k), rel_tol=1e-9)


@pytest.mark.parametrize("d", [1, 2])
def test_w1_at_extreme_scales_and_tiny_distances(d):
    # 2-D w1 at 1e-300 was 0 (cdist's squares underflowed) and failed at 1e300 (they overflowed)
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(80, d)), rng.normal(0.5, 1.0, size=(60, d))
    for scale in (1e300, 1e-300):
        assert math.isclose(empirical.w1(scale * x, scale * y) / scale, empirical.w1(x, y), rel_tol=1e-12)
    # one point moves by 5e-201 in a sample of spread 1: W1 = 5e-201 / 2, though the square of
    # that distance underflows (cdist gave a cost 0)
    x = np.array([[0.0, 0.0], [1.0, 1.0]])[:, :d]
    y = np.array([[3e-201, 4e-201], [1.0, 1.0]])[:, :d] if d == 2 else np.array([[5e-201], [1.0]])
    assert math.isclose(empirical.w1(x, y), 2.5e-201, rel_tol=1e-12)


# -- samples spanning the floats: -1e308 to 1e308 --------------------------------------------
def _spanning(d):
    """Unit normal samples with one point near -1e308 in x and one near 1e308 in y: max - min is inf."""
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(150, d)), rng.normal(0.5, 1.0, size=(120, d))
    x[0, 0], y[0, 0] = -1.2e308, 1.5e308
    return (x[:, 0], y[:, 0]) if d == 1 else (x, y)


@pytest.mark.parametrize("bins", [None, 7, 40])
def test_js_and_tv_when_the_pooled_range_overflows(bins):
    # issue 10: numpy raised "bins must be monotonically increasing" (linspace over an infinite
    # range); halving is exact for these points, and numpy bins the halved samples correctly
    x, y = _spanning(1)
    with np.errstate(over="ignore"):
        assert not np.isfinite(y.max() - x.min())
    count = bins or math.ceil(2 * 120 ** (1 / 3))
    edges = np.histogram_bin_edges(np.concatenate([x, y]) / 2, bins=count)
    p, q = np.histogram(x / 2, edges)[0] / x.size, np.histogram(y / 2, edges)[0] / y.size
    assert math.isclose(empirical.js(x, y, bins=bins), distance.jensenshannon(p, q) ** 2, rel_tol=1e-12)
    assert math.isclose(empirical.tv(x, y, bins=bins), 0.5 * np.abs(p - q).sum(), rel_tol=1e-12)
    x2, y2 = _spanning(2)
    assert empirical.js(x2, y2, bins=bins) == empirical.js(x2 / 2, y2 / 2, bins=bins)
    assert empirical.tv(x2, y2, bins=bins) == empirical.tv(x2 / 2, y2 / 2, bins=bins)


@pytest.mark.parametrize("d", [1, 2])
def test_kl_and_w1_when_the_pooled_range_overflows(d):
    x, y = _spanning(d)
    # halving is exact here; KL does not change and W1 halves
    assert empirical.kl(x, y, k=2) == empirical.kl(x / 2, y / 2, k=2)
    assert math.isfinite(empirical.kl(x, y, k=2))
    assert empirical.w1(x, y) == 2.0 * empirical.w1(x / 2, y / 2)
    if d == 1:
        assert math.isclose(empirical.w1(x, y), stats.wasserstein_distance(x / 2, y / 2) * 2.0, rel_tol=1e-12)


def test_w1_beyond_the_largest_float_is_refused():
    with pytest.raises(ValueError, match=r"W1 between x and y is .* beyond the largest float.*rescale"):
        empirical.w1([-1e308], [1e308])
    with pytest.raises(ValueError, match=r"W1 between x and y is .* beyond the largest float"):
        empirical.w1([[-1e308, 0.0]], [[1e308, 0.0]])
    assert empirical.w1([-0.5e308], [1.2e308]) == 1.7e308  # just below: a value


# -- repeated values, only when they are ------------------------------------------------------
def _kl_exact(x, y, k):
    """The kNN formula with distances by math.hypot (which neither squares nor underflows)."""
    x, y = x.reshape(len(x), -1), y.reshape(len(y), -1)
    total = 0.0
    for i in range(len(x)):
        rho = sorted(math.hypot(*(x[j] - x[i])) for j in range(len(x)) if j != i)[k - 1]
        nu = sorted(math.hypot(*(b - x[i])) for b in y)[k - 1]
        total += math.log(nu) - math.log(rho)
    return x.shape[1] * total / len(x) + math.log(len(y) / (len(x) - 1))


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("d", [1, 2])
def test_kl_with_tiny_distinct_distances_is_not_a_tie(k, d):
    # points of a unit-spread sample 1e-200 apart near 0: their squares underflow to 0 in the
    # k-d tree, yet the points differ, so the estimator must use their true distances
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(40, d)), rng.normal(size=(30, d))
    x[:4] = np.array([0.0, 1e-200, -3e-200, 2e-170])[:, None] * np.ones(d)
    y[:2] = np.array([1e-250, 5e-190])[:, None] * np.ones(d)
    assert math.isclose(empirical.kl(x, y, k=k), _kl_exact(x, y, k), rel_tol=1e-12)


def test_kl_refuses_values_that_are_truly_repeated():
    # at 1e15 the floats are 0.125 apart: unit normals there are truly repeated
    rng = np.random.default_rng(7)
    x, y = 1e15 + rng.normal(size=100), 1e15 + rng.normal(size=100)
    assert len(np.unique(x)) < len(x)
    with pytest.raises(ValueError, match=r"repeated values: x\[\d+\] == x\[\d+\]") as info:
        empirical.kl(x, y)
    i, j = (int(v) for v in re.findall(r"x\[(\d+)\] == x\[(\d+)\]", str(info.value))[0])
    assert i != j and x[i] == x[j]
    # a point of y equal to one of x: nu = 0
    with pytest.raises(ValueError, match=r"nu = 0, repeated values: x\[2\] == y\[1\]"):
        empirical.kl([0.0, 1e-300, 2e-300, 5.0], [7.0, 2e-300])


# -- memory: refused before allocating ----------------------------------------------------------
def _peak_bytes(fn):
    """The error ``fn`` raises and the peak memory numpy and Python allocated while it ran."""
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(ValueError) as info:
            fn()
        elapsed = time.perf_counter() - start
        return info.value, tracemalloc.get_traced_memory()[1], elapsed
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fn", [empirical.js, empirical.tv])
def test_histograms_refuse_too_many_cells_before_allocating(fn):
    # issue 10: js(bins=10**5) in 2-D raised a raw MemoryError for 74.5 GiB
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(200, 2)), rng.normal(size=(200, 2))
    error, peak, elapsed = _peak_bytes(lambda: fn(x, y, bins=10**5))
    assert re.search(
        r"bins=100000 per axis in d=2 .* 1e\+10 entries, about 74\.5 GiB.*MAX_ENTRIES.*bins <= 16384", str(error)
    )
    assert peak < 2**20 and elapsed < 1.0
    edges = np.linspace(-5.0, 5.0, 10**5 + 1)
    error, peak, _ = _peak_bytes(lambda: fn(x, y, bins=(edges, edges)))
    assert "bins of 100000 x 100000 cells" in str(error) and peak < 2**20
    # the limit itself: 16384 per axis in 2-D is allowed (2 GiB), 16385 is not
    with pytest.raises(ValueError, match=r"bins=16385 per axis"):
        fn(x, y, bins=16385)
    with pytest.raises(ValueError, match=r"bins=268435457 per axis in d=1 .* about 2 GiB"):
        fn(x[:, 0], y[:, 0], bins=2**28 + 1)
    with pytest.raises(ValueError, match=r"~10\*\*400 entries"):
        fn(x[:, 0], y[:, 0], bins=10**400)


def test_w1_refuses_a_cost_matrix_beyond_the_limit_before_allocating():
    x, y = np.zeros((2**14 + 1, 2)), np.ones((2**14, 2))
    error, peak, elapsed = _peak_bytes(lambda: empirical.w1(x, y, max_points=10**6))
    assert re.search(r"n=16385 and m=16384 .* 2\.685e\+08 entries, about 2 GiB.*MAX_ENTRIES.*subsample", str(error))
    assert peak < 2**20 and elapsed < 1.0
    assert empirical.MAX_ENTRIES == 2**28


# -- bins -------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [empirical.js, empirical.tv])
@pytest.mark.parametrize(
    ("bins", "error", "match"),
    [
        (True, TypeError, r"bins must be None, an int >= 1 or bin edges, got True of type bool"),
        (np.bool_(False), TypeError, r"got np\.False_ of type bool|got False of type bool_"),
        (10.0, TypeError, r"got 10\.0 of type float"),
        (np.array(3), TypeError, r"of type ndarray"),
        (-1, ValueError, r"an int >= 1 or bin edges, got bins=-1"),
        (np.int64(0), ValueError, r"got bins=0|got bins=np\.int64\(0\)"),
    ],
)
def test_bins_must_be_a_positive_int_or_edges(fn, bins, error, match):
    with pytest.raises(error, match=match):
        fn(np.linspace(0.0, 1.0, 10), np.linspace(0.5, 1.5, 10), bins=bins)


def test_explicit_edges_spanning_the_floats():
    # edges are used as given (numpy compares, never subtracts): no overflow from -1.5e308 to 1.7e308
    x = np.array([-1e308, 0.0, 1e308])
    assert empirical.tv(x, [0.0], bins=[-1.5e308, 0.5, 1.7e308]) == pytest.approx(1 / 3, rel=1e-15)
    assert empirical.js(x, -x, bins=[-1.5e308, 0.0, 1.7e308]) == 0.0


def test_numpy_integer_bins_are_ints():
    x, y = np.linspace(0.0, 1.0, 10), np.linspace(0.5, 1.5, 10)
    assert empirical.js(x, y, bins=np.int64(4)) == empirical.js(x, y, bins=4)
    edges = np.histogram_bin_edges(np.concatenate([x, y]), bins=4)
    expected = 0.5 * np.abs(np.histogram(x, edges)[0] - np.histogram(y, edges)[0]).sum() / 10
    assert empirical.tv(x, y, bins=np.uint8(4)) == empirical.tv(x, y, bins=4) == expected
