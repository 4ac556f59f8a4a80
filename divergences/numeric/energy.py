r"""The numeric path of the energy distance: quadrature of :math:`2\int(F_P - F_Q)^2` in 1-D, projections in 2-D.

**1-D.** :math:`\mathcal E(P, Q) = 2\int (F_P - F_Q)^2\,dx` (Székely and Rizzo 2013, Sec. 2), by the
vectorised adaptive Gauss-Kronrod quadrature (:mod:`divergences.numeric.quadrature`) on the panels
of the W1 path (:func:`divergences.numeric.panels.row_edges`), every pair of a curve at once, in
the pair's coordinates scaled by the larger structure scale ``s`` (:func:`pairs.standardise`,
``unit="large"``) and scaled back: :math:`\mathcal E` is in the units of the points,
:math:`\mathcal E(aX, aY) = |a|\,\mathcal E(X, Y)`. The integrand is smooth on every panel (the
ends of supports and the atoms are edges), so no kink is left to the halving. Two laws whose
windows do not meet (:func:`pairs.separated`; one lies to the left of the other but for 1e-17 of
their mass) have :math:`E|X - Y| = |E Q - E P|`, so
:math:`\mathcal E = 2|E Q - E P| - E|X - X'| - E|Y - Y'|` with :math:`E|X - X'| = 2\int F(1 - F)`
integrated for each law in its own coordinates. Absolute error <= 1e-9 ``s`` (relative 1e-12
above 1e3 ``s``), as the W1 path; measured against ``scipy.integrate.quad`` and the closed forms
in the tests.

**2-D.** In the plane :math:`\|x\| = \tfrac14\int_0^{2\pi}|\langle u_\varphi, x\rangle|\,d\varphi
= \tfrac12\int_0^\pi |\langle u_\varphi, x\rangle|\,d\varphi`,
:math:`u_\varphi = (\cos\varphi, \sin\varphi)`, since :math:`\int_0^{2\pi}|\cos\varphi|\,d\varphi
= 4`; taking expectations of the three terms,

.. math:: \mathcal E(P, Q) = \tfrac12\int_0^\pi \mathcal E(P_\varphi, Q_\varphi)\,d\varphi,

with :math:`P_\varphi` the law of :math:`\langle u_\varphi, X\rangle`. For Gaussians and Gaussian
mixtures the projections are 1-D Gaussians and mixtures, whose energy is in closed form
(:mod:`divergences.closed_forms.energy`: two terms of one sign for a Gaussian pair, the signed
sum over components for mixtures). For the lines of the WGAN paper, :class:`toys.ShiftedLine`
(sigma = 0) and :class:`toys.SmoothedLine`, the projection of :math:`(\theta, U) + \sigma E` is
:math:`\theta\cos\varphi + U\sin\varphi + \sigma N`, and each of the three expectations is
:math:`E|c + wW + sN|` with W = U - U' triangular on [-1, 1]: the second difference of
:math:`E|z + sN|^3` in closed form (:func:`triangular_mean`; a Taylor expansion where w < s / 100);
for two ShiftedLines this checks the path against their closed form. The integrand is smooth and
periodic (the angles where a line's projection changes regime are panel edges; for mixtures the
first panels are a quarter as wide as the narrowest range of angles over which two components'
projections overlap, :func:`_angular_width`, at most 256 of them) and integrated by
the same adaptive Gauss-Kronrod rule to 1e-13 ``s`` per panel (relative 1e-12), ``s`` the largest
standard deviation of a component (for the lines, max(1, sigma)). Absolute error <= 1e-9 ``s``
(measured: within 1e-12 of the isotropic and the lines' closed forms, and of :func:`triangular_mean`
against ``scipy.integrate.quad``), far
within the 1e-6 of the 2-D paths; a mixture pair whose signed sum cancels beyond 1e-7 ``s`` is
refused. Other 2-D pairs (a line against a Gaussian), and every pair in 3 or more dimensions
without a closed form, raise ``NotImplementedError``.
"""

import math

import numpy as np
from scipy import special

from toys import ShiftedLine, SmoothedLine

from ..closed_forms.energy import MAX_COMPONENTS, gaussian_energy, mixture_energy, norm_mean, pair_weights
from . import quadrature
from .one_d import _distance_of_means, _own_edges
from .pairs import affine, check_resolution, separated, standardise
from .panels import edges_and_window, row_edges, scale_of
from .rows import Rows

__all__ = ["evaluate", "method", "triangular_mean"]

#: Per-panel accuracy of the quadratures, in units of the pair's scale.
TOL = {"atol": 1e-13, "rtol": 1e-12}
#: Largest rounding bound of a projected mixture's signed sum accepted, in units of the pair's scale.
_PLANE_ROUNDING = 1e-7
#: Below this ratio of the width of a projected line to its smoothing, its mean distance is a Taylor expansion.
_TAYLOR = 0.01
_LINES = (ShiftedLine, SmoothedLine)
#: Most panels the quadrature over the angles starts from.
_MAX_START = 256
#: Entries of the (angles, pairs) arrays of a projected mixture evaluated at once.
_CHUNK = 2_000_000


def evaluate(ps, qs, **params):
    """``energy(ps[i], qs[i])`` for every pair, by the numeric path alone; an array of shape (B,).

    Raises ``NotImplementedError`` (before any work) for a pair the path does not cover.
    """
    for p, q in zip(ps, qs, strict=True):
        _check(p, q)
    out = np.empty(len(ps))
    flat = [i for i, p in enumerate(ps) if p.dim == 1]
    if flat:
        out[flat] = _line([ps[i] for i in flat], [qs[i] for i in flat])
    for i, (p, q) in enumerate(zip(ps, qs)):
        if p.dim == 2:
            out[i] = _plane(p, q)
    return np.maximum(out, 0.0)


def method(p, q, **params):
    """How :func:`evaluate` computes the pair: ``"quadrature"`` (1-D) or ``"cubature"`` (2-D projections)."""
    _check(p, q)
    return "quadrature" if p.dim == 1 else "cubature"


def _check(p, q):
    if p.dim == 1:
        return
    names = f"energy({type(p).__name__}, {type(q).__name__})"
    if p.dim != 2:
        raise NotImplementedError(
            f"{names} in {p.dim} dimensions has no closed form, and the numeric path covers 1-D and 2-D; "
            "estimate it from samples with divergences.empirical.energy"
        )
    lines = isinstance(p, _LINES) and isinstance(q, _LINES)
    if not (lines or (hasattr(p, "as_mixture") and hasattr(q, "as_mixture"))):
        raise NotImplementedError(
            f"{names} has no closed form, and the 2-D numeric path covers Gaussians and Gaussian mixtures, and "
            "the lines ShiftedLine and SmoothedLine; estimate it from samples with divergences.empirical.energy"
        )


# -- 1-D ----------------------------------------------------------------------------------------
def _line(ps, qs):
    out = np.empty(len(ps))
    apart = [separated(p, q) for p, q in zip(ps, qs)]
    near = [i for i, a in enumerate(apart) if not a]
    if near:
        views = [standardise(ps[i], qs[i], unit="large") for i in near]
        a, b = [v[0] for v in views], [v[1] for v in views]
        cache = {}
        panels = quadrature.panels_from_edges([row_edges(x, y, cache) for x, y in zip(a, b)])
        rows_p, rows_q = Rows(a), Rows(b)

        def squared_gap(x, row):
            g = rows_p.cdf(x, row) - rows_q.cdf(x, row)
            return g * g

        values = quadrature.adaptive(squared_gap, panels, len(near), **TOL)
        out[near] = 2.0 * values * np.array([v[3] for v in views])
    for i in (i for i, a in enumerate(apart) if a):
        p, q = ps[i], qs[i]
        out[i] = 2.0 * _distance_of_means(p, q) - _gini(p) - _gini(q)
    return out


def _gini(law):
    """E|X - X'| = 2 * integral of F (1 - F), in the law's own coordinates, scaled back."""
    lo, hi = edges_and_window(law)[1]
    centre = 0.5 * lo + 0.5 * hi
    c = centre if abs(centre) > 16.0 * (hi - lo) else 0.0
    s = 2.0 ** round(math.log2(scale_of(law)))
    check_resolution(law, c)
    view = affine(law, c, s)
    panels = quadrature.panels_from_edges([_own_edges(view, {})])
    rows = Rows([view])

    def spread(x, row):
        f = rows.cdf(x, row)
        return f * (1.0 - f)

    return 2.0 * s * float(quadrature.adaptive(spread, panels, 1, **TOL)[0])


# -- 2-D ----------------------------------------------------------------------------------------
def _plane(p, q):
    """(1/2) * integral over [0, pi] of the energy of the projections, by adaptive Gauss-Kronrod."""
    if isinstance(p, _LINES):
        (tp, sp), (tq, sq) = _line_parameters(p), _line_parameters(q)
        shift, scale = abs(tq - tp), max(1.0, sp, sq)
        spreads = (math.hypot(sp, sq), math.sqrt(2.0) * sp, math.sqrt(2.0) * sq)

        def projected(phi):
            w, c = np.sin(phi), shift * np.cos(phi)
            within = triangular_mean(0.0, w, spreads[1]) + triangular_mean(0.0, w, spreads[2])
            return 2.0 * triangular_mean(c, w, spreads[0]) - within

        # edges where the shift equals the width (kinks of the integrand when sigma = 0), and where
        # triangular_mean changes formula
        edges = [math.atan(shift)] + [math.asin(_TAYLOR * s) for s in spreads if 0.0 < _TAYLOR * s < 1.0]
        edges = np.concatenate([np.linspace(0.0, math.pi, 9), edges, [math.pi - e for e in edges]])
    else:
        projected, scale, width = _mixtures_projected(p, q)
        edges = np.linspace(0.0, math.pi, 1 + int(np.clip(math.ceil(math.pi / (4.0 * width)), 8, _MAX_START)))
    edges = np.unique(edges)
    panels = quadrature.panels_from_edges([edges])
    tol = {"atol": TOL["atol"] * scale, "rtol": TOL["rtol"]}
    total = quadrature.adaptive(lambda x, row: projected(x.ravel()).reshape(x.shape), panels, 1, **tol)
    return 0.5 * float(total[0])


def _line_parameters(d):
    """``(theta, sigma)`` of a line of the WGAN paper, sigma = 0 for the unsmoothed one."""
    return d.theta, getattr(d, "sigma", 0.0)


def triangular_mean(c, w, s):
    r"""E|c + wW + sN| elementwise, with W = U - U' triangular on [-1, 1] and N ~ N(0, 1) independent.

    Parameters
    ----------
    c : array_like
        Centres.
    w : array_like
        Half-widths of the triangle, >= 0 (broadcast against ``c``).
    s : float
        Standard deviation of the Gaussian part, >= 0.

    Returns
    -------
    numpy.ndarray
        The mean distances, in the units of ``c``; within ~1e-12 relative (measured against
        ``scipy.integrate.quad`` in the tests).

    Notes
    -----
    :math:`E[A(c + wW)]` with :math:`A(z) = E|z + sN|` is the second difference
    :math:`[M(c + w) - 2M(c) + M(c - w)]/(6w^2)` of :math:`M(z) = E|z + sN|^3 = s^3 M_3(z/s)`,
    :math:`M_3(r) = (|r|^3 + 3|r|)\,\mathrm{erf}(|r|/\sqrt2) + 2(r^2 + 2)\varphi(r)` (the third
    absolute moment of a normal law). Its polynomial part :math:`|r|^3 + 3|r|` is differenced
    exactly; the rest is bounded by 1.6, so its difference loses at most 1e-16 / v^2 with
    v = w / s. Below v = 1/100 the expansion :math:`A + A^{(2)}w^2/12 + A^{(4)}w^4/360`
    (:math:`E W^2 = 1/6`, :math:`E W^4 = 1/15`) is used instead.

    Examples
    --------
    >>> from divergences.numeric.energy import triangular_mean
    >>> round(float(triangular_mean(0.0, 1.0, 0.0)), 10)  # E|W| = 1/3
    0.3333333333
    """
    c, w = np.broadcast_arrays(np.abs(np.asarray(c, dtype=float)), np.asarray(w, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        if s == 0.0:  # E|c + wW|: |c| where the triangle does not reach 0
            return np.where(c >= w, c, (w * w * w + 3.0 * w * c * c - c * c * c) / (3.0 * w * w))
        r, v = c / s, w / s
        dens = np.exp(-0.5 * r * r) / math.sqrt(2.0 * math.pi)
        taylor = norm_mean(r, 1.0) + v * v * dens / 6.0 + v**4 * (r * r - 1.0) * dens / 180.0
        cubic = np.where(r >= v, 6.0 * r * v * v, 2.0 * v**3 + 6.0 * r * r * v - 2.0 * r**3)
        linear = np.where(r >= v, 0.0, 2.0 * (v - r))
        rest = _cubic_rest(r + v) - 2.0 * _cubic_rest(r) + _cubic_rest(np.abs(r - v))
        second = (cubic + 3.0 * linear + rest) / (6.0 * v * v)
    return s * np.where(v < _TAYLOR, taylor, second)


def _cubic_rest(x):
    """E|x + N|^3 - x^3 - 3x for x >= 0: 2(x^2 + 2) phi(x) - (x^3 + 3x) erfc(x / sqrt 2), in [0, 1.6]."""
    dens = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    return 2.0 * (x * x + 2.0) * dens - (x**3 + 3.0 * x) * special.erfc(x / math.sqrt(2.0))


def _angular_width(diff, total):
    """The narrowest range of angles over which a pair of components' projections overlap: s_min / |Delta|.

    Where the projected difference of the means crosses 0, the projected energy changes over an
    angle of about the smallest standard deviation of the difference over its length; the first
    panels are a quarter of that wide, so that the quadrature's nodes see every such feature.
    """
    dist = np.linalg.norm(diff, axis=-1)
    s_min = np.sqrt(np.maximum(np.linalg.eigvalsh(total)[..., 0], 0.0))
    with np.errstate(divide="ignore"):
        ratio = np.where(dist > 0, s_min / dist, np.inf)
    return float(np.min(ratio, initial=np.inf))


def _mixtures_projected(p, q):
    """The energy of the projections of two 2-D Gaussians or mixtures as a function of the angles, their
    scale, and the narrowest angular feature (:func:`_angular_width`)."""
    (wp, mp, cp), (wq, mq, cq) = (d.as_mixture() for d in (p, q))
    scale = math.sqrt(max(float(np.linalg.eigvalsh(c).max()) for c in (*cp, *cq)))
    if len(wp) == 1 and len(wq) == 1:
        dm, sp, sq, dc = mq[0] - mp[0], cp[0], cq[0], cp[0] - cq[0]

        def gaussians(phi):
            u = np.stack([np.cos(phi), np.sin(phi)], axis=1)  # (N, 2)
            s1, s2 = (np.sqrt(np.einsum("ni,ij,nj->n", u, c, u)) for c in (sp, sq))
            ds = np.einsum("ni,ij,nj->n", u, dc, u) / (s1 + s2)  # s1 - s2 from the difference of the covariances
            return gaussian_energy(u @ dm, s1, s2, ds)

        return gaussians, scale, _angular_width(dm, sp + sq)
    keys = np.concatenate([np.concatenate([m, c.reshape(-1, 4)], axis=1) for m, c in ((mp, cp), (mq, cq))])
    keys, inverse = np.unique(keys, axis=0, return_inverse=True)  # shared components: weights subtract
    c = np.bincount(inverse.ravel(), weights=np.concatenate([wp, -wq]), minlength=len(keys))
    keep = c != 0
    c, m, cov = c[keep], keys[keep, :2], keys[keep, 2:].reshape(-1, 2, 2)
    if len(c) > MAX_COMPONENTS:
        raise NotImplementedError(
            f"energy({p!r}, {q!r}): the 2-D numeric path sums over at most {MAX_COMPONENTS} components, "
            f"got {len(c)}; estimate it from samples with divergences.empirical.energy"
        )
    iu, iv, w = pair_weights(c)
    diff = m[iu] - m[iv]  # (n, 2): differences first, exact for laws far from the origin
    total = cov[iu] + cov[iv]  # (n, 2, 2)

    def mixtures(phi):
        out = np.empty(phi.size)
        step = max(1, _CHUNK // w.size)
        for start in range(0, phi.size, step):
            cs, sn = (f(phi[start : start + step])[:, None] for f in (np.cos, np.sin))  # (angles, 1)
            d = cs * diff[:, 0] + sn * diff[:, 1]  # (angles, n)
            var = cs * cs * total[:, 0, 0] + 2.0 * cs * sn * total[:, 0, 1] + sn * sn * total[:, 1, 1]
            value, bound = mixture_energy(w, d, np.sqrt(np.maximum(var, 0.0)))
            if np.any(bound > _PLANE_ROUNDING * scale):
                raise NotImplementedError(
                    f"energy({p!r}, {q!r}): the components lie so far apart relative to their scale that the "
                    f"signed sum over them cancels beyond {_PLANE_ROUNDING:g} of it; estimate it from samples "
                    "with divergences.empirical.energy"
                )
            out[start : start + step] = value
        return out

    width = _angular_width(diff, total)
    return (mixtures if len(c) else (lambda phi: np.zeros(phi.size))), scale, width
