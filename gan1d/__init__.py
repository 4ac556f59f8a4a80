"""Small torch GANs and WGANs on the toys, checked against the closed forms of :mod:`divergences`.

* :func:`train` / :func:`train_many` -- train a generator (an :class:`MLP`, or a parametric
  :class:`ParallelLines` / :class:`LocationScale` whose law is a toy at every step) with the
  ``"gan"``, ``"nsgan"``, ``"wgan"`` or ``"wgan-gp"`` loss; N seeds train as one vectorised batch.
* :func:`critic_sweep` -- train a fresh discriminator/critic for each theta of a parametric
  family and compare its divergence estimate and the generator's theta-gradient with the exact
  JS / W1 (Figure 1 of the WGAN paper, with trained networks).
* :func:`train_critic`, :func:`optimal_discriminator` -- a trained D against D* = p / (p + q).
* :func:`mode_coverage` -- modes captured and high-quality fraction (VEEGAN/PacGAN protocol).
"""

from .config import TrainConfig
from .coverage import mode_coverage
from .critic import SweepResult, TrainedCritic, critic_sweep, optimal_discriminator, train_critic
from .generators import MLP, LocationScale, ParallelLines, as_generator
from .history import History
from .losses import LOSSES
from .run import Run, load
from .train import TrainingDiverged, train, train_many

__all__ = [
    "LOSSES",
    "MLP",
    "History",
    "LocationScale",
    "ParallelLines",
    "Run",
    "SweepResult",
    "TrainConfig",
    "TrainedCritic",
    "TrainingDiverged",
    "as_generator",
    "critic_sweep",
    "load",
    "mode_coverage",
    "optimal_discriminator",
    "train",
    "train_critic",
    "train_many",
]
