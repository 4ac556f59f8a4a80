"""Small torch GANs and WGANs on the toys, checked against the closed forms of :mod:`divergences`.

* :func:`train` / :func:`train_many` -- train a generator (an :class:`MLP`, or a parametric
  :class:`ParallelLines` / :class:`LocationScale` whose law is a toy at every step) with the
  ``"gan"``, ``"nsgan"``, ``"wgan"`` or ``"wgan-gp"`` loss; N seeds train as one vectorised batch.
* :func:`critic_sweep` -- train a fresh discriminator/critic for each theta of a parametric
  family and compare its divergence estimate and the generator's theta-gradient with the exact
  JS / W1 (Figure 1 of the WGAN paper, with trained networks).
* :func:`train_critic`, :func:`optimal_discriminator` -- a trained D against D* = p / (p + q).
* :func:`mode_coverage` -- modes captured and high-quality fraction (VEEGAN/PacGAN protocol).
* :func:`input_gradients` -- what a saturated discriminator and a WGAN critic tell the generator
  at its samples (Figure 2 of the WGAN paper); :func:`gp_optimum_lines` -- the WGAN-GP critic's
  penalised optimum on the parallel lines, whose estimate overshoots W1.
"""

from .config import TrainConfig
from .coverage import mode_coverage
from .critic import SweepResult, TrainedCritic, critic_sweep, optimal_discriminator, train_critic
from .generators import MLP, LocationScale, ParallelLines, as_generator
from .gp_optimum import gp_optimum_lines
from .history import History
from .losses import LOSSES
from .maps import generator_map
from .optimality import (
    DiscriminatorGap,
    WitnessBound,
    critic_gradient,
    critic_score,
    discriminator_gap,
    witness_bound,
)
from .run import Run, load
from .saturation import InputGradients, input_gradients
from .train import TrainingDiverged, train, train_many

__all__ = [
    "LOSSES",
    "MLP",
    "DiscriminatorGap",
    "History",
    "InputGradients",
    "LocationScale",
    "ParallelLines",
    "Run",
    "SweepResult",
    "TrainConfig",
    "TrainedCritic",
    "TrainingDiverged",
    "WitnessBound",
    "as_generator",
    "critic_gradient",
    "critic_score",
    "critic_sweep",
    "discriminator_gap",
    "generator_map",
    "gp_optimum_lines",
    "input_gradients",
    "load",
    "mode_coverage",
    "optimal_discriminator",
    "train",
    "train_critic",
    "train_many",
    "witness_bound",
]
