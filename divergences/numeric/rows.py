"""Many 1-D laws evaluated at once, one law per row: log densities and CDFs at panels of nodes.

:class:`Rows` evaluates ``logpdf``/``cdf`` of law ``row[i]`` at the points ``x[i]``. Gaussians
and 1-D Gaussian mixtures are stacked into ``(rows, K)`` parameter arrays (padded with zero-weight
components), so that any set of panels is one vectorised evaluation; other laws are evaluated row
by row.

A mixture of many components (more than :data:`LOCAL_ABOVE`) is evaluated locally: at a node
only the components whose means lie within :data:`LOCAL_Z` of their largest standard deviation
are summed (found by bisection in the sorted means), so the cost of a panel does not grow with
the number of components. The components left out contribute below ``e^-800`` of the largest
term that could be missing; a node where the local sum is not far above that bound (a node in
a gap wider than ``LOCAL_Z`` standard deviations) is evaluated over all components.
"""

import numpy as np
from scipy import special

__all__ = ["LOCAL_ABOVE", "LOCAL_Z", "Rows"]

#: Nodes evaluated together, so that temporaries stay within ~ 32 MB.
_CHUNK_ELEMENTS = 4_000_000
_HALF_LOG_2PI = 0.5 * float(np.log(2 * np.pi))
#: Mixtures with more components than this are evaluated locally (see the module docstring).
LOCAL_ABOVE = 32
#: Half-width of the local window, in units of the largest component standard deviation.
LOCAL_Z = 40.0
#: A local log-sum-exp is kept when it exceeds the bound on every term left out by this margin.
_MARGIN = 40.0


def _n_components(d):
    return d.as_mixture()[0].size if hasattr(d, "as_mixture") else 1


class Rows:
    """Evaluate ``logpdf``/``cdf`` of law ``row[i]`` at the points ``x[i]`` (arrays of shape (P, n))."""

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
            self._local = {i: _Local(self.logw[i], self.mu[i], self.sd[i]) for i, d in enumerate(dists)
                           if _n_components(d) > LOCAL_ABOVE}  # fmt: skip

    def logpdf(self, x, row):
        """Log densities, shape of ``x``: ``x[i]`` evaluated under the law of row ``row[i]``."""
        return self._apply(x, row, self._logpdf, "logpdf")

    def cdf(self, x, row):
        """CDFs, shape of ``x``: ``x[i]`` evaluated under the law of row ``row[i]``."""
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
        local = getattr(self, "_local", {})
        if local:
            out = np.empty_like(x)
            many = np.isin(row, list(local))
            for r in np.unique(row[many]):
                sel = row == r
                out[sel] = getattr(local[r], method)(x[sel])
            if np.any(~many):
                out[~many] = self._apply_stacked(x[~many], row[~many], stacked_fn)
            return out
        return self._apply_stacked(x, row, stacked_fn)

    def _apply_stacked(self, x, row, stacked_fn):
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
            with np.errstate(over="ignore"):  # z beyond 1e154 sds: the log density is -inf, as it rounds
                term = (self.logw[row, k] - np.log(self.sd[row, k]) - _HALF_LOG_2PI)[:, None] - 0.5 * z * z
            out = term if out is None else np.logaddexp(out, term)
        return out

    def _cdf(self, x, row):
        out = np.zeros_like(x)
        for k in range(self.mu.shape[1]):
            w = np.exp(self.logw[row, k])[:, None]
            out += w * special.ndtr((x - self.mu[row, k][:, None]) / self.sd[row, k][:, None])
        return out


class _Local:
    """One mixture of many components, evaluated at each node over the components near it."""

    def __init__(self, logw, mu, sd):
        keep = np.isfinite(logw)
        order = np.argsort(mu[keep], kind="stable")
        self.logw, self.mu, self.sd = logw[keep][order], mu[keep][order], sd[keep][order]
        self.const = self.logw - np.log(self.sd) - _HALF_LOG_2PI  # log w_k - log sd_k - log sqrt(2 pi)
        self.half_width = LOCAL_Z * float(self.sd.max())
        self.weights = np.exp(self.logw)
        self.cum = np.concatenate([[0.0], np.cumsum(self.weights)])
        # every component outside a node's window has z > LOCAL_Z: its term is below this bound
        self.bound = float(self.const.max()) - 0.5 * LOCAL_Z**2

    def _window(self, x):
        lo = np.searchsorted(self.mu, x - self.half_width, side="left")
        hi = np.searchsorted(self.mu, x + self.half_width, side="right")
        return lo, hi

    def logpdf(self, x):
        flat = x.ravel()
        lo, hi = self._window(flat)
        out = np.full(flat.shape, -np.inf)
        for j in range(int(np.max(hi - lo, initial=0))):
            idx = lo + j
            inside = idx < hi
            k = np.where(inside, idx, 0)
            z = (flat - self.mu[k]) / self.sd[k]
            out = np.where(inside, np.logaddexp(out, self.const[k] - 0.5 * z * z), out)
        unsure = out < self.bound + _MARGIN  # in a gap: the components left out may matter
        if np.any(unsure):
            z = (flat[unsure, None] - self.mu) / self.sd  # (m, K): every component
            out[unsure] = special.logsumexp(self.const - 0.5 * z * z, axis=1)
        return out.reshape(x.shape)

    def cdf(self, x):
        flat = x.ravel()
        lo, hi = self._window(flat)
        out = self.cum[lo].copy()  # the components entirely to the left: Phi(z) = 1 for z > LOCAL_Z
        for j in range(int(np.max(hi - lo, initial=0))):
            idx = lo + j
            inside = idx < hi
            k = np.where(inside, idx, 0)
            out += np.where(inside, self.weights[k] * special.ndtr((flat - self.mu[k]) / self.sd[k]), 0.0)
        return np.minimum(out, 1.0).reshape(x.shape)
