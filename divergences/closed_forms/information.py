r"""Entropy and cross-entropy in closed form (Cover and Thomas 2006, Ch. 2 and 8).

:math:`H(P) = \tfrac12\log\det(2\pi e\Sigma)` for a Gaussian, :math:`\log(b - a)` for a uniform law,
:math:`1 - \log\lambda` for an exponential one and :math:`-\sum_i p_i\log p_i` for a discrete one; the
cross-entropies :math:`H(P, Q) = -E_P \log q` for a Gaussian Q (only the first two moments of P
enter), pairs of exponential or uniform laws, discrete P (the average negative log-likelihood),
and the infinite cases where Q vanishes on a set that P charges.

References
----------
.. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley 2006, Ch. 2
   and Ch. 8 (differential entropy; Table 17.1).
"""

import math

import numpy as np
from scipy import linalg, special

from toys import Exponential, Gaussian, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution, Distribution, SingularDistribution

from ..registry import register

_LOG_2PI = math.log(2 * math.pi)


# -- closed forms of the entropy ----------------------------------------------------------------
@register("entropy", Gaussian)
def _entropy_gaussian(p):
    return 0.5 * (p.dim * (1.0 + _LOG_2PI) + p.logdet)


@register("entropy", Uniform)
def _entropy_uniform(p):
    return math.log(p.width)


@register("entropy", Exponential)
def _entropy_exponential(p):
    return 1.0 - math.log(p.rate)


@register("entropy", DiscreteDistribution)
def _entropy_discrete(p):
    return float(np.sum(special.entr(p.probs)))


# -- closed forms of the cross-entropy ----------------------------------------------------------
@register("cross_entropy", Distribution, Gaussian)
@register("cross_entropy", ContinuousDistribution, Gaussian)  # before the support rule below, which a Gaussian passes
def _cross_gaussian(p, q):
    """-E_P log q for a Gaussian q: only the first two moments of P enter."""
    if hasattr(p, "as_mixture"):
        # E_P (x - mu_q)^T Sigma_q^-1 (x - mu_q) from P's components, each whitened by q's Cholesky
        # factor L_q and summed term by term: P's mean (rounded far from the origin, by 1.5e-8 at
        # 1e8) does not enter, and cov_k + d d^T, which may overflow (1.8e308 + 4e300) when neither
        # whitened term does, is never formed
        w, mu, cov = p.as_mixture()
        total = 0.0
        for wk, mk, ck in zip(w, mu, cov, strict=True):
            if wk == 0.0:
                continue
            z = linalg.solve_triangular(q.chol, mk - q.mean, lower=True)
            a = linalg.solve_triangular(q.chol, _chol(ck), lower=True)  # L_q^-1 L_k
            total += wk * (float(np.sum(a * a)) + float(z @ z))
        return 0.5 * (q.dim * _LOG_2PI + q.logdet) + 0.5 * total
    if p.dim == 1:
        mean, var = getattr(p, "mean", None), getattr(p, "var", None)
        if mean is None or var is None or not (np.isfinite(mean) and np.isfinite(var)):
            return NotImplemented
        # term by term in the standard deviations of q: var_p + delta^2 may overflow (1.8e308 + 4e300)
        # when neither term divided by var_q does, and a float ** 2 raises OverflowError
        delta = (mean - q.mean) / q.std
        return 0.5 * _LOG_2PI + math.log(q.std) + 0.5 * (var / q.var) + 0.5 * delta * delta
    mean, cov = getattr(p, "mean", None), getattr(p, "cov", None)
    if mean is None or cov is None or not (np.all(np.isfinite(mean)) and np.all(np.isfinite(cov))):
        return NotImplemented
    # tr(cov_q^-1 cov_p) + |L_q^-1 delta|^2, whitened by q's Cholesky factor L_q and halved term by
    # term: cov_p + delta delta^T may overflow when neither whitened term does
    half = linalg.solve_triangular(q.chol, np.asarray(cov, dtype=float), lower=True)  # L_q^-1 cov_p
    trace = float(np.trace(linalg.solve_triangular(q.chol, half.T, lower=True)))
    delta = linalg.solve_triangular(q.chol, np.asarray(mean, dtype=float) - q.mean, lower=True)
    return 0.5 * (q.dim * _LOG_2PI + q.logdet) + 0.5 * trace + 0.5 * float(delta @ delta)


def _chol(cov):
    """A factor L with L L^T = cov, for a covariance the constructors accepted (1 x 1: its sqrt)."""
    if cov.shape == (1, 1):
        return np.sqrt(cov)
    return np.linalg.cholesky(cov)


@register("cross_entropy", Exponential, Exponential)
def _cross_exponential(p, q):
    if p.loc < q.loc:
        return math.inf
    return -math.log(q.rate) + q.rate * (p.mean - q.loc)


@register("cross_entropy", Uniform, Uniform)
def _cross_uniform(p, q):
    if p.low < q.low or p.high > q.high:
        return math.inf
    return math.log(q.width)


@register("cross_entropy", DiscreteDistribution, DiscreteDistribution)
def _cross_discrete(p, q):
    w = p.probs > 0
    mass = q.pmf(p.atoms[w])
    if np.any(mass == 0):
        return math.inf
    return -float(np.dot(p.probs[w], np.log(mass)))


@register("cross_entropy", DiscreteDistribution, ContinuousDistribution)
@register("cross_entropy", DiscreteDistribution, Gaussian)  # the atoms' log-likelihood, rather than the moments
def _cross_atoms_density(p, q):
    """-sum_i p_i log q(a_i): the average negative log-likelihood when p is an empirical law."""
    w = p.probs > 0
    log_q = np.asarray(q.logpdf(p.atoms[w]), dtype=float)
    if np.any(log_q == -np.inf):
        return math.inf
    return -float(np.dot(p.probs[w], log_q))


@register("cross_entropy", ContinuousDistribution, DiscreteDistribution)
@register("cross_entropy", SingularDistribution, DiscreteDistribution)
def _cross_to_atoms(p, q):
    """q is 0 off finitely many points, which P does not charge."""
    return math.inf


@register("cross_entropy", ContinuousDistribution, ContinuousDistribution)
def _cross_supports(p, q):
    """inf when the support of p is not inside that of q (1-D); other pairs go on."""
    if p.dim == 1:
        (a, b), (c, d) = p.support, q.support
        if a < c or b > d:
            return math.inf
    return NotImplemented
