"""Turning user input into toys: toys pass through, scipy.stats frozen laws are converted."""

import numbers

import numpy as np

from toys import Bernoulli, Discrete, Distribution, Exponential, Gaussian, Uniform
from toys.base import ContinuousDistribution

#: Largest finite support of a scipy discrete law that is enumerated into a ``toys.Discrete``.
MAX_ATOMS = 100_000


def as_toy(obj, name):
    """Return ``obj`` as a toy.

    Toys are returned as they are. scipy.stats frozen ``norm``, ``uniform``, ``expon``,
    ``bernoulli`` and ``multivariate_normal`` become the equivalent toy; any other frozen 1-D
    continuous law is wrapped (:class:`ScipyContinuous`) for the numeric paths, and a frozen
    discrete law with a finite support becomes a :class:`toys.Discrete`.
    """
    if isinstance(obj, Distribution):
        return obj
    if type(obj).__name__ == "multivariate_normal_frozen":
        return Gaussian(mean=np.atleast_1d(obj.mean), cov=np.atleast_2d(obj.cov))
    dist = getattr(obj, "dist", None)
    family = getattr(dist, "name", None)
    if family is None or not callable(getattr(obj, "support", None)):
        raise TypeError(
            f"{name} must be a toy (toys.Gaussian, ...) or a frozen 1-D scipy.stats distribution "
            f"(or scipy.stats.multivariate_normal), got {obj!r} of type {type(obj).__name__}"
        )
    try:
        low, high = (float(v) for v in obj.support())
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a single law; the frozen scipy.stats.{family} has array parameters "
            f"(support {obj.support()!r})"
        ) from None
    loc_scale = _check_parameters(obj, name, family)
    if family in ("norm", "uniform", "expon"):
        # from loc and scale themselves: scipy's std() of a scale of 1e200 is inf (the variance
        # overflows), and the toy's message must name the argument and the law given
        loc, scale = loc_scale or (low, float(obj.std()))
        try:
            if family == "norm":
                return Gaussian(mean=float(loc), std=float(scale))
            if family == "uniform":
                return Uniform(low, high)
            return Exponential(rate=1.0 / float(scale), loc=float(loc))
        except ValueError as exc:
            raise ValueError(f"{name}: {_label(obj, family)} is outside the range of the toys: {exc}") from None
    if family == "bernoulli":
        p = float(obj.mean()) - low
        return Bernoulli(p) if low == 0 else Discrete(support=[low, low + 1], probs=[1 - p, p])
    if hasattr(obj, "pmf"):
        if not (np.isfinite(low) and np.isfinite(high)) or high - low > MAX_ATOMS:
            raise ValueError(
                f"{name}: a discrete scipy law needs a finite support of at most {MAX_ATOMS} points, "
                f"got support ({low}, {high})"
            )
        atoms = np.arange(low, high + 1)
        probs = obj.pmf(atoms)
        keep = probs > 0
        return Discrete(support=atoms[keep], probs=probs[keep] / probs[keep].sum())
    law = ScipyContinuous(obj, name)
    from .numeric.one_d import total_mass  # the numeric path needs a law that integrates to 1

    mass = total_mass(law)
    if not abs(mass - 1.0) <= 1e-8:
        raise ValueError(
            f"{name}: {law._label()} does not integrate to 1 over its support {law.support} (got {mass!r}); "
            "it is not a probability density on the real line"
        )
    return law


def _check_parameters(obj, name, family):
    """Raise naming the parameter when scipy would answer nan for this frozen law (invalid parameters).

    Returns ``(loc, scale)``, or None for a law whose parameters cannot be read.
    """
    try:
        shapes, loc, scale = obj.dist._parse_args(*obj.args, **obj.kwds)
    except (AttributeError, TypeError):  # not an rv_continuous/rv_discrete: let the law speak for itself
        return None
    label = _label(obj, family)
    if not np.isfinite(loc):
        raise ValueError(f"{name}: the loc of {label} must be finite, got loc={loc!r}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"{name}: the scale of {label} must be a finite number > 0, got scale={scale!r}")
    if shapes and not np.all(obj.dist._argcheck(*shapes)):
        names = obj.dist.shapes or "its shape parameters"
        raise ValueError(f"{name}: {label} has shape parameters ({names}) = {shapes} outside their domain")
    return loc, scale


def _label(obj, family):
    return f"scipy.stats.{family}{obj.args}{obj.kwds or ''}"


class ScipyContinuous(ContinuousDistribution):
    """A frozen 1-D continuous scipy.stats law seen as a toy (numeric paths only).

    Checked at construction, so that the numeric path cannot return a wrong number silently:
    the law must have finite variance (heavy tails defeat the truncated quadrature), a density
    that stays bounded at finite ends of its support, and a density that integrates to 1 over
    its support (``vonmises``, for example, is a law on the circle, not on the line).
    """

    dim = 1

    def __init__(self, frozen, name="p"):
        self.frozen = frozen
        law = self._label()
        if not np.isfinite(float(frozen.var())):
            raise NotImplementedError(
                f"{name}: {law} has infinite variance; the numeric path handles scipy laws with finite "
                "variance only (estimate from samples with divergences.empirical instead)"
            )
        low, high = (float(v) for v in frozen.support())
        # the effective support: where the quantile function lives (a circular law reports R)
        self._support = (max(low, float(frozen.ppf(0.0))), min(high, float(frozen.ppf(1.0))))
        for end, inner, outer in (
            (self._support[0], frozen.ppf(1e-10), frozen.ppf(1e-20)),
            (self._support[1], frozen.isf(1e-10), frozen.isf(1e-20)),
        ):
            # near the end the density must level off (quantiles can round onto the end itself)
            near, nearer = self.logpdf(inner), self.logpdf(outer)
            if np.isfinite(end) and (near == np.inf or not nearer <= near + 1.0):
                raise NotImplementedError(
                    f"{name}: the density of {law} is unbounded at the end {end} of its support; the numeric "
                    "path handles bounded densities only"
                )

    def _label(self):
        return f"scipy.stats.{self.frozen.dist.name}{self.frozen.args}{self.frozen.kwds or ''}"

    def parameters(self):
        return {"frozen": self._label()}

    @property
    def support(self):
        return self._support

    @property
    def mean(self):
        return float(self.frozen.mean())

    @property
    def var(self):
        return float(self.frozen.var())

    def logpdf(self, x):
        x = np.asarray(x, dtype=float)
        low, high = self._support
        with np.errstate(all="ignore"):
            return np.where((x >= low) & (x <= high), self.frozen.logpdf(x), -np.inf)

    def cdf(self, x):
        return self.frozen.cdf(x)

    def ppf(self, u):
        return self.frozen.ppf(u)

    def isf(self, u):
        return self.frozen.isf(u)

    def _sample(self, n, rng):
        return np.asarray(self.frozen.rvs(size=n, random_state=rng), dtype=float)


def check_pair(p, q):
    """Convert both arguments and check that they live in the same dimension."""
    p = as_toy(p, "p")
    q = as_toy(q, "q")
    if p.dim != q.dim:
        raise ValueError(f"p and q must have the same dimension, got p.dim={p.dim} ({p!r}) and q.dim={q.dim} ({q!r})")
    return p, q


def check_base(base):
    """Return the factor that converts nats to units of ``base`` (None or e: nats)."""
    if base is None:
        return 1.0
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise TypeError(f"base must be a real number > 1 or None, got {base!r}")
    b = float(base)
    if not (np.isfinite(b) and b > 1):
        raise ValueError(f"base must be a finite number > 1 (2 for bits, e for nats), got {base!r}")
    return 1.0 / float(np.log(b))
