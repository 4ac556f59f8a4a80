"""Forward and reverse KL fits of a Gaussian (divergences.fitting).

Oracles: the closed-form maximum-likelihood estimate for the forward fit, computed exactly in
rational arithmetic from the float samples; for the reverse fit the library's own divergence,
``divergences.reverse_kl`` (closed form for Gaussian pairs, 1-D Gauss-Legendre quadrature <= 1e-9
or 2-D cubature <= 1e-6 for mixtures), which shares no code with the objectives of the fit,
Bishop's closed form for a diagonal model, and, for the Monte Carlo path, the closed-form
minimiser of its sample-average objective on a Gaussian target.
"""

import math
import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import linalg, optimize, stats

import toys
from divergences import reverse_kl
from divergences.fitting import FitResult, fit_forward_kl, fit_reverse_kl
from divergences.fitting.common import MLE_CHECK_MARGIN, N_SAMPLES

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
#: 2-D mixture with far-apart modes, one isotropic and one correlated (rho = 0.5).
TWO_MODES_2D = toys.GaussianMixture(
    weights=[0.5, 0.5], means=[[-4.0, 0.0], [4.0, 0.0]], covs=[np.eye(2), [[1.0, 0.5], [0.5, 1.0]]]
)
#: 3-D mixture with modes 8 sd apart, one isotropic and one correlated: the Monte Carlo path.
TWO_MODES_3D = toys.GaussianMixture(
    weights=[0.5, 0.5],
    means=[[-4.0, 0.0, 0.0], [4.0, 0.0, 0.0]],
    covs=[np.eye(3), [[1.0, 0.5, 0.3], [0.5, 1.0, 0.2], [0.3, 0.2, 1.0]]],
)


def correlated(rho):
    return toys.Gaussian(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])


def correlated_nd(d, rng):
    """A d-D Gaussian with a random mean and a random covariance with strong correlations."""
    a = rng.standard_normal((d, d))
    return toys.Gaussian(mean=rng.standard_normal(d), cov=a @ a.T / d + 0.2 * np.eye(d))


def oracle_reverse_fit(target, start):
    """Minimise the library's exact KL(q || target) over 1-D Gaussians q, by Nelder-Mead."""

    def objective(t):
        return reverse_kl(target, toys.Gaussian(t[0], math.exp(t[1])))

    res = optimize.minimize(
        objective, [start.mean, math.log(start.std)], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-13}
    )
    assert res.success, res.message
    return res.x[0], math.exp(res.x[1])


def exact_mle(x):
    """Sample mean and biased sample covariance of the float samples x (n, d), computed exactly in
    rationals and rounded once: (mean as Fractions, covariance as floats)."""
    n, d = x.shape
    cols = [[Fraction(v) for v in x[:, j].tolist()] for j in range(d)]
    mean = [sum(c) / n for c in cols]
    dev = [[v - m for v in c] for c, m in zip(cols, mean)]
    cov = [[float(sum(a * b for a, b in zip(dev[i], dev[j])) / n) for j in range(d)] for i in range(d)]
    return mean, np.array(cov)


def forward_errors(fit, x, covariance):
    """Whitened errors of a forward fit against the exact MLE, and the tolerance they must meet.

    Errors: the entries of L^-1 (mean - xbar) and of L^-1 cov L^-T - I, where LL^T is the exact
    MLE covariance (its diagonal for "diag"). Tolerance: the documented check, MLE_CHECK_MARGIN
    d^2 tol / min_j L_jj in the coordinates standardised by the sample stds, plus the rounding of
    the fitted mean to a float (one spacing of |xbar| per axis, whitened), which data far from 0
    make visible.
    """
    x = x.reshape(len(x), -1)
    d = x.shape[1]
    q = fit.distribution
    mean_q, cov_q = np.atleast_1d(q.mean), np.atleast_2d(q.var if d == 1 else q.cov)
    xbar, cov = exact_mle(x)
    if covariance == "diag":
        cov = np.diag(np.diag(cov))
    chol = np.linalg.cholesky(cov)
    u = linalg.solve_triangular(chol, [float(Fraction(a) - b) for a, b in zip(mean_q.tolist(), xbar)], lower=True)
    a = linalg.solve_triangular(chol, linalg.solve_triangular(chol, cov_q, lower=True).T, lower=True)
    std = np.sqrt(np.diag(cov))
    limit = MLE_CHECK_MARGIN * d**2 * 1e-7 / np.min(np.diag(chol) / std)
    spacing = np.spacing(np.abs(np.array([float(m) for m in xbar])))
    rounding = np.max(np.abs(np.linalg.inv(chol)) @ spacing)
    return u, a - np.eye(d), limit + 2 * rounding, cov


def stated_stderr(fit):
    """The standard error of a Monte Carlo reverse fit, as ``message`` states it."""
    return float(re.search(r"standard error (\S+) nats", fit.message).group(1))


def assert_converged_history(fit):
    h = fit.history
    assert fit.converged, fit.message
    assert h.shape == (fit.n_iter + 1,)
    assert np.all(np.diff(h) <= 0), "L-BFGS-B accepts only steps that decrease the objective"
    assert h[-1] == h.min() == fit.value


# -- forward KL = maximum likelihood ------------------------------------------------------------
def test_forward_1d_is_the_closed_form_mle():
    x = toys.Exponential(rate=0.5).sample(500, rng=1)  # any law: the MLE is the sample moments
    fit = fit_forward_kl(x, init=toys.Gaussian(0.0, 1.0))
    assert isinstance(fit, FitResult) and fit.objective == "forward_kl"
    assert fit.distribution.dim == 1
    assert fit.distribution.mean == pytest.approx(x.mean(), abs=1e-6)
    assert fit.distribution.std == pytest.approx(x.std(), abs=1e-6)  # biased (ddof=0)
    assert_converged_history(fit)
    assert fit.n_iter > 5 and fit.init.mean == 0.0 and fit.init.std == 1.0
    # the history is the average negative log-likelihood of the data, in nats, at start and end,
    # although the optimisation runs in standardised coordinates
    assert fit.history[0] == pytest.approx(-np.mean(stats.norm(0, 1).logpdf(x)), rel=1e-12)
    assert fit.value == pytest.approx(-np.mean(stats.norm(x.mean(), x.std()).logpdf(x)), rel=1e-12)


def test_forward_default_start_is_the_origin_of_standardised_coordinates():
    x = toys.Exponential(rate=0.5).sample(500, rng=1)
    fit = fit_forward_kl(x)
    # N(0, 1) for (x - mean) / std: in 1-D already the MLE, so no iteration is needed
    assert (fit.init.mean, fit.init.std) == (x.mean(), pytest.approx(x.std(), rel=1e-15))
    assert fit.n_iter == 0 and fit.history.shape == (1,) and fit.converged
    assert fit.distribution.std == pytest.approx(x.std(), rel=1e-12)
    # in 2-D with a full covariance it is uninformed about the correlation, which the fit learns
    x2 = correlated(0.9).sample(1000, rng=2) * [1e-3, 1e3] + [1e6, -5.0]
    fit2 = fit_forward_kl(x2)
    assert fit2.init.cov[0, 1] == 0.0 and fit2.n_iter > 3
    assert_converged_history(fit2)
    assert fit2.history[0] - fit2.value == pytest.approx(-0.5 * np.log(1 - np.corrcoef(x2.T)[0, 1] ** 2), rel=1e-9)


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


@given(
    seed=st.integers(0, 2**32 - 1),
    d=st.integers(1, 3),
    covariance=st.sampled_from(["full", "diag"]),
    log_offset=st.floats(-1.0, 9.0),
    log_cond=st.floats(0.0, 6.0),
)
# the corners, always: |mean| / std = 1e9 and a condition number of 1e6 in 1-D (vacuous), 2-D and 3-D
@example(seed=1, d=1, covariance="full", log_offset=9.0, log_cond=6.0)
@example(seed=2, d=2, covariance="full", log_offset=9.0, log_cond=6.0)
@example(seed=3, d=3, covariance="full", log_offset=9.0, log_cond=6.0)
@example(seed=4, d=2, covariance="diag", log_offset=9.0, log_cond=6.0)
@example(seed=5, d=3, covariance="diag", log_offset=9.0, log_cond=6.0)
def test_forward_mle_property(seed, d, covariance, log_offset, log_cond):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(d + 2, 300))
    # samples whose MLE covariance has condition number 10**log_cond (in a random orientation),
    # overall std 1e-6 to 1e6, and a mean 10**log_offset of its stds away from 0 on every axis
    rot = np.linalg.qr(rng.standard_normal((d, d)))[0]
    cov = (rot * np.logspace(0, -log_cond, d)) @ rot.T * 10.0 ** rng.uniform(-12, 12)
    z = rng.standard_normal((n, d))
    z = linalg.solve_triangular(np.linalg.cholesky(np.cov(z.T, bias=True).reshape(d, d)), (z - z.mean(0)).T, lower=True)
    mean = 10.0**log_offset * np.sqrt(np.diag(cov)) * rng.choice([-1.0, 1.0], d)
    x = mean + z.T @ np.linalg.cholesky(cov).T  # sample mean and covariance: mean and cov, to rounding
    fit = fit_forward_kl(x, covariance=covariance)
    assert fit.converged, fit.message
    u, w, atol, mle = forward_errors(fit, x, covariance)
    np.testing.assert_allclose(u, 0.0, atol=atol)
    np.testing.assert_allclose(w, 0.0, atol=atol)
    # history: average NLL in nats; at the MLE it is (d/2) (1 + log 2 pi) + (1/2) log det S, and
    # KL(MLE || fit) <= about d^2 atol^2 above it; log det S is good to about eps cond(S) only.
    # The start N(mean, diag(s^2)) has (d/2) (1 + log 2 pi) + sum_j log s_j.
    const = 0.5 * d * (1 + math.log(2 * math.pi))
    nll_min = const + 0.5 * np.linalg.slogdet(mle)[1]
    rounding = 1e-12 * (1 + abs(nll_min)) + 10 * np.finfo(float).eps * np.linalg.cond(mle)
    assert fit.value == pytest.approx(nll_min, abs=d**2 * atol**2 + rounding)
    assert fit.history[0] == pytest.approx(const + 0.5 * np.sum(np.log(np.diag(mle))), abs=1e-12 * (1 + abs(nll_min)))


@pytest.mark.parametrize(
    ("mean", "std", "n", "d"),
    [
        (1e3, 1e-3, 5000, 2),  # the review's cases: wrong yet "converged", then out of iterations
        (100.0, 1e-3, 2000, 2),
        (1e9, 1.0, 1000, 3),
        (0.0, 1e-100, 100, 1),  # beyond the bounds e^+-50 of the log std without standardisation
        (-3e100, 1e100, 100, 1),
    ],
)
def test_forward_on_data_far_from_the_standard_normal(mean, std, n, d):
    x = toys.Gaussian(mean=np.full(d, mean), cov=std**2 * np.eye(d)).sample(n, rng=0)
    for covariance in ["full", "diag"]:
        fit = fit_forward_kl(x, covariance=covariance)
        assert fit.converged, fit.message
        u, w, atol, _ = forward_errors(fit, x, covariance)
        assert np.max(np.abs(u)) <= atol and np.max(np.abs(w)) <= atol


def test_forward_check_flags_a_fit_that_stopped_far_from_the_mle():
    # From N(0, 1), data 1e9 sds away lie along a flat valley of the NLL (the best std for a mean m
    # is |m - xbar|), where the gradient falls below tol: L-BFGS-B reports success, the check does not.
    x = toys.Gaussian(1e9, 1.0).sample(100, rng=0)
    fit = fit_forward_kl(x, init=toys.Gaussian(0.0, 1.0))
    assert fit.message.startswith("CONVERGENCE")
    assert not fit.converged and "DISAGREES with the closed-form MLE" in fit.message
    assert abs(fit.distribution.mean - x.mean()) > 1e6
    good = fit_forward_kl(x)
    assert good.converged and "agrees with the closed-form MLE" in good.message


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
    fit = fit_forward_kl(toys.Gaussian(5.0, 0.1).sample(100, rng=6), init=toys.Gaussian(0.0, 1.0), max_iter=2)
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
        ([1e300, -1e300, 0.0], ValueError, "samples.*variances.*finite"),  # the variance overflows
    ],
)
def test_forward_rejects_bad_samples(samples, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl(samples)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        (TWO_MODES, TypeError, "init.*GaussianMixture"),
        (toys.Gaussian(mean=[0.0, 0.0]), ValueError, "init.*dimension of the samples, 1.*dim=2"),
        (toys.Gaussian(0.0, 1e30), ValueError, r"init divided by the samples' standard deviations.*exp"),
    ],
)
def test_forward_rejects_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        fit_forward_kl([0.0, 1.0, 3.0], init=init)


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
    ],
)
def test_reverse_rejects_bad_targets(target, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(target)


@pytest.mark.parametrize(
    ("init", "error", "match"),
    [
        (TWO_MODES, TypeError, "init.*GaussianMixture"),
        (toys.Gaussian(mean=[0.0, 0.0]), ValueError, "init.*dimension of the target, 1.*dim=2"),
    ],
)
def test_reverse_rejects_bad_init(init, error, match):
    with pytest.raises(error, match=match):
        fit_reverse_kl(TWO_MODES, init=init)


def test_reverse_rejects_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        fit_reverse_kl(TWO_MODES, rng="seed")
    with pytest.raises(TypeError, match="rng"):  # checked even when init makes it unused
        fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1.0), rng="seed")


@pytest.mark.parametrize(
    ("n_samples", "error"), [(1, ValueError), (2.5, TypeError), (True, TypeError), (np.int64(-3), ValueError)]
)
def test_reverse_rejects_bad_n_samples(n_samples, error):
    with pytest.raises(error, match=f"n_samples.*{re.escape(repr(n_samples))}"):
        fit_reverse_kl(TWO_MODES_3D, n_samples=n_samples)


def test_reverse_rejects_a_start_beyond_the_bounds_of_the_log_std():
    # before: L-BFGS-B moved the start inside its bounds without a word, after recording history[0] there
    with pytest.raises(ValueError, match=r"init must have a finite mean and standard deviations.*exp\(\+-50\)"):
        fit_reverse_kl(TWO_MODES, init=toys.Gaussian(3.0, 1e-30))


class HeavyTails(toys.ContinuousDistribution):
    """Student t with 2 degrees of freedom, a toy of its own: a density, but an infinite variance."""

    dim, mean, var = 1, 0.0, math.inf

    def logpdf(self, x):
        return stats.t(2).logpdf(x)

    def _sample(self, n, rng):
        return stats.t(2).rvs(n, random_state=rng)

    def parameters(self):
        return {}


def test_reverse_checks_the_default_start_before_drawing_it():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"no finite covariance.*give init"):
        fit_reverse_kl(HeavyTails(), rng=rng)
    assert rng.random() == np.random.default_rng(0).random()  # nothing drawn
    fit = fit_reverse_kl(HeavyTails(), init=toys.Gaussian(0.5, 1.0))  # the score by differences
    assert fit.converged and abs(fit.distribution.mean) < 1e-6
