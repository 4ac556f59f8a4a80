"""Two samples in coordinates centred and scaled on the pooled sample.

KL, JS and TV are invariant under the affine maps ``v -> (v - c) / s`` applied to both samples,
and W1 scales by ``s``, so every estimator works in the coordinates :func:`standardise` chooses:
``s = 2**e`` the power of two just above the pooled spread (the largest ``max - min`` over the
axes, or per axis for the histograms), so that scaling is exact and the pooled sample spans less
than 1 on every axis; and ``c`` on each axis the midpoint of the pooled range when it lies far
from the origin relative to the spread (more than 16 spreads), 0 otherwise. Samples at 1e300 or
1e-300, or at 1e15 with spread 1, then give the estimates of the same samples at unit scale:
exactly when the map between them is exact (a power of two, an offset the floats represent).

``max - min`` is formed as ``max/2 - min/2`` when it overflows (samples at -1e308 and 1e308),
and subtracting ``c`` is exact (Sterbenz: each point is within a factor 2 of ``c``). The
histograms then measure each axis from the pooled minimum, so that exact translates bin alike.
"""

import math

import numpy as np

__all__ = ["TINY", "scale_back", "standardise"]

#: Below this Euclidean distance in the standardised coordinates (where the pooled sample spans
#: less than 1) a norm taken as the root of a sum of squares loses digits: the squares, 2**-960
#: and less, are near or below the smallest normal float. Such distances are recomputed without
#: squaring.
TINY = 2.0**-480
#: The pooled range of an axis is "far from the origin" when its midpoint exceeds this many spreads.
_FAR = 16.0


def standardise(x, y, *, per_axis=False):
    """``(x', y', e)``: the samples of shape (n, d) and (m, d) as ``(v - c) / 2**e``.

    ``e`` is one int (a similarity: Euclidean distances scale by ``2**-e``), or with
    ``per_axis=True`` an int array of shape (d,), one scale per axis (for the histograms, which
    any per-axis affine map leaves unchanged). An axis on which every point is equal has
    ``e = 0``.
    """
    lo = np.minimum(x.min(axis=0), y.min(axis=0))
    hi = np.maximum(x.max(axis=0), y.max(axis=0))
    with np.errstate(over="ignore"):
        spread = hi - lo  # inf when the samples reach both ends of the float range
        far = np.abs(0.5 * lo + 0.5 * hi) > _FAR * spread
    # spread in [2**(e - 1), 2**e), from half the spread where the spread itself overflows
    exponents = np.where(np.isfinite(spread), np.frexp(spread)[1], np.frexp(0.5 * hi - 0.5 * lo)[1] + 1)
    c = np.where(far, 0.5 * lo + 0.5 * hi, 0.0)
    e = exponents if per_axis else int(exponents.max())
    return np.ldexp(x - c, -e), np.ldexp(y - c, -e), e


def scale_back(value, e, what):
    """``value * 2**e`` as a float, for a length measured in the coordinates of :func:`standardise`.

    Raises
    ------
    ValueError
        If the product exceeds the largest float; ``what`` names the quantity in the message.
    """
    try:
        return math.ldexp(float(value), int(e))
    except OverflowError:
        raise ValueError(
            f"{what} is {float(value):.6g} * 2**{int(e)}, beyond the largest float "
            f"({np.finfo(float).max:.6g}); rescale both samples by the same factor"
        ) from None
