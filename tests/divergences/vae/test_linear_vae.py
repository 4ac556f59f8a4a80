"""The linear VAE reaches the maximum-likelihood probabilistic PCA (Tipping and Bishop 1999).

Oracles: the closed-form maximum of the log-likelihood and its maximiser (eigen-decomposition of the
sample covariance), checked first against the model's own log-density and against perturbations; the
step's gradients against central differences of the estimate they differentiate.
"""

import math

import numpy as np
import pytest
from scipy.linalg import subspace_angles

from divergences.vae import LinearVAESettings, fit_linear_vae, ppca_maximum_likelihood
from divergences.vae.linear import _batch_elbo, _batch_gradients
from toys import LinearGaussian

#: The data: 400 draws of a d = 5, k = 2 model with well separated principal variances (9.9 and 3.7
#: in the sample, against discarded ones of 0.29, 0.26, 0.24), so the principal subspace is well defined.
TRUTH = LinearGaussian(
    W=[[3.0, 0.0], [1.0, 1.5], [0.0, 1.0], [0.5, -0.5], [0.0, 0.3]], b=[1.0, -1.0, 0.5, 0.0, 2.0], sigma=0.5
)
DATA = TRUTH.sample(400, rng=1)[0]


# -- the closed-form target ------------------------------------------------------------------------
def test_ppca_maximum_is_the_closed_form_value_and_a_maximum():
    n, d = DATA.shape
    fit = ppca_maximum_likelihood(DATA, 2)
    lam = np.linalg.eigvalsh(np.cov(DATA.T, bias=True))[::-1]
    sigma2 = lam[2:].mean()
    best = -n / 2 * (d * math.log(2 * math.pi) + np.sum(np.log(lam[:2])) + (d - 2) * math.log(sigma2) + d)
    assert math.isclose(fit.sigma**2, sigma2, rel_tol=1e-12)
    assert math.isclose(fit.log_marginal(DATA).sum(), best, rel_tol=1e-12)
    # any rotation R of the latent space gives the same law; every perturbation of (W, b, sigma) lowers it
    rotation = np.array([[0.6, -0.8], [0.8, 0.6]])
    rotated = LinearGaussian(W=fit.W @ rotation, b=fit.b, sigma=fit.sigma)
    assert math.isclose(rotated.log_marginal(DATA).sum(), best, rel_tol=1e-12)
    rng = np.random.default_rng(0)
    for _ in range(20):
        moved = LinearGaussian(
            W=fit.W + 1e-3 * rng.standard_normal(fit.W.shape),
            b=fit.b + 1e-3 * rng.standard_normal(5),
            sigma=fit.sigma * math.exp(1e-3 * rng.standard_normal()),
        )
        assert moved.log_marginal(DATA).sum() < best


@pytest.mark.parametrize(
    ("x", "k", "error", "match"),
    [
        (DATA, 5, ValueError, "k must be less than the dimension of the data, 5"),
        (DATA, 0, ValueError, "k must be an integer >= 1"),
        (DATA, 1.0, TypeError, "k must be an integer"),
        (DATA[:1], 1, ValueError, "n >= 2 points in d >= 2"),
        (np.c_[DATA[:, :2], DATA[:, :2] * 2], 2, ValueError, "must not lie in a 2-dimensional affine subspace"),
        ([[0.0, "a"]], 1, TypeError, "x must be an array of real numbers"),
    ],
)
def test_ppca_refuses_bad_input(x, k, error, match):
    with pytest.raises(error, match=match):
        ppca_maximum_likelihood(x, k)


# -- the training step -----------------------------------------------------------------------------
def test_the_step_gradients_are_the_derivatives_of_the_batch_estimate():
    rng = np.random.default_rng(3)
    params = {
        "W": rng.normal(size=(5, 2)),
        "b": rng.normal(size=5),
        "log_sigma": np.array(-0.3),
        "V": rng.normal(size=(2, 5)) * 0.3,
        "c": rng.normal(size=2),
        "log_s": rng.normal(size=2) * 0.3,
    }
    x, eps = DATA[:7], rng.standard_normal((3, 7, 2))
    grads = _batch_gradients(params, x, eps)
    h = 1e-6
    for name, value in params.items():
        fd = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus, minus = {**params, name: value.copy()}, {**params, name: value.copy()}
            plus[name][idx] += h
            minus[name][idx] -= h
            fd[idx] = (_batch_elbo(plus, x, eps) - _batch_elbo(minus, x, eps)) / (2 * h)
        assert np.allclose(grads[name], fd, rtol=1e-6, atol=1e-6), name


# -- the trained VAE against the closed form -------------------------------------------------------
#: Tolerances for the default settings (4000 Adam steps, step size 0.1 decayed to 1e-4, one draw of z
#: per point). Measured over seeds 0-15 on these data: log-likelihood within 1.0e-5 nats per point
#: of the maximum, ELBO gap (mean KL(q(z|x) || p(z|x))) below 2.7e-4, largest principal angle 7.8e-4.
#: The slowest direction is the rotation of the decoder's columns, which the likelihood does not see
#: and the ELBO's diagonal encoder resolves only weakly; the bounds leave about a factor 10.
LOGLIK_TOL = 1e-4  # nats per point
GAP_TOL = 3e-3  # nats per point
ANGLE_TOL = 1e-2  # radians


def test_a_linear_vae_ends_at_the_ppca_maximum_likelihood():
    best = ppca_maximum_likelihood(DATA, 2)
    best_loglik = best.log_marginal(DATA).mean()
    vae = fit_linear_vae(DATA, 2, seed=0)
    decoder = vae.decoder
    # the decoder's column space is the top-2 principal subspace of the data
    assert np.max(subspace_angles(decoder.W, best.W)) < ANGLE_TOL
    # its log-likelihood is the maximum, from below; the ELBO is below it by the average KL to the posterior
    assert 0 <= best_loglik - vae.log_likelihood[-1] < LOGLIK_TOL
    assert 0 <= vae.gap < GAP_TOL
    assert math.isclose(decoder.sigma, best.sigma, rel_tol=1e-3) and np.allclose(decoder.b, best.b, atol=1e-2)
    assert np.allclose(decoder.W @ decoder.W.T, best.W @ best.W.T, atol=2e-2 * np.abs(best.W @ best.W.T).max())
    # the diagonal encoder is (nearly) the exact posterior: the decoder's columns are (nearly) orthogonal
    gram = decoder.W.T @ decoder.W
    assert abs(gram[0, 1]) < 1e-2 * math.sqrt(gram[0, 0] * gram[1, 1])
    # the exact curves: from far below, the ELBO rose and stays below the log-likelihood
    assert vae.elbo[0] < best_loglik - 1 and np.all(vae.elbo <= vae.log_likelihood + 1e-12)
    assert vae.steps[0] == 0 and vae.steps[-1] == 4000 and vae.settings == LinearVAESettings()


def test_minibatches_and_several_draws_reach_it_too():
    best_loglik = ppca_maximum_likelihood(DATA, 2).log_marginal(DATA).mean()
    vae = fit_linear_vae(DATA, 2, steps=2000, batch_size=100, n_samples=4, seed=1, record_every=500)
    assert 0 <= best_loglik - vae.log_likelihood[-1] < 1e-3  # measured 5.7e-5: minibatch noise at the end
    assert vae.steps.tolist() == [0, 500, 1000, 1500, 2000]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"steps": 0}, ValueError, "steps must be a positive integer"),
        ({"learning_rate": -1.0}, ValueError, "learning_rate must be > 0"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive integer"),
        ({"betas": (0.9, 1.0)}, ValueError, r"betas must be two numbers in \[0, 1\)"),
        ({"seed": -1}, ValueError, "seed must be a non-negative integer seed"),
        ({"progress": "yes"}, TypeError, "progress must be True, False or None"),
        ({"lr": 0.1}, TypeError, r"unknown option\(s\) \['lr'\]"),
        ({"k": 5}, ValueError, "k must be less than the dimension of the data"),
        ({"x": DATA[:, :1]}, ValueError, "n >= 2 points in d >= 2 dimensions"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(kwargs, error, match):
    args = {"x": DATA, "k": 2} | kwargs
    with pytest.raises(error, match=match):
        fit_linear_vae(**args)
