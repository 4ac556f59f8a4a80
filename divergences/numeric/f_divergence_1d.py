r"""The f-divergence of a generator of bounded growth between 1-D laws, by quadrature.

:math:`D_f(P\,\|\,Q) = \int q\,f(p/q) + f'(\infty)\,P(q = 0)` (Csiszár 1967). For a convex f with
finite :math:`f(0)` and finite :math:`f'(\infty) = \lim f(u)/u` (TV, JS, Hellinger, the GAN
generator and their kin), :math:`f(u) - f(0)` over u is non-decreasing with limit
:math:`f'(\infty)`, so :math:`f(u) \le f(0) + f'(\infty)u`, and a supporting line bounds f below:
:math:`|f(u)| \le a + b u`, and :math:`|q f(p/q)| \le a q + b p` is integrable for every pair.
The integral therefore always converges and lives where the laws do: on the panels and windows of
the 1-D quadrature (:mod:`divergences.numeric.panels`, windows holding all but 1e-17 of each toy's
mass, 1e-30 of other laws, with doubling tail edges out to 1e150 for laws without features).

* Where p = 0 < q the integrand is :math:`q f(0)`; the mass of P outside the support of Q adds
  :math:`f'(\infty)\,P(q = 0)`, from P's CDF.
* Where :math:`p/q > e^{600}` the integrand is :math:`f'(\infty)\,p` (the difference is below
  :math:`e^{-600}` of p times a bounded factor).
* Two laws whose windows do not meet, and a finite law against a continuous one, are (nearly)
  mutually singular: :math:`f(0) + f'(\infty)`.

Adaptive Gauss-Kronrod on the pair's panels (:mod:`divergences.numeric.quadrature`), kinks of f
(at u = 1 for TV) resolved by halving. Absolute error <= 1e-9 max(1, |f(0)| + |f'(\infty)|).

References
----------
.. [1] I. Csiszár, "Information-type measures of difference of probability distributions and
   indirect observations", Studia Sci. Math. Hungarica 2 (1967).
"""

import math

import numpy as np

from toys.base import DiscreteDistribution

from . import quadrature
from .pairs import separated, standardise
from .panels import row_edges
from .rows import Rows

__all__ = ["evaluate"]

#: Log of the likelihood ratio beyond which q f(p/q) is taken as f'(inf) p.
_FAR_RATIO = 600.0


def evaluate(p, q, f, at_zero, slope):
    """D_f(p || q) for two 1-D laws, not both finite, and a convex ``f`` of bounded growth.

    Parameters
    ----------
    p, q : toys or wrapped scipy.stats laws, 1-D
    f : callable
        The generator, vectorised over numpy arrays of ratios u > 0.
    at_zero, slope : float
        :math:`f(0)` and :math:`f'(\\infty)`, both finite.

    Returns
    -------
    float
    """
    if not (math.isfinite(at_zero) and math.isfinite(slope)):
        raise ValueError(f"f(0) and f'(inf) must be finite for this path, got {at_zero!r} and {slope!r}")
    if isinstance(p, DiscreteDistribution) or isinstance(q, DiscreteDistribution) or separated(p, q):
        return at_zero + slope  # mutually singular (within 1e-17 for windows apart)
    (lo_q, hi_q) = q.support
    missed = (float(p.cdf(lo_q)) if np.isfinite(lo_q) else 0.0) + (
        1.0 - float(p.cdf(hi_q)) if np.isfinite(hi_q) else 0.0
    )
    vp, vq, _, _ = standardise(p, q)
    panels = quadrature.panels_from_edges([row_edges(vp, vq, {})])
    rows_p, rows_q = Rows([vp]), Rows([vq])

    def integrand(x, row):
        lp, lq = rows_p.logpdf(x, row), rows_q.logpdf(x, row)
        with np.errstate(all="ignore"):
            ell = lp - lq
            inner = np.exp(lq) * f(np.exp(np.minimum(ell, _FAR_RATIO)))
            value = np.where(ell > _FAR_RATIO, slope * np.exp(lp), inner)
            value = np.where(lp == -np.inf, np.exp(lq) * at_zero, value)
            return np.where(lq == -np.inf, 0.0, value)

    value = float(quadrature.adaptive(integrand, panels, 1)[0])
    if not math.isfinite(value):
        raise ValueError(f"f returned a value that is not a finite number on the likelihood ratios of {p!r} and {q!r}")
    return value + slope * missed
