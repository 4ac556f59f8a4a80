r"""The numeric path in one dimension: adaptive Gauss-Kronrod quadrature, vectorised over pairs.

Used when no closed form is registered for a pair of 1-D laws (mixtures, exponential against
Gaussian, any scipy.stats continuous law, ...). ``evaluate(name, ps, qs)`` computes the divergence
for many pairs ``(ps[i], qs[i])`` at once: every pair gets its own panels, but the panels of all
pairs are refined together, so a whole divergence-vs-theta curve is a handful of numpy calls.

Method
------
* **Panels.** Each law contributes panel edges that resolve its structure: for a Gaussian
  component of scale sigma, edges every 2 sigma over mu +- 10 sigma; for an exponential, every
  4/rate over [loc, loc + 40/rate]; for a uniform, every width/10; for a discrete law, its atoms;
  for any other law (a scipy.stats one), quantiles at logit-spaced tail levels from 1e-30 to 1/2
  in each tail (ppf below the median, isf above). Support ends are always edges, so no panel
  straddles a jump of a density. The window is the union of the two laws' windows; the mass
  outside it is below 1e-17 for every toy and 1e-30 for other laws.
* **Rule.** Adaptive Gauss-Kronrod (G10/K21) on every panel, all panels of all pairs refined
  together (:mod:`divergences.numeric.quadrature`): a panel is halved until QUADPACK's error estimate is
  below 1e-14 absolute or 1e-12 relative. This also resolves the near-kinks of ``log p`` where
  the dominant component of a mixture with narrow components changes.
* **Kinks.** The TV integrand :math:`|p - q|` and the W1 integrand :math:`|F_p - F_q|` have
  kinks where their inner function changes sign. Sign changes between neighbouring nodes are
  located by 60 steps of bisection and become panel edges, so the integrand is smooth on every
  panel; a pair of sign changes closer together than neighbouring nodes is left to the
  adaptive halving.
* **Log space.** KL and JS integrands are formed from log densities,
  :math:`p(\log p - \log q)` and :math:`p(\log 2 - \log(1 + q/p))` with ``logaddexp``, so they
  stay finite where the densities underflow.

Accuracy: absolute error below 1e-9 for the toys and for scipy.stats laws with finite variance
and bounded densities (the others are refused when converted; checked in the tests against
``scipy.integrate.quad`` and against closed forms). Refinement stops with ``RuntimeError`` if
more than ``quadrature.MAX_PANELS`` panels still need it (a divergent integral).
"""

import numpy as np
from scipy import special

from toys.base import DiscreteDistribution

from . import quadrature

#: Panel edges of a Gaussian feature, in units of its scale.
OFFSETS = np.arange(-10.0, 10.5, 2.0)
#: Tail levels of the quantile edges of a law with no structural hints, from 1e-30 to 1/2:
#: edges at ppf(level) below the median and isf(level) above it.
_LEVELS = special.expit(np.linspace(-69.0, 0.0, 139))
#: Nodes evaluated together, so that temporaries stay within ~ 32 MB.
_CHUNK_ELEMENTS = 4_000_000
_LOG2 = float(np.log(2.0))
_HALF_LOG_2PI = 0.5 * float(np.log(2 * np.pi))
#: Range of each divergence; rounding can push a quadrature slightly outside it.
RANGES = {"kl": (0.0, np.inf), "reverse_kl": (0.0, np.inf), "js": (0.0, _LOG2), "tv": (0.0, 1.0), "w1": (0.0, np.inf)}


def evaluate(name, ps, qs):
    """Divergence ``name`` for each pair ``(ps[i], qs[i])`` of 1-D laws.

    Parameters
    ----------
    name : {"tv", "kl", "reverse_kl", "js", "w1"}
        ``kl`` is KL(p || q), ``reverse_kl`` KL(q || p); the caller has already checked
        absolute continuity.
    ps, qs : sequences of toys of equal length B
        1-D laws; continuous ones for TV, KL and JS, any for W1.

    Returns
    -------
    numpy.ndarray, shape (B,)
        Values in nats (TV and W1 in their own units).
    """
    return evaluate_many([name], ps, qs)[name]


def evaluate_many(names, ps, qs):
    """Several divergences for each pair; returns a dict ``name -> array of shape (B,)``."""
    ps, qs = list(ps), list(qs)
    cache = {}
    panels = quadrature.panels_from_edges([_row_edges(p, q, cache) for p, q in zip(ps, qs)])
    rows_p, rows_q = Rows(ps), Rows(qs)
    raw = {}
    smooth = [n for n in names if n in _SMOOTH]
    if smooth:  # one evaluation of both densities serves KL, reverse KL and JS
        values = quadrature.adaptive(_smooth_integrands(smooth, rows_p, rows_q), panels, len(ps))
        raw.update(zip(smooth, values))
    for name in names:
        if name not in raw:
            raw[name] = integrate(name, panels, rows_p, rows_q, len(ps))
    return {name: np.clip(raw[name], *RANGES[name]) for name in names}


def total_mass(d):
    """Integral of the density of the 1-D law ``d`` (1 for a probability density on the line).

    Integrated over the law's window widened by its own width on each side where the support is
    unbounded, so that a density that does not vanish outside the window (a periodic one) shows.
    """
    edges, (lo, hi) = _edges_and_window(d)
    low, high = d.support
    width = hi - lo
    lo, hi = (lo - width if np.isinf(low) else lo), (hi + width if np.isinf(high) else hi)
    edges = np.concatenate([edges, np.linspace(lo, hi, 64)])
    panels = quadrature.panels_from_edges([np.clip(edges, lo, hi)])
    return float(quadrature.adaptive(lambda x, row: np.exp(d.logpdf(x)), panels, 1)[0])


def integrate(name, panels, p, q, n_rows, **tol):
    """Raw row-wise integral of divergence ``name`` between row laws ``p`` and ``q`` (``Rows``).

    Raw: not clipped to the divergence's range, because in 2-D the rows are slices of a joint
    density and their integrals are only parts of the divergence. ``tol``: ``atol``/``rtol``
    of :func:`divergences.numeric.quadrature.adaptive`.
    """
    if name in _SMOOTH:
        return quadrature.adaptive(_smooth_integrands([name], p, q), panels, n_rows, **tol)[0]
    if name == "tv":

        def g(x, row):
            return np.exp(p.logpdf(x, row)) - np.exp(q.logpdf(x, row))

        return 0.5 * quadrature.adaptive_abs(g, panels, n_rows, **tol)
    if name == "w1":

        def g(x, row):
            return p.cdf(x, row) - q.cdf(x, row)

        return quadrature.adaptive_abs(g, panels, n_rows, **tol)
    raise ValueError(f"name must be one of {tuple(RANGES)}, got {name!r}")


# -- the integrands, from log densities so that they stay finite where densities underflow ---
def _kl_pointwise(lp, lq):
    """p (log p - log q): 0 where p = 0, inf where q = 0 < p."""
    with np.errstate(invalid="ignore"):
        return np.where(lp > -np.inf, np.exp(lp) * (lp - lq), 0.0)


def _js_pointwise(lp, lq):
    """(p log(2p/(p+q)) + q log(2q/(p+q))) / 2, with p log(2p/(p+q)) = p (log 2 - log(1 + q/p))."""
    with np.errstate(invalid="ignore"):
        fp = np.where(lp > -np.inf, np.exp(lp) * (_LOG2 - np.logaddexp(0.0, lq - lp)), 0.0)
        fq = np.where(lq > -np.inf, np.exp(lq) * (_LOG2 - np.logaddexp(0.0, lp - lq)), 0.0)
    return 0.5 * (fp + fq)


_SMOOTH = {
    "kl": lambda lp, lq: _kl_pointwise(lp, lq),
    "reverse_kl": lambda lp, lq: _kl_pointwise(lq, lp),
    "js": _js_pointwise,
}


def _smooth_integrands(names, p, q):
    def f(x, row):
        lp, lq = p.logpdf(x, row), q.logpdf(x, row)
        return np.stack([_SMOOTH[n](lp, lq) for n in names])

    return f


# -- where the panels go ---------------------------------------------------------------------
def panel_edges(p, q, cache=None):
    """The sorted panel edges this module integrates a pair of 1-D laws on (see Method, Panels).

    Parameters
    ----------
    p, q : toys or frozen scipy.stats laws, 1-D (already converted, e.g. by ``check_pair``)
        The two laws.
    cache : dict, optional
        Maps ``id(law)`` to that law's edges and window, so that a law shared by many pairs is
        resolved once; a fresh one is used when omitted.

    Returns
    -------
    numpy.ndarray, shape (k,)
        Increasing edges from the low to the high end of the union of the two laws' windows
        (outside it lies less than ~1e-17 of the mass of each toy, 1e-30 of other laws).
    """
    return _row_edges(p, q, {} if cache is None else cache)


def _row_edges(p, q, cache):
    for d in (p, q):
        if id(d) not in cache:
            cache[id(d)] = _edges_and_window(d)
    ep, (lo_p, hi_p) = cache[id(p)]
    eq, (lo_q, hi_q) = cache[id(q)]
    lo, hi = min(lo_p, lo_q), max(hi_p, hi_q)
    e = np.concatenate([ep, eq, [lo, hi]])
    return np.unique(np.clip(e, lo, hi))


def _edges_and_window(d):
    """Panel edges resolving the law ``d``, and the window holding all but ~1e-17 of its mass."""
    if isinstance(d, DiscreteDistribution):
        atoms = d.atoms[d.probs > 0]
        return atoms, (float(atoms[0]), float(atoms[-1]))
    low, high = d.support
    features = d.features()
    if features is not None:
        locs, scales = features
        edges = (locs[:, None] + scales[:, None] * OFFSETS).ravel()
        window = (max(low, float(np.min(locs - 10 * scales))), min(high, float(np.max(locs + 10 * scales))))
    else:
        upper = d.isf(_LEVELS) if hasattr(d, "isf") else d.ppf(1.0 - _LEVELS)
        edges = np.concatenate([np.asarray(d.ppf(_LEVELS), dtype=float), np.asarray(upper, dtype=float)])
        edges = edges[np.isfinite(edges)]
        window = (max(low, float(edges.min())), min(high, float(edges.max())))
    breaks = [b for b in (low, high) if np.isfinite(b)]
    return np.concatenate([edges, breaks]), window


# -- evaluating many laws, one per row ------------------------------------------------------
def _n_components(d):
    return d.as_mixture()[0].size if hasattr(d, "as_mixture") else 1


class Rows:
    """Evaluate ``logpdf``/``cdf`` of law ``row[i]`` at the points ``x[i]``.

    Gaussians and 1-D Gaussian mixtures are stacked into (rows, K) parameter arrays (padded
    with zero-weight components), so any set of panels is a single vectorised evaluation; other
    laws are evaluated row by row.
    """

    def __init__(self, dists=None, *, logw=None, mu=None, sd=None):
        self.dists = dists
        if dists is None:  # rows given directly as (rows, K) arrays of mixture parameters
            self.stacked = True
            self.logw, self.mu, self.sd = logw, mu, sd
            return
        self.stacked = all(hasattr(d, "as_mixture") and d.dim == 1 for d in dists)
        if self.stacked:
            k = max(_n_components(d) for d in dists)
            self.logw = np.full((len(dists), k), -np.inf)
            self.mu = np.zeros((len(dists), k))
            self.sd = np.ones((len(dists), k))
            for i, d in enumerate(dists):
                w, m, c = d.as_mixture()
                with np.errstate(divide="ignore"):
                    self.logw[i, : w.size] = np.log(w)
                self.mu[i, : w.size] = m[:, 0]
                self.sd[i, : w.size] = np.sqrt(c[:, 0, 0])

    def logpdf(self, x, row):
        return self._apply(x, row, self._logpdf, "logpdf")

    def cdf(self, x, row):
        return self._apply(x, row, self._cdf, "cdf")

    def _apply(self, x, row, stacked_fn, method):
        if x.size == 0:
            return np.empty_like(x)
        if not self.stacked:
            out = np.empty_like(x)
            for r in np.unique(row):
                sel = row == r
                out[sel] = getattr(self.dists[r], method)(x[sel])
            return out
        step = max(1, _CHUNK_ELEMENTS // x[0].size)
        if x.shape[0] <= step:
            return stacked_fn(x, row)
        return np.concatenate([stacked_fn(x[i : i + step], row[i : i + step]) for i in range(0, x.shape[0], step)])

    def _logpdf(self, x, row):
        # one component at a time on 2-D arrays, folded with logaddexp: faster than a
        # (panels, nodes, K) temporary and a generic log-sum-exp for the few components of a toy
        out = None
        for k in range(self.mu.shape[1]):
            z = (x - self.mu[row, k][:, None]) / self.sd[row, k][:, None]
            term = (self.logw[row, k] - np.log(self.sd[row, k]) - _HALF_LOG_2PI)[:, None] - 0.5 * z * z
            out = term if out is None else np.logaddexp(out, term)
        return out

    def _cdf(self, x, row):
        out = np.zeros_like(x)
        for k in range(self.mu.shape[1]):
            w = np.exp(self.logw[row, k])[:, None]
            out += w * special.ndtr((x - self.mu[row, k][:, None]) / self.sd[row, k][:, None])
        return out
