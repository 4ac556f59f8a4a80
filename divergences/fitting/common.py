r"""What the two Gaussian fits share: the result, the parameters, the optimisation, the checks.

The fits optimise the unconstrained parameters ``theta = (mean, log of the diagonal of the
Cholesky factor L, entries below it for a full covariance)`` with L-BFGS-B and analytic gradients
(:func:`minimise`), and record the objective at every iteration.
"""

import dataclasses

import numpy as np
from scipy import optimize

from toys import Gaussian
from toys.validation import integer, positive_scalar

from ..laws import as_toy

COVARIANCES = ("full", "diag")
#: Default Monte Carlo draws for E_q[log p] in fit_reverse_kl (targets in d >= 3 other than Gaussians).
N_SAMPLES = 10_000
#: Safety factor of fit_forward_kl's check against the closed-form MLE over the error that a
#: stationary point within ``tol`` can have (see fit_forward_kl's Notes).
MLE_CHECK_MARGIN = 10.0
#: Bound on the log standard deviations (log-diagonal of the Cholesky factor): keeps exp finite.
LOG_SCALE_BOUND = 50.0
#: L-BFGS-B's ``ftol``: 0 stops only when an iteration no longer lowers the objective at all (the
#: rounding floor); otherwise the gradient tolerance ``tol`` ends a successful fit.
FTOL = 0.0
#: Smallest gradient that rounding of the objective lets L-BFGS-B reach, about.
GRAD_FLOOR = 1e-8
LOG_2PI = float(np.log(2 * np.pi))


@dataclasses.dataclass(frozen=True)
class FitResult:
    """Outcome of :func:`divergences.fit_forward_kl` or :func:`divergences.fit_reverse_kl`."""

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


# -- the optimisation, shared -----------------------------------------------------------------
def minimise(objective, theta0, max_iter, tol, name, init):
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
    bounds = [(None, None)] * d + [(-LOG_SCALE_BOUND, LOG_SCALE_BOUND)] * d + [(None, None)] * n_off
    options = {"maxiter": max_iter, "gtol": tol, "ftol": FTOL}
    res = optimize.minimize(
        objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds, callback=record, options=options
    )
    final = float(objective(res.x)[0])
    if final != history[-1]:  # stopped inside a line search: record where it stopped
        history.append(final)
    return res.x, np.array(history), res


def pack(mean, chol, covariance, what):
    """theta = (mean, log of the diagonal of the Cholesky factor, entries below it if "full")."""
    with np.errstate(divide="ignore"):
        log_diag = np.log(np.diag(chol))
    if not (np.all(np.isfinite(mean)) and np.all(np.abs(log_diag) <= LOG_SCALE_BOUND)):
        raise ValueError(
            f"{what} must have a finite mean and standard deviations (Cholesky diagonal) within "
            f"exp(+-{LOG_SCALE_BOUND:g}), the fit's bounds, got mean {mean.tolist()} and standard deviations "
            f"{np.diag(chol).tolist()}"
        )
    off = chol[np.tril_indices(mean.size, -1)] if covariance == "full" else []
    return np.concatenate([mean, log_diag, off])


def unpack(theta, d, covariance):
    chol = np.diag(np.exp(theta[d : 2 * d]))
    if covariance == "full":
        chol[np.tril_indices(d, -1)] = theta[2 * d :]
    return theta[:d], chol


def pack_grad(grad_m, grad_chol, chol, covariance):
    """Gradient in theta from the gradients in (mean, L): chain rule through L_jj = exp(theta)."""
    d = grad_m.size
    parts = [grad_m, np.diag(grad_chol) * np.diag(chol)]
    if covariance == "full":
        parts.append(grad_chol[np.tril_indices(d, -1)])
    return np.concatenate(parts)


def mean_chol(g):
    """Mean (d,) and lower Cholesky factor (d, d) of the toys.Gaussian g."""
    return np.atleast_1d(g.mean), np.linalg.cholesky(np.atleast_2d(g.var if g.dim == 1 else g.cov))


def to_gaussian(mean, cov):
    if mean.size == 1:
        return Gaussian(mean=float(mean[0]), std=float(np.sqrt(cov[0, 0])))
    return Gaussian(mean=mean, cov=0.5 * (cov + cov.T))


def read_only(a):
    a.setflags(write=False)
    return a


# -- checks ---------------------------------------------------------------------------------
def check_covariance(covariance):
    if not isinstance(covariance, str) or covariance not in COVARIANCES:
        raise ValueError(f"covariance must be one of {COVARIANCES}, got {covariance!r}")


def check_options(max_iter, tol):
    return integer("max_iter", max_iter, minimum=1), positive_scalar("tol", tol)


def check_target(target):
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


def check_init(init, d, covariance, against):
    """Return ``init``, restricted to its diagonal covariance for "diag"."""
    if not isinstance(init, Gaussian):
        raise TypeError(f"init must be a toys.Gaussian or None, got {init!r} of type {type(init).__name__}")
    if init.dim != d:
        raise ValueError(f"init must have the dimension of the {against}, {d}, got {init!r} with dim={init.dim}")
    if covariance == "diag" and d > 1:
        return Gaussian(mean=init.mean, cov=np.diag(np.diag(init.cov)))
    return init


def default_init(target, covariance, rng):
    """Mean: one draw from the target; covariance: the target's (its diagonal for "diag")."""
    cov = getattr(target, "var" if target.dim == 1 else "cov", None)
    cov = np.atleast_2d(np.asarray(cov if cov is not None else np.nan, dtype=float))
    if not np.all(np.isfinite(cov)):
        raise ValueError(f"target {target!r} has no finite covariance to start from; give init")
    if covariance == "diag":
        cov = np.diag(np.diag(cov))
    mean = target.sample(1, rng=rng)[0]
    return to_gaussian(np.atleast_1d(mean), cov)
