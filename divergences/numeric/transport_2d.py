r"""W1 and W2 between 2-D laws by exact optimal transport between discretisations.

For Gaussians, Gaussian mixtures and :class:`toys.ShiftedLine`. Exact optimal transport
(POT's network simplex, ``ot.emd2``, with the Euclidean cost
from ``scipy.spatial.distance.cdist``, not the squared cost that ``ot.dist`` defaults to)
between discretisations of the two laws on one common square grid of step h. Each component of
a mixture keeps its weight exactly: one narrower than a quarter cell is a point mass at its
mean, one thinner than a quarter cell across is points along its major axis, the others are
spread over the cells of their +-6 sd box (3 x 3 Gauss-Legendre per cell, normalised to the
component's weight), each occupied cell carrying its mass at its barycentre;
a :class:`toys.ShiftedLine` is equally spaced points. The step is the finest on which the cost
matrix has at most ``max_points**2`` entries (``MAX_POINTS`` = 1,200 by default) and each law
at most ``MAX_CELLS`` points; it is shared, so the two laws' discretisation errors largely
cancel. Stated accuracy: absolute error <= 5e-2 max(1, sigma_max), sigma_max the largest
standard deviation of any component of the two laws (the square root of the largest eigenvalue
of its covariance). A pair whose budget allows only a grid coarser than ``MAX_STEP`` in the
same units is tried again with 1,800 and 2,500 points, then refused. Measured over 600 random
pairs with exact values (concentric Gaussians with standard deviations 0.01 to 20, mixtures of
up to 40 components of random orientation and elongation against their translates): largest
error 8.7e-3 max(1, sigma_max), for a wide Gaussian against a much narrower one (9.6e-3 for
the tests' standard deviations 4.75 and 0.5); 4 mixtures of 24 to 35 components refused; 0.5 s on
average, 4.4 s at most, on one core of an AMD EPYC. A further 1,000 random mixtures with very
elongated components reached 2.9e-2 max(1, sigma_max) (a 6-component mixture with a component
3,800 times longer than wide, in tests/edges/test_two_d.py), hence the stated 5e-2. Laws whose
means lie more than 1e8 of their spreads :math:`\sqrt{E|X - EX|^2}` apart have W1 equal to the
distance of the means (within 1e-16 of it), without transport. Shapes that would need more
than ``MAX_EXAMINED`` grid cells (extreme elongation or scale ratios), or discretisations that
no grid fits into the budget, raise ``NotImplementedError``.

**W2** (:func:`w2`) uses the same discretisations, of the two laws centred on their means, with
the squared Euclidean cost, and adds the squared distance of the means exactly
(:math:`W_2^2 = \|m_P - m_Q\|^2 + W_2^2(\bar P, \bar Q)`): translates are exactly at their shift,
and far-apart laws need no special case. Its stated accuracy is W1's, 5e-2 max(1, sigma_max).
Measured against the Bures closed form over 170 random pairs of 2-D Gaussians (standard
deviations 0.05 to 5 along random axes, means in [-3, 3]^2): largest error 2.1e-2
max(1, sigma_max), mean 4e-3; 0.8 s on average, 5.9 s at most, on one core. Mixtures against their
translates: exact to 1e-15; a ShiftedLine against a diagonal Gaussian (a product law, exact by
the 1-D quadrature of the second coordinate): within 2e-4.

Like the cubature (:mod:`divergences.numeric.two_d`), the transport works in coordinates
centred on the pair where it lies far from the origin and scaled by a power of two near its
largest scale; a law farther than ``MAX_OFFSET_W1`` of that scale from the centre is refused.
"""

import math
from typing import NamedTuple

import numpy as np
import ot
from scipy.spatial.distance import cdist as distance_matrix

from toys import ShiftedLine

from .components_2d import REACH, components, moved, sds

__all__ = [
    "ACCURACY",
    "MAX_CELLS",
    "MAX_COST_ENTRIES",
    "MAX_EXAMINED",
    "MAX_OFFSET_W1",
    "MAX_POINTS",
    "MAX_STEP",
    "stated_accuracy",
    "w1",
    "w2",
]

#: Default size of each discretisation (points per law).
MAX_POINTS = 1_200
#: Stated accuracy, in units of max(1, sigma_max) (see :func:`stated_accuracy`).
ACCURACY = 5e-2
#: Coarsest grid step, in the same units, at which the stated accuracy holds: a pair whose
#: budget allows only a coarser grid is refused (measured errors stay below 0.08 step).
MAX_STEP = 0.35
#: Budgets tried, in turn, when ``max_points`` gives a grid coarser than MAX_STEP (seconds each).
_LARGER_BUDGETS = (1_800, 2_500)
#: The largest transport problem (cost-matrix entries), whatever ``max_points``.
MAX_COST_ENTRIES = 2_500**2
#: Largest discretisation of one law.
MAX_CELLS = 15_000
#: Largest number of grid cells examined while discretising (a guard against extreme shapes).
MAX_EXAMINED = 4_000_000
#: Laws whose spreads are below this fraction of the distance of their means have W1 equal to
#: that distance within 1e-16 of it (see _w1_transport).
_FAR_APART = 1e-8
#: Farthest a component may lie from the centre of the transport's coordinates, in units of
#: the largest standard deviation (points there are rounded by 1e-4 of that unit).
MAX_OFFSET_W1 = 1e12


class _Segment(NamedTuple):
    """The vertical segment ``{x} x [y0, y0 + length]`` carrying the uniform law."""

    x: float
    y0: float
    length: float


def w1(p, q, max_points):
    r"""W1 by exact transport between discretisations, in coordinates centred and scaled on the pair.

    Laws whose spreads :math:`\sqrt{E|X - EX|^2}` are below ``_FAR_APART`` of the distance D of
    their means need no transport: with W = (X - EX) - (Y - EY),
    :math:`D \le W_1 \le E|D + W| \le D + E|W|^2 / (2D)` under the independent coupling, so W1 = D
    to within 1e-16 D.
    """
    a, b = _transport_parts(p), _transport_parts(q)
    (mean_a, spread_a), (mean_b, spread_b) = _moments(a), _moments(b)
    distance = float(np.hypot(*(mean_a - mean_b)))
    if max(spread_a, spread_b) <= _FAR_APART * distance:
        return distance
    c, s = _transport_frame([a, b], [p, q])
    a, b = _moved_part(a, c, s), _moved_part(b, c, s)
    xa, wa, xb, wb = _fitted(a, b, p, q, s, max_points, "W1")
    # Euclidean cost (not the squared one that ot.dist defaults to), by cdist: ot.dist's
    # "euclidean" expands |x|^2 + |y|^2 - 2 x.y and loses precision for close points far out
    return _emd(wa, wb, distance_matrix(xa, xb)) * s


def w2(p, q, max_points=MAX_POINTS):
    r"""W2 by exact transport with the squared cost, between discretisations of the centred laws.

    :math:`W_2^2(P, Q) = \|m_P - m_Q\|^2 + W_2^2(\bar P, \bar Q)` with :math:`\bar P, \bar Q` the
    laws centred on their means (the cross term of the square has mean zero under every
    coupling): the first term exactly, from the components; the second between the
    discretisations of the centred laws on the grid of :func:`w1`, less the (rounding-size)
    difference of the discretisations' own means, by the same identity. Stated accuracy as
    :func:`w1`'s (:func:`stated_accuracy`), measured in the module docstring. Returns W2 itself, in
    the units of the points.
    """
    a, b = _transport_parts(p), _transport_parts(q)
    (mean_a, _), (mean_b, _) = _moments(a), _moments(b)
    a, b = _moved_part(a, mean_a, 1.0), _moved_part(b, mean_b, 1.0)
    c, s = _transport_frame([a, b], [p, q])
    a, b = _moved_part(a, c, s), _moved_part(b, c, s)
    xa, wa, xb, wb = _fitted(a, b, p, q, s, max_points, "W2")
    gap = wa @ xa - wb @ xb
    centred = math.sqrt(max(_emd(wa, wb, distance_matrix(xa, xb, "sqeuclidean")) - float(gap @ gap), 0.0))
    return math.hypot(*(mean_a - mean_b), centred * s)


def _fitted(a, b, p, q, s, max_points, name):
    """The discretisations on the finest grid within the budgets, or NotImplementedError if too coarse."""
    tolerance = stated_accuracy(p, q)
    coarsest = MAX_STEP / ACCURACY * tolerance
    budgets = [max_points] + [m for m in _LARGER_BUDGETS if m > max_points]
    for points in budgets:
        xa, wa, xb, wb, h = _discretizations(a, b, points)
        if h * s <= coarsest:
            return xa, wa, xb, wb
    raise NotImplementedError(
        f"{name} by transport between {p!r} and {q!r} is stated to {tolerance:.3g}, which needs a grid step of at "
        f"most {coarsest:.3g}; a transport budget of {points}**2 cost entries allows {h * s:.3g} (the "
        f"components cover too large an area for their size); estimate {name} from samples with "
        f"divergences.empirical.{name.lower()}"
    )


def _emd(wa, wb, cost):
    value, log = ot.emd2(wa, wb, cost, numItermax=10_000_000, log=True)
    if log["result_code"] != 1:
        raise RuntimeError(f"optimal transport did not reach the optimum: {log['warning']}")
    return float(value)


def stated_accuracy(p, q):
    """The absolute accuracy stated for W1 between ``p`` and ``q`` by transport: 5e-2 max(1, sigma_max).

    sigma_max is the largest standard deviation of any component of the two laws (the square root
    of the largest eigenvalue of its covariance); a :class:`toys.ShiftedLine` has none.
    """
    sd = [np.linalg.eigvalsh(components(d)[2])[:, -1] for d in (p, q) if not isinstance(d, ShiftedLine)]
    largest = math.sqrt(float(np.max(np.concatenate(sd)))) if sd else 0.0
    return ACCURACY * max(1.0, largest)


def _transport_parts(d):
    return _Segment(float(d.theta), 0.0, 1.0) if isinstance(d, ShiftedLine) else components(d)


def _moments(part):
    """Mean (2,) and spread sqrt(E|X - EX|^2) of a segment or of mixture components."""
    if isinstance(part, _Segment):
        return np.array([part.x, part.y0 + part.length / 2]), part.length / math.sqrt(12.0)
    w, mu, cov = part
    w = w / w.sum()
    mean = w @ mu
    second = np.trace(cov, axis1=1, axis2=2) + np.sum((mu - mean) ** 2, axis=1)
    return mean, math.sqrt(float(w @ second))


def _transport_frame(parts, laws):
    """``(c, s)``: centre of the pair's box where far from the origin, a power of two near its largest scale."""
    boxes, scales = [], []
    for part in parts:
        if isinstance(part, _Segment):
            boxes.append((np.array([part.x, part.y0]), np.array([part.x, part.y0 + part.length])))
            scales.append(part.length)
        else:
            sd = sds(part)
            boxes.append((np.min(part[1] - REACH * sd, axis=0), np.max(part[1] + REACH * sd, axis=0)))
            scales.append(float(np.max(sd)))
    lo = np.minimum(boxes[0][0], boxes[1][0])
    hi = np.maximum(boxes[0][1], boxes[1][1])
    centre = 0.5 * lo + 0.5 * hi
    c = np.where(np.abs(centre) > 16.0 * (hi - lo), centre, 0.0)
    s = 2.0 ** round(math.log2(max(scales)))
    for part, law in zip(parts, laws):
        where = np.array([[part.x, part.y0]]) if isinstance(part, _Segment) else part[1]
        offset = float(np.max(np.abs(where - c))) / s
        if offset > MAX_OFFSET_W1:
            raise NotImplementedError(
                f"{law!r} lies {offset:.2g} of the pair's scale {s:.3g} from the centre {c.tolist()} of the "
                f"transport's coordinates (at most {MAX_OFFSET_W1:g}): the discretisation would be rounded "
                "beyond its accuracy; estimate W1 from samples with divergences.empirical.w1"
            )
    return c, s


def _moved_part(part, c, s):
    if isinstance(part, _Segment):
        return _Segment((part.x - c[0]) / s, (part.y0 - c[1]) / s, part.length / s)
    return moved(part, c, s)


def _area(part):
    """Area of the +-6 sd ellipses of the components (overlaps counted twice); 0 for a segment."""
    if isinstance(part, _Segment):
        return 0.0
    return float(np.sum(36.0 * np.pi * np.sqrt(np.linalg.det(part[2]))))


def _count(part, h):
    """Estimated number of points: cells met by each component's +-6 sd ellipse, grown by a cell."""
    if isinstance(part, _Segment):
        return max(64, int(np.ceil(part.length / h)))
    axes = 6.0 * np.sqrt(np.clip(np.linalg.eigvalsh(part[2]), 0.0, None))  # (K, 2) semi-axes
    return max(1.0, float(np.sum(np.pi * (axes[:, 0] + h) * (axes[:, 1] + h))) / h**2)


def _grid_step(a, b, max_points):
    """The grid step: as fine as the transport budget allows, each law within MAX_CELLS cells.

    For a fixed budget n_a n_b <= C the worst-case error (h_a + h_b) / sqrt(2) is smallest with
    h_a = h_b = (A_a A_b / C)^(1/4), A the areas the laws occupy; the two laws then share the
    grid, which also lets their discretisation errors cancel.
    """
    budget = min(MAX_COST_ENTRIES, max_points**2)
    area_a, area_b = _area(a), _area(b)
    h = max((area_a * area_b / budget) ** 0.25, np.sqrt(max(area_a, area_b) / MAX_CELLS), 1e-300)
    while _count(a, h) * _count(b, h) > budget or max(_count(a, h), _count(b, h)) > MAX_CELLS:
        h *= 1.25
    return h


def _discretizations(a, b, max_points):
    """The two laws discretised on the finest grids that fit the budget, and the common step.

    The common step starts from :func:`_grid_step`'s estimate of the numbers of points, then
    moves by factors of 1.25 until the actual numbers fit: product within ``max_points**2`` (and
    ``MAX_COST_ENTRIES``), each within ``MAX_CELLS``, and the next finer grid would not. When
    ``MAX_CELLS`` stops a wide law before the budget is spent (a wide law against a narrow one),
    the law with fewer points is then discretised on a finer grid of its own, within the budget:
    the narrow law's spread is what such a pair's W1 hinges on.
    """
    budget = min(MAX_COST_ENTRIES, max_points**2)

    def on(h):
        xa, wa = _discretize(a, h)
        xb, wb = _discretize(b, h)
        return [xa, wa, xb, wb, h], len(xa) * len(xb) <= budget and max(len(xa), len(xb)) <= MAX_CELLS

    found, fits = on(_grid_step(a, b, max_points))
    if fits:  # refine while the finer grid still fits (the estimate counts overlapping components twice)
        for _ in range(16):
            finer, ok = on(found[-1] / 1.25)
            if not ok:
                break
            found = finer
    sizes = []
    while not fits:
        sizes.append(len(found[0]) * len(found[2]))
        if len(sizes) > 8 and sizes[-1] >= sizes[-9]:  # a grid 6 times coarser did not help
            raise NotImplementedError(
                f"the discretisations of the two laws have {len(found[0])} and {len(found[2])} points however "
                f"coarse the grid, more than a transport budget of {budget} cost entries; estimate W1 from samples "
                "with divergences.empirical.w1"
            )
        found, fits = on(1.25 * found[-1])
    small, other, part = (2, 0, b) if len(found[0]) >= len(found[2]) else (0, 2, a)
    if len(found[other]) * 1.25**2 <= MAX_CELLS:  # the budget, not MAX_CELLS, set the grid: keep it shared
        return tuple(found)
    h = found[-1]
    for _ in range(16):
        h /= 1.25
        x, w = _discretize(part, h)
        if len(x) * len(found[other]) > budget or len(x) > MAX_CELLS:
            break
        found[small], found[small + 1] = x, w
    return tuple(found)


def _discretize(part, h, order=3):
    """Points and masses approximating a segment or mixture components on the grid of step ``h``.

    Each component of a mixture keeps its weight exactly: a component much narrower than a cell
    is a point mass at its mean (which moves its mass by E|X - mu| <= sqrt(tr cov) < h / 4); the
    others are spread over the cells of their +-6 sd box by a Gauss-Legendre rule on each cell,
    normalised to the component's weight; one thinner than a quarter cell across its minor axis
    is points along its major axis; and each occupied cell is one point at the barycentre of the
    mass all components put in it.
    """
    if isinstance(part, _Segment):
        n = _count(part, h)
        y = part.y0 + (np.arange(n) + 0.5) / n * part.length
        return np.stack([np.full(n, part.x), y], axis=1), np.full(n, 1.0 / n)
    w, mu, cov = part
    w = w / w.sum()
    sd = sds(part)
    point = np.sqrt(np.sum(sd**2, axis=1)) < h / 4
    thin = ~point & (np.sqrt(np.linalg.eigvalsh(cov)[:, 0]) < h / 4)
    lo = np.floor((mu - 6 * sd) / h).astype(np.int64)
    hi = np.ceil((mu + 6 * sd) / h).astype(np.int64)
    examined = int(np.sum(np.prod(hi - lo, axis=1)[~point & ~thin]))
    if examined > MAX_EXAMINED:
        raise NotImplementedError(
            f"W1 by transport would examine {examined} grid cells: the components are too elongated or too "
            "different in scale from the other law's; estimate W1 from samples with divergences.empirical.w1"
        )
    gx, gw = np.polynomial.legendre.leggauss(order)
    u = (gx + 1) / 2  # node offsets inside a cell, in cells
    nodes = np.stack([a.ravel() for a in np.meshgrid(u, u, indexing="ij")], -1)  # (order^2, 2)
    rule = np.outer(gw, gw).ravel()
    cells, masses, moments = [], [], []
    for k in np.flatnonzero(~point):
        if thin[k]:  # a ridge: points along its major axis, moving mass by less than h / 4
            variances, axes = np.linalg.eigh(cov[k])
            pts, dens = _ridge(mu[k], math.sqrt(variances[1]) * axes[:, 1], h)
            grid = np.floor(pts / h).astype(np.int64)
            pts, dens = pts[:, None, :], dens[:, None]
        else:
            grid = np.stack(np.meshgrid(np.arange(lo[k, 0], hi[k, 0]), np.arange(lo[k, 1], hi[k, 1])), -1)
            grid = grid.reshape(-1, 2)
            pts = (grid[:, None, :] + nodes[None]) * h  # (cells, order^2, 2)
            z = pts - mu[k]
            dens = np.exp(-0.5 * np.einsum("cni,ij,cnj->cn", z, np.linalg.inv(cov[k]), z)) * rule
        dens *= w[k] / dens.sum()
        cells.append(grid)
        masses.append(dens.sum(axis=1))
        moments.append(np.einsum("cn,cnk->ck", dens, pts))
    pts, mass = mu[point], w[point]
    if cells:  # one point per occupied cell, at the barycentre of its mass
        ids, inverse = np.unique(np.concatenate(cells), axis=0, return_inverse=True)
        m = np.bincount(inverse.ravel(), weights=np.concatenate(masses), minlength=len(ids))
        first = np.concatenate(moments)
        bary = np.stack([np.bincount(inverse.ravel(), weights=first[:, i], minlength=len(ids)) for i in (0, 1)], -1)
        keep = m > 1e-13 * m.sum()
        pts = np.concatenate([bary[keep] / m[keep, None], pts])
        mass = np.concatenate([m[keep], mass])
    return pts, mass / mass.sum()


def _ridge(mean, major, h):
    """Points every h / 3 along ``mean + z major``, z over [-6, 6], with the normal weights of z."""
    n = max(3, math.ceil(12.0 * float(np.hypot(*major)) / (h / 3)))
    z = -6.0 + 12.0 * (np.arange(n) + 0.5) / n
    return mean + z[:, None] * major, np.exp(-0.5 * z * z)
