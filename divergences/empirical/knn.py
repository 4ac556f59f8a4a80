r"""The k-nearest-neighbour estimator of KL(P || Q) (Wang, Kulkarni and Verdú 2009)."""

import math

import numpy as np
from scipy.spatial import cKDTree

from toys.validation import positive_int

from .checks import pair
from .coordinates import TINY, standardise

__all__ = ["kl"]

_LOG2 = math.log(2.0)


def kl(x, y, k=1):
    r"""k-nearest-neighbour estimate of KL(P || Q) from a sample of each law.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Sample of P, the law the expectation is taken under; ``n > k``.
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension; ``m >= k``.
    k : int, optional
        Which neighbour (default 1). Larger k lowers the variance and raises the bias.

    Returns
    -------
    float
        In nats. It estimates a non-negative quantity but is not itself clipped: it can be
        negative, at small n or when P and Q are close.

    Raises
    ------
    TypeError
        If a sample is not numeric or ``k`` is not an integer.
    ValueError
        If a sample is not finite or not of shape (n,) or (n, d), the dimensions differ,
        ``k < 1``, ``n <= k`` or ``m < k``, or a k-th neighbour distance is 0: only when a point
        of x is repeated exactly (in x for :math:`\rho`, in y for :math:`\nu`), never because
        a distance underflowed.

    Notes
    -----
    With :math:`\rho_k(i)` the Euclidean distance from :math:`x_i` to its k-th nearest
    neighbour among the other points of x, and :math:`\nu_k(i)` that to its k-th nearest
    neighbour in y ([1]_, eq. 17):

    .. math:: \widehat{D}(P\|Q) = \frac{d}{n}\sum_{i=1}^n \ln\frac{\nu_k(i)}{\rho_k(i)}
              + \ln\frac{m}{n - 1}

    Neighbours are found with ``scipy.spatial.cKDTree``, in coordinates centred and scaled by a
    power of two on the pooled sample (the ratios :math:`\nu_k/\rho_k` do not depend on them):
    samples at scale 1e300 or 1e-300, from -1e308 to 1e308, or at offset 1e15 give the estimate
    of the same points at unit scale. Distances below :math:`2^{-480}` of the pooled spread,
    whose squares the tree would underflow, are recomputed without squaring. The estimator
    assumes continuous laws: repeated points make a distance 0 and its log undefined, so ties
    raise a ``ValueError`` rather than return ``inf`` or ``nan`` (add a tiny jitter,
    deduplicate, or raise ``k``). At 1e15, floats are 0.125 apart, so a sample of spread 1
    there is made of repeated values.

    It is asymptotically unbiased and mean-square consistent for fixed k as n, m grow (under
    the regularity conditions of [1]_, Thms. 1-2), but biased at finite n. Measured: the bias
    (mean estimate minus the exact KL of :func:`divergences.kl`) and the standard deviation of
    one estimate, with ``m = n``, ``rng = numpy.random.default_rng(s)``, ``x = P.sample(n, rng)``,
    ``y = Q.sample(n, rng)`` for seeds s = 0..R-1, R = 2000, 1000, 200 for n = 100, 1000,
    10 000 (so the standard error of a bias is std / sqrt(R) <= 0.006):

    ============================ ====== ====== ======== ======= ======== =======
    P || Q                       KL     n      bias k=1 std k=1 bias k=5 std k=5
    ============================ ====== ====== ======== ======= ======== =======
    N(0, 1) || N(1, 1)           0.5000 100    -0.023   0.253   -0.091   0.152
    \                                   1000   -0.001   0.083   -0.020   0.052
    \                                   10000  +0.003   0.027   -0.003   0.019
    N(0, 1) || N(0, 2^2)         0.3181 100    +0.007   0.224   +0.024   0.120
    \                                   1000   +0.003   0.072   +0.004   0.038
    \                                   10000  +0.000   0.020   -0.000   0.012
    N(0, C) || N(0, I) in 2-D    0.5108 100    -0.025   0.230   -0.053   0.126
    \                                   1000   -0.009   0.076   -0.022   0.043
    \                                   10000  -0.003   0.024   -0.007   0.014
    ============================ ====== ====== ======== ======= ======== =======

    with C = [[1, 0.8], [0.8, 1]]. So k = 5 trades a larger bias at small n (down to -0.09 nats)
    for about half the standard deviation; at n = 10 000 both biases are below 0.01 nats and
    the noise (about :math:`n^{-1/2}`) dominates the error.

    References
    ----------
    .. [1] Q. Wang, S. R. Kulkarni, S. Verdú, "Divergence estimation for multidimensional
       densities via k-nearest-neighbor distances", IEEE Trans. Inf. Theory 55(5), 2009,
       pp. 2392-2405.

    Examples
    --------
    >>> import math
    >>> from toys import Gaussian
    >>> import divergences
    >>> from divergences.empirical import kl
    >>> p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 1.0)
    >>> x, y = p.sample(20_000, rng=0), q.sample(20_000, rng=1)
    >>> math.isclose(kl(x, y), kl(3.0 * x + 2.0, 3.0 * y + 2.0))  # invariant under x -> a x + b
    True
    >>> abs(kl(x, y, k=5) - divergences.kl(p, q)) < 0.05  # exact value 0.5 nats
    True
    """
    x, y = pair(x, y)
    k = positive_int("k", k)
    (n, d), m = x.shape, y.shape[0]
    if n <= k:
        raise ValueError(f"x must have more than k={k} points (n > k), got n={n}")
    if m < k:
        raise ValueError(f"y must have at least k={k} points (m >= k), got m={m}")
    zx, zy, e = standardise(x, y)
    # the nearest point of x to x_i is x_i itself, so its (k+1)-th is the k-th among the others
    log_rho = _log_kth_distance(zx, x, zx, x, k + 1, e)
    log_nu = _log_kth_distance(zx, x, zy, y, k, e)
    neighbours = (("rho", log_rho, "x", "the other points of x"), ("nu", log_nu, "y", "the points of y"))
    for name, logs, other, among in neighbours:
        ties = np.flatnonzero(logs == -np.inf)  # only where a point is repeated exactly
        if ties.size:
            i = ties[0]
            same = np.flatnonzero(np.all((x if other == "x" else y) == x[i], axis=1))
            j = same[same != i][0] if other == "x" else same[0]
            raise ValueError(
                f"kl: {ties.size} point(s) of x, first x[{i}]={x[i].tolist()}, have their k={k}-th nearest "
                f"neighbour among {among} at distance 0 ({name} = 0, repeated values: x[{i}] == {other}[{j}]), "
                "so log(nu/rho) is undefined; the estimator assumes continuous laws: deduplicate, add a tiny "
                "jitter, or increase k"
            )
    return float(d * np.mean(log_nu - log_rho) + math.log(m / (n - 1)))


def _copies(q, s):
    """How many rows of ``s`` equal each row of ``q``, exactly (-0.0 equals 0.0)."""
    pooled = np.concatenate([s, q]) + 0.0
    order = np.lexsort(pooled.T)
    ranked = pooled[order]
    group = np.empty(len(pooled), dtype=np.intp)  # rows equal <=> same group
    group[order] = np.cumsum(np.r_[True, np.any(ranked[1:] != ranked[:-1], axis=1)]) - 1
    return np.bincount(group[: len(s)], minlength=len(pooled))[group[len(s) :]]


def _log_kth_distance(zq, q, zs, s, j, e):
    """ln of the distance from each query to its j-th nearest point of s (a query in s counts itself).

    The queries ``q`` and the points ``s`` are given in the original coordinates and in the
    standardised ones (``zq``, ``zs``, scaled by ``2**-e``); the distances are in the standardised
    units, ``-inf`` where the j-th nearest point equals the query.
    """
    tree = cKDTree(zs)
    # in 1-D the Chebyshev distance (p=inf) is the distance, and it takes no squares
    dist = tree.query(zq, k=[j], p=np.inf if zq.shape[1] == 1 else 2)[0][:, 0]
    with np.errstate(divide="ignore"):
        logs = np.log(dist)
    tiny = np.flatnonzero(dist < TINY)  # squares near or below the smallest normal float
    if tiny.size == 0:
        return logs
    cheb = dist[tiny] if zq.shape[1] == 1 else tree.query(zq[tiny], k=[j], p=np.inf)[0][:, 0]
    # a distance 0 is a repetition when the query has j copies among the points (itself included)
    zero = cheb == 0
    repeated = zero.copy()
    repeated[zero] = _copies(q[tiny[zero]], s) >= j
    tiny, cheb = tiny[~repeated], cheb[~repeated]
    # the others exactly, among candidates: every point within Euclidean distance r lies within
    # Chebyshev distance r, and the j Chebyshev-nearest within sqrt(d) times their j-th; the slack
    # covers the rounding of subnormal standardised coordinates
    radius = cheb * math.sqrt(zq.shape[1]) * (1.0 + 2.0**-40) + 2.0**-1070
    near = tree.query_ball_point(zq[tiny], radius, p=np.inf)
    sizes = np.array([len(c) for c in near], dtype=np.intp)
    owner = np.repeat(tiny, sizes)  # (candidates,) the query each candidate belongs to
    pairs = _log_norms(s[np.concatenate([*near, []]).astype(np.intp)] - q[owner], e)
    # the j-th smallest of each query's candidates: sorted by query, then by distance
    first = np.cumsum(sizes) - sizes
    logs[tiny] = pairs[np.lexsort((pairs, owner))][first + j - 1]
    return logs


def _log_norms(diff, e):
    """ln of the Euclidean norms of the rows of ``diff``, times ``2**-e``, with no square underflowing."""
    # the largest |entry| of each row is in [2**(exponent - 1), 2**exponent)
    exponent = np.frexp(np.abs(diff).max(axis=1))[1]
    unit = np.ldexp(diff, -exponent[:, None])
    with np.errstate(divide="ignore"):  # a zero row (a repeated point) has norm 0, logarithm -inf
        return 0.5 * np.log(np.sum(unit**2, axis=1)) + (exponent - e) * _LOG2
