r"""Absolute-continuity rules: the values that hold whenever one law charges a null set of the other.

If P gives positive mass to a set A with Q(A) = 0, then KL(P || Q) = inf. If moreover the two
laws are mutually singular (concentrated on disjoint sets), TV = 1 and JS = ln 2, the largest
values these take. A discrete or singular law against a continuous one is such a pair (the
atoms, or the line, are Lebesgue-null); so are 1-D continuous laws with disjoint supports.

References
----------
.. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4
   (TV and KL between mutually singular laws).
.. [2] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37
   (1991): JS <= ln 2 with equality iff the supports are disjoint.
"""

import math

from toys.base import ContinuousDistribution, DiscreteDistribution, SingularDistribution

from ..registry import register

LN2 = math.log(2.0)

for _other in (DiscreteDistribution, SingularDistribution):
    register("tv", _other, ContinuousDistribution)(lambda p, q: 1.0)
    register("js", _other, ContinuousDistribution)(lambda p, q: LN2)
    register("kl", _other, ContinuousDistribution)(lambda p, q: math.inf)
    register("kl", ContinuousDistribution, _other)(lambda p, q: math.inf)


def _disjoint_1d(p, q):
    (a, b), (c, d) = p.support, q.support
    return p.dim == 1 and (b <= c or d <= a)


@register("kl", ContinuousDistribution, ContinuousDistribution)
def _kl_support(p, q):
    """KL(p || q) = inf when the support of p is not inside that of q (1-D)."""
    if p.dim == 1:
        (a, b), (c, d) = p.support, q.support
        if a < c or b > d:
            return math.inf
    return NotImplemented


@register("tv", ContinuousDistribution, ContinuousDistribution)
def _tv_disjoint(p, q):
    """TV = 1 for 1-D laws with disjoint supports."""
    return 1.0 if _disjoint_1d(p, q) else NotImplemented


@register("js", ContinuousDistribution, ContinuousDistribution)
def _js_disjoint(p, q):
    """JS = ln 2 for 1-D laws with disjoint supports."""
    return LN2 if _disjoint_1d(p, q) else NotImplemented
