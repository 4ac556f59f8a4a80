r"""Fitting a Gaussian by forward KL (maximum likelihood) and by reverse KL (mode seeking).

The two fits of the lecture's "Converging with KL" and "Reverse KL divergence":

* :func:`fit_forward_kl` minimises :math:`KL(p\|q_\phi)` from samples of ``p``, which is
  maximum likelihood. It is *zero avoiding*: :math:`q_\phi` spreads over every mode of ``p``.
* :func:`fit_reverse_kl` minimises :math:`KL(q_\phi\|p)` given the density of ``p``. It is *zero
  forcing*: :math:`q_\phi` settles on one mode, which one depending on where it starts.

Both optimise the same unconstrained parameters with L-BFGS-B and analytic gradients, and record
the objective at every iteration, so that the convergence can be plotted.
"""

import dataclasses
import functools
import numbers

import numpy as np
from scipy import linalg, optimize, special

from toys import Gaussian
from toys._validation import as_generator, positive_scalar, real_array

from ._inputs import as_toy

COVARIANCES = ("full", "diag")
#: Gauss-Hermite nodes per axis for E_q[log p], by dimension (tensor product in 2-D).
GH_ORDER = {1: 200, 2: 100}
#: Bound on the log standard deviations (log-diagonal of the Cholesky factor): keeps exp finite.
_LOG_SCALE_BOUND = 50.0
#: L-BFGS-B's ``ftol``: 0 stops only when an iteration no longer lowers the objective at all (the
#: rounding floor); otherwise the gradient tolerance ``tol`` ends a successful fit.
_FTOL = 0.0
_LOG_2PI = float(np.log(2 * np.pi))


@dataclasses.dataclass(frozen=True)
class FitResult:
    """Outcome of :func:`fit_forward_kl` or :func:`fit_reverse_kl`."""

    distribution: Gaussian  # the fitted law q_phi (1-D or d-D toys.Gaussian)
    history: np.ndarray  # objective in nats at the start, then after each iteration (read-only)
    objective: str  # "forward_kl": average negative log-likelihood; "reverse_kl": KL(q || p)
    converged: bool  # L-BFGS-B met tol, or could lower the objective no further, within max_iter
    n_iter: int  # iterations taken; len(history) == n_iter + 1 (+ 1 if stopped inside a line search)
    init: Gaussian  # the law the optimisation started from
    message: str  # L-BFGS-B's reason for stopping

    @property
    def value(self):
        """Final value of the objective, in nats (``history[-1]``)."""
        return float(self.history[-1])


def fit_forward_kl(samples, *, covariance="full", max_iter=1000, tol=1e-7):
    r"""Fit a Gaussian to samples by forward KL, that is by maximum likelihood.

    Parameters
    ----------
    samples : array_like, shape (n,) or (n, d)
        Draws from the data law ``p``: ``n >= 2`` finite numbers (1-D), or ``n`` points in R^d
        with ``n > d`` when ``covariance="full"``.
    covariance : {"full", "diag"}
        Covariance of the model in d-D: any symmetric positive-definite matrix, or diagonal
        (independent coordinates). Both mean the same in 1-D.
    max_iter : int
        Largest number of L-BFGS-B iterations, >= 1.
    tol : float
        Stop when every component of the gradient with respect to the parameters (mean, log
        standard deviations, Cholesky entries) is below ``tol``, > 0. Rounding of the objective
        (about 1e-16 relative) makes gradients much below 1e-8 unattainable: with a smaller
        ``tol`` the fit may end on a failed line search with ``converged=False``.

    Returns
    -------
    FitResult
        ``distribution`` is ``toys.Gaussian(mean, std)`` for samples of shape ``(n,)`` or
        ``(n, 1)`` and ``toys.Gaussian(mean=..., cov=...)`` otherwise; ``history`` holds the
        average negative log-likelihood (nats) from the start N(0, I) to the end.

    Raises
    ------
    TypeError
        If ``samples`` is not numeric or ``max_iter`` not an integer.
    ValueError
        If ``samples`` has the wrong shape, too few points, non-finite values or no spread (a
        coordinate with zero variance, or points in a proper subspace for a full covariance),
        or if ``covariance``, ``max_iter`` or ``tol`` is out of range.

    Notes
    -----
    With :math:`\hat p` the empirical law of the samples,

    .. math:: KL(\hat p\|q_\phi) = \underbrace{-\frac1n\sum_{i=1}^n \log q_\phi(x_i)}_{H(\hat p, q_\phi)}
              - H(\hat p),

    and the entropy does not depend on :math:`\phi`, so the objective is the cross-entropy, the
    average negative log-likelihood. With :math:`\Sigma = LL^\top` and :math:`z_i = L^{-1}(x_i -
    \mu)` its gradients are

    .. math:: \nabla_\mu = -L^{-\top}\,\overline{z}, \qquad
              \nabla_L = -L^{-\top}\left(\overline{zz^\top} - I\right) \ \text{(lower triangle)}.

    The optimisation starts from N(0, I), deliberately uninformed, over the mean, the logarithm
    of the diagonal of :math:`L` and its entries below the diagonal (``"full"``). Its minimiser is
    the closed-form maximum-likelihood estimate: the sample mean and the biased sample covariance
    :math:`\frac1n\sum_i (x_i - \bar x)(x_i - \bar x)^\top`, or its diagonal for ``"diag"``. On a
    multimodal ``p`` the fit covers all the modes, and puts mass between them.

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
    >>> bool(fit.history[0] > fit.history[-1])  # N(0, 1) explains the data worse
    True
    """
    x = _check_samples(samples, covariance)
    max_iter, tol = _check_options(max_iter, tol)
    n, d = x.shape
    eye = np.eye(d)

    def objective(theta):
        m, chol = _unpack(theta, d, covariance)
        z = linalg.solve_triangular(chol, (x - m).T, lower=True).T  # (n, d)
        nll = 0.5 * np.mean(np.sum(z * z, axis=1)) + np.sum(np.log(np.diag(chol))) + 0.5 * d * _LOG_2PI
        chol_inv_t = linalg.solve_triangular(chol, eye, lower=True).T
        grad_m = -chol_inv_t @ z.mean(axis=0)
        grad_chol = -chol_inv_t @ (z.T @ z / n - eye)
        return nll, _pack_grad(grad_m, grad_chol, chol, covariance)

    init = _to_gaussian(np.zeros(d), eye)
    return _minimise(objective, init, d, covariance, "forward_kl", max_iter, tol)


def fit_reverse_kl(target, *, init=None, covariance="full", rng=0, max_iter=1000, tol=1e-7):
    r"""Fit a Gaussian to a law with a density by reverse KL, :math:`KL(q_\phi\|p)`.

    The fit is local and depends on its start. On a mixture of well-separated modes it settles
    on one mode and ignores the others, whereas :func:`fit_forward_kl` covers them all; which mode
    depends on the start. On ``GaussianMixture(weights=[0.5, 0.5], means=[-3, 3], stds=[1, 1])``,
    starts N(m0, s0^2) with s0 from 0.5 to 3 land near N(3, 1) when m0 >= 2 and near N(-3, 1)
    when m0 <= -2; when |m0| <= 0.5 (up to 1.8 for the widest starts) they land on a third,
    worse, local minimum N(0, 2.74^2) that straddles both modes (0.84 nats against 0.69).

    Parameters
    ----------
    target : toy or frozen scipy.stats distribution
        The law ``p``, 1-D or 2-D, with a ``logpdf`` positive on all of R^d (toys.Gaussian,
        toys.GaussianMixture, ...).
    init : toys.Gaussian, optional
        Starting point, of the target's dimension; with ``covariance="diag"`` only the diagonal
        of its covariance is used. Default: mean one draw from ``target`` (using ``rng``),
        covariance the target's (its diagonal for ``"diag"``).
    covariance : {"full", "diag"}
        Covariance of the model, as in :func:`fit_forward_kl`.
    rng : None, int or numpy.random.Generator
        Source of the draw that places the default start; unused when ``init`` is given. On the
        two-mode mixture above about 10% of seeds give a start that leads to the straddling fit.
    max_iter, tol
        As in :func:`fit_forward_kl`.

    Returns
    -------
    FitResult
        ``history`` holds :math:`KL(q_\phi\|p)` in nats from ``init`` to the end.

    Raises
    ------
    TypeError
        If ``target`` has no ``logpdf`` or ``init`` is not a toys.Gaussian.
    ValueError
        If ``init`` has another dimension than ``target``, ``target`` has a bounded support (then
        KL(q || p) = inf for every Gaussian q), ``target``'s variance is not finite and no ``init``
        is given, or ``covariance``, ``max_iter`` or ``tol`` is out of range.
    NotImplementedError
        If ``target`` lives in 3 or more dimensions.

    Notes
    -----
    .. math:: KL(q_\phi\|p) = -H(q_\phi) - E_{q_\phi}[\log p], \qquad
              H(q_\phi) = \tfrac12\log\det(2\pi e\,\Sigma).

    The entropy is exact; the expectation is Gauss-Hermite quadrature in the standardised
    variable :math:`z` of :math:`x = \mu + Lz`, :math:`\Sigma = LL^\top` (``GH_ORDER``: 200 nodes
    in 1-D, a 100 x 100 tensor product in 2-D): :math:`E_{q_\phi}[\log p] \approx \sum_k w_k
    \log p(\mu + Lz_k)`. The objective is then a deterministic smooth function of the parameters
    and L-BFGS-B applies, with its exact gradient (the reparametrisation gradient):

    .. math:: \nabla_\mu = -\sum_k w_k\, s(x_k), \qquad
              \nabla_L = -L^{-\top} - \sum_k w_k\, s(x_k)\, z_k^\top \ \text{(lower triangle)},

    with the score :math:`s = \nabla\log p` in closed form for Gaussians and Gaussian mixtures,
    by central differences for other targets.

    Accuracy. The quadrature is exact (to rounding) when ``p`` is Gaussian, :math:`\log p` being
    quadratic. For a mixture it is accurate while :math:`q_\phi` sits on one mode: within 2e-9
    nats of :func:`divergences.reverse_kl` at the fits of the tests. Where :math:`q_\phi` straddles
    modes, :math:`\log p` has a soft kink between them (of width about
    :math:`\sigma^2/\Delta\mu`), which polynomial quadrature resolves slowly: the error is 8e-4
    nats at N(0, 2.74^2) on the mixture above (1e-3 in the fitted std), and grows as the modes
    narrow: 3 nats of 66 for a q spanning a column of ``toys.grid()`` (std 0.05), where a fit
    that ends straddling modes cannot be trusted. Fits that end on one mode are accurate
    whatever the path.

    For a Gaussian ``p`` and a diagonal model the minimiser has :math:`\mu = \mu_p` and
    variances :math:`1 / (\Sigma_p^{-1})_{ii}`, smaller than the marginal variances [1]_.
    In 3 or more dimensions a tensor product is too large; this raises NotImplementedError.

    References
    ----------
    .. [1] C. M. Bishop, *Pattern Recognition and Machine Learning*, Springer 2006, Sec. 10.1.2.
    .. [2] K. P. Murphy, *Machine Learning: A Probabilistic Perspective*, MIT Press 2012, Sec. 21.2.2.
    .. [3] D. P. Kingma, M. Welling, "Auto-encoding variational Bayes", ICLR 2014 (the
       reparametrisation gradient).

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
    d = target.dim
    init = _default_init(target, covariance, rng) if init is None else _check_init(init, d, covariance)
    z, w = _hermite_nodes(d)
    score = _score_function(target)
    eye = np.eye(d)

    def objective(theta):
        m, chol = _unpack(theta, d, covariance)
        x = m + z @ chol.T  # (nodes, d)
        f = np.asarray(target.logpdf(x if d > 1 else x[:, 0]), dtype=float)  # (nodes,)
        g = score(x)  # (nodes, d): gradient of log p at the nodes
        entropy = np.sum(np.log(np.diag(chol))) + 0.5 * d * (1.0 + _LOG_2PI)
        grad_chol = -linalg.solve_triangular(chol, eye, lower=True).T - (w[:, None] * g).T @ z
        return -entropy - w @ f, _pack_grad(-w @ g, grad_chol, chol, covariance)

    return _minimise(objective, init, d, covariance, "reverse_kl", max_iter, tol)


# -- the optimisation, shared -----------------------------------------------------------------
def _minimise(objective, init, d, covariance, name, max_iter, tol):
    theta0 = _pack(init, d, covariance)
    value0 = objective(theta0)[0]
    if not np.isfinite(value0):
        raise ValueError(f"the {name} objective is {value0} at the start {init!r}; choose another start")
    history = [float(value0)]

    def record(intermediate_result):
        history.append(float(intermediate_result.fun))

    n_off = d * (d - 1) // 2 if covariance == "full" else 0
    bounds = [(None, None)] * d + [(-_LOG_SCALE_BOUND, _LOG_SCALE_BOUND)] * d + [(None, None)] * n_off
    options = {"maxiter": max_iter, "gtol": tol, "ftol": _FTOL}
    res = optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds, callback=record, options=options
    )
    final = float(objective(res.x)[0])
    if final != history[-1]:  # stopped inside a line search: record where it stopped
        history.append(final)
    hist = np.array(history)
    hist.setflags(write=False)
    m, chol = _unpack(res.x, d, covariance)
    return FitResult(
        distribution=_to_gaussian(m, chol @ chol.T),
        history=hist,
        objective=name,
        converged=bool(res.success),
        n_iter=int(res.nit),
        init=init,
        message=str(res.message),
    )


def _pack(g, d, covariance):
    """theta = (mean, log of the diagonal of the Cholesky factor, entries below it if "full")."""
    mean = np.atleast_1d(g.mean)
    cov = np.atleast_2d(g.var if g.dim == 1 else g.cov)
    chol = np.linalg.cholesky(cov) if covariance == "full" else np.diag(np.sqrt(np.diag(cov)))
    return np.concatenate([mean, np.log(np.diag(chol)), chol[np.tril_indices(d, -1)] if covariance == "full" else []])


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


def _to_gaussian(mean, cov):
    if mean.size == 1:
        return Gaussian(mean=float(mean[0]), std=float(np.sqrt(cov[0, 0])))
    return Gaussian(mean=mean, cov=0.5 * (cov + cov.T))


def _score_function(target):
    """x (k, d) -> gradient of ``target.logpdf`` at x, shape (k, d).

    Exact for laws that describe themselves as Gaussian mixtures (``_as_mixture``: toys.Gaussian
    and toys.GaussianMixture): the responsibility-weighted sum of the components' scores. Central
    differences otherwise (relative error about 1e-10).
    """
    if not hasattr(target, "_as_mixture"):
        return functools.partial(_score_by_differences, target)
    weights, means, covs = target._as_mixture()  # (K,), (K, d), (K, d, d)
    keep = weights > 0
    log_w, means, prec = np.log(weights[keep]), means[keep], np.linalg.inv(covs[keep])
    log_w = log_w - 0.5 * np.linalg.slogdet(covs[keep])[1]

    def score(x):
        diff = x[:, None, :] - means  # (k, K, d)
        pulled = np.einsum("jab,kjb->kja", prec, diff)  # Sigma_j^-1 (x - mu_j)
        log_r = log_w - 0.5 * np.sum(diff * pulled, axis=-1)  # (k, K), up to a constant per row
        r = np.exp(log_r - special.logsumexp(log_r, axis=1, keepdims=True))  # responsibilities
        return -np.einsum("kj,kja->ka", r, pulled)

    return score


def _score_by_differences(target, x):
    d = x.shape[1]
    out = np.empty_like(x)
    for a in range(d):
        h = 1e-5 * (1.0 + np.abs(x[:, a]))
        step = np.zeros_like(x)
        step[:, a] = h
        up, down = (x + step, x - step) if d > 1 else (x[:, 0] + h, x[:, 0] - h)
        out[:, a] = (np.asarray(target.logpdf(up)) - np.asarray(target.logpdf(down))) / (2 * h)
    return out


@functools.cache
def _hermite_nodes(d):
    """Nodes z (k, d) and weights (k,) of Gauss-Hermite quadrature for E f(Z), Z ~ N(0, I_d)."""
    z1, w1 = np.polynomial.hermite_e.hermegauss(GH_ORDER[d])
    w1 = w1 / np.sqrt(2 * np.pi)
    z = np.stack(np.meshgrid(*[z1] * d, indexing="ij"), axis=-1).reshape(-1, d)
    w = np.prod(np.stack(np.meshgrid(*[w1] * d, indexing="ij"), axis=-1).reshape(-1, d), axis=1)
    keep = w > 0  # drop weights that underflowed, so that 0 * (-inf) never happens
    z, w = z[keep], w[keep]
    z.setflags(write=False)
    w.setflags(write=False)
    return z, w


# -- checks ---------------------------------------------------------------------------------
def _check_covariance(covariance):
    if not isinstance(covariance, str) or covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got {covariance!r}")


def _check_options(max_iter, tol):
    if isinstance(max_iter, bool) or not isinstance(max_iter, numbers.Integral):
        raise TypeError(f"max_iter must be a positive integer, got {max_iter!r} of type {type(max_iter).__name__}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")
    return int(max_iter), positive_scalar("tol", tol)


def _check_samples(samples, covariance):
    """Return the samples as a float array of shape (n, d), or raise."""
    _check_covariance(covariance)
    x = real_array("samples", samples)
    if x.ndim not in (1, 2):
        raise ValueError(f"samples must have shape (n,) or (n, d), got shape {x.shape}")
    x = x.reshape(len(x), -1)
    n, d = x.shape
    if d == 0 or n < 2:
        raise ValueError(f"samples must hold at least 2 points of dimension >= 1, got shape {np.shape(samples)}")
    if covariance == "full" and n <= d:
        raise ValueError(f"samples must hold more points than dimensions (n > d) for a full covariance, got {n} <= {d}")
    flat = np.flatnonzero(np.ptp(x, axis=0) == 0)
    if flat.size:
        raise ValueError(f"samples must vary along every axis, got constant axes {flat.tolist()} (variance 0)")
    if covariance == "full" and np.linalg.matrix_rank(x - x.mean(axis=0)) < d:
        raise ValueError(
            "samples must not lie in a proper affine subspace for a full covariance (their sample covariance "
            'is singular); use covariance="diag"'
        )
    return x


def _check_target(target):
    target = as_toy(target, "target")
    if not callable(getattr(target, "logpdf", None)):
        raise TypeError(f"target must have a density (a logpdf method), got {target!r} of type {type(target).__name__}")
    if target.dim > 2:
        raise NotImplementedError(
            f"fit_reverse_kl integrates E_q[log p] by tensor Gauss-Hermite quadrature in 1-D and 2-D; "
            f"target has dim={target.dim}"
        )
    low, high = getattr(target, "support", (-np.inf, np.inf))
    if np.isfinite(low) or np.isfinite(high):
        raise ValueError(
            f"target must have a density positive on the whole line, got {target!r} with support ({low}, {high}): "
            "a Gaussian q puts mass outside it, so KL(q || target) = inf for every q"
        )
    return target


def _check_init(init, d, covariance):
    """Return ``init``, restricted to its diagonal covariance for "diag"."""
    if not isinstance(init, Gaussian):
        raise TypeError(f"init must be a toys.Gaussian or None, got {init!r} of type {type(init).__name__}")
    if init.dim != d:
        raise ValueError(f"init must have the target's dimension {d}, got {init!r} with dim={init.dim}")
    if covariance == "diag" and d > 1:
        return Gaussian(mean=init.mean, cov=np.diag(np.diag(init.cov)))
    return init


def _default_init(target, covariance, rng):
    """Mean: one draw from the target; covariance: the target's (its diagonal for "diag")."""
    mean = target.sample(1, rng=as_generator(rng))[0]
    cov = np.atleast_2d(target.var if target.dim == 1 else target.cov)
    if not np.all(np.isfinite(cov)):
        raise ValueError(f"target {target!r} has no finite covariance to start from; give init")
    if covariance == "diag":
        cov = np.diag(np.diag(cov))
    return _to_gaussian(np.atleast_1d(mean), cov)
