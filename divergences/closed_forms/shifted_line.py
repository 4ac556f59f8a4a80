r"""Pairs from the parallel-lines family (Example 1 of the WGAN paper).

For :math:`\theta_1 \ne \theta_2` the two segments are disjoint: TV = 1, KL = inf both ways,
JS = ln 2; the optimal coupling moves every point horizontally, so
:math:`W_1 = |\theta_1 - \theta_2|`. For :math:`\theta_1 = \theta_2` all four are 0.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
"""

import math

from toys import ShiftedLine

from ..registry import register


@register("tv", ShiftedLine, ShiftedLine)
def _tv_lines(p, q):
    return 0.0 if p.theta == q.theta else 1.0


@register("kl", ShiftedLine, ShiftedLine)
def _kl_lines(p, q):
    return 0.0 if p.theta == q.theta else math.inf


@register("js", ShiftedLine, ShiftedLine)
def _js_lines(p, q):
    return 0.0 if p.theta == q.theta else math.log(2.0)


@register("w1", ShiftedLine, ShiftedLine)
def _w1_lines(p, q):
    return abs(p.theta - q.theta)
