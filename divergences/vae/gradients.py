r"""The gradient of the ELBO in the parameters of a diagonal Gaussian q: exactly, and by two Monte Carlo estimators.

For :math:`q = N(\mu, \operatorname{diag} s^2)` with :math:`s = e^{\rho}` and
:math:`f(z) = \log p(x, z) - \log q(z)`, :math:`\mathrm{ELBO} = E_q f`. Its gradient in
:math:`(\mu, \rho)` is estimated from draws :math:`\varepsilon \sim N(0, I_k)`, :math:`z = \mu + s \odot \varepsilon`:

* :func:`reparameterisation_gradient` (the pathwise estimator, Kingma and Welling 2014, §2.4):
  differentiate :math:`f(\mu + s \odot \varepsilon)` at fixed :math:`\varepsilon`;
* :func:`score_function_gradient` (REINFORCE, Williams 1992; the log-derivative trick): average
  :math:`f(z)\,\nabla \log q(z)`, which needs no derivative of the model.

Both are unbiased; :func:`elbo_gradient` is the exact gradient they estimate. On the linear-Gaussian
model the reparameterised draws of :math:`\partial/\partial\mu` are Gaussian with covariance
:math:`A S^2 A` (:math:`A = W^\top W/\sigma^2 + I`, :math:`S = \operatorname{diag} s`): they depend
on the curvature of :math:`\log p(x, z)`, not on its value. The score-function draws carry the whole
value of :math:`f`, of the order of :math:`\log p(x)`. At a diagonal posterior :math:`f \equiv \log p(x)`
and, from the same :math:`\varepsilon`, each score-function draw is :math:`-\log p(x)` times the
pathwise one: the variance ratio is exactly :math:`(\log p(x))^2`, and it changes with the units of x
(which shift :math:`\log p(x)`) while the pathwise variance does not (Mohamed et al. 2020, §4-5).
"""

import dataclasses

import numpy as np

from toys.validation import as_generator, positive_int

from .checks import check_model, check_q_log_std, check_q_mean, check_x

__all__ = ["GradientEstimate", "elbo_gradient", "reparameterisation_gradient", "score_function_gradient"]

_LOG_2PI = float(np.log(2 * np.pi))


@dataclasses.dataclass(frozen=True)
class GradientEstimate:
    """Monte Carlo estimate of the ELBO's gradient in ``(q_mean, q_log_std)``, with its draws."""

    draws: np.ndarray  # (n_samples, 2k): one single-draw estimate per row, d/d q_mean (k) then d/d q_log_std (k)

    @property
    def value(self):
        """The estimate, the average of the draws: shape ``(2k,)``, d/d q_mean then d/d q_log_std, nats per unit."""
        return self.draws.mean(axis=0)

    @property
    def d_mean(self):
        """The estimate of the gradient in ``q_mean``, shape ``(k,)``."""
        return self.value[: self.draws.shape[1] // 2]

    @property
    def d_log_std(self):
        """The estimate of the gradient in ``q_log_std``, shape ``(k,)``."""
        return self.value[self.draws.shape[1] // 2 :]

    @property
    def variance(self):
        """Variance of one draw, per component (``ddof=1``), shape ``(2k,)``; NaN with one draw."""
        if self.draws.shape[0] < 2:
            return np.full(self.draws.shape[1], np.nan)
        return self.draws.var(axis=0, ddof=1)

    @property
    def standard_error(self):
        """Standard error of :attr:`value`, ``sqrt(variance / n_samples)``, shape ``(2k,)``."""
        return np.sqrt(self.variance / self.draws.shape[0])


def elbo_gradient(model, x, q_mean, q_log_std):
    r"""The exact gradient of the ELBO of :math:`q = N(\mu, \operatorname{diag} e^{2\rho})` at one point.

    Parameters
    ----------
    model : toys.LinearGaussian
        The model.
    x : array_like, shape (d,)
        One observation.
    q_mean : array_like, shape (k,)
        :math:`\mu`, the mean of q.
    q_log_std : array_like, shape (k,)
        :math:`\rho`, the log standard deviations of q (within +-300).

    Returns
    -------
    d_mean, d_log_std : numpy.ndarray, shape (k,)
        :math:`\partial \mathrm{ELBO}/\partial\mu` and :math:`\partial \mathrm{ELBO}/\partial\rho`, nats per unit.

    Raises
    ------
    TypeError
        If ``model`` is not a toys.LinearGaussian or an array is not numeric.
    ValueError
        If a shape does not match the model or an entry is not finite.

    Notes
    -----
    From the closed form of :func:`divergences.vae.elbo`, with :math:`s = e^\rho` and :math:`A = W^\top W/\sigma^2 + I`,

    .. math:: \frac{\partial\,\mathrm{ELBO}}{\partial\mu} = \frac{W^\top(x - b - W\mu)}{\sigma^2} - \mu, \qquad
              \frac{\partial\,\mathrm{ELBO}}{\partial\rho_j} = 1 - A_{jj}\, s_j^2 .

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import elbo, elbo_gradient
    >>> model = LinearGaussian(W=[[1.0, 0.0], [0.5, 2.0], [0.0, 1.0]], sigma=0.7)
    >>> x, mu, rho = np.array([0.5, 2.0, 0.0]), np.array([0.2, 0.4]), np.array([-0.5, -1.0])
    >>> d_mean, d_log_std = elbo_gradient(model, x, mu, rho)
    >>> h = 1e-6                                   # central differences of the closed form
    >>> fd = (elbo(model, x, mu, q_std=np.exp(rho + [h, 0])) - elbo(model, x, mu, q_std=np.exp(rho - [h, 0]))) / (2 * h)
    >>> bool(np.isclose(d_log_std[0], fd, rtol=1e-7))
    True
    """
    model, point, mean, log_std = _check(model, x, q_mean, q_log_std)
    s = np.exp(log_std)
    a = model.W.T @ model.W / model.sigma**2 + np.eye(model.latent_dim)
    d_mean = model.W.T @ (point - model.b - model.W @ mean) / model.sigma**2 - mean
    return d_mean, 1.0 - np.diag(a) * s * s


def reparameterisation_gradient(model, x, q_mean, q_log_std, n_samples, rng):
    r"""Reparameterisation (pathwise) estimate of the ELBO's gradient: :math:`z = \mu + s \odot \varepsilon`.

    Also called the reparameterization trick. Each draw :math:`\varepsilon \sim N(0, I_k)` gives
    the gradient of :math:`f(\mu + s \odot \varepsilon) = \log p(x, z) - \log q(z)` at fixed
    :math:`\varepsilon`.

    Parameters
    ----------
    model, x, q_mean, q_log_std
        As in :func:`elbo_gradient`.
    n_samples : int
        Number of draws, >= 1.
    rng : int or numpy.random.Generator
        Source of the draws (a seed or a generator). The same seed gives the same
        :math:`\varepsilon` here and in :func:`score_function_gradient`.

    Returns
    -------
    GradientEstimate
        The estimate (``value``, ``d_mean``, ``d_log_std``), its draws, their variance and standard error.

    Raises
    ------
    TypeError, ValueError
        As :func:`elbo_gradient`; and if ``n_samples`` is not a positive integer or ``rng`` is not a
        seed or Generator.

    Notes
    -----
    With :math:`g(z) = \nabla_z \log p(x, z) = W^\top(x - b - Wz)/\sigma^2 - z` (the entropy term
    :math:`-\log q(\mu + s\odot\varepsilon) = \sum_j \rho_j + \text{const}` contributes 1 to each
    :math:`\partial/\partial\rho_j`),

    .. math:: \widehat{\partial_\mu} = g(z), \qquad \widehat{\partial_{\rho_j}} = g_j(z)\, s_j\varepsilon_j + 1 .

    Here :math:`g(z) = \partial_\mu \mathrm{ELBO} - A S\varepsilon`, so the draws of
    :math:`\widehat{\partial_\mu}` are Gaussian with covariance :math:`A S^2 A`, and with
    :math:`c = \partial_\mu \mathrm{ELBO}`

    .. math:: \operatorname{Var} \widehat{\partial_{\rho_j}}
              = s_j^2 \Big(c_j^2 + 2A_{jj}^2 s_j^2 + \sum_{l \ne j} A_{jl}^2 s_l^2\Big).

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014, §2.3-2.4.
    .. [2] S. Mohamed, M. Rosca, M. Figurnov and A. Mnih, "Monte Carlo gradient estimation in
       machine learning", JMLR 21 (2020), §5 (pathwise estimators).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import elbo_gradient, reparameterisation_gradient
    >>> model = LinearGaussian(W=[[1.0, 0.0], [0.5, 2.0], [0.0, 1.0]], sigma=0.7)
    >>> x, mu, rho = np.array([0.5, 2.0, 0.0]), np.array([0.2, 0.4]), np.array([-0.5, -1.0])
    >>> est = reparameterisation_gradient(model, x, mu, rho, n_samples=20_000, rng=0)
    >>> exact = np.concatenate(elbo_gradient(model, x, mu, rho))
    >>> bool(np.all(np.abs(est.value - exact) <= 5 * est.standard_error))
    True
    """
    model, point, mean, log_std = _check(model, x, q_mean, q_log_std)
    eps, s, z = _draws(model, mean, log_std, n_samples, rng)
    g = (point - model.b - z @ model.W.T) @ model.W / model.sigma**2 - z  # (n, k): grad_z log p(x, z)
    return GradientEstimate(draws=np.concatenate([g, g * s * eps + 1.0], axis=1))


def score_function_gradient(model, x, q_mean, q_log_std, n_samples, rng):
    r"""Score-function (REINFORCE) estimate of the ELBO's gradient: :math:`f(z)\,\nabla\log q(z)`.

    Parameters
    ----------
    model, x, q_mean, q_log_std
        As in :func:`elbo_gradient`.
    n_samples : int
        Number of draws, >= 1.
    rng : int or numpy.random.Generator
        Source of the draws, as in :func:`reparameterisation_gradient`.

    Returns
    -------
    GradientEstimate
        The estimate, its draws, their variance and standard error.

    Raises
    ------
    TypeError, ValueError
        As :func:`reparameterisation_gradient`.

    Notes
    -----
    :math:`\nabla E_q f = E_q[f \nabla \log q] + E_q[\nabla f]`, and the second term vanishes for
    :math:`f = \log p(x, z) - \log q(z)` because :math:`E_q \nabla \log q = 0`. With
    :math:`z = \mu + s\odot\varepsilon`, :math:`\nabla_\mu \log q(z) = \varepsilon / s` and
    :math:`\nabla_\rho \log q(z) = \varepsilon^2 - 1`, so each draw is

    .. math:: \widehat{\partial_\mu} = f(z)\, \varepsilon / s, \qquad
              \widehat{\partial_{\rho}} = f(z)\, (\varepsilon^2 - 1) .

    No baseline or other control variate is subtracted: this is the estimator whose variance
    motivated the reparameterisation (Kingma and Welling 2014, §2.2).

    References
    ----------
    .. [1] R. J. Williams, "Simple statistical gradient-following algorithms for connectionist
       reinforcement learning", Machine Learning 8 (1992) 229-256.
    .. [2] S. Mohamed, M. Rosca, M. Figurnov and A. Mnih, "Monte Carlo gradient estimation in
       machine learning", JMLR 21 (2020), §4 (score-function estimators).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import reparameterisation_gradient, score_function_gradient
    >>> model = LinearGaussian(W=[[1.0, 0.0], [0.5, 2.0], [0.0, 1.0]], sigma=0.7)
    >>> x, mu, rho = np.array([0.5, 2.0, 0.0]), np.array([0.2, 0.4]), np.array([-0.5, -1.0])
    >>> score = score_function_gradient(model, x, mu, rho, n_samples=20_000, rng=0)
    >>> path = reparameterisation_gradient(model, x, mu, rho, n_samples=20_000, rng=0)
    >>> bool(np.all(score.variance > 10 * path.variance))
    True
    """
    model, point, mean, log_std = _check(model, x, q_mean, q_log_std)
    eps, s, z = _draws(model, mean, log_std, n_samples, rng)
    k = model.latent_dim
    log_prior = -0.5 * np.sum(z * z, axis=1) - 0.5 * k * _LOG_2PI
    log_q = -0.5 * np.sum(eps * eps, axis=1) - np.sum(log_std) - 0.5 * k * _LOG_2PI
    f = model.log_conditional(point, z) + log_prior - log_q  # (n,)
    return GradientEstimate(draws=np.concatenate([f[:, None] * eps / s, f[:, None] * (eps * eps - 1.0)], axis=1))


def _check(model, x, q_mean, q_log_std):
    model = check_model(model)
    point = check_x(model, x, single=True)[0][0]
    mean = check_q_mean(model, q_mean, 1, True)[0]
    return model, point, mean, check_q_log_std(model, q_log_std)


def _draws(model, mean, log_std, n_samples, rng):
    """eps (n, k) from rng, s = exp(log_std) (k,), and z = mean + s * eps (n, k)."""
    n = positive_int("n_samples", n_samples)
    if rng is None:
        raise TypeError("rng must be an int seed or a numpy.random.Generator (no hidden randomness here), got None")
    eps = as_generator(rng).standard_normal((n, model.latent_dim))
    s = np.exp(log_std)
    return eps, s, mean + s * eps
