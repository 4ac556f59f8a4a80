r"""Székely's energy distance :math:`\mathcal E = 2E|X - Y| - E|X - X'| - E|Y - Y'|` in closed form.

In 1-D, :math:`\mathcal E = 2\int (F_P - F_Q)^2` (Székely and Rizzo 2013, Sec. 2), a sum of
non-negative terms; the three expectations nearly cancel when P is close to Q, so every form here
is written as a sum of terms of one sign where it can be, and otherwise says what accuracy holds.

* **Gaussians (1-D).** :math:`X - Y \sim N(\Delta, S^2)`, :math:`S^2 = \sigma_p^2 + \sigma_q^2`,
  and :math:`E|\Delta + SZ| = S\sqrt{2/\pi}\,e^{-r^2/2} + \Delta\,\mathrm{erf}(r/\sqrt2)`,
  :math:`r = \Delta/S` (the mean of the folded normal, Leone, Nelson and Nottingham 1961);
  :math:`E|X - X'| = 2\sigma_p/\sqrt\pi`. Rearranged as
  :math:`\mathcal E = \frac{2}{\sqrt\pi}\frac{(\sigma_p - \sigma_q)^2}{\sqrt2 S + \sigma_p + \sigma_q}
  + 2S\,g(r)` with :math:`g(r) = \sqrt{2/\pi}\,\mathrm{expm1}(-r^2/2) + r\,\mathrm{erf}(r/\sqrt2)
  \ge 0`: two terms of one sign, relative accuracy ~1e-15 however close the laws are.
* **Isotropic Gaussians in d-D** (:math:`\Sigma = \sigma^2 I`): :math:`\|X - Y\|^2/S^2` is
  noncentral chi-squared with d degrees of freedom and noncentrality :math:`\lambda = r^2`, a
  Poisson(:math:`\lambda/2`) mixture of central :math:`\chi^2_{d + 2j}`; summing their moments of
  order 1/2 and applying Kummer's transformation gives
  :math:`E\|\Delta + SZ\| = S\kappa_d\,{}_1F_1(-\tfrac12; \tfrac d2; -\tfrac{r^2}{2})`,
  :math:`\kappa_d = E\|Z\| = \sqrt2\,\Gamma(\tfrac{d+1}2)/\Gamma(\tfrac d2)` (the raw moments of
  the noncentral chi-squared law, Johnson, Kotz and Balakrishnan 1995, Ch. 29, at order 1/2). As in 1-D,
  :math:`\mathcal E = \sqrt2\kappa_d\frac{(\sigma_p - \sigma_q)^2}{\sqrt2 S + \sigma_p + \sigma_q}
  + 2S\kappa_d\,[{}_1F_1(\dots) - 1]`, the bracket summed as its series below
  :math:`r^2/2 = 1`.
* **Finite laws**: :math:`2\sum_i (F_P - F_Q)(x_i)^2 (x_{i+1} - x_i)` on the sorted union of the
  atoms, exact up to rounding (the 1-D formula; the Wasserstein analogue is Vallender 1974).
* **Uniforms**: :math:`F_P - F_Q` is piecewise linear between the four ends, and
  :math:`\int_{x_0}^{x_1} \ell^2 = (x_1 - x_0)(u^2 + uv + v^2)/3` for a linear :math:`\ell` from
  u to v; each end value is one ratio of differences of ends (relative accuracy ~1e-15).
* **Exponentials** (rates :math:`\lambda, \mu`, left ends :math:`a \le b`, :math:`\delta = b - a`,
  :math:`\gamma = 1 - e^{-\lambda\delta}`): integrating :math:`2\int(F_P - F_Q)^2` on
  :math:`[a, b]` and :math:`[b, \infty)`,
  :math:`\mathcal E = 2\phi(\lambda\delta)/\lambda + \frac{(\lambda - \mu + \mu\gamma)^2/\mu
  + \lambda\gamma^2}{\lambda(\lambda + \mu)}`, :math:`\phi(u) = \int_0^u (1 - e^{-s})^2 ds`
  (a series below u = 1/2, where the closed form :math:`u - \gamma - \gamma^2/2` cancels).
* **Parallel lines** (Arjovsky, Chintala and Bottou 2017, Example 1) in the plane,
  :math:`t = |\theta_1 - \theta_2|`, :math:`a = \sqrt{1 + t^2}`: :math:`X - Y = (t, U - V)` with
  :math:`U - V` triangular on [-1, 1], and integrating
  :math:`4\int_0^1 (1 - w)(\sqrt{t^2 + w^2} - w)\,dw` gives
  :math:`\mathcal E = t^2\left[\tfrac{2/3}{a + 1} - \tfrac{4/3}{a + t}
  + 2\,\mathrm{asinh}(1/t)\right]`, whose bracket is dominated by its positive last term for
  every t (~2 ln(2/t) as t -> 0, ~2/t as t -> inf): no cancellation.

References
----------
.. [1] G. J. Székely, M. L. Rizzo, "Energy statistics: A class of statistics based on distances",
   J. Stat. Plan. Inference 143(8) (2013) 1249-1272, Sec. 2.
.. [2] F. C. Leone, L. S. Nelson, R. B. Nottingham, "The folded normal distribution",
   Technometrics 3 (1961).
.. [3] S. S. Vallender, "Calculation of the Wasserstein distance between probability
   distributions on the line", Theory Probab. Appl. 18 (1974).
.. [4] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
.. [5] N. L. Johnson, S. Kotz, N. Balakrishnan, *Continuous Univariate Distributions*, Vol. 2,
   2nd ed., Wiley 1995, Ch. 29 (noncentral chi-squared distributions; checked in the tests
   against ``scipy.stats.ncx2``).
"""

import math

import numpy as np
from scipy import special

from toys import Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.base import DiscreteDistribution

from ..registry import register

__all__ = ["MAX_COMPONENTS", "gaussian_energy", "lines_energy", "mixture_energy", "norm_mean", "pair_weights"]

_SQRT_2_PI = math.sqrt(2.0 / math.pi)
_EPS = float(np.finfo(float).eps)
#: Most components (both laws together) the mixture form sums over; larger pairs go to the quadrature.
MAX_COMPONENTS = 1000
#: Largest rounding bound of the mixture form accepted, relative to the pair's scale.
_MIXTURE_ACCURACY = 1e-10


def _kappa(dim):
    """E||Z|| for Z ~ N(0, I_dim): sqrt(2) Gamma((dim + 1) / 2) / Gamma(dim / 2)."""
    return math.sqrt(2.0) * math.exp(special.gammaln(0.5 * (dim + 1)) - special.gammaln(0.5 * dim))


def _kummer_excess(x, dim):
    """1F1(-1/2; dim/2; -x) - 1 for x >= 0: its series below x = 1 (terms falling like x^n / n!), scipy above."""
    x = np.asarray(x, dtype=float)
    small = np.minimum(x, 1.0)
    term, total = np.ones_like(x), np.zeros_like(x)
    for n in range(30):  # 1 / 30! < 1e-32
        term = term * (-0.5 + n) / (0.5 * dim + n) / (n + 1) * (-small)
        total = total + term
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(x < 1.0, total, special.hyp1f1(-0.5, 0.5 * dim, -x) - 1.0)


def _excess(r, dim=1):
    """E||r e + Z|| - E||Z|| for Z ~ N(0, I_dim) and a unit vector e, >= 0, with its relative accuracy kept at r ~ 0."""
    r = np.abs(np.asarray(r, dtype=float))
    with np.errstate(over="ignore", invalid="ignore"):
        if dim == 1:
            return _SQRT_2_PI * np.expm1(-0.5 * r * r) + r * special.erf(r / math.sqrt(2.0))
        far = r > 1e6  # E||r e + Z|| = r + (dim - 1) / (2 r) + O(r^-3): within 1e-18 of r
        near = _kappa(dim) * _kummer_excess(0.5 * np.where(far, 0.0, r) ** 2, dim)
        return np.where(far, r + (dim - 1) / (2.0 * r) - _kappa(dim), near)


def norm_mean(r, s, dim=1):
    r"""E||Delta + sZ|| for Z ~ N(0, I_dim) and ||Delta|| = r, elementwise; ``r`` where s = 0.

    Parameters
    ----------
    r : array_like
        Distances of the centres from the origin, >= 0 (signed centres in 1-D are fine).
    s : array_like
        Standard deviations, >= 0 (broadcast against ``r``).
    dim : int
        The dimension.

    Returns
    -------
    numpy.ndarray
        In 1-D the mean of a folded normal, :math:`s\sqrt{2/\pi}\,e^{-r^2/2s^2} +
        r\,\mathrm{erf}(r/\sqrt2 s)` (Leone et al. 1961); in d-D
        :math:`s\kappa_d\,{}_1F_1(-\tfrac12; \tfrac d2; -\tfrac{r^2}{2s^2})`,
        :math:`\kappa_d = \sqrt2\,\Gamma(\tfrac{d+1}2)/\Gamma(\tfrac d2)` (module docstring).
    """
    r, s = np.broadcast_arrays(np.abs(np.asarray(r, dtype=float)), np.asarray(s, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = s * (_kappa(dim) + _excess(r / s, dim))
    return np.where(s > 0, value, r)


def gaussian_energy(d, s1, s2, ds=None, dim=1):
    r"""Energy distance between N(m, s1^2 I) and N(m + Delta, s2^2 I), ||Delta|| = d, as two terms of one sign.

    Parameters
    ----------
    d : array_like
        Distances between the means (signed differences are fine in 1-D).
    s1, s2 : array_like
        Standard deviations, > 0.
    ds : array_like, optional
        ``s1 - s2`` computed more accurately than the difference of the two (from the
        variances, in the projections of :mod:`divergences.numeric.energy`).
    dim : int
        The dimension.

    Returns
    -------
    numpy.ndarray
        :math:`\sqrt2\kappa_d\frac{(s_1 - s_2)^2}{\sqrt2 S + s_1 + s_2} + 2S\,g_d(d/S)`,
        :math:`S = \sqrt{s_1^2 + s_2^2}` (module docstring), in the units of ``d``.
    """
    d, s1, s2 = (np.asarray(v, dtype=float) for v in (d, s1, s2))
    ds = s1 - s2 if ds is None else np.asarray(ds, dtype=float)
    big = np.hypot(s1, s2)
    spread = math.sqrt(2.0) * _kappa(dim) * ds * ds / (math.sqrt(2.0) * big + s1 + s2)
    return spread + 2.0 * big * _excess(d / big, dim)


def pair_weights(c):
    r"""The pairs ``(u, v)``, u <= v, of K components with signed weights ``c``, and their weights in the sum.

    Returns ``(iu, iv, w)`` with :math:`w = c_u c_v` on the diagonal and :math:`2 c_u c_v` off it,
    so that a sum over all ordered pairs of a symmetric term is a sum over these.
    """
    c = np.asarray(c, dtype=float)
    iu, iv = np.triu_indices(c.size)
    return iu, iv, c[iu] * c[iv] * np.where(iu == iv, 1.0, 2.0)


def mixture_energy(w, d, s, dim=1):
    r"""Energy distance of two mixtures as a signed sum over pairs of components, and a bound on its rounding.

    Parameters
    ----------
    w : array_like, shape (n,)
        Weights of the pairs of components (:func:`pair_weights` of the signed weights: those of
        P's components, minus those of Q's).
    d, s : array_like, shape (..., n)
        Distances between the two components' means (signed differences in 1-D), and the
        standard deviations of their difference (:math:`\sqrt{s_u^2 + s_v^2}`; 0 between atoms).
    dim : int
        The dimension (components isotropic in d-D).

    Returns
    -------
    value, bound : numpy.ndarray, shape (...)
        :math:`-\sum_k w_k E\|d_k + s_k Z\|`, and :math:`32\epsilon\sum_k |w_k| E\|d_k + s_k Z\|`.
    """
    a = norm_mean(d, s, dim)
    return -(a @ w), 32.0 * _EPS * (a @ np.abs(w))


def lines_energy(t):
    r"""Energy distance between two parallel vertical unit segments ``t`` apart (module docstring).

    Parameters
    ----------
    t : float
        Horizontal distance between the segments, >= 0.

    Returns
    -------
    float
        :math:`t^2[\tfrac{2/3}{a + 1} - \tfrac{4/3}{a + t} + 2\,\mathrm{asinh}(1/t)]`,
        :math:`a = \sqrt{1 + t^2}`: ~ :math:`t^2(2\ln(2/t) - 1)` near 0, ~ :math:`2t - 2/3` for large t.

    Examples
    --------
    >>> from divergences.closed_forms.energy import lines_energy
    >>> lines_energy(0.0), round(lines_energy(100.0) - (200.0 - 2 / 3), 10)  # next: 1 / (6 t) - O(t^-3)
    (0.0, 0.00166665)
    """
    t = float(t)
    if t == 0.0:
        return 0.0
    a = math.hypot(1.0, t)
    # asinh(1/t) = ln(1 + a) - ln t: both terms positive for t < 1; asinh itself keeps 1/t for large t
    arc = math.asinh(1.0 / t) if t >= 1.0 else math.log1p(a) - math.log(t)
    bracket = (2.0 / 3.0) / (a + 1.0) - (4.0 / 3.0) / (a + t) + 2.0 * arc
    return t * (t * bracket)  # t * bracket ~ 2 for large t: no overflow before the last product


def _isotropic_std(cov):
    """sigma if ``cov`` is exactly sigma^2 I, else None."""
    cov = np.atleast_2d(cov)
    if np.any(cov != cov[0, 0] * np.eye(len(cov))):
        return None
    return math.sqrt(float(cov[0, 0]))


@register("energy", Gaussian, Gaussian)
def _energy_gaussian(p, q):
    if p.dim == 1:
        return float(gaussian_energy(q.mean - p.mean, p.std, q.std))
    sp, sq = _isotropic_std(p.cov), _isotropic_std(q.cov)
    if sp is None or sq is None:
        return NotImplemented
    return float(gaussian_energy(np.linalg.norm(q.mean - p.mean), sp, sq, dim=p.dim))


def _components(law):
    """Weights, means (K, d) and standard deviations (K,) of an isotropic mixture (atoms: width 0), or None."""
    if isinstance(law, DiscreteDistribution):
        keep = law.probs > 0
        return law.probs[keep], law.atoms[keep, None], np.zeros(int(keep.sum()))
    w, m, cov = law.as_mixture()
    stds = [_isotropic_std(c) for c in cov]
    return None if any(s is None for s in stds) else (w, m, np.array(stds))


def _energy_mixtures(p, q):
    found = _components(p), _components(q)
    if found[0] is None or found[1] is None:
        return NotImplemented
    (wp, mp, sp), (wq, mq, sq) = found
    keys = np.concatenate([np.concatenate([mp, mq]), np.concatenate([sp, sq])[:, None]], axis=1)
    # one component per distinct (mean, std): a component of both laws keeps the difference of its weights
    keys, inverse = np.unique(keys, axis=0, return_inverse=True)
    c = np.bincount(inverse.ravel(), weights=np.concatenate([wp, -wq]), minlength=len(keys))
    if len(keys) > MAX_COMPONENTS:
        return NotImplemented
    if not np.any(c):
        return 0.0
    m, s = keys[:, :-1], keys[:, -1]
    iu, iv, w = pair_weights(c)
    d = m[iu, 0] - m[iv, 0] if p.dim == 1 else np.linalg.norm(m[iu] - m[iv], axis=1)
    value, bound = mixture_energy(w, d, np.hypot(s[iu], s[iv]), p.dim)
    unit = 2.0 ** round(math.log2(float(s.max())))  # the numeric path's unit (pairs.standardise, "large")
    if bound > _MIXTURE_ACCURACY * unit:
        return NotImplemented
    return max(float(value), 0.0)


for _a, _b in [
    (GaussianMixture, GaussianMixture),
    (GaussianMixture, Gaussian),
    (GaussianMixture, DiscreteDistribution),
    (Gaussian, DiscreteDistribution),
]:
    register("energy", _a, _b)(_energy_mixtures)


@register("energy", DiscreteDistribution, DiscreteDistribution)
def _energy_discrete(p, q):
    x = np.union1d(p.atoms, q.atoms)
    gap = np.cumsum(p.pmf(x) - q.pmf(x))[:-1]  # F_P - F_Q on [x_i, x_{i+1}), from differences of masses
    return float(2.0 * np.sum(gap * gap * np.diff(x)))


def _uniform_gap(x, p, q):
    """F_P(x) - F_Q(x) at an end x of p or q, as one ratio of differences of ends."""
    if x == p.low:
        return -min(1.0, max(0.0, (x - q.low) / q.width))
    if x == p.high:
        return min(1.0, max(0.0, (q.high - x) / q.width))
    if x == q.low:
        return min(1.0, max(0.0, (x - p.low) / p.width))
    return -min(1.0, max(0.0, (p.high - x) / p.width))


@register("energy", Uniform, Uniform)
def _energy_uniform(p, q):
    x = sorted({p.low, p.high, q.low, q.high})
    g = [_uniform_gap(v, p, q) for v in x]
    total = sum((x1 - x0) * (u * u + u * v + v * v) for x0, x1, u, v in zip(x[:-1], x[1:], g[:-1], g[1:]))
    return 2.0 * total / 3.0


def _phi(u):
    """Integral of (1 - e^-s)^2 over [0, u], u >= 0: a series for small u, where the closed form cancels."""
    if u >= 0.5:
        gamma = -math.expm1(-u)
        return u - gamma - 0.5 * gamma * gamma
    # sum over n >= 2 of (-1)^n (2^n - 2) u^(n+1) / (n+1)!; 1^n / n! falls below 1e-17 by n = 20
    return sum((-1) ** n * (2.0**n - 2.0) * u ** (n + 1) / math.factorial(n + 1) for n in range(2, 24))


@register("energy", Exponential, Exponential)
def _energy_exponential(p, q):
    if p.loc > q.loc:
        p, q = q, p
    lam, mu, delta = p.rate, q.rate, q.loc - p.loc
    gamma = -math.expm1(-lam * delta)
    head = _phi(lam * delta) / lam  # F_Q = 0 on [a, b]
    tail = ((lam - mu + mu * gamma) ** 2 / mu + lam * gamma * gamma) / (2.0 * lam * (lam + mu))
    return 2.0 * (head + tail)


@register("energy", ShiftedLine, ShiftedLine)
def _energy_lines(p, q):
    return lines_energy(abs(p.theta - q.theta))
