r"""Variational inference for one observation: the Gaussian :math:`q(z)` that maximises the ELBO.

Maximising :math:`\mathrm{ELBO}(q) = \log p(x) - KL(q \,\|\, p(z \mid x))` over q is minimising the
reverse KL to the posterior without knowing it: the objective needs only :math:`p(x, z)`. Over all
Gaussians the maximiser is the posterior and the gap is 0; over diagonal Gaussians it is the
mean-field fit, whose gap is a closed form (:func:`maximise_elbo`'s Notes).
"""

import dataclasses

import numpy as np

from toys import Gaussian
from toys.validation import integer, positive_scalar

from ..fitting.common import check_covariance, check_init, mean_chol, minimise, pack, pack_grad, to_gaussian, unpack
from .checks import check_model, check_x
from .elbo import elbo

__all__ = ["ElboFit", "maximise_elbo"]


@dataclasses.dataclass(frozen=True)
class ElboFit:
    """Outcome of :func:`maximise_elbo`."""

    q: Gaussian  # the maximiser found, a k-dimensional toys.Gaussian (1-D when k == 1)
    elbo: float  # its ELBO, nats
    log_marginal: float  # log p(x), nats, exact
    history: np.ndarray  # the ELBO in nats at the start and after each L-BFGS-B iteration
    converged: bool  # L-BFGS-B met tol, or could raise the ELBO no further (its rounding floor), within max_iter
    n_iter: int  # iterations taken

    @property
    def gap(self):
        r""":math:`\log p(x) - \mathrm{ELBO} = KL(q \,\|\, p(z \mid x)) \ge 0` in nats (up to rounding)."""
        return self.log_marginal - self.elbo


def maximise_elbo(model, x, covariance="full", init=None, max_iter=1000, tol=1e-10):
    r"""Maximise the ELBO of one observation over Gaussian :math:`q(z)`, numerically (L-BFGS-B).

    Parameters
    ----------
    model : toys.LinearGaussian
        The model.
    x : array_like, shape (d,)
        One observation.
    covariance : {"full", "diag"}
        The family of q: every Gaussian (parameters: the mean and the Cholesky factor, its diagonal
        through its logarithm) or the diagonal ones (mean and log standard deviations).
    init : toys.Gaussian, optional
        Start, of dimension k (for ``"diag"`` only its variances are used). Default the prior N(0, I).
    max_iter : int
        Largest number of L-BFGS-B iterations, >= 1.
    tol : float
        L-BFGS-B's ``gtol``: the largest entry of the projected gradient (in nats per unit of the
        parameters) at which the fit stops, > 0.

    Returns
    -------
    ElboFit
        The maximiser ``q``, its ``elbo``, the exact ``log_marginal`` and their difference ``gap``.

    Raises
    ------
    TypeError
        If ``model`` is not a toys.LinearGaussian, ``init`` is not a toys.Gaussian, or
        ``max_iter`` is not an integer.
    ValueError
        If ``x`` is not one point of the model's dimension, ``covariance`` is neither "full" nor
        "diag", ``init`` has another dimension than k, or ``tol`` is not > 0.

    Notes
    -----
    The ELBO's gradient is exact: with :math:`\Sigma = LL^\top` and :math:`A = W^\top W/\sigma^2 + I`
    (the posterior precision, :math:`M/\sigma^2`),

    .. math:: \nabla_\mu \mathrm{ELBO} = W^\top(x - b - W\mu)/\sigma^2 - \mu, \qquad
              \nabla_L \mathrm{ELBO} = -AL + \operatorname{diag}(1/L_{ii}).

    Both vanish at the posterior, :math:`\mu = M^{-1}W^\top(x - b)` and :math:`LL^\top = A^{-1}`.
    Over diagonal q the maximiser has the posterior mean and variances :math:`1/A_{jj}` (the
    mean-field fit, Bishop 2006, §10.1.2), and the gap left is
    :math:`KL(q \,\|\, p(z \mid x)) = \tfrac12\left(\sum_j \ln A_{jj} - \ln\det A\right)`, zero
    exactly when :math:`W^\top W` is diagonal (orthogonal columns of W).

    References
    ----------
    .. [1] D. P. Kingma and M. Welling, "Auto-encoding variational Bayes", ICLR 2014, §2.2.
    .. [2] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, §10.1.2 and eq. (12.42).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import LinearGaussian
    >>> from divergences.vae import maximise_elbo
    >>> model = LinearGaussian(W=[[1.0, 0.3], [0.5, 2.0], [0.0, 1.0]], sigma=0.7)
    >>> x = np.array([0.5, 2.0, 0.0])
    >>> fit = maximise_elbo(model, x)
    >>> fit.converged, bool(fit.gap < 1e-10), bool(np.allclose(fit.q.mean, model.posterior(x).mean, atol=1e-8))
    (True, True, True)
    >>> a = model.W.T @ model.W / model.sigma**2 + np.eye(2)      # the posterior precision
    >>> diag = maximise_elbo(model, x, covariance="diag")
    >>> bool(np.isclose(diag.gap, 0.5 * (np.sum(np.log(np.diag(a))) - np.linalg.slogdet(a)[1]), rtol=1e-6))
    True
    """
    model = check_model(model)
    point = check_x(model, x, single=True)[0][0]
    check_covariance(covariance)
    max_iter, tol = integer("max_iter", max_iter, minimum=1), positive_scalar("tol", tol)
    k = model.latent_dim
    init = model.prior() if init is None else check_init(init, k, covariance, "latent space (k)")
    a = model.W.T @ model.W / model.sigma**2 + np.eye(k)  # the posterior precision M / sigma^2
    pull = model.W.T @ (point - model.b) / model.sigma**2  # W^T (x - b) / sigma^2

    gram, s2 = model.W.T @ model.W, model.sigma**2
    constant = -0.5 * model.dim * np.log(2 * np.pi * s2) + 0.5 * k

    def objective(theta):  # -ELBO (elbo's Notes, unchecked: L-BFGS-B may try extreme steps) and its gradient
        mean, chol = unpack(theta, k, covariance)
        r, cov = point - model.b - model.W @ mean, chol @ chol.T
        value = constant - (r @ r + np.sum(gram * cov)) / (2 * s2)
        value -= 0.5 * (mean @ mean + np.trace(cov)) - np.sum(np.log(np.diag(chol)))
        grad_mean = pull - a @ mean
        grad_chol = np.tril(-a @ chol) + np.diag(1.0 / np.diag(chol))
        return -value, -pack_grad(grad_mean, grad_chol, chol, covariance)

    mean0, chol0 = mean_chol(init)
    theta0 = pack(mean0, chol0, covariance, "init")
    theta, history, res = minimise(objective, theta0, max_iter, tol, "negative ELBO", init)
    mean, chol = unpack(theta, k, covariance)
    q = to_gaussian(mean, chol @ chol.T)
    value = elbo(model, point, mean, q_cov=chol @ chol.T)
    history = -history
    history.setflags(write=False)
    return ElboFit(
        q=q,
        elbo=value,
        log_marginal=model.log_marginal(point),
        history=history,
        converged=bool(res.status != 1),  # not stopped by max_iter: met tol, or at the rounding floor of the ELBO
        n_iter=int(res.nit),
    )
