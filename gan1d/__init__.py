"""Small torch GANs and WGANs on the toys, checked against the closed forms of :mod:`divergences`.

* :func:`train` / :func:`train_many` -- train a generator (an :class:`MLP`, or a parametric
  :class:`ParallelLines` / :class:`LocationScale` whose law is a toy at every step) with the
  ``"gan"``, ``"nsgan"``, ``"wgan"``, ``"wgan-gp"``, ``"f-gan"`` (any named f-divergence) or
  ``"lsgan"`` loss; N seeds train as one vectorised batch.
  :class:`Trainer` is the loop, with its extension points (callbacks at each evaluation, a fixed
  law in the generator's place, critic pretraining).
* :func:`gan1d.critic_sweep` -- a fresh discriminator/critic for each theta of a parametric family,
  its divergence estimate and the generator's theta-gradient against the exact JS / W1 (Figure 1
  of the WGAN paper, with trained networks); :func:`gan1d.critic_sweeps`, one such sweep per named
  setting, on any ``concurrent.futures`` executor.
* :func:`gan1d.train_critic`, :func:`optimal_discriminator` -- a trained D against D* = p / (p + q).
* :func:`mode_coverage` -- modes captured and high-quality fraction (VEEGAN/PacGAN protocol).

The trainer core is :mod:`gan1d.training`; the analysis of trained critics and generators
(D against D*, witness bounds, saturation, the WGAN-GP optimum, generator maps) is
:mod:`gan1d.analysis`; the lecture's main job (``python -m gan1d lecture``) is
:mod:`gan1d.lecture`, which no library module imports.

``gan1d`` needs torch, the ``gan`` extra: ``pip install -c constraints.txt "divergences-toolkit[gan]"``.
"""

try:
    import torch  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "gan1d needs torch, which the analytic core (toys, divergences) does not: install the 'gan' extra, "
        "e.g. pip install -c constraints.txt -e '.[gan]' (constraints.txt pins the CPU build of torch)"
    ) from exc

from . import analysis, training
from .analysis import critic_sweep, critic_sweeps, optimal_discriminator, train_critic
from .training import (
    LOSSES,
    MLP,
    History,
    LocationScale,
    ParallelLines,
    Run,
    TrainConfig,
    Trainer,
    TrainingDiverged,
    load,
    mode_coverage,
    train,
    train_many,
)

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
    "analysis",
    "critic_sweep",
    "critic_sweeps",
    "load",
    "mode_coverage",
    "optimal_discriminator",
    "train",
    "train_critic",
    "train_many",
    "training",
]

#: Names that lived at the top level before the subpackages, and where they are now.
MOVED = {name: "analysis" for name in analysis.__all__ if name not in __all__} | {"as_generator": "training"}


def __getattr__(name):
    """Say where a name that moved into a subpackage is now, instead of a bare AttributeError."""
    if name in MOVED:
        raise AttributeError(f"module 'gan1d' has no attribute {name!r}; it moved to gan1d.{MOVED[name]}.{name}")
    raise AttributeError(f"module 'gan1d' has no attribute {name!r}")
