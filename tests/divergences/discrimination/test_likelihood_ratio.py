"""The likelihood-ratio test, Scheffé's set and the best test (divergences.discrimination).

Oracles: the roots of the quadratic log N(x; mu_p, s_p^2) - log N(x; mu_q, s_q^2) = log t in
closed form; brute force over every subset of a few atoms; seeded Monte Carlo of the test's
decisions, made from the densities themselves; and the TV of divergences.tv, computed by a
different route (quadrature of |p - q| or closed forms).
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats

from divergences import tv
from divergences.discrimination import best_test_error, lr_intervals, lr_test_errors
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform, scaled_walk
from toys.strategies import continuous_1d, discretes, gaussians, seeds, supports

#: Accuracy of divergences.tv on 1-D pairs (its stated quadrature accuracy).
TOL_TV = 1e-9
#: Differences of CDFs at boundaries located to machine precision: rounding only.
TOL_CDF = 1e-12


def gaussian_roots(p, q, log_t):
    """Real roots of log p(x) - log q(x) = log t for two 1-D Gaussians (quadratic in x)."""
    a = 0.5 / q.var - 0.5 / p.var
    b = p.mean / p.var - q.mean / q.var
    c = 0.5 * q.mean**2 / q.var - 0.5 * p.mean**2 / p.var + math.log(q.std / p.std) - log_t
    if a == 0:
        return np.array([-c / b])
    disc = b * b - 4 * a * c
    if disc <= 0:
        return np.array([])
    return np.sort([(-b - math.sqrt(disc)) / (2 * a), (-b + math.sqrt(disc)) / (2 * a)])


def probe(a, b):
    """A point inside the interval (a, b), which may be unbounded."""
    if np.isinf(a) and np.isinf(b):
        return 0.0
    return b - 1.0 if np.isinf(a) else a + 1.0 if np.isinf(b) else 0.5 * (a + b)


@pytest.mark.parametrize(
    ("p", "q", "t"),
    [
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), 1.0),
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.0), 5.0),
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.5), 1.0),
        (Gaussian(0.0, 1.0), Gaussian(1.0, 1.5), 0.1),
        (Gaussian(2.0, 3.0), Gaussian(-1.0, 0.5), 2.0),
        (Gaussian(0.0, 1.0), Gaussian(0.0, 2.0), 3.0),  # the region is empty: p <= 3q everywhere
    ],
)
def test_gaussian_region_and_errors_match_the_roots_of_the_quadratic(p, q, t):
    log_t = math.log(t)
    edges = np.concatenate([[-np.inf], gaussian_roots(p, q, log_t), [np.inf]])
    pieces = list(zip(edges[:-1], edges[1:]))
    inside = [p.logpdf(probe(a, b)) - q.logpdf(probe(a, b)) > log_t for a, b in pieces]
    expected = [piece for piece, i in zip(pieces, inside) if i]
    region = lr_intervals(p, q, t)
    assert region.shape == (len(expected), 2)
    assert np.allclose(region, np.array(expected).reshape(-1, 2), rtol=1e-13, atol=1e-12)
    alpha = sum(p.cdf(b) - p.cdf(a) for (a, b), i in zip(pieces, inside) if not i)
    beta = sum(q.cdf(b) - q.cdf(a) for (a, b), i in zip(pieces, inside) if i)
    got_alpha, got_beta = lr_test_errors(p, q, t)
    assert math.isclose(got_alpha, alpha, abs_tol=TOL_CDF)
    assert math.isclose(got_beta, beta, abs_tol=TOL_CDF)


@given(continuous_1d(), continuous_1d())
def test_best_test_error_is_one_minus_tv(p, q):
    assert math.isclose(best_test_error(p, q), 1 - tv(p, q), abs_tol=TOL_TV)


@given(continuous_1d(), continuous_1d())
def test_scheffe_set_attains_tv(p, q):
    region = lr_intervals(p, q)
    gain = sum(p.cdf(b) - p.cdf(a) - (q.cdf(b) - q.cdf(a)) for a, b in region)
    assert math.isclose(gain, tv(p, q), abs_tol=TOL_TV)


@given(gaussians(), gaussians(), st.floats(-3, 3), st.lists(st.floats(-8, 8), min_size=2, max_size=6))
def test_neyman_pearson_no_region_beats_the_lr_test_on_the_weighted_errors(p, q, log_t, cuts):
    """For every region A: P(A^c) + t Q(A) >= the LR test's, since {p > t q} minimises it."""
    t = math.exp(log_t)
    cuts = np.sort(cuts)
    region = cuts[: cuts.size // 2 * 2].reshape(-1, 2)  # a union of intervals
    alpha_a = 1 - sum(p.cdf(b) - p.cdf(a) for a, b in region)
    beta_a = sum(q.cdf(b) - q.cdf(a) for a, b in region)
    alpha, beta = lr_test_errors(p, q, t)
    assert alpha_a + t * beta_a >= alpha + t * beta - 1e-12


@given(supports(max_atoms=6).flatmap(lambda s: st.tuples(discretes(support=s), discretes(support=s))))
def test_discrete_best_test_by_brute_force_over_all_regions(pair):
    p, q = pair
    x = p.atoms
    pm, qm = p.pmf(x), q.pmf(x)
    best = min(
        pm[~mask].sum() + qm[mask].sum()
        for mask in (np.array(bits, dtype=bool) for bits in itertools.product([0, 1], repeat=x.size))
    )
    assert math.isclose(best_test_error(p, q), best, abs_tol=1e-12)
    assert math.isclose(best_test_error(p, q), 1 - tv(p, q), abs_tol=1e-12)


def test_discrete_errors_at_several_thresholds():
    p = Discrete(support=[0, 1, 2], probs=[0.5, 0.25, 0.25])
    q = Discrete(support=[1, 2, 3], probs=[0.25, 0.5, 0.25])
    # likelihood ratios p/q: inf at 0, 1 at 1, 0.5 at 2, 0 at 3
    alpha, beta = lr_test_errors(p, q, [0.25, 0.75, 1.0, 2.0])
    assert alpha.tolist() == [0.0, 0.25, 0.5, 0.5]  # A = {0,1,2}, {0,1}, {0}, {0}
    assert beta.tolist() == [0.75, 0.25, 0.0, 0.0]


@given(seeds())
def test_errors_against_monte_carlo_decisions(seed):
    """Decide P where p > t q, computed from the densities at seeded draws."""
    rng = np.random.default_rng(seed)
    p = GaussianMixture(weights=[0.3, 0.7], means=[-2.0, 1.0], stds=[0.5, 1.0])
    q = Exponential(rate=0.8, loc=-1.0)
    t = 1.7
    n = 20_000
    x, y = p.sample(n, rng), q.sample(n, rng)
    with np.errstate(divide="ignore"):
        alpha_mc = np.mean(~(p.logpdf(x) - q.logpdf(x) > math.log(t)))
        beta_mc = np.mean(p.logpdf(y) - q.logpdf(y) > math.log(t))
    alpha, beta = lr_test_errors(p, q, t)
    # 5 binomial standard deviations: a false alarm has probability below 1e-6 per draw
    for est, exact in ((alpha_mc, alpha), (beta_mc, beta)):
        assert abs(est - exact) <= 5 * math.sqrt(exact * (1 - exact) / n) + 1e-12


def test_supports_with_ends_are_cut_at_the_ends():
    region = lr_intervals(Uniform(0.0, 1.0), Gaussian(0.0, 1.0))
    assert region.shape == (1, 2)
    assert np.allclose(region, [[0.0, 1.0]], atol=1e-15)
    # where q = 0 < p the point is inside: the whole support of the wider uniform outside [0, 1]
    region = lr_intervals(Uniform(-1.0, 2.0), Uniform(0.0, 1.0))
    assert np.allclose(region, [[-1.0, 0.0], [1.0, 2.0]], atol=1e-15)
    alpha, beta = lr_test_errors(Uniform(-1.0, 2.0), Uniform(0.0, 1.0))
    assert math.isclose(alpha, 1 / 3, abs_tol=TOL_CDF) and beta == 0.0


def test_equal_laws_the_best_test_guesses():
    p = Gaussian(0.3, 1.2)
    assert lr_intervals(p, p).shape == (0, 2)
    assert best_test_error(p, p) == 1.0
    assert best_test_error(Bernoulli(0.4), Bernoulli(0.4)) == 1.0


def test_atoms_against_a_density_never_err():
    alpha, beta = lr_test_errors(scaled_walk(5), Gaussian(), [0.5, 1.0, 3.0])
    assert np.all(alpha == 0) and np.all(beta == 0)
    assert best_test_error(Gaussian(), Bernoulli(0.5)) == 0.0


def test_scipy_laws_are_accepted():
    p, q = stats.norm(0, 1), stats.logistic(0.5, 1)
    assert math.isclose(best_test_error(p, q), 1 - tv(p, q), abs_tol=TOL_TV)


def test_errors_have_the_shape_of_the_thresholds():
    alpha, beta = lr_test_errors(Gaussian(), Gaussian(1.0), np.ones((2, 3)))
    assert alpha.shape == beta.shape == (2, 3)
    # scalar in, scalar out (as numpy's functions do): Python floats, for every pair of kinds
    for p, q in ((Gaussian(), Gaussian(1.0)), (Bernoulli(0.2), Bernoulli(0.7)), (scaled_walk(3), Gaussian())):
        alpha, beta = lr_test_errors(p, q, 2.0)
        assert type(alpha) is float and type(beta) is float
        assert [alpha, beta] == [a[0] for a in lr_test_errors(p, q, [2.0])]
    assert lr_test_errors(Gaussian(), Gaussian(1.0), np.float64(1.0)) == lr_test_errors(Gaussian(), Gaussian(1.0))


@given(gaussians(), gaussians())
def test_type_one_error_falls_and_type_two_rises_with_the_threshold_region(p, q):
    assume(tv(p, q) > 1e-6)
    t = np.exp(np.linspace(-5, 5, 41))  # larger t: smaller region, more type I, less type II
    alpha, beta = lr_test_errors(p, q, t)
    assert np.all(np.diff(alpha) >= -1e-12) and np.all(np.diff(beta) <= 1e-12)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan, [1.0, 0.0]])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="threshold must hold finite numbers > 0"):
        lr_test_errors(Gaussian(), Gaussian(1.0), bad)


def test_bad_inputs():
    with pytest.raises(TypeError, match="threshold must be a number"):
        lr_test_errors(Gaussian(), Gaussian(1.0), "one")
    for flag in (True, np.True_, [True, False]):  # a bool is not a threshold, though numpy reads True as 1
        with pytest.raises(TypeError, match="not a bool"):
            lr_test_errors(Gaussian(), Gaussian(1.0), flag)
    with pytest.raises(TypeError, match="not a bool"):
        lr_intervals(Gaussian(), Gaussian(1.0), True)
    with pytest.raises(TypeError, match="p and q must be continuous laws"):
        lr_intervals(Bernoulli(0.2), Bernoulli(0.3))
    with pytest.raises(ValueError, match="threshold must be a scalar"):
        lr_intervals(Gaussian(), Gaussian(1.0), [1.0, 2.0])
    with pytest.raises(ValueError, match="1-D laws"):
        lr_test_errors(Gaussian([0.0, 0.0]), Gaussian([1.0, 0.0]))
    with pytest.raises(ValueError, match="1-D laws"):
        best_test_error(ShiftedLine(0.0), ShiftedLine(1.0))
    with pytest.raises(TypeError, match="p must be a toy"):
        best_test_error([0.0, 1.0], Gaussian())
