"""Laws, oracles and checks shared by the tests of the Gaussian fits."""

import math
import re
from fractions import Fraction

import numpy as np
from scipy import integrate, linalg, optimize, stats

import toys
from divergences import reverse_kl
from divergences.fitting.common import MLE_CHECK_MARGIN

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
#: Narrower modes: from N(0, 1) the fit straddles them, at a stationary point near N(0, 1.7364^2).
NARROW_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])
#: 2-D mixture with far-apart modes, one isotropic and one correlated (rho = 0.5).
TWO_MODES_2D = toys.GaussianMixture(
    weights=[0.5, 0.5], means=[[-4.0, 0.0], [4.0, 0.0]], covs=[np.eye(2), [[1.0, 0.5], [0.5, 1.0]]]
)
#: 3-D mixture with modes 8 sd apart, one isotropic and one correlated: the Monte Carlo path.
TWO_MODES_3D = toys.GaussianMixture(
    weights=[0.5, 0.5],
    means=[[-4.0, 0.0, 0.0], [4.0, 0.0, 0.0]],
    covs=[np.eye(3), [[1.0, 0.5, 0.3], [0.5, 1.0, 0.2], [0.3, 0.2, 1.0]]],
)


def correlated(rho):
    return toys.Gaussian(mean=[0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])


def correlated_nd(d, rng):
    """A d-D Gaussian with a random mean and a random covariance with strong correlations."""
    a = rng.standard_normal((d, d))
    return toys.Gaussian(mean=rng.standard_normal(d), cov=a @ a.T / d + 0.2 * np.eye(d))


def oracle_reverse_fit(target, start):
    """Minimise the library's exact KL(q || target) over 1-D Gaussians q, by Nelder-Mead."""

    def objective(t):
        return reverse_kl(target, toys.Gaussian(t[0], math.exp(t[1])))

    res = optimize.minimize(
        objective, [start.mean, math.log(start.std)], method="Nelder-Mead", options={"xatol": 1e-8, "fatol": 1e-13}
    )
    assert res.success, res.message
    return res.x[0], math.exp(res.x[1])


def mixture_score(target, x):
    """d/dx log p(x) of a 1-D toys.GaussianMixture at the float x, from its responsibilities."""
    w, mu, sd = np.asarray(target.weights), np.asarray(target.means), np.asarray(target.stds)
    log_terms = np.log(w) - np.log(sd) - 0.5 * ((x - mu) / sd) ** 2
    r = np.exp(log_terms - log_terms.max())
    return float(np.sum(r * (mu - x) / sd**2) / r.sum())


def kl_gradient(target, m, s):
    """Gradient of the exact KL(N(m, s^2) || target) in (m, s), by scipy.integrate.quad in z:
    (-E[score(m + s z)], -1/s - E[score(m + s z) z]), with breakpoints at the target's means."""
    points = sorted({float(z) for z in (np.asarray(target.means) - m) / s if abs(z) < 12})

    def expect(f):
        value, _ = integrate.quad(
            lambda z: stats.norm.pdf(z) * f(z), -12.0, 12.0, points=points or None, epsabs=1e-13, limit=500
        )
        return value

    grad_m = -expect(lambda z: mixture_score(target, m + s * z))
    grad_s = -1.0 / s - expect(lambda z: mixture_score(target, m + s * z) * z)
    return np.array([grad_m, grad_s])


def exact_stationary_point(target, start):
    """The stationary point (m, s) of the exact KL(N(m, s^2) || target) nearest ``start``: the roots
    of kl_gradient, by fsolve; on a symmetric target from a centred start, m = 0 and s by brentq."""
    if start.mean == 0.0 and np.allclose(target.means, -np.asarray(target.means)[::-1]):
        s = optimize.brentq(lambda s: kl_gradient(target, 0.0, s)[1], 0.5 * start.std, 2.0 * start.std, xtol=1e-14)
        return 0.0, s
    root, info, _, message = optimize.fsolve(
        lambda v: kl_gradient(target, v[0], v[1]), [start.mean, start.std], xtol=1e-11, full_output=True
    )
    assert np.max(np.abs(info["fvec"])) < 1e-12, message
    return float(root[0]), float(root[1])


def exact_mle(x):
    """Sample mean and biased sample covariance of the float samples x (n, d), computed exactly in
    rationals and rounded once: (mean as Fractions, covariance as floats)."""
    n, d = x.shape
    cols = [[Fraction(v) for v in x[:, j].tolist()] for j in range(d)]
    mean = [sum(c) / n for c in cols]
    dev = [[v - m for v in c] for c, m in zip(cols, mean)]
    cov = [[float(sum(a * b for a, b in zip(dev[i], dev[j])) / n) for j in range(d)] for i in range(d)]
    return mean, np.array(cov)


def forward_errors(fit, x, covariance):
    """Whitened errors of a forward fit against the exact MLE, and the tolerance they must meet.

    Errors: the entries of L^-1 (mean - xbar) and of L^-1 cov L^-T - I, where LL^T is the exact
    MLE covariance (its diagonal for "diag"). Tolerance: the documented check, MLE_CHECK_MARGIN
    d^2 tol / min_j L_jj in the coordinates standardised by the sample stds, plus the rounding of
    the fitted mean to a float (one spacing of |xbar| per axis, whitened), which data far from 0
    make visible.
    """
    x = x.reshape(len(x), -1)
    d = x.shape[1]
    q = fit.distribution
    mean_q, cov_q = np.atleast_1d(q.mean), np.atleast_2d(q.var if d == 1 else q.cov)
    xbar, cov = exact_mle(x)
    if covariance == "diag":
        cov = np.diag(np.diag(cov))
    chol = np.linalg.cholesky(cov)
    u = linalg.solve_triangular(chol, [float(Fraction(a) - b) for a, b in zip(mean_q.tolist(), xbar)], lower=True)
    a = linalg.solve_triangular(chol, linalg.solve_triangular(chol, cov_q, lower=True).T, lower=True)
    std = np.sqrt(np.diag(cov))
    limit = MLE_CHECK_MARGIN * d**2 * 1e-7 / np.min(np.diag(chol) / std)
    spacing = np.spacing(np.abs(np.array([float(m) for m in xbar])))
    rounding = np.max(np.abs(np.linalg.inv(chol)) @ spacing)
    return u, a - np.eye(d), limit + 2 * rounding, cov


def stated_stderr(fit):
    """The standard error of a Monte Carlo reverse fit, as ``message`` states it."""
    return float(re.search(r"standard error (\S+) nats", fit.message).group(1))


def assert_converged_history(fit):
    h = fit.history
    assert fit.converged, fit.message
    assert h.shape == (fit.n_iter + 1,)
    assert np.all(np.diff(h) <= 0), "L-BFGS-B accepts only steps that decrease the objective"
    assert h[-1] == h.min() == fit.value
