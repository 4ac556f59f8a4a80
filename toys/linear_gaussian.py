r"""The linear-Gaussian latent-variable model: probabilistic PCA.

:math:`z \sim N(0, I_k)` and :math:`x \mid z \sim N(Wz + b, \sigma^2 I_d)`. Everything a variational
autoencoder approximates is exact here: the marginal :math:`p(x)`, the posterior :math:`p(z \mid x)`,
and so the evidence lower bound and its gap (:mod:`divergences.vae`).

References
----------
.. [1] M. E. Tipping and C. M. Bishop, "Probabilistic principal component analysis", J. R.
   Statist. Soc. B 61 (1999) 611-622, §3.
.. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, §12.2: the model
   (12.31)-(12.33), the marginal (12.35)-(12.36), the posterior (12.41)-(12.42).
"""

import numpy as np
from scipy import linalg

from .base import _fmt
from .gaussian import Gaussian
from .validation import as_generator, check_locations, real_array, sample_size, scale, short

_LOG_2PI = float(np.log(2 * np.pi))


class LinearGaussian:
    r"""Probabilistic PCA: :math:`z \sim N(0, I_k)`, :math:`x \mid z \sim N(Wz + b, \sigma^2 I_d)`.

    A latent-variable model rather than a law: its law of ``x`` is :meth:`marginal`, its law of
    ``z`` given ``x`` is :meth:`posterior`, both :class:`toys.Gaussian`.

    Parameters
    ----------
    W : array_like, shape (d, k)
        Loading matrix (the decoder's weights), ``d, k >= 1``; any rank.
    b : array_like, shape (d,), optional
        Mean of ``x`` (the decoder's offset). Default zeros.
    sigma : float, optional
        Standard deviation of the observation noise, > 0. Default 1.

    Attributes
    ----------
    W : numpy.ndarray, shape (d, k)
    b : numpy.ndarray, shape (d,)
    sigma : float
    dim : int
        ``d``, the dimension of ``x``.
    latent_dim : int
        ``k``, the dimension of ``z``.
    posterior_cov : numpy.ndarray, shape (k, k)
        :math:`\sigma^2 M^{-1}`, the covariance of :math:`z \mid x` (the same for every ``x``).

    Raises
    ------
    ValueError
        If ``W`` is not a non-empty 2-D array, ``b`` does not have shape ``(d,)``, an entry is not
        finite or beyond +-1e150, ``sigma`` is not in ``toys.validation.SCALE_RANGE``, or the marginal
        covariance :math:`WW^\top + \sigma^2 I` or the posterior covariance :math:`\sigma^2 M^{-1}` is
        one that :class:`toys.Gaussian` refuses (condition number of its correlation matrix above
        ``toys.validation.MAX_CONDITION``, 1e8: :math:`\sigma` tiny against :math:`W`).
    TypeError
        If a parameter is not numeric (None, a bool, a string).

    Notes
    -----
    With :math:`M = W^\top W + \sigma^2 I_k` (Bishop 2006, eqs. 12.35, 12.36, 12.41, 12.42),

    .. math:: p(x) = N(x;\, b,\, WW^\top + \sigma^2 I_d), \qquad
              p(z \mid x) = N\big(z;\, M^{-1}W^\top(x - b),\, \sigma^2 M^{-1}\big).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> model = LinearGaussian(W=[[2.0], [1.0]], b=[0.0, 1.0], sigma=0.5)
    >>> model
    LinearGaussian(W=[[2], [1]], b=[0, 1], sigma=0.5)
    >>> model.marginal().cov.tolist()
    [[4.25, 2.0], [2.0, 1.25]]
    >>> post = model.posterior([1.0, 1.0])      # k = 1: a 1-D Gaussian
    >>> round(post.mean, 10), round(post.var, 10)
    (0.380952381, 0.0476190476)
    >>> x = [1.0, 1.0]                          # Bayes: log p(x) = log p(x | z) + log p(z) - log p(z | x), any z
    >>> bool(np.isclose(model.log_marginal(x), model.log_conditional(x, [0.3]) + model.prior().logpdf(0.3)
    ...                 - post.logpdf(0.3)))
    True
    """

    def __init__(self, W, b=None, sigma=1.0):
        w = real_array("W", W)
        if w.ndim != 2 or w.size == 0:
            raise ValueError(f"W must be a non-empty 2-D array of shape (d, k), got shape {w.shape} from {short(W)}")
        check_locations("W", w)
        d, k = w.shape
        if b is None:
            b = np.zeros(d)
        else:
            b = check_locations("b", real_array("b", b))
            if b.shape != (d,):
                raise ValueError(f"b must have shape ({d},) to match W of shape {w.shape}, got shape {b.shape}")
        self.W, self.b, self.sigma = w, b, scale("sigma", sigma)
        self.dim, self.latent_dim = d, k
        s2 = self.sigma**2
        m = w.T @ w + s2 * np.eye(k)  # M = W^T W + sigma^2 I
        self._m_chol = linalg.cholesky(m, lower=True)
        self.posterior_cov = s2 * linalg.cho_solve((self._m_chol, True), np.eye(k))
        self.posterior_cov = 0.5 * (self.posterior_cov + self.posterior_cov.T)
        self._marginal = self._gaussian(b, w @ w.T + s2 * np.eye(d), "marginal covariance W W^T + sigma^2 I")
        self._gaussian(np.zeros(k), self.posterior_cov, "posterior covariance sigma^2 (W^T W + sigma^2 I)^-1")
        for a in (self.W, self.b, self.posterior_cov):
            a.setflags(write=False)

    def _gaussian(self, mean, cov, what):
        try:
            return Gaussian(mean=mean, cov=cov)
        except ValueError as error:
            raise ValueError(
                f"W and sigma must give a {what} that toys.Gaussian accepts, got W={short(self.W.tolist())}, "
                f"sigma={self.sigma!r}: {error}"
            ) from None

    def parameters(self):
        """The constructor's keywords: ``W``, ``b`` and ``sigma``."""
        return {"W": self.W, "b": self.b, "sigma": self.sigma}

    def __repr__(self):
        args = ", ".join(f"{k}={_fmt(v)}" for k, v in self.parameters().items())
        return f"{type(self).__name__}({args})"

    # -- the three laws --------------------------------------------------------------------------
    def prior(self):
        """The law of ``z``, :math:`N(0, I_k)`: a :class:`toys.Gaussian` (1-D when ``k == 1``)."""
        return Gaussian(mean=np.zeros(self.latent_dim), cov=np.eye(self.latent_dim))

    def marginal(self):
        r"""The law of ``x``, :math:`N(b, WW^\top + \sigma^2 I_d)`: a :class:`toys.Gaussian` (1-D when ``d == 1``)."""
        return self._marginal

    def posterior(self, x):
        r"""The law of ``z`` given one point ``x``: :math:`N(M^{-1}W^\top(x - b), \sigma^2 M^{-1})`.

        Parameters
        ----------
        x : array_like, shape (d,)
            One observation.

        Returns
        -------
        toys.Gaussian
            In ``k`` dimensions (a 1-D Gaussian when ``k == 1``, with a float mean).

        Raises
        ------
        ValueError
            If ``x`` is not one finite point of shape ``(d,)``.

        Examples
        --------
        >>> import numpy as np
        >>> from toys import LinearGaussian
        >>> model = LinearGaussian(W=[[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], sigma=0.5)
        >>> post = model.posterior([1.0, 2.0, 0.0])
        >>> bool(np.allclose(post.mean, model.posterior_mean([[1.0, 2.0, 0.0]])[0]))
        True
        >>> bool(np.all(np.linalg.eigvalsh(post.cov) < 1))   # narrower than the prior N(0, I)
        True
        """
        mean = self.posterior_mean(self._one_point(x))
        return Gaussian(mean=mean, cov=self.posterior_cov)

    def posterior_mean(self, x):
        r""":math:`E[z \mid x] = M^{-1}W^\top(x - b)` for one point, ``(d,) -> (k,)``, or many, ``(n, d) -> (n, k)``."""
        x, one = self._points(x)
        mean = linalg.cho_solve((self._m_chol, True), self.W.T @ (x - self.b).T).T  # (n, k)
        return mean[0] if one else mean

    # -- densities ---------------------------------------------------------------------------
    def log_marginal(self, x):
        """Log density of the marginal at ``x``: ``(d,)`` -> float, ``(n, d)`` -> ``(n,)``; in nats."""
        x, one = self._points(x)
        out = self._marginal.logpdf(x[:, 0] if self.dim == 1 else x)
        return float(out[0]) if one else out

    def log_conditional(self, x, z):
        r""":math:`\log p(x \mid z) = \log N(x;\, Wz + b,\, \sigma^2 I_d)`, nats; x ``(..., d)``, z ``(..., k)``."""
        x = real_array("x", x)
        z = real_array("z", z)
        if x.ndim == 0 or x.shape[-1] != self.dim:
            raise ValueError(f"x must have shape (..., {self.dim}) for this model, got shape {x.shape}")
        if z.ndim == 0 or z.shape[-1] != self.latent_dim:
            raise ValueError(f"z must have shape (..., {self.latent_dim}) for this model, got shape {z.shape}")
        r = (x - z @ self.W.T - self.b) / self.sigma
        out = -0.5 * np.sum(r * r, axis=-1) - self.dim * (np.log(self.sigma) + 0.5 * _LOG_2PI)
        return float(out) if out.ndim == 0 else out

    def sample(self, n, rng=None):
        """Draw ``n`` pairs ``(x, z)`` by ancestral sampling: z from the prior, then x given z.

        Parameters
        ----------
        n : int
            Number of draws, ``n >= 0``.
        rng : None, int or numpy.random.Generator, optional
            Source of randomness (a seed or a generator; None draws fresh OS entropy).

        Returns
        -------
        x : numpy.ndarray, shape (n, d)
            Observations, always 2-D (also for ``d == 1``); ``x`` alone is a sample of :meth:`marginal`.
        z : numpy.ndarray, shape (n, k)
            The latent draws that produced them.

        Raises
        ------
        TypeError, ValueError
            If ``n`` is not a non-negative integer or ``rng`` is not a seed or Generator.

        Examples
        --------
        >>> from toys import LinearGaussian
        >>> x, z = LinearGaussian(W=[[1.0], [2.0], [0.5]]).sample(4, rng=0)
        >>> x.shape, z.shape
        ((4, 3), (4, 1))
        """
        n = sample_size(n)
        rng = as_generator(rng)
        z = rng.standard_normal((n, self.latent_dim))
        x = z @ self.W.T + self.b + self.sigma * rng.standard_normal((n, self.dim))
        return x, z

    # -- input -------------------------------------------------------------------------------
    def _points(self, x):
        """``x`` as ``(n, d)`` points, and whether it was one point of shape ``(d,)``."""
        arr = real_array("x", x)
        if arr.ndim not in (1, 2) or arr.shape[-1] != self.dim or arr.shape[0] == 0:
            d = self.dim
            raise ValueError(f"x must have shape ({d},) for one point or (n, {d}) for n >= 1 points, got {arr.shape}")
        return (arr[None, :], True) if arr.ndim == 1 else (arr, False)

    def _one_point(self, x):
        arr, one = self._points(x)
        if not one:
            raise ValueError(f"x must be one point of shape ({self.dim},), got shape {arr.shape}")
        return arr[0]
