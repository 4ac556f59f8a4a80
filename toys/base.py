"""The three kinds of toy distribution and what they share.

A toy is one of:

* :class:`ContinuousDistribution`: absolutely continuous with respect to Lebesgue measure on
  R^dim; has ``pdf``/``logpdf``.
* :class:`DiscreteDistribution`: finitely many atoms on the real line; has ``pmf``/``logpmf``.
* :class:`SingularDistribution`: neither (for example a measure living on a line in R^2); it can
  be sampled, but has no density.

The kind decides the absolute-continuity rules in :mod:`divergences` (a discrete or singular law
against a continuous one has TV = 1, JS = ln 2 and infinite KL both ways).

Besides the scipy.stats-like methods, every toy has :meth:`Distribution.parameters` (the keywords
that rebuild it), and continuous 1-D toys :meth:`ContinuousDistribution.features` (where the
density has structure, which the quadrature of :mod:`divergences` resolves).
"""

import numpy as np

from .validation import as_generator, sample_size


class Distribution:
    """Base class of all toys.

    Subclasses set ``dim`` and implement ``_sample(n, rng)`` returning an array of shape ``(n,)``
    when ``dim == 1`` and ``(n, dim)`` otherwise, and :meth:`parameters`.
    """

    dim: int

    def sample(self, n, rng=None):
        """Draw ``n`` independent samples.

        Parameters
        ----------
        n : int
            Number of samples, ``n >= 0``.
        rng : None, int or numpy.random.Generator, optional
            Source of randomness: a seed or a generator. ``None`` draws fresh OS entropy, as
            ``numpy.random.default_rng(None)`` does.

        Returns
        -------
        numpy.ndarray
            Shape ``(n,)`` for one-dimensional toys and ``(n, dim)`` otherwise, as in scipy.stats.

        Raises
        ------
        TypeError, ValueError
            If ``n`` is not a non-negative integer or ``rng`` is not a seed or a Generator.
        """
        n = sample_size(n)
        return self._sample(n, as_generator(rng))

    def _sample(self, n, rng):  # pragma: no cover - abstract
        raise NotImplementedError

    def parameters(self):  # pragma: no cover - abstract
        """The constructor's keywords: ``type(d)(**d.parameters())`` is a law equal to ``d``."""
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={_fmt(v)}" for k, v in self.parameters().items())
        return f"{type(self).__name__}({args})"


class ContinuousDistribution(Distribution):
    """A law with a density with respect to Lebesgue measure on R^dim."""

    def logpdf(self, x):  # pragma: no cover - abstract
        """Log density at ``x``; ``-inf`` outside the support."""
        raise NotImplementedError

    def pdf(self, x):
        """Density at ``x``: ``exp(logpdf(x))``.

        Parameters
        ----------
        x : array_like
            Points, shape ``(...)`` in 1-D or ``(..., dim)``.

        Returns
        -------
        numpy.ndarray or float
            Density values, shape ``(...)``.
        """
        return np.exp(self.logpdf(x))

    @property
    def support(self):
        """Closed interval ``(low, high)`` outside which the density is 0 (1-D only)."""
        return (-np.inf, np.inf)

    def features(self):
        """Where the density has structure: ``(locations, scales)``, two arrays of one length, or None.

        Each pair says that the density changes on the length ``scale`` around ``location`` (a
        Gaussian component: its mean and standard deviation). The 1-D quadrature of
        :mod:`divergences` places its panels from them; a law that returns None (the default) is
        resolved from its quantiles instead. The finite ends of :attr:`support` are always panel
        edges.
        """
        return None


class DiscreteDistribution(Distribution):
    """A law with finitely many atoms on the real line.

    Subclasses set ``atoms`` (sorted, distinct) and ``probs`` (same length, summing to 1).
    """

    dim = 1
    atoms: np.ndarray
    probs: np.ndarray

    def pmf(self, x):
        """Probability of the point ``x`` (0 off the atoms), elementwise."""
        x = np.asarray(x, dtype=float)
        idx = np.searchsorted(self.atoms, x)
        idx_c = np.clip(idx, 0, self.atoms.size - 1)
        hit = self.atoms[idx_c] == x
        out = np.where(hit, self.probs[idx_c], 0.0)
        return out[()] if out.ndim == 0 else out

    def logpmf(self, x):
        """Log of :meth:`pmf`, ``-inf`` off the atoms."""
        with np.errstate(divide="ignore"):
            return np.log(self.pmf(x))

    def cdf(self, x):
        """P(X <= x), elementwise."""
        x = np.asarray(x, dtype=float)
        cum = np.concatenate([[0.0], np.minimum(np.cumsum(self.probs), 1.0)])
        out = cum[np.searchsorted(self.atoms, x, side="right")]
        out = np.where(np.isnan(x), np.nan, out)
        return out[()] if out.ndim == 0 else out

    def ppf(self, u):
        """Smallest atom ``a`` with ``cdf(a) >= u``; NaN for ``u`` outside [0, 1]."""
        u = np.asarray(u, dtype=float)
        cum = np.cumsum(self.probs)
        cum[-1] = 1.0
        idx = np.clip(np.searchsorted(cum, u, side="left"), 0, self.atoms.size - 1)
        out = np.where((u >= 0) & (u <= 1), self.atoms[idx], np.nan)
        return out[()] if out.ndim == 0 else out

    @property
    def mean(self):
        """Expectation, float."""
        return float(np.dot(self.probs, self.atoms))

    @property
    def var(self):
        """Variance, float."""
        return float(np.dot(self.probs, (self.atoms - self.mean) ** 2))

    @property
    def support(self):
        """Smallest closed interval holding every atom of positive mass."""
        pos = self.atoms[self.probs > 0]
        return (float(pos.min()), float(pos.max()))

    def _sample(self, n, rng):
        return rng.choice(self.atoms, size=n, p=self.probs)


class SingularDistribution(Distribution):
    """A law with neither a density nor finitely many atoms (for example, mass on a line)."""


def _fmt(value):
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list):
        items = [_fmt(v) for v in value]
        if len(items) > 6:  # keep the repr of large mixtures readable
            items = [*items[:3], "...", items[-1]]
        return "[" + ", ".join(items) + "]"
    return repr(value)
