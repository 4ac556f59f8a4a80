"""The trainer core: settings, losses, networks, generators, the training loop, its record, runs.

* :mod:`~gan1d.training.config` -- :class:`TrainConfig`, one dataclass of settings with sources.
* :mod:`~gan1d.training.losses` -- the losses side by side, and their defaults;
  :mod:`~gan1d.training.fgan` -- the f-GAN's activations and conjugates in torch, and the
  divergence the least-squares GAN estimates.
* ``gan1d.training.regularisers`` -- R1, R2, instance noise, consensus optimisation and spectral
  normalisation, the ``TrainConfig`` fields that make GANs converge.
* :mod:`~gan1d.training.networks`, :mod:`~gan1d.training.generators` -- ensembles of small MLPs
  and the parametric generators whose law is a toy at every step.
* :mod:`~gan1d.training.trainer` -- :class:`Trainer` and :func:`train` / :func:`train_many`.
* :mod:`~gan1d.training.history`, :mod:`~gan1d.training.evaluate`,
  :mod:`~gan1d.training.coverage` -- what a run records: losses, estimates, exact divergences,
  modes captured.
* :mod:`~gan1d.training.run` -- a finished run, saved and loaded without pickle;
  :mod:`~gan1d.training.run_file` -- the saved file's layout, and every check of it on loading.
"""

from .config import TrainConfig
from .coverage import mode_coverage
from .generators import MLP, LocationScale, ParallelLines, as_generator
from .history import History
from .losses import LOSSES
from .run import Run, load
from .trainer import Trainer, TrainingDiverged, train, train_many

__all__ = [
    "LOSSES",
    "MLP",
    "History",
    "LocationScale",
    "ParallelLines",
    "Run",
    "TrainConfig",
    "Trainer",
    "TrainingDiverged",
    "as_generator",
    "load",
    "mode_coverage",
    "train",
    "train_many",
]
