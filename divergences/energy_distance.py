r"""Székely's energy distance between two laws: closed form if one applies, numeric otherwise."""

from .functions import _divergence

__all__ = ["energy"]


def energy(p, q):
    r"""Energy distance :math:`2E\|X - Y\| - E\|X - X'\| - E\|Y - Y'\|` (work in progress).

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.

    Returns
    -------
    float
        In the units of the samples.
    """
    return _divergence("energy", p, q)
