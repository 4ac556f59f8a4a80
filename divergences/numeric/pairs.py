"""A pair of 1-D laws in coordinates centred and scaled on the pair, or recognised as separated.

The divergences are invariant under the affine maps ``x -> (x - c) / s`` (W1 scales by ``s``), so
the 1-D quadrature works in the coordinates :func:`standardise` chooses for each pair: ``s`` a
power of two near the smaller of the two laws' structure scales (scaling by it is exact), and ``c``
the centre of the pair's window when that window lies far from the origin relative to its width
(a mixture at 1e12 or 1e20), 0 otherwise. A law at 1e20 of scale 1 is then integrated on panels
of width 2 around 0, not on panels that rounding collapses.

Two laws whose windows (each holding all but 1e-17 of its mass, 1e-30 for a scipy.stats law) do
not meet are :func:`separated`: their TV is 1 and their JS ln 2 to within 1e-16, their W1 the
distance of their means (one lies to the left of the other), and KL(P || Q) is the integral over
P's window alone, in P's coordinates.

In those coordinates a quadrature node at distance L from the origin is rounded by up to
2^-53 L, so a feature of scale sigma (a mixture component) lying more than :data:`MAX_OFFSET`
of its scales from the origin would be resolved to worse than 1e-10 of sigma; such a law
(a mixture with one component at 0 and one at 1e20, both of scale 1) is refused by
:func:`check_resolution` rather than integrated on panels that rounding collapses.
"""

import math

import numpy as np

from toys import Exponential, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution

from .panels import edges_and_window, scale_of

__all__ = [
    "MAX_OFFSET",
    "MAX_SCALE_RATIO",
    "Affine",
    "AffineDiscrete",
    "AffineMixture",
    "MovedExponential",
    "MovedUniform",
    "affine",
    "check_resolution",
    "separated",
    "standardise",
]

#: Largest ratio of the structure scales of the two laws of a pair that the quadrature resolves.
MAX_SCALE_RATIO = 1e12
#: Farthest a feature may lie from the origin of the integration's coordinates, in its own scales.
MAX_OFFSET = 1e6
#: A pair's window is "far from the origin" when its centre exceeds this many widths.
_FAR = 16.0


def windows(p, q):
    """The windows ``(lo, hi)`` of the two laws."""
    return edges_and_window(p)[1], edges_and_window(q)[1]


def separated(p, q):
    """Whether the windows of the two laws do not meet (see the module docstring)."""
    (lo_p, hi_p), (lo_q, hi_q) = windows(p, q)
    return hi_p < lo_q or hi_q < lo_p


def standardise(p, q, unit="small", floor=0.0):
    """``(p', q', c, s)``: the pair in the coordinates ``(x - c) / s`` of the module docstring.

    ``unit="large"`` scales by the larger structure scale instead: W1 is an integral of
    :math:`|F_p - F_q|` over the whole window, whose rounding noise (1e-16 per unit length)
    must stay small in the units the quadrature's absolute tolerance is set in. ``floor``: a
    smallest unit (the MMD's smoothing width, which sets the scale of its integrand).

    Raises
    ------
    NotImplementedError
        If the two laws' structure scales differ by more than :data:`MAX_SCALE_RATIO`.
    """
    # a discrete law's structure is its atoms, which are edges whatever the scale: only the
    # continuous laws' scales decide the unit (a pair of discrete laws is summed in closed form)
    sp, sq = scale_of(p), scale_of(q)
    continuous = [s for d, s in ((p, sp), (q, sq)) if not isinstance(d, DiscreteDistribution)]
    small, large = (min(continuous), max(continuous)) if continuous else (1.0, 1.0)
    if large > MAX_SCALE_RATIO * small:
        raise NotImplementedError(
            f"the scales of {p!r} and {q!r} ({sp:.3g} and {sq:.3g}) differ by more than a factor "
            f"{MAX_SCALE_RATIO:g}, beyond what the 1-D quadrature resolves in one integral"
        )
    (lo_p, hi_p), (lo_q, hi_q) = windows(p, q)
    lo, hi = min(lo_p, lo_q), max(hi_p, hi_q)
    centre = 0.5 * lo + 0.5 * hi
    c = centre if abs(centre) > _FAR * (hi - lo) else 0.0
    s = 2.0 ** round(math.log2(max(large if unit == "large" else small, floor)))
    check_resolution(p, c)
    check_resolution(q, c)
    return affine(p, c, s), affine(q, c, s), c, s


def check_resolution(d, c):
    """Refuse ``d`` if a feature of it lies more than :data:`MAX_OFFSET` of its scales from ``c``.

    Laws without features (scipy.stats laws) are resolved from their quantiles, whose panels
    widen with the distance from the centre, and are not checked.

    Raises
    ------
    NotImplementedError
        Naming the law, the feature and its distance from ``c`` in its own scales.
    """
    if isinstance(d, DiscreteDistribution):
        return
    features = d.features()
    if features is None:
        return
    locs, scales = (np.asarray(a, dtype=float) for a in features)
    offsets = np.abs(locs - c) / scales
    worst = int(np.argmax(offsets))
    if offsets[worst] > MAX_OFFSET:
        raise NotImplementedError(
            f"{d!r} has structure of scale {scales[worst]:.3g} at {locs[worst]:.6g}, {offsets[worst]:.2g} of its "
            f"scales from the centre {c:.6g} of the pair's coordinates (at most {MAX_OFFSET:g}): the quadrature "
            "nodes would be rounded beyond its accuracy there; estimate the divergence from samples with "
            "divergences.empirical"
        )


def affine(d, c, s):
    """The law of ``(X - c) / s`` for ``X ~ d``: ``d`` itself when the map is the identity.

    Gaussians, mixtures, exponential and uniform laws become laws of their family with the mapped
    parameters, evaluated in the new coordinates: a view that maps each node back to ``c + s z``
    would round it by 2^-53 |c|, more than the law's scale allows when it lies far from the origin.
    """
    if c == 0.0 and s == 1.0:
        return d
    if isinstance(d, DiscreteDistribution):
        return AffineDiscrete(d, c, s)
    if hasattr(d, "as_mixture") and d.dim == 1:
        return AffineMixture(d, c, s)
    if type(d) is Exponential:
        return MovedExponential(d.rate * s, (d.loc - c) / s)
    if type(d) is Uniform:
        return MovedUniform((d.low - c) / s, (d.high - c) / s)
    moved = _moved_scipy(d, c, s)
    return Affine(d, c, s) if moved is None else moved


def _moved_scipy(d, c, s):
    """A wrapped frozen scipy.stats law re-frozen with its loc and scale mapped, or None.

    ``(loc - c) / s`` keeps the digits that ``c + s z`` would round away for a law far from the
    origin; the wrapper's checks (finite variance, bounded density, mass 1) do not depend on loc
    and scale, so the copy is not checked again.
    """
    frozen = getattr(d, "frozen", None)
    dist = getattr(frozen, "dist", None)
    if dist is None or not hasattr(dist, "numargs"):
        return None
    args, kwds = tuple(frozen.args), dict(frozen.kwds)
    shapes, rest = args[: dist.numargs], list(args[dist.numargs :])
    loc = float(rest.pop(0)) if rest else float(kwds.pop("loc", 0.0))
    scale = float(rest.pop(0)) if rest else float(kwds.pop("scale", 1.0))
    moved = object.__new__(type(d))
    moved.__dict__.update(d.__dict__)
    moved.frozen = dist(*shapes, loc=(loc - c) / s, scale=scale / s, **kwds)
    lo, hi = d.support
    moved._support = ((lo - c) / s, (hi - c) / s)
    return moved


class MovedExponential(Exponential):
    """The image of a checked :class:`toys.Exponential` under :func:`affine` (not checked again).

    In the coordinates of a separated pair its parameters may lie beyond the toys' ranges (a law
    1e150 away, in units of the other law's scale).
    """

    def __init__(self, rate, loc):
        self.rate, self.loc = float(rate), float(loc)


class MovedUniform(Uniform):
    """The image of a checked :class:`toys.Uniform` under :func:`affine` (not checked again)."""

    def __init__(self, low, high):
        self.low, self.high = float(low), float(high)
        self.width = self.high - self.low


class Affine(ContinuousDistribution):
    """The law of ``(X - c) / s`` for a continuous 1-D law ``X ~ law`` (a view: no copy, no checks)."""

    dim = 1

    def __init__(self, law, c, s):
        self.law, self.c, self.s = law, float(c), float(s)
        self._log_s = math.log(self.s)

    def parameters(self):
        return {"law": self.law, "c": self.c, "s": self.s}

    def _to(self, z):
        return self.c + self.s * np.asarray(z, dtype=float)

    def _from(self, x):
        return (np.asarray(x, dtype=float) - self.c) / self.s

    @property
    def support(self):
        low, high = self.law.support
        return float(self._from(low)), float(self._from(high))

    @property
    def mean(self):
        return float(self._from(self.law.mean))

    def features(self):
        f = self.law.features()
        return None if f is None else (self._from(f[0]), np.asarray(f[1], dtype=float) / self.s)

    def logpdf(self, z):
        return self.law.logpdf(self._to(z)) + self._log_s

    def cdf(self, z):
        return self.law.cdf(self._to(z))

    def ppf(self, u):
        return self._from(self.law.ppf(u))

    def isf(self, u):
        return self._from(self.law.isf(u)) if hasattr(self.law, "isf") else self._from(self.law.ppf(1.0 - u))


class AffineMixture(Affine):
    """:class:`Affine` of a Gaussian or a 1-D Gaussian mixture, still a mixture (stacked by ``Rows``)."""

    def as_mixture(self):
        w, m, sd = self.components()
        return w, m[:, None], (sd * sd)[:, None, None]

    def components(self):
        """``(weights, means, standard deviations)``, each (K,): the deviations without squaring them,
        which can underflow where one is far narrower than the scale of the view."""
        w, m, cov = self.law.as_mixture()
        return w, self._from(m[:, 0]), np.sqrt(cov[:, 0, 0]) / self.s

    @property
    def mean(self):
        """From the components' means in these coordinates, not from the law's mean, rounded in its own."""
        w, m, _ = self.as_mixture()
        return float(w @ m[:, 0])

    def features(self):
        w, m, sd = self.components()
        keep = w > 0
        return m[keep], sd[keep]


class AffineDiscrete(DiscreteDistribution):
    """The law of ``(X - c) / s`` for a discrete law ``X ~ law``."""

    def __init__(self, law, c, s):
        self.law, self.c, self.s = law, float(c), float(s)
        self.atoms = (law.atoms - self.c) / self.s
        self.probs = law.probs

    def parameters(self):
        return {"law": self.law, "c": self.c, "s": self.s}
