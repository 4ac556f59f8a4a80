"""Random linear-Gaussian models and Gaussian q's for the VAE tests, from a seed drawn by hypothesis."""

import numpy as np
from hypothesis import strategies as st

from toys import LinearGaussian
from toys.strategies import seeds


def random_model(rng, d, k):
    """W with N(0, 1) entries times a scale in [0.3, 3], b in [-3, 3]^d, sigma in [0.2, 2]: well conditioned."""
    w = rng.standard_normal((d, k)) * rng.uniform(0.3, 3.0)
    return LinearGaussian(W=w, b=rng.uniform(-3, 3, d), sigma=float(rng.uniform(0.2, 2.0)))


def random_q(rng, k):
    """A Gaussian q: mean in [-2, 2]^k, covariance L L^T with diag(L) in [0.2, 1.5] and small off-diagonal entries."""
    chol = np.diag(rng.uniform(0.2, 1.5, k)) + np.tril(0.3 * rng.standard_normal((k, k)), -1)
    return rng.uniform(-2, 2, k), chol @ chol.T


@st.composite
def problems(draw, max_d=5, max_k=4):
    """(model, x, q_mean, q_cov, rng): a random model, an observation from it (or far from it), a random q."""
    rng = np.random.default_rng(draw(seeds()))
    d, k = draw(st.integers(1, max_d)), draw(st.integers(1, max_k))
    model = random_model(rng, d, k)
    x = model.sample(1, rng=rng)[0][0] * (10.0 if draw(st.booleans()) else 1.0)  # typical or far in the tail
    q_mean, q_cov = random_q(rng, k)
    return model, x, q_mean, q_cov, rng
