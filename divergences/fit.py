r"""Fitting a Gaussian by forward KL (maximum likelihood) and by reverse KL (mode seeking).

The two fits of the lecture's "Converging with KL" and "Reverse KL divergence":

* :func:`fit_forward_kl` minimises :math:`KL(p\|q_\phi)` from samples of ``p``, which is
  maximum likelihood. It is *zero avoiding*: :math:`q_\phi` spreads over every mode of ``p``.
* :func:`fit_reverse_kl` minimises :math:`KL(q_\phi\|p)` given the density of ``p``. It is *zero
  forcing*: :math:`q_\phi` settles on one mode, which one depending on where it starts.

Both optimise the same unconstrained parameters with L-BFGS-B and analytic gradients, and record
the objective at every iteration, so that the convergence can be plotted. The expectations of the
reverse fit (closed form, quadrature, Monte Carlo) are in :mod:`divergences._expectations`.
"""

import dataclasses
import numbers

import numpy as np
from scipy import linalg, optimize

from toys import Gaussian
from toys._validation import as_generator, positive_scalar, real_array

from ._expectations import (
    GH_ORDER,
    gaussian_log_expectation,
    hermite_nodes,
    logpdf_at,
    monte_carlo_nodes,
    rule_log_expectation,
)
from ._inputs import as_toy

COVARIANCES = ("full", "diag")
#: Default Monte Carlo draws for E_q[log p] in fit_reverse_kl (targets in d >= 3 other than Gaussians).
N_SAMPLES = 10_000
#: Safety factor of fit_forward_kl's check against the closed-form MLE over the error that a
#: stationary point within ``tol`` can have (see fit_forward_kl's Notes).
MLE_CHECK_MARGIN = 10.0
#: Bound on the log standard deviations (log-diagonal of the Cholesky factor): keeps exp finite.
_LOG_SCALE_BOUND = 50.0
#: L-BFGS-B's ``ftol``: 0 stops only when an iteration no longer lowers the objective at all (the
#: rounding floor); otherwise the gradient tolerance ``tol`` ends a successful fit.
_FTOL = 0.0
#: Smallest gradient that rounding of the objective lets L-BFGS-B reach, about.
_GRAD_FLOOR = 1e-8
_LOG_2PI = float(np.log(2 * np.pi))


@dataclasses.dataclass(frozen=True)
class FitResult:
    """Outcome of :func:`fit_forward_kl` or :func:`fit_reverse_kl`."""

    distribution: Gaussian  # the fitted law q_phi (1-D or d-D toys.Gaussian)
    history: np.ndarray  # objective in nats at the start, then after each iteration (read-only)
    objective: str  # "forward_kl": average negative log-likelihood; "reverse_kl": KL(q || p)
    converged: bool  # L-BFGS-B met tol, or could lower the objective no further, within max_iter
    #                  (forward: and the fit agrees with the closed-form MLE; see its Notes)
    n_iter: int  # iterations taken; len(history) == n_iter + 1 (+ 1 if stopped inside a line search)
    init: Gaussian  # the law the optimisation started from
    message: str  # L-BFGS-B's reason for stopping (+ forward: the check; Monte Carlo: the standard error)

    @property
    def value(self):
        """Final value of the objective, in nats (``history[-1]``)."""
        return float(self.history[-1])


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
    >>> from divergences.fit import fit_forward_kl
    >>> x = Gaussian(mean=2.0, std=0.5).sample(1000, rng=0)
    >>> fit = fit_forward_kl(x)
    >>> bool(np.isclose(fit.distribution.mean, x.mean()) and np.isclose(fit.distribution.std, x.std()))
    True
    >>> slow = fit_forward_kl(x, init=Gaussian(0.0, 1.0))
    >>> bool(slow.history[0] > slow.history[-1] and np.isclose(slow.value, fit.value, rtol=1e-12))
    True
    """
    _check_covariance(covariance)
    max_iter, tol = _check_options(max_iter, tol)
    x = _check_samples(samples, covariance)
    y, centre, scale, mle_chol = _standardise(x, covariance)
    d = y.shape[1]
    if init is None:
        init = _to_gaussian(centre, np.diag(scale**2))
        m0, chol0 = np.zeros(d), np.eye(d)
    else:
        init = _check_init(init, d, covariance, "samples")
        m0, chol0 = _mean_chol(init)
        with np.errstate(over="ignore", under="ignore"):  # out of range: _pack says so
            m0, chol0 = (m0 - centre) / scale, chol0 / scale[:, None]
    theta0 = _pack(m0, chol0, covariance, "init divided by the samples' standard deviations")
    theta, history, res = _minimise(_nll(y, covariance), theta0, max_iter, tol, "forward_kl", init)
    m, chol = _unpack(theta, d, covariance)
    limit = MLE_CHECK_MARGIN * d**2 * max(tol, _GRAD_FLOOR) / np.min(np.diag(mle_chol))
    gap = _mle_gap(y, m, chol, mle_chol)
    agrees = gap <= limit
    verdict = "agrees" if agrees else "DISAGREES"
    message = f"{res.message}; {verdict} with the closed-form MLE to {gap:.2g} (whitened; limit {limit:.2g})"
    chol = scale[:, None] * chol
    return FitResult(
        distribution=_to_gaussian(centre + scale * m, chol @ chol.T),
        history=_read_only(history + np.sum(np.log(scale))),
        objective="forward_kl",
        converged=res.status != 1 and agrees,  # not stopped by max_iter, and right
        n_iter=int(res.nit),
        init=init,
        message=message,
    )


def fit_reverse_kl(target, *, init=None, covariance="full", rng=0, max_iter=1000, tol=1e-7, n_samples=N_SAMPLES):
    r"""Fit a Gaussian to a law with a density by reverse KL, :math:`KL(q_\phi\|p)`.

    The fit is local and depends on its start. On a mixture of well-separated modes it settles
    on one mode and ignores the others, whereas :func:`fit_forward_kl` covers them all; which mode
    depends on the start. On ``GaussianMixture(weights=[0.5, 0.5], means=[-3, 3], stds=[1, 1])``,
    starts N(m0, s0^2) with s0 from 0.5 to 3 land near N(3, 1) when m0 >= 2 and near N(-3, 1)
    when m0 <= -2; when ``|m0| <= 0.5`` (up to 1.8 for the widest starts) they land on a third,
    worse, local minimum N(0, 2.74^2) that straddles both modes (0.84 nats against 0.69).

    Parameters
    ----------
    target : toy or frozen scipy.stats distribution
        The law ``p``, in any dimension d, with a ``logpdf`` positive on all of R^d
        (toys.Gaussian, toys.GaussianMixture, ...).
    init : toys.Gaussian, optional
        Starting point, of the target's dimension; with ``covariance="diag"`` only the diagonal
        of its covariance is used. Default: mean one draw from ``target`` (using ``rng``),
        covariance the target's (its diagonal for ``"diag"``).
    covariance : {"full", "diag"}
        Covariance of the model, as in :func:`fit_forward_kl`.
    rng : None, int or numpy.random.Generator
        Source of the draw that places the default start (unused when ``init`` is given), then
        of the Monte Carlo draws (d >= 3, non-Gaussian target). On the two-mode mixture above
        about 10% of seeds give a start that leads to the straddling fit.
    max_iter, tol
        As in :func:`fit_forward_kl`.
    n_samples : int
        Number of Monte Carlo draws, >= 2, for a non-Gaussian target in 3 or more dimensions;
        unused otherwise. Default ``N_SAMPLES`` (10,000).

    Returns
    -------
    FitResult
        ``history`` holds :math:`KL(q_\phi\|p)` in nats from ``init`` to the end (a Monte Carlo
        estimate on the Monte Carlo path, whose standard error at the end ``message`` states).

    Raises
    ------
    TypeError
        If ``target`` has no ``logpdf``, ``init`` is not a toys.Gaussian, ``rng`` is not a seed or
        Generator, or ``max_iter`` or ``n_samples`` is not an integer.
    ValueError
        If ``init`` has another dimension than ``target`` or standard deviations beyond e^±50,
        ``target`` has a bounded support (then KL(q || p) = inf for every Gaussian q),
        ``target``'s covariance is not finite and no ``init`` is given, or ``covariance``,
        ``max_iter``, ``tol`` or ``n_samples`` is out of range. All are checked before the
        optimisation starts.

    Notes
    -----
    .. math:: KL(q_\phi\|p) = -H(q_\phi) - E_{q_\phi}[\log p], \qquad
              H(q_\phi) = \tfrac12\log\det(2\pi e\,\Sigma).

    The entropy is exact. With :math:`\Sigma = LL^\top`, the expectation is taken in three ways.

    * Gaussian :math:`p = N(\mu_p, \Sigma_p)`, any d: in closed form [4]_,
      :math:`KL = \tfrac12[\operatorname{tr}(\Sigma_p^{-1}\Sigma) + \delta^\top\Sigma_p^{-1}\delta
      - d + \log\det\Sigma_p - \log\det\Sigma]`, :math:`\delta = \mu - \mu_p`, with gradients
      :math:`\nabla_\mu = \Sigma_p^{-1}\delta`, :math:`\nabla_L = \Sigma_p^{-1}L - L^{-\top}`.
    * Other laws in 1-D and 2-D: Gauss-Hermite quadrature in the standardised variable :math:`z`
      of :math:`x = \mu + Lz` (``GH_ORDER``: 200 nodes in 1-D, a 100 x 100 tensor product in
      2-D), :math:`E_{q_\phi}[\log p] \approx \sum_k w_k \log p(\mu + Lz_k)`.
    * Other laws in 3 or more dimensions: Monte Carlo, the same sum over ``n_samples`` fixed
      draws :math:`z_k \sim N(0, I)` from ``rng`` with :math:`w_k = 1/n` (common random
      numbers: the same draws at every iteration).

    Either sum is a deterministic smooth function of the parameters, so L-BFGS-B applies, with
    its exact gradient (the reparametrisation gradient [3]_):

    .. math:: \nabla_\mu = -\sum_k w_k\, s(x_k), \qquad
              \nabla_L = -L^{-\top} - \sum_k w_k\, s(x_k)\, z_k^\top \ \text{(lower triangle)},

    with the score :math:`s = \nabla\log p` in closed form for Gaussian mixtures, by central
    differences for other targets.

    Accuracy. The quadrature is exact (to rounding) when :math:`\log p` is quadratic. For a
    mixture it is accurate while :math:`q_\phi` sits on one mode: within 2e-9 nats of
    :func:`divergences.reverse_kl` at the fits of the tests. Where :math:`q_\phi` straddles
    modes, :math:`\log p` has a soft kink between them (of width about
    :math:`\sigma^2/\Delta\mu`), which polynomial quadrature resolves slowly: the error is 8e-4
    nats at N(0, 2.74^2) on the mixture above (1e-3 in the fitted std), and grows as the modes
    narrow: 3 nats of 66 for a q spanning a column of ``toys.grid()`` (std 0.05), where a fit
    that ends straddling modes cannot be trusted. Fits that end on one mode are accurate
    whatever the path. The Monte Carlo estimate of the objective has the standard error
    :math:`\operatorname{sd}_k(\log p(x_k))/\sqrt n` (stated in ``message``; about 0.012 nats for
    a 3-D Gaussian-like p and the default n). Its minimiser is off by :math:`O(n^{-1/2})`: where
    :math:`p` is Gaussian near the fit, exactly :math:`\mu = \mu_p - L\bar z` and, in the
    coordinates that whiten :math:`\Sigma_p`, :math:`\Sigma = V^{-1}` (``"full"``) with
    :math:`V` the sample covariance of the :math:`z_k`: errors of sd :math:`1/\sqrt n` in the
    whitened mean and :math:`\sqrt{2/n}` in the whitened variances (1% and 1.4% for the
    default n).

    For a Gaussian ``p`` and a diagonal model the minimiser has :math:`\mu = \mu_p` and
    variances :math:`1 / (\Sigma_p^{-1})_{ii}`, smaller than the marginal variances [1]_.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, Sec. 10.1.2.
    .. [2] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press 2012, Sec. 21.2.2.
    .. [3] D. P. Kingma, M. Welling, "Auto-encoding variational Bayes", ICLR 2014 (the
       reparametrisation gradient).
    .. [4] J. Duchi, "Derivations for linear algebra and optimization" (KL between multivariate
       normals; the gradients by the matrix calculus of the same notes).

    Examples
    --------
    >>> import math
    >>> import numpy as np
    >>> from toys import Gaussian, GaussianMixture
    >>> from divergences import reverse_kl
    >>> from divergences.fit import fit_reverse_kl
    >>> rho = 0.8
    >>> p = Gaussian(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    >>> fit = fit_reverse_kl(p, covariance="diag")
    >>> bool(np.allclose(np.diag(fit.distribution.cov), 1 - rho**2))
    True
    >>> math.isclose(fit.value, reverse_kl(p, fit.distribution), abs_tol=1e-9)
    True
    >>> two = GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
    >>> round(fit_reverse_kl(two, init=Gaussian(-2.0, 1.0)).distribution.mean)
    -3
    """
    target = _check_target(target)
    _check_covariance(covariance)
    max_iter, tol = _check_options(max_iter, tol)
    n_samples = _count("n_samples", n_samples, 2)
    gen = as_generator(rng)
    d = target.dim
    init = _default_init(target, covariance, gen) if init is None else _check_init(init, d, covariance, "target")
    theta0 = _pack(*_mean_chol(init), covariance, "init")
    gaussian = isinstance(target, Gaussian)
    monte_carlo = not gaussian and d not in GH_ORDER
    if gaussian:
        expectation = gaussian_log_expectation(target)
    else:
        z, w = monte_carlo_nodes(d, n_samples, gen) if monte_carlo else hermite_nodes(d)
        expectation = rule_log_expectation(target, z, w)
    objective = _reverse_kl(expectation, d, covariance)
    theta, history, res = _minimise(objective, theta0, max_iter, tol, "reverse_kl", init)
    m, chol = _unpack(theta, d, covariance)
    message = str(res.message)
    if monte_carlo:
        stderr = np.std(logpdf_at(target, m + z @ chol.T), ddof=1) / np.sqrt(n_samples)
        message += f"; KL(q || p) estimated from n_samples={n_samples} draws, standard error {stderr:.2g} nats"
    return FitResult(
        distribution=_to_gaussian(m, chol @ chol.T),
        history=_read_only(history),
        objective="reverse_kl",
        converged=bool(res.success),
        n_iter=int(res.nit),
        init=init,
        message=message,
    )


# -- the objectives and their gradients in (mean, L) -------------------------------------------
def _nll(y, covariance):
    """Average negative log-likelihood of the samples y (n, d) under N(m, LL^T)."""
    n, d = y.shape
    eye = np.eye(d)

    def objective(theta):
        m, chol = _unpack(theta, d, covariance)
        z = linalg.solve_triangular(chol, (y - m).T, lower=True).T  # (n, d)
        nll = 0.5 * np.mean(np.sum(z * z, axis=1)) + np.sum(np.log(np.diag(chol))) + 0.5 * d * _LOG_2PI
        chol_inv_t = linalg.solve_triangular(chol, eye, lower=True).T
        grad_m = -chol_inv_t @ z.mean(axis=0)
        grad_chol = -chol_inv_t @ (z.T @ z / n - eye)
        return nll, _pack_grad(grad_m, grad_chol, chol, covariance)

    return objective


def _reverse_kl(expectation, d, covariance):
    """KL(N(m, LL^T) || p) = -entropy - E_q[log p], with ``expectation`` from _expectations."""
    eye = np.eye(d)

    def objective(theta):
        m, chol = _unpack(theta, d, covariance)
        value, grad_m, grad_chol = expectation(m, chol)
        entropy = np.sum(np.log(np.diag(chol))) + 0.5 * d * (1.0 + _LOG_2PI)
        grad_chol = -linalg.solve_triangular(chol, eye, lower=True).T - grad_chol
        return -entropy - value, _pack_grad(-grad_m, grad_chol, chol, covariance)

    return objective


# -- the optimisation, shared -----------------------------------------------------------------
def _minimise(objective, theta0, max_iter, tol, name, init):
    """L-BFGS-B from theta0: the final theta, the objective at the start and after each step, and
    scipy's result."""
    value0 = objective(theta0)[0]
    if not np.isfinite(value0):
        raise ValueError(f"the {name} objective is {value0} at the start {init!r}; choose another start")
    history = [float(value0)]

    def record(intermediate_result):
        history.append(float(intermediate_result.fun))

    d = init.dim
    n_off = theta0.size - 2 * d
    bounds = [(None, None)] * d + [(-_LOG_SCALE_BOUND, _LOG_SCALE_BOUND)] * d + [(None, None)] * n_off
    options = {"maxiter": max_iter, "gtol": tol, "ftol": _FTOL}
    res = optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds, callback=record, options=options
    )
    final = float(objective(res.x)[0])
    if final != history[-1]:  # stopped inside a line search: record where it stopped
        history.append(final)
    return res.x, np.array(history), res


def _pack(mean, chol, covariance, what):
    """theta = (mean, log of the diagonal of the Cholesky factor, entries below it if "full")."""
    with np.errstate(divide="ignore"):
        log_diag = np.log(np.diag(chol))
    if not (np.all(np.isfinite(mean)) and np.all(np.abs(log_diag) <= _LOG_SCALE_BOUND)):
        raise ValueError(
            f"{what} must have a finite mean and standard deviations (Cholesky diagonal) within "
            f"exp(+-{_LOG_SCALE_BOUND:g}), the fit's bounds, got mean {mean.tolist()} and standard deviations "
            f"{np.diag(chol).tolist()}"
        )
    off = chol[np.tril_indices(mean.size, -1)] if covariance == "full" else []
    return np.concatenate([mean, log_diag, off])


def _unpack(theta, d, covariance):
    chol = np.diag(np.exp(theta[d : 2 * d]))
    if covariance == "full":
        chol[np.tril_indices(d, -1)] = theta[2 * d :]
    return theta[:d], chol


def _pack_grad(grad_m, grad_chol, chol, covariance):
    """Gradient in theta from the gradients in (mean, L): chain rule through L_jj = exp(theta)."""
    d = grad_m.size
    parts = [grad_m, np.diag(grad_chol) * np.diag(chol)]
    if covariance == "full":
        parts.append(grad_chol[np.tril_indices(d, -1)])
    return np.concatenate(parts)


def _mean_chol(g):
    """Mean (d,) and lower Cholesky factor (d, d) of the toys.Gaussian g."""
    return np.atleast_1d(g.mean), np.linalg.cholesky(np.atleast_2d(g.var if g.dim == 1 else g.cov))


def _to_gaussian(mean, cov):
    if mean.size == 1:
        return Gaussian(mean=float(mean[0]), std=float(np.sqrt(cov[0, 0])))
    return Gaussian(mean=mean, cov=0.5 * (cov + cov.T))


def _read_only(a):
    a.setflags(write=False)
    return a


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


# -- checks ---------------------------------------------------------------------------------
def _check_covariance(covariance):
    if not isinstance(covariance, str) or covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got {covariance!r}")


def _count(name, value, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_options(max_iter, tol):
    return _count("max_iter", max_iter, 1), positive_scalar("tol", tol)


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


def _check_target(target):
    target = as_toy(target, "target")
    if not callable(getattr(target, "logpdf", None)):
        raise TypeError(f"target must have a density (a logpdf method), got {target!r} of type {type(target).__name__}")
    low, high = getattr(target, "support", (-np.inf, np.inf))
    if np.isfinite(low) or np.isfinite(high):
        raise ValueError(
            f"target must have a density positive on the whole line, got {target!r} with support ({low}, {high}): "
            "a Gaussian q puts mass outside it, so KL(q || target) = inf for every q"
        )
    return target


def _check_init(init, d, covariance, against):
    """Return ``init``, restricted to its diagonal covariance for "diag"."""
    if not isinstance(init, Gaussian):
        raise TypeError(f"init must be a toys.Gaussian or None, got {init!r} of type {type(init).__name__}")
    if init.dim != d:
        raise ValueError(f"init must have the dimension of the {against}, {d}, got {init!r} with dim={init.dim}")
    if covariance == "diag" and d > 1:
        return Gaussian(mean=init.mean, cov=np.diag(np.diag(init.cov)))
    return init


def _default_init(target, covariance, rng):
    """Mean: one draw from the target; covariance: the target's (its diagonal for "diag")."""
    cov = getattr(target, "var" if target.dim == 1 else "cov", None)
    cov = np.atleast_2d(np.asarray(cov if cov is not None else np.nan, dtype=float))
    if not np.all(np.isfinite(cov)):
        raise ValueError(f"target {target!r} has no finite covariance to start from; give init")
    if covariance == "diag":
        cov = np.diag(np.diag(cov))
    mean = target.sample(1, rng=rng)[0]
    return _to_gaussian(np.atleast_1d(mean), cov)
