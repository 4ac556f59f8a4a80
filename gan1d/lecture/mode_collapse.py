"""The mode-collapse experiment: every loss on the ring, the grid and a 1-D three-mode mixture.

Scored as VEEGAN and PacGAN do (:func:`gan1d.mode_coverage` on 2,500 generator samples), with
the seeds of one (loss, target) cell trained at once by :func:`gan1d.train_many`.

The demonstration setting
-------------------------
One setting for every cell (:data:`SETTING`), changed per target (:data:`TARGET_SETTINGS`) and
per loss (:data:`LOSS_SETTINGS`) only where said below; :func:`setting_for` merges the three.
Figures in parentheses are from ``benchmarks/mode_collapse.py`` (8 seeds, 2 cores).

* **Small networks** (generator and discriminator of 3 hidden layers of 32 ReLU units, latent
  dimension 2, batch 256): :func:`gan1d.train_many` trains 8 seeds in 1.5-2x the time of one
  (``benchmarks/gan_throughput.py``), and the whole table (4 losses x 3 targets x 8 seeds)
  takes about 3 minutes on 2 cores.
* **The same two learning rates for every loss, the discriminator's ten times the
  generator's**: ``lr_d = 2e-3``, ``lr_g = 2e-4`` (the generator keeps the DCGAN rate of the GAN
  defaults). The papers' own rates (:mod:`gan1d.training.losses`) need tens of thousands of steps here;
  one pair for all keeps the table a comparison of losses, not of tunings. The ratio puts the
  GANs in the regime Arjovsky & Bottou [3]_ analyse, a discriminator close to optimal: the
  minimax and the non-saturating generators settle within 500 steps on one to three modes,
  sharply, and stay (a lone cluster sometimes hops to a neighbouring mode): ring, 1.9 and 1.8 of
  8 modes, 81% and 93% high quality (16 seeds: 1.8 and 1.7, no seed above 4); while
  the WGAN-GP critic, at the same rates, keeps pulling the generator towards every mode (8 of 8
  for every seed; 16 seeds: one at 7; 25% high quality, the rest on the arcs between modes). The collapse is this
  regime's: with equal rates (1e-3 and 1e-3) the minimax GAN covered 7.9 of 8 modes in 2,000
  steps, with a ratio of 5 (1e-3 and 2e-4) 4.4.
* **wgan** keeps its paper's RMSprop and clipping at 0.01, at the same two rates (40x and 4x its
  paper's 5e-5, with which it ends further from the ring: W1 1.0 against 0.8). The clipped
  critic is a poor W1 estimate: its samples stay spread out (under 2% high quality on the 2-D
  targets), so it misses modes for another reason than the GANs, which W1 shows (ring: 0.8
  against 2.2 for the collapsed GANs).
* **grid** is harder for networks this small: WGAN-GP finds 23 of 25 modes but few of its
  samples are sharp (5% high quality; 9% after 5,000 steps), against 13.5 and 8.4 modes for the
  GANs. An untrained generator puts its mass near the origin, a mode of the grid and of the 1-D
  mixture: there, 1 mode at nearly 100% high quality means collapsed there or nothing learnt.
* **three** (1-D, three modes 16 standard deviations apart) trains 1,000 steps: its WGAN-GP
  runs have every mode by then, its GAN runs have collapsed on one.

References
----------
.. [1] A. Srivastava et al., "VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational
   Learning", NeurIPS 2017, Table 1.
.. [2] Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative
   adversarial networks", NeurIPS 2018, Table 2.
.. [3] M. Arjovsky, L. Bottou, "Towards Principled Methods for Training Generative Adversarial
   Networks", ICLR 2017.
"""

import concurrent.futures
import time
from dataclasses import dataclass, field

import numpy as np

import toys
from divergences import empirical

from ..protocols.sweep import SerialExecutor, Task, submit_tasks
from ..training.coverage import mode_coverage
from ..training.generators import MLP
from ..training.trainer import train_many
from . import plots

__all__ = [
    "GAN_REFERENCES",
    "LOSS_NAMES",
    "LOSS_SETTINGS",
    "SETTING",
    "TARGET_SETTINGS",
    "W1_SAMPLES",
    "Cell",
    "SerialExecutor",
    "cell_record",
    "collect",
    "lecture_cells",
    "lecture_table",
    "mode_collapse_table",
    "run_cell",
    "section",
    "setting_for",
    "submit_cells",
    "targets",
    "to_markdown",
]

LOSS_NAMES = ("gan", "nsgan", "wgan", "wgan-gp")


def targets():
    """The three targets, by name: ``ring`` (8 modes), ``grid`` (25), ``three`` (1-D, 3 modes)."""
    return {
        "ring": toys.ring(),
        "grid": toys.grid(),
        "three": toys.GaussianMixture(weights=[1 / 3] * 3, means=[-4.0, 0.0, 4.0], stds=[0.25] * 3),
    }


#: The demonstration setting shared by every cell (see the module docstring for the reasons).
SETTING = {
    "steps": 2500,  # generator steps
    "batch_size": 256,  # as in the WGAN-GP toy script
    "generator": MLP(width=32, depth=3, latent_dim=2),
    "discriminator": MLP(width=32, depth=3),
    "lr_d": 2e-3,  # discriminator/critic: 10x the generator's, for every loss
    "lr_g": 2e-4,  # generator: the DCGAN rate of the GAN defaults
}

#: Per-target changes to :data:`SETTING`.
TARGET_SETTINGS = {
    "ring": {},
    "grid": {},
    "three": {"steps": 1000},  # 1-D and well separated: converged long before 2,500 steps
}

#: Per-loss changes to :data:`SETTING`, applied after the target's: none, every loss trains at
#: the same two rates. Unset fields (optimizer, betas, n_critic, clip, gp_weight) take each
#: loss's paper defaults (:mod:`gan1d.training.losses`).
LOSS_SETTINGS = {
    "gan": {},
    "nsgan": {},
    "wgan": {},
    "wgan-gp": {},
}

#: The GAN baselines of the papers that introduced the protocol, with their own (larger)
#: networks and longer training: modes captured and high-quality fraction, by target (``None``
#: where the paper has no such experiment).
GAN_REFERENCES = {
    "VEEGAN [1]": {"ring": (1.0, 0.993), "grid": (3.3, 0.005), "three": None},
    "PacGAN [2]": {"ring": (6.3, 0.982), "grid": (17.3, 0.948), "three": None},
}


#: Samples of the evaluations train_many runs during training, which the table does not use.
_TRAINING_EVAL_SAMPLES = 200

#: Generator and target samples of the W1 column (the first of the scored samples). In 2-D each W1
#: is an exact transport problem of cost about n^3: 0.08 s at 1,000 points per side against
#: 0.75-1.5 s at 2,500 (slowest for collapsed generators), which was a quarter of the table's CPU time.
W1_SAMPLES = 1000


def setting_for(loss, target, **overrides):
    """The training options of one cell: :data:`SETTING`, then the target's, the loss's, ``overrides``."""
    if loss not in LOSS_SETTINGS:
        raise ValueError(f"loss must be one of {sorted(LOSS_SETTINGS)}, got {loss!r}")
    if target not in TARGET_SETTINGS:
        raise ValueError(f"target must be one of {sorted(TARGET_SETTINGS)}, got {target!r}")
    return {**SETTING, **TARGET_SETTINGS[target], **LOSS_SETTINGS[loss], **overrides}


@dataclass
class Cell:
    """One (loss, target) cell of the table: per-seed scores and the wall time of the batch."""

    loss: str
    target: str
    n_modes: int
    modes: np.ndarray  # (seeds,) modes captured
    high_quality: np.ndarray  # (seeds,) fraction of high-quality samples
    w1: np.ndarray  # (seeds,) empirical W1 to the target
    seconds: float  # wall time of training all seeds at once (scoring excluded)
    samples: list = field(repr=False, default_factory=list)  # (seeds,) arrays of generator samples
    seeds: list = field(default_factory=list)  # the seed of each run
    steps: int | None = None  # generator steps of every run (they differ per target: setting_for)

    @property
    def seconds_per_run(self):
        return self.seconds / len(self.modes)

    def record(self):
        """The cell as a dict of numbers and arrays (what a store saves: :func:`cell_record`)."""
        return {"loss": self.loss, "target": self.target, "n_modes": self.n_modes, "modes": self.modes,
                "high_quality": self.high_quality, "w1": self.w1, "seconds": self.seconds,
                "samples": np.stack(self.samples), "seeds": np.array(self.seeds), "steps": self.steps}  # fmt: skip

    @classmethod
    def from_record(cls, r):
        """The cell of :meth:`record`'s dict (as saved, or read back from a store)."""
        return cls(str(r["loss"]), str(r["target"]), int(r["n_modes"]), r["modes"], r["high_quality"], r["w1"],
                   float(r["seconds"]), list(r["samples"]), [int(s) for s in r["seeds"]], int(r["steps"]))  # fmt: skip


def run_cell(target_name, loss, seeds, n_samples=2500, progress=None, **overrides):
    """Train and score one (loss, target) cell over ``seeds``: a :class:`Cell`.

    A pure function of its arguments (every random stream is seeded from ``seeds``), so it gives
    the same numbers in any process: :func:`mode_collapse_table` runs cells in worker processes
    through an executor. The cell trains with :func:`setting_for` ``(loss, target_name,
    **overrides)``. Every score of a seed is computed on the same ``n_samples`` generator samples,
    kept in ``Cell.samples`` so a plot shows what was scored: modes captured and the high-quality
    fraction (:func:`gan1d.mode_coverage`); the empirical W1 to the target is computed on the first
    ``min(n_samples, W1_SAMPLES)`` of them against as many target samples (:data:`W1_SAMPLES`).
    The evaluations ``train_many`` itself runs (at step 0 and at the end) are not used here, so
    they are kept cheap (``_TRAINING_EVAL_SAMPLES`` samples).
    """
    target, seeds = targets()[target_name], list(seeds)
    setting = setting_for(loss, target_name, **overrides)
    t0 = time.perf_counter()
    runs = train_many(target, seeds, loss=loss, eval_every=setting["steps"], progress=progress,
                      eval_samples=_TRAINING_EVAL_SAMPLES, **setting)  # fmt: skip
    seconds = time.perf_counter() - t0
    xs = [run.sample(n_samples, rng=10_000 + run.seed) for run in runs]
    m = min(n_samples, W1_SAMPLES)
    y = target.sample(m, rng=0)
    scores = np.array([mode_coverage(x, target) for x in xs])  # (seeds, 2)
    w1 = np.array([empirical.w1(x[:m], y) for x in xs])
    modes, high_quality = scores.T
    return Cell(loss, target_name, target.n_components, modes, high_quality, w1, seconds, xs, seeds, setting["steps"])


def cell_record(target_name, loss, seeds, n_samples=2500, **overrides):
    """:func:`run_cell` as a dict of numbers and arrays (:meth:`Cell.record`): what a store saves."""
    return run_cell(target_name, loss, seeds, n_samples, **overrides).record()


def submit_cells(executor, losses=LOSS_NAMES, names=("ring", "grid", "three"), seeds=range(8), n_samples=2500,
                 store=None, **overrides):  # fmt: skip
    """Submit every (loss, target) cell to ``executor``; the futures, in the table's order.

    The longest cells (WGAN-GP on the 2-D targets) go first, so that two workers finish together.
    With a ``store`` (a folder), each cell is saved there as ``<target>-<loss>.npz`` by the
    process that trains it, and a cell already saved for the same arguments is read back instead
    of trained (:func:`gan1d.protocols.submit_tasks`); the futures then hold
    :meth:`Cell.record` dicts, which :func:`collect` turns into cells.
    """
    order = [(name, loss) for name in names for loss in losses]
    longest_first = sorted(order, key=lambda c: (c[1] not in ("wgan-gp", "wgan"), c[0] == "three"))
    if store is None:
        futures = {c: executor.submit(run_cell, c[0], c[1], list(seeds), n_samples, **overrides) for c in longest_first}
    else:
        kwargs = {"seeds": list(seeds), "n_samples": n_samples, **overrides}
        tasks = [Task(f"{n}-{lo}", cell_record, {"target_name": n, "loss": lo, **kwargs}) for n, lo in longest_first]
        futures = dict(zip(longest_first, submit_tasks(tasks, executor, store)))
    return [futures[c] for c in order]


def mode_collapse_table(losses=LOSS_NAMES, names=("ring", "grid", "three"), seeds=range(8), n_samples=2500,
                        progress=None, log=None, executor=None, store=None, **overrides):  # fmt: skip
    """Train every (loss, target) cell over ``seeds`` and score it; a list of :class:`Cell`.

    Each cell is :func:`run_cell` ``(target, loss, seeds, n_samples, **overrides)`` (e.g.
    ``steps=200`` for a quick run). ``executor``: None trains the cells one after the other in
    this process; any ``concurrent.futures.Executor`` (e.g. a process pool over the machine's
    cores) trains them in parallel, with the same numbers. ``log``, if given, is called with one
    line per finished cell (e.g. ``print``). ``store``: a folder where each cell is saved as soon
    as it is trained, and from which a rerun with the same arguments reads it back instead of
    training it (see :func:`submit_cells`); the cell's ``seconds`` are those of its training.
    """
    if store is not None:
        futures = submit_cells(executor or SerialExecutor(), losses, names, seeds, n_samples, store, **overrides)
        return collect(futures, log)
    if executor is None:
        cells = []
        for name in names:
            for loss in losses:
                cells.append(run_cell(name, loss, seeds, n_samples, progress=progress, **overrides))
                if log is not None:
                    log(_line(cells[-1]))
        return cells
    return collect(submit_cells(executor, losses, names, seeds, n_samples, **overrides), log)


def collect(futures, log=None):
    """The cells of :func:`submit_cells`' futures, in the table's order, logging each as it finishes."""
    if log is not None:
        for future in concurrent.futures.as_completed(futures):
            log(_line(_cell(future.result())) + (", read back" if getattr(future, "read_back", False) else ""))
    return [_cell(f.result()) for f in futures]


def _cell(result):
    return result if isinstance(result, Cell) else Cell.from_record(result)


def _line(c):
    return f"  {c.target:>5} {c.loss:<8} modes {c.modes.mean():4.1f} of {c.n_modes}, {c.seconds:5.1f} s"


def to_markdown(cells, per_seed=False):
    """The table: modes captured (mean ± standard error), high-quality %, W1, seconds per run, steps.

    With ``per_seed``, a last column lists the modes captured by each seed.
    """
    head = "| target | loss | modes captured | high-quality % | W1 to target | s / run | steps |"
    rule = "|---|---|---:|---:|---:|---:|---:|"
    lines = [head + (" modes per seed |" if per_seed else ""), rule + ("---|" if per_seed else "")]
    for c in cells:
        line = (
            f"| {c.target} ({c.n_modes}) | {c.loss} | {c.modes.mean():.1f} ± {_se(c.modes):.1f} "
            f"| {100 * c.high_quality.mean():.1f} | {c.w1.mean():.3f} | {c.seconds_per_run:.1f} | {c.steps} |"
        )
        if per_seed:
            line += f" {' '.join(str(int(m)) for m in c.modes)} |"
        lines.append(line)
    return "\n".join(lines)


def _se(x):
    """Standard error of the mean; NaN for a single value."""
    return x.std(ddof=1) / np.sqrt(len(x)) if len(x) > 1 else float("nan")


# -- part 9 of the lecture ------------------------------------------------------------------------
def lecture_cells(executor, s, seed, store=None):
    """Submit the lecture's table (sizes ``s``, a :class:`gan1d.lecture.settings.Setting`); the futures.

    ``store``: a folder for the cells, as in :func:`submit_cells`.
    """
    return submit_cells(executor, seeds=range(seed, seed + s.collapse_seeds), n_samples=s.collapse_samples,
                        store=store, **_overrides(s))  # fmt: skip


def lecture_table(s, seed, log=None):
    """The lecture's table trained here, cell after cell (logging each): the cells."""
    return mode_collapse_table(seeds=range(seed, seed + s.collapse_seeds), n_samples=s.collapse_samples, log=log,
                               **_overrides(s))  # fmt: skip


def _overrides(s):
    return {} if s.collapse_steps is None else {"steps": s.collapse_steps}


def section(out, s, cells, log=None):
    """Part 9 of the lecture: the cells (or their futures, waited for), ``mode_collapse.png``, the report's lines."""
    if isinstance(cells[0], concurrent.futures.Future):
        cells = collect(cells, log)
    seeds = cells[0].seeds
    plots.plot_mode_collapse(out / "mode_collapse.png", cells, targets())
    steps = " / ".join(str(n) for n in dict.fromkeys(c.steps for c in cells))  # per target
    best = []
    for name in dict.fromkeys(c.target for c in cells):
        mine = {c.loss: c.modes.mean() for c in cells if c.target == name}
        top = max(mine.values())
        n_modes = next(c.n_modes for c in cells if c.target == name)
        best.append(f"{name}: {' and '.join(k for k, v in mine.items() if v == top)} ({top:.1f} of {n_modes})")
    return [
        f"Every loss on the ring (8 modes), the grid (25) and a 1-D three-mode mixture, {len(seeds)} seeds "
        f"each, {steps} generator steps, scored on {s.collapse_samples} generator samples per seed as VEEGAN "
        "and PacGAN do: a mode is captured when a sample lies within 3 standard deviations of it; a sample "
        "is high quality when it lies so close to some mode. The W1 column is the exact empirical W1 between "
        f"the first {min(s.collapse_samples, W1_SAMPLES)} of those samples and as many target samples.",
        "",
        to_markdown(cells, per_seed=True),
        "",
        "![mode_collapse.png](mode_collapse.png)",
        "",
        "The figure shows the first seed of each cell. Most modes captured on average, per target: "
        + "; ".join(best)
        + ". A collapsed generator puts its samples on one or a few modes: its high-quality fraction "
        "can be high while it captures few modes, which is why both columns are reported.",
    ]
