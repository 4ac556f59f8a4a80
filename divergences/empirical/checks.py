"""The samples every estimator takes (two arrays of points in one dimension) and the memory it may use."""

import math

import numpy as np

from toys.validation import points

__all__ = ["MAX_ENTRIES", "affordable", "pair"]

#: Largest array an estimator allocates, in entries: 2**28, so 2 GiB of float64. It bounds the
#: cells of a histogram (``bins ** d``) and the transport cost matrix (``n * m`` in d >= 2);
#: larger requests are refused with a ``ValueError`` before anything is allocated.
MAX_ENTRIES = 2**28


def pair(x, y):
    """Both samples as float arrays of shape (n, d) and (m, d), or raise naming the culprit."""
    xs, ys = points("x", x), points("y", y)
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(
            f"x and y must be samples in the same dimension, got x.shape={np.shape(x)} (d={xs.shape[1]}) "
            f"and y.shape={np.shape(y)} (d={ys.shape[1]})"
        )
    return xs, ys


def affordable(entries, what, advice):
    """Raise a ValueError unless an array of ``entries`` float64 entries is within :data:`MAX_ENTRIES`.

    ``what`` says which parameters make the array (named, with their values); ``advice`` what to do.
    """
    if entries > MAX_ENTRIES:
        # Python ints: bins=10**400 gives a count beyond the floats, said as a power of ten
        size = (
            f"{entries:.4g} entries, about {entries / 2**27:.3g} GiB"
            if entries < 1e300
            else f"~10**{int(math.log10(entries))} entries"
        )
        raise ValueError(
            f"{what}: {size} as float64, more than MAX_ENTRIES = 2**28 entries "
            f"({MAX_ENTRIES / 2**27:g} GiB), refused before allocating; {advice}"
        )
