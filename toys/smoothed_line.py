r"""The parallel-lines family of the WGAN paper, blurred by isotropic Gaussian noise."""

import math

import numpy as np
from scipy import special

from .base import ContinuousDistribution
from .validation import check_points, check_scale, location, real_scalar

_LOG_2PI = float(np.log(2 * np.pi))
_SQRT2 = math.sqrt(2.0)


class SmoothedLine(ContinuousDistribution):
    r"""The law of :math:`(\theta, Z) + \sigma(E_1, E_2)` with :math:`Z \sim U[0, 1]`, :math:`E \sim N(0, I_2)`.

    :class:`toys.ShiftedLine` convolved with :math:`N(0, \sigma^2 I)`: a vertical unit segment at
    :math:`x = \theta`, blurred into a law with a density on :math:`R^2`. As
    :math:`\sigma \to 0` it tends to ``ShiftedLine(theta)``, which has no density; the
    divergences between two members, continuous in :math:`\theta` for every
    :math:`\sigma > 0`, then tend to the jumps of Example 1 of the WGAN paper [1]_.

    Parameters
    ----------
    theta : float
        Horizontal position of the segment.
    sigma : float
        Standard deviation of the noise, > 0 (``sigma = 0`` is ``ShiftedLine(theta)``, a law
        without a density, and is rejected).

    Attributes
    ----------
    theta, sigma : float
        The parameters.
    dim : int
        2.
    mean : numpy.ndarray, shape (2,)
        :math:`(\theta, 1/2)`.
    cov : numpy.ndarray, shape (2, 2)
        :math:`\operatorname{diag}(\sigma^2, 1/12 + \sigma^2)`.

    Raises
    ------
    TypeError
        If a parameter is not a real number.
    ValueError
        If ``theta`` is not finite, or ``sigma`` is not > 0 with a finite positive square.

    Notes
    -----
    The two coordinates are independent, so the density factorises into a Gaussian in
    :math:`x` and the uniform density on [0, 1] convolved with :math:`N(0, \sigma^2)` in
    :math:`y`:

    .. math:: p(x, y) = \frac{1}{\sigma}\varphi\!\left(\frac{x - \theta}{\sigma}\right)
              \left[\Phi\!\left(\frac{y}{\sigma}\right) - \Phi\!\left(\frac{y - 1}{\sigma}\right)\right],

    with :math:`\varphi, \Phi` the standard normal density and distribution function. Two
    members with the same :math:`\sigma` share the factor in :math:`y`, so their TV, KL and JS
    are those of :math:`N(\theta_1, \sigma^2)` against :math:`N(\theta_2, \sigma^2)`
    (:mod:`divergences.closed_forms.smoothed_line`). :meth:`log_profile` computes the factor in
    :math:`y` from the nearer end of the segment (it is symmetric about :math:`y = 1/2`): on the
    segment as :math:`\tfrac12[\operatorname{erf}(a/\sqrt2) + \operatorname{erf}(-b/\sqrt2)]`
    with :math:`a = u/\sigma \ge 0 > b = (u - 1)/\sigma`, a sum without cancellation, and beyond
    it as a difference of normal tails in log space, so it stays accurate far in the tails.

    References
    ----------
    .. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1; the
       noise is the remedy discussed in M. Arjovsky, L. Bottou, "Towards principled methods for
       training generative adversarial networks", ICLR 2017, Sec. 3.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import SmoothedLine
    >>> p = SmoothedLine(theta=0.5, sigma=0.1)
    >>> x = p.sample(4, rng=0)
    >>> x.shape, p.mean.tolist()
    ((4, 2), [0.5, 0.5])
    >>> # the density is symmetric about the middle of the segment, y = 1/2
    >>> bool(np.isclose(p.pdf([0.6, 0.2]), p.pdf([0.6, 0.8])))
    True
    """

    dim = 2

    def __init__(self, theta, sigma):
        self.theta = location("theta", theta)
        s = real_scalar("sigma", sigma)
        if s <= 0:
            raise ValueError(
                f"sigma must be > 0, got {s!r}; sigma = 0 is toys.ShiftedLine(theta), which has no density"
            )
        self.sigma = check_scale("sigma", s)

    def parameters(self):
        return {"theta": self.theta, "sigma": self.sigma}

    @property
    def mean(self):
        """(theta, 1/2)."""
        return np.array([self.theta, 0.5])

    @property
    def cov(self):
        """diag(sigma^2, 1/12 + sigma^2): the noise adds sigma^2 to each variance."""
        v = self.sigma**2
        return np.array([[v, 0.0], [0.0, 1.0 / 12.0 + v]])

    def logpdf(self, x):
        r"""Log density at the points ``x``.

        Parameters
        ----------
        x : array_like, shape (..., 2)
            Points of the plane.

        Returns
        -------
        numpy.ndarray or float, shape (...)
            :math:`\log p_\theta(x)`, computed in log space: finite far beyond where the density
            itself underflows.
        """
        x = np.asarray(x, dtype=float)
        check_points(x, 2)
        s = self.sigma
        zx = (x[..., 0] - self.theta) / s
        log_x = -0.5 * zx * zx - math.log(s) - 0.5 * _LOG_2PI
        out = log_x + self.log_profile(x[..., 1])
        return out[()] if out.ndim == 0 else out

    def log_profile(self, y):
        r"""Log of the factor in :math:`y`, :math:`\log[\Phi(y/\sigma) - \Phi((y - 1)/\sigma)]`.

        The marginal density of the second coordinate (the uniform law on [0, 1] convolved
        with :math:`N(0, \sigma^2)`).

        Parameters
        ----------
        y : array_like, shape (...)
            Values of the second coordinate.

        Returns
        -------
        numpy.ndarray or float, shape (...)
        """
        y = np.asarray(y, dtype=float)
        u = np.minimum(y, 1.0 - y)  # the factor is symmetric about 1/2: work from the nearer end
        a, b = u / self.sigma, (u - 1.0) / self.sigma  # b < a
        with np.errstate(divide="ignore", invalid="ignore"):
            # on the segment (a >= 0 > b) a sum of two positive terms, without cancellation
            on = np.log(0.5 * (special.erf(a / _SQRT2) + special.erf(-b / _SQRT2)))
            # beyond its end (b < a < 0) a difference of two tails, taken in log space
            hi = special.log_ndtr(a)
            off = hi + np.log(-np.expm1(special.log_ndtr(b) - hi))
        out = np.where(u >= 0, on, off)
        return out[()] if out.ndim == 0 else out

    def _sample(self, n, rng):
        z = rng.random(n)
        noise = rng.standard_normal((n, 2))
        return np.stack([np.full(n, self.theta), z], axis=1) + self.sigma * noise
