r"""Plug-in estimators of JS and TV on common histograms of two samples, in 1-D and 2-D."""

import math
import numbers

import numpy as np

from .checks import MAX_ENTRIES, affordable, pair
from .coordinates import standardise

__all__ = ["js", "tv"]

_LOG2 = math.log(2.0)


def js(x, y, bins=None):
    r"""Plug-in Jensen-Shannon divergence between the histograms of two samples (1-D and 2-D).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d), d in {1, 2}
        Sample of P.
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension.
    bins : None, int or edges, optional
        None (default): the rule below. An int: that many equal bins per axis over the pooled
        range. Edges: an increasing array (1-D) or a pair of them (2-D, one per axis) that
        covers every point.

    Returns
    -------
    float
        JS itself with the 1/2 weights (not scipy's square root), in nats, in [0, ln 2].
        Exactly ln 2 when no bin holds points of both samples, exactly 0 for equal histograms.

    Raises
    ------
    TypeError, ValueError
        As :func:`tv`.

    Notes
    -----
    With :math:`\hat p_j = c^x_j / n` and :math:`\hat q_j = c^y_j / m` the fractions of each
    sample in bin (cell) j of common edges,

    .. math:: \widehat{JS} = \tfrac12\sum_j \hat p_j \ln\frac{2\hat p_j}{\hat p_j + \hat q_j}
              + \tfrac12\sum_j \hat q_j \ln\frac{2\hat q_j}{\hat p_j + \hat q_j}

    **Default binning** (as :func:`tv`): equal-width bins spanning the pooled range of x and y
    on each axis, ``ceil(2 * min(n, m) ** (1 / (d + 2)))`` of them per axis: the Rice rule
    :math:`2n^{1/3}` in 1-D, :math:`2n^{1/4}` per axis (:math:`4n^{1/2}` cells) in 2-D, so the
    mean count per cell grows with n. A far outlier stretches the range and coarsens every
    bin: pass explicit ``bins`` for heavy-tailed samples.

    **Bias.** Sampling noise makes the two histograms differ even when P = Q, which biases the
    estimate upward (by about (cells - 1) / (4 n) for P = Q and n = m); binning can only merge
    mass, which biases it downward (data processing inequality). With the default rule the
    upward bias decays like :math:`n^{-2/3}` (1-D) and :math:`n^{-1/2}` (2-D). Measured with
    m = n over 50 seeds: for P = Q = N(0, 1), bias +0.005, +0.001, +0.0002 nats at n = 1e3, 1e4,
    1e5; for N(0, 1) against N(1, 1) (JS = 0.1114), +0.006, +0.001, +0.0001 with standard
    deviations 0.009, 0.003, 0.001; in 2-D for the pair in :func:`kl`'s Notes (JS = 0.1336),
    +0.007, -0.001, -0.001: at large n the binning dominates.

    References
    ----------
    .. [1] J. Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory
       37(1), 1991.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from divergences.empirical import js
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(0.0, 1.0, 300)
    >>> js(x, x + 5.0) == math.log(2)  # disjoint supports
    True
    >>> js(x, x)
    0.0
    """
    cx, cy, n, m = _histograms(x, y, bins)
    only_x, only_y, both = (cx > 0) & (cy == 0), (cy > 0) & (cx == 0), (cx > 0) & (cy > 0)
    p, q = cx[both] / n, cy[both] / m
    shared = np.sum(p * np.log(2 * p / (p + q)) + q * np.log(2 * q / (p + q)))
    # bins of one sample only contribute (1/2) p ln 2; summing their integer counts keeps
    # disjoint histograms at exactly ln 2
    alone = _LOG2 * (cx[only_x].sum() / n + cy[only_y].sum() / m)
    return float(np.clip(0.5 * (alone + shared), 0.0, _LOG2))


def tv(x, y, bins=None):
    r"""Plug-in total variation distance between the histograms of two samples (1-D and 2-D).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d), d in {1, 2}
        Sample of P.
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension.
    bins : None, int or edges, optional
        As in :func:`js`: None for the default rule below, an int per axis, or explicit edges
        (an increasing array in 1-D, a pair of them in 2-D) covering every point.

    Returns
    -------
    float
        In [0, 1] (unitless). Exactly 1 when no bin holds points of both samples, exactly 0 for
        equal histograms.

    Raises
    ------
    TypeError
        If a sample is not numeric, or ``bins`` is neither None, an int nor edges (a bool or a
        float such as ``10.0`` is not an int).
    ValueError
        If a sample is empty, not finite, not of shape (n,) or (n, d), the dimensions differ,
        d > 2, ``bins`` is an int < 1, edges are not increasing or leave points outside, or the
        histogram would have more than :data:`divergences.empirical.MAX_ENTRIES` cells
        (``bins ** d``: at most 2**28 bins in 1-D, 16384 per axis in 2-D), refused before
        anything is allocated.

    Notes
    -----
    .. math:: \widehat{TV} = \tfrac12\sum_j \left|\frac{c^x_j}{n} - \frac{c^y_j}{m}\right|
              = \frac{\sum_j |m\,c^x_j - n\,c^y_j|}{2nm}

    computed in integers, so that the identities above hold exactly.

    **Default binning**: equal-width bins spanning the pooled range of x and y on each axis,
    ``ceil(2 * min(n, m) ** (1 / (d + 2)))`` of them per axis (the Rice rule :math:`2n^{1/3}`
    in 1-D; :math:`2n^{1/4}` per axis in 2-D). Equal bins (the default or an int) are built in
    coordinates scaled by a power of two on each axis of the pooled sample and measured from
    its minimum, so their edges increase and the estimate does not depend on the units:
    samples at 1e300, at 1e-300, from -1e308 to 1e308, or at 1e15 with spread 1 are binned as
    the same points at unit scale.

    **Bias.** The plug-in TV is biased upward by sampling noise: even for P = Q, each bin
    contributes about :math:`\sqrt{p_j/(\pi n)}` for n = m, so the bias is of order
    :math:`\sqrt{\text{cells}/n}`, so :math:`n^{-1/3}` in 1-D with the default rule. Binning
    biases it downward: merging mass can only lower TV, so the TV of the exact bin
    probabilities is at most TV(P, Q).
    Which wins depends on n and on how much of the difference between P and Q lives at scales
    finer than a bin. Measured with m = n over 50 seeds and the default bins: for P = Q =
    N(0, 1), bias +0.064, +0.028, +0.013 at n = 1e3, 1e4, 1e5 -- the estimate of TV = 0; for
    N(0, 1) against N(1, 1) (TV = 0.3829), +0.003, +0.001, +0.0001 with standard deviations
    0.017, 0.006, 0.002; in 2-D for the pair in :func:`kl`'s Notes (TV = 0.3856), -0.004,
    -0.006, -0.004.

    Examples
    --------
    >>> import numpy as np
    >>> from divergences.empirical import tv
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(0.0, 1.0, 300)
    >>> tv(x, x + 5.0)  # disjoint supports
    1.0
    >>> tv(x, rng.permutation(x))  # identical samples in another order
    0.0
    """
    cx, cy, n, m = _histograms(x, y, bins)
    return float(np.sum(np.abs(m * cx - n * cy)) / (2 * n * m))


# -- histograms ------------------------------------------------------------------------------
def _histograms(x, y, bins):
    """Integer counts of x and y on common edges, flattened, and the sample sizes."""
    x, y = pair(x, y)
    (n, d), m = x.shape, y.shape[0]
    if d > 2:
        raise ValueError(
            f"js and tv estimate from histograms in d = 1 or 2 only (the number of cells grows like "
            f"bins**d), got d={d} from x.shape={x.shape}; use w1 or kl in higher dimensions"
        )
    count = _count(bins, n, m, d)
    if count is None:
        edges = _given_edges(bins, d)
        sizes = [e.size - 1 for e in edges]
        what = f"bins of {' x '.join(map(str, sizes))} cells make a histogram"
        affordable(math.prod(sizes), what, "pass fewer edges")
        for name, s in (("x", x), ("y", y)):
            for axis, e in enumerate(edges):
                if s[:, axis].min() < e[0] or s[:, axis].max() > e[-1]:
                    raise ValueError(
                        f"bins must cover every point: {name} spans [{s[:, axis].min()}, {s[:, axis].max()}] "
                        f"on axis {axis}, the edges [{e[0]}, {e[-1]}]"
                    )
    else:
        largest = MAX_ENTRIES if d == 1 else math.isqrt(MAX_ENTRIES)
        what = f"bins={count} per axis in d={d} makes a histogram of {count}**{d} cells"
        affordable(count**d, what, f"pass bins <= {largest}")
        # equal bins over the pooled range, in coordinates where it spans less than 1 on each axis: the
        # edges increase whatever the scale of the samples (whose span may overflow: -1e308 to 1e308);
        # measured from the pooled minimum, so that exact translates of the samples bin alike
        x, y, _ = standardise(x, y, per_axis=True)
        lo = np.minimum(x.min(axis=0), y.min(axis=0))
        x, y = x - lo, y - lo
        edges = _equal_edges(np.maximum(x.max(axis=0), y.max(axis=0)), count)
    cx = np.histogramdd(x, bins=edges)[0].astype(np.int64).ravel()
    cy = np.histogramdd(y, bins=edges)[0].astype(np.int64).ravel()
    return cx, cy, n, m


def _count(bins, n, m, d):
    """The number of equal bins per axis that ``bins`` asks for, or None when it gives edges."""
    if bins is None:
        return math.ceil(2 * min(n, m) ** (1 / (d + 2)))
    boolean = isinstance(bins, (bool, np.bool_))
    if isinstance(bins, numbers.Integral) and not boolean:
        if bins < 1:
            raise ValueError(f"bins must be None, an int >= 1 or bin edges, got bins={bins!r}")
        return int(bins)
    if boolean or np.isscalar(bins) or (isinstance(bins, np.ndarray) and bins.ndim == 0):
        raise TypeError(f"bins must be None, an int >= 1 or bin edges, got {bins!r} of type {type(bins).__name__}")
    return None


def _given_edges(bins, d):
    """``bins`` as one array of edges per axis, checked finite and strictly increasing."""
    per_axis = [bins] if d == 1 else bins
    try:
        edges = [np.asarray(e, dtype=float) for e in per_axis]
    except (TypeError, ValueError) as exc:
        raise TypeError(f"bins must be None, an int >= 1 or bin edges, got {bins!r}") from exc
    if len(edges) != d or any(e.ndim != 1 or e.size < 2 for e in edges):
        want = "an increasing 1-D array" if d == 1 else "a pair of increasing 1-D arrays, one per axis,"
        raise ValueError(f"bins must be {want} of at least 2 edges for d={d} samples, got {bins!r}")
    if not all(np.all(np.isfinite(e)) and np.all(e[1:] > e[:-1]) for e in edges):
        raise ValueError(f"bin edges must be finite and strictly increasing, got bins={bins!r}")
    return edges


def _equal_edges(widths, count):
    """``count`` equal bins per axis on ``[0, width]`` (on ``[-0.5, 0.5]`` where the width is 0, as numpy)."""
    return [np.linspace(0.0, w, count + 1) if w > 0 else np.linspace(-0.5, 0.5, count + 1) for w in widths]
