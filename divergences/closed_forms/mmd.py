r"""The squared MMD with the Gaussian kernel in closed form, from the cross terms :math:`E\,k(X, Y)`.

With :math:`k(x, y) = e^{-\|x - y\|^2/(2h^2)}`, :math:`\mathrm{MMD}^2(P, Q) = C(P, P) + C(Q, Q)
- 2C(P, Q)` with :math:`C(P, Q) = E\,k(X, Y)`, X ~ P and Y ~ Q independent (Gretton et al. 2012,
Lemma 6). Every cross term below is a Gaussian integral:

* **Gaussians** :math:`N(a, A)`, :math:`N(b, B)` in :math:`R^d`: X - Y ~ N(a - b, A + B) and
  :math:`E\,e^{-\|Z\|^2/(2h^2)} = h^d \det(S)^{-1/2} e^{-\frac12 \delta^\top S^{-1}\delta}` with
  :math:`S = A + B + h^2 I`, :math:`\delta = a - b` (the kernel is :math:`(2\pi h^2)^{d/2}` times the
  density of N(0, h^2 I), and the sum of independent Gaussians is Gaussian). Mixtures: the sum over
  pairs of components; an atom is a component of covariance 0. The determinant is taken from a
  Cholesky factor of :math:`S/h^2`.
* **Uniform** U[l, u] against N(m, v) in 1-D: :math:`\frac{h}{u - l}\sqrt{2\pi}\,[\Phi(\frac{u - m}{\sigma})
  - \Phi(\frac{l - m}{\sigma})]`, :math:`\sigma^2 = v + h^2`.
* **Two uniforms**: :math:`\frac{h^2}{w_1 w_2}[G(\frac{u_1 - l_2}h) - G(\frac{u_1 - u_2}h) - G(\frac{l_1 - l_2}h)
  + G(\frac{l_1 - u_2}h)]` with :math:`G'' = e^{-t^2/2}` (integrate twice); the even
  :math:`G(t) = \sqrt{2\pi}\,t\,\mathrm{erf}(t/\sqrt2)/2 + \mathrm{expm1}(-t^2/2)` drops the linear and
  constant parts, which the second difference annihilates, and for a kernel wider than the pair
  the quadratic part :math:`t^2/2`, whose second difference is exactly :math:`w_1w_2/h^2`,
  is taken out too, leaving the Taylor series of :math:`G(t) - t^2/2` to difference.
* **Exponential** :math:`loc + \mathrm{Exp}(\lambda)` against N(m, v): :math:`\frac h\sigma E_U
  e^{-(z - U)^2/(2\sigma^2)}`, z = m - loc, the exponentially modified Gaussian integral
  :math:`\lambda\sigma\sqrt{2\pi}\,e^{-\lambda z + \lambda^2\sigma^2/2}\,\Phi(z/\sigma - \lambda\sigma)`
  (:func:`exp_gauss`); two exponentials through the two-sided exponential law of X - Y.
* **Segments** (:class:`toys.ShiftedLine`, and :class:`toys.SmoothedLine`, a segment plus
  :math:`N(0, s^2 I)`): the kernel factorises over the coordinates, so two segments give
  :math:`(h/\sigma)^2 e^{-\Delta\theta^2/(2\sigma^2)}\,Y(\sigma)` with :math:`\sigma^2 = h^2 + s_1^2 + s_2^2`
  and :math:`Y(\sigma)` the two-uniforms term of U[0, 1] with itself; a segment against a
  Gaussian N(a, A) is the Gaussian restricted to the segment,
  :math:`h^2\sqrt{2\pi}\,M_{11}^{-1/2} e^{-e^2/(2M_{11})}[\Phi(\frac{1 - \mu}\tau) - \Phi(\frac{-\mu}\tau)]`,
  :math:`M = A + (s^2 + h^2)I`, :math:`e = \theta - a_1`, :math:`\mu = a_2 + M_{12}e/M_{11}`,
  :math:`\tau^2 = \det M / M_{11}`.

**Cancellation.** Where P is close to Q the three terms (each at most 1) nearly cancel: the sums
above have an absolute error below 1e-14 (measured against the same integrals at 60 digits:
5e-15 at worst, for uniform pairs; :math:`\Phi(b) - \Phi(a)` over short intervals by 20-point
Gauss-Legendre keeps its relative accuracy where a kernel much wider than a uniform makes it
small). Two Gaussians avoid the cancellation:
with :math:`S_P = 2A/h^2 + I`, :math:`S_Q = 2B/h^2 + I` and :math:`c_P = \det S_P^{-1/2}`,

.. math:: \mathrm{MMD}^2 = (\sqrt{c_P} - \sqrt{c_Q})^2 + 2\sqrt{c_P c_Q}\,H^2(N(0, S_P), N(2\delta/h, S_Q)),

two terms of one sign (:math:`H^2` the squared Hellinger distance, from the Bhattacharyya
coefficient in whitened coordinates as in :mod:`divergences.closed_forms.hellinger`), so that
nearly equal Gaussians keep a small MMD² to a relative accuracy of about 1e-12. Two segments of
equal smoothing use :math:`2(h/\sigma)^2 Y(\sigma)(1 - e^{-\Delta\theta^2/(2\sigma^2)})` with ``expm1``.

References
----------
.. [1] A. Gretton, K. M. Borgwardt, M. J. Rasch, B. Schölkopf, A. Smola, "A kernel two-sample
   test", JMLR 13 (2012) 723-773, Lemma 6.
"""

import math

import numpy as np
from scipy import linalg, special

from toys import Exponential, Gaussian, ShiftedLine, SmoothedLine, Uniform
from toys.base import DiscreteDistribution, Distribution

from ..registry import register
from .hellinger import _log1p_spread

__all__ = ["components", "cross_term", "exp_gauss", "interval_mass", "kernel_means", "two_uniforms"]

_SQRT_2PI = math.sqrt(2.0 * math.pi)
_SQRT_HALF_PI = math.sqrt(0.5 * math.pi)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(20)


def components(law):
    """``(weights (K,), means (K, d), covs (K, d, d))`` of a Gaussian, a mixture or a finite law, else None.

    The atoms of a finite law are components of covariance 0.
    """
    if isinstance(law, DiscreteDistribution):
        keep = law.probs > 0
        atoms = law.atoms[keep]
        return law.probs[keep], atoms[:, None], np.zeros((atoms.size, 1, 1))
    if hasattr(law, "as_mixture"):
        return law.as_mixture()
    return None


def interval_mass(a, b):
    """:math:`\\Phi(b) - \\Phi(a)` for ``a <= b``, elementwise.

    Short intervals near the centre (``b - a <= 1/2``, midpoint within 8) by 20-point
    Gauss-Legendre of the normal density, to a relative accuracy of a few ulps (the rule's
    remainder, with the 40th derivative of the density, is below 1e-40 of the value there), so
    that a kernel much wider than a uniform law does not cancel the value away; elsewhere as a
    difference of the distribution function or of the upper tails, to a few ulps of the larger.
    """
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    upper = a > 0.0
    out = np.where(upper, special.ndtr(-a) - special.ndtr(-b), special.ndtr(b) - special.ndtr(a))
    half, mid = 0.5 * (b - a), 0.5 * (a + b)
    short = (half <= 0.25) & (np.abs(mid) <= 8.0)
    if np.any(short):
        z = mid[short, None] + half[short, None] * _GL_X
        out = np.array(out, dtype=float)
        out[short] = half[short] * (np.exp(-0.5 * z * z) @ _GL_W) / _SQRT_2PI
    return out


def exp_gauss(z, rate, sigma):
    r""":math:`E\,e^{-(z - U)^2/(2\sigma^2)}` for U ~ Exp(rate), elementwise, without overflow.

    :math:`\lambda\sigma\sqrt{2\pi}\,e^{-\lambda z + \lambda^2\sigma^2/2}\Phi(t)` with
    :math:`t = z/\sigma - \lambda\sigma` where t > 0 (an exponent <= 0), and
    :math:`\lambda\sigma\sqrt{\pi/2}\,e^{-z^2/(2\sigma^2)}\,\mathrm{erfcx}(-t/\sqrt2)` otherwise.
    """
    z, sigma = np.asarray(z, dtype=float), np.asarray(sigma, dtype=float)
    ls = rate * sigma
    t = z / sigma - ls
    with np.errstate(over="ignore", invalid="ignore"):
        right = ls * _SQRT_2PI * np.exp(-ls * t - 0.5 * ls * ls) * special.ndtr(t)
        left = ls * _SQRT_HALF_PI * np.exp(-0.5 * (z / sigma) ** 2) * special.erfcx(-t / math.sqrt(2.0))
    return np.where(t > 0.0, right, left)


def _even_g(t):
    """The even G with G'' = exp(-t^2/2) and G(0) = G'(0) = 0 (the linear and constant parts of
    sqrt(2 pi) (t Phi(t) + phi(t)) dropped: the second differences annihilate them)."""
    return _SQRT_2PI * t * special.erf(t / math.sqrt(2.0)) / 2.0 + np.expm1(-0.5 * t * t)


def _even_g_minus_square(t):
    """G(t) - t^2/2 = -t^4/24 + t^6/240 - ... for |t| <= 1, by its Taylor series (16 terms; the
    first left out is below 2e-23)."""
    t2 = np.asarray(t, dtype=float) ** 2
    series = np.zeros_like(t2)
    for n in range(16, 0, -1):  # Horner in t^2: sum_n (-1)^n t^(2n+2) / (2^n n! (2n+1)(2n+2))
        series = (series + (-1.0) ** n / (2.0**n * math.factorial(n) * (2 * n + 1) * (2 * n + 2))) * t2
    return series * t2


def two_uniforms(lo1, hi1, lo2, hi2, sigma):
    """:math:`E\\,e^{-(X - Y)^2/(2\\sigma^2)}` for X ~ U[lo1, hi1], Y ~ U[lo2, hi2] independent.

    The second difference of G times sigma^2 / (w1 w2). Where the four arguments lie within 1 (a
    kernel wider than the pair) the quadratic part t^2/2 of G, whose second difference is
    exactly w1 w2 / sigma^2, gives the leading 1, and only the small rest is differenced.
    """
    t = np.array([hi1 - lo2, hi1 - hi2, lo1 - lo2, lo1 - hi2]) / sigma
    signs = np.array([1.0, -1.0, -1.0, 1.0])
    scale = (sigma / (hi1 - lo1)) * (sigma / (hi2 - lo2))
    if np.max(np.abs(t)) <= 1.0:
        return float(max(0.0, 1.0 + scale * (_even_g_minus_square(t) @ signs)))
    return float(max(0.0, scale * (_even_g(t) @ signs)))


def kernel_means(law, m, v, h):
    """:math:`E\\,k(X, Y)` for X ~ N(m, v) (v >= 0; v = 0 is the point m) and Y ~ ``law``, 1-D.

    Elementwise in ``m`` and ``v``; None if ``law`` is not a Gaussian, a mixture, a finite law, a
    uniform or an exponential law.
    """
    m, v = np.broadcast_arrays(np.asarray(m, dtype=float), np.asarray(v, dtype=float))
    parts = components(law)
    if parts is not None:
        w, mu, cov = parts
        s2 = v[..., None] + cov[:, 0, 0] + h * h
        z = m[..., None] - mu[:, 0]
        return np.sum(w * (h / np.sqrt(s2)) * np.exp(-0.5 * z * z / s2), axis=-1)
    sigma = np.sqrt(v + h * h)
    if isinstance(law, Uniform):
        return (h / law.width) * _SQRT_2PI * interval_mass((law.low - m) / sigma, (law.high - m) / sigma)
    if isinstance(law, Exponential):
        return (h / sigma) * exp_gauss(m - law.loc, law.rate, sigma)
    return None


def _two_exponentials(p, q, h):
    # X - Y = c + E_p / l_p - E_q / l_q: the two-sided exponential law, each side an exp_gauss
    lp, lq, c = p.rate, q.rate, p.loc - q.loc
    return float(lq / (lp + lq) * exp_gauss(-c, lp, h) + lp / (lp + lq) * exp_gauss(c, lq, h))


def _segment(law):
    """``(theta, s^2)`` of a segment law (ShiftedLine: s = 0), else None."""
    if isinstance(law, ShiftedLine):
        return law.theta, 0.0
    if isinstance(law, SmoothedLine):
        return law.theta, law.sigma**2
    return None


def _segments_y(sigma):
    """Y(sigma): the two-uniforms term of U[0, 1] with itself, 2 sigma^2 G(1 / sigma)."""
    return two_uniforms(0.0, 1.0, 0.0, 1.0, sigma)


def _segment_cross(a, b, h):
    (t1, v1), (t2, v2) = a, b
    sigma = math.sqrt(h * h + v1 + v2)
    return (h / sigma) ** 2 * math.exp(-0.5 * ((t1 - t2) / sigma) ** 2) * _segments_y(sigma)


def _segment_gaussians(seg, parts, h):
    """Sum over the components N(a, A) of ``parts`` of w E k(X, Y), X on the segment ``seg`` (2-D)."""
    # E_X k(X, y) = h^2 det(M)^(-1/2) exp(-(y - a)^T M^-1 (y - a) / 2) at y = (theta, u); completing
    # the square in u leaves exp(-e^2 / (2 M11)) times a Gaussian in u of mean mu and variance
    # tau^2 = det M / M11 (the conditional law of the second coordinate), integrated over [0, 1]
    theta, s2 = seg
    w, a, cov = parts
    m = cov + (s2 + h * h) * np.eye(2)
    m11, m12 = m[:, 0, 0], m[:, 0, 1]
    e = theta - a[:, 0]
    mu = a[:, 1] + m12 * e / m11
    tau = np.sqrt(np.linalg.det(m) / m11)
    along = interval_mass(-mu / tau, (1.0 - mu) / tau)
    return float(np.sum(w * h * (h / np.sqrt(m11)) * _SQRT_2PI * np.exp(-0.5 * e * e / m11) * along))


def _gaussians_cross(a, b, h):
    """sum_ij w_i w'_j h^d det(S_ij)^(-1/2) exp(-delta_ij^T S_ij^-1 delta_ij / 2), in units of h."""
    (wa, ma, ca), (wb, mb, cb) = a, b
    d = ma.shape[1]
    if d == 1:
        s2 = (ca[:, None, 0, 0] + cb[None, :, 0, 0]) / (h * h) + 1.0
        z = (ma[:, None, 0] - mb[None, :, 0]) / h
        terms = np.exp(-0.5 * z * z / s2) / np.sqrt(s2)
    else:
        s = (ca[:, None] + cb[None, :]) / (h * h) + np.eye(d)  # (K, L, d, d)
        chol = np.linalg.cholesky(s)
        z = np.linalg.solve(chol, ((ma[:, None] - mb[None, :]) / h)[..., None])[..., 0]
        logdet = 2.0 * np.sum(np.log(np.diagonal(chol, axis1=-2, axis2=-1)), axis=-1)
        terms = np.exp(-0.5 * logdet - 0.5 * np.sum(z * z, axis=-1))
    return float(wa @ terms @ wb)


def cross_term(p, q, h):
    """:math:`E\\,k(X, Y)` for X ~ p, Y ~ q independent, Gaussian kernel of bandwidth h; None if not closed."""
    cp, cq = components(p), components(q)
    if p.dim == 1:
        if cp is not None or cq is not None:
            (w, m, c), other = (cp, q) if cp is not None else (cq, p)
            values = kernel_means(other, m[:, 0], c[:, 0, 0], h)
            return None if values is None else float(w @ values)
        if isinstance(p, Uniform) and isinstance(q, Uniform):
            return two_uniforms(p.low, p.high, q.low, q.high, h)
        if isinstance(p, Exponential) and isinstance(q, Exponential):
            return _two_exponentials(p, q, h)
        return None
    sp, sq = _segment(p), _segment(q)
    if sp is not None and sq is not None:
        return _segment_cross(sp, sq, h)
    if cp is not None and cq is not None:
        return _gaussians_cross(cp, cq, h)
    if sp is not None and cq is not None and p.dim == 2:
        return _segment_gaussians(sp, cq, h)
    if sq is not None and cp is not None and p.dim == 2:
        return _segment_gaussians(sq, cp, h)
    return None


@register("mmd", Distribution, Distribution)
def _mmd_cross_terms(p, q, kernel, bandwidth):
    if kernel != "gaussian":
        return NotImplemented
    h = bandwidth
    sp, sq = _segment(p), _segment(q)
    if sp is not None and sq is not None and sp[1] == sq[1]:
        # equal smoothing: C(P, P) = C(Q, Q), so MMD^2 = 2 C(P, P) (1 - exp(-dtheta^2 / (2 sigma^2)))
        sigma = math.sqrt(h * h + 2.0 * sp[1])
        return 2.0 * (h / sigma) ** 2 * _segments_y(sigma) * -math.expm1(-0.5 * ((sp[0] - sq[0]) / sigma) ** 2)
    terms = [cross_term(p, p, h), cross_term(q, q, h), cross_term(p, q, h)]
    if any(t is None for t in terms):
        return NotImplemented
    return min(2.0, max(0.0, terms[0] + terms[1] - 2.0 * terms[2]))


@register("mmd", Gaussian, Gaussian)
def _mmd_gaussians(p, q, kernel, bandwidth):
    # MMD^2 = (sqrt c_P - sqrt c_Q)^2 + 2 sqrt(c_P c_Q) H^2(N(0, S_P), N(2 delta / h, S_Q)): see the module docstring
    if kernel != "gaussian":
        return NotImplemented
    h, eye = bandwidth, np.eye(p.dim)
    lp = np.linalg.cholesky(2.0 * (p.chol / h) @ (p.chol / h).T + eye)
    lq = np.linalg.cholesky(2.0 * (q.chol / h) @ (q.chol / h).T + eye)
    b = linalg.solve_triangular(lp, lq, lower=True)  # S_P^(-1/2) S_Q^(1/2)
    lam, vectors = np.linalg.eigh(b @ b.T)
    lam = np.clip(lam, np.finfo(float).tiny, None)
    delta = np.atleast_1d((q.mean - p.mean) / h)
    z = vectors.T @ linalg.solve_triangular(lp, 2.0 * delta, lower=True)
    log_bc = -0.5 * np.sum(_log1p_spread(np.sqrt(lam))) - 0.25 * np.sum(z * z / (1.0 + lam))
    half_log_cp = -0.5 * float(np.sum(np.log(np.diag(lp))))  # log sqrt(c_P) = -logdet(S_P) / 4
    half_log_cq = -0.5 * float(np.sum(np.log(np.diag(lq))))
    spread = math.exp(2.0 * half_log_cq) * math.expm1(0.25 * float(np.sum(np.log(lam)))) ** 2
    shift = 2.0 * math.exp(half_log_cp + half_log_cq) * -math.expm1(log_bc)
    return min(2.0, spread + shift)
