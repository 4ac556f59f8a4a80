r"""The squared maximum mean discrepancy (MMD) between two samples, with a Gaussian kernel."""

import math

import numpy as np
from scipy.spatial import distance

from toys.validation import positive_scalar

from .checks import affordable, pair
from .coordinates import standardise
from .pairwise import cross_sum, within_sum

__all__ = ["KERNELS", "mmd"]

#: The kernels :func:`mmd` knows, by name.
KERNELS = ("gaussian",)


def mmd(x, y, *, kernel="gaussian", bandwidth, unbiased=True):
    r"""Squared maximum mean discrepancy between two samples: the U- or the V-statistic.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Sample of P (``n >= 2`` for the U-statistic).
    y : array_like, shape (m,) or (m, d)
        Sample of Q, in the same dimension (``m >= 2`` for the U-statistic).
    kernel : {"gaussian"}, optional
        :math:`k(x, y) = \exp(-\|x - y\|^2 / (2h^2))`, with h the bandwidth (the only one for now).
    bandwidth : float or "median"
        Required, keyword only: h > 0, in the units of the samples -- the standard deviation of
        the Gaussian bump, so h = 1 is ``exp(-|x - y|**2 / 2)``; scikit-learn's ``rbf_kernel``
        ``gamma`` is :math:`1/(2h^2)`. ``"median"``: the median heuristic, h the median of the
        Euclidean distances :math:`\|z_i - z_j\|` over all pairs i < j of the pooled sample
        :math:`z = (x_1..x_n, y_1..y_m)` (``numpy.median`` of ``scipy.spatial.distance.pdist``:
        the mean of the two middle distances for an even number of pairs).
    unbiased : bool, optional
        True (default): the U-statistic, unbiased for :math:`\mathrm{MMD}^2`, which can be
        negative. False: the V-statistic, :math:`\mathrm{MMD}^2` between the empirical measures,
        non-negative but biased upward. Only ``True`` or ``False`` are accepted, not 0 or 1.

    Returns
    -------
    float
        :math:`\widehat{\mathrm{MMD}}^2` (the square, not MMD), unitless: kernel values are.

    Raises
    ------
    TypeError
        If a sample is not numeric, ``bandwidth`` is neither a number nor a string, or
        ``unbiased`` is not a bool.
    ValueError
        If a sample is empty, not finite, not of shape (n,) or (n, d), the dimensions differ;
        ``kernel`` is not in :data:`KERNELS`; ``bandwidth`` is not > 0 and finite nor "median";
        ``unbiased=True`` and n < 2 or m < 2; the median heuristic is 0 (more than half the pairs
        are repeated points) or needs more than :data:`divergences.empirical.MAX_ENTRIES`
        distances (``(n+m)(n+m-1)/2``, about 23 000 pooled points), refused before allocating.

    Notes
    -----
    With :math:`K^{xx}_{ij} = k(x_i, x_j)`, :math:`K^{yy}`, :math:`K^{xy}` likewise, the U-statistic
    is Lemma 6, eq. (3) of [1]_,

    .. math:: \mathrm{MMD}^2_u = \frac{1}{n(n-1)}\sum_{i \ne j} K^{xx}_{ij}
              + \frac{1}{m(m-1)}\sum_{i \ne j} K^{yy}_{ij} - \frac{2}{nm}\sum_{i,j} K^{xy}_{ij},

    and the V-statistic the square of :math:`\mathrm{MMD}_b` of eq. (5) of [1]_: the same with
    every pair including i = j, divided by :math:`n^2` and :math:`m^2`; it is the squared RKHS
    distance between the mean embeddings of the empirical measures, clipped at 0 against
    rounding. Since :math:`k(x, x) = 1 \ge k`,

    .. math:: \mathrm{MMD}^2_b - \mathrm{MMD}^2_u = \frac{1 - \bar K^{xx}}{n} + \frac{1 - \bar K^{yy}}{m}
              \ge 0,

    with :math:`\bar K` the mean over i != j: the bias of the V-statistic, of order 1/n.

    **Cost**: :math:`O((n + m)^2 d)` time; the kernel matrices are summed in blocks of at most
    2**20 entries (``pairwise.BLOCK_ENTRIES``) and never allocated whole (n = m =
    20 000 in 2-D: 6 s on one core, 35 MiB more than the samples). The median heuristic needs every
    pooled distance at once (an exact median), hence its limit; for larger samples compute it on
    a subsample and pass the number.

    **Units**: computed in coordinates centred and scaled by a power of two ``2**e`` on the pooled
    sample, with h scaled alike, as :math:`\exp(-\tfrac12\,2^{-2g}\|z_i - z_j\|^2/f^2)` for
    :math:`h 2^{-e} = f 2^g`: scaling the samples and h together leaves the value unchanged
    (exactly for a power of two), and a bandwidth far below or above the spread of the samples
    gives the limits (kernel 0 or 1 between distinct points) rather than ``nan``.

    References
    ----------
    .. [1] A. Gretton, K. M. Borgwardt, M. J. Rasch, B. Schölkopf, A. Smola, "A kernel
       two-sample test", JMLR 13 (2012) 723-773; the median heuristic in its Sec. 8.

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from divergences.empirical import mmd
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.standard_normal((300, 2)), rng.standard_normal((200, 2)) + [0.5, 0.0]
    >>> u = mmd(x, y, bandwidth=1.0)
    >>> v = mmd(x, y, bandwidth=1.0, unbiased=False)
    >>> bool(v >= u)
    True
    >>> mmd(x, rng.permutation(x), bandwidth=1.0, unbiased=False) < 1e-15  # identical samples
    True
    >>> math.isclose(mmd(1e3 * x, 1e3 * y, bandwidth=1e3), u)  # units cancel with the bandwidth
    True
    """
    x, y = pair(x, y)
    if not isinstance(kernel, str) or kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    if not isinstance(unbiased, (bool, np.bool_)):
        raise TypeError(
            f"unbiased must be True (the U-statistic) or False (the V-statistic), got {unbiased!r} of type "
            f"{type(unbiased).__name__}"
        )
    (n, _), m = x.shape, y.shape[0]
    if unbiased and min(n, m) < 2:
        raise ValueError(
            f"the U-statistic (unbiased=True) needs at least 2 points in each sample, got n={n} and m={m}; "
            "pass unbiased=False for the V-statistic"
        )
    if isinstance(bandwidth, str):
        if bandwidth != "median":
            raise ValueError(f"bandwidth must be a number > 0 or 'median', got {bandwidth!r}")
    else:
        bandwidth = positive_scalar("bandwidth", bandwidth)
    x, y, e = standardise(x, y)
    # exp(-|d|^2 / (2 h^2)) with h = f 2**g in the standardised units (h / 2**e, never rounded to 0):
    # |d|^2 / f^2 <= 4 d, then the power of two, which may overflow to inf (kernel 0) or underflow
    # to 0 (kernel 1) but never make 0 * inf
    f, g = math.frexp(_median_distance(x, y) if bandwidth == "median" else bandwidth)
    g -= 0 if bandwidth == "median" else e

    def k(squared):
        with np.errstate(over="ignore", under="ignore"):
            return np.exp(-0.5 * np.ldexp(squared / (f * f), -2 * g))

    # sums over i != j of the symmetric kernel matrices, and over all pairs across
    sxx, syy, sxy = 2.0 * within_sum(x, k), 2.0 * within_sum(y, k), cross_sum(x, y, k)
    if unbiased:
        return float(sxx / (n * (n - 1)) + syy / (m * (m - 1)) - 2.0 * sxy / (n * m))
    # the diagonal, k(x, x) = 1, adds n and m
    return max(float((sxx + n) / n**2 + (syy + m) / m**2 - 2.0 * sxy / (n * m)), 0.0)


def _median_distance(x, y):
    """The median of the Euclidean distances over all pairs of the pooled sample (in its coordinates)."""
    pooled = np.concatenate([x, y])
    size = len(pooled)
    what = f"the median heuristic over n+m={size} pooled points takes the (n+m)(n+m-1)/2"
    affordable(size * (size - 1) // 2, what, "compute the bandwidth on a subsample and pass it")
    h = float(np.median(distance.pdist(pooled)))
    if h == 0.0:
        raise ValueError(
            "bandwidth='median' gives 0: more than half of the pairs of pooled points are repeated points; "
            "pass a bandwidth > 0"
        )
    return h
