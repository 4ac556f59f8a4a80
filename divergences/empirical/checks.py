"""The samples every estimator takes: two arrays of points in one dimension."""

import numpy as np

from toys.validation import points

__all__ = ["pair"]


def pair(x, y):
    """Both samples as float arrays of shape (n, d) and (m, d), or raise naming the culprit."""
    xs, ys = points("x", x), points("y", y)
    if xs.shape[1] != ys.shape[1]:
        raise ValueError(
            f"x and y must be samples in the same dimension, got x.shape={np.shape(x)} (d={xs.shape[1]}) "
            f"and y.shape={np.shape(y)} (d={ys.shape[1]})"
        )
    return xs, ys
