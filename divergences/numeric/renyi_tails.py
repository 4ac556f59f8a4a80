r"""Whether :math:`\int p^\alpha q^{1-\alpha}` converges (alpha > 1) for two 1-D laws, and how far out it lives.

For :math:`\alpha > 1` the integrand :math:`p^\alpha q^{1-\alpha} = p^\alpha / q^{\alpha - 1}` is
large where Q is thin, so the value depends on the tails. Each unbounded side of a law has one of
two tail classes, read from the law itself:

* **Gaussian**: a Gaussian or Gaussian mixture. Its log density on the right is
  :math:`-x^2/(2\sigma^2) + \mu x/\sigma^2 + O(1)` for the component of largest :math:`\sigma`
  (of largest mean among those; smallest mean on the left).
* **exponential**: :class:`toys.Exponential` on the right, :math:`\ln\lambda - \lambda(x - l)`.

A uniform law, an exponential on its left and any law with a finite end are bounded there.
Where P is unbounded, Q must be too (else P charges where Q does not: :math:`D_\alpha = \infty`)
and the log integrand on that side is :math:`-A x^2/2 + B x + O(1)`:

* Gaussian P and Q: :math:`A = \alpha/\sigma_p^2 - (\alpha - 1)/\sigma_q^2`,
  :math:`B = \alpha\mu_p/\sigma_p^2 - (\alpha - 1)\mu_q/\sigma_q^2`; finite iff :math:`A > 0`, or
  :math:`A = 0` and the linear term decays (:math:`B < 0` on the right, :math:`B > 0` on the
  left). For single Gaussians this is the condition that :math:`\alpha\sigma_q^2 + (1 -
  \alpha)\sigma_p^2 > 0` (Gil, Alajaji and Linder 2013, Table 2). The signs are decided exactly,
  in rational arithmetic on the floats given.
* Gaussian P, exponential Q: :math:`A = \alpha/\sigma_p^2 > 0`, finite. Exponential P, Gaussian
  Q: :math:`A = -(\alpha - 1)/\sigma_q^2 < 0`, infinite.
* exponential P and Q: :math:`A = 0`, :math:`B = -(\alpha\lambda_p - (\alpha - 1)\lambda_q)`;
  finite iff :math:`\alpha\lambda_p > (\alpha - 1)\lambda_q` (Gil et al. 2013, Table 2).

Pairs whose widest components lie within :data:`NEAR` (relative) of :math:`A = 0` are refused: the
integrand then spreads over more than 100 standard deviations, where rounding in its logarithm
exceeds the accuracy promised.

A law with no tail class (a scipy.stats law) is accepted as P only on a bounded support, against
a toy Q whose density is bounded below there (the integrand is then bounded; the wrapper of
:mod:`divergences.laws` checks that the density is bounded); otherwise the pair is refused.

**How far out.** Bounds that hold on the whole line give the tails' size: for a mixture
:math:`p^\alpha \le \sum_k w_k N_k^\alpha` (Jensen) and :math:`q \ge w_j N_j` for any component
:math:`j`, so :math:`p^\alpha q^{1-\alpha} \le \sum_k e^{-a_k x^2/2 + b_k x + c_k}`, a sum of
Gaussian (or, for exponentials, exponential) terms whose integrals beyond X are explicit.
:func:`reach` moves each end of the window out until these bounds, and the mass of Q beyond
(the integrand of :mod:`divergences.numeric.renyi_1d` also carries :math:`(\alpha - 1)q`), are
below :math:`e^{-75}` in all: at most 3e-33 relative to :math:`\int p^\alpha q^{1-\alpha} \ge 1`.

References
----------
.. [1] M. Gil, F. Alajaji, T. Linder, "Rényi divergence measures for commonly used univariate
   continuous distributions", Information Sciences 249 (2013), Table 2.
.. [2] T. van Erven, P. Harremoës, "Rényi divergence and Kullback-Leibler divergence", IEEE
   Trans. Inf. Theory 60 (2014) (:math:`D_\alpha \ge 0`, so the integral is >= 1).
"""

import math
from fractions import Fraction

import numpy as np
from scipy import special

from toys import Exponential, Uniform
from toys.base import DiscreteDistribution

from .rows import _components

__all__ = ["LOG_TAIL", "NEAR", "decide", "is_discrete", "peak_edges", "reach", "tail_terms"]

#: Closest relative distance to the boundary alpha sigma_q^2 + (1 - alpha) sigma_p^2 = 0 that is integrated.
NEAR = 1e-4
#: Log of the largest integral left beyond the window (relative to int p^alpha q^(1-alpha) >= 1).
LOG_TAIL = -75.0
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def _kind(d):
    """``"gauss"``, ``"exp"``, ``"uniform"`` or None (a law whose tails the toolkit does not know)."""
    if hasattr(d, "as_mixture") and d.dim == 1:
        return "gauss"
    if isinstance(d, Exponential):
        return "exp"
    if isinstance(d, Uniform):
        return "uniform"
    return None


def _dominant(d, side):
    """(weight, mean, std) of the component ruling the tail ``side`` (+1 right, -1 left), from the law's own floats."""
    w = d.as_mixture()[0]
    means, stds = d.features()
    w = w[w > 0]
    k = max(range(stds.size), key=lambda i: (stds[i], side * means[i]))
    return float(w[k]), float(means[k]), float(stds[k])


def decide(p, q, alpha):
    """Whether the Rényi integral of order ``alpha`` > 1 of the continuous 1-D laws ``p``, ``q`` is finite.

    Returns
    -------
    bool
        False where it diverges (supports, or a tail on one side).

    Raises
    ------
    NotImplementedError
        For a law whose tails the toolkit does not know, where they matter (module docstring).
    """
    (lo_p, hi_p), (lo_q, hi_q) = p.support, q.support
    if lo_p < lo_q or hi_p > hi_q:
        return False  # P charges where Q has no mass
    kp, kq = _kind(p), _kind(q)
    if kq is None or (kp is None and not (np.isfinite(lo_p) and np.isfinite(hi_p))):
        law = q if kq is None else p
        raise NotImplementedError(
            f"renyi/chi2 of order {alpha!r} > 1 between {p!r} and {q!r}: whether the integral of p^alpha q^(1-alpha) "
            f"converges depends on the tails of {law!r}, which the toolkit does not know (it decides Gaussians, "
            "mixtures, exponentials and uniforms, and laws of bounded support against those)"
        )
    a, c = Fraction(alpha), Fraction(alpha) - 1
    for side, open_end in ((1, np.isinf(hi_p)), (-1, np.isinf(lo_p))):
        if not open_end:
            continue
        if kp == "exp" and kq == "gauss":
            return False  # exp(-alpha lambda x + (alpha - 1) x^2 / (2 sigma^2)) grows
        if kp == "exp":  # and an exponential Q, on the right
            if a * Fraction(p.rate) - c * Fraction(q.rate) <= 0:
                return False
        elif kq == "gauss":  # Gaussian P and Q (a Gaussian P against an exponential Q converges)
            _, mp_, sp = _dominant(p, side)
            _, mq, sq = _dominant(q, side)
            sp2, sq2 = Fraction(sp) ** 2, Fraction(sq) ** 2
            quad = a * sq2 - c * sp2  # A sigma_p^2 sigma_q^2
            linear = a * Fraction(mp_) / sp2 - c * Fraction(mq) / sq2  # B
            if quad < 0 or (quad == 0 and side * linear >= 0):
                return False
            if 0 < quad < NEAR * a * sq2:
                raise NotImplementedError(
                    f"renyi/chi2 of order {alpha!r} between {p!r} and {q!r}: the integral converges, but alpha "
                    f"sigma_q^2 + (1 - alpha) sigma_p^2 (sigma_p = {sp!r}, sigma_q = {sq!r}, the widest components) is "
                    f"within {NEAR:g} of its own scale: the integrand spreads over more than {NEAR**-0.5:g} sigma_p "
                    "and rounding in its logarithm would exceed the 1e-9 the quadrature promises"
                )
    return True


def _gauss_terms(d, side):
    """(a, b, c, log w) per component with log N_k = -a y^2 / 2 + b y + c, in the side's coordinate y = side * x."""
    w, m, sd = _components(d)
    keep = w > 0
    w, m, sd = w[keep], side * m[keep], sd[keep]
    a = 1.0 / sd**2
    return a, m * a, -0.5 * m * m * a - np.log(sd) - _HALF_LOG_2PI, np.log(w)


def tail_terms(p, q, alpha, side):
    """Terms (a, b, c), arrays, with the Rényi integrand plus (alpha - 1) q below sum_i exp(-a_i y^2/2 + b_i y + c_i).

    ``y = side * x`` beyond the window on ``side`` (+1 right, -1 left); laws already in the
    pair's coordinates and known to give a finite integral (:func:`decide`).
    """
    c = alpha - 1.0
    out, low = [], None  # low: (a, b, c) of a lower bound exp(-a y^2/2 + b y + c) of q on the side
    kp, kq = _kind(p), _kind(q)
    if kq == "gauss":
        qa, qb, qc, qw = _gauss_terms(q, side)
        out.append((qa, qb, qc + qw + math.log(c)))  # (alpha - 1) q
        j = np.lexsort((-qb / qa, qa))[0]  # the widest component, the farthest out among those
        low = (qa[j], qb[j], qc[j] + qw[j])  # q >= w_j N_j
    elif kq == "exp" and side == 1:
        low = (0.0, -q.rate, math.log(q.rate) + q.rate * q.loc)
        out.append(tuple(np.array([v]) for v in (low[0], low[1], low[2] + math.log(c))))
    open_p = np.isinf(p.support[1] if side == 1 else p.support[0])
    if open_p and low is not None and kp == "gauss":  # p^alpha <= sum_k w_k N_k^alpha (Jensen)
        pa, pb, pc, pw = _gauss_terms(p, side)
        out.append((alpha * pa - c * low[0], alpha * pb - c * low[1], pw + alpha * pc - c * low[2]))
    elif open_p and low is not None and kp == "exp":
        lam = p.rate
        out.append(tuple(np.array([v]) for v in (-c * low[0], -alpha * lam - c * low[1],
                                                  alpha * (math.log(lam) + lam * p.loc) - c * low[2])))  # fmt: skip
    if not out:
        return np.empty(0), np.empty(0), np.empty(0)
    a, b, cc = (np.concatenate([t[i] for t in out]) for i in range(3))
    # an exact boundary A = 0 (decided in rational arithmetic) computes as a rounding residue
    a = np.where(np.abs(a) <= 1e-12 * alpha * np.max(np.abs(a)), 0.0, a)
    return a, b, cc


def _log_tail(a, b, c, y):
    """log of sum_i int_y^inf exp(-a_i t^2 / 2 + b_i t + c_i) dt (a_i > 0, or a_i = 0 and b_i < 0), at each y."""
    a, b, c, y = a[:, None], b[:, None], c[:, None], np.asarray(y, dtype=float)[None, :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        safe = np.where(a > 0, a, 1.0)
        centre = b / safe
        peak = c + 0.5 * b * centre + 0.5 * np.log(2.0 * np.pi / safe)  # log of the whole term's integral
        gauss = peak + special.log_ndtr(-np.sqrt(safe) * (y - centre))
        linear = np.where(b < 0, c + b * y - np.log(np.abs(b)), np.inf)
        terms = np.where(a > 0, gauss, linear)
        top = np.max(terms, axis=0)
        finite = np.where(np.isfinite(top), top, 0.0)
        return np.where(np.isfinite(top), finite + np.log(np.sum(np.exp(terms - finite), axis=0)), top)


def reach(p, q, alpha, window):
    """The ends (lo, hi) beyond which the Rényi integrand and (alpha - 1) q hold less than e^LOG_TAIL together.

    ``window`` is the union of the two laws' windows, in the pair's coordinates; the ends are
    moved out from it, never in: to the first of the points ``start + unit 2^k`` (``unit`` the
    window's width) where the bound is met, then back towards the last point where it is not, to
    within 1e-6 of their distance.
    """
    ends = []
    unit = max(window[1] - window[0], 1.0)
    for side, start in ((1, window[1]), (-1, window[0])):
        a, b, c = tail_terms(p, q, alpha, side)
        y0 = side * start
        if a.size == 0 or _log_tail(a, b, c, [y0])[0] <= LOG_TAIL:
            ends.append(start)
            continue
        ys = y0 + unit * 2.0 ** np.arange(0, 500)
        ok = np.flatnonzero(_log_tail(a, b, c, ys) <= LOG_TAIL)
        if ok.size == 0:
            raise RuntimeError(f"the tail bounds of {p!r} and {q!r} do not decay (finiteness wrongly decided)")
        lo, hi = (y0 if ok[0] == 0 else ys[ok[0] - 1]), ys[ok[0]]
        for _ in range(3):  # the bound holds at hi; narrow [lo, hi] to within 1e-6 of its width
            grid = np.linspace(lo, hi, 101)
            first = int(np.flatnonzero(_log_tail(a, b, c, grid) <= LOG_TAIL)[0])
            lo, hi = grid[max(first - 1, 0)], grid[first]
        ends.append(side * hi)
    return ends[1], ends[0]


def peak_edges(p, q, alpha, lo, hi, offsets):
    """Panel edges around the bumps of the integrand: for each pair of Gaussian components (k of P,
    j of Q) with a_kj = alpha / s_k^2 - (alpha - 1) / s_j^2 > 0, the centre b_kj / a_kj plus
    ``offsets`` / sqrt(a_kj); where P's tail term is exponential, edges every (hi - lo) / 16."""
    edges = [np.linspace(lo, hi, 17)]
    if _kind(p) == "gauss" and _kind(q) == "gauss":
        pa, pb = _gauss_terms(p, 1)[:2]
        qa, qb = _gauss_terms(q, 1)[:2]
        if pa.size * qa.size > 256:  # many components: the widest of Q only
            j = np.argsort(qa)[:4]
            qa, qb = qa[j], qb[j]
        a = alpha * pa[:, None] - (alpha - 1.0) * qa[None, :]
        b = alpha * pb[:, None] - (alpha - 1.0) * qb[None, :]
        ok = a > 0
        centre, width = b[ok] / a[ok], 1.0 / np.sqrt(a[ok])
        edges.append((centre[:, None] + width[:, None] * offsets).ravel())
    edges += [_crossings(d, offsets) for d in (p, q) if _kind(d) == "gauss"]
    e = np.concatenate(edges)
    return e[(e >= lo) & (e <= hi)]


def _crossings(d, offsets):
    """Edges where two components of a mixture cross, w_j N_j = w_l N_l: there log q turns from one
    parabola to the other over a length 1/s (s: the difference of their slopes), and the integrand
    p^alpha q^(1 - alpha) can have a spike far narrower than any component (a valley of Q between
    components far apart). Edges at the crossing + ``offsets`` / (4 s)."""
    a, b, c, logw = _gauss_terms(d, 1)
    c = c + logw
    pairs = [(j, k) for j in range(a.size) for k in range(j + 1, a.size)]
    if a.size > 16:  # many components: neighbours in the order of their means
        order = np.argsort(b / a)
        pairs = list(zip(order[:-1], order[1:], strict=True))
    if not pairs:
        return np.empty(0)
    j, k = np.array(pairs).T
    da, db, dc = 0.5 * (a[k] - a[j]), b[j] - b[k], c[j] - c[k]  # da x^2 + db x + dc = 0
    with np.errstate(divide="ignore", invalid="ignore"):
        disc = np.sqrt(db * db - 4.0 * da * dc)
        q = -0.5 * (db + np.copysign(disc, db))  # the roots without cancellation
        roots = np.concatenate([np.where(da != 0, q / da, -dc / db), dc / q])
        slope = np.abs(2.0 * np.tile(da, 2) * roots + np.tile(db, 2))
        out = roots[:, None] + np.outer(0.25 / slope, offsets)
    return out[np.isfinite(out)]


def is_discrete(d):
    """Whether ``d`` is a finite law (its Rényi integral is a sum)."""
    return isinstance(d, DiscreteDistribution)
