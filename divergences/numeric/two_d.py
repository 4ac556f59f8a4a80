r"""The numeric path in two dimensions.

**TV, KL and JS** between 2-D Gaussians and Gaussian mixtures, by iterated adaptive
Gauss-Kronrod cubature: :math:`\int\!\!\int f(x, y)\,dy\,dx`. The outer integral over x
starts from panels every sigma_x over mu_x +- 9 sigma_x of every component and is refined
adaptively (:mod:`divergences.numeric.quadrature`), which also resolves the kinks of the TV integrand
in x (for example where two laws differ only along x). At each outer node the joint
density is a 1-D mixture in y whose components are the conditionals
:math:`y \mid x \sim N(\mu_y + \tfrac{\Sigma_{xy}}{\Sigma_{xx}}(x - \mu_x),\ \Sigma_{yy} -
\tfrac{\Sigma_{xy}^2}{\Sigma_{xx}})` weighted by the x-marginals, so the inner panels follow each
component's conditional ridge however strong the correlation; the inner integrals are the
1-D ones of :mod:`divergences.numeric.one_d` (TV's panels split where p - q changes sign). Components
whose weight at x is below e^-80 of the largest are dropped from that row. Absolute error
<= 1e-6 (checked in the tests against closed-form KL and against ``scipy.integrate.dblquad``).

**W1** by exact optimal transport (POT's network simplex, ``ot.emd2``, with the Euclidean cost
from ``scipy.spatial.distance.cdist``, not the squared cost that ``ot.dist`` defaults to)
between discretisations of the two laws on one common square grid: each occupied cell carries
its mass (3 x 3 Gauss-Legendre) at its barycentre; a component narrower than a quarter cell is
a point mass at its mean; a :class:`toys.ShiftedLine` is equally spaced points. The step h is
the finest that keeps each law within ``MAX_CELLS`` cells and the cost matrix within
``max_points**2`` entries, and it is shared, so the two laws' discretisation errors largely
cancel. The error scales with h, hence with the size of the laws. Stated accuracy: 2e-2
absolute for laws whose components have standard deviations up to about 5 and spread over a
few units (the lecture's ring, grid, correlated Gaussian, parallel lines); measured <= 1.2e-2 on
the tests' unit-scale laws (equal-covariance Gaussians, mixtures against their translates, a
segment or a near point mass against a Gaussian, rho = 0.999) and 2e-2 for concentric
Gaussians of standard deviations 4.75 and 0.5 (exact value |s1 - s2| sqrt(pi / 2)). For wider
laws expect about 4e-3 times the largest standard deviation. Laws so elongated or so different in scale
that the grid would need more than ``MAX_EXAMINED`` cells raise ``NotImplementedError``.
"""

import numpy as np
import ot
from scipy.spatial import distance

from toys import GaussianMixture, ShiftedLine

from . import one_d, quadrature
from .one_d import RANGES
from .rows import Rows

#: Panel edges of a component along an axis, in units of its scale (mass beyond 9 sigma: 2e-19).
OFFSETS_2D = np.arange(-9.0, 9.5, 1.0)
_DROP = 80.0
#: Per-panel accuracy of the inner (y) and outer (x) integrals, for a total well within 1e-6.
INNER_TOL = {"atol": 1e-12, "rtol": 1e-10}
OUTER_TOL = {"atol": 1e-10, "rtol": 1e-9}
_LOG_2PI = float(np.log(2 * np.pi))


def refusal(name, p, q):
    """Why the 2-D numeric path does not cover ``name(p, q)``, or None if it does.

    TV, KL and JS need Gaussians or Gaussian mixtures (laws that describe themselves with
    ``as_mixture``); W1 also takes :class:`toys.ShiftedLine`.
    """
    kinds = (ShiftedLine,) if name == "w1" else ()
    for d in (p, q):
        if not (hasattr(d, "as_mixture") or isinstance(d, kinds)):
            covered = "Gaussians, mixtures and ShiftedLine" if name == "w1" else "Gaussians and mixtures"
            return f"the 2-D numeric path of {name} covers {covered}, not {type(d).__name__}"
    return None


def evaluate(name, p, q, max_points=2500):
    """Divergence ``name`` between two 2-D laws by cubature (TV, KL, JS) or transport (W1).

    Parameters
    ----------
    name : {"tv", "kl", "js", "w1"}
    p, q : toys
        Gaussians or Gaussian mixtures for TV, KL and JS; these or :class:`toys.ShiftedLine` for W1.
    max_points : int
        Size of each discretisation for W1 (cost of the transport grows like its cube).

    Returns
    -------
    float
        In nats (TV and W1 in their own units).
    """
    reason = refusal(name, p, q)
    if reason is not None:
        raise NotImplementedError(reason)
    if name == "w1":
        return _w1_transport(p, q, max_points)
    mp, mq = _marginal_parts(p), _marginal_parts(q)
    xedges = np.concatenate([_axis_edges(mp), _axis_edges(mq)])

    def inner(x, _row):
        # one inner 1-D integral over y per outer node x
        xs = x.ravel()
        rows_p, rows_q = _conditional_rows(mp, xs), _conditional_rows(mq, xs)
        panels = quadrature.panels_from_edges(_inner_edges(rows_p, rows_q))
        return one_d.integrate(name, panels, rows_p, rows_q, xs.size, **INNER_TOL).reshape(x.shape)

    value = float(quadrature.adaptive(inner, quadrature.panels_from_edges([xedges]), 1, **OUTER_TOL)[0])
    return float(np.clip(value, *RANGES[name]))


# -- cubature -------------------------------------------------------------------------------
def _marginal_parts(d):
    """(log w, mu_x, sd_x, mu_y, slope, sd_y|x) of each component of a 2-D mixture-like law."""
    w, mu, cov = d.as_mixture()
    sxx, sxy, syy = cov[:, 0, 0], cov[:, 0, 1], cov[:, 1, 1]
    with np.errstate(divide="ignore"):
        logw = np.log(w)
    return logw, mu[:, 0], np.sqrt(sxx), mu[:, 1], sxy / sxx, np.sqrt(syy - sxy**2 / sxx)


def _axis_edges(parts):
    logw, mx, sx = parts[0], parts[1], parts[2]
    keep = np.isfinite(logw)
    return (mx[keep, None] + sx[keep, None] * OFFSETS_2D).ravel()


def _conditional_rows(parts, x):
    """The 1-D mixture in y of the joint density at each outer node x, as ``Rows``."""
    logw, mx, sx, my, slope, sy = parts
    z = (x[:, None] - mx) / sx  # (rows, K)
    logw_x = logw - 0.5 * z * z - np.log(sx) - 0.5 * _LOG_2PI
    mu_y = my + slope * (x[:, None] - mx)
    rows = Rows(logw=logw_x, mu=mu_y, sd=np.broadcast_to(sy, mu_y.shape))
    return rows


def _inner_edges(rows_p, rows_q):
    """Per-row y edges from the conditional components that matter at that x."""
    logw = np.concatenate([rows_p.logw, rows_q.logw], axis=1)
    mu = np.concatenate([rows_p.mu, rows_q.mu], axis=1)
    sd = np.concatenate([rows_p.sd, rows_q.sd], axis=1)
    active = logw >= np.max(logw, axis=1, keepdims=True) - _DROP
    e = mu[..., None] + sd[..., None] * OFFSETS_2D  # (rows, K, offsets)
    e = np.where(active[..., None], e, np.inf).reshape(e.shape[0], -1)
    e = np.sort(e, axis=1)
    width = int(np.max(np.sum(np.isfinite(e), axis=1)))
    e = e[:, :width]
    last = np.max(np.where(np.isfinite(e), e, -np.inf), axis=1, keepdims=True)
    return np.where(np.isfinite(e), e, last)


# -- transport ------------------------------------------------------------------------------
#: Largest discretisation of one law, and largest transport problem (cost-matrix entries).
MAX_CELLS = 15_000
MAX_COST_ENTRIES = 2_500**2
#: Largest number of grid cells examined while discretising (a guard against extreme shapes).
MAX_EXAMINED = 4_000_000


def _w1_transport(p, q, max_points):
    h = _grid_step(p, q, max_points)
    xa, a = _discretize(p, h)
    xb, b = _discretize(q, h)
    # Euclidean cost (not the squared one that ot.dist defaults to), by cdist: ot.dist's
    # "euclidean" expands |x|^2 + |y|^2 - 2 x.y and loses precision for close points far out
    cost = distance.cdist(xa, xb)
    value, log = ot.emd2(a, b, cost, numItermax=10_000_000, log=True)
    if log["result_code"] != 1:
        raise RuntimeError(f"optimal transport did not reach the optimum: {log['warning']}")
    return float(value)


def _area(d):
    """Area of the +-6 sd ellipses of the components (overlaps counted twice); 0 for a segment."""
    if isinstance(d, ShiftedLine):
        return 0.0
    if not hasattr(d, "as_mixture"):
        raise NotImplementedError(
            f"no 2-D discretisation for {type(d).__name__}; W1 covers Gaussians, mixtures and ShiftedLine"
        )
    w, _, cov = d.as_mixture()
    return float(np.sum(36.0 * np.pi * np.sqrt(np.linalg.det(cov))[w > 0]))


def _count(d, h):
    if isinstance(d, ShiftedLine):
        return max(64, int(np.ceil(1.0 / h)))
    return max(1.0, _area(d) / h**2)


def _grid_step(p, q, max_points):
    """The grid step: as fine as the transport budget allows, each law within MAX_CELLS cells.

    For a fixed budget n_p n_q <= C the worst-case error (h_p + h_q) / sqrt(2) is smallest with
    h_p = h_q = (A_p A_q / C)^(1/4), A the areas the laws occupy; the two laws then share the
    grid, which also lets their discretisation errors cancel.
    """
    budget = min(MAX_COST_ENTRIES, max_points**2)
    ap, aq = _area(p), _area(q)
    h = max((ap * aq / budget) ** 0.25, np.sqrt(max(ap, aq) / MAX_CELLS), 1e-300)
    while _count(p, h) * _count(q, h) > budget or max(_count(p, h), _count(q, h)) > MAX_CELLS:
        h *= 1.25
    return h


def _discretize(d, h, order=3):
    """Points and masses approximating ``d`` on the cells of the grid of step ``h``."""
    if isinstance(d, ShiftedLine):
        n = _count(d, h)
        y = (np.arange(n) + 0.5) / n
        return np.stack([np.full(n, d.theta), y], axis=1), np.full(n, 1.0 / n)
    w, mu, cov = d.as_mixture()
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    # a component much narrower than a cell is its mean: moving its mass there moves it by
    # E|X - mu| <= sqrt(tr cov) < h / 4 (the quadrature on the cells would miss it altogether)
    point = (w > 0) & (np.sqrt(np.sum(sd**2, axis=1)) < h / 4)
    spread = (w > 0) & ~point
    if not spread.any():
        return mu[point], w[point] / w[point].sum()
    sub = GaussianMixture(weights=w[spread] / w[spread].sum(), means=mu[spread], covs=cov[spread])
    xs, ms = _cells(sub, h, order)
    pts = np.concatenate([xs, mu[point]])
    mass = np.concatenate([ms * w[spread].sum(), w[point]])
    return pts, mass / mass.sum()


def _cells(d, h, order):
    """Barycentres and masses of the occupied grid cells of a mixture-like 2-D law."""
    _, mu, cov = d.as_mixture()
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    lo, hi = np.floor((mu - 6 * sd) / h).astype(np.int64), np.ceil((mu + 6 * sd) / h).astype(np.int64)
    examined = int(np.sum(np.prod(hi - lo, axis=1)))
    if examined > MAX_EXAMINED:
        raise NotImplementedError(
            f"W1 by transport would examine {examined} grid cells for {d!r}: its components are too elongated "
            "or too different in scale from the other law's; estimate W1 from samples with divergences.empirical.w1"
        )
    cells = np.unique(
        np.concatenate(
            [
                np.stack(np.meshgrid(np.arange(a[0], b[0]), np.arange(a[1], b[1])), -1).reshape(-1, 2)
                for a, b in zip(lo, hi)
            ]
        ),
        axis=0,
    )
    gx, gw = np.polynomial.legendre.leggauss(order)
    u = (gx + 1) / 2  # node offsets inside a cell, in cells
    ox, oy = np.meshgrid(u, u, indexing="ij")
    pts = (cells[:, None, :] + np.stack([ox.ravel(), oy.ravel()], -1)[None]) * h  # (cells, order^2, 2)
    ww = np.outer(gw, gw).ravel() * (h / 2) ** 2
    dens = d.pdf(pts) * ww  # (cells, order^2)
    mass = dens.sum(axis=1)
    bary = np.einsum("cn,cnk->ck", dens, pts)
    keep = mass > 1e-13 * mass.sum()
    m = mass[keep]
    return bary[keep] / m[:, None], m / m.sum()
