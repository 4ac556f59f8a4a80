"""The Gaussian toy, 1-D and d-D."""

import numpy as np
from scipy import linalg, special

from .base import ContinuousDistribution
from .validation import check_locations, check_points, covariance_matrix, real_array, scale

_LOG_2PI = float(np.log(2 * np.pi))


class Gaussian(ContinuousDistribution):
    r"""Normal distribution on the line or in R^d.

    ``Gaussian(mean=0.0, std=1.0)`` is the 1-D law N(mean, std^2);
    ``Gaussian(mean=[...], cov=[[...]])`` the d-D law N(mean, cov). A vector mean with ``std``
    instead of ``cov`` gives the isotropic covariance ``std**2 * I``; a vector mean alone the
    identity. A 1-vector mean is the 1-D law (``dim == 1``, samples of shape ``(n,)``).

    Parameters
    ----------
    mean : float or array_like, shape (d,)
        Centre.
    std : float, optional
        Standard deviation (> 0). Default 1 when ``cov`` is not given.
    cov : array_like, shape (d, d), optional
        Symmetric positive-definite covariance. Mutually exclusive with ``std``.

    Attributes
    ----------
    dim : int
    mean : float (1-D) or numpy.ndarray, shape (d,)
    std, var : float
        1-D only.
    cov : numpy.ndarray, shape (d, d)
        d-D only (``dim >= 2``).
    chol : numpy.ndarray, shape (d, d)
        Lower Cholesky factor of the covariance (``[[std]]`` in 1-D).
    logdet : float
        Log-determinant of the covariance (``log var`` in 1-D).

    Raises
    ------
    ValueError
        If ``std`` is not in ``toys.validation.SCALE_RANGE`` (about 1.5e-154 to 1.3e154: its square
        must be a normal float), ``cov`` is not symmetric positive definite, does not match ``mean``,
        has eigenvalues outside that range squared or a condition number above
        ``toys.validation.MAX_CONDITION`` (1e8), or ``mean`` is not finite or beyond +-1e150.
    TypeError
        If both ``std`` and ``cov`` are given, or a parameter is not numeric (None, a bool).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> g = Gaussian(mean=1.0, std=2.0)
    >>> bool(np.isclose(g.cdf(g.ppf(0.3)), 0.3))
    True
    >>> rho = 0.8
    >>> g2 = Gaussian(mean=[0, 0], cov=[[1, rho], [rho, 1]])
    >>> g2.sample(5, rng=0).shape
    (5, 2)
    """

    def __init__(self, mean=0.0, std=None, cov=None):
        if std is not None and cov is not None:
            raise TypeError("give either std (1-D or isotropic) or cov, not both")
        m = real_array("mean", mean)
        if m.ndim > 1:
            raise ValueError(f"mean must be a scalar or a 1-D array, got shape {m.shape}")
        if m.ndim == 1 and m.size == 0:
            raise ValueError("mean must not be empty")
        check_locations("mean", m)
        d = 1 if m.ndim == 0 else m.size
        if cov is not None:
            c = covariance_matrix("cov", cov, d)
        else:
            s = 1.0 if std is None else scale("std", std)
            c = s**2 * np.eye(d)
        self.dim = d
        if d == 1:
            self.mean = float(m.reshape(()))
            self.var = float(c[0, 0])
            self.std = float(np.sqrt(self.var)) if std is None else s
        else:
            self.mean = m
            self.cov = c
            self._chol = np.linalg.cholesky(c)
            self._logdet = 2.0 * float(np.sum(np.log(np.diag(self._chol))))

    def parameters(self):
        """The constructor's keywords: ``mean`` and ``std`` (1-D) or ``cov`` (d-D)."""
        if self.dim == 1:
            return {"mean": self.mean, "std": self.std}
        return {"mean": self.mean, "cov": self.cov}

    @property
    def chol(self):
        """Lower Cholesky factor L of the covariance, ``LL^T = cov``; shape (d, d), ``[[std]]`` in 1-D."""
        return np.array([[self.std]]) if self.dim == 1 else self._chol

    @property
    def logdet(self):
        """Log-determinant of the covariance (``log var`` in 1-D), from the Cholesky factor."""
        return 2.0 * float(np.log(self.std)) if self.dim == 1 else self._logdet

    # -- densities -------------------------------------------------------------------------
    def logpdf(self, x):
        """Log density at ``x`` (shape ``(...)`` in 1-D, ``(..., d)`` in d-D)."""
        x = np.asarray(x, dtype=float)
        if self.dim == 1:
            z = (x - self.mean) / self.std
            return -0.5 * z * z - np.log(self.std) - 0.5 * _LOG_2PI
        check_points(x, self.dim)
        diff = (x - self.mean).reshape(-1, self.dim)
        sol = linalg.solve_triangular(self._chol, diff.T, lower=True)  # (d, n)
        maha = np.sum(sol * sol, axis=0).reshape(x.shape[:-1])
        out = -0.5 * (maha + self._logdet + self.dim * _LOG_2PI)
        return out[()] if out.ndim == 0 else out

    def cdf(self, x):
        """P(X <= x), 1-D only."""
        self._need_1d("cdf")
        return special.ndtr((np.asarray(x, dtype=float) - self.mean) / self.std)

    def ppf(self, u):
        """Quantile function, the inverse of :meth:`cdf`; 1-D only."""
        self._need_1d("ppf")
        return self.mean + self.std * special.ndtri(np.asarray(u, dtype=float))

    def _sample(self, n, rng):
        if self.dim == 1:
            return self.mean + self.std * rng.standard_normal(n)
        return self.mean + rng.standard_normal((n, self.dim)) @ self._chol.T

    # -- the law seen as a mixture, and its structure for the quadrature ------------------------
    def features(self):
        """``([mean], [std])``: one feature (1-D)."""
        return np.array([self.mean]), np.array([self.std])

    def as_mixture(self):
        """This law as a one-component mixture: ``(weights (1,), means (1, d), covs (1, d, d))``."""
        if self.dim == 1:
            return np.ones(1), np.array([[self.mean]]), np.array([[[self.var]]])
        return np.ones(1), self.mean[None, :], self.cov[None, :, :]

    def _need_1d(self, what):
        if self.dim != 1:
            raise ValueError(f"{what} is defined for 1-D laws only; this Gaussian has dim={self.dim}")
