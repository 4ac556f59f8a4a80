"""The mode-collapse experiment: every loss on the ring, the grid and a 1-D three-mode mixture.

Scored as VEEGAN and PacGAN do (:func:`gan1d.mode_coverage` on 2,500 generator samples), with
the seeds of one (loss, target) cell trained at once by :func:`gan1d.train_many`.
"""

import time
from dataclasses import dataclass, field

import numpy as np

import toys
from divergences import empirical

from .coverage import mode_coverage
from .generators import MLP
from .train import train_many

__all__ = ["LOSS_NAMES", "SETTING", "Cell", "mode_collapse_table", "targets"]

LOSS_NAMES = ("gan", "nsgan", "wgan", "wgan-gp")


def targets():
    """The three targets, by name: ``ring`` (8 modes), ``grid`` (25), ``three`` (1-D, 3 modes)."""
    return {
        "ring": toys.ring(),
        "grid": toys.grid(),
        "three": toys.GaussianMixture(weights=[1 / 3] * 3, means=[-4.0, 0.0, 4.0], stds=[0.25] * 3),
    }


#: The demonstration setting: small networks (a single run is bound by per-step overhead, so
#: :func:`gan1d.train_many` trains 8 seeds in little more than the time of one).
SETTING = {
    "steps": 2000,
    "batch_size": 256,
    "generator": MLP(width=64, depth=3, latent_dim=2),
    "discriminator": MLP(width=64, depth=3),
}


@dataclass
class Cell:
    """One (loss, target) cell of the table: per-seed scores and the wall time of the batch."""

    loss: str
    target: str
    n_modes: int
    modes: np.ndarray  # (seeds,) modes captured
    high_quality: np.ndarray  # (seeds,) fraction of high-quality samples
    w1: np.ndarray  # (seeds,) empirical W1 to the target
    seconds: float  # wall time of training all seeds at once
    samples: list = field(repr=False, default_factory=list)  # (seeds,) arrays of generator samples

    @property
    def seconds_per_run(self):
        return self.seconds / len(self.modes)


def mode_collapse_table(losses=LOSS_NAMES, names=("ring", "grid", "three"), seeds=range(8), n_samples=2500,
                        progress=None, **overrides):  # fmt: skip
    """Train every (loss, target) cell over ``seeds`` and score it; a list of :class:`Cell`.

    ``overrides`` replace fields of :data:`SETTING` (e.g. ``steps=200`` for a quick run).
    """
    setting = {**SETTING, **overrides}
    all_targets = targets()
    cells = []
    for name in names:
        target = all_targets[name]
        for loss in losses:
            t0 = time.perf_counter()
            runs = train_many(target, list(seeds), loss=loss, eval_every=setting["steps"], progress=progress,
                              eval_samples=n_samples, **setting)  # fmt: skip
            seconds = time.perf_counter() - t0
            xs = [run.sample(n_samples, rng=10_000 + run.seed) for run in runs]
            y = target.sample(n_samples, rng=0)
            scores = np.array([mode_coverage(x, target) for x in xs])
            w1 = np.array([empirical.w1(x, y) for x in xs])
            cells.append(Cell(loss, name, target.n_components, scores[:, 0], scores[:, 1], w1, seconds, xs))
    return cells


def to_markdown(cells):
    """The table: modes captured (mean +- standard error), high-quality %, W1, seconds per run."""
    lines = [
        "| target | loss | modes captured | high-quality % | W1 to target | s / run |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for c in cells:
        se = c.modes.std(ddof=1) / np.sqrt(len(c.modes)) if len(c.modes) > 1 else float("nan")
        lines.append(
            f"| {c.target} ({c.n_modes}) | {c.loss} | {c.modes.mean():.1f} ± {se:.1f} "
            f"| {100 * c.high_quality.mean():.1f} | {c.w1.mean():.3f} | {c.seconds_per_run:.1f} |"
        )
    return "\n".join(lines)
