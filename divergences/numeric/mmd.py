r"""The numeric path of ``mmd``: one quadrature of the squared difference of the smoothed densities (1-D).

The Gaussian kernel of bandwidth h is a convolution of two Gaussian densities of standard
deviation :math:`\tau = h/\sqrt2`: :math:`k(x, y) = h\sqrt{2\pi}\int g_\tau(x - z)\,g_\tau(y - z)\,dz`.
Hence

.. math:: \mathrm{MMD}^2(P, Q) = h\sqrt{2\pi}\int (r_P(z) - r_Q(z))^2\,dz, \qquad
          r_P = p * g_\tau,

the density of :math:`X + \tau E`, E ~ N(0, 1) (expand the square and integrate over z: the
convolution of :math:`g_\tau` with itself is :math:`g_{\sqrt2\tau} = k/(h\sqrt{2\pi})`).
One integral per pair, of a non-negative integrand: no three-term cancellation, so laws that are
nearly equal keep a small value.

* **Smoothed densities.** In closed form for a Gaussian, a mixture or a finite law (components of
  variance :math:`v + \tau^2`), a uniform (a difference of :math:`\Phi`), an exponential law
  (:func:`divergences.closed_forms.mmd.exp_gauss`); for any other law (a scipy.stats one) as
  :math:`\sum_j w_j\,g_\tau(z - y_j)` over the nodes within :math:`12\tau` of z of one rule
  built for the law (:func:`density_rule`: Kronrod nodes on panels that resolve its density
  and are no wider than :math:`\tau`, over its window, outside which lies less than 1e-30 of
  its mass).
* **Coordinates.** Each pair is integrated in coordinates ``(x - c) / s``
  (:func:`divergences.numeric.pairs.standardise` with a floor) with ``s`` a power of two near the larger of the
  smaller structure scale of the pair and :math:`\tau`, and ``c`` the centre of the pair when it
  lies far from the origin; MMD² is invariant when h is scaled alike, and :math:`h/s \le \sqrt2`
  keeps the integrand of order 1 at most.
* **Panels.** Both laws' panel edges (:mod:`divergences.numeric.panels`), and around each of
  their features, finite support ends and atoms, edges every :math:`2\sqrt{\sigma^2 + \tau^2}`
  over :math:`\pm 10` of it; the window is widened by :math:`12\tau` on each side. All pairs are
  refined together by :func:`divergences.numeric.quadrature.adaptive` (per panel 1e-14 absolute
  or 1e-12 relative).

Accuracy: absolute error below 1e-9 (MMD² is unitless); measured in the tests at 3e-13 or better
against the closed forms (bandwidths from 0.05 to 30 times the laws' scales, a pair at 1e6
from the origin) and against tensor Gauss-Legendre rules for scipy.stats laws, and at 2e-16
against ``scipy.integrate.dblquad`` for a logistic, a gamma and a Student t(5) law. Pairs of dimension 2 or more are
refused: every pair of 2-D toys has a closed form (:mod:`divergences.closed_forms.mmd`).
"""

import math

import numpy as np

from toys import Exponential, Uniform
from toys.base import DiscreteDistribution

from ..closed_forms.mmd import components, exp_gauss, interval_mass
from . import quadrature
from .pairs import standardise
from .panels import OFFSETS, edges_and_window

__all__ = ["MAX_PIECES", "density_rule", "evaluate", "method", "smoothed_density"]

_SQRT_2PI = math.sqrt(2.0 * math.pi)
#: Half-width, in units of tau, beyond which the smoothing density is taken as 0 (exp(-72) < 1e-31).
_REACH = 12.0
#: Points of a smoothed density evaluated together (against the nodes near them).
_BLOCK = 256
_BUDGET = 1_000_000
_DROPPED = 1e-17
#: The most quadrature pieces (of 21 nodes each) a law's window is cut into; beyond it the pair is refused.
MAX_PIECES = 200_000


def evaluate(ps, qs, kernel="gaussian", bandwidth=1.0):
    """``mmd(ps[i], qs[i])`` for every pair, by quadrature; returns an array of shape (B,).

    Raises
    ------
    NotImplementedError
        For a pair of dimension 2 or more, or of 1-D laws whose structure scales differ by more
        than :data:`divergences.numeric.pairs.MAX_SCALE_RATIO` or lie too far apart to resolve.
    """
    for p, q in zip(ps, qs, strict=True):
        method(p, q, kernel=kernel, bandwidth=bandwidth)
    views = [_coordinates(p, q, bandwidth) for p, q in zip(ps, qs)]
    laws_p, laws_q = [v[0] for v in views], [v[1] for v in views]
    taus = np.array([v[2] / math.sqrt(2.0) for v in views])
    panels = quadrature.panels_from_edges([_edges(p, q, t) for p, q, t in zip(laws_p, laws_q, taus)])
    rules = {}  # the density rule of each law without a closed smoothed density, built once

    def smoothed(law, x, tau):
        if _closed(law):
            return smoothed_density(law, x, tau)
        if (id(law), tau) not in rules:
            rules[id(law), tau] = density_rule(law, tau)
        return _smoothed_by_quadrature(law, x, tau, rules[id(law), tau])

    def integrand(x, row):
        out = np.empty_like(x)
        for r in np.unique(row):
            sel = row == r
            diff = smoothed(laws_p[r], x[sel], taus[r]) - smoothed(laws_q[r], x[sel], taus[r])
            out[sel] = diff * diff
        return out

    raw = quadrature.adaptive(integrand, panels, len(views))
    return np.clip(raw * taus * math.sqrt(2.0) * _SQRT_2PI, 0.0, 2.0)


def method(p, q, kernel="gaussian", bandwidth=1.0):
    """How :func:`evaluate` computes a pair with no closed form: ``"quadrature"`` (1-D).

    Raises
    ------
    NotImplementedError
        For a kernel other than ``"gaussian"`` or a pair of dimension 2 or more.
    """
    if kernel != "gaussian":
        raise NotImplementedError(f"the numeric path of mmd knows the Gaussian kernel only, got kernel={kernel!r}")
    if p.dim != 1:
        raise NotImplementedError(
            f"mmd({p!r}, {q!r}) in {p.dim} dimensions has no closed form, and the numeric path covers 1-D pairs "
            "only; estimate it from samples with divergences.empirical.mmd"
        )
    return "quadrature"


def smoothed_density(law, z, tau):
    r"""The density of :math:`X + \tau E` at the points ``z``, X ~ ``law`` (1-D), E ~ N(0, 1) independent.

    Parameters
    ----------
    law : 1-D toy, or a view of one (:func:`divergences.numeric.pairs.affine`)
    z : numpy.ndarray
        Points, any shape.
    tau : float
        Standard deviation of the smoothing, > 0.

    Returns
    -------
    numpy.ndarray, shape of ``z``
    """
    z = np.asarray(z, dtype=float)
    parts = components(law)
    if parts is not None:
        w, m, cov = parts
        sigma = np.sqrt(cov[:, 0, 0] + tau * tau)
        u = (z[..., None] - m[:, 0]) / sigma
        return np.sum(w * np.exp(-0.5 * u * u) / (sigma * _SQRT_2PI), axis=-1)
    if isinstance(law, Uniform):
        return interval_mass((law.low - z) / tau, (law.high - z) / tau) / law.width
    if isinstance(law, Exponential):
        return exp_gauss(z - law.loc, law.rate, tau) / (tau * _SQRT_2PI)
    return _smoothed_by_quadrature(law, z, tau)


def _smoothed_by_quadrature(law, z, tau, rule=None):
    """:func:`smoothed_density` of a law without a closed form: :func:`density_rule` applied at every point.

    The points are sorted and taken in blocks of nearby points, each against the nodes within
    _REACH tau of it, at most _BUDGET (point, node) pairs at a time.
    """
    y, weights = density_rule(law, tau) if rule is None else rule
    flat = z.ravel()
    order = np.argsort(flat)
    sorted_z = flat[order]
    first = np.searchsorted(y, sorted_z - _REACH * tau)
    last = np.searchsorted(y, sorted_z + _REACH * tau, side="right")
    out = np.empty(flat.size)
    i = 0
    while i < flat.size:
        j = min(flat.size, i + _BLOCK)
        while j > i + 1 and (last[j - 1] - first[i]) * (j - i) > _BUDGET:
            j = i + (j - i) // 2
        u = (sorted_z[i:j, None] - y[first[i] : last[j - 1]]) / tau
        out[order[i:j]] = np.exp(-0.5 * u * u) @ weights[first[i] : last[j - 1]]
        i = j
    return out.reshape(z.shape) / (tau * _SQRT_2PI)


def density_rule(law, tau):
    """Nodes and weights ``(y, w)`` with :math:`\\sum_j w_j f(y_j) \\approx \\int p f` for f smooth on the scale tau.

    Kronrod nodes of panels over the law's window (outside it lies less than 1e-30 of its mass),
    from its panel edges (:mod:`divergences.numeric.panels`), halved where the K21 estimate of a
    panel's mass misses 1e-15 absolute or 1e-13 relative (QUADPACK's estimate,
    :mod:`divergences.numeric.quadrature`), so that p is resolved where it has structure; then
    every panel wider than tau is cut into pieces of at most tau, except the lightest panels,
    which hold at most 1e-17 of the mass together and are dropped (far in the tails). The
    weights include the density; the nodes are sorted.
    """
    edges, (lo, hi) = edges_and_window(law)
    edges = np.unique(np.clip(np.concatenate([edges, [lo, hi]]), lo, hi))
    a, b = edges[:-1], edges[1:]
    keep_a, keep_b, mass = [], [], []
    for _ in range(quadrature.MAX_LEVELS):
        x, half = quadrature.nodes(a, b)
        with np.errstate(under="ignore"):
            px = np.exp(law.logpdf(x))
        k, done, _ = quadrature._estimate(px, a, b, 1e-15, 1e-13)
        keep_a.append(a[done]), keep_b.append(b[done]), mass.append(k[done])
        if done.all():
            break
        m = 0.5 * (a + b)
        a, b = np.concatenate([a[~done], m[~done]]), np.concatenate([m[~done], b[~done]])
    else:
        raise RuntimeError(f"the density of {law!r} is not resolved by the quadrature (it may be singular)")
    a, b, mass = np.concatenate(keep_a), np.concatenate(keep_b), np.concatenate(mass)
    light = np.argsort(mass)
    heavy = np.sort(light[np.cumsum(np.abs(mass[light])) >= _DROPPED])
    a, b = a[heavy], b[heavy]
    pieces = np.maximum(1, np.ceil((b - a) / tau))
    if pieces.sum() > MAX_PIECES:  # checked before allocating: heavy tails make the window wide
        raise NotImplementedError(
            f"mmd with {law!r}: its window ({lo:.3g} to {hi:.3g} in the pair's coordinates, where the bandwidth is "
            f"{tau * math.sqrt(2.0):.3g}) needs {pieces.sum():.3g} quadrature pieces of the kernel's width, more than "
            f"{MAX_PIECES:,}; use a larger bandwidth, or estimate the MMD from samples with divergences.empirical.mmd"
        )
    pieces = pieces.astype(int)
    start = np.repeat(a, pieces) + np.repeat((b - a) / pieces, pieces) * _ranks(pieces)
    width = np.repeat((b - a) / pieces, pieces)
    x, half = quadrature.nodes(start, start + width)
    with np.errstate(under="ignore"):
        w = (half[:, None] * quadrature.WK * np.exp(law.logpdf(x))).ravel()
    order = np.argsort(x.ravel())
    return x.ravel()[order], w[order]


def _ranks(counts):
    """0, 1, ..., c - 1 for each count c, concatenated."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _closed(law):
    return components(law) is not None or isinstance(law, (Uniform, Exponential))


def _coordinates(p, q, h):
    """``(p', q', h')``: the pair and the bandwidth in the coordinates of the module docstring."""
    p, q, _, s = standardise(p, q, floor=h / math.sqrt(2.0))
    return p, q, h / s


def _edges(p, q, tau):
    """Panel edges of one pair (see the module docstring), from the low to the high end of its window."""
    found, ends = [], []
    for d in (p, q):
        e, (lo, hi) = edges_and_window(d)
        found.append(e)
        ends += [lo - _REACH * tau, hi + _REACH * tau]
        if isinstance(d, DiscreteDistribution):
            locs, scales = d.atoms[d.probs > 0], np.zeros(1)
        else:
            features = d.features()
            if features is None:
                locs, scales = np.array([0.5 * lo + 0.5 * hi]), np.array([0.5 * (hi - lo)])
            else:
                locs, scales = np.asarray(features[0], dtype=float), np.asarray(features[1], dtype=float)
            support = np.array(d.support, dtype=float)
            ends_of_support = support[np.isfinite(support)]
            locs = np.concatenate([locs, ends_of_support])
            scales = np.concatenate([scales, np.zeros(ends_of_support.size)])
        width = np.sqrt(scales * scales + tau * tau)
        found.append((locs[:, None] + width[:, None] * OFFSETS).ravel())
    a, b = min(ends), max(ends)
    return np.unique(np.clip(np.concatenate(found + [[a, b]]), a, b))
