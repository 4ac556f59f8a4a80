"""Trained critics and generators against their exact counterparts.

* :mod:`~gan1d.analysis.critics` -- :func:`optimal_discriminator` :math:`D^* = p/(p+q)` and
  :func:`gan1d.train_critic`, a discriminator or critic trained between two fixed laws.
* :mod:`~gan1d.analysis.sweep` -- :func:`gan1d.critic_sweep`, a critic per member of a family against
  the exact JS or W1 and its gradient (Figure 1 of the WGAN paper, with networks).
* :mod:`~gan1d.analysis.settings_sweep` -- :func:`gan1d.critic_sweeps`, a critic sweep for each of
  several named settings (losses, penalties, learning rates) on one family, on any executor.
* :mod:`~gan1d.analysis.fgan` -- the f-GANs: one critic per f-divergence against the exact value
  (:func:`fgan_bounds`), and Gaussian generators fitted with each f against the exact minimiser
  (:func:`fgan_gaussian_fits`).
* :mod:`~gan1d.analysis.optimality` -- a trained D against D* (:func:`discriminator_gap`), a
  trained critic as a witness of W1 (:func:`witness_bound`), their scores and input gradients.
* :mod:`~gan1d.analysis.saturation` -- what a saturated discriminator and a critic tell the
  generator at its samples (Figure 2 of the WGAN paper, :func:`input_gradients`).
* :mod:`~gan1d.analysis.gp_optimum` -- the WGAN-GP critic's penalised optimum on the parallel
  lines (:func:`gp_optimum_lines`).
* :mod:`~gan1d.analysis.maps` -- a trained 1-D generator as a map of its latent
  (:func:`generator_map`).
"""

from .critics import TrainedCritic, optimal_discriminator, train_critic
from .fgan import FGAN_CRITICS, FGanBounds, GaussianFits, fgan_bounds, fgan_gaussian_fits
from .gp_optimum import gp_optimum_lines
from .maps import generator_map
from .optimality import (
    DiscriminatorGap,
    WitnessBound,
    critic_gradient,
    critic_score,
    discriminator_gap,
    witness_bound,
)
from .saturation import InputGradients, input_gradients
from .settings_sweep import critic_sweeps
from .sweep import SweepResult, critic_sweep

__all__ = [
    "FGAN_CRITICS",
    "DiscriminatorGap",
    "FGanBounds",
    "GaussianFits",
    "InputGradients",
    "SweepResult",
    "TrainedCritic",
    "WitnessBound",
    "critic_gradient",
    "critic_score",
    "critic_sweep",
    "critic_sweeps",
    "discriminator_gap",
    "fgan_bounds",
    "fgan_gaussian_fits",
    "generator_map",
    "gp_optimum_lines",
    "input_gradients",
    "optimal_discriminator",
    "train_critic",
    "witness_bound",
]
