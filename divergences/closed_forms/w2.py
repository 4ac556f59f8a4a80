r"""The Wasserstein-2 distance in closed form (Euclidean cost; W2 itself, not its square).

In 1-D the quantile coupling is optimal for the squared cost, so
:math:`W_2^2 = \int_0^1 (F_P^{-1}(u) - F_Q^{-1}(u))^2\,du` (Villani 2003, Sec. 2.2): for laws
whose quantile functions are affine in a common variable (uniforms in u, exponentials in
:math:`E = -\ln(1 - u)`, Gaussians in :math:`Z = \Phi^{-1}(u)`) the integral is the second moment of
:math:`\alpha + \beta V`, written here as a sum of squares (the difference of the means, squared,
plus :math:`\beta^2\operatorname{Var} V`) so that nothing cancels:

* Gaussians, 1-D: :math:`W_2^2 = \Delta\mu^2 + \Delta\sigma^2`; d-D (Dowson and Landau 1982,
  Theorem 2; Givens and Shortt 1984, Proposition 7)
  :math:`W_2^2 = \|\mu_1 - \mu_2\|^2 + \operatorname{tr}(\Sigma_1 + \Sigma_2 - 2(\Sigma_2^{1/2}
  \Sigma_1\Sigma_2^{1/2})^{1/2})`, the trace term computed as
  :math:`\min_U \|L_1 - L_2 U\|_F^2` over orthogonal U, with :math:`\Sigma_i = L_iL_i^\top`
  (Cholesky): :math:`\operatorname{tr}(\Sigma_2^{1/2}\Sigma_1\Sigma_2^{1/2})^{1/2}` is the nuclear
  norm of :math:`L_2^\top L_1`, attained at its polar factor U (orthogonal Procrustes). A sum of
  squares: no clipping, no square root of a nearly singular matrix, and exactly the distance of
  the means for equal covariances.
* Uniforms :math:`[a, b]`, :math:`[c, d]`: :math:`\alpha = a - c`,
  :math:`\beta = (b - a) - (d - c)`, :math:`W_2^2 = (\alpha + \beta/2)^2 + \beta^2/12`.
* Exponentials (left ends :math:`a, b`, rates :math:`\lambda_p, \lambda_q`): :math:`\alpha = a - b`,
  :math:`\beta = 1/\lambda_p - 1/\lambda_q`, :math:`W_2^2 = (\alpha + \beta)^2 + \beta^2`.
* Finite laws: both quantile functions are steps, constant between the merged cumulative masses.
* Parallel lines :math:`(\theta, Z)`: :math:`|\theta_1 - \theta_2|` (the coupling with equal Z).
* Smoothed lines: the two coordinates are independent, and for product laws the squared
  Euclidean cost adds up over the coordinates (proved at :func:`_product`); the first
  coordinates are Gaussians (or a point against a Gaussian), the second the uniform law on
  [0, 1] blurred by :math:`N(0, \sigma^2)`, whose W2 is 0 for equal widths and otherwise the
  1-D numeric path's (:func:`blurred_uniforms`).

References
----------
.. [1] C. Villani, *Topics in Optimal Transportation*, AMS 2003, Sec. 2.2 (the real line).
.. [2] D. C. Dowson, B. V. Landau, "The Fréchet distance between multivariate normal
   distributions", J. Multivariate Anal. 12 (1982) 450-455, Theorem 2.
.. [3] C. R. Givens, R. M. Shortt, "A class of Wasserstein metrics for probability
   distributions", Michigan Math. J. 31 (1984) 231-240, Proposition 7.
.. [4] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
"""

import math

import numpy as np
from scipy import special
from scipy.optimize import elementwise

from toys import Exponential, Gaussian, GaussianMixture, ShiftedLine, SmoothedLine, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution

from ..numeric.w2 import w2_rows
from ..registry import register

__all__ = ["BlurredUniform", "blurred_uniforms", "merged_steps", "w2_gaussians"]

_SPAN = 50.0  # the quantiles at levels down to e^-700 lie within 50 sigma of the segment


def w2_gaussians(p, q):
    """W2 between two Gaussians of one dimension (checked by the caller), in the units of the points."""
    if p.dim == 1:
        return math.hypot(q.mean - p.mean, q.std - p.std)
    dm = np.asarray(q.mean, dtype=float) - np.asarray(p.mean, dtype=float)
    if np.array_equal(p.cov, q.cov):
        return math.hypot(*dm)
    l1, l2 = p.chol, q.chol
    a, _, bt = np.linalg.svd(l2.T @ l1)
    gap = l1 - l2 @ (a @ bt)  # L1 - L2 U at the polar factor U of L2^T L1
    return math.hypot(*dm, *gap.ravel())


@register("w2", Gaussian, Gaussian)
def _w2_gaussian(p, q):
    return w2_gaussians(p, q)


@register("w2", GaussianMixture, GaussianMixture)
@register("w2", GaussianMixture, Gaussian)
def _w2_single_components(p, q):
    """Mixtures of one component (of positive weight) are Gaussians: the closed form, not transport."""
    a, b = _as_gaussian(p), _as_gaussian(q)
    return NotImplemented if a is None or b is None else w2_gaussians(a, b)


def _as_gaussian(d):
    if isinstance(d, Gaussian):
        return d
    w, m, c = d.as_mixture()
    keep = np.flatnonzero(w > 0)
    if keep.size != 1:
        return None
    k = keep[0]
    return Gaussian(float(m[k, 0]), math.sqrt(float(c[k, 0, 0]))) if d.dim == 1 else Gaussian(mean=m[k], cov=c[k])


@register("w2", Uniform, Uniform)
def _w2_uniform(p, q):
    # quantiles a + (b - a) u and c + (d - c) u: alpha + beta u with alpha + beta / 2 the
    # difference of the means, both from differences of ends (no width is subtracted)
    beta = (p.high - q.high) - (p.low - q.low)
    return math.hypot(0.5 * (p.low - q.low) + 0.5 * (p.high - q.high), beta / math.sqrt(12.0))


@register("w2", Exponential, Exponential)
def _w2_exponential(p, q):
    # quantiles loc + E / rate, E ~ Exp(1) (mean 1, variance 1): E (alpha + beta E)^2 =
    # (alpha + beta)^2 + beta^2; beta from the difference of the rates, exact when they are close
    beta = (q.rate - p.rate) / p.rate / q.rate
    return math.hypot((p.loc - q.loc) + beta, beta)


@register("w2", DiscreteDistribution, DiscreteDistribution)
def _w2_discrete(p, q):
    x, y, du = merged_steps(p, q)
    d = x - y
    big = float(np.max(np.abs(d), initial=0.0))
    if big == 0.0:
        return 0.0
    return big * math.sqrt(float(np.sum(du * (d / big) ** 2)))  # no square under- or overflows


def merged_steps(p, q):
    """``(x, y, du)``: the values of the two quantile functions on the pieces where both are constant.

    The pieces are the intervals between the merged cumulative masses of the two finite laws;
    ``du`` their lengths (summing to 1).
    """
    cums = []
    for d in (p, q):
        c = np.cumsum(d.probs[d.probs > 0])
        c[-1] = 1.0
        cums.append(c)
    levels = np.union1d(*cums)
    du = np.diff(np.concatenate([[0.0], levels]))
    # on (levels[k-1], levels[k]] the quantile is the first atom whose cumulative mass is >= levels[k]
    x, y = ((d.atoms[d.probs > 0])[np.searchsorted(c, levels)] for d, c in zip((p, q), cums, strict=True))
    return x, y, du


@register("w2", ShiftedLine, ShiftedLine)
def _w2_lines(p, q):
    # the coupling (theta_1, Z) -> (theta_2, Z) costs dtheta^2, and no coupling costs less than
    # the squared difference of the first coordinates, which is dtheta^2 for every coupling
    return abs(p.theta - q.theta)


def _product(*squares):
    r"""W2 of two product laws from the squared W2 of their factors.

    For :math:`P = P_1 \otimes P_2` and :math:`Q = Q_1 \otimes Q_2` with the cost
    :math:`|x - y|^2 = (x_1 - y_1)^2 + (x_2 - y_2)^2`: every coupling of P and Q has marginals
    :math:`\gamma_i \in \Pi(P_i, Q_i)`, so its cost is :math:`\sum_i E_{\gamma_i}(x_i - y_i)^2 \ge
    \sum_i W_2^2(P_i, Q_i)`; and the product of optimal couplings :math:`\gamma_1^* \otimes
    \gamma_2^*` is a coupling of P and Q (its marginals are :math:`P_1 \otimes P_2` and
    :math:`Q_1 \otimes Q_2`) that costs exactly that sum. So :math:`W_2^2(P, Q) = \sum_i
    W_2^2(P_i, Q_i)`. Takes each factor's W2 (not its square), returns W2.
    """
    return math.hypot(*squares)


@register("w2", SmoothedLine, SmoothedLine)
def _w2_smoothed(p, q):
    # x: N(theta_1, s_1^2) against N(theta_2, s_2^2); y: U[0, 1] + N(0, s^2), equal for equal s
    y = 0.0 if p.sigma == q.sigma else blurred_uniforms(p.sigma, q.sigma)
    return _product(p.theta - q.theta, p.sigma - q.sigma, y)


@register("w2", ShiftedLine, SmoothedLine)
def _w2_line_smoothed(p, q):
    # x: the point theta_1 against N(theta_2, s^2), whose only coupling costs dtheta^2 + s^2;
    # y: U[0, 1] against U[0, 1] + N(0, s^2)
    return _product(p.theta - q.theta, q.sigma, blurred_uniforms(0.0, q.sigma))


class BlurredUniform(ContinuousDistribution):
    r"""The law of :math:`U + \sigma E`, :math:`U \sim U[0, 1]`, :math:`E \sim N(0, 1)` independent.

    The second coordinate of :class:`toys.SmoothedLine`; symmetric about 1/2. Its CDF is
    :math:`F(y) = \sigma\,[G(y/\sigma) - G((y - 1)/\sigma)]` with
    :math:`G(z) = \int_{-\infty}^z\Phi = z\Phi(z) + \varphi(z)`; for :math:`z < 0`,
    :math:`G(z) = \varphi(z)(1 - |z|R(|z|))` with Mills' ratio :math:`R`, and beyond
    :math:`|z| = 12` the asymptotic series :math:`1 - wR(w) = \sum_{k\ge1}(-1)^{k+1}(2k-1)!!/w^{2k}`,
    so that :math:`\ln F` keeps its relative accuracy far in the tails.
    """

    dim = 1

    def __init__(self, sigma):
        self.sigma = float(sigma)

    def parameters(self):
        return {"sigma": self.sigma}

    @property
    def mean(self):
        return 0.5

    @property
    def var(self):
        return 1.0 / 12.0 + self.sigma**2

    def logpdf(self, y):
        """Log density: the second-coordinate factor of :meth:`toys.SmoothedLine.log_profile`."""
        return SmoothedLine(0.0, self.sigma).log_profile(y)

    def _sample(self, n, rng):
        return rng.random(n) + self.sigma * rng.standard_normal(n)

    def logcdf(self, y):
        """log P(Y <= y), accurate in the lower tail."""
        y = np.asarray(y, dtype=float)
        lb, la = _log_g(y / self.sigma), _log_g((y - 1.0) / self.sigma)
        with np.errstate(divide="ignore"):
            return math.log(self.sigma) + lb + np.log(-np.expm1(la - lb))

    def cdf(self, y):
        """P(Y <= y), each half from the nearer tail (the law is symmetric about 1/2)."""
        y = np.asarray(y, dtype=float)
        return np.where(y <= 0.5, np.exp(self.logcdf(y)), -np.expm1(self.logcdf(1.0 - y)))

    def features(self):
        """One feature covering [-10 sigma, 1 + 10 sigma]."""
        return np.array([0.5]), np.array([0.05 + self.sigma])

    def logit_quantile(self, s):
        """The quantile at expit(s): the lower half by root finding on log F, the upper by symmetry."""
        s = np.asarray(s, dtype=float)
        flat = -np.abs(s.ravel())
        target = special.log_expit(flat)

        def f(x, t):
            return self.logcdf(x) - t

        lo = np.full(flat.shape, -_SPAN * self.sigma)
        hi = np.full(flat.shape, 1.0)
        x = elementwise.find_root(f, (lo, hi), args=(target,), tolerances={"xatol": 1e-17, "xrtol": 4e-16}).x
        x = x.reshape(s.shape)
        return np.where(s < 0, x, 1.0 - x)


def _log_g(z):
    """log of G(z) = integral of Phi up to z, accurate for every z."""
    z = np.asarray(z, dtype=float)
    w = np.abs(z)
    log_phi = -0.5 * w * w - 0.5 * math.log(2.0 * math.pi)
    with np.errstate(divide="ignore", invalid="ignore"):
        pos = np.log(z * special.ndtr(z) + np.exp(log_phi))
        mills = math.sqrt(0.5 * math.pi) * special.erfcx(w / math.sqrt(2.0))  # Phi(-w) / phi(w)
        near = np.log1p(-w * mills)
        inv = 1.0 / (w * w)
        term, series = inv, np.zeros_like(w)
        for k in range(1, 21):  # 1 - w R(w) = 1/w^2 - 3/w^4 + 15/w^6 - ...
            series += term
            term = -term * (2 * k + 1) * inv
        far = np.log(series)
    neg = log_phi + np.where(w > 12.0, far, near)
    return np.where(z >= 0, pos, neg)


def blurred_uniforms(sigma_1, sigma_2):
    """W2 between U[0, 1] + N(0, sigma_1^2) and U[0, 1] + N(0, sigma_2^2); a width 0 is U[0, 1] itself."""
    laws = [Uniform(0.0, 1.0) if s == 0.0 else BlurredUniform(s) for s in (sigma_1, sigma_2)]
    return float(w2_rows([laws[0]], [laws[1]])[0])
