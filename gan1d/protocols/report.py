"""The report of a reproduction: ``table.md`` (ours beside the paper's, row by row) and ``trend.png``."""

import math

import numpy as np

from .presets import PROTOCOLS
from .reproduction import AGREE_SE, comparison, pace

__all__ = ["plot_trend", "settings_table", "to_markdown", "write_report"]

_LABELS = {"modes": "modes", "high_quality": "high-quality %", "reverse_kl": "reverse KL"}


def _fmt(metric, value, err=None):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    scale = 100.0 if metric == "high_quality" else 1.0
    digits = 1 if metric != "reverse_kl" else 2
    text = f"{scale * value:.{digits}f}"
    if err is not None and math.isfinite(err):
        text += f" ± {scale * err:.{digits}f}"
    return text


def to_markdown(rep):
    """The markdown report: the setting, the table side by side with the verdicts, the pace, the notes."""
    p = PROTOCOLS[rep.protocol]
    rows = comparison(rep)
    trials = len(next(iter(rep.cells.values()))["modes"][-1])
    lines = [
        f"# {p.title}, reproduced",
        "",
        f"Source: {p.source}.",
        "",
        f"Trained {rep.steps:,} generator steps per run, {100 * rep.fraction:.3g}% of the paper's {p.steps:,}; "
        f"{trials} trials per row (the paper: {p.trials}); scored on {p.n_samples:,} samples per trial, high "
        f"quality within {p.n_std:g} standard deviations. Ours: mean ± standard error over the trials. The paper's "
        f"error: {p.error or 'none given'}. A row agrees when the difference is within {AGREE_SE:g} combined "
        "standard errors; – where there is nothing to judge by (no published value, or no spread on either side).",
        "",
        "| row | target | metric | ours | paper | agrees |",
        "|---|---|---|---:|---:|---|",
    ]
    for r in rows:
        verdict = {True: "yes", False: "**no**", None: "–"}[r["agree"]]
        lines.append(
            f"| {r['method']} | {r['target']} | {_LABELS[r['metric']]} | {_fmt(r['metric'], r['mean'], r['se'])} "
            f"| {_fmt(r['metric'], r['published'], r['published_err'])} | {verdict} |"
        )
    lines += ["", "![trend.png](trend.png)", "", "| row | target | s / step | full length, hours (est.) |"]
    lines += ["|---|---|---:|---:|"]
    for (method, target), (sec, hours) in pace(rep).items():
        lines.append(f"| {method} | {target} | {sec:.4f} | {hours:.3g} |")
    lines += ["", "What differs from the paper's setting:", ""]
    if rep.steps < p.steps:
        lines.append(
            f"* training length: {rep.steps:,} of {p.steps:,} steps; the figure shows how the scores move with "
            "training length"
        )
    lines += [f"* {note}" for note in p.notes]
    return "\n".join(lines) + "\n"


def plot_trend(path, rep):
    """Modes and high-quality % against training steps, one line per (row, target), the paper's values marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    p = PROTOCOLS[rep.protocol]
    targets = list(dict.fromkeys(t for _, t in rep.cells))
    fig, axes = plt.subplots(2, len(targets), figsize=(5.5 * len(targets), 7), squeeze=False)
    for j, target in enumerate(targets):
        for i, metric in enumerate(("modes", "high_quality")):
            ax = axes[i, j]
            for (method, t), r in rep.cells.items():
                if t != target:
                    continue
                k = [m.name for m in p.methods].index(method)  # one colour per row, in every panel
                scale = 100.0 if metric == "high_quality" else 1.0
                v = scale * r[metric]
                mean = np.nanmean(v, axis=1)
                se = np.nanstd(v, axis=1, ddof=1) / np.sqrt(v.shape[1]) if v.shape[1] > 1 else 0 * mean
                ax.errorbar(r["steps"], mean, yerr=se, marker="o", ms=3, capsize=2, color=f"C{k}", label=method)
                published = p.method(method).published.get(target)
                if published is not None:
                    ax.axhline(scale * getattr(published, metric), color=f"C{k}", ls="--", lw=1)
            ax.set_xscale("log")
            ax.set(xlabel="generator steps", ylabel=_LABELS[metric], title=f"{target} (dashed: the paper)")
            if metric == "modes":
                ax.set_ylim(0, p.target(target).n_modes + 0.5)
            ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(rep, out):
    """Write ``table.md`` and ``trend.png`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "table.md").write_text(to_markdown(rep))
    plot_trend(out / "trend.png", rep)


def settings_table(reproductions):
    """One table of the same rows under several protocols: the setting, not only the loss, decides collapse.

    ``reproductions`` are :class:`~gan1d.protocols.Reproduction` objects (e.g. PacGAN's, VEEGAN's
    and the lecture's); each (row, target) cell gives a line: the protocol, its networks and
    training length, modes captured and high-quality % at the end (mean ± standard error), and the
    paper's values where it has them.
    """
    lines = [
        "| protocol | row | target | generator / discriminator | steps | modes | high-quality % | paper |",
        "|---|---|---|---|---:|---:|---:|---|",
    ]
    for rep in reproductions:
        p = PROTOCOLS[rep.protocol]
        rows = {(r["method"], r["target"], r["metric"]): r for r in comparison(rep)}
        for method, target in rep.cells:
            m, hq = rows[(method, target, "modes")], rows[(method, target, "high_quality")]
            options = p.options(method)
            nets = f"{_net(options['generator'])} / {_net(options['discriminator'])}"
            published = p.method(method).published.get(target)
            paper = "–" if published is None else f"{published.modes:g} modes, {100 * published.high_quality:.1f}%"
            lines.append(
                f"| {p.name} | {method} | {target} | {nets} | {rep.steps:,} | {_fmt('modes', m['mean'], m['se'])} "
                f"| {_fmt('high_quality', hq['mean'], hq['se'])} | {paper} |"
            )
    return "\n".join(lines)


def _net(spec):
    extra = " BN" if spec.batch_norm else (f" maxout {spec.maxout}" if spec.maxout > 1 else "")
    return f"{spec.depth} x {spec.width}{extra}"
