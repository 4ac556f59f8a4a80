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
    t = _width_difference(q, p) / p.width
    if t < 0.5:  # near-equal widths: log1p keeps the digits that a difference of logs cancels
        return max(math.log1p(t), 0.0)
    return math.log(q.width) - math.log(p.width)  # a difference of logs: no ratio to overflow


@register("js", Uniform, Uniform)
def _js_uniform(p, q):
    ell = _overlap(p, q)
    if ell == 0.0:
        return LN2
    # Off the overlap each law contributes ln 2 per unit of its mass there. On the overlap, with
    # r = w_p / w_q = 1 + t, the two terms (ell / w_p) log(2 / (1 + r)) + (ell / w_q) log(2 r / (1 + r))
    # add up to (ell / w_p) g(t), g(t) = (1 + t) log(1 + t) - (2 + t) log(1 + t / 2): written
    # with the ratio, no density 1 / w under- or overflows, and g is a series near t = 0, where
    # its two terms cancel to t^2 / 4
    if p.width > q.width:  # JS is symmetric: make p the narrower law, so r = w_p / w_q <= 1
        p, q = q, p
    t = _width_difference(p, q) / q.width
    only = _off(p, q) / p.width + _off(q, p) / q.width  # mass of each law off the overlap (0 if equal)
    both = (ell / p.width) * _g(t, p.width / q.width)
    return min(LN2, max(0.0, 0.5 * (only * LN2 + both)))


def _width_difference(p, q):
    """w_p - w_q from differences of ends, which keep a difference far below the widths' rounding."""
    return (p.high - q.high) - (p.low - q.low)


def _off(p, q):
    """Length of p's support outside q's, from differences of ends (exact when they are close)."""
    return min(p.width, max(0.0, q.low - p.low) + max(0.0, p.high - q.high))


def _g(t, r):
    """(1 + t) log(1 + t) - (2 + t) log(1 + t / 2) for r = 1 + t in (0, 1], without cancellation.

    Near t = 0 a series in t (given from differences of ends, exact where r rounds to 1); away
    from it r log r - (1 + r) log((1 + r) / 2) from the ratio r itself, which stays right where
    t rounds to -1 (widths more than 2^53 apart; r may underflow to 0, where g = ln 2).
    """
    if abs(t) >= 0.1:
        return (r * math.log(r) if r > 0.0 else 0.0) - (1.0 + r) * (math.log1p(r) - LN2)
    # sum over n >= 2 of (-1)^n (1 - 2^(1 - n)) t^n / (n (n - 1)); 0.1^22 is below 1e-16 of t^2
    return sum((-t) ** n * (1.0 - 2.0 ** (1 - n)) / (n * (n - 1)) for n in range(2, 24))


@register("w1", Uniform, Uniform)
def _w1_uniform(p, q):
    alpha = p.low - q.low
    beta = _width_difference(p, q)  # not p.width - q.width: each width is rounded
    if beta == 0.0:
        return abs(alpha)
    root = -alpha / beta
    if not 0.0 < root < 1.0:
        return abs(alpha + 0.5 * beta)
    return abs(beta) * 0.5 * (root**2 + (1.0 - root) ** 2)
