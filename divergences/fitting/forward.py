r"""Fitting a Gaussian by forward KL, that is by maximum likelihood: it covers every mode.

:func:`fit_forward_kl` minimises :math:`KL(p\|q_\phi)` from samples of ``p``; its minimiser is the
closed-form maximum-likelihood estimate, which the fit is checked against.
"""

import numpy as np
from scipy import linalg

from toys.validation import real_array

from .common import (
    GRAD_FLOOR,
    LOG_2PI,
    MLE_CHECK_MARGIN,
    FitResult,
    check_covariance,
    check_init,
    check_options,
    mean_chol,
    minimise,
    pack,
    pack_grad,
    read_only,
    to_gaussian,
    unpack,
)

__all__ = ["fit_forward_kl"]


def fit_forward_kl(samples, *, covariance="full", init=None, max_iter=1000, tol=1e-7):
    r"""Fit a Gaussian to samples by forward KL, that is by maximum likelihood.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, d)
        Draws from the data law ``p``: ``n >= 2`` finite numbers (1-D), or ``n`` points in R^d
        with ``n > d`` when ``covariance="full"``.
    covariance : {"full", "diag"}
        Covariance of the model in d-D: any symmetric positive-definite matrix, or diagonal
        (independent coordinates). Both mean the same in 1-D.
    init : toys.Gaussian, optional
        Starting point, of the samples' dimension (only the diagonal of its covariance for
        ``"diag"``). Default: N(0, I) in standardised coordinates (see Notes), that is the sample
        mean and the sample variances with no correlation, which for ``"diag"`` (and in 1-D) is
        already the answer. Give e.g. ``Gaussian(0.0, 1.0)`` to watch the fit converge from afar.
    max_iter : int
        Largest number of L-BFGS-B iterations, >= 1.
    tol : float
        Stop when every component of the gradient with respect to the parameters (mean, log
        standard deviations, Cholesky entries, in standardised coordinates) is below ``tol``,
        > 0. Rounding of the objective (about 1e-16 relative) makes gradients much below 1e-8
        unattainable: with a smaller ``tol`` the fit may end on a failed line search, with
        ``converged=False`` (here unless the check of Notes passes).

    Returns
    -------
    FitResult
        ``distribution`` is ``toys.Gaussian(mean, std)`` for samples of shape ``(n,)`` or
        ``(n, 1)`` and ``toys.Gaussian(mean=..., cov=...)`` otherwise; ``history`` holds the
        average negative log-likelihood of the samples (nats) from ``init`` to the end;
        ``converged`` also requires agreement with the closed-form MLE (Notes).

    Raises
    ------
    TypeError
        If ``samples`` is not numeric, ``init`` not a toys.Gaussian or ``max_iter`` not an integer.
    ValueError
        If ``samples`` has the wrong shape, too few points, non-finite values, a variance that
        overflows, or no spread (a coordinate with zero variance, or points in a proper subspace,
        to rounding, for a full covariance); if ``init`` has another dimension, standard deviations
        beyond e^±50 times the samples' or a likelihood of 0; or if ``covariance``,
        ``max_iter`` or ``tol`` is out of range. All are checked before the optimisation starts.

    Notes
    -----
    With :math:`\hat p` the empirical law of the samples,

    .. math:: KL(\hat p\|q_\phi) = \underbrace{-\frac1n\sum_{i=1}^n \log q_\phi(x_i)}_{H(\hat p, q_\phi)}
              - H(\hat p),

    and the entropy does not depend on :math:`\phi`, so the objective is the cross-entropy, the
    average negative log-likelihood. Its minimiser is the closed-form maximum-likelihood estimate
    (MLE): the sample mean :math:`\bar x` and the biased sample covariance :math:`S =
    \frac1n\sum_i (x_i - \bar x)(x_i - \bar x)^\top`, or its diagonal for ``"diag"``. On a
    multimodal ``p`` the fit covers all the modes, and puts mass between them.

    The optimisation runs on the standardised samples :math:`y_i = D^{-1}(x_i - \bar x)`,
    :math:`D = \operatorname{diag}(s)` with :math:`s` the sample standard deviations, so that
    neither the location nor the scales of the data affect its conditioning (correlations
    still do). It starts from N(0, I) there unless ``init`` is given. The fit
    :math:`N(m, LL^\top)` of the :math:`y_i` is :math:`N(\bar x + Dm, DLL^\top D)` for the
    :math:`x_i`, whose average negative log-likelihood is that of the :math:`y_i` plus
    :math:`\sum_j \log s_j`, which ``history`` adds. The parameters are the mean, the logarithm
    of the diagonal of :math:`L` and its entries below the diagonal (``"full"``). With
    :math:`z_i = L^{-1}(y_i - m)` the gradients are

    .. math:: \nabla_m = -L^{-\top}\,\overline{z}, \qquad
              \nabla_L = -L^{-\top}\left(\overline{zz^\top} - I\right) \ \text{(lower triangle)}.

    Check. At the end the fit :math:`(m, \Sigma = LL^\top)` is compared with the MLE
    :math:`(\bar y, \hat L\hat L^\top)` of the standardised samples, in the coordinates that
    whiten the MLE, those of the data's own spread in every direction: the disagreement is the
    largest entry of :math:`\hat L^{-1}(m - \bar y)` (mean errors, in standard deviations of the
    data) and of :math:`\hat L^{-1}\Sigma\hat L^{-\top} - I` (relative errors of the variances).
    To first order, where the gradient is below ``tol`` it is below
    :math:`d^2\,\mathrm{tol}/\min_j \hat L_{jj}`; ``converged`` requires it to be below
    ``MLE_CHECK_MARGIN`` (10) times that, with ``tol`` raised to 1e-8 if smaller. Here
    :math:`\hat L_{jj}` is the standard deviation of standardised coordinate j given the previous
    ones: 1 for ``"diag"`` or uncorrelated samples, 2e-3 for two coordinates with correlation
    1 - 2e-6 (condition number 1e6); the limits for the default ``tol`` in 2-D are 4e-6 and
    2e-3. ``converged`` is False when the check fails or ``max_iter`` stopped the fit, and True
    when the check passes after L-BFGS-B met ``tol`` or after its line search found no lower
    point because of rounding (which samples this ill-conditioned can cause before ``tol``).
    ``message`` states the disagreement.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, Sec. 2.3.4
       (maximum likelihood for the Gaussian) and Sec. 10.1.2 (forward against reverse KL).
    .. [2] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press 2012,
       Sec. 4.1.3 and 21.2.2.

    Examples
    --------
    >>> import numpy as np
    >>> from toys import Gaussian
    >>> from divergences.fitting import fit_forward_kl
    >>> x = Gaussian(mean=2.0, std=0.5).sample(1000, rng=0)
    >>> fit = fit_forward_kl(x)
    >>> bool(np.isclose(fit.distribution.mean, x.mean()) and np.isclose(fit.distribution.std, x.std()))
    True
    >>> slow = fit_forward_kl(x, init=Gaussian(0.0, 1.0))
    >>> bool(slow.history[0] > slow.history[-1] and np.isclose(slow.value, fit.value, rtol=1e-12))
    True
    """
    check_covariance(covariance)
    max_iter, tol = check_options(max_iter, tol)
    x = _check_samples(samples, covariance)
    y, centre, scale, mle_chol = _standardise(x, covariance)
    d = y.shape[1]
    if init is None:
        init = to_gaussian(centre, np.diag(scale**2))
        m0, chol0 = np.zeros(d), np.eye(d)
    else:
        init = check_init(init, d, covariance, "samples")
        m0, chol0 = mean_chol(init)
        with np.errstate(over="ignore", under="ignore"):  # out of range: pack says so
            m0, chol0 = (m0 - centre) / scale, chol0 / scale[:, None]
    theta0 = pack(m0, chol0, covariance, "init divided by the samples' standard deviations")
    theta, history, res = minimise(_nll(y, covariance), theta0, max_iter, tol, "forward_kl", init)
    m, chol = unpack(theta, d, covariance)
    limit = MLE_CHECK_MARGIN * d**2 * max(tol, GRAD_FLOOR) / np.min(np.diag(mle_chol))
    gap = _mle_gap(y, m, chol, mle_chol)
    agrees = gap <= limit
    verdict = "agrees" if agrees else "DISAGREES"
    message = f"{res.message}; {verdict} with the closed-form MLE to {gap:.2g} (whitened; limit {limit:.2g})"
    chol = scale[:, None] * chol
    return FitResult(
        distribution=to_gaussian(centre + scale * m, chol @ chol.T),
        history=read_only(history + np.sum(np.log(scale))),
        objective="forward_kl",
        converged=res.status != 1 and agrees,  # not stopped by max_iter, and right
        n_iter=int(res.nit),
        init=init,
        message=message,
    )


# -- the objective and its gradient in (mean, L) ---------------------------------------------
def _nll(y, covariance):
    """Average negative log-likelihood of the samples y (n, d) under N(m, LL^T)."""
    n, d = y.shape
    eye = np.eye(d)

    def objective(theta):
        m, chol = unpack(theta, d, covariance)
        z = linalg.solve_triangular(chol, (y - m).T, lower=True).T  # (n, d)
        nll = 0.5 * np.mean(np.sum(z * z, axis=1)) + np.sum(np.log(np.diag(chol))) + 0.5 * d * LOG_2PI
        chol_inv_t = linalg.solve_triangular(chol, eye, lower=True).T
        grad_m = -chol_inv_t @ z.mean(axis=0)
        grad_chol = -chol_inv_t @ (z.T @ z / n - eye)
        return nll, pack_grad(grad_m, grad_chol, chol, covariance)

    return objective


# -- forward fit: standardised coordinates and the closed-form check -------------------------
def _standardise(x, covariance):
    """(y, centre, scale, chol): y = (x - centre) / scale has mean 0 and variances 1 per axis, and
    chol is the Cholesky factor of its MLE covariance (S_y, or its diagonal for "diag"); or raise."""
    with np.errstate(over="ignore", under="ignore"):
        centre, scale = x.mean(axis=0), x.std(axis=0)
        var = scale**2
    if not (np.all(np.isfinite(centre)) and np.all(np.isfinite(var)) and np.all(var > 0)):
        raise ValueError(
            f"samples must have means and variances that are finite and non-zero in floating point, got means "
            f"{centre.tolist()} and standard deviations {scale.tolist()}"
        )
    y = (x - centre) / scale
    mle = np.cov(y.T, bias=True).reshape(y.shape[1], y.shape[1])
    if covariance == "diag":
        mle = np.diag(np.diag(mle))
    singular = covariance == "full" and np.linalg.matrix_rank(y - y.mean(axis=0)) < y.shape[1]
    if not singular:
        try:
            chol = np.linalg.cholesky(mle)
        except np.linalg.LinAlgError:
            singular = True
    if singular:
        raise ValueError(
            "samples must not lie in a proper affine subspace for a full covariance (their sample covariance "
            'is singular, to rounding); use covariance="diag"'
        )
    return y, centre, scale, chol


def _mle_gap(y, m, chol, mle_chol):
    """Largest entry of L^-1 (m - mean(y)) and of L^-1 chol chol^T L^-T - I, L = mle_chol."""
    u = linalg.solve_triangular(mle_chol, m - y.mean(axis=0), lower=True)
    a = linalg.solve_triangular(mle_chol, chol, lower=True)
    return float(max(np.max(np.abs(u)), np.max(np.abs(a @ a.T - np.eye(m.size)))))


def _check_samples(samples, covariance):
    """Return the samples as a float array of shape (n, d), or raise (see also _standardise)."""
    x = real_array("samples", samples)
    if x.ndim not in (1, 2):
        raise ValueError(f"samples must have shape (n,) or (n, d), got shape {x.shape}")
    x = x[:, None] if x.ndim == 1 else x
    n, d = x.shape
    if d == 0 or n < 2:
        raise ValueError(f"samples must hold at least 2 points of dimension >= 1, got shape {np.shape(samples)}")
    if covariance == "full" and n <= d:
        raise ValueError(f"samples must hold more points than dimensions (n > d) for a full covariance, got {n} <= {d}")
    flat = np.flatnonzero(np.ptp(x, axis=0) == 0)
    if flat.size:
        raise ValueError(f"samples must vary along every axis, got constant axes {flat.tolist()} (variance 0)")
    return x
