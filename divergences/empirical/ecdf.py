"""Two empirical CDFs on the sorted pooled sample: the integrals of W1 and of the energy distance in 1-D."""

import numpy as np

__all__ = ["cdf_steps"]


def cdf_steps(x, y):
    """``(f, g, widths)``: the empirical CDFs of the 1-D samples x and y on each gap of their pooled sample.

    On ``[t_k, t_{k+1})``, between consecutive points of the sorted pooled sample, both CDFs are
    constant, ``f[k]`` and ``g[k]``, and the gap is ``widths[k]`` long; so
    ``sum(h(f - g) * widths)`` is the integral of ``h(F_n - G_m)`` exactly, up to rounding.
    """
    x, y = np.sort(x), np.sort(y)
    pooled = np.sort(np.concatenate([x, y]))
    f = np.searchsorted(x, pooled[:-1], side="right") / x.size
    g = np.searchsorted(y, pooled[:-1], side="right") / y.size
    return f, g, np.diff(pooled)
