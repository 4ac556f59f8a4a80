r"""Pairs of smoothed parallel lines (:class:`toys.SmoothedLine`) with the same noise width.

The law of :math:`(\theta, Z) + \sigma E`, :math:`Z \sim U[0, 1]`, :math:`E \sim N(0, I_2)`, has
the density :math:`p_\theta(x, y) = \varphi_\sigma(x - \theta)\, g_\sigma(y)` with
:math:`\varphi_\sigma` the :math:`N(0, \sigma^2)` density and :math:`g_\sigma` the same for every
:math:`\theta`. For two members with the same :math:`\sigma` the factor :math:`g_\sigma` is common,
so for every f-divergence (TV, KL, JS) [2]_

.. math:: D_f(P_{\theta_1}, P_{\theta_2}) = \int g_\sigma(y) \int \varphi_\sigma(x - \theta_2)\,
          f\!\left(\frac{\varphi_\sigma(x - \theta_1)}{\varphi_\sigma(x - \theta_2)}\right) dx\, dy
          = D_f\big(N(\theta_1, \sigma^2), N(\theta_2, \sigma^2)\big),

which depends only on :math:`\delta = |\theta_1 - \theta_2| / \sigma`:

* :math:`KL = \delta^2 / 2` both ways [3]_;
* :math:`TV = 2\Phi(\delta / 2) - 1 = \operatorname{erf}(\delta / (2\sqrt2))`;
* JS has no closed form; it is the 1-D integral for :math:`N(0, 1)` against
  :math:`N(\delta, 1)`, computed by the 1-D quadrature of :mod:`divergences.numeric.one_d`
  (absolute error <= 1e-9).

W1 is :math:`|\theta_1 - \theta_2|` for every :math:`\sigma`: the translation
:math:`(x, y) \mapsto (x + \theta_2 - \theta_1, y)` is a coupling of cost
:math:`|\theta_1 - \theta_2|`, and no coupling costs less, since
:math:`E\|X - Y\| \ge \|E X - E Y\| = |\theta_1 - \theta_2|` (Jensen).

As :math:`\sigma \to 0` with :math:`\theta_1 \ne \theta_2`, :math:`\delta \to \infty`: TV
:math:`\to 1`, JS :math:`\to \ln 2`, KL :math:`\to \infty`, the values of
:mod:`divergences.closed_forms.shifted_line` (Example 1 of [1]_), while W1 does not move.

Pairs with different :math:`\sigma` are left to the numeric path, which does not cover this law
(it raises ``NotImplementedError``).

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1 (the
   unsmoothed family).
.. [2] M. Arjovsky, L. Bottou, "Towards principled methods for training generative adversarial
   networks", ICLR 2017, Sec. 3 (adding noise makes the divergences continuous).
.. [3] KL and TV between normals with equal variances: L. Devroye, A. Mehrabian, T. Reddad,
   "The total variation distance between high-dimensional Gaussians with unequal covariances",
   arXiv:1810.08693 (2018), Sec. 1.
"""

import math

from scipy import special

from toys import Gaussian, SmoothedLine

from ..numeric import one_d
from ..registry import register


def _delta(p, q):
    """|theta_p - theta_q| / sigma, or None if the widths differ (no closed form then)."""
    if p.sigma != q.sigma:
        return None
    return abs(p.theta - q.theta) / p.sigma


@register("kl", SmoothedLine, SmoothedLine)
def _kl_smoothed(p, q):
    delta = _delta(p, q)
    return NotImplemented if delta is None else 0.5 * delta * delta


@register("tv", SmoothedLine, SmoothedLine)
def _tv_smoothed(p, q):
    delta = _delta(p, q)
    return NotImplemented if delta is None else float(special.erf(delta / (2 * math.sqrt(2))))


@register("js", SmoothedLine, SmoothedLine)
def _js_smoothed(p, q):
    delta = _delta(p, q)
    if delta is None:
        return NotImplemented
    if delta > 80.0:  # N(0, 1) and N(delta, 1) overlap below e^-800: JS is ln 2 to the last bit
        return math.log(2.0)
    return float(one_d.evaluate("js", [Gaussian(0.0, 1.0)], [Gaussian(delta, 1.0)])[0])


@register("w1", SmoothedLine, SmoothedLine)
def _w1_smoothed(p, q):
    return NotImplemented if p.sigma != q.sigma else abs(p.theta - q.theta)
