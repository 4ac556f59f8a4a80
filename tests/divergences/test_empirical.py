"""Estimators from samples (divergences.empirical) against independent oracles.

Oracles: scipy.stats.wasserstein_distance (1-D W1), brute force over permutations and a linear
program (d-D W1), brute-force distance matrices (the kNN formula), numpy histograms with scipy's
jensenshannon (JS/TV), and the exact divergences of divergences.kl/js/tv between toys for the
seeded Monte Carlo checks. Monte Carlo tolerances are |bias| + 4 std, from the bias and standard
deviation measured over seeds and reported in the estimators' docstrings.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import optimize, stats
from scipy.spatial import distance

import divergences
from divergences import empirical
from toys import Gaussian

seeds = st.integers(0, 2**32 - 1)
LN2 = math.log(2)


def _sample(rng, n, d, discrete):
    """n points in d dimensions (shape (n,) when d == 0); integer-valued ones have many ties."""
    shape = (n,) if d == 0 else (n, d)
    return rng.integers(-3, 4, size=shape).astype(float) if discrete else rng.normal(size=shape)


# -- w1 -------------------------------------------------------------------------------------
@given(seed=seeds, n=st.integers(1, 60), m=st.integers(1, 60), discrete=st.booleans())
def test_w1_1d_matches_scipy(seed, n, m, discrete):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, 0, discrete), 2.0 * _sample(rng, m, 0, discrete) + 0.5
    expected = stats.wasserstein_distance(x, y)
    assert math.isclose(empirical.w1(x, y), expected, rel_tol=1e-10, abs_tol=1e-12)
    # a column of shape (n, 1) is the same 1-D sample
    assert math.isclose(empirical.w1(x[:, None], y[:, None]), expected, rel_tol=1e-10, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(1, 6), d=st.integers(2, 3), discrete=st.booleans())
def test_w1_dd_matches_brute_force_over_permutations(seed, n, d, discrete):
    # uniform weights and n == m: by Birkhoff-von Neumann an optimal plan is a permutation
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, d, discrete), _sample(rng, n, d, discrete)
    cost = distance.cdist(x, y)
    best = min(cost[np.arange(n), list(perm)].sum() for perm in itertools.permutations(range(n))) / n
    assert math.isclose(empirical.w1(x, y), best, rel_tol=1e-9, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(1, 5), m=st.integers(1, 5), d=st.integers(2, 3))
def test_w1_dd_unequal_sizes_matches_linear_program(seed, n, m, d):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    # min <C, gamma> subject to row sums 1/n, column sums 1/m, gamma >= 0
    rows = np.kron(np.eye(n), np.ones(m))
    cols = np.kron(np.ones(n), np.eye(m))
    lp = optimize.linprog(
        distance.cdist(x, y).ravel(),
        A_eq=np.vstack([rows, cols]),
        b_eq=np.concatenate([np.full(n, 1 / n), np.full(m, 1 / m)]),
        bounds=(0, None),
        method="highs",
    )
    assert lp.success
    assert math.isclose(empirical.w1(x, y), lp.fun, rel_tol=1e-7, abs_tol=1e-9)


@given(
    seed=seeds,
    n=st.integers(1, 40),
    d=st.integers(1, 4),
    shift=st.lists(st.floats(-10, 10), min_size=4, max_size=4),
    centre=st.sampled_from([0.0, 1e3]),
)
def test_w1_of_a_translate_is_the_length_of_the_shift(seed, n, d, shift, centre):
    # any coupling moves the mean by a, so W1 >= |a| (Jensen); the identity coupling attains it
    rng = np.random.default_rng(seed)
    a = np.array(shift[:d])
    x = centre + rng.normal(size=(n, d))
    y = x + a
    expected = float(np.linalg.norm(y - x, axis=1).mean())  # |a|, up to the rounding of x + a
    assert math.isclose(empirical.w1(x, y), expected, rel_tol=1e-9, abs_tol=1e-12)


def test_w1_is_accurate_for_close_points_far_from_the_origin():
    # |x|^2 + |y|^2 - 2 x.y (ot.dist's "euclidean") loses all digits here; differences do not
    rng = np.random.default_rng(3)
    x = 1e3 + 1e-3 * rng.normal(size=(50, 2))
    a = np.array([3e-5, -4e-5])
    assert math.isclose(empirical.w1(x, x + a), 5e-5, rel_tol=1e-6)


def test_w1_returns_a_python_float_and_is_symmetric():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(20, 2))
    value = empirical.w1(x, y)
    assert type(value) is float
    assert math.isclose(value, empirical.w1(y, x), rel_tol=1e-12)


def test_w1_uses_the_euclidean_not_the_squared_cost():
    # one point each, at distance 2: W1 = 2 (the squared cost, POT's default, would give 4)
    assert empirical.w1([[0.0, 0.0]], [[0.0, 2.0]]) == 2.0


# -- kl -------------------------------------------------------------------------------------
def _kl_brute_force(x, y, k):
    x = x.reshape(len(x), -1)
    y = y.reshape(len(y), -1)
    dxx = distance.cdist(x, x)
    np.fill_diagonal(dxx, np.inf)  # exclude x_i itself
    rho = np.sort(dxx, axis=1)[:, k - 1]
    nu = np.sort(distance.cdist(x, y), axis=1)[:, k - 1]
    n, m, d = x.shape[0], y.shape[0], x.shape[1]
    return d / n * np.sum(np.log(nu / rho)) + math.log(m / (n - 1))


@given(seed=seeds, n=st.integers(2, 40), m=st.integers(1, 40), d=st.integers(0, 3), k=st.integers(1, 5))
def test_kl_matches_the_formula_with_brute_force_neighbours(seed, n, m, d, k):
    assume(n > k and m >= k)
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, d, False), _sample(rng, m, d, False) + 0.3
    assert math.isclose(empirical.kl(x, y, k=k), _kl_brute_force(x, y, k), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize(
    ("p", "q", "tol"),
    [
        # measured at n = m = 10 000, k = 5 (kl Notes): bias -0.003, std 0.019 -> 0.003 + 4 * 0.019
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), 0.08),
        # bias -0.000, std 0.012 -> 4 * 0.012
        (Gaussian(0.0, 1.0), Gaussian(0.0, 2.0), 0.05),
        # bias -0.007, std 0.014 -> 0.007 + 4 * 0.014
        (Gaussian(mean=[0, 0], cov=[[1, 0.8], [0.8, 1]]), Gaussian(mean=[0, 0], cov=np.eye(2)), 0.065),
    ],
    ids=["mean-shift", "scale", "2d-correlated"],
)
def test_kl_is_consistent_with_the_closed_form(p, q, tol):
    # m = 2n (less noise than the measured m = n), so a missing log(m / (n - 1)) would be off by ln 2
    x, y = p.sample(10_000, rng=1), q.sample(20_000, rng=2)
    assert abs(empirical.kl(x, y, k=5) - divergences.kl(p, q)) < tol


@pytest.mark.parametrize("law", [Gaussian(0.0, 3.0), Gaussian(mean=[1, -1], cov=[[2, 0.5], [0.5, 1]])])
def test_kl_between_samples_of_the_same_law_is_near_zero(law):
    # measured for N(0, 1) against itself at n = m = 10 000, k = 5: bias -0.001, std 0.011 -> 0.05
    x, y = law.sample(10_000, rng=3), law.sample(10_000, rng=4)
    assert abs(empirical.kl(x, y, k=5)) < 0.05


def test_kl_raises_on_repeated_points_of_x():
    x = np.array([0.0, 0.0, 1.0, 2.5, 4.0])
    with pytest.raises(ValueError, match=r"x\[0\].*distance 0.*rho"):
        empirical.kl(x, np.array([0.3, 1.7, 3.1]))
    # k = 2 looks past a single repetition: no tie, a finite value
    assert math.isfinite(empirical.kl(x, np.array([0.3, 1.7, 3.1]), k=2))


def test_kl_raises_when_y_contains_a_point_of_x():
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"x\[2\].*points of y.*nu"):
        empirical.kl(x, np.array([[5.0, 5.0], [0.0, 1.0]]))


def test_kl_is_invariant_under_a_common_similarity():
    rng = np.random.default_rng(11)
    x, y = rng.normal(size=(300, 2)), rng.normal(1.0, 2.0, size=(200, 2))
    rot = np.array([[0.6, -0.8], [0.8, 0.6]])
    value = empirical.kl(x, y, k=3)
    assert math.isclose(value, empirical.kl(2.5 * x @ rot + 7.0, 2.5 * y @ rot + 7.0, k=3), rel_tol=1e-9)


# -- js and tv ------------------------------------------------------------------------------
@given(seed=seeds, n=st.integers(1, 200), m=st.integers(1, 200), d=st.sampled_from([0, 2]), gap=st.floats(0, 50))
def test_disjoint_samples_give_ln2_and_1(seed, n, m, d, gap):
    # x in [0, 1], y in [4 + gap, 5 + gap]: the pooled range is at most 5 + gap, so with the
    # default >= 2 bins per axis a bin is at most (5 + gap) / 2 < 3 + gap wide, less than the
    # distance between the clusters: no bin holds points of both
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 1.0, size=(n,) if d == 0 else (n, d))
    y = 4.0 + gap + rng.uniform(0.0, 1.0, size=(m,) if d == 0 else (m, d))
    assert empirical.js(x, y) == LN2
    assert empirical.tv(x, y) == 1.0


@given(seed=seeds, n=st.integers(1, 300), d=st.sampled_from([0, 1, 2]), discrete=st.booleans())
def test_identical_samples_give_zero(seed, n, d, discrete):
    rng = np.random.default_rng(seed)
    x = _sample(rng, n, d, discrete)
    y = rng.permutation(x)
    assert empirical.js(x, y) == 0.0
    assert empirical.tv(x, y) == 0.0


@given(seed=seeds, n=st.integers(1, 200), m=st.integers(1, 200), bins=st.integers(1, 30), discrete=st.booleans())
def test_js_and_tv_match_numpy_histograms_and_scipy(seed, n, m, bins, discrete):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, 0, discrete), 1.5 * _sample(rng, m, 0, discrete) + 0.5
    edges = np.histogram_bin_edges(np.concatenate([x, y]), bins=bins)
    p = np.histogram(x, edges)[0] / n
    q = np.histogram(y, edges)[0] / m
    expected_js = distance.jensenshannon(p, q) ** 2  # scipy returns the square root, in nats
    assert math.isclose(empirical.js(x, y, bins=bins), expected_js, rel_tol=1e-7, abs_tol=1e-12)
    assert math.isclose(empirical.js(x, y, bins=edges), expected_js, rel_tol=1e-7, abs_tol=1e-12)
    assert math.isclose(empirical.tv(x, y, bins=bins), 0.5 * np.abs(p - q).sum(), rel_tol=1e-12, abs_tol=1e-15)


@given(seed=seeds, n=st.integers(1, 200), m=st.integers(1, 200), d=st.sampled_from([0, 2]))
def test_default_bins_follow_the_documented_rule(seed, n, m, d):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, d, False), _sample(rng, m, d, False) + 0.5
    dim = 1 if d == 0 else d
    count = math.ceil(2 * min(n, m) ** (1 / (dim + 2)))
    assert empirical.js(x, y) == empirical.js(x, y, bins=count)
    assert empirical.tv(x, y) == empirical.tv(x, y, bins=count)


@given(seed=seeds, n=st.integers(1, 100), m=st.integers(1, 100), d=st.sampled_from([0, 2]), shift=st.floats(0, 3))
def test_js_and_tv_ranges_symmetry_and_js_at_most_tv_ln2(seed, n, m, d, shift):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, d, False), _sample(rng, m, d, False) + shift
    j, t = empirical.js(x, y), empirical.tv(x, y)
    assert 0.0 <= j <= LN2 and 0.0 <= t <= 1.0
    assert j == empirical.js(y, x) and t == empirical.tv(y, x)
    # an f-divergence is at most (f(0) + f*(0)) TV; for JS that constant is ln 2
    assert j <= LN2 * t + 1e-12


@pytest.mark.parametrize(
    ("p", "q", "tol_js", "tol_tv"),
    [
        # measured at n = m = 1e5 over 50 seeds (js/tv Notes): js bias +0.0001, std 0.0009;
        # tv bias +0.0001, std 0.0019 -> |bias| + 4 std
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), 0.004, 0.008),
        # js bias 0.0000, std 0.0008; tv bias +0.0001, std 0.0018
        (Gaussian(0.0, 1.0), Gaussian(0.0, 2.0), 0.0035, 0.0075),
        # 2-D: js bias -0.0013, std 0.0010; tv bias -0.0039, std 0.0023
        (Gaussian(mean=[0, 0], cov=[[1, 0.8], [0.8, 1]]), Gaussian(mean=[0, 0], cov=np.eye(2)), 0.0055, 0.0135),
    ],
    ids=["mean-shift", "scale", "2d-correlated"],
)
def test_js_and_tv_agree_with_exact_values_at_large_n(p, q, tol_js, tol_tv):
    x, y = p.sample(100_000, rng=5), q.sample(100_000, rng=6)
    assert abs(empirical.js(x, y) - divergences.js(p, q)) < tol_js
    assert abs(empirical.tv(x, y) - divergences.tv(p, q)) < tol_tv


def test_js_and_tv_with_explicit_2d_edges():
    x = np.array([[0.1, 0.1], [0.6, 0.2], [0.7, 0.7]])
    y = np.array([[0.2, 0.8], [0.9, 0.9]])
    edges = ([0.0, 0.5, 1.0], [0.0, 0.5, 1.0])
    # cells (x-bin, y-bin): x in (0,0), (1,0), (1,1); y in (0,1), (1,1)
    p = np.array([1, 0, 1, 1]) / 3
    q = np.array([0, 1, 0, 1]) / 2
    assert math.isclose(empirical.tv(x, y, bins=edges), 0.5 * np.abs(p - q).sum())
    assert math.isclose(empirical.js(x, y, bins=edges), distance.jensenshannon(p, q) ** 2)


# -- input checks ---------------------------------------------------------------------------
ESTIMATORS = [empirical.w1, empirical.kl, empirical.js, empirical.tv]
GOOD = np.linspace(0.0, 1.0, 10)


@pytest.mark.parametrize("fn", ESTIMATORS)
@pytest.mark.parametrize(
    ("x", "y", "error", "match"),
    [
        (np.r_[GOOD, np.nan], GOOD, ValueError, r"x must contain only finite.*1 NaN.*x\[10\]"),
        (GOOD, np.r_[GOOD, -np.inf], ValueError, r"y must contain only finite.*0 NaN and 1 infinite"),
        (GOOD, np.c_[GOOD, np.full(10, np.inf)], ValueError, r"y must contain only finite.*y\[0, 1\]"),
        (
            np.zeros((4, 2, 2)),
            GOOD,
            ValueError,
            r"x must be an array of points of shape \(n,\) or \(n, d\).*\(4, 2, 2\)",
        ),
        (GOOD, 1.0, ValueError, r"y must be an array of points of shape \(n,\) or \(n, d\).*\(\)"),
        (np.empty(0), GOOD, ValueError, r"x must be a non-empty array of points"),
        (GOOD, np.empty((5, 0)), ValueError, r"y must be a non-empty array of points.*\(5, 0\)"),
        (["a", "b"], GOOD, TypeError, r"x must be an array of real numbers"),
        (GOOD, GOOD > 0.5, TypeError, r"y must be an array of real numbers.*bool"),
        (GOOD, [[1.0, 2.0], [3.0]], ValueError, r"y must be an array of shape"),
        (np.c_[GOOD, GOOD], np.c_[GOOD, GOOD, GOOD], ValueError, r"x\.shape=\(10, 2\).*y\.shape=\(10, 3\)"),
        (GOOD, np.c_[GOOD, GOOD], ValueError, r"same dimension.*x\.shape=\(10,\) \(d=1\).*y\.shape=\(10, 2\)"),
    ],
)
def test_bad_samples_raise_naming_the_parameter(fn, x, y, error, match):
    with pytest.raises(error, match=match):
        fn(x, y)


@pytest.mark.parametrize(
    ("k", "error", "match"),
    [
        (0, ValueError, r"k must be a positive integer, got 0"),
        (-2, ValueError, r"k must be a positive integer, got -2"),
        (1.5, TypeError, r"k must be a positive integer, got 1\.5 of type float"),
        (True, TypeError, r"k must be a positive integer, got True"),
        ("3", TypeError, r"k must be a positive integer, got '3'"),
    ],
)
def test_kl_bad_k_raises(k, error, match):
    with pytest.raises(error, match=match):
        empirical.kl(GOOD, GOOD + 0.05, k=k)


def test_kl_needs_enough_points():
    with pytest.raises(ValueError, match=r"x must have more than k=3 points \(n > k\), got n=3"):
        empirical.kl(GOOD[:3], GOOD + 0.05, k=3)
    with pytest.raises(ValueError, match=r"y must have at least k=3 points \(m >= k\), got m=2"):
        empirical.kl(GOOD, GOOD[:2] + 0.05, k=3)
    # the boundary cases n = k + 1 and m = k are accepted
    assert math.isfinite(empirical.kl(GOOD[:4], GOOD[:3] + 0.05, k=3))


def test_w1_refuses_too_many_points_for_exact_transport():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(21, 2)), rng.normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"x has 21 points, more than max_points=20.*subsample x"):
        empirical.w1(x, y, max_points=20)
    with pytest.raises(ValueError, match=r"y has 10 points, more than max_points=9"):
        empirical.w1(x[:9], y, max_points=9)
    assert math.isfinite(empirical.w1(x[:20], y, max_points=20))  # the cap itself is allowed
    with pytest.raises(TypeError, match=r"max_points must be a positive integer, got 2\.5"):
        empirical.w1(x, y, max_points=2.5)
    # in 1-D there is no cap: the sorted-sample path is O(n log n)
    assert math.isfinite(empirical.w1(x[:, 0], y[:, 0], max_points=5))


@pytest.mark.parametrize("fn", [empirical.js, empirical.tv])
def test_histograms_refuse_three_dimensions(fn):
    x = np.zeros((5, 3))
    with pytest.raises(ValueError, match=r"d = 1 or 2 only.*got d=3 from x\.shape=\(5, 3\)"):
        fn(x, x)


@pytest.mark.parametrize("fn", [empirical.js, empirical.tv])
@pytest.mark.parametrize(
    ("x", "bins", "error", "match"),
    [
        (GOOD, 0, ValueError, r"bins must be None, an int >= 1 or bin edges, got bins=0"),
        (GOOD, "fd", TypeError, r"bins must be None, an int >= 1 or bin edges, got 'fd'"),
        (GOOD, [0.0], ValueError, r"bins must be an increasing 1-D array of at least 2 edges"),
        (GOOD, [[0.0, 1.0]], ValueError, r"bins must be an increasing 1-D array"),
        (np.c_[GOOD, GOOD], [0.0, 0.5, 1.0], ValueError, r"bins must be a pair of increasing 1-D arrays"),
        (GOOD, [0.0, 0.5, 0.5, 1.0], ValueError, r"bin edges must be finite and strictly increasing"),
        (GOOD, [0.0, np.nan, 1.0], ValueError, r"bin edges must be finite and strictly increasing"),
        (GOOD, [0.0, 0.5, 0.9], ValueError, r"bins must cover every point: x spans \[0\.0, 1\.0\] on axis 0"),
    ],
)
def test_histograms_bad_bins_raise(fn, x, bins, error, match):
    with pytest.raises(error, match=match):
        fn(x, x, bins=bins)
