"""Forward and reverse KL fits of a Gaussian (divergences.fit).

Oracles: the closed-form maximum-likelihood estimate for the forward fit; for the reverse fit the
library's own divergence, ``divergences.reverse_kl`` (closed form for Gaussian pairs, 1-D
Gauss-Legendre quadrature <= 1e-9 or 2-D cubature <= 1e-6 for mixtures), which shares no code
with the Gauss-Hermite objective of the fit, and Bishop's closed form for a diagonal model.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import optimize, stats

import toys
from divergences import reverse_kl
from divergences.fit import FitResult, fit_forward_kl, fit_reverse_kl

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
#: 2-D mixture with far-apart modes, one isotropic and one correlated (rho = 0.5).
TWO_MODES_2D = toys.GaussianMixture(
    weights=[0.5, 0.5], means=[[-4.0, 0.0], [4.0, 0.0]], covs=[np.eye(2), [[1.0, 0.5], [0.5, 1.0]]]
)


def correlated(rho):
    return toys.Gaussian(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])


def oracle_reverse_fit(target, start):
    """Minimise the library's exact KL(q || target) over 1-D Gaussians q, by Nelder-Mead."""

    def objective(t):
        return reverse_kl(target, toys.Gaussian(t[0], math.exp(t[1])))

    res = optimize.minimize(
        objective, [start.mean, math.log(start.std)], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-13}
    )
    assert res.success, res.message
    return res.x[0], math.exp(res.x[1])


def assert_converged_history(fit):
    h = fit.history
    assert fit.converged, fit.message
    assert h.shape == (fit.n_iter + 1,)
    assert np.all(np.diff(h) <= 0), "L-BFGS-B accepts only steps that decrease the objective"
    assert h[-1] == h.min() == fit.value


# -- forward KL = maximum likelihood ------------------------------------------------------------
def test_forward_1d_is_the_closed_form_mle():
    x = toys.Exponential(rate=0.5).sample(500, rng=1)  # any law: the MLE is the sample moments
    fit = fit_forward_kl(x)
    assert isinstance(fit, FitResult) and fit.objective == "forward_kl"
    assert fit.distribution.dim == 1
    assert fit.distribution.mean == pytest.approx(x.mean(), abs=1e-6)
    assert fit.distribution.std == pytest.approx(x.std(), abs=1e-6)  # biased (ddof=0)
    assert_converged_history(fit)
    assert fit.init.mean == 0.0 and fit.init.std == 1.0
    # the history is the average negative log-likelihood, in nats, at start and end
    assert fit.history[0] == pytest.approx(-np.mean(stats.norm(0, 1).logpdf(x)), rel=1e-12)
    assert fit.value == pytest.approx(-np.mean(stats.norm(x.mean(), x.std()).logpdf(x)), rel=1e-12)


@pytest.mark.parametrize("covariance", ["full", "diag"])
def test_forward_2d_is_the_closed_form_mle(covariance):
    x = correlated(0.8).sample(2000, rng=2) * [1.0, 3.0] + [1.0, -2.0]
    fit = fit_forward_kl(x, covariance=covariance)
    mle = np.cov(x.T, bias=True)
    if covariance == "diag":
        mle = np.diag(np.diag(mle))
    np.testing.assert_allclose(fit.distribution.mean, x.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(fit.distribution.cov, mle, atol=1e-6)
    assert_converged_history(fit)
    assert fit.value == pytest.approx(-np.mean(stats.multivariate_normal(x.mean(axis=0), mle).logpdf(x)), rel=1e-12)


@given(seed=st.integers(0, 2**32 - 1), d=st.integers(1, 3), covariance=st.sampled_from(["full", "diag"]))
def test_forward_mle_property(seed, d, covariance):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(d + 2, 300))
    scale = 10.0 ** rng.uniform(-1, 1)
    x = scale * (rng.standard_normal((n, d)) @ rng.standard_normal((d, d)) + rng.uniform(-3, 3, d))
    mle = np.atleast_2d(np.cov(x.T, bias=True))
    if covariance == "diag":
        mle = np.diag(np.diag(mle))
    # Very elongated samples make the problem from the N(0, I) start ill-conditioned: beyond a
    # condition number of about 1e4, L-BFGS-B can hit the rounding floor before tol.
    assume(np.linalg.cond(mle) < 1e4)
    fit = fit_forward_kl(x, covariance=covariance)
    got = fit.distribution
    assert fit.converged, fit.message
    # Compare in the coordinates that whiten the MLE. L-BFGS-B stops when the gradient in the
    # parameters is below tol = 1e-7; near the optimum m - mean = Sigma grad_m, so the whitened
    # error is at most ||L|| sqrt(d) tol (and likewise for the Cholesky entries). 10x margin.
    chol = np.linalg.cholesky(mle)
    white = np.linalg.inv(chol)
    atol = 10 * np.sqrt(d) * max(1.0, np.linalg.norm(chol, 2)) * 1e-7
    np.testing.assert_allclose(white @ (np.atleast_1d(got.mean) - x.mean(axis=0)), 0.0, atol=atol)
    np.testing.assert_allclose(white @ np.atleast_2d(got.var if d == 1 else got.cov) @ white.T, np.eye(d), atol=atol)


def test_forward_covers_both_modes():
    n = 200_000
    x = TWO_MODES.sample(n, rng=3)
    fit = fit_forward_kl(x)
    # Seeded Monte Carlo: 5 standard errors. Var(X) = 1 + 9 = 10; the central fourth moment is
    # E(3 + Z)^4 = 81 + 6*9 + 3 = 138, so sd(sample variance) = sqrt((138 - 10^2) / n) and
    # sd(sample std) = that / (2 sqrt(10)).
    assert abs(fit.distribution.mean) < 5 * math.sqrt(10 / n)
    assert abs(fit.distribution.std - math.sqrt(10)) < 5 * math.sqrt(38 / n) / (2 * math.sqrt(10))


def test_forward_diag_on_correlated_gaussian_gives_the_marginals():
    n, rho = 100_000, 0.8
    fit = fit_forward_kl(correlated(rho).sample(n, rng=4), covariance="diag")
    cov = fit.distribution.cov
    assert cov[0, 1] == cov[1, 0] == 0.0
    # sd of the sample variance of N(0, 1) is sqrt(2 / n); 5 standard errors
    np.testing.assert_allclose(np.diag(cov), 1.0, atol=5 * math.sqrt(2 / n))


def test_forward_samples_of_shape_n_by_1_give_a_1d_gaussian():
    x = toys.Gaussian(1.0, 2.0).sample(100, rng=5)
    a, b = fit_forward_kl(x), fit_forward_kl(x[:, None])
    assert b.distribution.dim == 1
    assert b.distribution.mean == pytest.approx(a.distribution.mean, abs=1e-9)


def test_max_iter_stops_early_and_says_so():
    fit = fit_forward_kl(toys.Gaussian(5.0, 0.1).sample(100, rng=6), max_iter=2)
    assert not fit.converged
    assert fit.n_iter == 2 and fit.history.shape == (3,)
    assert not fit.history.flags.writeable


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
    m, s = oracle_reverse_fit(TWO_MODES, toys.Gaussian(0.0, 3.0))  # a third local minimum, N(0, 2.74^2)
    assert abs(m) < 1e-6 and s == pytest.approx(2.7438, abs=1e-3)
    assert_converged_history(fit)
    assert abs(fit.distribution.mean) < 1e-6
    # here q straddles the soft kink of log p at 0, where Gauss-Hermite converges slowly: the
    # objective is off by 8e-4 nats (measured), which moves the fitted std by about 1e-3
    assert fit.distribution.std == pytest.approx(s, abs=3e-3)
    assert fit.value == pytest.approx(reverse_kl(TWO_MODES, fit.distribution), abs=2e-3)
    assert fit.value > fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1.0)).value + 0.1  # local, not global


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


@pytest.mark.parametrize(
    "target",
    [toys.Gaussian(1.0, 2.0), toys.Gaussian(mean=[1.0, -1.0], cov=[[2.0, -0.9], [-0.9, 0.5]])],
    ids=["1d", "2d"],
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
    # Student t: the score comes from central differences, KL(q || t) from the library's quadrature
    target = stats.t(df=5)
    fit = fit_reverse_kl(target, init=toys.Gaussian(1.0, 1.0))
    m, s = oracle_reverse_fit(target, toys.Gaussian(0.0, 1.0))
    assert fit.converged, fit.message
    assert fit.distribution.mean == pytest.approx(m, abs=1e-4)
    assert fit.distribution.std == pytest.approx(s, abs=1e-4)
    assert fit.distribution.std < target.std()  # narrower than the law: reverse KL under-disperses
    assert fit.value == pytest.approx(reverse_kl(target, fit.distribution), abs=1e-8)


# -- bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("samples", "error", "match"),
    [
        ("abc", TypeError, "samples"),
        ([1.0, np.nan, 2.0], ValueError, "samples.*finite"),
        (np.zeros((3, 2, 2)), ValueError, r"samples.*shape \(3, 2, 2\)"),
        ([1.0], ValueError, "samples.*at least 2"),
        (np.ones((2, 2)) * [[0], [1]], ValueError, "samples.*n > d"),
        ([2.0, 2.0, 2.0], ValueError, "samples.*constant axes"),
        ([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]], ValueError, "samples.*subspace"),
    ],
)
def test_forward_rejects_bad_samples(samples, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl(samples)


def test_collinear_samples_are_fine_with_a_diagonal_model():
    fit = fit_forward_kl([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0]], covariance="diag")
    np.testing.assert_allclose(np.diag(fit.distribution.cov), [2 / 3, 8 / 3], atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"covariance": "spherical"}, ValueError, "covariance.*'spherical'"),
        ({"covariance": None}, ValueError, "covariance.*None"),
        ({"max_iter": 0}, ValueError, "max_iter.*0"),
        ({"max_iter": 2.5}, TypeError, "max_iter.*2.5"),
        ({"max_iter": True}, TypeError, "max_iter"),
        ({"tol": 0.0}, ValueError, "tol"),
        ({"tol": "small"}, TypeError, "tol"),
    ],
)
def test_both_fits_reject_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl([0.0, 1.0, 3.0], **kwargs)
    with pytest.raises(error, match=match):
        fit_reverse_kl(toys.Gaussian(), **kwargs)


@pytest.mark.parametrize(
    ("target", "error", "match"),
    [
        ("abc", TypeError, "target.*str"),
        (toys.Bernoulli(0.3), TypeError, "target.*logpdf.*Bernoulli"),
        (toys.ShiftedLine(0.0), TypeError, "target.*logpdf.*ShiftedLine"),
        (toys.Uniform(0.0, 1.0), ValueError, r"target.*support \(0.0, 1.0\)"),
        (toys.Gaussian(mean=[0.0, 0.0, 0.0]), NotImplementedError, "target.*dim=3"),
    ],
)
def test_reverse_rejects_bad_targets(target, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(target)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        (TWO_MODES, TypeError, "init.*GaussianMixture"),
        (toys.Gaussian(mean=[0.0, 0.0]), ValueError, "init.*dimension 1.*dim=2"),
    ],
)
def test_reverse_rejects_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(TWO_MODES, init=init)


def test_reverse_rejects_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        fit_reverse_kl(TWO_MODES, rng="seed")
