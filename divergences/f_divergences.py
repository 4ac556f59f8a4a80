r"""The f-divergences beyond the lecture's: squared Hellinger, Pearson chi-squared, Rényi of order alpha,
and the generic f-divergence of a named generator (:mod:`divergences.generators`).

Each function converts and checks its arguments like :func:`divergences.kl` and hands the pair to
the one evaluator (:mod:`divergences.evaluate`): registered closed forms first
(:mod:`divergences.closed_forms.hellinger`), the numeric path otherwise, at the accuracy of
:mod:`divergences.numeric` (1-D <= 1e-9, 2-D <= 1e-6).
"""

import math
import numbers

import numpy as np

from toys.base import DiscreteDistribution

from . import functions
from .functions import _divergence, kl
from .generators import GENERATORS, Generator, generator
from .laws import check_pair
from .numeric import f_divergence_1d

__all__ = ["chi2", "f_divergence", "hellinger", "renyi"]


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
        For a pair with no closed form in 3 or more dimensions, or in 2-D other than Gaussians and
        mixtures (and those the cubature cannot decide or bound, :mod:`divergences.numeric.renyi_2d`);
        in 1-D where the convergence of :math:`\int p^2/q` depends on tails the toolkit does not
        know (most scipy.stats laws), naming the law, and for pairs within 1e-4 of the boundary of
        finiteness.

    Notes
    -----
    .. math:: \chi^2(P\,\|\,Q) = \int \frac{(p - q)^2}{q} = e^{D_2(P\|Q)} - 1

    The f-divergence of :math:`f(u) = (u - 1)^2` (``GENERATORS["pearson"]``); :math:`D_2` is the
    Rényi divergence of order 2 (:func:`renyi`). Closed forms: Gaussians in any dimension,
    finite laws, uniforms, exponentials with a common left end, lines; ``inf`` where the
    supports say so. Other 1-D pairs: the numeric path of :func:`renyi` at order 2
    (:mod:`divergences.numeric.renyi_1d`), which decides convergence from the supports and the
    tail classes of the laws (Gaussian, exponential, bounded) and integrates
    :math:`\int q\,(p/q - 1)^2` (relative error <= 1e-9, absolute 1e-11 below 1e-2); 2-D
    Gaussian mixtures by cubature (:mod:`divergences.numeric.renyi_2d`, absolute error <= 1e-6).

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
        Where :func:`divergences.tv` raises it; for ``alpha > 1``, also for a pair with no closed
        form in 2-D, and in 1-D where the convergence depends on tails the toolkit does not know
        (naming the law) or the pair lies within 1e-4 of the boundary of finiteness.

    Notes
    -----
    Non-decreasing in alpha; :math:`D_{1/2} = -2\ln(1 - H^2)` (:func:`hellinger`),
    :math:`D_1 = KL`, :math:`D_2 = \ln(1 + \chi^2)` (:func:`chi2`) (van Erven and Harremoës 2014).
    Closed forms: Gaussians in any dimension (infinite unless
    :math:`\alpha\Sigma_q + (1 - \alpha)\Sigma_p` is positive definite), finite laws, uniforms,
    exponentials with a common left end, lines; otherwise the 1-D quadrature: for orders in
    (0, 1) absolute error <= 1e-9; for orders above 1 (:mod:`divergences.numeric.renyi_1d`)
    after deciding from the supports and tails whether the integral converges (exactly: a
    Gaussian tail of P against one of Q converges iff
    :math:`\alpha/\sigma_p^2 > (\alpha - 1)/\sigma_q^2` for their widest components, Gil et al.
    2013, Table 2), relative error <= 1e-9 (absolute 1e-11 below 1e-2), values up to 1e7 nats
    and more included.

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


def f_divergence(p, q, f):
    r"""The f-divergence :math:`D_f(P\,\|\,Q) = \int q\, f(p/q) + f'(\infty)\,P(q = 0)`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.
    f : str, Generator or callable
        A name of :data:`divergences.generators.GENERATORS` (``"kl"``, ``"reverse_kl"``,
        ``"pearson"``, ``"neyman"``, ``"hellinger"``, ``"jeffreys"``, ``"js"``, ``"gan"``,
        ``"tv"``), a :class:`divergences.generators.Generator`, or a convex callable ``f(u)`` on
        ``u >= 0``.

    Returns
    -------
    float
        In nats where f is built from logarithms; ``math.inf`` where infinite.

    Raises
    ------
    ValueError, TypeError
        For an unknown name or a value of ``f`` of the wrong kind; for a plain callable where Q
        misses an atom of P (the value then needs :math:`f'(\infty)`: give a ``Generator``).
    NotImplementedError
        For a generator other than the named ones between laws that are not both finite, unless it
        is a ``Generator`` with finite ``at_zero`` and ``slope_at_infinity`` and the laws are 1-D:
        whether :math:`\int q f(p/q)` converges depends on f and on the tails, which the toolkit
        does not decide for an arbitrary f.

    Notes
    -----
    A named generator gives exactly the toolkit's function of that name (the generators are scaled
    for it, :mod:`divergences.generators`): ``"kl"`` is :func:`divergences.kl`, ``"reverse_kl"``
    KL(Q || P), ``"pearson"`` :func:`chi2`, ``"neyman"`` ``chi2(q, p)``, ``"hellinger"``
    :func:`hellinger`, ``"jeffreys"`` KL(P || Q) + KL(Q || P), ``"js"`` :func:`divergences.js`,
    ``"gan"`` :math:`2\,JS - \ln 4` (Goodfellow et al. 2014, Theorem 1), ``"tv"``
    :func:`divergences.tv`. Other generators are summed exactly between finite laws, with
    :math:`f(0)` where p = 0 < q and :math:`f'(\infty)` where q = 0 < p (Csiszár 1967). A
    :class:`~divergences.generators.Generator` with finite :math:`f(0)` and :math:`f'(\infty)` (of
    bounded growth, :math:`|f(u)| \le a + bu`, so that the integral converges for every pair) is
    also integrated between 1-D laws (:mod:`divergences.numeric.f_divergence_1d`, absolute error
    <= 1e-9 max(1, abs(f(0)) + f'(inf))); a finite law against a continuous one gives
    :math:`f(0) + f'(\infty)`.

    References
    ----------
    .. [1] I. Csiszár, "Information-type measures of difference of probability distributions and
       indirect observations", Studia Sci. Math. Hungarica 2 (1967).
    .. [2] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
       variational divergence minimization", NeurIPS 2016, Tables 1-2.

    Examples
    --------
    >>> import math
    >>> from toys import Bernoulli, Gaussian
    >>> from divergences import f_divergence, js, kl
    >>> p, q = Gaussian(0, 1), Gaussian(1, 2)
    >>> f_divergence(p, q, "kl") == kl(p, q)
    True
    >>> math.isclose(f_divergence(p, q, "gan"), 2 * js(p, q) - math.log(4))
    True
    >>> round(f_divergence(Bernoulli(0.3), Bernoulli(0.6), lambda u: (u - 1) ** 2), 10)  # Pearson
    0.375
    """
    if isinstance(f, str) or (isinstance(f, Generator) and GENERATORS.get(f.name) is f):
        name = generator(f).name
        named = {
            "kl": lambda: functions.kl(p, q),
            "reverse_kl": lambda: functions.kl(q, p),
            "pearson": lambda: chi2(p, q),
            "neyman": lambda: chi2(q, p),
            "hellinger": lambda: hellinger(p, q),
            "jeffreys": lambda: functions.kl(p, q) + functions.kl(q, p),
            "js": lambda: functions.js(p, q),
            "gan": lambda: 2.0 * functions.js(p, q) - math.log(4.0),
            "tv": lambda: functions.tv(p, q),
        }
        return float(named[name]())
    if not (callable(f) or isinstance(f, Generator)):
        raise TypeError(f"f must be a generator's name, a divergences.generators.Generator or a callable, got {f!r}")
    return _finite_sum(p, q, f)


def _finite_sum(p, q, f):
    p, q = check_pair(p, q)
    if not (isinstance(p, DiscreteDistribution) and isinstance(q, DiscreteDistribution)):
        bounded = isinstance(f, Generator) and math.isfinite(f.at_zero) and math.isfinite(f.slope_at_infinity)
        if bounded and p.dim == 1:  # |f(u)| <= a + b u: the integral converges for every pair
            return f_divergence_1d.evaluate(p, q, f.f, float(f.at_zero), float(f.slope_at_infinity))
        raise NotImplementedError(
            f"f_divergence with a generator other than the named ones is computed between finite laws only, "
            f"not {type(p).__name__} and {type(q).__name__}, unless it is a Generator with finite f(0) and f'(inf) "
            "and the laws are 1-D: whether the integral of q f(p/q) converges depends on f and on the tails"
        )
    fn = f.f if isinstance(f, Generator) else f
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    seen = b > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = [float(bi) * float(fn(float(ai) / float(bi))) for ai, bi in zip(a[seen], b[seen], strict=True)]
    missed = float(np.sum(a[~seen]))
    if missed > 0.0:
        if not isinstance(f, Generator):
            raise ValueError(
                "Q misses an atom of P, where the f-divergence is f'(inf) times that mass; a plain callable does not "
                "say f'(inf): give a divergences.generators.Generator with slope_at_infinity"
            )
        terms.append(math.inf if f.slope_at_infinity == math.inf else f.slope_at_infinity * missed)
    value = math.fsum(terms) if math.inf not in terms else math.inf
    if math.isnan(value):
        raise ValueError(f"f returned a value that is not a number on the likelihood ratios of {p!r} and {q!r}")
    return value
