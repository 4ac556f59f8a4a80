"""One-dimensional toys with elementary formulas: Uniform and Exponential."""

import numpy as np

from .base import ContinuousDistribution
from .validation import SCALE_RANGE, check_scale, location, positive_scalar


class Uniform(ContinuousDistribution):
    """Uniform law on the interval [low, high].

    Parameters
    ----------
    low, high : float
        Ends of the interval, ``low < high``.

    Raises
    ------
    ValueError
        If ``low >= high``, either is not finite or beyond +-1e150, or the width ``high - low`` is
        outside ``toys.validation.SCALE_RANGE`` (its square, 12 times the variance, must be a
        normal float).

    Examples
    --------
    >>> from toys import Uniform
    >>> u = Uniform(0.0, 2.0)
    >>> float(u.pdf(1.0)), float(u.cdf(0.5)), u.mean
    (0.5, 0.25, 1.0)
    """

    dim = 1

    def __init__(self, low=0.0, high=1.0):
        self.low = location("low", low)
        self.high = location("high", high)
        if self.low >= self.high:
            raise ValueError(f"low must be < high, got low={self.low!r}, high={self.high!r}")
        self.width = check_scale("high - low", self.high - self.low)

    def parameters(self):
        return {"low": self.low, "high": self.high}

    @property
    def support(self):
        """The interval ``(low, high)``."""
        return (self.low, self.high)

    @property
    def mean(self):
        """(low + high) / 2."""
        return 0.5 * (self.low + self.high)

    @property
    def var(self):
        """(high - low)^2 / 12."""
        return self.width**2 / 12.0

    def logpdf(self, x):
        """-log(high - low) on [low, high], -inf elsewhere."""
        x = np.asarray(x, dtype=float)
        inside = (x >= self.low) & (x <= self.high)
        out = np.where(inside, -np.log(self.width), -np.inf)
        out = np.where(np.isnan(x), np.nan, out)
        return out[()] if out.ndim == 0 else out

    def cdf(self, x):
        """P(X <= x)."""
        return np.clip((np.asarray(x, dtype=float) - self.low) / self.width, 0.0, 1.0)

    def ppf(self, u):
        """low + u (high - low); NaN outside [0, 1]."""
        u = np.asarray(u, dtype=float)
        out = np.where((u >= 0) & (u <= 1), self.low + u * self.width, np.nan)
        return out[()] if out.ndim == 0 else out

    def _sample(self, n, rng):
        return self.low + self.width * rng.random(n)

    def features(self):
        """One feature covering [low, high]: panels every width/10."""
        return np.array([self.mean]), np.array([self.width / 20])


class Exponential(ContinuousDistribution):
    r"""Exponential law with the given rate, shifted to start at ``loc``.

    Density :math:`\lambda e^{-\lambda (x - \mathrm{loc})}` for :math:`x \ge \mathrm{loc}`.
    Sampling is by inverse CDF from a uniform latent, as in the lecture:
    :math:`x = \mathrm{loc} - \log(1 - u)/\lambda` with :math:`u \sim U[0, 1)`; the map itself is
    :meth:`from_uniform`, an exact generator.

    Parameters
    ----------
    rate : float
        :math:`\lambda > 0` (scipy's ``expon`` uses ``scale = 1 / rate``), with the standard
        deviation ``1 / rate`` in ``toys.validation.SCALE_RANGE`` (its square, the variance, must
        be a normal float).
    loc : float, optional
        Left end of the support, default 0, within +-1e150.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Exponential
    >>> e = Exponential(rate=2.0)
    >>> e.mean, e.var
    (0.5, 0.25)
    >>> u = np.random.default_rng(0).random(3)
    >>> bool(np.allclose(e.sample(3, rng=0), e.from_uniform(u)))
    True
    """

    dim = 1

    def __init__(self, rate=1.0, loc=0.0):
        self.rate = positive_scalar("rate", rate)
        low, high = SCALE_RANGE
        if not low <= 1.0 / self.rate <= high:
            raise ValueError(
                f"rate must be between {1 / high:.3g} and {1 / low:.3g}, so that 1 / rate (the standard deviation) "
                f"squared is a normal finite float, got {self.rate!r}"
            )
        self.loc = location("loc", loc)

    def parameters(self):
        return {"rate": self.rate, "loc": self.loc} if self.loc else {"rate": self.rate}

    @property
    def support(self):
        """The half-line ``(loc, inf)``."""
        return (self.loc, np.inf)

    @property
    def mean(self):
        """loc + 1 / rate."""
        return self.loc + 1.0 / self.rate

    @property
    def var(self):
        """1 / rate^2."""
        return 1.0 / self.rate**2

    def logpdf(self, x):
        """log(rate) - rate (x - loc) for x >= loc, -inf below."""
        x = np.asarray(x, dtype=float)
        with np.errstate(invalid="ignore"):
            out = np.where(x >= self.loc, np.log(self.rate) - self.rate * (x - self.loc), -np.inf)
        out = np.where(np.isnan(x), np.nan, out)
        return out[()] if out.ndim == 0 else out

    def cdf(self, x):
        """1 - exp(-rate (x - loc)) for x >= loc, 0 below."""
        t = np.maximum(np.asarray(x, dtype=float) - self.loc, 0.0)
        return -np.expm1(-self.rate * t)

    def sf(self, x):
        """P(X > x), accurate in the right tail."""
        t = np.maximum(np.asarray(x, dtype=float) - self.loc, 0.0)
        return np.exp(-self.rate * t)

    def ppf(self, u):
        """loc - log(1 - u) / rate; NaN outside [0, 1]."""
        u = np.asarray(u, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where((u >= 0) & (u <= 1), self.loc - np.log1p(-u) / self.rate, np.nan)
        return out[()] if out.ndim == 0 else out

    def from_uniform(self, u):
        """The inverse-CDF generator: map uniform latents ``u`` in [0, 1) to samples."""
        return self.ppf(u)

    def _sample(self, n, rng):
        return self.from_uniform(rng.random(n))

    def features(self):
        """One feature covering [loc, loc + 40 / rate] (tail mass beyond: e^-40, about 4e-18)."""
        return np.array([self.loc + 20.0 / self.rate]), np.array([2.0 / self.rate])
