"""MMD and energy distance from samples, and what the five new estimators share (units, bad input).

Oracles: the formulas with full numpy distance matrices (brute force), scipy.stats.energy_distance
(1-D), and closed forms for Gaussian laws: E k(X, Y) for a Gaussian kernel (checked here by
quadrature) and E|X - Y| (the half-normal and Rice means). Seeded Monte Carlo checks use 4
standard errors computed from the repetitions themselves.
"""

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.spatial import distance

from divergences import empirical
from divergences.empirical import pairwise
from toys import Gaussian

seeds = st.integers(0, 2**32 - 1)


def _kernel_sums(x, y, h):
    """Full Gaussian kernel matrices (the brute-force oracle)."""
    x, y = x.reshape(len(x), -1), y.reshape(len(y), -1)
    k = [np.exp(-distance.cdist(a, b, "sqeuclidean") / (2 * h * h)) for a, b in ((x, x), (y, y), (x, y))]
    return k, len(x), len(y)


def _mmd_u(x, y, h):
    (kxx, kyy, kxy), n, m = _kernel_sums(x, y, h)
    return (kxx.sum() - n) / (n * (n - 1)) + (kyy.sum() - m) / (m * (m - 1)) - 2 * kxy.mean()


def _mmd_v(x, y, h):
    (kxx, kyy, kxy), _, _ = _kernel_sums(x, y, h)
    return kxx.mean() + kyy.mean() - 2 * kxy.mean()


def _mean_kernel(m1, c1, m2, c2, h):
    """E exp(-|X - Y|^2 / (2 h^2)) for independent X ~ N(m1, c1), Y ~ N(m2, c2).

    X - Y ~ N(delta, S), S = c1 + c2, and h^d N(z; 0, h^2 I) (2 pi)^(d/2) = exp(-|z|^2/(2h^2)), so the
    expectation is (2 pi h^2)^(d/2) N(delta; 0, S + h^2 I) = det(I + S/h^2)^(-1/2) exp(-delta'(S + h^2 I)^-1 delta / 2).
    """
    delta = np.atleast_1d(m1) - np.atleast_1d(m2)
    s = np.atleast_2d(c1) + np.atleast_2d(c2)
    eye = np.eye(len(delta))
    return np.linalg.det(eye + s / h**2) ** -0.5 * np.exp(-0.5 * delta @ np.linalg.solve(s + h**2 * eye, delta))


def _exact_mmd2(m1, c1, m2, c2, h):
    return _mean_kernel(m1, c1, m1, c1, h) + _mean_kernel(m2, c2, m2, c2, h) - 2 * _mean_kernel(m1, c1, m2, c2, h)


# -- mmd ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("delta", "var", "h"), [(0.7, 2.0, 0.5), (0.0, 1.0, 1.0), (3.0, 0.3, 2.0)])
def test_the_gaussian_kernel_mean_oracle_against_quadrature(delta, var, h):
    # the oracle of the tests below, in 1-D: E exp(-Z^2/(2h^2)) for Z ~ N(delta, var) by quad
    density = stats.norm(delta, math.sqrt(var)).pdf
    quad = integrate.quad(lambda z: density(z) * math.exp(-z * z / (2 * h * h)), -np.inf, np.inf, epsrel=1e-12)[0]
    assert math.isclose(_mean_kernel(delta, var / 2, 0.0, var / 2, h), quad, rel_tol=1e-10)


def test_the_gaussian_kernel_mean_oracle_in_2d_against_a_product_quadrature():
    # S diagonal and delta along an axis: the expectation is the product of two 1-D ones
    s, delta, h = np.diag([0.5, 2.0]), np.array([1.2, 0.0]), 0.8
    expected = math.prod(_mean_kernel(delta[i], s[i, i], 0.0, 0.0, h) for i in range(2))
    assert math.isclose(_mean_kernel(delta, s, np.zeros(2), np.zeros((2, 2)), h), expected, rel_tol=1e-12)


@given(seed=seeds, n=st.integers(2, 30), m=st.integers(2, 30), d=st.integers(0, 3), h=st.floats(0.05, 20))
def test_mmd_matches_the_brute_force_formulas(seed, n, m, d, h):
    rng = np.random.default_rng(seed)
    shape = (lambda k: (k,)) if d == 0 else (lambda k: (k, d))
    x, y = rng.normal(size=shape(n)), rng.normal(0.3, 1.5, size=shape(m))
    u, v = empirical.mmd(x, y, bandwidth=h), empirical.mmd(x, y, bandwidth=h, unbiased=False)
    assert math.isclose(u, _mmd_u(x, y, h), rel_tol=1e-9, abs_tol=1e-13)
    assert math.isclose(v, max(_mmd_v(x, y, h), 0.0), rel_tol=1e-9, abs_tol=1e-13)
    # V - U = (1 - mean off-diagonal k_xx)/n + (1 - mean k_yy)/m >= 0, since k <= k(x, x) = 1
    (kxx, kyy, _), _, _ = _kernel_sums(x, y, h)
    gap = (1 - (kxx.sum() - n) / (n * (n - 1))) / n + (1 - (kyy.sum() - m) / (m * (m - 1))) / m
    assert v >= u and math.isclose(v - u, gap, rel_tol=1e-7, abs_tol=1e-13)


def test_mmd_u_statistic_is_unbiased_and_v_is_not():
    # P = N(0, I), Q = N((0.5, 0), C) in 2-D, h = 1, n = m = 10, R = 1500 seeds: the mean of U is
    # within 4 standard errors of the exact MMD^2; the mean of V exceeds it by its bias (~0.09,
    # more than 20 standard errors), so swapping the two statistics fails
    m1, c1, m2, c2 = np.zeros(2), np.eye(2), np.array([0.5, 0.0]), np.array([[1.5, 0.3], [0.3, 0.8]])
    p, q = Gaussian(mean=m1, cov=c1), Gaussian(mean=m2, cov=c2)
    exact = _exact_mmd2(m1, c1, m2, c2, 1.0)
    reps, u, v = 1500, [], []
    for s in range(reps):
        rng = np.random.default_rng(s)
        x, y = p.sample(10, rng), q.sample(10, rng)
        u.append(empirical.mmd(x, y, bandwidth=1.0))
        v.append(empirical.mmd(x, y, bandwidth=1.0, unbiased=False))
    assert abs(np.mean(u) - exact) < 4 * np.std(u) / math.sqrt(reps)
    assert np.mean(v) - exact > 20 * np.std(v) / math.sqrt(reps)


@given(seed=seeds, n=st.integers(1, 100), d=st.integers(0, 2), h=st.floats(0.01, 100))
def test_mmd_v_statistic_of_identical_samples_is_zero(seed, n, d, h):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n,) if d == 0 else (n, d))
    assert 0.0 <= empirical.mmd(x, rng.permutation(x), bandwidth=h, unbiased=False) < 1e-14


def test_mmd_bandwidths_far_from_the_spread_give_the_limits():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(20, 2))
    # h -> 0: every kernel value between distinct points is 0; V = 1/n + 1/m, U = 0
    for h in (1e-200, 5e-324):
        assert empirical.mmd(x, y, bandwidth=h) == 0.0
        assert math.isclose(empirical.mmd(x, y, bandwidth=h, unbiased=False), 1 / 30 + 1 / 20, rel_tol=1e-15)
    # h -> inf: every kernel value is 1
    assert empirical.mmd(x, y, bandwidth=1e300) == 0.0 == empirical.mmd(x, y, bandwidth=1e300, unbiased=False)


def test_mmd_median_heuristic_is_the_median_pooled_distance():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(40, 3)), rng.normal(1.0, 1.0, size=(31, 3))  # 71 points: 2485 pairs
    h = float(np.median(distance.pdist(np.concatenate([x, y]))))
    for unbiased in (True, False):
        expected = empirical.mmd(x, y, bandwidth=h, unbiased=unbiased)
        assert math.isclose(empirical.mmd(x, y, bandwidth="median", unbiased=unbiased), expected, rel_tol=1e-12)
    # scale-free: samples scaled by 1e6 give the same value
    assert math.isclose(empirical.mmd(1e6 * x, 1e6 * y, bandwidth="median"), empirical.mmd(x, y, bandwidth=h))
    with pytest.raises(ValueError, match=r"bandwidth='median' gives 0: more than half of the pairs"):
        empirical.mmd(np.zeros(10), np.r_[np.zeros(9), 1.0], bandwidth="median")


def test_mmd_median_heuristic_refuses_too_many_points_before_allocating():
    x = np.zeros(11_600)
    tracemalloc.start()
    try:
        refusal = r"n\+m=23200 pooled points .* 2\.691e\+08 entries.*MAX_ENTRIES.*subsample"
        with pytest.raises(ValueError, match=refusal):
            empirical.mmd(x, x + 1.0, bandwidth="median")
        assert tracemalloc.get_traced_memory()[1] < 2**21
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel": "laplacian"}, ValueError, r"kernel must be one of \('gaussian',\), got 'laplacian'"),
        ({"kernel": None}, ValueError, r"kernel must be one of .*got None"),
        ({"bandwidth": 0.0}, ValueError, r"bandwidth must be > 0, got 0\.0"),
        ({"bandwidth": -1}, ValueError, r"bandwidth must be > 0, got -1\.0"),
        ({"bandwidth": math.nan}, ValueError, r"bandwidth must be finite, got nan"),
        ({"bandwidth": "mean"}, ValueError, r"bandwidth must be a number > 0 or 'median', got 'mean'"),
        ({"bandwidth": True}, TypeError, r"bandwidth must be a real number, got True"),
        ({"bandwidth": None}, TypeError, r"bandwidth must be a real number, got None"),
        ({"unbiased": 1}, TypeError, r"unbiased must be True \(the U-statistic\) or False .*got 1 of type int"),
        ({"unbiased": "yes"}, TypeError, r"unbiased must be True .*got 'yes'"),
    ],
)
def test_mmd_bad_keywords_raise(kwargs, error, match):
    with pytest.raises(error, match=match):
        empirical.mmd(np.zeros(4), np.ones(3), **{"bandwidth": 1.0, **kwargs})


def test_mmd_needs_a_bandwidth_and_two_points_for_the_u_statistic():
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'bandwidth'"):
        empirical.mmd(np.zeros(4), np.ones(3))
    with pytest.raises(ValueError, match=r"U-statistic \(unbiased=True\) needs at least 2 points.*n=1 and m=3"):
        empirical.mmd([0.0], np.ones(3), bandwidth=1.0)
    assert empirical.mmd([0.0], [[3.0]], bandwidth=1.0, unbiased=False) == 2.0 - 2.0 * math.exp(-4.5)


# -- energy ---------------------------------------------------------------------------------------
@given(seed=seeds, n=st.integers(1, 60), m=st.integers(1, 60), discrete=st.booleans())
def test_energy_in_1d_is_the_square_of_scipys(seed, n, m, discrete):
    rng = np.random.default_rng(seed)
    draw = (lambda k: rng.integers(-3, 4, size=k).astype(float)) if discrete else (lambda k: rng.normal(size=k))
    x, y = draw(n), 2.0 * draw(m) + 0.5
    assert math.isclose(empirical.energy(x, y), stats.energy_distance(x, y) ** 2, rel_tol=1e-12, abs_tol=1e-300)


def _energy_brute(x, y):
    x, y = x.reshape(len(x), -1), y.reshape(len(y), -1)
    return 2 * distance.cdist(x, y).mean() - distance.cdist(x, x).mean() - distance.cdist(y, y).mean()


@given(seed=seeds, n=st.integers(1, 30), m=st.integers(1, 30), d=st.integers(1, 4))
def test_energy_matches_the_brute_force_v_statistic(seed, n, m, d):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.exponential(size=(m, d))
    assert math.isclose(empirical.energy(x, y), _energy_brute(x, y), rel_tol=1e-9, abs_tol=1e-12)
    # the d-D path on points of a line (a zero second coordinate) gives the 1-D value
    if d == 1:
        flat = empirical.energy(np.c_[x, np.zeros(n)], np.c_[y, np.zeros(m)])
        assert math.isclose(flat, empirical.energy(x, y), rel_tol=1e-9, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(1, 50), d=st.integers(1, 3))
def test_energy_of_identical_samples_is_zero(seed, n, d):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d))
    value = empirical.energy(x, rng.permutation(x))
    assert value == 0.0 if d == 1 else 0.0 <= value < 1e-13


def _mean_norm(delta, s, d):
    """E|Z| for Z ~ N(delta, s^2 I_d), d in {1, 2}: the folded normal and the Rice means."""
    if d == 1:
        return stats.foldnorm(abs(delta) / s, scale=s).mean()
    return stats.rice(delta / s, scale=s).mean() if delta > 0 else s * math.sqrt(math.pi / 2)


@pytest.mark.parametrize("d", [1, 2])
def test_energy_expectation_is_the_exact_distance_plus_its_bias(d):
    # X ~ N(0, I), Y ~ N(delta, 1.5^2 I): E of the V-statistic = 2E|X - Y| - (1 - 1/n) E|X - X'|
    # - (1 - 1/m) E|Y - Y'|; checked over R = 300 seeds at n = 30, m = 20 within 4 standard errors
    # (the bias, E|X - X'|/n + E|Y - Y'|/m ~ 0.16 in 2-D, is ~10 standard errors: a U-statistic fails)
    n, m, reps, s2 = 30, 20, 300, 1.5
    delta = np.array([1.0, 0.5])[:d]
    within_x, within_y = _mean_norm(0.0, math.sqrt(2), d), _mean_norm(0.0, math.sqrt(2) * s2, d)
    expected = 2 * _mean_norm(np.linalg.norm(delta), math.hypot(1, s2), d) - (1 - 1 / n) * within_x
    expected -= (1 - 1 / m) * within_y
    values = []
    for s in range(reps):
        rng = np.random.default_rng(s)
        values.append(empirical.energy(rng.normal(size=(n, d)), delta + s2 * rng.normal(size=(m, d))))
    assert abs(np.mean(values) - expected) < 4 * np.std(values) / math.sqrt(reps)


# -- blocks: never the n x m matrix -----------------------------------------------------------------
def test_sums_in_small_blocks_equal_sums_in_one(monkeypatch):
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(57, 3)), rng.normal(0.2, 1.0, size=(43, 3))
    whole = empirical.mmd(x, y, bandwidth=0.7), empirical.energy(x, y)
    monkeypatch.setattr(pairwise, "BLOCK_ENTRIES", 50)  # blocks of one row (50 < 57)
    assert math.isclose(empirical.mmd(x, y, bandwidth=0.7), whole[0], rel_tol=1e-12)
    assert math.isclose(empirical.energy(x, y), whole[1], rel_tol=1e-12)
    monkeypatch.setattr(pairwise, "BLOCK_ENTRIES", 500)  # several rows, blocks not aligned with n
    assert math.isclose(empirical.mmd(x, y, bandwidth=0.7), whole[0], rel_tol=1e-12)


def test_mmd_and_energy_allocate_blocks_not_matrices():
    # n = m = 4000: one kernel matrix is 128 MiB; the peak stays below a quarter of that
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(4000, 2)), rng.normal(size=(4000, 2))
    for fn in (lambda: empirical.mmd(x, y, bandwidth=1.0), lambda: empirical.energy(x, y)):
        tracemalloc.start()
        try:
            fn()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 32 * 2**20, peak


# -- shared: units and bad samples -------------------------------------------------------------------
def _grid_sample(rng, n, d, step):
    """n normal points in d dimensions rounded to multiples of ``step``, |x| <= 7."""
    return np.clip(np.round(rng.normal(size=(n, d)) / step) * step, -7.0, 7.0)


NEW = {
    "w2": (lambda x, y, s: empirical.w2(x, y), 1),
    "frechet": (lambda x, y, s: empirical.frechet(x, y), 2),
    "energy": (lambda x, y, s: empirical.energy(x, y), 1),
    "sliced_w": (lambda x, y, s: empirical.sliced_w(x, y, 7, rng=3), 1),
    "mmd": (lambda x, y, s: empirical.mmd(x, y, bandwidth=0.8 * s), 0),
    "mmd_v": (lambda x, y, s: empirical.mmd(x, y, bandwidth=0.8 * s, unbiased=False), 0),
}


@pytest.mark.parametrize("name", sorted(NEW))
@settings(max_examples=15, deadline=None)
@given(seed=seeds, d=st.integers(1, 3), k=st.integers(-480, 480), offset=st.integers(-(2**32), 2**32))
def test_new_estimates_do_not_depend_on_exact_units(seed, name, d, k, offset):
    # grid points (multiples of 2**-20, |x| < 2**33) keep every digit after + offset and * 2**k;
    # a distance scales by 2**k, frechet (squared units) by 4**k, the MMD with h scaled not at all
    rng = np.random.default_rng(seed)
    x, y = _grid_sample(rng, 40, d, 2.0**-20), _grid_sample(rng, 30, d, 2.0**-20) + 0.5
    fn, power = NEW[name]
    moved = fn(np.ldexp(x + offset, k), np.ldexp(y + offset, k), 2.0**k)
    expected = math.ldexp(fn(x, y, 1.0), power * k)
    assert math.isclose(moved, expected, rel_tol=1e-12, abs_tol=0.0), (moved, expected)


@pytest.mark.parametrize("name", sorted(NEW))
@pytest.mark.parametrize("scale", [1e300, 1e-300])
def test_new_estimates_at_extreme_scales(name, scale):
    # scale * x rounds each point by 2**-53 of itself: the value moves by ~1e-15 relative
    fn, power = NEW[name]
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(50, 2)), rng.normal(0.5, 1.2, size=(40, 2))
    if name == "frechet":  # W2^2 at 1e300 would overflow and at 1e-300 underflow: 1e150 and 1e-150
        scale = math.sqrt(scale)
    assert math.isclose(fn(scale * x, scale * y, scale) / scale**power, fn(x, y, 1.0), rel_tol=1e-9)


GOOD = np.linspace(0.0, 1.0, 10)


@pytest.mark.parametrize("name", sorted(NEW))
@pytest.mark.parametrize(
    ("x", "y", "error", "match"),
    [
        (np.r_[GOOD, np.nan], GOOD, ValueError, r"x must contain only finite.*1 NaN.*x\[10\]"),
        (GOOD, np.c_[GOOD, np.full(10, np.inf)], ValueError, r"y must contain only finite.*y\[0, 1\]"),
        (np.zeros((4, 2, 2)), GOOD, ValueError, r"x must be an array of points of shape \(n,\) or \(n, d\)"),
        (GOOD, 1.0, ValueError, r"y must be an array of points of shape \(n,\) or \(n, d\).*\(\)"),
        (np.empty(0), GOOD, ValueError, r"x must be a non-empty array of points"),
        (GOOD, np.empty((5, 0)), ValueError, r"y must be a non-empty array of points.*\(5, 0\)"),
        (["a", "b"], GOOD, TypeError, r"x must be an array of real numbers"),
        (GOOD, GOOD > 0.5, TypeError, r"y must be an array of real numbers.*bool"),
        (GOOD, [[1.0, 2.0], [3.0]], ValueError, r"y must be an array of shape"),
        (GOOD, np.c_[GOOD, GOOD], ValueError, r"same dimension.*x\.shape=\(10,\) \(d=1\).*y\.shape=\(10, 2\)"),
    ],
)
def test_new_estimators_refuse_bad_samples_naming_them(name, x, y, error, match):
    with pytest.raises(error, match=match):
        NEW[name][0](x, y, 1.0)


def test_values_are_python_floats_and_symmetric_where_the_quantity_is():
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(20, 2)) + 0.3
    for name, (fn, _) in NEW.items():
        value = fn(x, y, 1.0)
        assert type(value) is float, name
        assert math.isclose(value, fn(y, x, 1.0), rel_tol=1e-12), name
