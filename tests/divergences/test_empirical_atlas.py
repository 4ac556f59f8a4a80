"""W2, the Fréchet distance of fitted Gaussians and sliced W2 from samples, against independent oracles.

Oracles: POT's network simplex on the squared cost and a linear program (W2 of the empirical
measures); divergences.bounds.gaussian_w2 on samples built with exact moments, a 60-digit mpmath
evaluation and scipy.linalg.sqrtm (the Fréchet distance); the definition of sliced W evaluated
with w1/w2 on the same directions, and the closed form for isotropic Gaussians. Monte Carlo
tolerances are |bias| + 4 std from the bias and standard deviation measured over seeds (stated at
each test), or 4 standard errors computed from the repetitions themselves.
"""

import itertools
import math

import mpmath
import numpy as np
import ot
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import linalg, optimize
from scipy.spatial import distance

from divergences import empirical
from divergences.bounds import gaussian_w2
from toys import Gaussian
from toys import strategies as toy_st

seeds = st.integers(0, 2**32 - 1)


def _sample(rng, n, d, discrete):
    """n points in d dimensions (shape (n,) when d == 0); integer-valued ones have many ties."""
    shape = (n,) if d == 0 else (n, d)
    return rng.integers(-3, 4, size=shape).astype(float) if discrete else rng.normal(size=shape)


def _uniform(n, m):
    return np.full(n, 1.0 / n), np.full(m, 1.0 / m)


# -- w2 -------------------------------------------------------------------------------------
@given(seed=seeds, n=st.integers(1, 40), m=st.integers(1, 40), discrete=st.booleans())
def test_w2_1d_matches_the_network_simplex(seed, n, m, discrete):
    # the oracle solves the transport problem itself (POT's d-D solver on the squared cost), no sorting
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, 0, discrete), 2.0 * _sample(rng, m, 0, discrete) + 0.5
    cost = distance.cdist(x[:, None], y[:, None], "sqeuclidean")
    expected = math.sqrt(ot.emd2(*_uniform(n, m), cost))
    assert math.isclose(empirical.w2(x, y), expected, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(empirical.w2(x[:, None], y[:, None]), expected, rel_tol=1e-9, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(1, 6), d=st.integers(2, 3), discrete=st.booleans())
def test_w2_dd_matches_brute_force_over_permutations(seed, n, d, discrete):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, d, discrete), _sample(rng, n, d, discrete)
    cost = distance.cdist(x, y, "sqeuclidean")
    best = min(cost[np.arange(n), list(perm)].sum() for perm in itertools.permutations(range(n))) / n
    assert math.isclose(empirical.w2(x, y), math.sqrt(best), rel_tol=1e-9, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(1, 5), m=st.integers(1, 5), d=st.integers(1, 3))
def test_w2_unequal_sizes_matches_a_linear_program(seed, n, m, d):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    lp = optimize.linprog(
        distance.cdist(x, y, "sqeuclidean").ravel(),
        A_eq=np.vstack([np.kron(np.eye(n), np.ones(m)), np.kron(np.ones(n), np.eye(m))]),
        b_eq=np.concatenate(_uniform(n, m)),
        bounds=(0, None),
        method="highs",
    )
    assert lp.success
    assert math.isclose(empirical.w2(x, y), math.sqrt(max(lp.fun, 0.0)), rel_tol=1e-7, abs_tol=1e-9)


@given(seed=seeds, n=st.integers(1, 30), m=st.integers(1, 30), d=st.integers(1, 3), shift=st.floats(-5, 5))
def test_w1_at_most_w2_with_equality_for_a_translate(seed, n, m, d, shift):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.exponential(size=(m, d))
    assert empirical.w1(x, y) <= empirical.w2(x, y) * (1 + 1e-12)  # Jensen
    moved = x + shift
    expected = float(np.sqrt(np.mean(np.sum((moved - x) ** 2, axis=1))))  # |shift| sqrt(d), up to rounding
    assert math.isclose(empirical.w2(x, moved), expected, rel_tol=1e-9, abs_tol=1e-12)


@given(seed=seeds, n=st.integers(4, 30), m=st.integers(4, 30))
def test_w2_squared_is_at_least_the_gelbrich_bound(seed, n, m):
    # for any two laws, W2^2 >= the W2^2 of the Gaussians with their means and covariances; the
    # empirical measures have covariances with divisor n (not the n - 1 of frechet)
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, 2)), rng.standard_t(3, size=(m, 2))
    try:
        fits = [Gaussian(mean=s.mean(axis=0), cov=np.cov(s, rowvar=False, bias=True)) for s in (x, y)]
    except ValueError:  # a covariance too ill-conditioned for toys.Gaussian
        assume(False)
    assert empirical.w2(x, y) ** 2 >= gaussian_w2(*fits) ** 2 * (1 - 1e-12) - 1e-12


def test_w2_counts_distances_whose_square_underflows():
    # one point moves by 5e-201 in a sample of spread 1: W2 = 5e-201 / sqrt(2), though its square
    # (2.5e-401) is below the smallest float
    assert math.isclose(empirical.w2([0.0, 1.0], [5e-201, 1.0]), 5e-201 / math.sqrt(2), rel_tol=1e-12)
    x, y = [[0.0, 0.0], [1.0, 1.0]], [[3e-201, 4e-201], [1.0, 1.0]]
    assert math.isclose(empirical.w2(x, y), 5e-201 / math.sqrt(2), rel_tol=1e-12)


def test_w2_limits_and_refusals():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(21, 2)), rng.normal(size=(10, 2))
    with pytest.raises(ValueError, match=r"x has 21 points, more than max_points=20"):
        empirical.w2(x, y, max_points=20)
    assert math.isfinite(empirical.w2(x[:, 0], y[:, 0], max_points=5))  # no cap in 1-D
    with pytest.raises(ValueError, match=r"W2 between x and y is .* beyond the largest float"):
        empirical.w2([-1e308], [1e308])
    assert empirical.w2([0.0], [[2.0]]) == 2.0 and empirical.w2([[0.0, 0.0]], [[0.0, 2.0]]) == 2.0


# -- frechet -----------------------------------------------------------------------------------
def _with_moments(rng, n, law):
    """n points whose sample mean and covariance (divisor n - 1) are exactly those of ``law``, up to rounding."""
    d = law.dim
    z = rng.normal(size=(n, d))
    z -= z.mean(axis=0)
    z = linalg.solve_triangular(linalg.cholesky(np.atleast_2d(np.cov(z, rowvar=False)), lower=True), z.T, lower=True).T
    cov = np.array([[law.var]]) if d == 1 else law.cov
    return np.atleast_1d(law.mean) + z @ linalg.cholesky(cov, lower=True).T


@given(seed=seeds, d=st.integers(1, 4), data=st.data())
def test_frechet_is_the_gaussian_w2_squared_at_the_sample_moments(seed, d, data):
    p, q = data.draw(toy_st.gaussians(d)), data.draw(toy_st.gaussians(d))
    rng = np.random.default_rng(seed)
    x, y = _with_moments(rng, 3 * d + 5, p), _with_moments(rng, 2 * d + 7, q)
    assert math.isclose(empirical.frechet(x, y), gaussian_w2(p, q) ** 2, rel_tol=1e-9, abs_tol=1e-11)


@given(seed=seeds, n=st.integers(2, 40), m=st.integers(2, 40), d=st.integers(1, 5))
def test_frechet_matches_the_sqrtm_formula(seed, n, m, d):
    # the textbook evaluation, accurate (1e-9 relative) when both covariances are well conditioned
    assume(min(n, m) > 2 * d)
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.normal(size=(m, d)) @ rng.normal(size=(d, d)) + 1.0
    c1, c2 = np.atleast_2d(np.cov(x, rowvar=False)), np.atleast_2d(np.cov(y, rowvar=False))
    assume(np.linalg.cond(c2) < 1e4)
    root = linalg.sqrtm(linalg.sqrtm(c2) @ c1 @ linalg.sqrtm(c2))
    expected = np.sum((x.mean(axis=0) - y.mean(axis=0)) ** 2) + np.trace(c1 + c2 - 2.0 * np.real(root))
    assert math.isclose(empirical.frechet(x, y), expected, rel_tol=1e-8, abs_tol=1e-10)


def _frechet_mpmath(x, y):
    """The FID formula in 60-digit arithmetic, by symmetric eigendecompositions."""
    with mpmath.workdps(60):
        d = x.shape[1]

        def moments(s):
            rows = [[mpmath.mpf(float(v)) for v in row] for row in s]
            mean = [mpmath.fsum(r[j] for r in rows) / len(rows) for j in range(d)]
            cov = mpmath.matrix(d, d)
            for a, b in itertools.product(range(d), repeat=2):
                cov[a, b] = mpmath.fsum((r[a] - mean[a]) * (r[b] - mean[b]) for r in rows) / (len(rows) - 1)
            return mean, cov

        (m1, c1), (m2, c2) = moments(x), moments(y)
        w, v = mpmath.eigsy(c2)
        root2 = v * mpmath.diag([mpmath.sqrt(max(e, 0)) for e in w]) * v.T
        cross = mpmath.eigsy(root2 * c1 * root2)[0]
        trace = sum(c1[i, i] + c2[i, i] for i in range(d)) - 2 * mpmath.fsum(mpmath.sqrt(max(e, 0)) for e in cross)
        return float(mpmath.fsum((a - b) ** 2 for a, b in zip(m1, m2)) + trace)


@pytest.mark.parametrize(("n", "d", "close"), [(4, 6, False), (4, 6, True), (9, 3, True), (30, 2, False)])
def test_frechet_is_accurate_for_singular_and_nearly_equal_covariances(n, d, close):
    # n <= d: singular covariances, where sqrt of eigenvalues near 0 costs the textbook formula
    # 1e-9 relative and 1e-7 absolutely (measured); close: W2^2 ~ 1e-11 of the variances
    rng = np.random.default_rng(n + d)
    x = rng.normal(size=(n, d))
    y = x + 1e-6 * rng.normal(size=(n, d)) if close else rng.normal(size=(n, d)) @ rng.normal(size=(d, d))
    assert math.isclose(empirical.frechet(x, y), _frechet_mpmath(x, y), rel_tol=1e-6 if close else 1e-13)
    assert 0.0 <= empirical.frechet(x, x) < 1e-28


@pytest.mark.parametrize(
    ("p", "q", "n", "gap", "tol"),
    [
        # w2 and frechet estimate the same W2^2; measured over 20 seeds at n = m = 20 000 in 1-D:
        # w2^2 - frechet = +0.00035, std 0.00017 -> 0.00035 +- 4 * 0.00017; frechet - exact:
        # -0.012, std 0.029 -> 0.012 + 4 * 0.029
        (Gaussian(0.0, 1.0), Gaussian(1.0, 2.0), 20_000, (-0.0011, 0.0011), 0.13),
        # 2-D, n = m = 1000: w2^2 - frechet = +0.030, std 0.0032 (the empirical W2's own upward
        # bias); frechet - exact: +0.004, std 0.115
        (
            Gaussian(mean=[0, 0], cov=[[1, 0.5], [0.5, 1]]),
            Gaussian(mean=[1, -1], cov=[[2, 0], [0, 0.5]]),
            1000,
            (0.030 - 0.013, 0.030 + 0.013),
            0.47,
        ),
    ],
    ids=["1d", "2d"],
)
def test_frechet_and_w2_agree_on_large_gaussian_samples(p, q, n, gap, tol):
    x, y = p.sample(n, rng=11), q.sample(n, rng=12)
    fr = empirical.frechet(x, y)
    assert gap[0] < empirical.w2(x, y) ** 2 - fr < gap[1]
    assert abs(fr - gaussian_w2(p, q) ** 2) < tol


@pytest.mark.parametrize("shift", [0.0, 1.0])
def test_frechet_bias_is_positive_and_falls_like_one_over_n(shift):
    # d = 10, P = N(0, I), Q = N(shift 1/sqrt(d), I): the bias is d(d + 5)/(2n) to first order
    # (frechet Notes: measured 1.52 and 0.150 at n = 50 and 500); checked within 4 standard errors
    # of the mean of R = 60 estimates, the standard error from the estimates themselves
    d, reps = 10, 60
    p, q = Gaussian(mean=np.zeros(d), cov=np.eye(d)), Gaussian(mean=np.full(d, shift / np.sqrt(d)), cov=np.eye(d))
    exact = gaussian_w2(p, q) ** 2
    biases = []
    for n in (50, 500):
        values = []
        for s in range(reps):
            rng = np.random.default_rng(s)
            values.append(empirical.frechet(p.sample(n, rng), q.sample(n, rng)))
        bias, error = np.mean(values) - exact, np.std(values, ddof=1) / np.sqrt(reps)
        assert abs(bias - d * (d + 5) / (2 * n)) < 4 * error
        assert bias > 4 * error  # positive
        biases.append(bias)
    assert 5 < biases[0] / biases[1] < 20  # ~10 for n 10 times larger


def test_frechet_needs_two_points_per_sample():
    with pytest.raises(ValueError, match=r"x must have at least 2 points to estimate a covariance.*got 1 point"):
        empirical.frechet([[0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"y must have at least 2 points"):
        empirical.frechet([0.0, 1.0], [3.0])
    # means 1 and 7, variances 2 and 8 (divisor n - 1): 6^2 + (sqrt 2 - sqrt 8)^2 = 38
    assert math.isclose(empirical.frechet([0.0, 2.0], [5.0, 9.0]), 38.0)
    with pytest.raises(ValueError, match=r"Fréchet distance between x and y is .* beyond the largest float"):
        empirical.frechet([-1e200, 1e200], [0.0, 1.0])


# -- sliced_w -------------------------------------------------------------------------------
def _directions(seed, d, count):
    """The directions sliced_w draws from ``rng=seed`` (its Notes): normalised standard normal columns."""
    g = np.random.default_rng(seed).standard_normal((d, count))
    return g / np.linalg.norm(g, axis=0)


@given(seed=seeds, n=st.integers(1, 30), m=st.integers(1, 30), d=st.integers(2, 4), count=st.integers(1, 8))
def test_sliced_w_is_the_mean_over_its_directions(seed, n, m, d, count):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, d)), rng.exponential(size=(m, d))
    theta = _directions(seed, d, count)
    pw2 = np.mean([empirical.w2(x @ t, y @ t) ** 2 for t in theta.T])
    pw1 = np.mean([empirical.w1(x @ t, y @ t) for t in theta.T])
    assert math.isclose(empirical.sliced_w(x, y, count, rng=seed), math.sqrt(pw2), rel_tol=1e-9)
    assert math.isclose(empirical.sliced_w(x, y, count, rng=seed, p=1), pw1, rel_tol=1e-9)
    # every projection is 1-Lipschitz, so each projected W_p, and their mean, is at most W_p
    assert empirical.sliced_w(x, y, count, rng=seed) <= empirical.w2(x, y) * (1 + 1e-12)
    assert empirical.sliced_w(x, y, count, rng=seed, p=1) <= empirical.w1(x, y) * (1 + 1e-12)
    # a Generator is the same source as its seed
    assert empirical.sliced_w(x, y, count, rng=np.random.default_rng(seed)) == empirical.sliced_w(x, y, count, seed)


@given(seed=seeds, n=st.integers(1, 40), m=st.integers(1, 40), discrete=st.booleans())
def test_sliced_w_in_1d_is_w_p(seed, n, m, discrete):
    rng = np.random.default_rng(seed)
    x, y = _sample(rng, n, 0, discrete), 1.5 * _sample(rng, m, 0, discrete) + 0.3
    assert math.isclose(empirical.sliced_w(x, y, 3, rng=seed, p=1), empirical.w1(x, y), rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(empirical.sliced_w(x, y, 3, rng=seed), empirical.w2(x, y), rel_tol=1e-9, abs_tol=1e-12)
    if n == m:  # p = 3: the sorted matching
        expected = np.mean(np.abs(np.sort(x) - np.sort(y)) ** 3) ** (1 / 3)
        assert math.isclose(empirical.sliced_w(x, y, 2, rng=seed, p=3), expected, rel_tol=1e-9, abs_tol=1e-12)


def test_sliced_w2_is_exact_on_every_direction_for_whitened_isotropic_samples():
    # x = mu1 + s1 z and y = mu2 + s2 z with z centred and whitened (mean 0, covariance I with
    # divisor n): on a direction t the projections are a + s1 u and b + s2 u with the same u, so
    # W2^2 = (t.delta)^2 + (s1 - s2)^2 exactly; the sliced value averages it over the directions,
    # whose expectation over the sphere is |delta|^2 / d + (s1 - s2)^2
    rng = np.random.default_rng(3)
    d, n, count = 3, 200, 4000
    z = rng.normal(size=(n, d))
    z -= z.mean(axis=0)
    z = z @ linalg.inv(linalg.cholesky(z.T @ z / n, lower=True)).T
    mu1, mu2, s1, s2 = np.zeros(d), np.array([1.0, -1.0, 0.5]), 1.0, 2.0
    delta = mu2 - mu1
    value = empirical.sliced_w(mu1 + s1 * z, mu2 + s2 * z, count, rng=5)
    theta = _directions(5, d, count)
    assert math.isclose(value**2, np.mean((delta @ theta) ** 2) + (s1 - s2) ** 2, rel_tol=1e-10)
    # the directions are uniform on the sphere: (t.delta)^2 has mean |delta|^2/d and variance
    # |delta|^4 2(d - 1)/(d^2 (d + 2)); 4 standard errors of the mean over count directions
    error = (delta @ delta) * math.sqrt(2 * (d - 1) / (d**2 * (d + 2)) / count)
    assert abs(value**2 - (delta @ delta / d + (s1 - s2) ** 2)) < 4 * error


@pytest.mark.parametrize(
    ("s2", "p", "exact", "tol"),
    [
        # SW2 = sqrt(|delta|^2/d + (s1 - s2)^2); measured over 40 seeds at n = m = 2000, 300
        # directions: bias +0.002, std 0.035 -> 0.002 + 4 * 0.035
        (2.0, 2, math.sqrt(2.25 / 3 + 1.0), 0.142),
        # equal scales, p = 1: SW1 = |delta| E|t_1| = |delta| / 2 in d = 3; bias +0.001, std 0.032
        (1.0, 1, 1.5 / 2, 0.13),
    ],
    ids=["p2", "p1"],
)
def test_sliced_w_of_isotropic_gaussian_samples(s2, p, exact, tol):
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(2000, 3)), np.array([1.0, -1.0, 0.5]) + s2 * rng.normal(size=(2000, 3))
    assert abs(empirical.sliced_w(x, y, 300, rng=7, p=p) - exact) < tol


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_projections": 0}, ValueError, r"n_projections must be a positive integer, got 0"),
        ({"n_projections": 2.5}, TypeError, r"n_projections must be a positive integer, got 2\.5"),
        ({"n_projections": True}, TypeError, r"n_projections must be a positive integer, got True"),
        ({"p": 0.5}, ValueError, r"p must be >= 1 .*got p=0\.5"),
        ({"p": math.inf}, ValueError, r"p must be finite, got inf"),
        ({"p": "2"}, TypeError, r"p must be a real number, got '2'"),
        ({"rng": "a"}, TypeError, r"rng must be None, an int seed or a numpy\.random\.Generator, got 'a'"),
        ({"rng": -1}, ValueError, r"rng must be a non-negative seed, got -1"),
    ],
)
def test_sliced_w_bad_arguments_raise(kwargs, error, match):
    args = {"n_projections": 5, "rng": 0, **kwargs}
    with pytest.raises(error, match=match):
        empirical.sliced_w(np.zeros((4, 2)), np.ones((3, 2)), args.pop("n_projections"), args.pop("rng"), **args)


def test_sliced_w_refuses_too_many_projections_before_allocating():
    with pytest.raises(ValueError, match=r"n=10 and m=10 points in d=2 on n_projections=20000000.*MAX_ENTRIES"):
        empirical.sliced_w(np.zeros((10, 2)), np.ones((10, 2)), 2 * 10**7, rng=0)
