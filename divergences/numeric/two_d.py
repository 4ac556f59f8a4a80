r"""The numeric path in two dimensions.

**Coordinates.** Divergences are invariant under ``x -> (x - c) / s`` (W1 scales by ``s``), so
both paths work in coordinates centred and scaled on the pair: ``c`` the centre of the box
holding every component's mean +- 10 marginal standard deviations, where that centre lies more
than 16 box widths from the origin (0 otherwise), ``s`` a power of two (exact scaling). A law
with a component more than ``pairs.MAX_OFFSET`` (1e6) of its standard deviations from ``c`` is
refused, as is a pair whose component standard deviations differ by more than
``pairs.MAX_SCALE_RATIO`` (1e12): rounding of the nodes there would exceed the accuracy below.
Two laws whose boxes do not meet are separated: TV is 1 and JS ln 2 (within 1e-18), and KL is
integrated over the first law's box alone, in its own coordinates.

**TV, KL and JS** between 2-D Gaussians and Gaussian mixtures, by iterated adaptive
Gauss-Kronrod cubature: :math:`\int\!\!\int f(x, y)\,dy\,dx`. The outer integral over x
starts from panels every 2 sigma_x over mu_x +- 9 sigma_x of every component and is refined
adaptively (:mod:`divergences.numeric.quadrature`), which also resolves the kinks of the TV
integrand in x (for example where two laws differ only along x). At each outer node the joint
density is a 1-D mixture in y whose components are the conditionals
:math:`y \mid x \sim N(\mu_y + \tfrac{\Sigma_{xy}}{\Sigma_{xx}}(x - \mu_x),\ \Sigma_{yy} -
\tfrac{\Sigma_{xy}^2}{\Sigma_{xx}})` weighted by the x-marginals, so the inner panels follow each
component's conditional ridge however strong the correlation; the inner integrals are the 1-D
ones of :mod:`divergences.numeric.one_d` (TV's panels split where p - q changes sign). At each
outer node only the components weighing within e^-150 of the largest are evaluated, and those
within e^-80 place inner panels. Absolute error <= 1e-6, relative 1e-9 above 1e3 (checked in the
tests against closed-form KL, ``scipy.integrate.dblquad``, bounds for separated mixtures, and
invariance under translation, scaling and rotation).

**W1** by exact optimal transport between discretisations: :mod:`divergences.numeric.transport_2d`.
"""

import math

import numpy as np

from toys import ShiftedLine

from . import components_2d, one_d, quadrature, transport_2d
from .one_d import RANGES
from .pairs import MAX_OFFSET, MAX_SCALE_RATIO
from .rows import Rows

#: Panel edges of a component along an axis, every 2 of its scales (mass beyond 9 sigma: 2e-19).
OFFSETS_2D = np.arange(-9.0, 9.5, 2.0)
_DROP = 80.0
#: Components weighing less than e^-_KEEP of the largest at an outer node x are not evaluated there.
_KEEP = 150.0
#: A component that can come within e^-_MARGIN of the mixture's density where its log is integrated is kept.
_MARGIN = 40.0
#: Per-panel accuracy of the inner (y) and outer (x) integrals, for a total well within 1e-6.
INNER_TOL = {"atol": 1e-12, "rtol": 1e-10}
OUTER_TOL = {"atol": 1e-10, "rtol": 1e-9}
_LOG_2PI = float(np.log(2 * np.pi))
_LOG2 = float(np.log(2.0))


def refusal(name, p, q):
    """Why the 2-D numeric path does not cover ``name(p, q)``, or None if it does.

    TV, KL and JS need Gaussians or Gaussian mixtures (laws that describe themselves with
    ``as_mixture``); W1 also takes :class:`toys.ShiftedLine`.
    """
    if name not in ("tv", "kl", "js", "w1", "hellinger", "chi2", "renyi"):
        return f"the 2-D numeric path computes tv, kl, js, hellinger, chi2, renyi and w1, not {name}"
    kinds = (ShiftedLine,) if name == "w1" else ()
    for d in (p, q):
        if not (hasattr(d, "as_mixture") or isinstance(d, kinds)):
            covered = "Gaussians, mixtures and ShiftedLine" if name == "w1" else "Gaussians and mixtures"
            return f"the 2-D numeric path of {name} covers {covered}, not {type(d).__name__}"
    return None


def evaluate(name, p, q, max_points=transport_2d.MAX_POINTS, alpha=None):
    """Divergence ``name`` between two 2-D laws by cubature (TV, KL, JS, chi2, Rényi) or transport (W1).

    Parameters
    ----------
    name : {"tv", "kl", "js", "hellinger", "chi2", "renyi", "w1"}
    p, q : toys
        Gaussians or Gaussian mixtures; these or :class:`toys.ShiftedLine` for W1.
    max_points : int
        Size of each discretisation for W1 (cost of the transport grows like its cube).
    alpha : float, optional
        The order of ``"renyi"`` (:mod:`divergences.numeric.renyi_2d`, which also computes chi2).

    Returns
    -------
    float
        In nats (TV and W1 in their own units).

    Raises
    ------
    NotImplementedError
        For laws this path does not cover, and for laws it cannot resolve (see the module
        docstring: components far from the pair's centre for their scale, scales too different).
    """
    reason = refusal(name, p, q)
    if reason is not None:
        raise NotImplementedError(reason)
    if name == "w1":
        return transport_2d.w1(p, q, max_points)
    if name in ("chi2", "renyi"):
        return _renyi(name, p, q, alpha)
    mix_p, mix_q = components_2d.components(p), components_2d.components(q)
    apart = _separated(mix_p, mix_q)
    if apart and name in ("tv", "hellinger"):
        return 1.0
    if apart and name == "js":
        return _LOG2
    # KL of separated laws: the integral over P's box alone, in P's coordinates
    c, s = _frame([mix_p], [p]) if apart else _frame([mix_p, mix_q], [p, q])
    mp, mq = _marginal_parts(components_2d.moved(mix_p, c, s)), _marginal_parts(components_2d.moved(mix_q, c, s))
    xedges = _axis_edges(mp) if apart else np.concatenate([_axis_edges(mp), _axis_edges(mq)])

    def inner(x, _row):
        # one inner 1-D integral over y per outer node x
        xs = x.ravel()
        rows_p = _conditional_rows(mp, xs)
        # KL needs log q wherever p has mass, also where q is vanishingly small: keep every
        # component of q that can dominate there (_conditional_rows)
        rows_q = _conditional_rows(mq, xs, _window(rows_p) if name == "kl" else None)
        panels = quadrature.panels_from_edges(_inner_edges(rows_p, None if apart else rows_q))
        return one_d.integrate(name, panels, rows_p, rows_q, xs.size, **INNER_TOL).reshape(x.shape)

    value = float(quadrature.adaptive(inner, quadrature.panels_from_edges([xedges]), 1, **OUTER_TOL)[0])
    return float(np.clip(value, *RANGES[name]))


def _renyi(name, p, q, alpha):
    from . import renyi_2d  # it uses this module's cubature: import late

    if name == "chi2":
        with np.errstate(over="ignore"):
            return float(np.expm1(renyi_2d.log_integral(p, q, 2.0)))
    if alpha is None or alpha == 1.0:
        raise NotImplementedError(
            f"renyi({p!r}, {q!r}): the 2-D cubature of the Rényi divergence needs an order alpha other than 1, and "
            f"was given alpha={alpha!r}"
        )
    return max(renyi_2d.log_integral(p, q, alpha) / (alpha - 1.0), 0.0)


# -- coordinates ----------------------------------------------------------------------------
def _separated(mix_p, mix_q):
    """Whether the boxes of the two laws do not meet: then TV = 1 and JS = ln 2 within 1e-18."""
    (lo_p, hi_p), (lo_q, hi_q) = components_2d.box([mix_p]), components_2d.box([mix_q])
    return bool(np.any((hi_p < lo_q) | (hi_q < lo_p)))


def _frame(mixes, laws):
    """``(c, s)``: centre (per axis) and unit of the coordinates in which the cubature runs.

    ``c`` is the centre of the laws' box where that centre lies more than 16 box widths from the
    origin, 0 otherwise; ``s`` a power of two near the smallest marginal standard deviation. A law
    with a component farther than ``pairs.MAX_OFFSET`` of its standard deviations from ``c``, or a
    pair whose scales differ by more than ``pairs.MAX_SCALE_RATIO``, is refused.
    """
    lo, hi = components_2d.box(mixes)
    centre = 0.5 * lo + 0.5 * hi
    c = np.where(np.abs(centre) > 16.0 * (hi - lo), centre, 0.0)
    sds = np.concatenate([components_2d.sds(m) for m in mixes])
    small, large = float(np.min(sds)), float(np.max(sds))
    if large > MAX_SCALE_RATIO * small:
        raise NotImplementedError(
            f"the standard deviations of the components of {' and '.join(map(repr, laws))} range from {small:.3g} "
            f"to {large:.3g}, more than a factor {MAX_SCALE_RATIO:g}: beyond what the 2-D cubature resolves"
        )
    for m, law in zip(mixes, laws):
        offsets = np.abs(m[1] - c) / components_2d.sds(m)
        k, axis = np.unravel_index(int(np.argmax(offsets)), offsets.shape)
        if offsets[k, axis] > MAX_OFFSET:
            raise NotImplementedError(
                f"{law!r} has a component at {m[1][k].tolist()}, {offsets[k, axis]:.2g} of its standard deviations "
                f"from the centre {c.tolist()} of the cubature's coordinates (at most {MAX_OFFSET:g}): the nodes "
                "would be rounded beyond its accuracy there; estimate the divergence from samples with "
                "divergences.empirical"
            )
    return c, 2.0 ** round(math.log2(small))


# -- cubature -------------------------------------------------------------------------------
def _marginal_parts(mix):
    """(log w, mu_x, sd_x, mu_y, slope, sd_y|x) of each component ``(w, mu, cov)``."""
    w, mu, cov = mix
    sxx, sxy, syy = cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 1]
    with np.errstate(divide="ignore"):
        logw = np.log(w)
    return logw, mu[:, 0], np.sqrt(sxx), mu[:, 1], sxy / sxx, np.sqrt(syy - sxy**2 / sxx)


def _axis_edges(parts):
    logw, mx, sx = parts[0], parts[1], parts[2]
    keep = np.isfinite(logw)
    return (mx[keep, None] + sx[keep, None] * OFFSETS_2D).ravel()


def _window(rows, reach=12.0):
    """Per row, the y-interval where the active components of ``rows`` put their mass (+- reach sds)."""
    live = np.isfinite(rows.logw)
    lo = np.min(np.where(live, rows.mu - reach * rows.sd, np.inf), axis=1)
    hi = np.max(np.where(live, rows.mu + reach * rows.sd, -np.inf), axis=1)
    return lo, hi


def _conditional_rows(parts, x, window=None):
    """The 1-D mixture in y of the joint density at each outer node x, as ``Rows``.

    Only the components whose weight at x is within e^-_KEEP of the largest are kept, packed to
    the front of each row: away from its own column a component of the ring or the grid weighs
    e^-100 and less, and evaluating it everywhere would cost most of the cubature.
    """
    logw, mx, sx, my, slope, sy = parts
    z = (x[:, None] - mx) / sx  # (rows, K)
    logw_x = logw - 0.5 * z * z - np.log(sx) - 0.5 * _LOG_2PI
    mu_y = my + slope * (x[:, None] - mx)
    sd_y = np.broadcast_to(sy, mu_y.shape)
    active = logw_x >= np.max(logw_x, axis=1, keepdims=True) - _KEEP
    if window is not None:
        # where the log density itself is integrated (KL's log q over the window of p), a light
        # component can dominate far from the heavy ones: keep each whose largest log density in
        # the window comes within _MARGIN of a floor that the mixture exceeds everywhere there
        # (the best component's log density at its farther end of the window)
        lo, hi = window[0][:, None], window[1][:, None]
        base = logw_x - np.log(sd_y)
        far = np.maximum(np.abs(lo - mu_y), np.abs(hi - mu_y)) / sd_y
        near = np.maximum(np.maximum(lo - mu_y, mu_y - hi), 0.0) / sd_y
        floor = np.max(base - 0.5 * far * far, axis=1, keepdims=True)
        active |= base - 0.5 * near * near >= floor - _MARGIN
    width = int(np.max(np.sum(active, axis=1)))
    if width < logw_x.shape[1]:
        idx = np.argsort(~active, axis=1, kind="stable")[:, :width]  # the active components first
        keep = np.take_along_axis(active, idx, axis=1)
        logw_x = np.where(keep, np.take_along_axis(logw_x, idx, axis=1), -np.inf)
        mu_y, sd_y = np.take_along_axis(mu_y, idx, axis=1), np.take_along_axis(sd_y, idx, axis=1)
    return Rows(logw=logw_x, mu=mu_y, sd=sd_y)


def _inner_edges(rows_p, rows_q=None):
    """Per-row y edges from the conditional components that matter at that x (of P alone for KL)."""
    rows = [rows_p] if rows_q is None else [rows_p, rows_q]
    logw = np.concatenate([r.logw for r in rows], axis=1)
    mu = np.concatenate([r.mu for r in rows], axis=1)
    sd = np.concatenate([r.sd for r in rows], axis=1)
    active = logw >= np.max(logw, axis=1, keepdims=True) - _DROP
    e = mu[..., None] + sd[..., None] * OFFSETS_2D  # (rows, K, offsets)
    e = np.where(active[..., None], e, np.inf).reshape(e.shape[0], -1)
    e = np.sort(e, axis=1)
    width = int(np.max(np.sum(np.isfinite(e), axis=1)))
    e = e[:, :width]
    last = np.max(np.where(np.isfinite(e), e, -np.inf), axis=1, keepdims=True)
    return np.where(np.isfinite(e), e, last)
