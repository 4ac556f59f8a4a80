r"""Rényi divergences of every order and Pearson's chi-squared of 2-D Gaussian mixtures by cubature.

With :math:`S = \int p^\alpha q^{1-\alpha}`, :math:`D_\alpha = \ln S/(\alpha - 1)` and
:math:`\chi^2 = S - 1` at :math:`\alpha = 2`. The iterated cubature of
:mod:`divergences.numeric.two_d` integrates, at each outer node x, the 1-D mixtures of the
conditionals in y.

**Finite or not** (:func:`finite`), for mixtures :math:`p = \sum_k w_k N(\mu_k, \Sigma_k)`,
:math:`q = \sum_j v_j N(m_j, \Gamma_j)` and :math:`\alpha > 1`, with precisions
:math:`P_k = \Sigma_k^{-1}`, :math:`G_j = \Gamma_j^{-1}`: S is finite iff in every direction v

.. math:: F(v) = \alpha\min_k v^\top P_k v - (\alpha - 1)\min_j v^\top G_j v > 0 .

If F(v) < 0, along the rays near v :math:`\ln p \ge \ln(w_k N_k)` and
:math:`\ln q \le \max_j \ln N_j`, so the log integrand grows like :math:`t^2` on an open cone:
infinite. If F > 0 everywhere, the directions are covered by finitely many closed cones on each of
which, for every k, some j has :math:`\alpha v^\top P_k v - (\alpha - 1)v^\top G_j v \ge \delta > 0`; there
:math:`p^\alpha q^{1-\alpha} \le \sum_k w_k N_k^\alpha (v_j N_j)^{1-\alpha}` (Jensen, and
:math:`q \ge v_j N_j`) decays like :math:`e^{-\delta|x|^2/2}`: finite. For a single pair this is the
condition of Gil, Alajaji and Linder 2013 (Table 2) that :math:`\alpha\Gamma + (1 - \alpha)\Sigma`
be positive definite. F is checked on 3601 directions, with the slack its rate of change allows
between them; a minimum within that slack of 0 is refused (``NotImplementedError``). The
cubature itself asks more: one component j of Q wide enough against every component of P
(:math:`\alpha P_k - (\alpha - 1)G_j` positive definite for all k), so that the bumps below bound
where the mass lies; a finite pair without one is refused.

Orders in (0, 1) are always finite: :math:`p^\alpha q^{1-\alpha} \le \alpha p + (1 - \alpha)q`.

**Where it lives.** Besides both laws' components, each pair (k, j) with
:math:`A_{kj} = \alpha P_k + (1 - \alpha) G_j` positive definite puts a *bump* of the integrand,
:math:`N_k^\alpha N_j^{1-\alpha} \propto N(A_{kj}^{-1}(\alpha P_k\mu_k + (1 - \alpha)G_j m_j),
A_{kj}^{-1})`, into the panels (outer edges from its x-marginal, inner ones from its conditional),
so laws far apart are integrated where the integrand is, between or beyond them. Beyond 9
standard deviations of every component and bump lies less than 2e-19 of each term of the bound.

**Integrand.** For :math:`\alpha > 1` the positive :math:`q\,\varphi(p/q)`,
:math:`\varphi(u) = u^\alpha - 1 - \alpha(u - 1)` (:func:`divergences.numeric.renyi_1d.log_phi`),
whose integral is S - 1; for :math:`\alpha < 1`, :math:`p^\alpha q^{1-\alpha}` itself. Both are
divided by :math:`e^m`, m the largest log integrand at the components' and bumps' centres
(at least :math:`\ln\min(1, \alpha - 1)`), so that S beyond the largest float keeps its digits.

Accuracy: absolute error <= 1e-6 on :math:`D_\alpha` and :math:`\chi^2` (relative 1e-9 above 1e3),
for orders not within 1e-3 of 1 (there use :func:`divergences.kl`); measured in the tests against
the Gaussian closed forms and ``scipy.integrate`` quadrature.

References
----------
.. [1] M. Gil, F. Alajaji, T. Linder, "Rényi divergence measures for commonly used univariate
   continuous distributions", Information Sciences 249 (2013), Table 2.
.. [2] T. van Erven, P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", IEEE
   Trans. Inf. Theory 60 (2014).
"""

import math

import numpy as np
from scipy import special

from . import components_2d, quadrature, two_d
from .renyi_1d import log_phi

__all__ = ["bumps", "finite", "log_integral"]

#: Relative margin within which a condition of :func:`finite` counts as undecided.
_MARGIN = 1e-9
_ANGLES = np.linspace(0.0, np.pi, 3601)
_LOG_2PI = math.log(2.0 * math.pi)


def finite(mix_p, mix_q, alpha):
    """Whether S is finite for the components ``(w, mu, cov)`` of P and Q (module docstring).

    Raises
    ------
    NotImplementedError
        Where the smallest margin over the directions is too close to 0 to decide.
    """
    if alpha < 1.0:
        return True
    c = alpha - 1.0
    prec_p, prec_q = np.linalg.inv(mix_p[2]), np.linalg.inv(mix_q[2])
    v = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)  # (angles, 2)
    margin = alpha * np.einsum("ai,kij,aj->ak", v, prec_p, v).min(axis=1)
    margin -= c * np.einsum("ai,kij,aj->ak", v, prec_q, v).min(axis=1)
    # each quadratic form v'Mv varies with the angle at most at the rate 2 |M|: between the grid's
    # angles the margin is within (rate) * (half the step) of its values on the grid
    rate = 2.0 * (
        alpha * np.linalg.norm(prec_p, 2, axis=(1, 2)).max() + c * np.linalg.norm(prec_q, 2, axis=(1, 2)).max()
    )
    slack = rate * 0.5 * (_ANGLES[1] - _ANGLES[0])
    if margin.min() < -_MARGIN * rate:
        return False
    if margin.min() <= slack:
        raise NotImplementedError(
            f"the Rényi integral of order {alpha!r} of these 2-D mixtures lies too close to the boundary of finiteness "
            f"to decide: in the worst direction alpha v'P_k v - (alpha - 1) min_j v'G_j v = {margin.min():.3g}, within "
            f"{slack:.2g} of 0"
        )
    return True


def _dominated(mix_p, mix_q, alpha):
    """Whether one component j of Q has alpha P_k - (alpha - 1) G_j positive definite for every k."""
    prec_p, prec_q = np.linalg.inv(mix_p[2]), np.linalg.inv(mix_q[2])
    scale = alpha * np.linalg.norm(prec_p, 2, axis=(1, 2))
    return any(np.all(np.linalg.eigvalsh(alpha * prec_p - (alpha - 1.0) * g)[:, 0] > _MARGIN * scale) for g in prec_q)


def bumps(mix_p, mix_q, alpha):
    """The components ``(w, mu, cov)`` of the bumps N_k^alpha N_j^(1 - alpha) with a positive definite precision."""
    prec_p, prec_q = np.linalg.inv(mix_p[2]), np.linalg.inv(mix_q[2])
    a = alpha * prec_p[:, None] + (1.0 - alpha) * prec_q[None, :]  # (K, J, 2, 2)
    b = (
        alpha * np.einsum("kij,kj->ki", prec_p, mix_p[1])[:, None]
        + (1.0 - alpha) * np.einsum("jil,jl->ji", prec_q, mix_q[1])[None, :]
    )
    a, b = a.reshape(-1, 2, 2), b.reshape(-1, 2)
    ok = np.linalg.eigvalsh(a)[:, 0] > 0
    cov = np.linalg.inv(a[ok])
    return np.ones(int(ok.sum())), np.einsum("kij,kj->ki", cov, b[ok]), 0.5 * (cov + np.swapaxes(cov, 1, 2))


def _logpdf(mix, x):
    """Log density at the points ``x`` (n, 2) of the mixture ``(w, mu, cov)``."""
    w, mu, cov = mix
    d = x[:, None, :] - mu[None]  # (n, K, 2)
    prec = np.linalg.inv(cov)
    quad = np.einsum("nki,kij,nkj->nk", d, prec, d)
    logdet = np.linalg.slogdet(cov)[1]
    return special.logsumexp(np.log(w) - 0.5 * (quad + logdet + 2.0 * _LOG_2PI), axis=1)


def log_integral(p, q, alpha):
    """``ln S`` for 2-D Gaussians or Gaussian mixtures ``p``, ``q``; ``inf`` where S is infinite."""
    mix_p, mix_q = components_2d.components(p), components_2d.components(q)
    if not finite(mix_p, mix_q, alpha):
        return math.inf
    if alpha > 1.0 and not _dominated(mix_p, mix_q, alpha):
        raise NotImplementedError(
            f"the Rényi integral of order {alpha!r} of {p!r} and {q!r} is finite, but no single component of Q is wide "
            "enough against every component of P: the cubature, which places its panels on the bumps of single pairs "
            "of components, does not bound where its mass lies"
        )
    mix_b = bumps(mix_p, mix_q, alpha)
    c, s = two_d._frame([mix_p, mix_q, mix_b], [p, q])
    mp_, mq_, mb_ = (components_2d.moved(m, c, s) for m in (mix_p, mix_q, mix_b))
    # S is invariant under the map: the powers of the densities sum to 1, each gains the Jacobian s^2
    parts = [two_d._marginal_parts(m) for m in (mp_, mq_, mb_)]
    xedges = np.concatenate([two_d._axis_edges(part) for part in parts])
    points = np.concatenate([mp_[1], mq_[1], mb_[1]])
    lp, lq = _logpdf(mp_, points), _logpdf(mq_, points)
    if alpha > 1.0:
        top = max(float(np.max(log_phi(lp, lq, alpha))), math.log(min(1.0, alpha - 1.0)))
    else:
        top = float(np.max(alpha * lp + (1.0 - alpha) * lq))

    def integrand(lp, lq):
        with np.errstate(over="ignore", under="ignore"):
            if alpha > 1.0:
                return np.exp(log_phi(lp, lq, alpha) - top)
            return np.exp(alpha * lp + (1.0 - alpha) * lq - top)

    def inner(x, _row):
        xs = x.ravel()
        rows_b = two_d._conditional_rows(parts[2], xs)
        lo_b, hi_b = two_d._window(rows_b)
        rows = [two_d._conditional_rows(part, xs) for part in parts[:2]]
        windows = [two_d._window(r) for r in rows]
        lo = np.minimum.reduce([lo_b, *(w[0] for w in windows)])
        window = (lo, np.maximum.reduce([hi_b, *(w[1] for w in windows)]))
        rows_p, rows_q = (two_d._conditional_rows(part, xs, window) for part in parts[:2])
        edges = np.concatenate([two_d._inner_edges(rows_p, rows_q), two_d._inner_edges(rows_b)], axis=1)
        panels = quadrature.panels_from_edges(edges)

        def f(y, row):
            return integrand(rows_p.logpdf(y, row), rows_q.logpdf(y, row))

        return quadrature.adaptive(f, panels, xs.size, **two_d.INNER_TOL).reshape(x.shape)

    j = float(quadrature.adaptive(inner, quadrature.panels_from_edges([xedges]), 1, **two_d.OUTER_TOL)[0])
    if not math.isfinite(j):
        raise RuntimeError(f"the Rényi integrand of {p!r} and {q!r} overflowed its scale (a missed peak)")
    if alpha < 1.0:
        return top + math.log(j) if j > 0 else -math.inf
    return math.log1p(math.exp(top) * j) if top < 700.0 else top + math.log(j)
