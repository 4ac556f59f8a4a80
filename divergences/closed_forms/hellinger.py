r"""The squared Hellinger distance :math:`H^2 = 1 - \int\sqrt{pq}` in closed form.

:math:`\int\sqrt{pq}` is the Bhattacharyya coefficient BC. For Gaussians
:math:`N(\mu_p, \Sigma_p)`, :math:`N(\mu_q, \Sigma_q)` in any dimension, with
:math:`\bar\Sigma = (\Sigma_p + \Sigma_q)/2` and :math:`\Delta = \mu_q - \mu_p`,

.. math:: \ln BC = \tfrac14\ln\det\Sigma_p + \tfrac14\ln\det\Sigma_q - \tfrac12\ln\det\bar\Sigma
          - \tfrac18\Delta^\top\bar\Sigma^{-1}\Delta

(Bhattacharyya 1943; Kailath 1967, eq. 24). It is evaluated in the coordinates that whiten
:math:`\Sigma_p`, where :math:`\Sigma_q` has eigenvalues :math:`\lambda_i` and :math:`\Delta` has
coordinates :math:`z_i` along its eigenvectors:
:math:`\ln BC = -\tfrac12\sum_i \ln(1 + (\sqrt{\lambda_i} - 1)^2 / (2\sqrt{\lambda_i}))
- \tfrac14\sum_i z_i^2 / (1 + \lambda_i)`, every term of one sign, so that nearly equal laws
keep their small H² (``-expm1``) instead of cancelling it. Uniforms:
:math:`BC = \ell/\sqrt{w_p w_q}` with overlap :math:`\ell`; finite laws: :math:`\sum\sqrt{P_iQ_i}`;
mutually singular laws: 0.

References
----------
.. [1] A. Bhattacharyya, "On a measure of divergence between two statistical populations
   defined by their probability distributions", Bull. Calcutta Math. Soc. 35 (1943).
.. [2] T. Kailath, "The divergence and Bhattacharyya distance measures in signal selection",
   IEEE Trans. Commun. Technol. 15 (1967).
.. [3] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.
"""

import math

import numpy as np
from scipy import linalg

from toys import Gaussian, ShiftedLine, SmoothedLine, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution, SingularDistribution

from ..registry import register
from .continuity import _disjoint_1d
from .uniform import _off, _overlap

for _other in (DiscreteDistribution, SingularDistribution):
    register("hellinger", _other, ContinuousDistribution)(lambda p, q: 1.0)


@register("hellinger", ContinuousDistribution, ContinuousDistribution)
def _hellinger_disjoint(p, q):
    """H^2 = 1 for 1-D laws with disjoint supports."""
    return 1.0 if _disjoint_1d(p, q) else NotImplemented


def whitened(p, q):
    """``(lam, z)``: eigenvalues of Sigma_q and the mean difference in the coordinates whitening Sigma_p.

    ``lam`` are the eigenvalues of :math:`L_p^{-1}\\Sigma_q L_p^{-\\top}` and ``z`` the coordinates of
    :math:`L_p^{-1}(\\mu_q - \\mu_p)` along its eigenvectors; in 1-D, ``(rho^2,)`` and
    ``((mu_q - mu_p) / sigma_p,)`` with ``rho = sigma_q / sigma_p``, from ratios only.
    """
    if p.dim == 1:
        rho = q.std / p.std
        return np.array([rho * rho]), np.array([(q.mean - p.mean) / p.std])
    b = linalg.solve_triangular(p.chol, q.chol, lower=True)  # L_p^{-1} L_q
    lam, vectors = np.linalg.eigh(b @ b.T)
    delta = linalg.solve_triangular(p.chol, q.mean - p.mean, lower=True)
    return np.clip(lam, np.finfo(float).tiny, None), vectors.T @ delta


def _log1p_spread(root):
    """ln(1 + (r - 1)^2 / (2 r)) for r = sqrt(lambda) > 0, without overflow for huge or tiny r."""
    return np.log1p((root - 1.0) * ((root - 1.0) / (2.0 * root)))


@register("hellinger", Gaussian, Gaussian)
def _hellinger_gaussian(p, q):
    lam, z = whitened(p, q)
    log_bc = -0.5 * np.sum(_log1p_spread(np.sqrt(lam))) - 0.25 * np.sum(z * z / (1.0 + lam))
    return float(min(1.0, -math.expm1(log_bc)))


@register("hellinger", DiscreteDistribution, DiscreteDistribution)
def _hellinger_discrete(p, q):
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    if not np.any((a > 0) & (b > 0)):
        return 1.0
    return float(min(1.0, 0.5 * np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)))


@register("hellinger", Uniform, Uniform)
def _hellinger_uniform(p, q):
    ell = _overlap(p, q)
    if ell == 0.0:
        return 1.0
    # 1 - ell / sqrt(w_p w_q) = (sqrt(w_p w_q) - ell) / sqrt(w_p w_q), with w = ell + off and
    # sqrt(w_p w_q) - ell = (ell (o_p + o_q) + o_p o_q) / (sqrt(w_p w_q) + ell): no cancellation
    o_p, o_q = _off(p, q), _off(q, p)
    root = math.sqrt(p.width) * math.sqrt(q.width)
    return min(1.0, (ell * (o_p + o_q) + o_p * o_q) / (root + ell) / root)


@register("hellinger", ShiftedLine, ShiftedLine)
def _hellinger_lines(p, q):
    return 0.0 if p.theta == q.theta else 1.0


@register("hellinger", SmoothedLine, SmoothedLine)
def _hellinger_smoothed(p, q):
    # equal widths: the laws differ by a shift of the Gaussian smoothing, 1 - exp(-delta^2 / 8)
    if p.sigma != q.sigma:
        return NotImplemented
    delta = abs(p.theta - q.theta) / p.sigma
    return -math.expm1(-delta * delta / 8.0)
