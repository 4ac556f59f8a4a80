r"""Adaptive Gauss-Kronrod quadrature of many 1-D integrals at once.

Every integral ("row") starts from its own panels; all panels of all rows live in one flat
list ``(a, b, row)``, so each refinement step is a single vectorised evaluation however many
rows there are. On every panel the 21-point Kronrod rule K21 and its embedded 10-point Gauss
rule G10 are applied; the error of K21 is estimated from their difference as QUADPACK's
``dqk21`` does,

.. math:: \varepsilon = I_{|f - \bar f|}\,\min\!\left(1, \left(\frac{200\,|K_{21} - G_{10}|}
          {I_{|f - \bar f|}}\right)^{3/2}\right),

and a panel whose estimate exceeds ``max(ATOL, RTOL |K21|)`` is halved, up to ``MAX_LEVELS``
times. Integrands with kinks that are known to be at sign changes of a function ``g`` (TV and
W1) are first split there by :func:`adaptive_abs`, so that the adaptive step only has
smooth pieces left; a kink that escapes detection is still resolved by halving.

References
----------
.. [1] R. Piessens, E. de Doncker-Kapenga, C. W. Ueberhuber, D. K. Kahaner, *QUADPACK*,
   Springer 1983 (the rule pair and the error estimate).
"""

import numpy as np

# Nodes (non-negative half) and weights of K21 and of the embedded G10, from QUADPACK's dqk21.
# The tests check that K21 is exact to degree 31 and that G10 matches numpy's leggauss(10).
_XGK = np.array([
    0.995657163025808080735527280689003, 0.973906528517171720077964012084452,
    0.930157491355708226001207180059508, 0.865063366688984510732096688423493,
    0.780817726586416897063717578345042, 0.679409568299024406234327365114874,
    0.562757134668604683339000099272694, 0.433395394129247190799265943165784,
    0.294392862701460198131126603103866, 0.148874338981631210884826001129720,
    0.0,
])  # fmt: skip
_WGK = np.array([
    0.011694638867371874278064396062192, 0.032558162307964727478818972459390,
    0.054755896574351996031381300244580, 0.075039674810919952767043140916190,
    0.093125454583697605535065465083366, 0.109387158802297641899210590325805,
    0.123491976262065851077600525420826, 0.134709217311473325928054001771707,
    0.142775938577060080797094273138717, 0.147739104901338491374841515972068,
    0.149445554002916905664936468389821,
])  # fmt: skip
_WG = np.array([
    0.066671344308688137593568809893332, 0.149451349150580593145776339657697,
    0.219086362515982043995534934228163, 0.269266719309996355091226921569469,
    0.295524224714752870173892994651338,
])  # fmt: skip

#: The 21 Kronrod nodes on [-1, 1], ascending, and their weights.
XK = np.concatenate([-_XGK[:-1], _XGK[::-1]])
WK = np.concatenate([_WGK[:-1], _WGK[::-1]])
#: Which of the 21 nodes are the 10 Gauss nodes, and the Gauss weights in that order.
G_INDEX = np.array([1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
WG = np.concatenate([_WG, _WG[::-1]])

ATOL = 1e-14  # per panel
RTOL = 1e-12  # per panel, relative to the panel's integral
MAX_LEVELS = 40
#: Panels still being refined, beyond which the integral is declared not to converge.
MAX_PANELS = 2_000_000
_BISECTIONS = 60
_WHY = (
    "the integrand is not resolved to the promised accuracy: it may be singular, its integral infinite, or its "
    "structure too fine for the scale of the pair's coordinates; estimate the divergence from samples with "
    "divergences.empirical"
)


def panels_from_edges(edges):
    """Flat panels ``(a, b, row)`` between consecutive distinct edges of each row.

    Parameters
    ----------
    edges : sequence of 1-D arrays, or 2-D array (rows, edges)
        Edges of each row, in any order, duplicates allowed.
    """
    values = np.concatenate([np.asarray(e, dtype=float).ravel() for e in edges])
    rows = np.concatenate([np.full(np.size(e), i) for i, e in enumerate(edges)])
    order = np.lexsort((values, rows))
    values, rows = values[order], rows[order]
    keep = (rows[1:] == rows[:-1]) & (values[1:] > values[:-1])
    return values[:-1][keep], values[1:][keep], rows[:-1][keep]


def nodes(a, b):
    """The 21 Kronrod nodes of each panel, shape (panels, 21), and the half-widths."""
    half = 0.5 * (b - a)
    return (0.5 * (a + b))[:, None] + half[:, None] * XK, half


def adaptive(f, panels, n_rows, atol=ATOL, rtol=RTOL):
    """Row-wise integrals of ``f`` over the panels, refined until each panel is accurate.

    Parameters
    ----------
    f : callable
        ``f(x, row)`` with ``x`` of shape (panels, 21) and ``row`` of shape (panels,) (the row
        each panel belongs to) returns the integrand at ``x``: shape (panels, 21), or
        (m, panels, 21) for m integrands sharing their evaluations (a panel is then refined
        until all m are accurate).
    panels : tuple of arrays (a, b, row)
    n_rows : int
    atol, rtol : float
        Accuracy asked of each panel: error estimate <= max(atol, rtol * |panel integral|).

    Returns
    -------
    numpy.ndarray, shape (n_rows,) or (m, n_rows)
    """
    a, b, row = panels
    total = None
    forced = np.zeros(n_rows)  # error estimates of panels accepted without meeting the tolerance
    fx = None  # values on the nodes of the current panels, when already known
    for level in range(MAX_LEVELS):
        if a.size == 0:
            break
        if a.size > MAX_PANELS:
            raise RuntimeError(
                f"the quadrature did not converge: {a.size} panels still need refining after {level} halvings ({_WHY})"
            )
        if fx is None:
            fx = f(nodes(a, b)[0], row)  # (panels, 21) or (components, panels, 21)
        k, done, err = _estimate(fx, a, b, atol, rtol)
        stop = ~done & ((level == MAX_LEVELS - 1) | (b - a <= 1e-14 * np.maximum(1.0, np.abs(a))))
        forced += np.bincount(row[stop], weights=(err if err.ndim == 1 else err.max(axis=0))[stop], minlength=n_rows)
        done |= stop
        if total is None:
            total = np.zeros(k.shape[:-1] + (n_rows,))
        for i in np.ndindex(k.shape[:-1]):
            total[i] += np.bincount(row[done], weights=k[i][done], minlength=n_rows)
        m = 0.5 * (a + b)
        a, b, row = (np.concatenate(v) for v in ((a[~done], m[~done]), (m[~done], b[~done]), (row[~done], row[~done])))
        fx = None
    if total is None:
        return np.zeros(n_rows)
    size = np.abs(total) if total.ndim == 1 else np.abs(total).max(axis=0)
    if np.any(forced > np.maximum(1e-10, 1e-10 * size)):
        raise RuntimeError(
            "the quadrature did not converge: panels narrowed to the limit still carry an estimated error of "
            f"{forced.max():.3g} ({_WHY})"
        )
    return total


def adaptive_abs(g, panels, n_rows, atol=ATOL, rtol=RTOL):
    """Row-wise integrals of ``|g|``, with panels first split at the sign changes of ``g``.

    ``|g|`` has a kink wherever ``g`` changes sign. ``g`` is evaluated on the Kronrod nodes of
    every panel; wherever its sign flips between two consecutive nodes of the same row (within
    a panel or across a panel boundary) the root is located by bisection to machine precision
    and that panel is split there, so the adaptive step only sees smooth pieces. Panels without
    a sign change reuse these values for their first quadrature step. A pair of sign changes
    closer together than neighbouring nodes is left to the adaptive halving.
    """
    a, b, row = panels
    x = nodes(a, b)[0]
    gx = g(x, row)
    flips = _flips(gx, row)
    k, done, _ = _estimate(np.abs(gx), a, b, atol, rtol)
    roots, owner = _bisect_flips(g, gx, x, row, flips, b)
    done[owner] = False
    total = np.bincount(row[done], weights=k[done], minlength=n_rows)
    # the remaining panels, each cut at the roots that fall inside it
    rest = np.nonzero(~done)[0]
    ids = np.concatenate([rest, rest, owner])
    v = np.concatenate([a[rest], b[rest], roots])
    order = np.lexsort((v, ids))
    ids, v = ids[order], v[order]
    keep = (ids[1:] == ids[:-1]) & (v[1:] > v[:-1])
    pieces = (v[:-1][keep], v[1:][keep], row[ids[:-1][keep]])
    return total + adaptive(lambda xx, r: np.abs(g(xx, r)), pieces, n_rows, atol, rtol)


def _estimate(fx, a, b, atol, rtol):
    """K21 integral of each panel, whether its QUADPACK error estimate meets the tolerance, the estimate."""
    half = 0.5 * (b - a)
    k = half * (fx @ WK)
    g = half * (fx[..., G_INDEX] @ WG)
    with np.errstate(invalid="ignore", over="ignore"):
        asc = half * (np.abs(fx - (k / (2 * half))[..., None]) @ WK)
        ratio = 200 * np.abs(k - g) / np.where(asc > 0, asc, 1.0)
        err = np.where(asc > 0, asc * np.minimum(1.0, ratio**1.5), 0.0)
        ok = ~np.isfinite(k) | (err <= np.maximum(atol, rtol * np.abs(k)))
    return k, (ok if ok.ndim == 1 else np.all(ok, axis=0)), err


def _flips(gx, row):
    """Flat indices i where g changes sign between node i and node i + 1 of the same row."""
    s = np.sign(gx.ravel())
    rs = np.repeat(row, XK.size)
    return np.nonzero((s[:-1] * s[1:] < 0) & (rs[:-1] == rs[1:]))[0]


def _bisect_flips(g, gx, x, row, flips, b):
    """Roots of ``g`` in each flip's bracket, and the panel each root lies in."""
    if flips.size == 0:
        return np.empty(0), np.empty(0, dtype=int)
    xs, gs, rs = x.ravel(), gx.ravel(), np.repeat(row, XK.size)
    lo, hi, r, s_lo = xs[flips], xs[flips + 1], rs[flips], np.sign(gs[flips])
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        same = np.sign(g(mid[:, None], r)[:, 0]) == s_lo
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    roots = 0.5 * (lo + hi)
    panel = flips // XK.size  # the bracket starts in this panel and may end in the next one
    owner = np.where(roots <= b[panel], panel, (flips + 1) // XK.size)
    return roots, owner
