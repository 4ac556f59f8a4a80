r"""The numeric path of ``w2``: the quantile integral in 1-D by adaptive Gauss-Kronrod quadrature,
exact transport between discretisations in 2-D (:func:`divergences.numeric.transport_2d.w2`, stated
to 5e-2 max(1, sigma_max) as W1's transport, measured 2.1e-2 on random Gaussian pairs).

In 1-D the quantile coupling is optimal for the squared cost (Villani 2003, Sec. 2.2), so

.. math:: W_2^2(P, Q) = \int_0^1 \big(F_P^{-1}(u) - F_Q^{-1}(u)\big)^2\,du
          = \int_{-\infty}^{\infty} \big(F_P^{-1} - F_Q^{-1}\big)^2(\operatorname{expit} s)\,
          \operatorname{expit}(s)\operatorname{expit}(-s)\,ds .

Method
------
* **Logit variable.** :math:`u = \operatorname{expit}(s)`: the weight :math:`u(1 - u)` decays
  like :math:`e^{-|s|}`, and the squared quantiles of a law with a finite second moment grow
  more slowly, so the integrand decays in both tails. Below the median the quantile is taken at
  :math:`u`, above it from the upper tail mass :math:`1 - u = \operatorname{expit}(-s)`
  (``isf``, or the law's own upper-tail formula), so no digit of a small tail mass is lost to
  :math:`1 - u`. Gaussians: ``ndtri_exp`` of :math:`\ln u`; exponentials
  :math:`\mathrm{loc} - \ln(1 - u)/\lambda`; uniforms from the nearer end; mixtures by a
  safeguarded Newton iteration on :math:`\ln F` (lower half) or :math:`\ln(1 - F)` (upper half),
  all mixtures of all pairs at once, to a few units of the last place; finite laws are steps
  whose jumps, at the logits of the cumulative masses, are panel edges; a law may also bring
  its own ``logit_quantile(s)`` (the blurred uniform of the smoothed lines).
* **Panels.** Edges every 4 over :math:`|s| \le 60` (beyond, less than :math:`10^{-22}` of the
  integral for the toys), at the jumps of a finite law, and at the logits of the cumulative
  weights of a mixture's components sorted by mean (where its quantile function is steep);
  a scipy.stats law gets further edges out to :math:`|s| = 700`, and is refused
  (:class:`~divergences.numeric.remainder.TailTooHeavy`) if its integrand has not died out
  there (a second moment that is finite but barely).
* **Coordinates.** Each law is centred on its own mean and both are scaled by ``s``, a power of
  two near the larger standard deviation of the two; with :math:`\delta` the difference of the
  means in those units and :math:`I` the integral between the centred laws,
  :math:`W_2^2 = s^2(\delta^2 + I)` (the cross term vanishes: the centred quantile functions
  have mean zero). Far-apart, far-from-the-origin, tiny- and huge-scale pairs are therefore
  integrated at unit scale, and a translate is exactly its shift.
* **Rule.** :func:`divergences.numeric.quadrature.adaptive` (G10/K21), all pairs together, each
  panel refined until its error estimate is below ``1e-21`` absolute or ``1e-12`` relative.

Accuracy: absolute error below ``max(1e-9 s, 1e-12 W2)`` (``s`` as above), for the toys and
for scipy.stats laws with finite variance; measured in the tests against mpmath (40 digits) and
``scipy.integrate.quad`` of the quantile integral, and against the closed forms. The bound
holds for :math:`W_2` near 0 too: the integral of the square is resolved to ``1e-19``.
"""

import math

import numpy as np
from scipy import special

from toys import ShiftedLine
from toys.base import ContinuousDistribution, DiscreteDistribution

from . import quadrature, transport_2d
from .pairs import Affine, affine
from .remainder import TailTooHeavy
from .rows import _components

__all__ = ["ATOL", "FAR", "LIMIT", "evaluate", "method", "quantile", "w2_rows"]

#: The integral in s runs over [-LIMIT, LIMIT] for the toys.
LIMIT = 60.0
#: ... and out to FAR for laws known by ppf/isf only (scipy.stats laws).
FAR = 700.0
#: Per-panel absolute tolerance on the integral of the square, in units of the pair's scale squared.
ATOL = 1e-21
_EDGES = np.arange(-LIMIT, LIMIT + 1.0, 4.0)
_FAR_EDGES = np.array([80.0, 100.0, 140.0, 200.0, 300.0, 450.0, FAR])
_TABLE = 129  # points of the table that brackets a mixture's quantiles
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_SPAN = 50.0  # a mixture's quantiles lie within its components' means +- _SPAN sd (|s| <= 700)


def evaluate(ps, qs, **params):
    """``w2(ps[i], qs[i])`` for every pair with no closed form; returns an array of shape (B,).

    The 1-D pairs by the quantile integral, all together; 2-D pairs one at a time by exact transport
    between discretisations (:func:`divergences.numeric.transport_2d.w2`).

    Raises
    ------
    NotImplementedError
        For a pair that :func:`method` refuses, or a scipy.stats law whose tails are too heavy
        for the quadrature.
    """
    ps, qs = list(ps), list(qs)
    kinds = [method(p, q) for p, q in zip(ps, qs, strict=True)]
    out = np.empty(len(ps))
    flat = [i for i, k in enumerate(kinds) if k == "quadrature"]
    if flat:
        out[flat] = w2_rows([ps[i] for i in flat], [qs[i] for i in flat])
    for i, k in enumerate(kinds):
        if k == "transport":
            out[i] = transport_2d.w2(ps[i], qs[i])
    return out


def method(p, q, **params):
    """How :func:`evaluate` computes the pair: ``"quadrature"`` in 1-D, ``"transport"`` in 2-D.

    Raises
    ------
    NotImplementedError
        In 3 or more dimensions, and in 2-D for laws other than Gaussians, Gaussian mixtures and
        :class:`toys.ShiftedLine` (the closed forms also cover Gaussians in any dimension and the
        smoothed lines).
    """
    if p.dim == 1:
        return "quadrature"
    if p.dim == 2 and all(hasattr(d, "as_mixture") or isinstance(d, ShiftedLine) for d in (p, q)):
        return "transport"
    raise NotImplementedError(
        f"w2({p!r}, {q!r}) in {p.dim} dimensions has no closed form, and the numeric path of w2 covers 1-D "
        "pairs and 2-D Gaussians, mixtures and ShiftedLine (closed forms: Gaussians in any dimension, ShiftedLine "
        "and SmoothedLine pairs); estimate it from samples with divergences.empirical.w2"
    )


def w2_rows(ps, qs):
    """W2 of each pair of 1-D laws by the quantile integral (the module docstring); shape (B,)."""
    moved, deltas, scales = [], [], []
    for p, q in zip(ps, qs, strict=True):
        s = 2.0 ** round(math.log2(max(_spread(p), _spread(q))))
        a, b = float(p.mean), float(q.mean)
        pc, qc = affine(p, a, s), affine(q, b, s)
        # the centred laws' own means (rounding of a, b) enter the difference of the means
        deltas.append((a - b) / s + (float(pc.mean) - float(qc.mean)))
        moved.append((pc, qc, float(pc.mean) - float(qc.mean)))
        scales.append(s)
    try:
        integral = _integrate([m[0] for m in moved], [m[1] for m in moved])
    except TailTooHeavy as exc:  # name the laws as given, not their centred views
        raise TailTooHeavy(f"w2({ps[exc.row]!r}, {qs[exc.row]!r}): {exc}") from None
    # the integral between the centred laws includes their (rounding-size) mean difference once more
    rest = np.maximum(integral - np.array([m[2] for m in moved]) ** 2, 0.0)
    return np.array([s * math.hypot(d, math.sqrt(r)) for s, d, r in zip(scales, deltas, rest, strict=True)])


def _spread(d):
    """Standard deviation of a 1-D law (its atoms' spread, or 1 for a point mass)."""
    if hasattr(d, "as_mixture"):
        w, m, sd = _components(d)
        mean = float(w @ m)
        var = float(w @ (sd * sd + (m - mean) ** 2))
    else:
        var = float(d.var)
    return math.sqrt(var) if var > 0.0 else 1.0


def _integrate(ps, qs):
    """The integral of the squared difference of the quantile functions of each pair, in s."""
    edges, far = [], {}
    for r, (p, q) in enumerate(zip(ps, qs, strict=True)):
        e = np.concatenate([_EDGES, _jumps(p), _jumps(q)])
        reach = min([_reach(d) for d in (p, q) if _featureless(d)], default=None)
        if reach is not None:
            out = _FAR_EDGES[_FAR_EDGES <= reach]
            e = np.concatenate([e, out, -out])
            far[r] = reach
        edges.append(e[np.abs(e) <= (LIMIT if reach is None else reach)])
    panels = quadrature.panels_from_edges(edges)

    def f(s, row):
        return _integrand(ps, qs, s, row)

    values = quadrature.adaptive(f, panels, len(ps), atol=ATOL, rtol=quadrature.RTOL)
    _check_tails(ps, qs, far, values)
    return values


def _reach(d):
    """The farthest far edge at which the law's ppf and isf are finite and on the right side of the median."""
    median = float(quantile(d, np.zeros(1))[0])
    for reach in _FAR_EDGES[::-1]:
        with np.errstate(all="ignore"):
            low, high = quantile(d, np.array([-reach, reach]))
        if np.isfinite(low) and np.isfinite(high) and low <= median <= high:
            return float(reach)
    return LIMIT


def _integrand(ps, qs, s, row):
    d = _quantiles(ps, s, row) - _quantiles(qs, s, row)
    return d * d * special.expit(s) * special.expit(-s)


def _quantiles(laws, s, row):
    """``quantile(laws[row[i]], s[i])`` for the panels ``s`` (P, n) of rows ``row`` (P,): the mixtures
    of all rows in one root finding, the other laws row by row."""
    out = np.empty_like(s)
    mixtures = {}
    for r in np.unique(row):
        if _is_mixture(laws[r]):
            mixtures[r] = _components(laws[r])
        else:
            sel = row == r
            out[sel] = quantile(laws[r], s[sel])
    if mixtures:
        sel = np.isin(row, list(mixtures))
        index = {r: k for k, r in enumerate(mixtures)}
        which = np.array([index[r] for r in row[sel]])
        out[sel] = _mixture_quantile(list(mixtures.values()), s[sel], np.broadcast_to(which[:, None], s[sel].shape))
    return out


def _is_mixture(d):
    return hasattr(d, "as_mixture") and d.as_mixture()[0].size > 1


def _check_tails(ps, qs, far, values):
    """Refuse a row whose integrand at its far end has not died out (a barely finite second moment)."""
    for r, reach in far.items():
        s = np.array([[-reach, -reach + 20.0, reach - 20.0, reach]])
        with np.errstate(all="ignore"):
            h = _integrand(ps, qs, s, np.array([r]))[0]
        # beyond the far end the integrand decays at least like its rate over the last 20
        tails = []
        for outer, inner in ((h[0], h[1]), (h[3], h[2])):
            rate = math.log(inner / outer) / 20.0 if outer > 0.0 and inner > outer else 0.0
            tails.append(0.0 if outer == 0.0 else (outer / rate if rate > 0.0 else math.inf))
        if not all(np.isfinite(h)) or max(tails) > 1e-20 + 1e-13 * values[r]:
            exc = TailTooHeavy(
                "the squared quantiles grow so fast in a tail that the quantile integral is not known to the "
                f"promised accuracy beyond u = expit(+-{reach:g}); estimate it from samples with "
                "divergences.empirical.w2"
            )
            exc.row = r
            raise exc


def _featureless(d):
    return isinstance(d, ContinuousDistribution) and d.features() is None


def _jumps(d):
    """Logits where the quantile function of ``d`` jumps (finite laws) or may be steep (mixtures)."""
    if isinstance(d, DiscreteDistribution):
        return _levels(d)[0]
    if hasattr(d, "as_mixture"):
        w, m, _ = _components(d)
        if w.size > 1:
            w = w[np.argsort(m, kind="stable")]
            return _logits(w)[0]
    return np.empty(0)


def _logits(probs):
    """Logits of the cumulative masses below the last one, each from the masses below and above it."""
    probs = np.asarray(probs, dtype=float)
    below = np.cumsum(probs)[:-1]
    above = np.cumsum(probs[::-1])[::-1][1:]
    keep = (below > 0) & (above > 0)
    with np.errstate(divide="ignore"):
        return np.log(below[keep]) - np.log(above[keep]), keep


def _levels(d):
    """``(logits, atoms)``: the quantile of a finite law is ``atoms[k]`` for s in (logits[k-1], logits[k]]."""
    positive = d.probs > 0
    probs, atoms = d.probs[positive], d.atoms[positive]
    logits, _ = _logits(probs)
    return logits, atoms


def quantile(d, s):
    r"""The quantile function of the 1-D law ``d`` at the levels :math:`u = \operatorname{expit}(s)`.

    Parameters
    ----------
    d : toy, view of :mod:`divergences.numeric.pairs`, or a law with ``logit_quantile(s)``
        A 1-D law.
    s : numpy.ndarray
        Logits of the levels.

    Returns
    -------
    numpy.ndarray
        :math:`F^{-1}(\operatorname{expit}(s))`, shape of ``s``; the upper half from the upper
        tail mass :math:`\operatorname{expit}(-s)`, without forming :math:`1 - u`.
    """
    s = np.asarray(s, dtype=float)
    lower = s < 0
    if isinstance(d, DiscreteDistribution):
        logits, atoms = _levels(d)
        return atoms[np.searchsorted(logits, s, side="left")]
    if hasattr(d, "as_mixture"):
        w, m, sd = _components(d)
        if w.size == 1:  # a Gaussian: ndtri_exp of the log of the nearer tail mass
            z = special.ndtri_exp(special.log_expit(-np.abs(s)))
            return m[0] + sd[0] * np.where(lower, z, -z)
        return _mixture_quantile([(w, m, sd)], s, np.zeros(s.shape, dtype=int))
    if hasattr(d, "logit_quantile"):  # a law that knows its own (divergences.closed_forms.w2.BlurredUniform)
        return d.logit_quantile(s)
    if isinstance(d, Affine):
        return (quantile(d.law, s) - d.c) / d.s
    if hasattr(d, "rate"):  # an exponential: loc + E / rate, E = -log(1 - u)
        return d.loc - special.log_expit(-s) / d.rate
    if hasattr(d, "width"):  # a uniform, from the nearer end
        return np.where(lower, d.low + d.width * special.expit(s), d.high - d.width * special.expit(-s))
    u, v = special.expit(s), special.expit(-s)
    upper = d.isf(v) if hasattr(d, "isf") else d.ppf(1.0 - v)
    return np.where(lower, d.ppf(u), upper)


def _mixture_quantile(mixtures, s, which):
    """Quantiles of 1-D Gaussian mixtures (``which`` indexes ``mixtures``, one per element of ``s``).

    Newton's method on :math:`\\ln F = \\ln u` (lower half) or :math:`\\ln(1 - F) = \\ln(1 - u)`
    (upper half), safeguarded by a bracket that starts from a table of the mixture's tails on
    :data:`_TABLE` points and falls back to bisection; stops when a step or the bracket is below
    4 units of the last place plus 2e-15 (in the pair's units: about the rounding of ln F over its
    slope).
    """
    k = max(w.size for w, _, _ in mixtures)
    logw, mu, sd = np.full((len(mixtures), k), -np.inf), np.zeros((len(mixtures), k)), np.ones((len(mixtures), k))
    for i, (w, m, sds) in enumerate(mixtures):
        with np.errstate(divide="ignore"):
            logw[i, : w.size] = np.log(w)
        mu[i, : w.size], sd[i, : w.size] = m, sds
    used = np.isfinite(logw)
    lows = np.min(np.where(used, mu - _SPAN * sd, np.inf), axis=1)
    highs = np.max(np.where(used, mu + _SPAN * sd, -np.inf), axis=1)
    flat, idx = s.ravel(), np.broadcast_to(which, s.shape).ravel()
    t = special.log_expit(-np.abs(flat))  # log of the nearer tail mass
    g = np.where(flat < 0, 1.0, -1.0)  # the lower half solves log F = t, the upper log(1 - F) = t

    def tail(x, gg, i):
        """log F(x) (gg = 1) or log(1 - F(x)) (gg = -1) of the mixtures i, and log f(x)."""
        z = (x[..., None] - mu[i]) / sd[i]
        log_t = special.logsumexp(logw[i] + special.log_ndtr(gg[..., None] * z), axis=-1)
        log_f = special.logsumexp(logw[i] - np.log(sd[i]) - 0.5 * z * z, axis=-1) - _HALF_LOG_2PI
        return log_t, log_f

    grid = lows[:, None] + (highs - lows)[:, None] * np.linspace(0.0, 1.0, _TABLE)  # (R, table)
    rows = np.arange(len(mixtures))[:, None]
    # the table of g ln(tail), increasing along each row, shifted by row so that one sorted array
    # holds them all (the values lie in [-1300, 1300]); a bracket one cell wider on each side than
    # the table says, against the rounding of the shift
    shift = 4000.0 * np.arange(len(mixtures))
    j, x = np.empty(flat.shape, dtype=int), np.empty(flat.shape)
    for sign in (1.0, -1.0):
        values = sign * tail(grid, np.full(grid.shape, sign), np.broadcast_to(rows, grid.shape))[0]
        half = g == sign
        i, target = idx[half], sign * t[half]
        k = np.clip(np.searchsorted((values + shift[:, None]).ravel(), target + shift[i]) - i * _TABLE, 1, _TABLE - 1)
        lo, hi = values[i, k - 1], values[i, k]  # start from the linear interpolation in that cell
        x[half] = grid[i, k - 1] + (grid[i, k] - grid[i, k - 1]) * np.clip((target - lo) / (hi - lo), 0.0, 1.0)
        j[half] = k
    a, b = grid[idx, np.clip(j - 2, 0, _TABLE - 1)], grid[idx, np.clip(j + 1, 0, _TABLE - 1)]

    def newton(x, k):
        log_t, log_f = tail(x, g[k], idx[k])
        value = g[k] * (log_t - t[k])  # increasing in x
        return value, x - value / np.exp(log_f - log_t)

    with np.errstate(all="ignore"):
        every = np.arange(flat.size)
        (_, from_a), (_, from_b) = newton(a, every), newton(b, every)
        k = every  # the elements still iterating
        for _ in range(60):
            xk, ak, bk = x[k], a[k], b[k]
            value, step = newton(xk, k)
            below, above = value < 0, value > 0
            ak, from_a[k] = np.where(below, xk, ak), np.where(below, step, from_a[k])
            bk, from_b[k] = np.where(above, xk, bk), np.where(above, step, from_b[k])
            # Newton from x, else from the end of the bracket it converges from (log F is concave
            # in the lower tail, -log(1 - F) convex in the upper), else bisection
            new = 0.5 * (ak + bk)
            for candidate in (from_b[k], from_a[k], step):
                new = np.where((candidate > ak) & (candidate < bk), candidate, new)
            tol = 4e-16 * np.abs(xk) + 2e-15  # the rounding of log F, over its slope, in the pair's units
            done = (value == 0) | (np.abs(step - xk) <= tol) | (bk - ak <= tol)
            x[k], a[k], b[k] = np.where(done, xk, new), ak, bk
            k = k[~done]
            if k.size == 0:
                break
    return x.reshape(s.shape)
