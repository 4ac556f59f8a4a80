"""Components of 2-D mixture-like laws, as arrays: the shared ground of the 2-D numeric paths.

A 2-D Gaussian or Gaussian mixture describes itself with ``as_mixture()``; here it is the triple
``(w, mu, cov)`` of its components of positive weight, with their marginal standard deviations,
the box they occupy and their image under ``x -> (x - c) / s``.
"""

import numpy as np

__all__ = ["REACH", "box", "components", "moved", "sds"]

#: A component's reach along an axis, in marginal standard deviations (mass beyond: 1.5e-23).
REACH = 10.0


def components(d):
    """``(w, mu, cov)`` of the components of positive weight of a mixture-like 2-D law."""
    w, mu, cov = d.as_mixture()
    keep = w > 0
    return w[keep], mu[keep], cov[keep]


def sds(mix):
    """Marginal standard deviations of the components, shape (K, 2)."""
    return np.sqrt(np.diagonal(mix[2], axis1=1, axis2=2))


def box(mixes):
    """The smallest box holding every component's mean +- REACH marginal standard deviations."""
    lo = np.min([np.min(m[1] - REACH * sds(m), axis=0) for m in mixes], axis=0)
    hi = np.max([np.max(m[1] + REACH * sds(m), axis=0) for m in mixes], axis=0)
    return lo, hi


def moved(mix, c, s):
    """The components of the law of ``(X - c) / s``."""
    w, mu, cov = mix
    return w, (mu - c) / s, cov / (s * s)
