r"""Transport between 1-D laws: the monotone map :math:`F_Q^{-1} \circ F_P`, its cost, W1 from quantiles.

In one dimension a generator that is exactly right is known in closed form. If :math:`X \sim P`
has a continuous CDF :math:`F_P`, then :math:`F_P(X)` is uniform on [0, 1] and

.. math:: T(X) = F_Q^{-1}(F_P(X)) \sim Q .

With a uniform latent this is the inverse-CDF generator :math:`F_Q^{-1}(U)`; with the standard
normal latent of a GAN it is :math:`F_Q^{-1} \circ \Phi`. The map is the increasing rearrangement
of :math:`P` onto :math:`Q`, and it is an optimal transport map for every convex cost
:math:`c(x - y)`, so that [1]_

.. math:: W_1(P, Q) = E\,|T(X) - X| = \int_0^1 |F_P^{-1}(u) - F_Q^{-1}(u)|\,du
          = \int |F_P(t) - F_Q(t)|\,dt .

The decreasing rearrangement :math:`F_Q^{-1}(1 - F_P(x))` also pushes :math:`P` to :math:`Q`; by
the same rearrangement inequality its cost :math:`E|T(X) - X|` is the largest of all couplings
[2]_.

* :func:`transport_map` -- the increasing (or decreasing) map as a vectorised callable,
  computed from the tail where the probability is small, so it stays finite and accurate far
  into both tails (:mod:`divergences.transport.tails`).
* :func:`transport_cost` -- :math:`E_P|T(X) - X|` for any vectorised map :math:`T`.
* :func:`w1_quantile` -- W1 as the quantile integral, a computation independent of the
  :math:`\int |F_P - F_Q|` quadrature of :func:`divergences.w1`.

Both integrals are taken in the Gaussian coordinate :math:`u = \Phi(z)`: as
:math:`\int h(z)\,\varphi(z)\,dz` over :math:`|z| \le 16` (the mass beyond is
:math:`1.3 \cdot 10^{-57}`) by the package's adaptive Gauss-Kronrod quadrature, with panels cut
at the sign changes of :math:`h` (:mod:`divergences.numeric.quadrature`). Absolute error below 1e-9 for
the toys (checked against :func:`divergences.w1` in the tests).

References
----------
.. [1] C. Villani, *Topics in Optimal Transportation*, AMS 2003, Theorem 2.18 and Remark 2.19.
.. [2] S. Cambanis, G. Simons, W. Stout, "Inequalities for E k(X, Y) when the marginals are
   fixed", Z. Wahrscheinlichkeitstheorie verw. Gebiete 36 (1976), 285-294.
"""

import numpy as np

from toys import Gaussian

from ..numeric import quadrature
from .tails import tails

__all__ = ["TransportMap", "transport_cost", "transport_map", "w1_quantile"]

#: Half-width of the window of the Gaussian coordinate z; the mass outside is 2 Phi(-16) = 1.3e-57.
Z_MAX = 16.0
_PANEL_EDGES = np.linspace(-Z_MAX, Z_MAX, 65)
_LOG_SQRT_2PI = 0.5 * float(np.log(2 * np.pi))


class TransportMap:
    r"""The map :math:`x \mapsto F_Q^{-1}(F_P(x))` (or :math:`F_Q^{-1}(1 - F_P(x))`) of :func:`transport_map`.

    Calling it on an array of points returns the transported points, same shape, float.

    Attributes
    ----------
    source, target : toy
        :math:`P` and :math:`Q` (scipy.stats laws are converted to toys or wrapped).
    increasing : bool
        Whether this is the increasing rearrangement (the optimal one) or the decreasing one.
    """

    def __init__(self, source, target, increasing=True):
        self._src, self._tgt = tails(source, "source"), tails(target, "target")
        self.source, self.target = self._src.law, self._tgt.law
        self.increasing = bool(increasing)

    def __repr__(self):
        return f"TransportMap({self.source!r} -> {self.target!r}, increasing={self.increasing})"

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        out = np.full(x.shape, np.nan)
        ok = ~np.isnan(x)
        xs = x[ok]
        lc, ls = self._src.logcdf(xs), self._src.logsf(xs)
        left = lc <= ls  # F_P(x) <= 1/2: the left tail is the accurate one
        y = np.empty(xs.shape)
        if self.increasing:  # level F_P(x): left of the median from log F_P, right of it from log(1 - F_P)
            y[left], y[~left] = self._tgt.from_logcdf(lc[left]), self._tgt.from_logsf(ls[~left])
        else:  # level 1 - F_P(x): the two tails swap
            y[left], y[~left] = self._tgt.from_logsf(lc[left]), self._tgt.from_logcdf(ls[~left])
        out[ok] = y
        return out[()] if out.ndim == 0 else out

    def derivative(self, x):
        r"""Slope of the map, :math:`\pm\, p(x) / q(T(x))` (the change of variables), same shape as ``x``."""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            slope = np.exp(self.source.logpdf(x) - self.target.logpdf(self(x)))
        return slope if self.increasing else -slope

    def inverse(self):
        """The map from ``target`` back to ``source``, of the same monotonicity."""
        return TransportMap(self.target, self.source, self.increasing)


def transport_map(source, target, *, increasing=True):
    r"""The map that pushes the 1-D law ``source`` onto ``target``: :math:`T = F_Q^{-1} \circ F_P`.

    Parameters
    ----------
    source, target : toy or frozen scipy.stats distribution
        Continuous 1-D laws :math:`P` and :math:`Q` (Gaussian, Exponential, Uniform, a 1-D
        GaussianMixture, or a continuous scipy.stats law).
    increasing : bool, optional
        ``True`` (default): the increasing rearrangement :math:`F_Q^{-1}(F_P(x))`, the optimal
        transport map. ``False``: the decreasing one, :math:`F_Q^{-1}(1 - F_P(x))`.

    Returns
    -------
    TransportMap
        A vectorised callable: points of shape ``(...)`` to transported points of shape ``(...)``,
        in the units of ``target``; also ``derivative(x)`` and ``inverse()``.

    Raises
    ------
    TypeError
        If a law is not a toy or frozen scipy.stats law, or is not continuous.
    ValueError
        If a law is not one-dimensional.

    Notes
    -----
    If :math:`X \sim P` then :math:`F_P(X) \sim U[0, 1]` (P continuous) and
    :math:`P(F_Q^{-1}(U) \le y) = P(U \le F_Q(y)) = F_Q(y)`, so :math:`T(X) \sim Q` exactly.
    Computed as written, :math:`F_P(x)` rounds to 1 in the right tail
    (:math:`\Phi(z) = 1` in doubles for :math:`z > 8.3`); here a point right of the median of
    :math:`P` goes through :math:`\log(1 - F_P(x))` and the quantile of :math:`Q` is read from
    that same log tail probability, so that for example the map from :math:`N(0, 1)` to
    :math:`\mathrm{Exp}(1)`, :math:`T(z) = -\log \Phi(-z)`, is accurate up to :math:`z \approx 37`.
    Outside the support of ``source`` the increasing map returns the nearest end of ``target``'s
    support (below the source's support, the target's lower end) and the decreasing map the far
    end (below the source's support, the target's upper end), as its order reversal requires.

    References
    ----------
    .. [1] L. Devroye, *Non-Uniform Random Variate Generation*, Springer 1986, Theorem II.2.1
       (the inverse-CDF method).
    .. [2] C. Villani, *Topics in Optimal Transportation*, AMS 2003, Theorem 2.18.

    Examples
    --------
    The Gaussian latent of a GAN, pushed to the exponential law of rate 1:

    >>> import numpy as np
    >>> from scipy import special
    >>> from toys import Exponential, Gaussian
    >>> from divergences.transport import transport_map
    >>> T = transport_map(Gaussian(0, 1), Exponential(rate=1.0))
    >>> z = np.array([-3.0, 0.0, 3.0, 20.0])
    >>> bool(np.allclose(Exponential(1.0).cdf(T(z[:3])), special.ndtr(z[:3])))   # F_Q(T(z)) = Phi(z)
    True
    >>> bool(np.isclose(T(20.0), -special.log_ndtr(-20.0)))   # 1 - Phi(20) is 0 in doubles
    True
    """
    return TransportMap(source, target, increasing)


def transport_cost(T, source):
    r"""The cost :math:`E|T(X) - X|`, :math:`X \sim` ``source``, of moving ``source`` by the map ``T``.

    Parameters
    ----------
    T : callable
        Vectorised map: points of shape ``(...)`` to points of shape ``(...)``.
    source : toy or frozen scipy.stats distribution
        A continuous 1-D law with a finite first moment.

    Returns
    -------
    float
        In the units of the samples. For ``T = transport_map(source, target)`` it is
        :math:`W_1(\text{source}, \text{target})`; for any other map that pushes ``source`` to
        ``target`` it is at least that (a coupling's cost); for the decreasing rearrangement it is
        the largest cost of all couplings.

    Raises
    ------
    TypeError, ValueError
        As :func:`transport_map` for ``source``; ``TypeError`` if ``T`` is not callable.

    Notes
    -----
    With :math:`S = F_P^{-1} \circ \Phi` (so :math:`S(Z) \sim P` for :math:`Z \sim N(0, 1)`),

    .. math:: E|T(X) - X| = \int |T(S(z)) - S(z)|\,\varphi(z)\,dz,

    integrated over :math:`|z| \le 16` as described in :mod:`divergences.transport.maps`.

    Examples
    --------
    :math:`N(0, 1)` is stochastically below :math:`\mathrm{Exp}(1)` (:math:`T(z) \ge z` for every
    z), so every point moves right and the cost is the difference of the means, 1:

    >>> import math
    >>> from toys import Exponential, Gaussian
    >>> from divergences.transport import transport_cost, transport_map
    >>> T = transport_map(Gaussian(0, 1), Exponential(1.0))
    >>> math.isclose(transport_cost(T, Gaussian(0, 1)), 1.0, abs_tol=1e-9)
    True
    """
    if not callable(T):
        raise TypeError(f"T must be a vectorised callable (a map of points), got {T!r}")
    S = transport_map(Gaussian(0.0, 1.0), tails(source, "source").law)
    return gaussian_expectation_abs(lambda z: T(S(z)) - S(z))


def w1_quantile(p, q):
    r"""W1 between two continuous 1-D laws as the quantile integral :math:`\int_0^1 |F_P^{-1} - F_Q^{-1}|`.

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Continuous 1-D laws with finite first moments.

    Returns
    -------
    float
        :math:`W_1(P, Q)`, in the units of the samples.

    Raises
    ------
    TypeError, ValueError
        As :func:`transport_map`.

    Notes
    -----
    .. math:: W_1(P, Q) = \int_0^1 |F_P^{-1}(u) - F_Q^{-1}(u)|\,du = E\,|T_P(Z) - T_Q(Z)|,
              \qquad T = F^{-1} \circ \Phi,\ Z \sim N(0, 1),

    the quantile coupling [1]_, integrated in z (no endpoint singularities, both tails read from
    their log probabilities). It is independent of :func:`divergences.w1`, which integrates
    :math:`|F_P - F_Q|` over x.

    References
    ----------
    .. [1] C. Villani, *Optimal Transport: Old and New*, Springer 2009, Remark 2.19.

    Examples
    --------
    >>> import math
    >>> from toys import Exponential, Gaussian
    >>> from divergences import w1
    >>> from divergences.transport import w1_quantile
    >>> p, q = Gaussian(0.0, 1.0), Exponential(rate=2.0, loc=-1.0)
    >>> math.isclose(w1_quantile(p, q), w1(p, q), abs_tol=1e-9)
    True
    """
    z_to_p = transport_map(Gaussian(0.0, 1.0), tails(p, "p").law)
    z_to_q = transport_map(Gaussian(0.0, 1.0), tails(q, "q").law)
    return gaussian_expectation_abs(lambda z: z_to_p(z) - z_to_q(z))


def gaussian_expectation_abs(h):
    r""":math:`E|h(Z)|` for :math:`Z \sim N(0, 1)`, by adaptive quadrature over :math:`|z| \le 16`.

    ``h`` is vectorised over arrays of any shape. The panels are cut at the sign changes of
    ``h`` (:func:`divergences.numeric.quadrature.adaptive_abs`), so kinks of :math:`|h|` do not slow the
    quadrature; the absolute error is about 1e-12 for smooth ``h`` of moderate growth.
    """

    def g(z, _row):
        return h(z) * np.exp(-0.5 * z * z - _LOG_SQRT_2PI)

    panels = quadrature.panels_from_edges([_PANEL_EDGES])
    return float(quadrature.adaptive_abs(g, panels, 1)[0])
