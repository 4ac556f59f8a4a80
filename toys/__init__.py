"""Toy probability distributions with exact parameters (numpy/scipy only).

The laws of the lecture on generative models: Gaussians (1-D and d-D, the 2-D correlated
Gaussian), Gaussian mixtures (with the :func:`ring` and :func:`grid` mixtures of the mode-collapse
experiments), Uniform, Exponential, Bernoulli, Discrete, and :class:`ShiftedLine`, the
parallel-lines family of the WGAN paper. Beside the laws, one latent-variable model,
:class:`LinearGaussian` (probabilistic PCA), whose marginal and posterior are Gaussians.

Every toy has ``sample(n, rng=None)``, ``dim``, ``mean``, ``var`` (1-D) or ``cov`` (d-D), a
readable ``repr``, and where they exist ``pdf``/``logpdf`` or ``pmf``/``logpmf``, and ``cdf``/``ppf``
in 1-D. Hypothesis strategies for random toys are in :mod:`toys.strategies`.
"""

from .base import ContinuousDistribution, DiscreteDistribution, Distribution, SingularDistribution
from .discrete import Bernoulli, Discrete
from .empirical import empirical_law
from .gaussian import Gaussian
from .linear_gaussian import LinearGaussian
from .mixture import GaussianMixture, grid, ring
from .shifted_line import ShiftedLine
from .simple import Exponential, Uniform
from .smoothed_line import SmoothedLine
from .walk import scaled_walk

__all__ = [
    "Bernoulli",
    "ContinuousDistribution",
    "Discrete",
    "DiscreteDistribution",
    "Distribution",
    "Exponential",
    "Gaussian",
    "GaussianMixture",
    "LinearGaussian",
    "ShiftedLine",
    "SingularDistribution",
    "SmoothedLine",
    "Uniform",
    "empirical_law",
    "grid",
    "ring",
    "scaled_walk",
]
