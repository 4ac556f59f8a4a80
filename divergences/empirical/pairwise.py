"""Sums over all pairs of points of a function of their squared distance, in blocks of bounded size.

:func:`divergences.empirical.mmd` and :func:`divergences.empirical.energy` average a function of
the distance over every pair of points, within a sample and across the two. The n x m matrix of
pairs is never allocated whole: it is swept in blocks of rows holding at most
:data:`BLOCK_ENTRIES` distances, so that n = m = 20 000 points (4e8 pairs, 3 GiB as float64)
take a few tens of MiB. Each block is summed by numpy's pairwise summation and the block sums
by ``math.fsum``, so the rounding error of a sum is about that of one block.
"""

import math

import numpy as np
from scipy.spatial import distance

__all__ = ["BLOCK_ENTRIES", "cross_sum", "within_sum"]

#: Largest block of pairwise distances held at once, in entries (2**20: 8 MiB of float64).
BLOCK_ENTRIES = 2**20


def cross_sum(x, y, fn):
    r"""``sum_{i, j} fn(|x_i - y_j|**2)`` over the points of x, shape (n, d), and y, shape (m, d).

    ``fn`` maps an array of squared Euclidean distances to an array of the same shape.
    """
    rows = max(1, BLOCK_ENTRIES // y.shape[0])
    sums = (_block(x[a : a + rows], y, fn).sum() for a in range(0, x.shape[0], rows))
    return math.fsum(float(s) for s in sums)


def within_sum(x, fn):
    r"""``sum_{i < j} fn(|x_i - x_j|**2)`` over the pairs of distinct indices of x, shape (n, d)."""
    n = x.shape[0]
    rows = max(1, BLOCK_ENTRIES // n)
    total = []
    for a in range(0, n - 1, rows):
        # rows a..b-1 against columns a..n-1; keep column > row (k=1 above the block's diagonal)
        block = _block(x[a : a + rows], x[a:], fn)
        total.append(float(np.triu(block, k=1).sum()))
    return math.fsum(total)


def _block(x, y, fn):
    """``fn`` of the squared distances between the rows of x and of y (computed from differences)."""
    return fn(distance.cdist(x, y, metric="sqeuclidean"))
