"""toys.LinearGaussian (probabilistic PCA): validation, the marginal and posterior, densities, sampling.

Oracles: Gaussian conditioning of the joint law of (z, x) written out in d + k dimensions (no M,
no Woodbury), scipy.stats.multivariate_normal, Bayes' rule, and seeded sample moments.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from toys import Gaussian, LinearGaussian
from toys.strategies import seeds


def _model(rng, d, k):
    return LinearGaussian(
        W=rng.standard_normal((d, k)) * rng.uniform(0.3, 3.0), b=rng.uniform(-3, 3, d), sigma=rng.uniform(0.2, 2.0)
    )


def _cov(g):
    return np.atleast_2d(g.var if g.dim == 1 else g.cov)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: LinearGaussian(W=[1.0, 2.0]), ValueError, r"W must be a non-empty 2-D array of shape \(d, k\)"),
        (lambda: LinearGaussian(W=np.zeros((0, 2))), ValueError, "W must be a non-empty 2-D array"),
        (lambda: LinearGaussian(W=[[1.0, math.nan]]), ValueError, "W must contain only finite numbers"),
        (lambda: LinearGaussian(W=[[1e200]]), ValueError, "W must lie within"),
        (lambda: LinearGaussian(W=None), TypeError, "W must be an array of real numbers"),
        (lambda: LinearGaussian(W=[[True]]), TypeError, "W must be an array of real numbers"),
        (lambda: LinearGaussian(W=[[1.0], [2.0]], b=[0.0]), ValueError, r"b must have shape \(2,\) to match W"),
        (lambda: LinearGaussian(W=[[1.0]], b=["a"]), TypeError, "b must be an array of real numbers"),
        (lambda: LinearGaussian(W=[[1.0]], sigma=0.0), ValueError, "sigma must be > 0"),
        (lambda: LinearGaussian(W=[[1.0]], sigma=-1.0), ValueError, "sigma must be > 0"),
        (lambda: LinearGaussian(W=[[1.0]], sigma=math.inf), ValueError, "sigma must be finite"),
        (lambda: LinearGaussian(W=[[1.0]], sigma="1"), TypeError, "sigma must be a real number"),
        # sigma tiny against W: W W^T + sigma^2 I is singular to working precision
        (lambda: LinearGaussian(W=[[1.0], [1.0]], sigma=1e-6), ValueError, "W and sigma must give a marginal"),
    ],
)
def test_bad_parameters_are_refused_naming_them(make, error, match):
    with pytest.raises(error, match=match):
        make()


@given(seeds(), st.integers(1, 5), st.integers(1, 4))
def test_marginal_and_posterior_are_the_conditionals_of_the_joint_gaussian(seed, d, k):
    rng = np.random.default_rng(seed)
    model = _model(rng, d, k)
    w, b, s2 = model.W, model.b, model.sigma**2
    # the joint law of (z, x): mean (0, b), covariance [[I, W^T], [W, W W^T + sigma^2 I]]
    c = w @ w.T + s2 * np.eye(d)
    marginal = model.marginal()
    assert np.allclose(_cov(marginal), c, rtol=1e-13, atol=1e-13 * c.max())
    assert np.allclose(np.atleast_1d(marginal.mean), b, rtol=0, atol=0)
    x = model.sample(1, rng=rng)[0][0]
    post = model.posterior(x)
    gain = np.linalg.solve(c, w).T  # W^T C^{-1}, (k, d)
    assert np.allclose(np.atleast_1d(post.mean), gain @ (x - b), rtol=1e-9, atol=1e-9)
    assert np.allclose(_cov(post), np.eye(k) - gain @ w, rtol=1e-9, atol=1e-9)
    assert np.allclose(model.posterior_mean(x[None, :]), gain @ (x - b), atol=1e-9)
    assert post.dim == k and marginal.dim == d


@given(seeds(), st.integers(1, 5), st.integers(1, 3))
def test_densities_against_scipy_and_bayes_rule(seed, d, k):
    rng = np.random.default_rng(seed)
    model = _model(rng, d, k)
    x, z = model.sample(4, rng=rng)
    c = model.W @ model.W.T + model.sigma**2 * np.eye(d)
    expected = stats.multivariate_normal(model.b, c).logpdf(x)
    assert np.allclose(model.log_marginal(x), expected, rtol=1e-12, atol=1e-12)
    assert math.isclose(model.log_marginal(x[0]), expected[0], rel_tol=1e-12, abs_tol=1e-12)
    noise = model.sigma**2 * np.eye(d)
    cond = [stats.multivariate_normal(model.W @ zi + model.b, noise).logpdf(xi) for xi, zi in zip(x, z)]
    assert np.allclose(model.log_conditional(x, z), cond, rtol=1e-12, atol=1e-12)
    # Bayes: log p(x) = log p(x | z) + log p(z) - log p(z | x), at any z
    for xi, zi in zip(x, z):
        post = model.posterior(xi)
        log_prior = -0.5 * zi @ zi - 0.5 * k * math.log(2 * math.pi)
        log_post = post.logpdf(zi[0] if k == 1 else zi)
        bayes = model.log_conditional(xi, zi) + log_prior - log_post
        assert math.isclose(model.log_marginal(xi), bayes, rel_tol=1e-10, abs_tol=1e-10)


def test_ancestral_samples_have_the_model_moments():
    model = LinearGaussian(W=[[2.0, 0.0], [1.0, 1.0], [0.0, 0.5]], b=[1.0, -1.0, 0.0], sigma=0.5)
    n = 100_000
    x, z = model.sample(n, rng=3)
    assert x.shape == (n, 3) and z.shape == (n, 2)
    c = model.W @ model.W.T + 0.25 * np.eye(3)
    # 5 standard errors: sd(mean_j) = sqrt(C_jj / n); sd(cov_ij) = sqrt((C_ii C_jj + C_ij^2) / n) for Gaussians
    assert np.all(np.abs(x.mean(axis=0) - model.b) <= 5 * np.sqrt(np.diag(c) / n))
    se_cov = np.sqrt((np.outer(np.diag(c), np.diag(c)) + c * c) / n)
    assert np.all(np.abs(np.cov(x.T) - c) <= 5 * se_cov)
    assert np.all(np.abs(np.cov(z.T) - np.eye(2)) <= 5 * np.sqrt((1 + np.eye(2)) / n))
    residual = x - z @ model.W.T - model.b  # the noise: N(0, sigma^2 I), independent of z
    assert np.all(np.abs(residual.var(axis=0) / 0.25 - 1) <= 5 * math.sqrt(2 / n))
    seeded, generated = model.sample(5, rng=7), model.sample(5, rng=np.random.default_rng(7))
    assert np.array_equal(seeded[0], generated[0]) and np.array_equal(seeded[1], generated[1])
    assert model.sample(0, rng=0)[0].shape == (0, 3)


def test_one_dimensional_cases_and_the_repr():
    line = LinearGaussian(W=[[2.0]], b=[1.0], sigma=1.5)  # d = k = 1: N(1, 4 + 2.25)
    assert isinstance(line.marginal(), Gaussian) and line.marginal().dim == 1
    assert math.isclose(line.marginal().var, 6.25) and line.marginal().mean == 1.0
    assert math.isclose(line.posterior([3.0]).mean, 2.0 * 2.0 / 6.25)
    assert math.isclose(line.posterior([3.0]).var, 2.25 / 6.25)
    assert repr(line) == "LinearGaussian(W=[[2]], b=[1], sigma=1.5)"
    rebuilt = LinearGaussian(**line.parameters())
    assert np.array_equal(rebuilt.W, line.W) and rebuilt.sigma == line.sigma
    assert line.dim == 1 and line.latent_dim == 1 and line.prior().dim == 1
    with pytest.raises(ValueError, match="read-only"):
        line.W[0, 0] = 3.0  # read-only: the cached marginal and posterior stay right


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda m: m.posterior([[0.0, 0.0], [1.0, 1.0]]), r"x must be one point of shape \(2,\)"),
        (lambda m: m.posterior([0.0, 0.0, 0.0]), r"x must have shape \(2,\) for one point"),
        (lambda m: m.log_marginal(np.zeros((3, 4))), r"or \(n, 2\) for n >= 1 points"),
        (lambda m: m.log_conditional([0.0, 0.0], [0.0, 0.0]), r"z must have shape \(..., 1\)"),
        (lambda m: m.log_conditional([0.0], [0.0]), r"x must have shape \(..., 2\)"),
        (lambda m: m.sample(-1, rng=0), "n must be a non-negative integer"),
    ],
)
def test_methods_refuse_bad_points(call, match):
    with pytest.raises(ValueError, match=match):
        call(LinearGaussian(W=[[1.0], [2.0]]))
