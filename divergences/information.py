r"""Entropy and cross-entropy of the toys: closed forms where they exist, quadrature otherwise.

.. math:: H(P) = -E_P \log p, \qquad H(P, Q) = -E_P \log q, \qquad
          \mathrm{KL}(P\|Q) = H(P, Q) - H(P),

with ``p`` and ``q`` the densities of continuous laws (differential entropy) or the mass
functions of discrete ones (Shannon entropy), in nats. The identity holds when both laws are of
one kind, so that ``p`` and ``q`` are densities with respect to one measure.

A discrete P against a continuous Q is the case of maximum likelihood: with P the empirical law
of a sample (:func:`toys.empirical_law`), :math:`H(P, Q) = -\frac1n\sum_i \log q(x_i)` is the
average negative log-likelihood, finite, while :math:`\mathrm{KL}(P\|Q) = \infty` (P charges
points, Q none). A continuous P against a discrete Q has :math:`H(P, Q) = \infty`.

Closed forms are registered per type, and per pair of types, in the registries ``"entropy"``
and ``"cross_entropy"`` of :mod:`divergences.registry` (:mod:`divergences.closed_forms.information`):
the most specific registration that does not return ``NotImplemented`` gives the value.
Continuous 1-D pairs left over are integrated by the adaptive Gauss-Kronrod quadrature of
:mod:`divergences.numeric.one_d` (absolute error <= 1e-9).
"""

import math

import numpy as np

from toys.base import ContinuousDistribution, SingularDistribution

from . import closed_forms  # noqa: F401  (registers the closed forms)
from .laws import as_toy, check_base, check_pair
from .numeric import one_d, quadrature
from .numeric.pairs import affine, check_resolution
from .numeric.panels import edges_and_window, scale_of
from .numeric.rows import Rows
from .registry import REGISTRIES


def entropy(p, *, base=None):
    r"""Entropy :math:`H(P) = -E_P \log p`: Shannon's for discrete laws, differential for continuous ones.

    Parameters
    ----------
    p : toy or frozen scipy.stats distribution
        A discrete law, or a continuous one (closed forms in any dimension for Gaussians;
        quadrature for other 1-D laws).
    base : float, optional
        Logarithm base of the result: None (default) or e for nats, 2 for bits.

    Returns
    -------
    float
        In nats unless ``base`` says otherwise. Shannon entropy is >= 0; differential entropy
        can be negative (a law narrower than a unit interval).

    Raises
    ------
    TypeError
        If ``p`` is not a law, or is a singular law (no density).
    ValueError
        If ``base`` is not a number > 1.
    NotImplementedError
        For a continuous law in 2 or more dimensions that is not a Gaussian, and for a 1-D law
        with structure more than 1e6 of its scales from the centre of its window (a mixture with
        components at 0 and 1e12 of spread 1: :mod:`divergences.numeric.pairs`).

    Notes
    -----
    Closed forms [1]_: :math:`\tfrac12\log\det(2\pi e\Sigma)` (Gaussian),
    :math:`\log(b - a)` (Uniform), :math:`1 - \log\lambda` (Exponential),
    :math:`-\sum_i p_i\log p_i` (discrete). Otherwise :math:`-\int p\log p` by quadrature
    (absolute error <= 1e-9).

    Unlike ``scipy.stats.entropy(pk, qk)``, which returns KL when given two arguments, this
    function takes one law; the cross-entropy is :func:`cross_entropy`.

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley 2006,
       Ch. 2 and Ch. 8 (differential entropy; Table 17.1).

    Examples
    --------
    >>> import math
    >>> from toys import Bernoulli, Gaussian, Uniform
    >>> from divergences import entropy
    >>> entropy(Bernoulli(0.5), base=2)
    1.0
    >>> math.isclose(entropy(Gaussian(0.0, 2.0)), 0.5 * math.log(2 * math.pi * math.e * 4))
    True
    >>> entropy(Uniform(0.0, 0.5)) < 0  # differential entropy can be negative
    True
    """
    factor = check_base(base)
    p = as_toy(p, "p")
    if isinstance(p, SingularDistribution):
        raise TypeError(f"p has no density or mass function, so no entropy: got {p!r}")
    value = REGISTRIES["entropy"].closed_form(p)
    if value is not NotImplemented:
        return value * factor
    if isinstance(p, ContinuousDistribution) and p.dim == 1:
        return _integrate(p, p, _minus_p_log_q) * factor
    raise NotImplementedError(
        f"entropy of {p!r} in {p.dim} dimensions has no closed form here and the quadrature covers 1-D laws"
    )


def cross_entropy(p, q, *, base=None):
    r"""Cross-entropy :math:`H(P, Q) = -E_P \log q`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension; the expectation is under ``p``, the log density (or
        mass function) is that of ``q``.
    base : float, optional
        Logarithm base of the result: None (default) or e for nats, 2 for bits.

    Returns
    -------
    float
        In nats unless ``base`` says otherwise; ``math.inf`` where P charges a set on which q is
        0 (the support of P not inside that of Q, or P continuous and Q discrete).

    Raises
    ------
    TypeError
        If an argument is not a law, or ``q`` is singular (no density).
    ValueError
        If the dimensions differ or ``base`` is not a number > 1.
    NotImplementedError
        For pairs in 2 or more dimensions with no closed form (``q`` not a Gaussian), and for
        a 1-D ``p`` that :func:`entropy` refuses by quadrature.

    Notes
    -----
    .. math:: H(P, Q) = -\int p \log q = \mathrm{KL}(P\|Q) + H(P) \quad\text{(P, Q of one kind)}

    Closed forms [1]_:

    * Gaussian Q, any P with a mean and a covariance (discrete, continuous or singular):
      :math:`\tfrac12\big[\log\det(2\pi\Sigma_Q) + \operatorname{tr}(\Sigma_Q^{-1}(\Sigma_P +
      (\mu_P - \mu_Q)(\mu_P - \mu_Q)^\top))\big]`, since :math:`-\log q` is quadratic.
    * Exponential pair: :math:`-\log\lambda_Q + \lambda_Q(E_P X - \mathrm{loc}_Q)` if
      :math:`\mathrm{loc}_P \ge \mathrm{loc}_Q`, else :math:`\infty`.
    * Uniform pair: :math:`\log(d - c)` if :math:`[a, b] \subseteq [c, d]`, else :math:`\infty`.
    * Discrete P: :math:`-\sum_i p_i \log q(a_i)` over its atoms, with q the mass function of a
      discrete Q or the density of a continuous one (the average negative log-likelihood when P
      is an empirical law); :math:`\infty` if q vanishes at an atom.
    * Continuous or singular P, discrete Q: :math:`\infty`.

    Other continuous 1-D pairs: :math:`\infty` if the support of P is not inside that of Q,
    otherwise :math:`-\int p\log q` by quadrature (absolute error <= 1e-9).

    Unlike ``scipy.stats.entropy(pk, qk)``, which returns KL(pk || qk), this is the
    cross-entropy itself.

    References
    ----------
    .. [1] T. M. Cover, J. A. Thomas, *Elements of Information Theory*, 2nd ed., Wiley 2006, Ch. 2.
    .. [2] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press 2012, Sec. 2.8.2.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian, GaussianMixture, Uniform
    >>> from divergences import cross_entropy, entropy, kl
    >>> p = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    >>> q = Gaussian(0.0, 1.5)
    >>> math.isclose(kl(p, q), cross_entropy(p, q) - entropy(p), abs_tol=1e-9)
    True
    >>> cross_entropy(Gaussian(), Uniform(-1.0, 1.0))  # q = 0 where p > 0
    inf
    """
    factor = check_base(base)
    p, q = check_pair(p, q)
    if isinstance(q, SingularDistribution):
        raise TypeError(f"q has no density or mass function, so no cross-entropy: got {q!r}")
    value = REGISTRIES["cross_entropy"].closed_form(p, q)
    if value is not NotImplemented:
        return value * factor
    if isinstance(p, ContinuousDistribution) and isinstance(q, ContinuousDistribution) and p.dim == 1:
        return _integrate(p, q, _minus_p_log_q) * factor
    raise NotImplementedError(
        f"cross_entropy({type(p).__name__}, {type(q).__name__}) in {p.dim} dimensions has no closed form here "
        "and the quadrature covers 1-D laws"
    )


# -- the numeric path ---------------------------------------------------------------------------
def _minus_p_log_q(lp, lq):
    """-p log q from log densities: 0 where p = 0."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where(lp > -np.inf, -np.exp(lp) * lq, 0.0)


def _integrate(p, q, integrand):
    """-int p log q by quadrature on the panels of numeric.one_d, in coordinates centred and scaled on P.

    With Z = (X - c) / s (numeric.pairs: c the centre of P's window where it lies far from the
    origin, s a power of two near P's scale), -int p log q = -int p_Z log q_Z + log s: a mixture at
    1e12 of spread 1 is integrated on panels around 0, not on nodes rounded by 1e-4.
    """
    lo, hi = edges_and_window(p)[1]
    centre = 0.5 * lo + 0.5 * hi
    c = centre if abs(centre) > 16.0 * (hi - lo) else 0.0
    s = 2.0 ** round(math.log2(scale_of(p)))
    check_resolution(p, c)
    p, q = affine(p, c, s), affine(q, c, s)
    panels = quadrature.panels_from_edges([one_d.panel_edges(p, q)])
    rows_p, rows_q = Rows([p]), Rows([q])

    def f(x, row):
        return integrand(rows_p.logpdf(x, row), rows_q.logpdf(x, row))

    return float(quadrature.adaptive(f, panels, 1)[0]) + math.log(s)
