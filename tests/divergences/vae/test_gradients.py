"""The ELBO's gradient in (q_mean, q_log_std): exact, and its reparameterisation and score-function estimators.

Oracles: central finite differences of the closed-form ELBO (for the exact gradient), the exact
gradient (for the estimators' means, within 5 of their own measured standard errors), and the closed
forms of the reparameterised draws' variances (reparameterisation_gradient's Notes).
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from divergences.vae import elbo, elbo_gradient, reparameterisation_gradient, score_function_gradient
from toys import LinearGaussian
from toys.strategies import seeds

from .models import random_model

#: Tolerance of a Monte Carlo mean against the exact value, in its measured standard errors: a
#: component of an unbiased estimator falls outside with probability 6e-7 (Gaussian tails; the
#: averages of 10^4-10^5 draws are close to Gaussian).
N_SE = 5
#: The running example: d = 8, k = 2, a typical observation (log p(x) = -9.33), and a q near the posterior
#: (posterior mean (-0.44, -0.19), standard deviations (0.21, 0.21)) but not at it: ELBO = -10.42.
W = [[1.0, 0.0], [0.5, 2.0], [0.0, 1.0], [1.5, -0.5], [0.3, 0.3], [-1.0, 0.5], [0.0, 0.0], [0.8, 0.2]]
MODEL = LinearGaussian(W=W, b=[0, 1, 0, -1, 0, 0, 1, 0], sigma=0.5)
X = np.array([0.2, 0.7, -1.0, -1.9, -0.6, 0.6, 0.2, -0.4])
MU, RHO = np.array([-0.4, 0.1]), np.array([-1.8, -1.8])


def _exact():
    return np.concatenate(elbo_gradient(MODEL, X, MU, RHO))


@given(seeds(), st.integers(1, 4))
def test_exact_gradient_is_the_derivative_of_the_closed_form(seed, k):
    rng = np.random.default_rng(seed)
    model = random_model(rng, 4, k)
    x = model.sample(1, rng=rng)[0][0]
    mu, rho = rng.normal(size=k), rng.uniform(-1.5, 0.5, k)
    d_mean, d_log_std = elbo_gradient(model, x, mu, rho)

    def f(m, r):
        return elbo(model, x, m, q_std=np.exp(r))

    h = 1e-5  # central differences: truncation h^2 f''' ~ 1e-10, rounding 1e-16 |f| / h ~ 1e-10
    for j in range(k):
        e = np.eye(k)[j] * h
        fd_mean = (f(mu + e, rho) - f(mu - e, rho)) / (2 * h)
        fd_rho = (f(mu, rho + e) - f(mu, rho - e)) / (2 * h)
        scale = max(1.0, abs(f(mu, rho)))
        assert abs(d_mean[j] - fd_mean) <= 1e-6 * scale, (j, d_mean[j], fd_mean)
        assert abs(d_log_std[j] - fd_rho) <= 1e-6 * scale, (j, d_log_std[j], fd_rho)


@pytest.mark.parametrize(
    ("estimator", "n"), [(reparameterisation_gradient, 20_000), (score_function_gradient, 400_000)]
)
def test_both_estimators_are_unbiased(estimator, n):
    est = estimator(MODEL, X, MU, RHO, n_samples=n, rng=2024)
    exact = _exact()
    # power: the standard errors are small against the gradient, so a wrong term would show
    assert np.all(est.standard_error < 0.2 * np.abs(exact)), (est.standard_error, exact)
    assert np.all(np.abs(est.value - exact) <= N_SE * est.standard_error), (est.value, exact, est.standard_error)


def test_the_unbiasedness_check_catches_a_biased_estimator():
    """The same check rejects the reparameterisation estimator without its entropy term (+1 per log_std)."""
    est = reparameterisation_gradient(MODEL, X, MU, RHO, n_samples=20_000, rng=2024)
    biased_log_std = est.d_log_std - 1.0
    exact_log_std = elbo_gradient(MODEL, X, MU, RHO)[1]
    assert np.all(np.abs(biased_log_std - exact_log_std) > N_SE * est.standard_error[2:])


def test_reparameterised_variances_match_their_closed_forms():
    n = 200_000
    est = reparameterisation_gradient(MODEL, X, MU, RHO, n_samples=n, rng=5)
    s = np.exp(RHO)
    a = MODEL.W.T @ MODEL.W / MODEL.sigma**2 + np.eye(2)
    c = elbo_gradient(MODEL, X, MU, RHO)[0]
    var_mean = np.diag(a @ np.diag(s**2) @ a)  # the draws of d/d mean are N(c, A S^2 A)
    off = (a * a) @ (s * s) - np.diag(a) ** 2 * s * s  # sum over l != j of A_jl^2 s_l^2
    var_log_std = s * s * (c * c + 2 * np.diag(a) ** 2 * s * s + off)
    expected = np.concatenate([var_mean, var_log_std])
    # a sample variance has relative standard error sqrt((kurtosis - 1) / n): sqrt(2/n) for the Gaussian draws
    # of d/d mean; for d/d log_std (products of Gaussians, kurtosis below 15) sqrt(14/n)
    rel_se = np.sqrt(np.array([2, 2, 14, 14]) / n)
    assert np.all(np.abs(est.variance / expected - 1) <= N_SE * rel_se), (est.variance, expected)


def test_reparameterisation_has_much_lower_variance_than_the_score_function():
    n = 100_000
    path = reparameterisation_gradient(MODEL, X, MU, RHO, n_samples=n, rng=9)
    score = score_function_gradient(MODEL, X, MU, RHO, n_samples=n, rng=9)
    ratio = score.variance / path.variance
    # measured (seeds 9-11): 285, 252, 257, 97 per component, 258 in total; each variance to ~1% (n = 1e5)
    assert np.all(ratio > 50), ratio
    assert score.variance.sum() > 100 * path.variance.sum()


@given(seeds(), st.integers(1, 3), st.integers(3, 6))
def test_at_a_diagonal_posterior_the_score_draws_are_minus_log_p_times_the_pathwise_ones(seed, k, d):
    """q = p(z | x) makes f(z) = log p(x, z) - log q(z) = log p(x) constant, and with orthogonal columns of W
    the posterior is diagonal. Then, from the same draws, the pathwise draws are -eps/s and 1 - eps^2, the
    score-function draws log p(x) eps/s and log p(x)(eps^2 - 1): the variance ratio is exactly log p(x)^2."""
    rng = np.random.default_rng(seed)
    columns = np.linalg.qr(rng.standard_normal((d, k)))[0] * rng.uniform(0.5, 3.0, k)  # orthogonal columns
    model = LinearGaussian(W=columns, b=rng.uniform(-2, 2, d), sigma=float(rng.uniform(0.3, 2.0)))
    x = model.sample(1, rng=rng)[0][0]
    mu, rho = model.posterior_mean(x), 0.5 * np.log(np.diag(model.posterior_cov))
    path = reparameterisation_gradient(model, x, mu, rho, n_samples=200, rng=seed)
    score = score_function_gradient(model, x, mu, rho, n_samples=200, rng=seed)
    log_p = model.log_marginal(x)
    assert np.allclose(score.draws, -log_p * path.draws, rtol=1e-9, atol=1e-9 * max(1.0, abs(log_p)))


def test_same_seed_same_draws():
    a = reparameterisation_gradient(MODEL, X, MU, RHO, n_samples=50, rng=3)
    b = reparameterisation_gradient(MODEL, X, MU, RHO, n_samples=50, rng=np.random.default_rng(3))
    assert np.array_equal(a.draws, b.draws) and a.draws.shape == (50, 4)
    assert a.value.shape == (4,) and a.d_mean.shape == (2,) and a.d_log_std.shape == (2,)
    one = score_function_gradient(MODEL, X, MU, RHO, n_samples=1, rng=3)
    assert np.all(np.isnan(one.variance)) and np.all(np.isfinite(one.value))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n_samples": 0}, ValueError, "n_samples must be a positive integer"),
        ({"n_samples": 10.0}, TypeError, "n_samples"),
        ({"rng": None}, TypeError, "rng must be an int seed"),
        ({"rng": -1}, ValueError, "rng must be a non-negative seed"),
        ({"q_log_std": [0.0]}, ValueError, r"q_log_std must have shape \(2,\)"),
        ({"q_log_std": [0.0, 400.0]}, ValueError, "q_log_std must lie within"),
        ({"q_mean": [0.0, math.inf]}, ValueError, "q_mean must contain only finite"),
        ({"x": np.zeros((2, 8))}, ValueError, r"x must have shape \(8,\)"),
        ({"model": "ppca"}, TypeError, "model must be a toys.LinearGaussian"),
    ],
)
@pytest.mark.parametrize("estimator", [reparameterisation_gradient, score_function_gradient])
def test_bad_input_is_refused_naming_the_parameter(estimator, kwargs, error, match):
    args = {"model": MODEL, "x": X, "q_mean": MU, "q_log_std": RHO, "n_samples": 10, "rng": 0} | kwargs
    with pytest.raises(error, match=match):
        estimator(**args)
