r"""Gaussian pairs: KL in any dimension, TV and W1 in 1-D, TV and W1 for equal covariances in d-D.

References
----------
.. [1] KL between multivariate normals: J. Duchi, "Derivations for linear algebra and
   optimization", or any text on information theory; the formula is
   :math:`\tfrac12[\operatorname{tr}(\Sigma_q^{-1}\Sigma_p) + \Delta^\top\Sigma_q^{-1}\Delta - d
   + \ln(\det\Sigma_q / \det\Sigma_p)]`.
.. [2] TV between 1-D normals with unequal variances through the two crossing points of the
   densities: L. Devroye, A. Mehrabian, T. Reddad, "The total variation distance between
   high-dimensional Gaussians with unequal covariances", arXiv:1810.08693 (2018), Sec. 1.
.. [3] W1 in 1-D is :math:`\int_0^1 |F^{-1}(u) - G^{-1}(u)|\,du` (quantile coupling; C. Villani,
   *Optimal Transport*, 2009, Rem. 2.19); for normals this is the mean of a folded normal
   :math:`E|\Delta\mu + \Delta\sigma Z|` (F. C. Leone et al., Technometrics 3, 1961).
.. [4] Equal covariances: :math:`TV = 2\Phi(\delta/2) - 1` with
   :math:`\delta^2 = \Delta^\top\Sigma^{-1}\Delta` (Devroye, Mehrabian, Reddad 2018, Sec. 1).
"""

import math

import numpy as np
from scipy import linalg, special

from toys import Gaussian

from ..registry import register


@register("kl", Gaussian, Gaussian)
def _kl_gaussian(p, q):
    if p.dim == 1:
        # ln(s_q/s_p) + (s_p^2 + d^2)/(2 s_q^2) - 1/2 = (t - log1p(t))/2 + d^2/(2 s_q^2) with
        # t = (s_p^2 - s_q^2)/s_q^2: the second form cannot round below 0 for nearly equal
        # variances, the first keeps its precision when they are far apart
        t = (p.var - q.var) / q.var
        spread = 0.5 * (t - math.log1p(t)) if abs(t) < 0.5 else math.log(q.std / p.std) + 0.5 * t
        return max(spread + (p.mean - q.mean) ** 2 / (2 * q.var), 0.0)
    a = linalg.solve_triangular(q.chol, p.chol, lower=True)  # L_q^{-1} L_p
    delta = linalg.solve_triangular(q.chol, q.mean - p.mean, lower=True)
    value = 0.5 * (np.sum(a * a) + delta @ delta - p.dim + q.logdet - p.logdet)
    return max(float(value), 0.0)


@register("tv", Gaussian, Gaussian)
def _tv_gaussian(p, q):
    if p.dim != 1:
        if not np.allclose(p.cov, q.cov, rtol=1e-12, atol=0.0):
            return NotImplemented
        # equal covariances: the log-likelihood ratio is a function of one projection, along
        # which the laws are N(0, 1) and N(delta, 1) with delta the Mahalanobis distance [4]
        delta = np.linalg.norm(linalg.solve_triangular(p.chol, q.mean - p.mean, lower=True))
        return float(special.erf(delta / (2 * math.sqrt(2))))
    if p.std == q.std:
        return float(special.erf(abs(p.mean - q.mean) / (2 * math.sqrt(2) * p.std)))
    v1, v2 = p.var, q.var
    a = v1 - v2
    b_half = v1 * q.mean - v2 * p.mean  # the roots are (b_half +- s) / a
    s = p.std * q.std * math.sqrt((p.mean - q.mean) ** 2 + 2 * a * math.log(p.std / q.std))
    c = v1 * q.mean**2 - v2 * p.mean**2 - 2 * v1 * v2 * math.log(p.std / q.std)
    big = b_half + math.copysign(s, b_half)  # stable quadratic roots: big / a and c / big
    roots = np.sort([big / a, c / big])
    edges = np.concatenate([[-np.inf], roots, [np.inf]])
    dp = np.diff(p.cdf(edges))
    dq = np.diff(q.cdf(edges))
    return float(min(0.5 * np.sum(np.abs(dp - dq)), 1.0))


@register("w1", Gaussian, Gaussian)
def _w1_gaussian(p, q):
    if p.dim != 1:
        if np.allclose(p.cov, q.cov, rtol=1e-12, atol=0.0):
            return float(np.linalg.norm(p.mean - q.mean))
        return NotImplemented
    dm, ds = abs(q.mean - p.mean), abs(q.std - p.std)
    if ds == 0:
        return dm
    return ds * math.sqrt(2 / math.pi) * math.exp(-(dm**2) / (2 * ds**2)) + dm * (1 - 2 * special.ndtr(-dm / ds))
