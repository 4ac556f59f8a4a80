"""Reverse KL fits of a Gaussian (divergences.fit_reverse_kl).

Oracles: the library's own divergence,
``divergences.reverse_kl`` (closed form for Gaussian pairs, 1-D adaptive quadrature <= 1e-9 or
2-D cubature <= 1e-6 for mixtures), which shares only the Gauss-Kronrod engine with the fit's
objective (not its variable, panels or integrands), the stationarity conditions of the exact KL
solved with ``scipy.integrate.quad``, Bishop's closed form for a diagonal model, and, for the
Monte Carlo path, the closed-form minimiser of its sample-average objective on a Gaussian target.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import linalg, optimize, stats

import toys
from divergences import reverse_kl
from divergences.fitting import fit_reverse_kl
from divergences.fitting.common import N_SAMPLES

from .fits import (
    NARROW_MODES,
    TWO_MODES,
    TWO_MODES_2D,
    TWO_MODES_3D,
    assert_converged_history,
    correlated,
    correlated_nd,
    exact_stationary_point,
    kl_gradient,
    oracle_reverse_fit,
    stated_stderr,
)


# -- reverse KL -----------------------------------------------------------------------------------
@pytest.mark.parametrize("side", [-1.0, 1.0])
def test_reverse_lands_on_the_mode_nearest_the_start(side):
    start = toys.Gaussian(2.5 * side, 1.0)
    fit = fit_reverse_kl(TWO_MODES, init=start)
    q = fit.distribution
    assert fit.objective == "reverse_kl" and fit.init is start
    assert_converged_history(fit)
    # one mode, not both: near N(+-3, 1) ...
    assert np.sign(q.mean) == side
    assert abs(abs(q.mean) - 3.0) < 0.05 and abs(q.std - 1.0) < 0.05
    # ... but not exactly, because of the other mode's tail; the oracle minimises the library's
    # KL (quadrature error <= 1e-9 nats, so its minimiser is good to ~1e-5)
    m, s = oracle_reverse_fit(TWO_MODES, toys.Gaussian(3.0 * side, 1.0))
    assert abs(s - 1.0) > 0.01  # the difference the tolerance below resolves
    assert q.mean == pytest.approx(m, abs=1e-4)
    assert q.std == pytest.approx(s, abs=1e-4)
    assert fit.value == pytest.approx(reverse_kl(TWO_MODES, q), abs=1e-8)


@pytest.mark.parametrize("start", [toys.Gaussian(0.0, 3.0), toys.Gaussian(0.5, 0.5), toys.Gaussian(-1.0, 2.0)])
def test_reverse_start_between_the_modes_straddles_both(start):
    fit = fit_reverse_kl(TWO_MODES, init=start)
    m, s = exact_stationary_point(TWO_MODES, toys.Gaussian(0.0, 2.7))  # a third local minimum, N(0, 2.74^2)
    assert s == pytest.approx(2.7438, abs=1e-4)
    assert oracle_reverse_fit(TWO_MODES, toys.Gaussian(0.0, 3.0)) == pytest.approx((m, s), abs=1e-5)  # a minimum
    assert_converged_history(fit)
    # q straddles the soft kink of log p at 0, which the adaptive quadrature resolves: the fit is
    # the exact stationary point to its gradient tol (1e-7), and its value the exact KL
    assert abs(fit.distribution.mean) < 1e-6
    assert fit.distribution.std == pytest.approx(s, abs=1e-6)
    assert fit.value == pytest.approx(reverse_kl(TWO_MODES, fit.distribution), abs=1e-8)
    assert fit.value > fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1.0)).value + 0.1  # local, not global


def test_reverse_straddling_narrow_modes_ends_on_the_exact_stationary_point():
    # From N(0, 1) the fit straddles both modes of 1/2 N(-2, 0.5^2) + 1/2 N(2, 0.5^2). A fixed
    # 200-node Gauss-Hermite objective ended at std 1.73936 with 1.86403 nats, 7e-3 below the KL there.
    fit = fit_reverse_kl(NARROW_MODES, init=toys.Gaussian(0.0, 1.0))
    assert_converged_history(fit)
    m, s = exact_stationary_point(NARROW_MODES, toys.Gaussian(0.0, 1.7))
    assert m == 0.0 and s == pytest.approx(1.7364, abs=1e-4)
    # a minimum of the library's KL along the std, by bounded Brent at tight tolerance
    along = optimize.minimize_scalar(
        lambda t: reverse_kl(NARROW_MODES, toys.Gaussian(0.0, t)),
        bounds=(1.5, 2.0),
        method="bounded",
        options={"xatol": 1e-9},
    )
    assert along.x == pytest.approx(s, abs=1e-6)
    assert abs(fit.distribution.mean) < 1e-6
    assert fit.distribution.std == pytest.approx(s, abs=1e-4)
    assert fit.value == pytest.approx(reverse_kl(NARROW_MODES, fit.distribution), abs=1e-8)
    assert fit.value == pytest.approx(1.8711965, abs=1e-7)


def test_reverse_one_narrow_mode_ends_on_the_exact_stationary_point():
    fit = fit_reverse_kl(NARROW_MODES, init=toys.Gaussian(1.5, 0.4))
    assert_converged_history(fit)
    m, s = exact_stationary_point(NARROW_MODES, toys.Gaussian(2.0, 0.5))
    assert abs(m - 2.0) < 1e-3 and abs(s - 0.5) < 1e-3  # the mode, pulled slightly by the other one
    assert (fit.distribution.mean, fit.distribution.std) == pytest.approx((m, s), abs=1e-6)
    assert fit.value == pytest.approx(reverse_kl(NARROW_MODES, fit.distribution), abs=1e-8)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_reverse_value_is_the_exact_kl_on_random_mixtures(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 4))
    target = toys.GaussianMixture(
        weights=rng.dirichlet(np.ones(k)), means=rng.uniform(-4.0, 4.0, k), stds=np.exp(rng.uniform(-2.0, 0.7, k))
    )
    start = toys.Gaussian(float(rng.uniform(-5.0, 5.0)), float(np.exp(rng.uniform(-2.0, 1.5))))
    fit = fit_reverse_kl(target, init=start)
    q = fit.distribution
    assert fit.value == pytest.approx(reverse_kl(target, q), abs=1e-8)
    if fit.converged:  # then the gradient of the exact KL in (m, log s) is below the fit's tol, 1e-7
        grad_m, grad_s = kl_gradient(target, q.mean, q.std)
        assert abs(grad_m) < 2e-7 and abs(q.std * grad_s) < 2e-7


def rotated_narrow_modes(angle):
    """NARROW_MODES along the direction ``angle`` times N(0, 0.5^2) across it, a 2-D mixture."""
    u = np.array([math.cos(angle), math.sin(angle)])
    return toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0 * u, 2.0 * u], covs=[0.25 * np.eye(2)] * 2)


@pytest.mark.parametrize("angle", [0.0, math.pi / 4])
def test_reverse_2d_straddling_point_is_the_1d_one(angle):
    target = rotated_narrow_modes(angle)
    fit = fit_reverse_kl(target, init=toys.Gaussian(mean=[0.0, 0.0], cov=np.eye(2)))
    assert_converged_history(fit)
    # p factorises into NARROW_MODES along u and N(0, 0.5^2) across it, so the straddling stationary
    # point is the 1-D one along u times N(0, 0.5^2) across, and its KL the 1-D one
    _, s = exact_stationary_point(NARROW_MODES, toys.Gaussian(0.0, 1.7))
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    np.testing.assert_allclose(fit.distribution.mean, 0.0, atol=1e-6)
    np.testing.assert_allclose(fit.distribution.cov, rot @ np.diag([s**2, 0.25]) @ rot.T, atol=1e-5)
    assert fit.value == pytest.approx(reverse_kl(NARROW_MODES, toys.Gaussian(0.0, s)), abs=1e-8)
    assert fit.value == pytest.approx(reverse_kl(target, fit.distribution), abs=1e-6)  # the 2-D cubature


class WithoutScore(toys.ContinuousDistribution):
    """A law known only by its logpdf (no ``as_mixture``): the fit takes its gradient by Stein's identity."""

    def __init__(self, law):
        self.law, self.dim = law, law.dim

    def logpdf(self, x):
        return self.law.logpdf(x)

    def _sample(self, n, rng):
        return self.law.sample(n, rng=rng)

    def parameters(self):
        return {}


def test_reverse_2d_law_without_a_score_gives_the_mixture_fit():
    start = toys.Gaussian(mean=[3.0, 1.0], cov=np.eye(2))
    exact = fit_reverse_kl(TWO_MODES_2D, init=start)
    fit = fit_reverse_kl(WithoutScore(TWO_MODES_2D), init=start)
    assert_converged_history(fit)
    np.testing.assert_allclose(fit.distribution.mean, exact.distribution.mean, atol=1e-6)
    np.testing.assert_allclose(fit.distribution.cov, exact.distribution.cov, atol=1e-6)
    assert fit.value == pytest.approx(exact.value, abs=1e-10)


@pytest.mark.parametrize("rho", [0.8, -0.5, 0.95])
def test_reverse_diag_on_correlated_gaussian_is_bishop_10_1_2(rho):
    p = correlated(rho)
    fit = fit_reverse_kl(p, covariance="diag")
    q = fit.distribution
    # mean = target mean and variances 1 / (Sigma^-1)_ii = 1 - rho^2 (Bishop PRML Sec. 10.1.2)
    np.testing.assert_allclose(q.mean, 0.0, atol=1e-6)
    np.testing.assert_allclose(q.cov, (1 - rho**2) * np.eye(2), atol=1e-6)
    assert_converged_history(fit)
    # KL(q || p) at the optimum, in closed form: -1/2 log det(Sigma_q Sigma_p^-1) = -log(1 - rho^2) / 2
    assert fit.value == pytest.approx(-0.5 * math.log(1 - rho**2), abs=1e-9)
    assert fit.value == pytest.approx(reverse_kl(p, q), abs=1e-9)


@pytest.mark.parametrize("d", [3, 5])
def test_reverse_diag_on_a_correlated_gaussian_in_d_dimensions(d):
    p = correlated_nd(d, np.random.default_rng(d))
    prec = np.linalg.inv(p.cov)
    assert np.max(np.abs(np.corrcoef(p.cov)[np.triu_indices(d, 1)])) > 0.5  # strongly correlated
    fit = fit_reverse_kl(p, covariance="diag")
    q = fit.distribution
    assert_converged_history(fit)
    # closed-form objective: Bishop's minimiser exactly, up to L-BFGS-B's tol
    np.testing.assert_allclose(q.mean, p.mean, atol=1e-6)
    np.testing.assert_allclose(np.diag(q.cov), 1 / np.diag(prec), rtol=1e-6)
    assert np.all(q.cov[~np.eye(d, dtype=bool)] == 0.0)
    # there KL(q || p) = (log det Sigma_p + sum_i log (Sigma_p^-1)_ii) / 2
    assert fit.value == pytest.approx(0.5 * (np.linalg.slogdet(p.cov)[1] + np.sum(np.log(np.diag(prec)))), abs=1e-9)
    assert fit.value == pytest.approx(reverse_kl(p, q), abs=1e-9)


@pytest.mark.parametrize(
    "target",
    [
        toys.Gaussian(1.0, 2.0),
        toys.Gaussian(mean=[1.0, -1.0], cov=[[2.0, -0.9], [-0.9, 0.5]]),
        correlated_nd(3, np.random.default_rng(30)),
        correlated_nd(5, np.random.default_rng(50)),
    ],
    ids=["1d", "2d", "3d", "5d"],
)
def test_reverse_full_on_a_gaussian_recovers_it(target):
    fit = fit_reverse_kl(target, init=toys.Gaussian(mean=np.zeros(target.dim), cov=np.eye(target.dim)))
    q = fit.distribution
    assert_converged_history(fit)
    assert fit.value < 1e-10
    if target.dim == 1:
        assert (q.mean, q.std) == pytest.approx((target.mean, target.std), abs=1e-6)
    else:
        np.testing.assert_allclose(q.mean, target.mean, atol=1e-6)
        np.testing.assert_allclose(q.cov, target.cov, atol=1e-6)


@pytest.mark.parametrize("covariance", ["full", "diag"])
@pytest.mark.parametrize("side", [-1.0, 1.0])
def test_reverse_2d_mixture_seeks_the_mode_nearest_the_start(side, covariance):
    mode = 0 if side < 0 else 1
    start = toys.Gaussian(mean=[3.0 * side, 1.0], cov=np.eye(2))
    fit = fit_reverse_kl(TWO_MODES_2D, init=start, covariance=covariance)
    q = fit.distribution
    assert_converged_history(fit)
    # against the library's 2-D cubature (accuracy 1e-6)
    assert fit.value == pytest.approx(reverse_kl(TWO_MODES_2D, q), abs=1e-6)
    # the modes are 8 sd apart: the other one moves the fit by ~1e-3 (measured)
    expected = TWO_MODES_2D.covs[mode]
    if covariance == "diag":  # Bishop 10.1.2 within the mode
        expected = np.diag(1 / np.diag(np.linalg.inv(expected)))
    np.testing.assert_allclose(q.mean, TWO_MODES_2D.means[mode], atol=0.01)
    np.testing.assert_allclose(q.cov, expected, atol=0.01)


def test_reverse_monte_carlo_minimises_its_sample_average_exactly():
    # A one-component mixture is Gaussian but takes the Monte Carlo path (3-D, not a toys.Gaussian).
    # With init given, rng's only draws are the n standard normals z_k, and for a Gaussian target
    # the sample-average objective is minimised exactly (Notes) by Sigma = L_p V^-1 L_p^T and
    # mu = mu_p - L zbar, with V the biased sample covariance of the z_k and LL^T = Sigma.
    mean, cov = np.array([1.0, -2.0, 0.5]), np.array([[2.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 0.5]])
    target = toys.GaussianMixture(weights=[1.0], means=[mean], covs=[cov])
    n = 2000
    fit = fit_reverse_kl(target, init=toys.Gaussian(mean=np.zeros(3), cov=np.eye(3)), n_samples=n, rng=11)
    assert_converged_history(fit)
    z = np.random.default_rng(11).standard_normal((n, 3))
    v = np.cov(z.T, bias=True)
    chol = np.linalg.cholesky(cov) @ np.linalg.inv(np.linalg.cholesky(v))
    np.testing.assert_allclose(fit.distribution.cov, chol @ chol.T, atol=1e-6)
    np.testing.assert_allclose(fit.distribution.mean, mean - chol @ z.mean(axis=0), atol=1e-6)
    # the estimate of KL(q || p) against its closed form: within 5 of the standard errors stated,
    # which are sd(log p(x)) / sqrt(n) with log p(x) = const - chi2_3 / 2 here: sqrt(3 / 2 / n)
    se = stated_stderr(fit)
    assert se == pytest.approx(math.sqrt(1.5 / n), rel=0.1)
    assert abs(fit.value - reverse_kl(toys.Gaussian(mean=mean, cov=cov), fit.distribution)) < 5 * se


@pytest.mark.parametrize("covariance", ["full", "diag"])
@pytest.mark.parametrize("side", [-1.0, 1.0])
def test_reverse_3d_mixture_seeks_the_mode_nearest_the_start(side, covariance):
    mode = 0 if side < 0 else 1
    fit = fit_reverse_kl(
        TWO_MODES_3D, init=toys.Gaussian(mean=[3.0 * side, 1.0, -1.0], cov=np.eye(3)), covariance=covariance
    )
    q = fit.distribution
    assert_converged_history(fit)
    # Monte Carlo with N_SAMPLES draws: where p is Gaussian near the fit, in the coordinates that
    # whiten the mode the errors of the fit are those of the mean (sd 1/sqrt(n)) and of the inverse
    # sample covariance (sd <= sqrt(2/n)) of n standard normals (Notes): 5 sd, plus 0.01 for the
    # pull of the other mode, 8 sd away (about 1e-3 in 2-D).
    expected = TWO_MODES_3D.covs[mode]
    if covariance == "diag":  # Bishop 10.1.2 within the mode
        expected = np.diag(1 / np.diag(np.linalg.inv(expected)))
    chol = np.linalg.cholesky(expected)
    u = linalg.solve_triangular(chol, q.mean - TWO_MODES_3D.means[mode], lower=True)
    w = linalg.solve_triangular(chol, linalg.solve_triangular(chol, q.cov, lower=True).T, lower=True) - np.eye(3)
    assert np.max(np.abs(u)) < 5 / math.sqrt(N_SAMPLES) + 0.01
    assert np.max(np.abs(w)) < 5 * math.sqrt(2 / N_SAMPLES) + 0.01
    # KL(q || p) = log 2 (one mode of two, equal weights) plus the mismatch within the mode: 0 for
    # "full", (log det Sigma + sum_i log (Sigma^-1)_ii) / 2 for "diag"; the estimate within 5 of its
    # standard errors, plus 1e-3 for the bias of a minimum over n draws (about 9 parameters / 2n)
    mismatch = 0.5 * (np.linalg.slogdet(TWO_MODES_3D.covs[mode])[1] - np.linalg.slogdet(expected)[1])
    assert abs(fit.value - math.log(2) - mismatch) < 5 * stated_stderr(fit) + 1e-3


def test_reverse_monte_carlo_is_reproducible_from_rng():
    a = fit_reverse_kl(TWO_MODES_3D, rng=5, n_samples=500)
    b = fit_reverse_kl(TWO_MODES_3D, rng=np.random.default_rng(5), n_samples=500)
    np.testing.assert_array_equal(a.init.mean, TWO_MODES_3D.sample(1, rng=5)[0])  # the start is drawn first
    np.testing.assert_array_equal(a.distribution.cov, b.distribution.cov)
    assert a.history.tolist() == b.history.tolist()
    c = fit_reverse_kl(TWO_MODES_3D, init=a.init, rng=6, n_samples=500)
    assert c.value != a.value  # other draws, another estimate


def test_reverse_default_start_is_a_seeded_draw_with_the_target_covariance():
    a = fit_reverse_kl(TWO_MODES, rng=7)
    b = fit_reverse_kl(TWO_MODES, rng=np.random.default_rng(7))
    assert a.init.mean == TWO_MODES.sample(1, rng=7)[0]
    assert a.init.var == pytest.approx(TWO_MODES.var, rel=1e-12)
    assert (a.distribution.mean, a.distribution.std) == (b.distribution.mean, b.distribution.std)
    assert np.sign(a.distribution.mean) == np.sign(a.init.mean)
    diag = fit_reverse_kl(correlated(0.8), covariance="diag", rng=7)
    np.testing.assert_array_equal(diag.init.cov, np.eye(2))


def test_reverse_accepts_scipy_laws():
    fit = fit_reverse_kl(stats.norm(1.0, 2.0), init=toys.Gaussian(0.0, 1.0))
    assert (fit.distribution.mean, fit.distribution.std) == pytest.approx((1.0, 2.0), abs=1e-6)


def test_reverse_on_a_law_without_a_closed_form_score():
    # Student t: the gradient comes from Stein's identity (no score), KL(q || t) from the library's quadrature
    target = stats.t(df=5)
    fit = fit_reverse_kl(target, init=toys.Gaussian(1.0, 1.0))
    m, s = oracle_reverse_fit(target, toys.Gaussian(0.0, 1.0))
    assert fit.converged, fit.message
    assert fit.distribution.mean == pytest.approx(m, abs=1e-4)
    assert fit.distribution.std == pytest.approx(s, abs=1e-4)
    assert fit.distribution.std < target.std()  # narrower than the law: reverse KL under-disperses
    assert fit.value == pytest.approx(reverse_kl(target, fit.distribution), abs=1e-8)
