"""Forward KL fits of a Gaussian: maximum likelihood (divergences.fit_forward_kl).

Oracle: the closed-form maximum-likelihood estimate, computed exactly in rational arithmetic from
the float samples.
"""

import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import linalg, stats

import toys
from divergences.fitting import FitResult, fit_forward_kl

from .fits import TWO_MODES, assert_converged_history, correlated, forward_errors


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
