"""Gaussian mixtures, and the ring and grid mixtures used to show mode collapse."""

import numpy as np
from scipy import special
from scipy.optimize import elementwise

from .base import ContinuousDistribution
from .validation import (
    check_locations,
    check_points,
    check_scale,
    covariance_matrix,
    positive_int,
    positive_scalar,
    probability_vector,
    real_array,
    scale,
)

_LOG_2PI = float(np.log(2 * np.pi))


class GaussianMixture(ContinuousDistribution):
    r"""Finite mixture of Gaussians, 1-D or d-D.

    ``GaussianMixture(weights=[...], means=[...], stds=[...])`` is a 1-D mixture;
    ``GaussianMixture(weights=..., means=[[...], ...], covs=[...])`` a d-D one.

    Parameters
    ----------
    weights : array_like, shape (K,)
        Mixing weights: non-negative, summing to 1 within 1e-9.
    means : array_like, shape (K,) or (K, d)
        Component centres.
    stds : array_like, shape (K,), optional
        Component standard deviations (1-D), all > 0. In d-D, isotropic: ``covs = stds**2 * I``.
    covs : array_like, shape (K, d, d), optional
        Component covariances, each symmetric positive definite (d-D). Exclusive with ``stds``.

    Notes
    -----
    The log density is computed in log space,

    .. math:: \log p(x) = \operatorname{logsumexp}_k \left(\log w_k + \log \mathcal N(x; \mu_k, \Sigma_k)\right),

    so it stays finite far in the tails where every component's density underflows.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import GaussianMixture
    >>> m = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    >>> bool(np.isfinite(m.logpdf(1e3)))
    True
    >>> bool(np.isclose(m.cdf(0.0), 0.5))
    True
    """

    def __init__(self, weights, means, stds=None, covs=None):
        w = probability_vector("weights", weights)
        mu = check_locations("means", real_array("means", means))
        if mu.ndim not in (1, 2):
            raise ValueError(f"means must have shape (K,) or (K, d), got shape {mu.shape}")
        if mu.shape[0] != w.size:
            raise ValueError(f"means must have one entry per weight ({w.size}), got {mu.shape[0]} (shape {mu.shape})")
        if stds is not None and covs is not None:
            raise TypeError("give either stds or covs, not both")
        d = 1 if mu.ndim == 1 else mu.shape[1]
        self.weights = w
        self.dim = d
        if stds is None and covs is None:
            raise TypeError("give the component spreads: stds (1-D or isotropic) or covs (d-D)")
        if stds is not None:
            s = real_array("stds", stds, ndim=1)
            if s.size != w.size:
                raise ValueError(f"stds must have one entry per weight ({w.size}), got {s.size}")
            if np.any(s <= 0):
                raise ValueError(f"stds must all be > 0, got {s.tolist()}")
            for k, sk in enumerate(s):
                check_scale(f"stds[{k}]", float(sk))
            c = s[:, None, None] ** 2 * np.eye(d)
        else:
            c = real_array("covs", covs, ndim=3)
            if c.shape[0] != w.size:
                raise ValueError(f"covs must have one matrix per weight ({w.size}), got shape {c.shape}")
            c = np.stack([covariance_matrix(f"covs[{k}]", ck, d) for k, ck in enumerate(c)])
        if d == 1 and mu.ndim == 2:
            mu = mu[:, 0]
        if d == 1:
            self.means = mu
            self.stds = np.sqrt(c[:, 0, 0])
        else:
            self.means = mu
            self.covs = c
            self._chols = np.linalg.cholesky(c)
            self._inv_chols = np.linalg.inv(self._chols)
            self._logdets = 2.0 * np.sum(np.log(np.diagonal(self._chols, axis1=1, axis2=2)), axis=1)
        with np.errstate(divide="ignore"):
            self._logw = np.log(w)

    @property
    def n_components(self):
        """Number of components K."""
        return self.weights.size

    def parameters(self):
        if self.dim == 1:
            return {"weights": self.weights, "means": self.means, "stds": self.stds}
        return {"weights": self.weights, "means": self.means, "covs": self.covs}

    # -- moments ---------------------------------------------------------------------------
    @property
    def mean(self):
        """Expectation: float in 1-D, array of shape (d,) otherwise."""
        m = self.weights @ self.means
        return float(m) if self.dim == 1 else m

    @property
    def var(self):
        """Variance (1-D only), by the law of total variance, about the mean (no E[X^2] - mean^2 cancellation)."""
        if self.dim != 1:
            raise AttributeError("var is defined for 1-D mixtures; use cov")
        return float(self.weights @ (self.stds**2 + (self.means - self.mean) ** 2))

    @property
    def cov(self):
        """Covariance matrix, shape (d, d) (d-D only), by the law of total covariance, about the mean."""
        if self.dim == 1:
            raise AttributeError("cov is defined for d-D mixtures; use var")
        d = self.means - self.mean
        return np.einsum("k,kij->ij", self.weights, self.covs) + np.einsum("k,ki,kj->ij", self.weights, d, d)

    # -- densities -------------------------------------------------------------------------
    def component_logpdf(self, x):
        """Log densities of the components at ``x``, shape ``(..., K)`` (not weighted)."""
        x = np.asarray(x, dtype=float)
        if self.dim == 1:
            z = (x[..., None] - self.means) / self.stds
            return -0.5 * z * z - np.log(self.stds) - 0.5 * _LOG_2PI
        check_points(x, self.dim)
        diff = x[..., None, :] - self.means  # (..., K, d)
        sol = np.einsum("kij,...kj->...ki", self._inv_chols, diff)  # (..., K, d)
        maha = np.sum(sol * sol, axis=-1)  # (..., K)
        return -0.5 * (maha + self._logdets + self.dim * _LOG_2PI)

    def logpdf(self, x):
        """Log density at ``x`` (shape ``(...)`` in 1-D, ``(..., d)`` in d-D), by log-sum-exp."""
        out = special.logsumexp(self.component_logpdf(x) + self._logw, axis=-1)
        return out[()] if np.ndim(out) == 0 else out

    def cdf(self, x):
        """P(X <= x), 1-D only."""
        self._need_1d("cdf")
        x = np.asarray(x, dtype=float)
        out = special.ndtr((x[..., None] - self.means) / self.stds) @ self.weights
        return out[()] if out.ndim == 0 else out

    def sf(self, x):
        """P(X > x), 1-D only; accurate in the right tail."""
        self._need_1d("sf")
        x = np.asarray(x, dtype=float)
        out = special.ndtr((self.means - x[..., None]) / self.stds) @ self.weights
        return out[()] if out.ndim == 0 else out

    def ppf(self, u):
        """Quantile function (1-D only), by Chandrupatla root finding on the CDF (to ~1e-14)."""
        self._need_1d("ppf")
        u = np.asarray(u, dtype=float)
        lo = float(np.min(self.means - 40 * self.stds))
        hi = float(np.max(self.means + 40 * self.stds))
        inside = (u > 0) & (u < 1)
        ui = np.where(inside, u, 0.5)

        def f(x, uu):
            # left half: cdf - u; right half: (1 - u) - sf, which keeps precision near u = 1
            return np.where(uu < 0.5, self.cdf(x) - uu, (1.0 - uu) - self.sf(x))

        res = elementwise.find_root(f, (lo, hi), args=(ui,), tolerances={"xatol": 1e-14, "xrtol": 4e-16})
        out = np.where(inside, res.x, np.where(u == 0, -np.inf, np.where(u == 1, np.inf, np.nan)))
        return out[()] if out.ndim == 0 else out

    def _sample(self, n, rng):
        k = rng.choice(self.weights.size, size=n, p=self.weights)
        if self.dim == 1:
            return self.means[k] + self.stds[k] * rng.standard_normal(n)
        z = rng.standard_normal((n, self.dim))
        return self.means[k] + np.einsum("nij,nj->ni", self._chols[k], z)

    # -- the components, and the structure for the quadrature ---------------------------------
    def features(self):
        """The means and standard deviations of the components of positive weight (1-D); None in d-D."""
        if self.dim != 1:
            return None
        keep = self.weights > 0
        return self.means[keep], self.stds[keep]

    def as_mixture(self):
        """``(weights (K,), means (K, d), covs (K, d, d))``, in 1-D too (``d = 1``)."""
        if self.dim == 1:
            return self.weights, self.means[:, None], self.stds[:, None, None] ** 2
        return self.weights, self.means, self.covs

    def _need_1d(self, what):
        if self.dim != 1:
            raise ValueError(f"{what} is defined for 1-D laws only; this mixture has dim={self.dim}")


def ring(n_modes=8, radius=2.0, std=0.02):
    """Equal-weight mixture of ``n_modes`` isotropic Gaussians evenly spaced on a circle.

    The 2-D benchmark of mode collapse (the "ring of 8 Gaussians" of VEEGAN and PacGAN).

    Parameters
    ----------
    n_modes : int
        Number of modes, >= 1.
    radius : float
        Circle radius, > 0.
    std : float
        Standard deviation of each mode, > 0.

    Returns
    -------
    GaussianMixture
        2-D, with mode ``k`` centred at ``radius * (cos(2 pi k / n), sin(2 pi k / n))``.

    Examples
    --------
    >>> import numpy as np
    >>> import toys
    >>> r = toys.ring()
    >>> r.n_components, r.dim
    (8, 2)
    >>> bool(np.allclose(np.linalg.norm(r.means, axis=1), 2.0))
    True
    """
    n = positive_int("n_modes", n_modes)
    radius = positive_scalar("radius", radius)
    std = scale("std", std)
    angles = 2 * np.pi * np.arange(n) / n
    means = radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return GaussianMixture(weights=np.full(n, 1.0 / n), means=means, stds=np.full(n, std))


def grid(n_per_side=5, spacing=2.0, std=0.05):
    """Equal-weight mixture of isotropic Gaussians on a square grid centred at the origin.

    The 2-D benchmark of mode collapse (the "grid of 25 Gaussians" of VEEGAN and PacGAN; with
    the defaults the centres are {-4, -2, 0, 2, 4}^2).

    Parameters
    ----------
    n_per_side : int
        Modes per side, >= 1; the mixture has ``n_per_side**2`` modes.
    spacing : float
        Distance between neighbouring centres, > 0.
    std : float
        Standard deviation of each mode, > 0.

    Returns
    -------
    GaussianMixture
        2-D.

    Examples
    --------
    >>> import toys
    >>> g = toys.grid()
    >>> g.n_components, g.means.min(), g.means.max()
    (25, np.float64(-4.0), np.float64(4.0))
    """
    n = positive_int("n_per_side", n_per_side)
    spacing = positive_scalar("spacing", spacing)
    std = scale("std", std)
    ticks = spacing * (np.arange(n) - (n - 1) / 2)
    xx, yy = np.meshgrid(ticks, ticks, indexing="ij")
    means = np.stack([xx.ravel(), yy.ravel()], axis=1)
    k = n * n
    return GaussianMixture(weights=np.full(k, 1.0 / k), means=means, stds=np.full(k, std))
