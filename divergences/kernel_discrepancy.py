r"""The squared maximum mean discrepancy between two laws: closed form if one applies, numeric otherwise."""

import math
import numbers

from .functions import _divergence

__all__ = ["KERNELS", "check_kernel", "mmd"]

#: The kernels :func:`mmd` knows, by name (as :data:`divergences.empirical.KERNELS`).
KERNELS = ("gaussian",)


def check_kernel(kernel, bandwidth):
    """``(kernel, bandwidth)`` checked: a name of :data:`KERNELS` and a finite float > 0."""
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, numbers.Real):
        raise TypeError(f"bandwidth must be a real number > 0 (the kernel's length scale), got {bandwidth!r}")
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0.0):
        raise ValueError(f"bandwidth must be finite and > 0, got {bandwidth!r}")
    return kernel, h


def mmd(p, q, *, kernel="gaussian", bandwidth):
    r"""Squared maximum mean discrepancy with kernel ``kernel`` of length scale ``bandwidth`` (work in progress).

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.
    kernel : {"gaussian"}
        :math:`k(x, y) = \exp(-\|x - y\|^2 / (2h^2))`, as :func:`divergences.empirical.mmd`.
    bandwidth : float
        Required, keyword only: h > 0, in the units of the laws.

    Returns
    -------
    float
        :math:`\mathrm{MMD}^2` (the square), unitless.
    """
    kernel, bandwidth = check_kernel(kernel, bandwidth)
    return _divergence("mmd", p, q, kernel=kernel, bandwidth=bandwidth)
