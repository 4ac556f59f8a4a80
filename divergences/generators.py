r"""The generators of the f-divergences: f, its convex conjugate f*, f' and the f-GAN activation.

An f-divergence is :math:`D_f(P\,\|\,Q) = \int q\, f(p/q) + f'(\infty)\, P(q = 0)` for a convex
``f`` on :math:`[0, \infty)` (Csiszár 1967; Ali and Silvey 1966), with :math:`f(0) = \lim_{u\to0}
f(u)` where p = 0 < q and :math:`f'(\infty) = \lim_{u\to\infty} f(u)/u`. Its variational form
:math:`D_f(P\,\|\,Q) = \sup_T E_P[T] - E_Q[f^*(T)]` (Nguyen, Wainwright and Jordan 2010) is what an
f-GAN trains, with a critic ``T = g_f(V)``: ``V`` a network with real output and ``g_f`` an output
activation onto the domain of :math:`f^*` (Nowozin, Cseke and Tomioka 2016, Section 2 and
Tables 1-2). The optimal critic is :math:`T^* = f'(p/q)`.

Each named :class:`Generator` is scaled so that the f-divergence it generates equals the
toolkit's function of that name: ``"kl"`` is :func:`divergences.kl`, ``"js"`` is
:func:`divergences.js`, ``"hellinger"`` is :func:`divergences.hellinger` (``1 - int sqrt(pq)``), and
so on. Two differ by a factor of 2 from Table 1 of Nowozin et al., whose generators give
:math:`2\,\mathrm{JS}` and :math:`\int(\sqrt p - \sqrt q)^2 = 2 H^2`: ours are half theirs, and
their conjugates and activations are rescaled with them (:math:`(cf)^*(t) = c f^*(t/c)`). The
``"gan"`` generator is Goodfellow et al.'s (2014), :math:`D_f = 2\,\mathrm{JS} - \ln 4`, whose
f-GAN is the original GAN; it is not 0 at P = Q (f(1) = -ln 4).
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = ["GENERATORS", "Generator", "generator"]

_LOG2 = math.log(2.0)


@dataclass(frozen=True)
class Generator:
    """A convex generator f and what an f-divergence and an f-GAN need of it.

    All functions are vectorised over numpy arrays; outside the domain of ``conjugate`` it
    returns ``inf``.

    Attributes
    ----------
    name : str
        Its key in :data:`GENERATORS`.
    f : callable
        ``f(u)`` for ``u >= 0`` (the likelihood ratio p/q).
    conjugate : callable
        The convex conjugate :math:`f^*(t) = \\sup_{u \\ge 0} \\{ut - f(u)\\}`.
    domain : tuple of float
        ``(low, high)``: the interior of the domain of ``conjugate`` (where it is finite).
    derivative : callable
        ``f'(u)`` for ``u > 0``: the optimal critic is ``derivative(p / q)``.
    activation : callable
        The f-GAN output activation ``g_f``, from the reals onto the domain of ``conjugate``
        (Nowozin et al. 2016, Table 2, rescaled with f).
    inverse_activation : callable or None
        :math:`g_f^{-1}`, from the closure of the activation's range back to the extended reals
        (``-inf``/``inf`` at its ends): the raw critic output ``V`` that gives a critic value ``T``.
    at_zero : float
        :math:`f(0) = \\lim_{u \\to 0} f(u)`, the integrand per unit of q where p = 0 (may be inf).
    slope_at_infinity : float
        :math:`f'(\\infty) = \\lim_{u \\to \\infty} f(u)/u`, the integrand per unit of p where
        q = 0 (may be inf).
    reference : str
        Where the formulas come from.
    """

    name: str
    f: Callable
    conjugate: Callable
    domain: tuple
    derivative: Callable
    activation: Callable
    at_zero: float
    slope_at_infinity: float
    reference: str
    inverse_activation: Callable | None = None

    def __post_init__(self):
        for field in ("f", "conjugate", "derivative", "activation", "inverse_activation"):
            if getattr(self, field) is not None:
                object.__setattr__(self, field, _quiet(getattr(self, field)))

    def __repr__(self):
        return f"Generator({self.name!r})"


def _quiet(fn):
    """``fn`` with numpy's floating-point warnings off: its inf (log 0, 1/0) are meant."""

    @functools.wraps(fn)
    def quiet(x):
        with np.errstate(all="ignore"):
            return fn(x)

    return quiet


def _where(condition, value, otherwise=np.inf):
    return np.where(condition, value, otherwise)


def _xlogx(u):
    return special.xlogy(u, u)


def _kl():
    return Generator(
        "kl",
        f=_xlogx,
        conjugate=lambda t: np.exp(np.asarray(t, float) - 1.0),
        domain=(-np.inf, np.inf),
        derivative=lambda u: np.log(u) + 1.0,
        activation=lambda v: np.asarray(v, float),
        at_zero=0.0,
        slope_at_infinity=np.inf,
        reference="Nowozin et al. 2016, Tables 1-2 (Kullback-Leibler)",
        inverse_activation=lambda t: np.asarray(t, float),
    )


def _reverse_kl():
    def conjugate(t):
        t = np.asarray(t, float)
        return _where(t < 0, -1.0 - np.log(-t))

    return Generator(
        "reverse_kl",
        f=lambda u: -np.log(u),
        conjugate=conjugate,
        domain=(-np.inf, 0.0),
        derivative=lambda u: -1.0 / np.asarray(u, float),
        activation=lambda v: -np.exp(-np.asarray(v, float)),
        at_zero=np.inf,
        slope_at_infinity=0.0,
        reference="Nowozin et al. 2016, Tables 1-2 (Reverse KL)",
        inverse_activation=lambda t: -np.log(-np.asarray(t, float)),
    )


def _pearson_conjugate(t):
    # t^2/4 + t is the conjugate over all real u (Nowozin et al.'s); over u >= 0, where f lives, the
    # sup sits at u = 0 once t < -2 = f'(0): f*(t) = -f(0) = -1 there.
    t = np.asarray(t, float)
    return np.where(t >= -2.0, 0.25 * t * t + t, -1.0)


def _pearson():
    return Generator(
        "pearson",
        f=lambda u: (np.asarray(u, float) - 1.0) ** 2,
        conjugate=_pearson_conjugate,
        domain=(-np.inf, np.inf),
        derivative=lambda u: 2.0 * (np.asarray(u, float) - 1.0),
        activation=lambda v: np.asarray(v, float),
        at_zero=1.0,
        slope_at_infinity=np.inf,
        reference="Nowozin et al. 2016, Tables 1-2 (Pearson chi^2)",
        inverse_activation=lambda t: np.asarray(t, float),
    )


def _neyman():
    def conjugate(t):
        t = np.asarray(t, float)
        return _where(t < 1, 2.0 - 2.0 * np.sqrt(np.clip(1.0 - t, 0.0, None)))

    return Generator(
        "neyman",
        f=lambda u: (1.0 - np.asarray(u, float)) ** 2 / np.asarray(u, float),
        conjugate=conjugate,
        domain=(-np.inf, 1.0),
        derivative=lambda u: 1.0 - 1.0 / np.asarray(u, float) ** 2,
        activation=lambda v: -np.expm1(-np.asarray(v, float)),
        at_zero=np.inf,
        slope_at_infinity=1.0,
        reference="Nowozin et al. 2016, Tables 1-2 (Neyman chi^2)",
        inverse_activation=lambda t: -np.log1p(-np.asarray(t, float)),
    )


def _hellinger():
    # Half of Nowozin et al.'s (sqrt(u) - 1)^2, so that D_f = 1 - int sqrt(pq): conjugate t / (1 - 2t).
    def conjugate(t):
        t = np.asarray(t, float)
        return _where(t < 0.5, t / (1.0 - 2.0 * t))

    return Generator(
        "hellinger",
        f=lambda u: 0.5 * (np.sqrt(np.asarray(u, float)) - 1.0) ** 2,
        conjugate=conjugate,
        domain=(-np.inf, 0.5),
        derivative=lambda u: 0.5 * (1.0 - 1.0 / np.sqrt(np.asarray(u, float))),
        activation=lambda v: -0.5 * np.expm1(-np.asarray(v, float)),
        at_zero=0.5,
        slope_at_infinity=0.5,
        reference="Nowozin et al. 2016, Tables 1-2 (squared Hellinger), halved",
        inverse_activation=lambda t: -np.log1p(-2.0 * np.asarray(t, float)),
    )


def _jeffreys():
    def conjugate(t):
        # u* solves log u + 1 - 1/u = t, i.e. u* = 1 / W(e^(1 - t)); W(e^x) is Wright's omega(x).
        # f*(t) = w + 1/w + t - 2 with w = W(e^(1 - t)); w + log w = 1 - t turns it into
        # 1/w - log w - 1, which does not cancel for t << 0 (w + t did: 6e-6 of a D_f lost).
        w = special.wrightomega(1.0 - np.asarray(t, float)).real
        return 1.0 / w - np.log(w) - 1.0

    return Generator(
        "jeffreys",
        f=lambda u: (np.asarray(u, float) - 1.0) * np.log(u),
        conjugate=conjugate,
        domain=(-np.inf, np.inf),
        derivative=lambda u: np.log(u) + 1.0 - 1.0 / np.asarray(u, float),
        activation=lambda v: np.asarray(v, float),
        at_zero=np.inf,
        slope_at_infinity=np.inf,
        reference="Nowozin et al. 2016, Tables 1-2 (Jeffrey)",
        inverse_activation=lambda t: np.asarray(t, float),
    )


def _js():
    # Half of Nowozin et al.'s u log u - (u + 1) log((u + 1) / 2), so that D_f = JS.
    def f(u):
        u = np.asarray(u, float)
        return 0.5 * (_xlogx(u) - (u + 1.0) * (np.log1p(u) - _LOG2))

    def conjugate(t):
        t = np.asarray(t, float)
        return _where(t < 0.5 * _LOG2, -0.5 * np.log(2.0 - np.exp(2.0 * t)))

    return Generator(
        "js",
        f=f,
        conjugate=conjugate,
        domain=(-np.inf, 0.5 * _LOG2),
        derivative=lambda u: 0.5 * (_LOG2 + np.log(u) - np.log1p(u)),
        activation=lambda v: 0.5 * (_LOG2 - np.logaddexp(0.0, -np.asarray(v, float))),
        at_zero=0.5 * _LOG2,
        slope_at_infinity=0.5 * _LOG2,
        reference="Nowozin et al. 2016, Tables 1-2 (Jensen-Shannon), halved",
        inverse_activation=_js_inverse,
    )


def _js_inverse(t):
    # t = (ln 2 - softplus(-v)) / 2  <=>  e^(-v) = 2 e^(-2t) - 1 = expm1(ln 2 - 2t)
    return -np.log(np.expm1(_LOG2 - 2.0 * np.asarray(t, float)))


def _gan():
    def f(u):
        u = np.asarray(u, float)
        return _xlogx(u) - special.xlogy(u + 1.0, u + 1.0)

    def conjugate(t):
        t = np.asarray(t, float)
        return _where(t < 0, -np.log(-np.expm1(t)))

    return Generator(
        "gan",
        f=f,
        conjugate=conjugate,
        domain=(-np.inf, 0.0),
        derivative=lambda u: np.log(u) - np.log1p(u),
        activation=lambda v: -np.logaddexp(0.0, -np.asarray(v, float)),
        at_zero=0.0,
        slope_at_infinity=0.0,
        reference="Nowozin et al. 2016, Tables 1-2 (GAN); Goodfellow et al. 2014, Theorem 1",
        inverse_activation=lambda t: -np.log(np.expm1(-np.asarray(t, float))),
    )


def _tv():
    def conjugate(t):
        # t on [-1/2, 1/2] (Nowozin et al.); over u >= 0 the sup sits at u = 0 below -1/2: -f(0).
        t = np.asarray(t, float)
        return _where(t <= 0.5, np.maximum(t, -0.5))

    return Generator(
        "tv",
        f=lambda u: 0.5 * np.abs(np.asarray(u, float) - 1.0),
        conjugate=conjugate,
        domain=(-np.inf, 0.5),
        derivative=lambda u: 0.5 * np.sign(np.asarray(u, float) - 1.0),
        activation=lambda v: 0.5 * np.tanh(np.asarray(v, float)),
        at_zero=0.5,
        slope_at_infinity=0.5,
        reference="Nowozin et al. 2016, Tables 1-2 (Total variation)",
        inverse_activation=lambda t: np.arctanh(2.0 * np.asarray(t, float)),
    )


#: The named generators, in the order of Nowozin et al. (2016), Table 1.
GENERATORS = {g.name: g for g in (_kl(), _reverse_kl(), _pearson(), _neyman(), _hellinger(), _jeffreys(), _js(),
                                  _gan(), _tv())}  # fmt: skip


def generator(f):
    """The :class:`Generator` named ``f`` (or ``f`` itself if it is one).

    Parameters
    ----------
    f : str or Generator
        A key of :data:`GENERATORS`.

    Returns
    -------
    Generator

    Raises
    ------
    ValueError
        If ``f`` is a string that names no generator.
    TypeError
        If ``f`` is neither a string nor a :class:`Generator`.

    Examples
    --------
    >>> from divergences.generators import generator
    >>> g = generator("hellinger")
    >>> float(g.f(1.0)), float(g.conjugate(0.0)), g.slope_at_infinity
    (0.0, 0.0, 0.5)
    """
    if isinstance(f, Generator):
        return f
    if isinstance(f, str):
        if f not in GENERATORS:
            raise ValueError(f"f must be one of {tuple(GENERATORS)} or a Generator, got {f!r}")
        return GENERATORS[f]
    raise TypeError(f"f must be a generator's name (one of {tuple(GENERATORS)}) or a Generator, got {f!r}")
