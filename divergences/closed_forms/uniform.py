r"""Pairs of uniform laws: all four in closed form.

With :math:`U_1 = [a, b]`, :math:`U_2 = [c, d]`, densities :math:`p = 1/(b-a)`,
:math:`q = 1/(d-c)` and overlap length :math:`\ell`:
:math:`TV = 1 - \ell\min(p, q)`; :math:`KL(U_1\|U_2) = \ln\frac{d-c}{b-a}` if
:math:`U_1\subseteq U_2`, else :math:`\infty`; JS sums the three pieces (only p, only q, both);
W1 is :math:`\int_0^1 |\alpha + \beta u|\,du` with :math:`\alpha = a - c`,
:math:`\beta = (b - a) - (d - c)` (quantile coupling, Villani 2009, Rem. 2.19).
"""

import math

from toys import Uniform

from ..registry import register

LN2 = math.log(2.0)


def _overlap(p, q):
    return max(0.0, min(p.high, q.high) - max(p.low, q.low))


@register("tv", Uniform, Uniform)
def _tv_uniform(p, q):
    return min(1.0, max(0.0, 1.0 - _overlap(p, q) / max(p.width, q.width)))


@register("kl", Uniform, Uniform)
def _kl_uniform(p, q):
    if p.low < q.low or p.high > q.high:
        return math.inf
    return max(math.log(q.width) - math.log(p.width), 0.0)  # a difference of logs: no ratio to overflow


@register("js", Uniform, Uniform)
def _js_uniform(p, q):
    ell = _overlap(p, q)
    if ell == 0.0:
        return LN2
    # on the overlap, p log(2p / (p + q)) with p = 1 / w_p: written with the ratio of the widths
    # r = w_p / w_q, so that no density 1 / w under- or overflows
    r = p.width / q.width
    only = (p.width - ell) / p.width + (q.width - ell) / q.width  # mass of each law off the overlap (0 if equal)
    both = (ell / p.width) * math.log(2 / (1 + r)) + (ell / q.width) * math.log(2 * r / (1 + r))
    return min(LN2, max(0.0, 0.5 * (only * LN2 + both)))


@register("w1", Uniform, Uniform)
def _w1_uniform(p, q):
    alpha = p.low - q.low
    beta = p.width - q.width
    if beta == 0.0:
        return abs(alpha)
    root = -alpha / beta
    if not 0.0 < root < 1.0:
        return abs(alpha + 0.5 * beta)
    return abs(beta) * 0.5 * (root**2 + (1.0 - root) ** 2)
