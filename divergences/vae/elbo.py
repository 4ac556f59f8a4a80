r"""The evidence lower bound of a Gaussian :math:`q(z \mid x)` on the linear-Gaussian model, in closed form.

For any density :math:`q` on the latent space,

.. math:: \log p(x) = \underbrace{E_q[\log p(x \mid z)] - KL(q \,\|\, p(z))}_{\mathrm{ELBO}(q)}
          + KL\big(q \,\|\, p(z \mid x)\big),

so the ELBO is a lower bound on :math:`\log p(x)`, with equality exactly when :math:`q` is the
posterior (Kingma and Welling 2014, eqs. 1-3). On :class:`toys.LinearGaussian` every term is a
closed form: :func:`elbo`; the KL of a diagonal Gaussian to the prior is
:func:`gaussian_kl_to_standard`.
"""

import numpy as np

from toys.validation import SCALE_RANGE, real_array, short

from ..closed_forms.elementary import t_minus_log1p
from .checks import check_model, check_q_cov, check_q_mean, check_q_std, check_x

__all__ = ["elbo", "gaussian_kl_to_standard"]

_LOG_2PI = float(np.log(2 * np.pi))
#: t - ln(1 + t) elementwise, with t = s^2 - 1 and ln(1 + t) = 2 ln s given: no digit lost near s = 1.
_SPREAD = np.vectorize(t_minus_log1p, otypes=[float])


def gaussian_kl_to_standard(mu, sigma):
    r""":math:`KL(N(\mu, \operatorname{diag}\sigma^2) \,\|\, N(0, I))`, in nats, summed over the last axis.

    The KL term of the VAE's objective for a diagonal Gaussian encoder and a standard normal prior.

    Parameters
    ----------
    mu : array_like, shape (..., k)
        Means.
    sigma : array_like, shape (..., k)
        Standard deviations, > 0 (within ``toys.validation.SCALE_RANGE``); broadcast against ``mu``.

    Returns
    -------
    float or numpy.ndarray, shape (...)
        The divergence in nats, >= 0; a float when the broadcast shape is ``(k,)`` (or a scalar).

    Raises
    ------
    ValueError
        If an entry is not finite, a ``sigma`` is not a positive standard deviation in range, or
        the shapes do not broadcast.
    TypeError
        If an argument is not an array of real numbers.

    Notes
    -----
    .. math:: KL = \tfrac12 \sum_j \left(\mu_j^2 + \sigma_j^2 - 1 - \ln \sigma_j^2\right)

    (Kingma and Welling 2014, Appendix B). The term :math:`\sigma^2 - 1 - \ln\sigma^2` is summed as
    :math:`t - \ln(1 + t)`, :math:`t = \sigma^2 - 1`, without cancellation near :math:`\sigma = 1`.

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014, Appendix B.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences import kl
    >>> from divergences.vae import gaussian_kl_to_standard
    >>> mu, sigma = np.array([0.5, -1.0]), np.array([0.8, 1.5])
    >>> value = gaussian_kl_to_standard(mu, sigma)
    >>> bool(np.isclose(value, kl(Gaussian(mean=mu, cov=np.diag(sigma**2)), Gaussian(mean=[0, 0]))))
    True
    >>> gaussian_kl_to_standard([0.0, 0.0], [1.0, 1.0])
    0.0
    >>> s = 1 + 1e-9                    # KL = t^2 + O(t^3) for s = 1 + t: no digit lost to cancellation
    >>> round(gaussian_kl_to_standard(0.0, s) / (s - 1) ** 2, 8)
    1.0
    """
    m = real_array("mu", mu)
    s = real_array("sigma", sigma)
    low, high = SCALE_RANGE
    if np.any(s < low) or np.any(s > high):
        raise ValueError(f"sigma must be standard deviations between {low:.3g} and {high:.3g}, got {short(sigma)}")
    try:
        shape = np.broadcast_shapes(m.shape, s.shape)
    except ValueError:
        raise ValueError(f"mu and sigma must broadcast, got shapes {m.shape} and {s.shape}") from None
    spread = _SPREAD((s - 1.0) * (s + 1.0), 2.0 * np.log(s))  # sigma^2 - 1 - ln sigma^2, elementwise
    terms = np.broadcast_to(m * m, shape) + np.broadcast_to(spread, shape)
    out = 0.5 * np.sum(np.atleast_1d(terms), axis=-1)
    return float(out) if out.ndim == 0 else out


def elbo(model, x, q_mean, q_std=None, q_cov=None):
    r"""The evidence lower bound of a Gaussian :math:`q(z \mid x)` on the linear-Gaussian model, exactly.

    Parameters
    ----------
    model : toys.LinearGaussian
        The model :math:`z \sim N(0, I_k)`, :math:`x \mid z \sim N(Wz + b, \sigma^2 I_d)`.
    x : array_like, shape (d,) or (n, d)
        One observation or n of them.
    q_mean : array_like, shape (k,) or (n, k)
        Mean of :math:`q(z \mid x)`, one per point of ``x``.
    q_std : array_like, shape (k,) or (n, k), optional
        Standard deviations of a diagonal :math:`q` (shared by every point when of shape ``(k,)``).
    q_cov : array_like, shape (k, k) or (n, k, k), optional
        Covariance of a full :math:`q`, symmetric positive definite (shared when ``(k, k)``).
        Give exactly one of ``q_std`` and ``q_cov``.

    Returns
    -------
    float or numpy.ndarray, shape (n,)
        :math:`\mathrm{ELBO} = E_q[\log p(x \mid z)] - KL(q \,\|\, N(0, I))` in nats, per point.

    Raises
    ------
    TypeError
        If ``model`` is not a toys.LinearGaussian, an array is not numeric, or both or neither of
        ``q_std`` and ``q_cov`` are given.
    ValueError
        If a shape does not match the model and ``x``, an entry is not finite, a ``q_std`` is not a
        positive standard deviation, or a ``q_cov`` is not one that toys.Gaussian accepts.

    Notes
    -----
    With :math:`r = x - b - W\mu_q` and :math:`\Sigma_q` the covariance of :math:`q`,

    .. math:: E_q[\log p(x \mid z)] = -\frac d2 \ln(2\pi\sigma^2)
              - \frac{\lVert r\rVert^2 + \operatorname{tr}(W^\top W \Sigma_q)}{2\sigma^2},
              \qquad KL(q \,\|\, N(0, I)) = \tfrac12\left[\lVert\mu_q\rVert^2
              + \operatorname{tr}\Sigma_q - k - \ln\det\Sigma_q\right],

    the first since :math:`x - b - Wz` has mean :math:`r` and covariance :math:`W\Sigma_q W^\top`
    under :math:`q` (Kingma and Welling 2014, eq. 3 and Appendix B). The KL is summed over the
    eigenvalues :math:`\lambda` of :math:`\Sigma_q` as :math:`\lambda - 1 - \ln\lambda`, without
    cancellation near the prior.

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014, §2.2 and Appendix B.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, §12.2 (the model).

    Examples
    --------
    The ELBO falls short of :math:`\log p(x)` by exactly :math:`KL(q \,\|\, p(z \mid x))`, and the
    posterior itself closes the gap:

    >>> import numpy as np
    >>> from toys import Gaussian, LinearGaussian
    >>> from divergences import kl
    >>> from divergences.vae import elbo
    >>> model = LinearGaussian(W=[[1.0, 0.0], [0.5, 2.0], [0.0, 1.0]], b=[0.0, 1.0, -1.0], sigma=0.7)
    >>> x, q_mean, q_std = np.array([0.5, 2.0, 0.0]), np.array([0.2, 0.4]), np.array([0.5, 0.3])
    >>> q = Gaussian(mean=q_mean, cov=np.diag(q_std**2))
    >>> gap = model.log_marginal(x) - elbo(model, x, q_mean, q_std=q_std)
    >>> bool(gap > 0 and np.isclose(gap, kl(q, model.posterior(x)), rtol=1e-12))
    True
    >>> post = model.posterior(x)
    >>> round(abs(model.log_marginal(x) - elbo(model, x, post.mean, q_cov=post.cov)), 10)
    0.0
    """
    model = check_model(model)
    if (q_std is None) == (q_cov is None):
        raise TypeError("give exactly one of q_std (a diagonal q) and q_cov (a full covariance)")
    pts, one = check_x(model, x)
    n = pts.shape[0]
    mean = check_q_mean(model, q_mean, n, one)
    gram = model.W.T @ model.W  # (k, k)
    if q_std is not None:
        s = check_q_std(model, q_std, n, one)  # (n or 1, k)
        trace = np.sum(np.diag(gram) * s * s, axis=-1)
        kl_prior = gaussian_kl_to_standard(mean, s)
    else:
        cov = check_q_cov(model, q_cov, n, one)  # (n or 1, k, k)
        trace = np.einsum("ij,nij->n", gram, cov)
        eig = np.linalg.eigvalsh(cov)  # (n or 1, k)
        kl_prior = 0.5 * (np.sum(mean * mean, axis=-1) + np.sum(_SPREAD(eig - 1.0, np.log(eig)), axis=-1))
    r = pts - model.b - mean @ model.W.T  # (n, d)
    s2 = model.sigma**2
    expected_loglik = -0.5 * model.dim * (_LOG_2PI + np.log(s2)) - (np.sum(r * r, axis=-1) + trace) / (2 * s2)
    out = np.broadcast_to(expected_loglik - kl_prior, (n,))
    return float(out[0]) if one else np.array(out)
