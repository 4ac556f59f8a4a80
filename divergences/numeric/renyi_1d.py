r"""Rényi divergences of order alpha > 1 and Pearson's chi-squared of 1-D laws by quadrature.

For :math:`\alpha > 1` write :math:`S = \int p^\alpha q^{1-\alpha}`, so that
:math:`D_\alpha = \ln S/(\alpha - 1)` and :math:`\chi^2 = S - 1` at :math:`\alpha = 2`. This module
computes :math:`\ln S` for many pairs at once:

1. **Finite or not** (:func:`divergences.numeric.renyi_tails.decide`): from the supports and the
   tail classes of the laws (Gaussian, exponential, bounded), exactly; ``inf`` where the integral
   diverges; ``NotImplementedError`` naming the law whose tails are unknown. Two finite laws
   are summed; a finite law against a continuous one is mutually singular with it: ``inf``.
2. **A positive integrand.** :math:`S - 1 = \int q\,\varphi(p/q)` with
   :math:`\varphi(u) = u^\alpha - 1 - \alpha(u - 1) \ge 0`: the f-divergence (Csiszár 1967) of
   :math:`\varphi`, which differs from :math:`u^\alpha - 1` by a multiple of :math:`u - 1`, whose
   integral :math:`\int q(p/q - 1)` is 0. No cancellation between large terms: where P and Q
   nearly agree, :math:`\chi^2` of 1e-12 keeps its digits.
   :math:`\varphi` is computed from :math:`L = \ln p - \ln q`: by its series
   :math:`\sum_{n\ge2}(\alpha^n - \alpha)L^n/n!` where :math:`|\alpha L| < 1/2`, as
   :math:`(\alpha - 1)(e^L L\,\mathrm{exprel}((\alpha - 1)L) - \mathrm{expm1}(L))` in between, and
   in logs, :math:`\alpha L + \ln(-\mathrm{expm1}(\ln\alpha - (\alpha - 1)L) + (\alpha - 1)e^{-\alpha
   L})`, where :math:`L \ge \ln\alpha/(\alpha - 1)` (the terms are then both non-negative).
3. **Where it lives.** Panels from both laws' features (:mod:`divergences.numeric.panels`), the
   window moved out until the explicit tail bounds hold less than :math:`e^{-75}`
   (:func:`divergences.numeric.renyi_tails.reach`), and edges around each bump of the integrand,
   where a component k of P and j of Q meet: centre :math:`b_{kj}/a_{kj}`, width
   :math:`a_{kj}^{-1/2}`, with :math:`a_{kj} = \alpha/\sigma_k^2 - (\alpha - 1)/\sigma_j^2`. Two laws
   far apart put the mass of the integrand far outside both windows: it is found there.
4. **Log scaling.** The integrand is divided by a per-pair scale :math:`e^m`, :math:`m` the log
   of a first K21 pass over those panels, so :math:`D_\alpha` of 1e3, 1e6 or more (S far beyond the
   largest float) is computed as :math:`(m + \ln J)/(\alpha - 1)`. Then adaptive Gauss-Kronrod
   (:mod:`divergences.numeric.quadrature`, per panel 1e-14 absolute on the scaled integrand, 1e-12
   relative).

Accuracy: relative 1e-9 on :math:`D_\alpha` and on :math:`\chi^2` (absolute 1e-11 where they are
below 1e-2), for pairs of toys in the pair's coordinates of :mod:`divergences.numeric.pairs`
(measured against mpmath quadrature and the Gaussian closed forms in the tests). Pairs whose
widest components lie within 1e-4 of the boundary of finiteness are refused
(:data:`divergences.numeric.renyi_tails.NEAR`).

References
----------
.. [1] T. van Erven, P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", IEEE
   Trans. Inf. Theory 60 (2014).
.. [2] I. Csiszár, "Information-type measures of difference of probability distributions and
   indirect observations", Studia Sci. Math. Hungarica 2 (1967).
"""

import math

import numpy as np
from scipy import special

from . import quadrature
from .pairs import standardise
from .panels import OFFSETS, row_edges
from .renyi_tails import decide, is_discrete, peak_edges, reach
from .rows import Rows

__all__ = ["chi2", "evaluate", "log_integral", "log_phi", "renyi"]

#: Terms of the series of phi, used where |alpha L| < _SMALL: the first left out is below 1e-40.
_TERMS = 30
_SMALL = 0.5


def evaluate(names, ps, qs, alpha=None):
    """``{"chi2": ..., "renyi": ...}`` for those of the two in ``names`` (renyi if ``alpha`` > 1), each
    an array of shape (B,): one integral serves both where ``alpha`` is 2."""
    out = {}
    if "renyi" in names and alpha is not None and alpha > 1.0:
        log_s = log_integral(ps, qs, alpha)
        out["renyi"] = np.maximum(log_s / (alpha - 1.0), 0.0)
        if "chi2" in names and alpha == 2.0:
            with np.errstate(over="ignore"):
                out["chi2"] = np.maximum(np.expm1(log_s), 0.0)
    if "chi2" in names and "chi2" not in out:
        out["chi2"] = chi2(ps, qs)
    return out


def renyi(ps, qs, alpha):
    """D_alpha(ps[i] || qs[i]) for alpha > 1, in nats; array of shape (B,), ``inf`` where infinite.

    Raises
    ------
    NotImplementedError
        Where the decision of finiteness needs tails the toolkit does not know, or the pair lies
        beyond what the quadrature resolves (:mod:`divergences.numeric.pairs`).
    """
    return np.maximum(log_integral(ps, qs, alpha) / (alpha - 1.0), 0.0)


def chi2(ps, qs):
    """chi^2(ps[i] || qs[i]) = S - 1 at alpha = 2; array of shape (B,), ``inf`` where infinite or beyond floats."""
    with np.errstate(over="ignore"):
        return np.maximum(np.expm1(log_integral(ps, qs, 2.0)), 0.0)


def log_integral(ps, qs, alpha):
    r"""``ln S = ln(1 + int q phi(p/q))`` for each pair of 1-D laws, alpha > 1; ``inf`` where infinite."""
    ps, qs = list(ps), list(qs)
    out = np.full(len(ps), np.nan)
    todo = []
    for i, (p, q) in enumerate(zip(ps, qs, strict=True)):
        if is_discrete(p) or is_discrete(q):
            out[i] = _finite(p, q, alpha) if is_discrete(p) and is_discrete(q) else math.inf
        elif decide(p, q, alpha):
            todo.append(i)
        else:
            out[i] = math.inf
    if todo:
        out[todo] = _quadrature([ps[i] for i in todo], [qs[i] for i in todo], alpha)
    return out


def _finite(p, q, alpha):
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    if np.any((a > 0) & (b == 0)):
        return math.inf
    seen = b > 0
    with np.errstate(divide="ignore"):
        terms = np.exp(log_phi(np.log(a[seen]), np.log(b[seen]), alpha))
    return math.log1p(math.fsum(terms))


def _quadrature(ps, qs, alpha):
    views = [standardise(p, q) for p, q in zip(ps, qs, strict=True)]
    cache, edges = {}, []
    for vp, vq, _, _ in views:
        e = row_edges(vp, vq, cache)
        window = (min(cache[id(vp)][1][0], cache[id(vq)][1][0]), max(cache[id(vp)][1][1], cache[id(vq)][1][1]))
        lo, hi = reach(vp, vq, alpha, window)
        edges.append(np.concatenate([e[(e >= lo) & (e <= hi)], [lo, hi], peak_edges(vp, vq, alpha, lo, hi, OFFSETS)]))
    panels = quadrature.panels_from_edges(edges)
    rows_p, rows_q = Rows([v[0] for v in views]), Rows([v[1] for v in views])

    scale = _scale(rows_p, rows_q, alpha, panels, len(views))

    def f(x, row):
        with np.errstate(over="ignore"):
            return np.exp(log_phi(rows_p.logpdf(x, row), rows_q.logpdf(x, row), alpha) - scale[row][:, None])

    j = quadrature.adaptive(f, panels, len(views))
    if not np.all(np.isfinite(j)):
        bad = int(np.flatnonzero(~np.isfinite(j))[0])
        raise RuntimeError(f"the Rényi integrand of {ps[bad]!r} and {qs[bad]!r} overflowed its scale (a missed peak)")
    with np.errstate(divide="ignore", over="ignore"):
        small = np.log1p(np.exp(np.minimum(scale, 700.0)) * j)
        return np.where(scale < 700.0, small, scale + np.log(j))


def _scale(rows_p, rows_q, alpha, panels, n_rows):
    r"""Per row, the log of the scale by which the integrand is divided before the adaptive quadrature.

    The log of a first K21 pass of the integral, so that the scaled integral is O(1), plus the log
    of ``w = max(1, |ln S|, G / 10)``, ``G`` the largest :math:`\alpha|\ln p| + (\alpha - 1)|\ln q|`
    where the integrand has its mass: the quadrature's absolute 1e-14 per panel is then a relative
    ``1e-14 w`` of S, an error of ``1e-14 w`` on ``ln S``, within the 1e-9 relative promised, and
    above the rounding of the log integrand (relative ``1e-16 G``), which a stricter tolerance
    would chase without end. Where the integral is below ``min(1, alpha - 1)`` (P and Q nearly
    agree) it is not scaled up: an absolute error then, far below the promised 1e-9.
    """
    a, b, row = panels
    x, half = quadrature.nodes(a, b)
    lp, lq = rows_p.logpdf(x, row), rows_q.logpdf(x, row)
    lf = log_phi(lp, lq, alpha)
    top = np.full(n_rows, -np.inf)
    np.maximum.at(top, row, lf.max(axis=1))
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(under="ignore", invalid="ignore"):
        first = np.bincount(row, weights=half * (np.exp(lf - top[row][:, None]) @ quadrature.WK), minlength=n_rows)
        size = np.where(lp > -np.inf, alpha * np.abs(lp), 0.0) + (alpha - 1.0) * np.abs(lq)
        size = np.where(lf >= top[row][:, None] - 50.0, size, 0.0).max(axis=1)
    big = np.zeros(n_rows)
    np.maximum.at(big, row, size)
    with np.errstate(divide="ignore"):
        scale = np.maximum(np.where(first > 0, top + np.log(first), 0.0), math.log(min(1.0, alpha - 1.0)))
    return scale + np.log(np.maximum.reduce([np.ones(n_rows), np.abs(scale), big / 10.0]))


def log_phi(lp, lq, alpha):
    r"""``log(q phi(p / q))`` with :math:`\varphi(u) = u^\alpha - 1 - \alpha(u - 1)`, from the log densities.

    Parameters
    ----------
    lp, lq : numpy.ndarray
        Log densities (or masses) of P and Q at the same points; ``-inf`` where they vanish.
    alpha : float
        The order, > 1.

    Returns
    -------
    numpy.ndarray
        ``-inf`` where the integrand is 0 (p = q, or q = 0); :math:`\ln q + \ln(\alpha - 1)` where
        p = 0 < q. (Points with p > 0 = q do not occur: such pairs are infinite, decided before.)
    """
    c = alpha - 1.0
    log_alpha = math.log1p(c)
    with np.errstate(all="ignore"):
        lp, lq = np.asarray(lp, dtype=float), np.asarray(lq, dtype=float)
        ell = lp - lq
        near = np.abs(alpha * ell) < _SMALL
        series = _series(np.where(near, ell, 0.0), alpha)
        high = ell >= log_alpha / c
        big = alpha * ell + np.log(-np.expm1(log_alpha - c * ell) + c * np.exp(-alpha * ell))
        mid = np.log(c * (np.exp(ell) * ell * special.exprel(c * ell) - np.expm1(ell)))
        out = lq + np.where(near, np.log(series), np.where(high, big, mid))
        out = np.where(lp == -np.inf, lq + math.log(c), out)
        return np.where(lq == -np.inf, -np.inf, out)


def _series(ell, alpha):
    """sum_{n=2}^{_TERMS} (alpha^n - alpha) ell^n / n!, with alpha^n - alpha = alpha expm1((n - 1) log alpha)."""
    n = np.arange(2, _TERMS + 1)
    coef = alpha * np.expm1((n - 1) * math.log(alpha)) / special.factorial(n)
    acc = np.zeros_like(ell)
    for cn in coef[::-1]:
        acc = acc * ell + cn
    return ell * ell * acc
