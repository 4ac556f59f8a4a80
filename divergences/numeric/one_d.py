r"""The numeric path in one dimension: adaptive Gauss-Kronrod quadrature, vectorised over pairs.

Used when no closed form is registered for a pair of 1-D laws (mixtures, exponential against
Gaussian, any scipy.stats continuous law, ...). ``evaluate(name, ps, qs)`` computes the divergence
for many pairs ``(ps[i], qs[i])`` at once: every pair gets its own panels, but the panels of all
pairs are refined together, so a whole divergence-vs-theta curve is a handful of numpy calls.

Method
------
* **Coordinates.** Each pair is integrated in coordinates centred and scaled on it
  (:mod:`divergences.numeric.pairs`): scaled by a power of two near the smaller structure scale
  (the larger for W1, whose integrand spans the wider law), centred on the pair when it lies far
  from the origin. Two laws whose windows do not meet are
  separated: TV 1, JS ln 2, W1 the distance of the means, KL over the first law's window alone.
* **Panels.** Each law contributes panel edges that resolve its structure
  (:mod:`divergences.numeric.panels`): for a Gaussian component of scale sigma, edges every
  2 sigma over mu +- 10 sigma; for an exponential, every 4/rate over [loc, loc + 40/rate]; for a
  uniform, every width/10; for a discrete law, its atoms; for any other law (a scipy.stats one),
  quantiles at logit-spaced tail levels from 1e-30 to 1/2 in each tail, and beyond them edges
  doubling their distance out to 1e150, with the remainder beyond estimated and bounded
  (:mod:`divergences.numeric.remainder`; a tail too heavy for that is refused). Support ends are
  always edges, so no panel straddles a jump of a density.
* **Rule.** Adaptive Gauss-Kronrod (G10/K21) on every panel, all panels of all pairs refined
  together (:mod:`divergences.numeric.quadrature`): a panel is halved until QUADPACK's error estimate is
  below 1e-14 absolute or 1e-12 relative. This also resolves the near-kinks of ``log p`` where
  the dominant component of a mixture with narrow components changes.
* **Kinks.** The TV integrand :math:`|p - q|` and the W1 integrand :math:`|F_p - F_q|` have
  kinks where their inner function changes sign. Sign changes between neighbouring nodes are
  located by 60 steps of bisection and become panel edges, so the integrand is smooth on every
  panel; a pair of sign changes closer together than neighbouring nodes is left to the
  adaptive halving.
* **Log space.** KL and JS integrands are formed from log densities,
  :math:`p(\log p - \log q)` and :math:`p(\log 2 - \log(1 + q/p))` with ``logaddexp``, so they
  stay finite where the densities underflow; so are the squared Hellinger integrand
  :math:`\tfrac12 q\,\mathrm{expm1}(\tfrac12\log(p/q))^2` and the two Rényi integrals
  (:func:`renyi_parts`). Chi-squared and the Rényi divergence of order above 1 first decide
  whether their integral converges: :mod:`divergences.numeric.renyi_1d`.

Accuracy: absolute error below 1e-9 (relative 1e-12 for values above 1e3) for the toys and for
scipy.stats laws with finite variance and bounded densities (the others are refused when
converted; checked in the tests against ``scipy.integrate.quad``, mpmath and closed forms). W1 is
integrated in the pair's coordinates and scaled back, so its bound is in units of the pair's
scale ``s``: max(1e-9 s, 1e-12 W1).
Refinement stops with ``RuntimeError`` if more than ``quadrature.MAX_PANELS`` panels still need
it (a divergent integral).
"""

import numpy as np
from scipy import special

from . import quadrature, renyi_1d
from .pairs import affine, check_resolution, separated, standardise
from .panels import edges_and_window, row_edges, scale_of, tail_edges
from .remainder import TOLERANCE, TailTooHeavy, remainders
from .rows import Rows

__all__ = ["RANGES", "Rows", "evaluate", "evaluate_many", "integrate", "panel_edges", "total_mass"]

_LOG2 = float(np.log(2.0))
#: Range of each divergence; rounding can push a quadrature slightly outside it.
RANGES = {"kl": (0.0, np.inf), "reverse_kl": (0.0, np.inf), "js": (0.0, _LOG2), "tv": (0.0, 1.0), "w1": (0.0, np.inf),
          "hellinger": (0.0, 1.0)}  # fmt: skip


def evaluate(name, ps, qs):
    """Divergence ``name`` for each pair ``(ps[i], qs[i])`` of 1-D laws.

    Parameters
    ----------
    name : {"tv", "kl", "reverse_kl", "js", "w1", "hellinger"}
        ``kl`` is KL(p || q), ``reverse_kl`` KL(q || p); the caller has already checked
        absolute continuity. (The Rényi divergence takes its order: :func:`evaluate_many`.)
    ps, qs : sequences of toys of equal length B
        1-D laws; continuous ones for TV, KL and JS, any for W1.

    Returns
    -------
    numpy.ndarray, shape (B,)
        Values in nats (TV and W1 in their own units).
    """
    return evaluate_many([name], ps, qs)[name]


def evaluate_many(names, ps, qs, alpha=None):
    """Several divergences for each pair; returns a dict ``name -> array of shape (B,)``.

    ``alpha``: the order of ``"renyi"``: in (0, 1) from :func:`renyi_parts`; above 1, and
    ``"chi2"``, from :mod:`divergences.numeric.renyi_1d`, which first decides whether the
    integral converges.
    """
    ps, qs = list(ps), list(qs)
    if "chi2" in names or ("renyi" in names and alpha is not None and alpha > 1.0):
        # the integral of p^alpha q^(1 - alpha), alpha > 1, after deciding whether it converges
        out = renyi_1d.evaluate(names, ps, qs, alpha)
        rest = [n for n in names if n not in out]
        return {**(evaluate_many(rest, ps, qs, alpha) if rest else {}), **out}
    if "renyi" in names:
        return _with_renyi(names, ps, qs, alpha)
    out = {name: np.full(len(ps), np.nan) for name in names}
    apart = [separated(p, q) for p, q in zip(ps, qs, strict=True)]
    near = [i for i, a in enumerate(apart) if not a]
    if near:
        views = [standardise(ps[i], qs[i]) for i in near]
        # W1 in units of the wider law where the scales differ much (pairs.standardise)
        wide = [standardise(ps[i], qs[i], unit="large") for i in near] if "w1" in names else views
        groups = [(names, views)] if wide is views else [([n for n in names if n != "w1"], views), (["w1"], wide)]
        for group, rows in groups:
            if not group:
                continue
            try:
                values = _integrate_rows(group, [v[0] for v in rows], [v[1] for v in rows])
            except TailTooHeavy as exc:
                i = near[exc.row]
                raise TailTooHeavy(f"{exc.name}({ps[i]!r}, {qs[i]!r}): {exc}") from None
            scales = np.array([v[3] for v in rows])
            for name in group:
                out[name][near] = values[name] * (scales if name == "w1" else 1.0)
    far = [i for i, a in enumerate(apart) if a]
    if far:
        for name, values in _separated(names, [ps[i] for i in far], [qs[i] for i in far]).items():
            out[name][far] = values
    return {name: np.clip(out[name], *RANGES[name]) for name in names}


def _integrate_rows(names, ps, qs, owners=None, alpha=None):
    """The divergences of each pair by quadrature on its row's panels.

    ``owners``, if given, names for each row the one law whose window (and tails) alone is used;
    ``alpha``, the order of the Rényi integrals ``"renyi_t"`` and ``"renyi_s"``.
    """
    cache = {}
    edges = [row_edges(p, q, cache) if owners is None else _own_edges(o, cache) for p, q, o
             in zip(ps, qs, owners or [None] * len(ps))]  # fmt: skip
    panels = quadrature.panels_from_edges(edges)
    rows_p, rows_q = Rows(ps), Rows(qs)
    raw = {}
    smooth = [n for n in names if n in _SMOOTH]
    if smooth:  # one evaluation of both densities serves KL, reverse KL and JS
        integrand = _smooth_integrands(smooth, rows_p, rows_q, alpha)
        values = quadrature.adaptive(integrand, panels, len(ps))
        tails = _tails(ps, qs, owners, edges, cache)
        if tails:
            extra, error = remainders(integrand, tails, len(ps))
            _refuse_heavy_tails(smooth, error)
            values = values + extra
        raw.update(zip(smooth, values))
    for name in names:
        if name not in raw:
            raw[name] = integrate(name, panels, rows_p, rows_q, len(ps))
    return raw


def _own_edges(law, cache):
    if id(law) not in cache:
        e, window = edges_and_window(law)
        cache[id(law)] = (e, window, tail_edges(law, window))
    e, (lo, hi), tails = cache[id(law)]
    return np.unique(np.concatenate([np.clip(e, lo, hi), [lo, hi], tails]))


def _tails(ps, qs, owners, edges, cache):
    """For each row with tail edges, its edges beyond the window on the right and on the left, outwards."""
    out = {}
    for i, (p, q, e) in enumerate(zip(ps, qs, edges, strict=True)):
        laws = (p, q) if owners is None else (owners[i],)
        if not any(cache[id(d)][2].size for d in laws):
            continue
        lo = min(cache[id(d)][1][0] for d in laws)
        hi = max(cache[id(d)][1][1] for d in laws)
        out[i] = (e[e > hi], e[e < lo][::-1])
    return out


def _refuse_heavy_tails(names, error):
    bad = np.argwhere(error > TOLERANCE)
    if bad.size:
        k, i = bad[0]
        exc = TailTooHeavy(
            f"the integrand decays so slowly in a tail that beyond 1e150 it is known only to {error[k, i]:.2g}, above "
            "the 1e-9 the quadrature promises; the divergence is finite but not computed (estimate it from samples "
            "with divergences.empirical)"
        )
        exc.name, exc.row = names[k], int(i)
        raise exc


def _separated(names, ps, qs):
    """The divergences of pairs whose windows do not meet (:func:`divergences.numeric.pairs.separated`)."""
    out = {}
    for name in names:
        if name in ("tv", "hellinger"):
            out[name] = np.ones(len(ps))
        elif name == "js":
            out[name] = np.full(len(ps), _LOG2)
        elif name == "w1":
            out[name] = np.array([_distance_of_means(p, q) for p, q in zip(ps, qs)])
        else:  # KL over the window of the law the expectation is taken under, in its coordinates
            under = ps if name == "kl" else qs
            views = [_own_coordinates(u, p, q) for u, p, q in zip(under, ps, qs)]
            owners = [v[0] if name == "kl" else v[1] for v in views]
            try:
                out[name] = _integrate_rows([name], [v[0] for v in views], [v[1] for v in views], owners)[name]
            except TailTooHeavy as exc:
                raise TailTooHeavy(f"{exc.name}({ps[exc.row]!r}, {qs[exc.row]!r}): {exc}") from None
    return out


def _distance_of_means(p, q):
    """|E Q - E P|, the means taken from a point between them: a mean at 1e8 is rounded by 7e-9."""
    c = 0.5 * float(p.mean) + 0.5 * float(q.mean)
    return abs(float(affine(q, c, 1.0).mean) - float(affine(p, c, 1.0).mean))


def _own_coordinates(law, p, q):
    """``p`` and ``q`` in the coordinates centred and scaled on ``law`` alone."""
    lo, hi = edges_and_window(law)[1]
    centre = 0.5 * lo + 0.5 * hi
    c = centre if abs(centre) > 16.0 * (hi - lo) else 0.0
    s = 2.0 ** round(np.log2(scale_of(law)))
    check_resolution(law, c)
    return affine(p, c, s), affine(q, c, s)


def total_mass(d):
    """Integral of the density of the 1-D law ``d`` (1 for a probability density on the line).

    Integrated over the law's window widened by its own width on each side where the support is
    unbounded, so that a density that does not vanish outside the window (a periodic one) shows;
    in coordinates centred on that window when it lies far from the origin (the mass is the same).
    """
    lo, hi = edges_and_window(d)[1]
    centre = 0.5 * lo + 0.5 * hi
    if abs(centre) > 16.0 * (hi - lo):
        d = affine(d, centre, 2.0 ** round(np.log2(scale_of(d))))
    edges, (lo, hi) = edges_and_window(d)
    low, high = d.support
    width = hi - lo
    lo, hi = (lo - width if np.isinf(low) else lo), (hi + width if np.isinf(high) else hi)
    edges = np.concatenate([edges, np.linspace(lo, hi, 64)])
    panels = quadrature.panels_from_edges([np.clip(edges, lo, hi)])
    return float(quadrature.adaptive(lambda x, row: np.exp(d.logpdf(x)), panels, 1)[0])


def integrate(name, panels, p, q, n_rows, **tol):
    """Raw row-wise integral of divergence ``name`` between row laws ``p`` and ``q`` (``Rows``).

    Raw: not clipped to the divergence's range, because in 2-D the rows are slices of a joint
    density and their integrals are only parts of the divergence. ``tol``: ``atol``/``rtol``
    of :func:`divergences.numeric.quadrature.adaptive`.
    """
    if name in _SMOOTH:
        return quadrature.adaptive(_smooth_integrands([name], p, q), panels, n_rows, **tol)[0]
    if name == "tv":

        def g(x, row):
            return np.exp(p.logpdf(x, row)) - np.exp(q.logpdf(x, row))

        return 0.5 * quadrature.adaptive_abs(g, panels, n_rows, **tol)
    if name == "w1":

        def g(x, row):
            return p.cdf(x, row) - q.cdf(x, row)

        return quadrature.adaptive_abs(g, panels, n_rows, **tol)
    raise ValueError(f"name must be one of {tuple(RANGES)}, got {name!r}")


def _with_renyi(names, ps, qs, alpha):
    """Rényi of order ``alpha`` in (0, 1) from its two integrals (:func:`renyi_parts`), and the rest."""
    if alpha is None or not 0.0 < alpha < 1.0:
        raise NotImplementedError(
            f"the numeric path computes the Rényi divergence for orders in (0, 1) and above 1, not alpha={alpha!r} "
            "(the order 1 is KL: divergences.renyi computes it so)"
        )
    for p, q in zip(ps, qs, strict=True):
        if separated(p, q):
            raise NotImplementedError(
                f"renyi({p!r}, {q!r}): the two laws lie so far apart that the integral of p^alpha q^(1-alpha) has "
                "its mass between their windows, where the quadrature places no panels"
            )
    others = [n for n in names if n != "renyi"]
    out = evaluate_many(others, ps, qs) if others else {}
    out["renyi"] = renyi_parts(ps, qs, alpha)
    return out


def renyi_parts(ps, qs, alpha):
    r"""Rényi divergence of order ``alpha`` in (0, 1) for each pair, from two integrals.

    With :math:`c = lpha - 1` and :math:`L = \ln(p/q)`: :math:`T = E_P[L\,\mathrm{exprel}(cL)]`
    gives :math:`D = T\ln(1 + cT)/(cT)`, accurate where :math:`\int p^lpha q^{1-lpha} = 1 + cT`
    is near 1; :math:`S = \int p^lpha q^{1-lpha}` itself gives :math:`D = \ln S/c`, accurate
    where S is small (far-apart laws). The first is used where :math:`|cT| < 1/2`.
    """
    from ..closed_forms.elementary import log1p_ratio  # closed_forms imports this module: import late

    c = alpha - 1.0
    views = [standardise(p, q) for p, q in zip(ps, qs, strict=True)]
    raw = _integrate_rows(["renyi_t", "renyi_s"], [v[0] for v in views], [v[1] for v in views], alpha=alpha)
    t, s = np.maximum(raw["renyi_t"], 0.0), raw["renyi_s"]
    with np.errstate(divide="ignore"):
        far = np.log(np.clip(s, 0.0, 1.0)) / c
    return np.maximum(np.where(np.abs(c * t) < 0.5, t * log1p_ratio(c * t), far), 0.0)


# -- the integrands, from log densities so that they stay finite where densities underflow ---
def _kl_pointwise(lp, lq):
    """p (log p - log q) as sign * exp(log p + log|log p - log q|): finite far beyond where p underflows."""
    with np.errstate(invalid="ignore", divide="ignore"):
        d = lp - lq
        return np.where(lp > -np.inf, np.sign(d) * np.exp(lp + np.log(np.abs(d))), 0.0)


def _js_pointwise(lp, lq):
    """(p log(2p/(p+q)) + q log(2q/(p+q))) / 2, with p log(2p/(p+q)) = p (log 2 - log(1 + q/p))."""
    with np.errstate(invalid="ignore"):
        fp = np.where(lp > -np.inf, np.exp(lp) * (_LOG2 - np.logaddexp(0.0, lq - lp)), 0.0)
        fq = np.where(lq > -np.inf, np.exp(lq) * (_LOG2 - np.logaddexp(0.0, lp - lq)), 0.0)
    return 0.5 * (fp + fq)


def _hellinger_pointwise(lp, lq):
    """(sqrt p - sqrt q)^2 / 2 as q expm1((log p - log q) / 2)^2 / 2: no cancellation where p ~ q."""
    with np.errstate(invalid="ignore", over="ignore"):
        big, small = np.maximum(lp, lq), np.minimum(lp, lq)
        d = np.where(big > -np.inf, 0.5 * (small - big), 0.0)
        return np.where(big > -np.inf, 0.5 * np.exp(big) * np.expm1(d) ** 2, 0.0)


def _renyi_t_pointwise(lp, lq, alpha):
    """p L exprel(c L), L = log p - log q, c = alpha - 1: (p^alpha q^(1-alpha) - p) / c, written to stay finite."""
    c = alpha - 1.0
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        d = np.where(lp > -np.inf, lp - lq, 0.0)
        big = c * d > 1.0  # (alpha < 1: p far below q) the exponential form, in logs
        direct = np.exp(lp) * d * special.exprel(np.where(big, 0.0, c * d))
        logs = (np.exp(lp + c * d) - np.exp(lp)) / c
        return np.where(lp > -np.inf, np.where(big, logs, direct), 0.0)


def _renyi_s_pointwise(lp, lq, alpha):
    """p^alpha q^(1-alpha), from the log densities."""
    with np.errstate(invalid="ignore"):
        return np.exp(alpha * lp + (1.0 - alpha) * lq)


_SMOOTH = {
    "kl": lambda lp, lq, alpha: _kl_pointwise(lp, lq),
    "reverse_kl": lambda lp, lq, alpha: _kl_pointwise(lq, lp),
    "js": lambda lp, lq, alpha: _js_pointwise(lp, lq),
    "hellinger": lambda lp, lq, alpha: _hellinger_pointwise(lp, lq),
    "renyi_t": _renyi_t_pointwise,
    "renyi_s": _renyi_s_pointwise,
}


def _smooth_integrands(names, p, q, alpha=None):
    def f(x, row):
        lp, lq = p.logpdf(x, row), q.logpdf(x, row)
        return np.stack([_SMOOTH[n](lp, lq, alpha) for n in names])

    return f


def panel_edges(p, q, cache=None):
    """The sorted panel edges on which a pair of 1-D laws is integrated, in their own coordinates.

    Parameters
    ----------
    p, q : toys or frozen scipy.stats laws, 1-D (already converted, e.g. by ``check_pair``)
        The two laws.
    cache : dict, optional
        Maps ``id(law)`` to that law's edges and window, so that a law shared by many pairs is
        resolved once; a fresh one is used when omitted.

    Returns
    -------
    numpy.ndarray, shape (k,)
        Increasing edges from the low to the high end of the union of the two laws' windows
        (outside it lies less than ~1e-17 of the mass of each toy, 1e-30 of other laws), without
        the doubling tail edges of laws with unknown tails.
    """
    cache = {} if cache is None else cache
    e = row_edges(p, q, cache)
    lo = min(cache[id(p)][1][0], cache[id(q)][1][0])
    hi = max(cache[id(p)][1][1], cache[id(q)][1][1])
    return e[(e >= lo) & (e <= hi)]
