"""The whole lecture, end to end: ``python -m gan1d lecture --out out [--quick] [--seed 0]``.

Writes into ``out`` the figures of nine parts and ``report.md``, which ties them together:

1. the analytic core (:func:`gan1d.lecture.analytic.run`): ``parallel_lines.png``,
   ``gaussian_location.png``, ``mixture_shift.png``, ``fits.png``;
2. trained critics against the closed forms on the parallel lines (Figure 1 of the WGAN paper
   [1]_, with networks): ``critic_sweep.png``;
3. a trained discriminator against :math:`D^* = p/(p+q)` [2]_, ``d_vs_dstar.png``; the saturated
   GAN discriminator against the linear WGAN critic (Figure 2 of [1]_), ``wgan_vs_gan_critic.png``;
4. an MLP generator on the ring of 8 Gaussians, filmed: ``training_frames.png``,
   ``training.gif``, ``training_curves.png``;
5. the parallel-lines generator trained with each loss: ``parallel_lines_training.png``;
6. the f-GANs' critics against the exact f-divergences (:mod:`gan1d.lecture.fgan`):
   ``fgan_bounds.png``;
7. a Gaussian fitted to a mixture with each f-GAN, next to the exact minimiser: ``fgan_fits.png``;
8. the Dirac-GAN: which training methods converge (:mod:`gan1d.lecture.dirac`):
   ``dirac_fields.png``, ``dirac_spectra.png``;
9. the mode-collapse table (:mod:`gan1d.lecture.mode_collapse`): ``mode_collapse.png``.

Every random stream is seeded from ``seed``. Each part prints a line when it starts and when it
ends, with its wall time.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
.. [3] M. Arjovsky, L. Bottou, "Towards Principled Methods for Training GANs", ICLR 2017.
"""

import contextlib
import time
from pathlib import Path

import torch

from ..protocols.sweep import SerialExecutor, local_executor
from . import analytic, critics, dirac, fgan, parallel, ring
from . import mode_collapse as mc
from .settings import FULL, QUICK

__all__ = ["run"]


def run(out="out", quick=False, seed=0, threads=1, workers=None, cells=None):
    """Run the nine parts and write ``out/report.md``; returns its path.

    ``threads`` sets torch's intra-op threads for the run (restored afterwards). The networks are
    small: one thread is about as fast as two on an idle machine, while two threads slow down
    10-20 times when another process shares the cores (one cell of the mode-collapse table, 200
    steps: 73 s with two threads against 4 s with one, measured on the 2-core CI machine).

    ``workers`` is the number of processes that train the cells of the mode-collapse table
    (:mod:`gan1d.lecture.mode_collapse`) while this process runs the other parts; None: one per
    core. Each cell is a pure function of its seeds, so the table is the same for any number of
    workers (0 trains the cells here, one after the other, in part 9).

    ``cells``: a folder where each cell of the table is saved as it finishes, and from which a rerun
    (or notebook 07 at the lecture's size, given the same folder) reads back the cells saved there
    for the same arguments instead of training them. None (default): every cell is trained.
    """
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    s = QUICK if quick else FULL
    lines = ["# Divergences and GANs: the lecture, end to end", ""]
    lines += [f"Mode: {'quick (CI sizes)' if quick else 'full'}; seed {seed}. Divergences in nats.", ""]
    times = []
    with _threads(threads), local_executor(workers) as pool:
        # the mode-collapse cells, most of the work, start at once in the workers; the other parts
        # run here meanwhile, and part 9 collects the cells (or, with no workers, trains them)
        serial = isinstance(pool, SerialExecutor)
        futures = None if serial else mc.lecture_cells(pool, s, seed, cells)
        parts = [
            ("the analytic core", lambda: analytic_core(out)),
            ("critics against the closed forms", lambda: critics.critic_sweeps(out, s, seed)),
            ("D against D*, and the saturated discriminator", lambda: critics.d_vs_dstar(out, s, seed)),
            ("training on the ring, frame by frame", lambda: ring.ring_section(out, s, seed)),
            ("the parallel-lines generator", lambda: parallel.parallel_lines(out, s, seed)),
            ("the f-GANs' critics against the exact f-divergences", lambda: fgan.bounds_section(out, s, seed)),
            ("a Gaussian fitted with each f-GAN", lambda: fgan.fits_section(out, s, seed)),
            ("the Dirac-GAN: which training methods converge", lambda: dirac.section(out, s, seed)),
            (
                "mode collapse",
                lambda: mc.section(out, s, futures or mc.lecture_cells(mc.SerialExecutor(), s, seed, cells), _say),
            ),
        ]
        for i, (title, part) in enumerate(parts, 1):
            print(f"[{i}/{len(parts)}] {title} ...", flush=True)
            t0 = time.perf_counter()
            lines += [f"## {i}. {title[0].upper()}{title[1:]}", "", *part(), ""]
            times.append((title, time.perf_counter() - t0))
            print(f"[{i}/{len(parts)}] {title}: done in {times[-1][1]:.1f} s", flush=True)
    lines += ["## Wall times", "", "| part | seconds |", "|---|---:|"]
    lines += [f"| {i}. {title} | {sec:.1f} |" for i, (title, sec) in enumerate(times, 1)]
    lines += [f"| total | {sum(t for _, t in times):.1f} |", ""]
    path = out / "report.md"
    path.write_text("\n".join(lines))
    return path


def _say(line):
    print(line, flush=True)


@contextlib.contextmanager
def _threads(n):
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


# -- 1. The analytic core ----------------------------------------------------------------------
def analytic_core(out):
    """:func:`gan1d.lecture.analytic.run`, its report's sections one level down."""
    text = analytic.run(out).read_text()
    body = text.split("\n", 1)[1]  # drop the demo's own title
    return [line if not line.startswith("#") else "#" + line for line in body.splitlines()]
