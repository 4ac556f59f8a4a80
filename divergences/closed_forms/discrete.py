r"""Pairs of laws on finitely many points (Discrete, Bernoulli): all four by finite sums.

On the union of the atoms, with masses :math:`P_i, Q_i`:
:math:`TV = \tfrac12\sum|P_i - Q_i|`, :math:`KL = \sum P_i \ln(P_i/Q_i)` (inf if some
:math:`Q_i = 0 < P_i`), :math:`JS = \tfrac12\sum [P_i\ln\frac{2P_i}{P_i+Q_i} +
Q_i\ln\frac{2Q_i}{P_i+Q_i}]`, and :math:`W_1 = \int|F_P - F_Q| = \sum_i |F_P(x_i) - F_Q(x_i)|
(x_{i+1} - x_i)` (Vallender 1974).

References
----------
.. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley 2006, Ch. 2.
.. [2] S. S. Vallender, "Calculation of the Wasserstein distance between probability
   distributions on the line", Theory Probab. Appl. 18 (1974).
"""

import math

import numpy as np
from scipy import special

from toys.base import DiscreteDistribution

from ..registry import register

LN2 = math.log(2.0)


def _aligned(p, q):
    x = np.union1d(p.atoms, q.atoms)
    return x, p.pmf(x), q.pmf(x)


@register("tv", DiscreteDistribution, DiscreteDistribution)
def _tv_discrete(p, q):
    _, a, b = _aligned(p, q)
    if not np.any((a > 0) & (b > 0)):
        return 1.0
    return float(min(0.5 * np.sum(np.abs(a - b)), 1.0))


@register("kl", DiscreteDistribution, DiscreteDistribution)
def _kl_discrete(p, q):
    _, a, b = _aligned(p, q)
    if np.any((a > 0) & (b == 0)):
        return math.inf
    return float(max(np.sum(special.rel_entr(a, b)), 0.0))


@register("js", DiscreteDistribution, DiscreteDistribution)
def _js_discrete(p, q):
    _, a, b = _aligned(p, q)
    if not np.any((a > 0) & (b > 0)):
        return LN2
    m = 0.5 * (a + b)
    value = 0.5 * (np.sum(special.rel_entr(a, m)) + np.sum(special.rel_entr(b, m)))
    return float(np.clip(value, 0.0, LN2))


@register("w1", DiscreteDistribution, DiscreteDistribution)
def _w1_discrete(p, q):
    x, _, _ = _aligned(p, q)
    return float(np.sum(np.abs(p.cdf(x[:-1]) - q.cdf(x[:-1])) * np.diff(x)))
