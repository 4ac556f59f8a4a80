r"""E_q[log p] under a Gaussian q, and its gradients, for the reverse KL fit (:mod:`divergences.fitting`).

For a Gaussian ``p`` the expectation has a closed form (:func:`gaussian_log_expectation`). In 3
or more dimensions it is taken in the standardised variable :math:`z` of :math:`x = \mu + Lz`,
:math:`z \sim N(0, I_d)`, by a rule of nodes :math:`z_k` and weights :math:`w_k` that does not
depend on :math:`(\mu, L)` (:func:`rule_log_expectation`):

.. math:: E_q[f] \approx \sum_k w_k\, f(\mu + Lz_k).

The estimate is then a smooth deterministic function of :math:`(\mu, L)`, which a quasi-Newton
method can minimise, with the reparametrisation gradient. In 1-D and 2-D the expectation is
taken by adaptive quadrature instead, as accurately as the divergences
(:mod:`divergences.fitting.accurate`).

* :func:`monte_carlo_nodes`: ``n`` seeded standard-normal draws with weights ``1/n`` (common
  random numbers), in any dimension; error of order :math:`n^{-1/2}`.
* :func:`score_function`: :math:`\nabla\log p`, needed by the gradient.
"""

import functools

import numpy as np
from scipy import linalg, special


def monte_carlo_nodes(d, n, rng):
    """``n`` draws z (n, d) from N(0, I_d) by the Generator ``rng``, and weights 1/n (n,)."""
    return rng.standard_normal((n, d)), np.full(n, 1.0 / n)


def logpdf_at(target, x):
    """``target.logpdf`` at the points x (k, d), as a float array of shape (k,)."""
    return np.asarray(target.logpdf(x if x.shape[1] > 1 else x[:, 0]), dtype=float)


def gaussian_log_expectation(target):
    r"""(m, L) -> (E_q[log p], its gradients in m and in L) for q = N(m, LL^T) and a toys.Gaussian p.

    In closed form: with :math:`\delta = m - \mu_p`, :math:`E_q[\log p] = -\tfrac12[\operatorname{tr}
    (\Sigma_p^{-1}LL^\top) + \delta^\top\Sigma_p^{-1}\delta + \log\det(2\pi\Sigma_p)]`, with
    gradients :math:`-\Sigma_p^{-1}\delta` and :math:`-\Sigma_p^{-1}L`.
    """
    d = target.dim
    mean_p = np.atleast_1d(target.mean)
    chol_p = np.linalg.cholesky(np.atleast_2d(target.var if d == 1 else target.cov))
    constant = np.sum(np.log(np.diag(chol_p))) + 0.5 * d * np.log(2 * np.pi)

    def expectation(m, chol):
        a = linalg.solve_triangular(chol_p, chol, lower=True)  # L_p^-1 L
        delta = linalg.solve_triangular(chol_p, m - mean_p, lower=True)  # L_p^-1 (m - mu_p)
        value = -0.5 * (np.sum(a * a) + delta @ delta) - constant
        grad_m = -linalg.solve_triangular(chol_p, delta, lower=True, trans="T")
        return value, grad_m, -linalg.solve_triangular(chol_p, a, lower=True, trans="T")

    return expectation


def rule_log_expectation(target, z, w):
    r"""(m, L) -> (the rule's E_q[log p], its gradients in m and in L) for q = N(m, LL^T).

    :math:`\sum_k w_k \log p(x_k)`, :math:`x_k = m + Lz_k`, and the reparametrisation gradients
    :math:`\sum_k w_k s(x_k)` and :math:`\sum_k w_k s(x_k) z_k^\top`, with the score s of
    :func:`score_function`.
    """
    score = score_function(target)

    def expectation(m, chol):
        x = m + z @ chol.T  # (k, d)
        g = w[:, None] * score(x)  # (k, d): weighted gradients of log p at the nodes
        return w @ logpdf_at(target, x), g.sum(axis=0), g.T @ z

    return expectation


def score_function(target):
    """x (k, d) -> gradient of ``target.logpdf`` at x, shape (k, d).

    Exact for laws that describe themselves as Gaussian mixtures (``as_mixture``: toys.Gaussian
    and toys.GaussianMixture): the responsibility-weighted sum of the components' scores. Central
    differences otherwise (relative error about 1e-10).
    """
    if not hasattr(target, "as_mixture"):
        return functools.partial(_score_by_differences, target)
    weights, means, covs = target.as_mixture()  # (K,), (K, d), (K, d, d)
    keep = weights > 0
    log_w, means, prec = np.log(weights[keep]), means[keep], np.linalg.inv(covs[keep])
    log_w = log_w - 0.5 * np.linalg.slogdet(covs[keep])[1]

    def score(x):
        diff = x[:, None, :] - means  # (k, K, d)
        pulled = np.einsum("jab,kjb->kja", prec, diff)  # Sigma_j^-1 (x - mu_j)
        log_r = log_w - 0.5 * np.sum(diff * pulled, axis=-1)  # (k, K), up to a constant per row
        r = np.exp(log_r - special.logsumexp(log_r, axis=1, keepdims=True))  # responsibilities
        return -np.einsum("kj,kja->ka", r, pulled)

    return score


def _score_by_differences(target, x):
    d = x.shape[1]
    out = np.empty_like(x)
    for a in range(d):
        h = 1e-5 * (1.0 + np.abs(x[:, a]))
        step = np.zeros_like(x)
        step[:, a] = h
        out[:, a] = (logpdf_at(target, x + step) - logpdf_at(target, x - step)) / (2 * h)
    return out
