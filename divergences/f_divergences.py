r"""The f-divergences beyond the lecture's: squared Hellinger, Pearson chi-squared, Rényi of order alpha.

Each function converts and checks its arguments like :func:`divergences.kl` and hands the pair to
the one evaluator (:mod:`divergences.evaluate`): registered closed forms first
(:mod:`divergences.closed_forms.hellinger`), the numeric path otherwise, at the accuracy of
:mod:`divergences.numeric` (1-D <= 1e-9, 2-D <= 1e-6).
"""

import math
import numbers

from .functions import _divergence, kl

__all__ = ["chi2", "hellinger", "renyi"]


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


def chi2(p, q):
    r"""Pearson's chi-squared divergence :math:`\chi^2(P\,\|\,Q) = \int p^2/q - 1`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension. Neyman's chi-squared is ``chi2(q, p)``.

    Returns
    -------
    float
        In [0, inf]; ``math.inf`` where P charges a set Q does not, or where the integral
        diverges (for Gaussians, unless :math:`2\Sigma_q - \Sigma_p` is positive definite), or
        where the value exceeds the largest float.

    Raises
    ------
    TypeError, ValueError
        As :func:`divergences.tv`.
    NotImplementedError
        For a pair with no closed form: the numeric path does not yet decide whether
        :math:`\int p^2/q` converges.

    Notes
    -----
    .. math:: \chi^2(P\,\|\,Q) = \int \frac{(p - q)^2}{q} = e^{D_2(P\|Q)} - 1

    The f-divergence of :math:`f(u) = (u - 1)^2` (``GENERATORS["pearson"]``); :math:`D_2` is the
    Rényi divergence of order 2 (:func:`renyi`). Closed forms: Gaussians in any dimension,
    finite laws, uniforms, exponentials with a common left end, lines; ``inf`` where the
    supports say so.

    References
    ----------
    .. [1] K. Pearson, "On the criterion that a given system of deviations ...", Phil. Mag. 50 (1900).
    .. [2] A. L. Gibbs, F. E. Su, "On choosing and bounding probability metrics", International
       Statistical Review 70 (2002).

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import chi2
    >>> math.isclose(chi2(Gaussian(0, 1), Gaussian(1, 1)), math.e - 1)  # e^(delta^2) - 1
    True
    >>> chi2(Gaussian(0, 1), Gaussian(0, 0.5))  # 2 * 0.25 - 1 < 0: the integral diverges
    inf
    """
    return _divergence("chi2", p, q)


def renyi(p, q, alpha):
    r"""Rényi divergence of order alpha, :math:`D_\alpha(P\,\|\,Q) = \frac{1}{\alpha - 1}\ln\int p^\alpha q^{1-\alpha}`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.
    alpha : float
        The order, > 0. ``alpha = 1`` is :func:`divergences.kl` (the limit).

    Returns
    -------
    float
        In nats, in [0, inf]; ``math.inf`` where the laws are mutually singular, where (alpha >= 1)
        P charges a set Q does not, or where the integral diverges.

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If ``alpha`` is not finite and > 0; as :func:`divergences.tv` for the laws.
    NotImplementedError
        For a pair with no closed form when ``alpha > 1`` (the numeric path does not yet decide
        whether the integral converges), and where :func:`divergences.tv` raises it.

    Notes
    -----
    Non-decreasing in alpha; :math:`D_{1/2} = -2\ln(1 - H^2)` (:func:`hellinger`),
    :math:`D_1 = KL`, :math:`D_2 = \ln(1 + \chi^2)` (:func:`chi2`) (van Erven and Harremoës 2014).
    Closed forms: Gaussians in any dimension (infinite unless
    :math:`\alpha\Sigma_q + (1 - \alpha)\Sigma_p` is positive definite), finite laws, uniforms,
    exponentials with a common left end, lines; otherwise for orders in (0, 1) the 1-D
    quadrature (<= 1e-9).

    References
    ----------
    .. [1] A. Rényi, "On measures of entropy and information", Proc. 4th Berkeley Symp. 1 (1961).
    .. [2] T. van Erven, P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", IEEE
       Trans. Inf. Theory 60 (2014).
    .. [3] M. Gil, F. Alajaji, T. Linder, "Rényi divergence measures for commonly used univariate
       continuous distributions", Information Sciences 249 (2013).

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian
    >>> from divergences import hellinger, renyi
    >>> p, q = Gaussian(0, 1), Gaussian(1, 1)
    >>> math.isclose(renyi(p, q, 3.0), 3.0 / 2)  # equal variances: alpha delta^2 / 2
    True
    >>> math.isclose(renyi(p, q, 0.5), -2 * math.log(1 - hellinger(p, q)))
    True
    """
    alpha = _order(alpha)
    if alpha == 1.0:
        return kl(p, q)
    return _divergence("renyi", p, q, alpha=alpha)


def _order(alpha):
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number, got {alpha!r}")
    alpha = float(alpha)
    if not (math.isfinite(alpha) and alpha > 0.0):
        raise ValueError(f"alpha must be finite and > 0, got {alpha!r}")
    return alpha
