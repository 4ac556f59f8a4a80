"""A published mode-collapse table regenerated with the toolkit: ``python -m gan1d reproduce pacgan``.

:func:`protocol_cell` trains one row of a protocol on one target, every trial at once, and scores
the trials at checkpoints along training; :func:`reproduce` runs every cell of a protocol on an
executor (saving each, so that a rerun resumes), and :func:`comparison` puts the result beside
the paper's numbers, row by row, saying where they agree within the reported error.
"""

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from toys import validation

from ..training.coverage import mode_histogram, reverse_kl_to_uniform
from ..training.networks import evaluation
from ..training.trainer import train_many
from .presets import PROTOCOLS, full_length_hours
from .sweep import Task, load_cell, run_tasks

__all__ = ["Reproduction", "checkpoints_for", "comparison", "load_reproduction", "protocol_cell", "reproduce"]

AGREE_SE = 2.0  # a reproduced mean agrees when within this many combined standard errors of the paper's


def checkpoints_for(steps, count=6):
    """About ``count`` checkpoints from ``steps / 2^(count - 1)`` to ``steps``, doubling (the last is ``steps``)."""
    steps = validation.positive_int("steps", steps)
    points = sorted({max(1, round(steps / 2**k)) for k in range(count)})
    return points


def protocol_cell(protocol, method, target, steps, checkpoints, seeds, progress=False):
    """Train one row of a protocol on one target over ``seeds`` (one ensemble) and score it at ``checkpoints``.

    A pure function of its arguments. At each checkpoint every trial's generator draws the
    protocol's ``n_samples`` samples from the same latent noise (seeded by ``eval_seed``, in
    evaluation mode), scored by :func:`gan1d.training.coverage.mode_histogram`: modes captured,
    high-quality fraction and the reverse KL of the mode histogram to the uniform one. With
    ``progress``, a line on standard error at each checkpoint.

    Returns
    -------
    dict
        ``steps`` (C,), ``modes``, ``high_quality``, ``reverse_kl`` (C, trials), ``seconds`` (the
        training's wall time, scoring excluded) and ``seconds_per_step``.
    """
    p = PROTOCOLS[protocol]
    mixture = p.target(target).build()
    checkpoints = sorted(set(checkpoints))
    if checkpoints[-1] != steps:
        raise ValueError(f"the last checkpoint must be steps = {steps}, got {checkpoints[-1]}")
    scores = []
    scoring = [0.0]

    def score(trainer, step):
        if step not in checkpoints:
            return
        t0 = time.perf_counter()
        noise = [torch.Generator(device=trainer.device).manual_seed(p.eval_seed) for _ in range(trainer.n)]
        with torch.no_grad(), evaluation(trainer.G):
            x = trainer.G(trainer.G.sample_latent(noise, p.n_samples)).double().cpu().numpy()
        counts = [mode_histogram(xk, mixture, p.n_std) for xk in x]
        scores.append([[np.count_nonzero(c), c.sum() / p.n_samples, reverse_kl_to_uniform(c)] for c in counts])
        scoring[0] += time.perf_counter() - t0
        if progress:
            modes = np.mean([row[0] for row in scores[-1]])
            print(f"  {protocol} {method} on {target}: step {step:,} of {steps:,}, modes {modes:.1f} "
                  f"({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)  # fmt: skip

    every = math.gcd(*checkpoints)
    t0 = start = time.perf_counter()
    train_many(mixture, list(seeds), steps=steps, eval_every=every, eval_samples=50, callbacks=[score],
               progress=False, **p.options(method))  # fmt: skip
    seconds = time.perf_counter() - t0 - scoring[0]
    s = np.array(scores)  # (C, trials, 3)
    return {
        "steps": np.array(checkpoints),
        "modes": s[..., 0],
        "high_quality": s[..., 1],
        "reverse_kl": s[..., 2],
        "seconds": seconds,
        "seconds_per_step": seconds / steps,
    }


@dataclass
class Reproduction:
    """What :func:`reproduce` measured: one result of :func:`protocol_cell` per (row, target)."""

    protocol: str
    steps: int
    cells: dict  # (method, target) -> result

    @property
    def fraction(self):
        return self.steps / PROTOCOLS[self.protocol].steps


def reproduce(protocol, out=None, steps=None, methods=None, targets=None, trials=None, checkpoints=6, executor=None,
              log=None, progress=False):  # fmt: skip
    """Run a protocol's rows on its targets; a :class:`Reproduction` (and, with ``out``, its report).

    Parameters
    ----------
    protocol : str
        A name of :data:`gan1d.protocols.PROTOCOLS` (``"pacgan"``, ``"veegan"``, ``"demonstration"``).
    out : str or Path, optional
        The folder of the report: ``cells/`` (one file per finished cell: a rerun resumes from
        them), ``table.md`` and ``trend.png``.
    steps : int, optional
        Generator steps per run; default the paper's full length.
    methods, targets : sequence of str, optional
        The rows and targets to run (default all).
    trials : int, optional
        Runs per row (default the paper's number); trial k is seed k.
    checkpoints : int
        About how many times along training to score (doubling up to ``steps``).
    executor : concurrent.futures.Executor, optional
        Where the cells run (default a process pool over the machine's cores; Dask distributed's
        ``Client(...).get_executor()`` runs them on a cluster).
    log : callable, optional
        Called with one line per finished cell.
    progress : bool
        Each cell also prints a line at each checkpoint (from its worker, on standard error).
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {sorted(PROTOCOLS)}, got {protocol!r}")
    p = PROTOCOLS[protocol]
    steps = p.steps if steps is None else validation.positive_int("steps", steps)
    methods = [m.name for m in p.methods] if methods is None else [p.method(m).name for m in methods]
    targets = [t.name for t in p.targets] if targets is None else [p.target(t).name for t in targets]
    trials = p.trials if trials is None else validation.positive_int("trials", trials)
    points = checkpoints_for(steps, checkpoints)
    common = {"protocol": protocol, "steps": steps, "checkpoints": points, "seeds": list(range(trials))}
    show = {"progress": progress}
    tasks = [
        Task(f"{protocol}-{_slug(m)}-{t}-{steps}", protocol_cell, {**common, "method": m, "target": t}, show)
        for m in methods
        for t in targets
    ]

    def said(task, result, reused):
        if log is not None:
            how = "read back" if reused else f"{result['seconds']:.0f} s"
            m = result["modes"][-1]
            log(f"  {task.kwargs['method']:>12} on {task.kwargs['target']}: modes {m.mean():.1f}, {how}")

    store = None if out is None else Path(out) / "cells"
    results = run_tasks(tasks, executor, store, said)
    rep = Reproduction(protocol, steps, {(t.kwargs["method"], t.kwargs["target"]): r for t, r in zip(tasks, results)})
    if out is not None:
        from .report import write_report

        write_report(rep, Path(out))
    return rep


def load_reproduction(out, protocol):
    """The :class:`Reproduction` whose cells :func:`reproduce` saved in ``out/cells`` (one length per folder)."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {sorted(PROTOCOLS)}, got {protocol!r}")
    p = PROTOCOLS[protocol]
    cells, lengths = {}, set()
    for path in sorted(Path(out, "cells").glob(f"{protocol}-*.npz")):
        for m in p.methods:
            for t in p.targets:
                prefix = f"{protocol}-{_slug(m.name)}-{t.name}-"
                tail = path.stem[len(prefix) :]
                if path.stem.startswith(prefix) and tail.isdigit():
                    cells[(m.name, t.name)] = load_cell(path)
                    lengths.add(int(tail))
    if not cells:
        raise ValueError(f"no saved {protocol} cells in {Path(out, 'cells')}")
    if len(lengths) != 1:
        raise ValueError(f"the cells in {Path(out, 'cells')} have several lengths {sorted(lengths)}: one per folder")
    order = [(m.name, t.name) for m in p.methods for t in p.targets]  # the protocol's order, as reproduce gives
    return Reproduction(protocol, lengths.pop(), {k: cells[k] for k in order if k in cells})


def _slug(name):
    return "".join(c if c.isalnum() else "_" for c in name.lower())


def comparison(rep):
    """Row by row: ours (mean ± standard error at the end) against the paper's, and whether they agree.

    Agreement: the difference within ``AGREE_SE`` = 2 combined standard errors (ours, and the
    paper's where it gives one); None (not judged) where there is no published value, or where
    neither side has a spread (every trial equal and no published error) and the values differ.
    A list of dicts, one per (row, target, metric).
    """
    p = PROTOCOLS[rep.protocol]
    rows = []
    for (method, target), r in rep.cells.items():
        published = p.method(method).published.get(target)
        for metric in ("modes", "high_quality", "reverse_kl"):
            values = r[metric][-1]
            values = values[np.isfinite(values)]
            mean = float(values.mean()) if len(values) else math.nan
            se = float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan
            theirs = None if published is None else getattr(published, metric)
            their_err = None if published is None else getattr(published, f"{metric}_err")
            agree = None
            if theirs is not None and math.isfinite(mean):
                combined = math.sqrt((se if math.isfinite(se) else 0.0) ** 2 + (their_err or 0.0) ** 2)
                if combined > 0:
                    agree = abs(mean - theirs) <= AGREE_SE * combined
                elif mean == theirs:
                    agree = True  # else None: neither side has a spread to judge the difference by
            rows.append({"method": method, "target": target, "metric": metric, "mean": mean, "se": se,
                         "published": theirs, "published_err": their_err, "agree": agree})  # fmt: skip
    return rows


def pace(rep):
    """Per cell: seconds per step, and the hours the paper's full length would take at that pace."""
    p = PROTOCOLS[rep.protocol]
    return {k: (r["seconds_per_step"], full_length_hours(p, r["seconds_per_step"])) for k, r in rep.cells.items()}
