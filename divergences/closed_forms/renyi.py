r"""Rényi divergences of order alpha and Pearson's chi-squared in closed form.

:math:`D_\alpha(P\|Q) = \frac{1}{\alpha - 1}\ln\int p^\alpha q^{1-\alpha}` for
:math:`\alpha \in (0, 1)\cup(1, \infty)` (the limit at 1 is KL), and
:math:`\chi^2(P\|Q) = \int p^2/q - 1 = e^{D_2} - 1`.

Written to keep their digits where P and Q nearly agree and where alpha is near 1: with
:math:`L = \ln(p/q)` and :math:`c = \alpha - 1`, :math:`\int p^\alpha q^{1-\alpha} - 1 =
c\,T`, :math:`T = E_P[L\,\mathrm{exprel}(cL)]` (``exprel(x) = (e^x - 1)/x``, since
:math:`E_Q[p/q] = 1`), and :math:`D_\alpha = T\,\ln(1 + cT)/(cT)`: no division of two small
numbers, and :math:`T \to KL` as :math:`\alpha \to 1`.

Gaussians in any dimension, in the coordinates whitening :math:`\Sigma_p` (eigenvalues
:math:`\lambda_i` of :math:`\Sigma_q` there, mean difference :math:`z`), with
:math:`m_i = 1 + \alpha(\lambda_i - 1)` the eigenvalues of
:math:`\Sigma_\alpha = \alpha\Sigma_q + (1 - \alpha)\Sigma_p`:

.. math:: D_\alpha = \frac\alpha2\sum_i \frac{z_i^2}{m_i} - \frac{1}{2(\alpha - 1)}\sum_i
          \left[\ln m_i - \alpha\ln\lambda_i\right],

infinite unless every :math:`m_i > 0` (Gil, Alajaji and Linder 2013, Table 2 and Sec. IV; Pardo
2006, p. 33); chi-squared is :math:`e^{D_2} - 1`, finite iff :math:`2\Sigma_q - \Sigma_p` is positive
definite. Uniforms: :math:`\int p^\alpha q^{1-\alpha} = \ell\, w_p^{-\alpha} w_q^{\alpha - 1}` (overlap
:math:`\ell`); exponentials with a common left end:
:math:`\lambda_p^\alpha\lambda_q^{1-\alpha}/(\alpha\lambda_p + (1 - \alpha)\lambda_q)`.

References
----------
.. [1] A. Rényi, "On measures of entropy and information", Proc. 4th Berkeley Symp. 1 (1961).
.. [2] T. van Erven, P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", IEEE
   Trans. Inf. Theory 60 (2014).
.. [3] M. Gil, F. Alajaji, T. Linder, "Rényi divergence measures for commonly used univariate
   continuous distributions", Information Sciences 249 (2013).
.. [4] L. Pardo, *Statistical Inference Based on Divergence Measures*, Chapman & Hall 2006.
"""

import math

import numpy as np
from scipy import special

from toys import Exponential, Gaussian, ShiftedLine, SmoothedLine, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution, SingularDistribution

from ..registry import register
from .continuity import _disjoint_1d
from .elementary import log1p_ratio
from .hellinger import whitened
from .uniform import _off, _overlap, _width_difference

__all__ = ["from_moment"]


def from_moment(t, alpha):
    """D_alpha from T = (int p^alpha q^(1-alpha) - 1) / (alpha - 1): T ln(1 + cT) / (cT), c = alpha - 1."""
    c = alpha - 1.0
    if c * t <= -1.0:  # the integral is 0: mutually singular
        return math.inf
    return float(max(t * log1p_ratio(c * t), 0.0))


for _other in (DiscreteDistribution, SingularDistribution):
    for _name in ("renyi", "chi2"):
        register(_name, _other, ContinuousDistribution)(lambda p, q, **_: math.inf)
        register(_name, ContinuousDistribution, _other)(lambda p, q, **_: math.inf)


@register("renyi", ContinuousDistribution, ContinuousDistribution)
def _renyi_supports(p, q, alpha):
    """inf for 1-D laws with disjoint supports, and for alpha > 1 where supp P is not inside supp Q."""
    if _disjoint_1d(p, q) or (alpha > 1.0 and p.dim == 1 and _outside(p, q)):
        return math.inf
    return NotImplemented


@register("chi2", ContinuousDistribution, ContinuousDistribution)
def _chi2_supports(p, q):
    return math.inf if _disjoint_1d(p, q) or (p.dim == 1 and _outside(p, q)) else NotImplemented


def _outside(p, q):
    (a, b), (c, d) = p.support, q.support
    return a < c or b > d


# -- Gaussians ------------------------------------------------------------------------------
def _gaussian_renyi(p, q, alpha):
    lam, z = whitened(p, q)
    e = lam - 1.0
    m = 1.0 + alpha * e
    if np.any(m <= 0.0):
        return math.inf
    c = alpha - 1.0
    # [ln m - alpha ln lam] / (alpha - 1) = ln(1 + c e / (1 + e)) / c - ln(1 + e), stable as c -> 0
    ratio = e / lam
    spread = ratio * log1p_ratio(c * ratio) - np.log1p(e)
    return float(max(0.5 * alpha * np.sum(z * z / m) - 0.5 * np.sum(spread), 0.0))


@register("renyi", Gaussian, Gaussian)
def _renyi_gaussian(p, q, alpha):
    return _gaussian_renyi(p, q, alpha)


@register("chi2", Gaussian, Gaussian)
def _chi2_gaussian(p, q):
    d2 = _gaussian_renyi(p, q, 2.0)
    return math.inf if d2 > 709.0 else math.expm1(d2)


# -- finite laws ----------------------------------------------------------------------------
def _discrete_moment(p, q, alpha):
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    if alpha > 1.0 and np.any((a > 0) & (b == 0)):
        return math.inf
    both = (a > 0) & (b > 0)
    if not np.any(both):
        return math.inf
    log_ratio = np.log(a[both]) - np.log(b[both])
    # the atoms of P that Q misses (alpha < 1) contribute nothing to the integral: -1 / c each
    missed = float(np.sum(a[(a > 0) & (b == 0)]))
    c = alpha - 1.0
    return float(np.sum(a[both] * log_ratio * special.exprel(c * log_ratio))) - missed / c


@register("renyi", DiscreteDistribution, DiscreteDistribution)
def _renyi_discrete(p, q, alpha):
    t = _discrete_moment(p, q, alpha)
    return t if t == math.inf else from_moment(t, alpha)


@register("chi2", DiscreteDistribution, DiscreteDistribution)
def _chi2_discrete(p, q):
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    if np.any((a > 0) & (b == 0)):
        return math.inf
    keep = b > 0
    return float(np.sum((a[keep] - b[keep]) ** 2 / b[keep]))


# -- uniforms, exponentials, lines ----------------------------------------------------------
@register("renyi", Uniform, Uniform)
def _renyi_uniform(p, q, alpha):
    ell = _overlap(p, q)
    if ell == 0.0 or (alpha > 1.0 and _outside(p, q)):
        return math.inf
    # ln(int) = ln(ell / w_p) + (alpha - 1) ln(w_q / w_p): D = ln(ell / w_p) / (alpha - 1) + ln(w_q / w_p)
    log_width = math.log1p(_width_difference(q, p) / p.width) if q.width < 3 * p.width else math.log(q.width / p.width)
    log_kept = math.log1p(-_off(p, q) / p.width)  # ln(ell / w_p) <= 0
    return max(log_kept / (alpha - 1.0) + log_width, 0.0)


@register("chi2", Uniform, Uniform)
def _chi2_uniform(p, q):
    if _outside(p, q):
        return math.inf
    return max(_width_difference(q, p) / p.width, 0.0)  # w_q / w_p - 1


@register("renyi", Exponential, Exponential)
def _renyi_exponential(p, q, alpha):
    if p.loc != q.loc:
        return NotImplemented
    r = q.rate / p.rate
    if alpha + (1.0 - alpha) * r <= 0.0:
        return math.inf
    # D = -ln r + (r - 1) ln(1 - c (r - 1)) / (-c (r - 1)), c = alpha - 1
    x = -(alpha - 1.0) * (r - 1.0)
    return float(max(-math.log(r) + (r - 1.0) * log1p_ratio(x), 0.0))


@register("chi2", Exponential, Exponential)
def _chi2_exponential(p, q):
    if p.loc < q.loc:
        return math.inf
    value = _renyi_exponential(p, q, 2.0) if p.loc == q.loc else NotImplemented
    if value is NotImplemented:
        return NotImplemented
    return math.inf if value > 709.0 else math.expm1(value)


@register("renyi", ShiftedLine, ShiftedLine)
def _renyi_lines(p, q, alpha):
    return 0.0 if p.theta == q.theta else math.inf


@register("chi2", ShiftedLine, ShiftedLine)
def _chi2_lines(p, q):
    return 0.0 if p.theta == q.theta else math.inf


@register("renyi", SmoothedLine, SmoothedLine)
def _renyi_smoothed(p, q, alpha):
    if p.sigma != q.sigma:
        return NotImplemented
    delta = (p.theta - q.theta) / p.sigma
    return 0.5 * alpha * delta * delta


@register("chi2", SmoothedLine, SmoothedLine)
def _chi2_smoothed(p, q):
    if p.sigma != q.sigma:
        return NotImplemented
    delta = (p.theta - q.theta) / p.sigma
    return math.inf if delta * delta > 709.0 else math.expm1(delta * delta)
