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
            f"{name} must be a toy (toys.Gaussian, ...) or a frozen scipy.stats distribution, "
            f"got {obj!r} of type {type(obj).__name__}"
        )
    low, high = (float(v) for v in obj.support())
    if family == "norm":
        return Gaussian(mean=float(obj.mean()), std=float(obj.std()))
    if family == "uniform":
        return Uniform(low, high)
    if family == "expon":
        return Exponential(rate=1.0 / float(obj.std()), loc=low)
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
    return ScipyContinuous(obj)


class ScipyContinuous(ContinuousDistribution):
    """A frozen 1-D continuous scipy.stats law seen as a toy (numeric paths only)."""

    dim = 1

    def __init__(self, frozen):
        self.frozen = frozen

    def _params(self):
        return {"frozen": f"{self.frozen.dist.name}{self.frozen.args}{self.frozen.kwds or ''}"}

    @property
    def support(self):
        low, high = self.frozen.support()
        return (float(low), float(high))

    @property
    def mean(self):
        return float(self.frozen.mean())

    @property
    def var(self):
        return float(self.frozen.var())

    def logpdf(self, x):
        return self.frozen.logpdf(x)

    def cdf(self, x):
        return self.frozen.cdf(x)

    def ppf(self, u):
        return self.frozen.ppf(u)

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
    if not np.isfinite(b) or b <= 0 or b == 1:
        raise ValueError(f"base must be a positive number other than 1 (2 for bits), got {base!r}")
    return 1.0 / float(np.log(b))
