"""The parallel-lines family of the WGAN paper."""

import numpy as np

from .base import SingularDistribution
from .validation import location


class ShiftedLine(SingularDistribution):
    """The law of (theta, Z) with Z ~ U[0, 1]: a vertical unit segment in R^2.

    Example 1 of Arjovsky, Chintala and Bottou (2017): P_0 is the segment at x = 0 and P_theta
    the same segment moved to x = theta. The law lives on a line, so it has no density on R^2.

    Parameters
    ----------
    theta : float
        Horizontal position of the segment.

    References
    ----------
    .. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.

    Examples
    --------
    >>> from toys import ShiftedLine
    >>> x = ShiftedLine(0.5).sample(4, rng=0)
    >>> x.shape, bool((x[:, 0] == 0.5).all())
    ((4, 2), True)
    """

    dim = 2

    def __init__(self, theta=0.0):
        self.theta = location("theta", theta)

    def parameters(self):
        return {"theta": self.theta}

    @property
    def mean(self):
        """(theta, 1/2)."""
        return np.array([self.theta, 0.5])

    @property
    def cov(self):
        """diag(0, 1/12): singular, as the law is."""
        return np.array([[0.0, 0.0], [0.0, 1.0 / 12.0]])

    def _sample(self, n, rng):
        z = rng.random(n)
        return np.stack([np.full(n, self.theta), z], axis=1)
