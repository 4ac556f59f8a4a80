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
from .elementary import t_minus_log1p


@register("kl", Gaussian, Gaussian)
def _kl_gaussian(p, q):
    if p.dim == 1:
        # in the standard deviations of q: (t - ln(1 + t)) / 2 + delta^2 / 2 with t = rho^2 - 1,
        # rho = s_p / s_q, delta = (mu_p - mu_q) / s_q, and ln(1 + t) = 2 (ln s_p - ln s_q); formed
        # from ratios, so that no variance under- or overflows and nearly equal laws give 0
        t = ((p.std - q.std) / q.std) * ((p.std + q.std) / q.std)
        spread = 0.5 * t_minus_log1p(t, 2.0 * (math.log(p.std) - math.log(q.std)))
        delta = (p.mean - q.mean) / q.std
        return max(spread + 0.5 * delta * delta, 0.0)
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
    # means more than 40 (s_p + s_q) apart, or scales more than 1e16 apart: 1 - TV, the mass the
    # laws share, is below 2 Phi(-40) in the first case and 80 / (1e16 sqrt(2 pi)) = 3.2e-15 in the
    # second (the narrow law's mass beyond 40 of its sds, the wide law's within them), and the
    # quadratic below would square numbers beyond the range of floats
    if abs(q.mean - p.mean) > 40.0 * (p.std + q.std) or max(p.std, q.std) > 1e16 * min(p.std, q.std):
        return 1.0
    # in the standardised coordinate z = (x - mu_p) / s_p: N(0, 1) against N(delta, rho^2)
    delta, rho = (q.mean - p.mean) / p.std, q.std / p.std
    if rho == 1.0:
        return float(special.erf(abs(delta) / (2 * math.sqrt(2))))
    # the densities cross where (rho^2 - 1) z^2 + 2 delta z - delta^2 - 2 rho^2 ln rho = 0 [2]
    a, b_half = (rho - 1.0) * (rho + 1.0), delta
    log_rho = math.log(q.std) - math.log(p.std)
    c = -(delta * delta) - 2.0 * rho * rho * log_rho
    root = rho * math.sqrt(delta * delta + 2.0 * a * log_rho)  # sqrt(b_half^2 - a c)
    big = -b_half - math.copysign(root, b_half)  # stable quadratic roots: big / a and c / big
    z = sorted([big / a, c / big if big != 0.0 else 0.0])
    edges = [-math.inf, *z, math.inf]
    dp = [_mass(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])]
    dq = [_mass((lo - delta) / rho, (hi - delta) / rho) for lo, hi in zip(edges[:-1], edges[1:])]
    return float(min(0.5 * sum(abs(u - v) for u, v in zip(dp, dq)), 1.0))


def _mass(lo, hi):
    """P(lo < Z < hi) for Z ~ N(0, 1), from the tail it lies in (no cancellation of CDFs near 1)."""
    if hi <= 0.0:
        return float(special.ndtr(hi) - special.ndtr(lo))
    if lo >= 0.0:
        return float(special.ndtr(-lo) - special.ndtr(-hi))
    return float(1.0 - special.ndtr(lo) - special.ndtr(-hi))


@register("w1", Gaussian, Gaussian)
def _w1_gaussian(p, q):
    if p.dim != 1:
        if np.allclose(p.cov, q.cov, rtol=1e-12, atol=0.0):
            return float(np.linalg.norm(p.mean - q.mean))
        return NotImplemented
    # E |dm + ds Z|, Z ~ N(0, 1): the folded normal's mean, with r = dm / ds formed first, so that
    # neither dm^2 nor ds^2 under- or overflows
    dm, ds = abs(q.mean - p.mean), abs(q.std - p.std)
    if ds == 0:
        return dm
    r = dm / ds
    return ds * math.sqrt(2 / math.pi) * math.exp(-0.5 * r * r) + dm * (1 - 2 * special.ndtr(-r))
