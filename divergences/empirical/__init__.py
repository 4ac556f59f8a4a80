r"""Divergences estimated from samples, for laws known only through draws (a GAN generator).

* :func:`w1`, :func:`w2` -- Wasserstein-1 and -2 between the two empirical measures, computed
  exactly: in 1-D from the sorted samples, :math:`O((n+m)\log(n+m))`; in d-D by exact optimal
  transport (POT's network simplex), :math:`O(n^3)`, up to ``max_points`` per side. They are
  exact for the empirical measures; as estimates of W1, W2 between the laws they are biased
  upward, by about :math:`n^{-1/2}` in 1-D and :math:`n^{-1/d}` in d >= 3 dimensions [1]_.
* :func:`sliced_w` -- sliced Wasserstein-p: the 1-D transport cost of projections on random
  directions (drawn from an explicit ``rng``), averaged by POT.
* :func:`frechet` -- the Fréchet distance of the Gaussians fitted to the samples (the FID
  formula on the points themselves, :math:`W_2^2` of the fits); biased upward by about
  :math:`d(d+5)/(2n)` for unit covariances (measured in its Notes).
* :func:`mmd` -- the squared maximum mean discrepancy with a Gaussian kernel: the unbiased
  U-statistic or the V-statistic, chosen by ``unbiased``; the bandwidth is required.
* :func:`energy` -- the energy distance of the empirical measures (the V-statistic); in 1-D the
  square of ``scipy.stats.energy_distance``.
* :func:`kl` -- the k-nearest-neighbour estimator of KL(P || Q) of Wang, Kulkarni and Verdú [2]_:
  consistent, but biased at finite n (measured in its Notes on Gaussian pairs: up to 0.09 nats at
  n = 100, below 0.01 at n = 10 000, where the standard deviation is 0.01-0.03), and it can be
  negative.
* :func:`js`, :func:`tv` -- plug-in estimators on common histograms, in 1-D and 2-D only. They
  are biased both by sampling noise (upward) and by the binning (downward: coarse-graining
  loses information); their default binning is stated in their docstrings.

All take sample arrays of shape ``(n,)`` (1-D) or ``(n, d)`` and return a Python float; the
arrays are checked (numeric, finite, same dimension, enough points) before any work is done.
They work in coordinates centred and scaled on the pooled sample (by a power of two near its
spread), so that the estimates do not depend on the units: samples at scale 1e300 or 1e-300, or
at 1e15 with spread 1, give the estimates of the same samples at unit scale (KL, JS, TV and the
MMD with its bandwidth scaled alike unchanged; W1, W2, sliced W and the energy distance scaled;
the Fréchet distance scaled by the square), exactly when the change of units is exact in
floating point (a power of two, an offset at which the floats still hold the points). No
estimator allocates an array of more than :data:`MAX_ENTRIES` entries (histogram cells,
transport costs, projections, pooled distances): larger requests raise a ``ValueError`` before
any allocation, and the MMD and energy sums over all pairs are taken in blocks.

References
----------
.. [1] J. Weed, F. Bach, "Sharp asymptotic and finite-sample rates of convergence of empirical
   measures in Wasserstein distance", Bernoulli 25(4A), 2019.
.. [2] Q. Wang, S. R. Kulkarni, S. Verdú, "Divergence estimation for multidimensional densities
   via k-nearest-neighbor distances", IEEE Trans. Inf. Theory 55(5), 2009, pp. 2392-2405.
"""

from .checks import MAX_ENTRIES
from .energy_distance import energy
from .gaussian_fit import frechet
from .histograms import js, tv
from .kernels import KERNELS, mmd
from .knn import kl
from .sliced import sliced_w
from .transport import MAX_POINTS_OT, w1, w2

__all__ = [
    "KERNELS",
    "MAX_ENTRIES",
    "MAX_POINTS_OT",
    "energy",
    "frechet",
    "js",
    "kl",
    "mmd",
    "sliced_w",
    "tv",
    "w1",
    "w2",
]
