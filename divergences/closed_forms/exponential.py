r"""Pairs of (shifted) exponential laws: KL and W1 in closed form.

With rates :math:`\lambda_p, \lambda_q` and left ends :math:`a, b`:
:math:`KL(P\|Q) = \ln\frac{\lambda_p}{\lambda_q} - 1 + \lambda_q\left(\frac1{\lambda_p} + a - b\right)`
if :math:`a \ge b`, else :math:`\infty`. The quantile difference is :math:`\alpha + \beta E` with
:math:`E\sim\mathrm{Exp}(1)`, :math:`\alpha = a - b`, :math:`\beta = 1/\lambda_p - 1/\lambda_q`,
so :math:`W_1 = E|\alpha + \beta E| = |\beta|(c - 1 + 2e^{-c})` with :math:`c = -\alpha/\beta`
when :math:`c > 0`, else :math:`|\alpha + \beta|`.

References
----------
.. [1] Direct integration of the densities; W1 by the quantile coupling (Villani 2009, Rem. 2.19).
"""

import math

from toys import Exponential

from ..registry import register
from .elementary import t_minus_log1p


@register("kl", Exponential, Exponential)
def _kl_exponential(p, q):
    if p.loc < q.loc:
        return math.inf
    # r - 1 - ln r + rate_q (loc_p - loc_q) with r = rate_q / rate_p. Near r = 1 as t - log1p(t)
    # with t = r - 1 (no cancellation, exactly 0 for equal laws); elsewhere with ln r taken as a
    # difference of logs, since r - 1 has lost the digits of a tiny r (rates 1e-12 apart in scale)
    t = (q.rate - p.rate) / p.rate
    spread = t_minus_log1p(t, math.log(q.rate) - math.log(p.rate))
    return max(spread + q.rate * (p.loc - q.loc), 0.0)


@register("w1", Exponential, Exponential)
def _w1_exponential(p, q):
    alpha = p.loc - q.loc
    # 1 / rate_p - 1 / rate_q from the difference of the rates (exact when they are close): the
    # difference of the two rounded means loses the digits of rates 1e-9 apart
    beta = (q.rate - p.rate) / p.rate / q.rate
    if beta == 0.0:
        return abs(alpha)
    c = -alpha / beta
    if c <= 0.0:
        return abs(alpha + beta)
    return abs(beta) * (c - 1.0 + 2.0 * math.exp(-c))
