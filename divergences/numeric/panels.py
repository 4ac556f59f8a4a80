"""Where the 1-D quadrature puts its panels: edges that resolve each law, and windows that hold it.

* A law with :meth:`toys.ContinuousDistribution.features` (a Gaussian component of scale sigma,
  an exponential, a uniform) gets edges every 2 sigma over mu +- 10 sigma, thinned to no closer
  than a quarter of the smallest scale where many features overlap; its window holds all but
  about 1e-17 of its mass.
* A law without features (a scipy.stats law) gets edges at quantiles of logit-spaced tail levels
  from 1e-30 to 1/2 in each tail (ppf below the median, isf above); its window holds all but
  1e-30. Beyond the window, where the support is unbounded, edges double their distance from it
  out to :data:`FAR` (:func:`tail_edges`), so that a density with a polynomial tail, whose
  integrands can decay like a small power, is integrated far enough; what lies beyond is bounded
  by the quadrature (:mod:`divergences.numeric.remainder`).
* A discrete law's edges are its atoms.

The finite ends of a support are always edges, so no panel straddles a jump of a density.
"""

import numpy as np
from scipy import special

from toys.base import DiscreteDistribution

__all__ = ["FAR", "OFFSETS", "edges_and_window", "row_edges", "scale_of", "tail_edges"]

#: Panel edges of a Gaussian feature, in units of its scale.
OFFSETS = np.arange(-10.0, 10.5, 2.0)
#: Tail levels of the quantile edges of a law with no structural hints, from 1e-30 to 1/2.
_LEVELS = special.expit(np.linspace(-69.0, 0.0, 139))
#: How far the doubling tail edges reach, in the law's own coordinates: squares stay finite.
FAR = 1e150
#: Log of the smallest normal float, with a margin: a density computed below it has lost digits.
_NORMAL = float(np.log(np.finfo(float).tiny)) + 10.0
#: Feature edges closer than this fraction of the smallest feature scale are merged.
_THIN = 0.25


def edges_and_window(d):
    """Panel edges resolving the law ``d``, and the window holding all but ~1e-17 of its mass."""
    if isinstance(d, DiscreteDistribution):
        atoms = d.atoms[d.probs > 0]
        return atoms, (float(atoms[0]), float(atoms[-1]))
    low, high = d.support
    features = d.features()
    if features is not None:
        locs, scales = features
        edges = _thinned((locs[:, None] + scales[:, None] * OFFSETS).ravel(), float(np.min(scales)))
        window = (max(low, float(np.min(locs - 10 * scales))), min(high, float(np.max(locs + 10 * scales))))
    else:
        upper = d.isf(_LEVELS) if hasattr(d, "isf") else d.ppf(1.0 - _LEVELS)
        edges = np.concatenate([np.asarray(d.ppf(_LEVELS), dtype=float), np.asarray(upper, dtype=float)])
        edges = edges[np.isfinite(edges)]
        window = (max(low, float(edges.min())), min(high, float(edges.max())))
    breaks = [b for b in (low, high) if np.isfinite(b)]
    return np.concatenate([edges, breaks]), window


def _thinned(edges, scale):
    """The sorted distinct edges, those closer than _THIN * scale to the previous one dropped."""
    edges = np.unique(edges)
    if edges.size < 64:
        return edges
    keep = np.unique(np.floor((edges - edges[0]) / (_THIN * scale)), return_index=True)[1]
    return edges[keep]


def scale_of(d):
    """The smallest length on which the law ``d`` has structure (its smallest feature scale)."""
    if isinstance(d, DiscreteDistribution):
        atoms = d.atoms[d.probs > 0]
        gaps = np.diff(atoms)
        return float(gaps.min()) if gaps.size else max(1.0, abs(float(atoms[0])))
    features = d.features()
    if features is not None:
        return float(np.min(features[1]))
    q1, q3 = float(d.ppf(0.25)), float(d.ppf(0.75))
    return q3 - q1 if q3 > q1 else 1.0


def tail_edges(d, window):
    """Edges doubling their distance from ``window`` out to FAR, on each unbounded side of a law without features.

    For a view ``(X - c) / s`` of a law (:mod:`divergences.numeric.pairs`), FAR is in the law's own
    coordinates: the edges stop at ``FAR / s`` when ``s > 1``.
    """
    if isinstance(d, DiscreteDistribution) or d.features() is not None:
        return np.empty(0)
    low, high = d.support
    return _doubling(window, _far(d), np.isinf(high), np.isinf(low))


def _far(d):
    return FAR / max(1.0, getattr(d, "s", 1.0))


def _doubling(window, far, right, left):
    """Edges doubling their distance from ``window`` out to ``far``, on the sides asked for."""
    lo, hi = window
    unit = max(hi - lo, 1.0)
    if unit >= far / 4:
        return np.empty(0)
    steps = unit * 2.0 ** np.arange(1, int(np.log2(far / unit)) + 1)
    out = []
    if right:
        out.append(hi + steps[hi + steps <= far])
    if left:
        out.append(lo - steps[lo - steps >= -far])
    return np.concatenate(out) if out else np.empty(0)


def row_edges(p, q, cache):
    """The sorted edges of a pair's row: both laws' edges over the union of their windows, and their tails.

    The tails are one doubling sequence from the union of the windows (the remainder series
    reads the ratio of the integrals over its last doublings), on each side where a law with
    tail edges is unbounded.
    """
    for d in (p, q):
        if id(d) not in cache:
            edges, window = edges_and_window(d)
            cache[id(d)] = (edges, window, tail_edges(d, window))
    ep, (lo_p, hi_p), tp = cache[id(p)]
    eq, (lo_q, hi_q), tq = cache[id(q)]
    lo, hi = min(lo_p, lo_q), max(hi_p, hi_q)
    inner = np.clip(np.concatenate([ep, eq, [lo, hi]]), lo, hi)
    tailed = [d for d, t in ((p, tp), (q, tq)) if t.size]
    if not tailed:
        return np.unique(inner)
    far = min(_far(d) for d in tailed)
    right = any(np.isinf(d.support[1]) for d in tailed)
    left = any(np.isinf(d.support[0]) for d in tailed)
    tails = _doubling((lo, hi), far, right, left)
    right, left = np.sort(tails[tails > hi]), np.sort(tails[tails < lo])[::-1]
    return np.unique(np.concatenate([inner, _representable(right, (p, q)), _representable(left, (p, q))]))


def _representable(x, laws):
    """The tail edges ``x`` (sorted outwards), up to where a law's log density stops being trustworthy.

    scipy.stats computes some log densities as the log of the density: a Pareto law's logpdf is
    -inf at 1e100, inside its support, and inaccurate where the density is subnormal just
    before. For such a law (one whose logpdf is -inf at an edge inside its support) the edges
    stop before its log density falls below ``_NORMAL`` (the log of the smallest normal float);
    what lies beyond is left to the remainder series (:mod:`divergences.numeric.remainder`), not
    taken for a density that vanishes.
    """
    keep = np.ones(x.shape, dtype=bool)
    for d in laws:
        low, high = d.support
        inside = (x >= low) & (x <= high)
        with np.errstate(all="ignore"):
            lp = np.asarray(d.logpdf(x), dtype=float)
        if np.any(inside & ~np.isfinite(lp)):
            keep &= ~inside | (lp > _NORMAL)
    bad = np.flatnonzero(~keep)
    return x if bad.size == 0 else x[: bad[0]]
