"""Benchmark: mode collapse of gan, nsgan, wgan and wgan-gp on the ring, the grid and a 1-D mixture.

Every (loss, target) cell trains its seeds at once (:func:`gan1d.train_many`) in the
demonstration setting of :mod:`gan1d.lecture.mode_collapse` (:func:`gan1d.lecture.mode_collapse.setting_for`:
small networks, a discriminator ten times faster than the generator; the reasons are in that
module's docstring), then scores each seed as VEEGAN and PacGAN do: 2,500 generator samples,
each assigned to its nearest mode, *high quality* within 3 standard deviations of it, a mode
*captured* if it has at least one high-quality sample (:func:`gan1d.mode_coverage`).

How to read the table: ``modes captured`` is the mean over seeds ± its standard error, and the
last column lists each seed's count, so "collapses reliably" can be checked seed by seed (a
collapsed run has few modes *and* a high high-quality fraction: its samples sit sharply on the
modes it kept). ``high-quality %`` is the mean fraction of samples within 3 std of a mode.
``W1`` is the empirical Wasserstein-1 distance between 2,500 generator and 2,500 target samples
(exact transport), in the units of the data: the ring has radius 2, the grid spacing 2, so a
run collapsed on one mode of the ring is at W1 of about 2. ``s / run`` is the wall time of the
cell divided by the number of seeds (the seeds train together, so it is well below the time of
one run alone). Under each target, the GAN baselines of the papers that introduced the
protocol, with their own (larger) networks and much longer training: VEEGAN (Srivastava et
al. 2017, Table 1) and PacGAN (Lin et al. 2018, Table 2).

    python benchmarks/mode_collapse.py              # the lecture's table: 8 seeds (~4-5 min, 2 cores)
    python benchmarks/mode_collapse.py --seeds 16   # more seeds: tighter standard errors
    python benchmarks/mode_collapse.py --steps 5000 # longer training, every cell (slower)
    python benchmarks/mode_collapse.py --quick      # smoke run: 2 seeds, 100 steps
"""

import argparse
import time

from gan1d import TrainConfig
from gan1d.lecture.mode_collapse import (
    GAN_REFERENCES,
    LOSS_NAMES,
    mode_collapse_table,
    setting_for,
    targets,
    to_markdown,
)


def describe(loss, name, **overrides):
    """One line of the options a cell trains with."""
    c = TrainConfig.from_options(loss=loss, **setting_for(loss, name, **overrides))
    g, d = c.generator, c.discriminator
    return (
        f"{name:5} {loss:8} steps {c.steps}, batch {c.batch_size}, "
        f"G {g.depth}x{g.width} {g.activation} (latent {g.latent_dim}), D {d.depth}x{d.width} {d.activation}, "
        f"{c.optimizer} lr_d {c.lr_d:g} lr_g {c.lr_g:g}, n_critic {c.n_critic}"
        + (f", clip {c.clip:g}" if c.clip else "")
        + (f", gp {c.gp_weight:g}" if c.gp_weight else "")
    )


def with_references(cells):
    """The markdown table of :func:`to_markdown`, with the papers' GAN baselines under each target."""
    lines = to_markdown(cells, per_seed=True).splitlines()
    out, rows = lines[:2], lines[2:]
    for i, (cell, row) in enumerate(zip(cells, rows)):
        out.append(row)
        last_of_target = i + 1 == len(cells) or cells[i + 1].target != cell.target
        if last_of_target:
            for paper, by_target in GAN_REFERENCES.items():
                ref = by_target.get(cell.target)
                if ref is not None:
                    modes, hq = ref
                    out.append(f"| {cell.target} ({cell.n_modes}) | *gan, {paper}* | {modes:.1f} | {100 * hq:.1f} "
                               f"| -- | -- | -- | (paper) |")  # fmt: skip
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 seeds, 100 steps")
    parser.add_argument("--seeds", type=int, default=None, help="seeds per cell (default 8)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps, every cell (default: the setting's)")
    parser.add_argument("--losses", nargs="+", default=list(LOSS_NAMES), choices=LOSS_NAMES)
    parser.add_argument("--targets", nargs="+", default=list(targets()), choices=list(targets()))
    args = parser.parse_args()
    n_seeds = args.seeds or (2 if args.quick else 8)
    overrides = {"steps": args.steps or 100} if (args.quick or args.steps) else {}

    print("settings:")
    for name in args.targets:
        for loss in args.losses:
            print("  " + describe(loss, name, **overrides))
    t0 = time.perf_counter()
    cells = mode_collapse_table(args.losses, args.targets, seeds=range(n_seeds), **overrides)
    total = time.perf_counter() - t0
    print(f"\n{n_seeds} seeds per cell; modes captured: mean ± standard error over seeds\n")
    print(with_references(cells))
    print(f"\ntotal wall time: {total:.0f} s for {len(cells)} cells")


if __name__ == "__main__":
    main()
