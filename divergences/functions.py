r"""The five divergences of the lecture between two laws: closed form if one applies, numeric otherwise.

Each function converts and checks its arguments (:mod:`divergences.laws`) and hands the pair to
the one evaluator of :mod:`divergences.evaluate`.
"""

from . import closed_forms  # noqa: F401  (registers the closed forms)
from .evaluate import evaluate
from .laws import check_base, check_pair


def tv(p, q):
    r"""Total variation distance :math:`\sup_A |P(A) - Q(A)|`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.

    Returns
    -------
    float
        In [0, 1] (unitless).

    Raises
    ------
    TypeError
        If an argument is neither a toy nor a frozen scipy.stats law.
    ValueError
        If the dimensions differ.
    NotImplementedError
        If no closed form applies and the laws are continuous in 3 or more dimensions.

    Notes
    -----
    .. math:: TV(P, Q) = \tfrac12\int |p - q| = 1 - \int \min(p, q)   \quad\text{(Scheffé)}

    Closed forms: 1-D Gaussian pairs (through the two crossing points of the densities),
    Bernoulli/Discrete pairs, Uniform pairs, ShiftedLine pairs; TV = 1 for a discrete or singular
    law against a continuous one and for 1-D continuous laws with disjoint supports. Otherwise
    numeric: 1-D adaptive Gauss-Kronrod quadrature with panels split at the crossings of p and q
    (absolute error <= 1e-9, :mod:`divergences.numeric.one_d`); 2-D iterated cubature for Gaussians
    and mixtures (<= 1e-6, :mod:`divergences.numeric.two_d`).

    References
    ----------
    .. [1] A. B. Tsybakov, *Introduction to Nonparametric Estimation*, Springer 2009, Sec. 2.4.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian, ShiftedLine
    >>> from divergences import tv
    >>> tv(ShiftedLine(0.0), ShiftedLine(0.5))
    1.0
    >>> math.isclose(tv(Gaussian(0, 1), Gaussian(1, 1)), 2 * Gaussian().cdf(0.5) - 1)
    True
    """
    return _divergence("tv", p, q)


def kl(p, q, *, base=None):
    r"""Kullback-Leibler divergence KL(P || Q) = E_P[log p/q].

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension; ``p`` is the law the expectation is taken under.
    base : float, optional
        Logarithm base of the result: None (default) or e for nats, 2 for bits.

    Returns
    -------
    float
        In [0, inf]; ``math.inf`` when P charges a set that Q does not (P not absolutely
        continuous with respect to Q).

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As :func:`tv`; also ``ValueError`` for a ``base`` that is not a number > 1.

    Notes
    -----
    .. math:: KL(P\|Q) = \int p \ln\frac{p}{q}

    Closed forms: Gaussian pairs in any dimension, Bernoulli/Discrete, Uniform, Exponential and
    ShiftedLine pairs; ``inf`` for a discrete or singular law against a continuous one (either
    order) and for 1-D supports that are not nested. Otherwise numeric as in :func:`tv`
    (1-D <= 1e-9, 2-D <= 1e-6).

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., 2006, Ch. 2.

    Examples
    --------
    >>> import math
    >>> from scipy import stats
    >>> from divergences import kl
    >>> # KL(N(0,1) || N(1,4)) = ln 2 + (1 + 1)/8 - 1/2
    >>> math.isclose(kl(stats.norm(0, 1), stats.norm(1, 2)), math.log(2) + 2 / 8 - 0.5)
    True
    """
    factor = check_base(base)
    return _divergence("kl", p, q) * factor


def reverse_kl(p, q, *, base=None):
    r"""Reverse KL divergence KL(Q || P): ``p`` is the data, ``q`` the model.

    The objective of variational inference and of the "mode-seeking" fits: it is ``kl(q, p)``.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        The data law ``p`` and the model ``q``.
    base : float, optional
        As in :func:`kl`.

    Returns
    -------
    float
        In [0, inf], in nats unless ``base`` says otherwise.

    Raises
    ------
    TypeError, ValueError, NotImplementedError
        As :func:`kl`.

    Notes
    -----
    .. math:: KL(Q\|P) = \int q \ln\frac{q}{p}

    Examples
    --------
    >>> from toys import Gaussian
    >>> from divergences import kl, reverse_kl
    >>> p, q = Gaussian(0, 1), Gaussian(1, 2)
    >>> reverse_kl(p, q) == kl(q, p)
    True
    """
    factor = check_base(base)
    return _divergence("reverse_kl", p, q) * factor


def js(p, q, *, base=None):
    r"""Jensen-Shannon divergence, with the 1/2 weights: 0 <= JS <= ln 2.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.
    base : float, optional
        As in :func:`kl`; with ``base=2`` the range is [0, 1].

    Returns
    -------
    float
        The divergence itself, not its square root (scipy's ``jensenshannon`` returns the root).
        Exactly ln 2 when the laws are mutually singular (disjoint supports).

    Notes
    -----
    .. math:: JS(P, Q) = \tfrac12 KL(P\|M) + \tfrac12 KL(Q\|M), \qquad M = \tfrac12(P + Q)

    The GAN value of the optimal discriminator is :math:`-\ln 4 + 2\,JS(P, Q)`.
    Closed forms: Bernoulli/Discrete, Uniform and ShiftedLine pairs; ln 2 for a discrete or
    singular law against a continuous one and for disjoint 1-D supports. Otherwise numeric as in
    :func:`tv` (1-D <= 1e-9, 2-D <= 1e-6).

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37 (1991).
    .. [2] I. Goodfellow et al., "Generative adversarial nets", NeurIPS 2014, Theorem 1.

    Examples
    --------
    >>> import math
    >>> from toys import Bernoulli
    >>> from divergences import js
    >>> js(Bernoulli(0.0), Bernoulli(1.0)) == math.log(2)
    True
    >>> js(Bernoulli(0.0), Bernoulli(1.0), base=2)
    1.0
    """
    factor = check_base(base)
    return _divergence("js", p, q) * factor


def w1(p, q):
    r"""Wasserstein-1 distance with the Euclidean ground metric.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.

    Returns
    -------
    float
        W1 itself (not W1^p as POT's ``wasserstein_1d`` returns), in the units of the samples.

    Notes
    -----
    .. math:: W_1(P, Q) = \inf_{\gamma\in\Pi(P, Q)} E_{(x,y)\sim\gamma}\|x - y\|
              = \sup_{\|f\|_L \le 1} E_P f - E_Q f

    In 1-D, :math:`W_1 = \int |F_P - F_Q|\,dx`. Closed forms: 1-D Gaussian pairs (quantile
    coupling), d-D Gaussians with equal covariances (the distance of the means), Discrete,
    Uniform, Exponential and ShiftedLine pairs (:math:`|\theta_1 - \theta_2|`). Otherwise
    numeric: in 1-D by adaptive Gauss-Kronrod quadrature of :math:`|F_P - F_Q|` with panels split at
    its sign changes (absolute error <= 1e-9); in 2-D by exact optimal transport (POT) between
    discretisations of the two laws on a common grid (absolute error <= 5e-2 max(1, sigma_max),
    sigma_max the largest component standard deviation, :mod:`divergences.numeric.transport_2d`).

    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Ch. 6 and Rem. 2.19.
    .. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017.

    Examples
    --------
    >>> from toys import Gaussian, ShiftedLine
    >>> from divergences import w1
    >>> w1(ShiftedLine(0.0), ShiftedLine(-0.75))
    0.75
    >>> w1(Gaussian(0.0, 1.0), Gaussian(3.0, 1.0))
    3.0
    """
    return _divergence("w1", p, q)


def _divergence(name, p, q, **params):
    p, q = check_pair(p, q)
    return float(evaluate([name], [p], [q], **params)[name][0])
