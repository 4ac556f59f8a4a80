r"""The Wasserstein-2 distance between two laws: closed form if one applies, numeric otherwise."""

from .functions import _divergence

__all__ = ["w2"]


def w2(p, q):
    r"""Wasserstein-2 distance with the Euclidean ground metric (work in progress).

    Parameters
    ----------
    p, q : toy or frozen scipy.stats distribution
        Two laws of the same dimension.

    Returns
    -------
    float
        :math:`W_2(P, Q)` itself (not its square), in the units of the samples.
    """
    return _divergence("w2", p, q)
