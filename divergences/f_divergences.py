r"""The f-divergences beyond the lecture's: squared Hellinger distance (more to come in this module).

Each function converts and checks its arguments like :func:`divergences.kl` and hands the pair to
the one evaluator (:mod:`divergences.evaluate`): registered closed forms first
(:mod:`divergences.closed_forms.hellinger`), the numeric path otherwise, at the accuracy of
:mod:`divergences.numeric` (1-D <= 1e-9, 2-D <= 1e-6).
"""

from .functions import _divergence

__all__ = ["hellinger"]


def hellinger(p, q):
    r"""Squared Hellinger distance :math:`H^2(P, Q) = 1 - \int\sqrt{pq}`, in [0, 1].

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.

    Returns
    -------
    float
        In [0, 1] (unitless): 0 iff P = Q, 1 iff the laws are mutually singular.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As :func:`divergences.tv`.

    Notes
    -----
    .. math:: H^2(P, Q) = \tfrac12\int(\sqrt p - \sqrt q)^2 = 1 - \int\sqrt{pq}

    The convention with the factor 1/2, so that :math:`H^2 \le 1` (Tsybakov 2009, Def. 2.3,
    writes :math:`H^2` for :math:`\int(\sqrt p - \sqrt q)^2 = 2 \times` this; some texts call
    :math:`H = \sqrt{H^2}` the Hellinger distance). It is the f-divergence of
    :math:`f(u) = \tfrac12(\sqrt u - 1)^2` (:data:`divergences.generators.GENERATORS`
    ``["hellinger"]``), symmetric, and bounds TV both ways: :math:`H^2 \le TV \le
    \sqrt{H^2(2 - H^2)}` (Tsybakov 2009, Lemma 2.3, in this convention).

    Closed forms: Gaussians in any dimension (through the Bhattacharyya coefficient), Discrete
    and Bernoulli pairs, Uniform pairs, ShiftedLine and equal-width SmoothedLine pairs; 1 for a
    discrete or singular law against a continuous one and for 1-D laws with disjoint supports.
    Otherwise numeric as :func:`divergences.tv` (1-D <= 1e-9, 2-D <= 1e-6).

    References
    ----------
    .. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.
    .. [2] A. Bhattacharyya, "On a measure of divergence between two statistical populations
       defined by their probability distributions", Bull. Calcutta Math. Soc. 35 (1943).

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian, ShiftedLine
    >>> from divergences import hellinger, tv
    >>> hellinger(ShiftedLine(0.0), ShiftedLine(0.5))
    1.0
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    >>> math.isclose(hellinger(p, q), 1 - math.exp(-1 / 8))  # equal variances: 1 - e^(-delta^2 / 8)
    True
    >>> hellinger(p, q) <= tv(p, q) <= math.sqrt(hellinger(p, q) * (2 - hellinger(p, q)))
    True
    """
    return _divergence("hellinger", p, q)
