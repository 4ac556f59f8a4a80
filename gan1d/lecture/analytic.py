"""Part 1 of the lecture, the analytic core: divergence-vs-theta figures and a report of named pairs.

Writes into ``out``:

* ``parallel_lines.png``: P_0 against P_theta of the WGAN paper's Example 1 (Figure 1 there),
  all five divergences on one figure;
* ``gaussian_location.png``: N(0, 1) against N(theta, 1);
* ``mixture_shift.png``: a two-mode mixture against its translates by theta;
* ``fits.png``: forward-KL (mode covering) and reverse-KL (mode seeking) Gaussian fits to a
  two-mode mixture and, with a diagonal model, to the 2-D correlated Gaussian;
* ``figure_one_extended.png``: every divergence of the atlas along the parallel lines and the
  smoothed lines (:mod:`gan1d.lecture.atlas`);
* ``report.md``: the five divergences for a few named pairs, with the method behind each value,
  the atlas of every divergence on the same pairs, and the fitted parameters.
"""

import math
from pathlib import Path

import numpy as np
from tqdm import tqdm

from divergences import curves, fit_forward_kl, fit_reverse_kl, js, kl, plot, reverse_kl, tv, w1
from divergences.evaluate import method
from divergences.tables import LECTURE_PAIRS
from toys import Gaussian, GaussianMixture, ShiftedLine

from . import atlas as atlas_part

MIXTURE = {"weights": [0.5, 0.5], "stds": [0.5, 0.5]}


def _mixture(shift):
    return GaussianMixture(means=[-2.0 + shift, 2.0 + shift], **MIXTURE)


FIGURES = [
    (
        "parallel_lines.png",
        r"Parallel lines: $P_0$ vs $P_\theta$ (WGAN paper, Example 1)",
        ShiftedLine,
        ShiftedLine(0.0),
        np.linspace(-1.0, 1.0, 201),
    ),
    (
        "gaussian_location.png",
        r"Gaussian location family: $N(0, 1)$ vs $N(\theta, 1)$",
        lambda t: Gaussian(t, 1.0),
        Gaussian(0.0, 1.0),
        np.linspace(-4.0, 4.0, 401),
    ),
    (
        "mixture_shift.png",
        r"Two-mode mixture $\frac{1}{2} N(-2, .5^2) + \frac{1}{2} N(2, .5^2)$ vs its shift by $\theta$",
        _mixture,
        _mixture(0.0),
        np.linspace(-6.0, 6.0, 601),
    ),
]

#: The lecture's named pairs (label, p, q), shared with the atlas (:data:`divergences.tables.LECTURE_PAIRS`).
PAIRS = LECTURE_PAIRS


def run(out="out"):
    """Render the figures and the report into the folder ``out``; returns the report's path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    steps = tqdm(total=len(FIGURES) + len(PAIRS) + 2, desc="demo", unit="step")
    lines = ["# Divergences of the lecture's toy distributions", ""]
    lines += ["Values in nats (TV and W1 in their own units); `inf` where the divergence is infinite.", ""]
    lines += ["## Divergence-vs-theta figures", ""]
    for filename, title, family, reference, thetas in FIGURES:
        values = curves(family, thetas, reference)
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
        plot(thetas, values, ax=left, names=["tv", "js"], title="bounded: TV <= 1, JS <= ln 2")
        plot(thetas, values, ax=right, names=["kl", "reverse_kl", "w1"], title="unbounded: KL both ways, W1")
        fig.suptitle(title)
        fig.tight_layout()
        fig.savefig(out / filename, dpi=120)
        plt.close(fig)
        lines += [f"### {title}", "", f"![{filename}]({filename})", ""]
        lines += _curve_table(thetas, values)
        steps.update()
    lines += ["## Named pairs", "", "P is the data law, Q the model: KL = KL(P||Q), reverse KL = KL(Q||P).", ""]
    lines += ["| P vs Q | TV | KL | reverse KL | JS | W1 | W1 method |", "|---|---|---|---|---|---|---|"]
    for label, p, q in PAIRS:
        row = [tv(p, q), kl(p, q), reverse_kl(p, q), js(p, q), w1(p, q)]
        lines.append(f"| {label} | " + " | ".join(_fmt(v) for v in row) + f" | {_method('w1', p, q)} |")
        steps.update()
    lines += ["", *atlas_part.section(out)]
    steps.update()
    lines += ["", *_fits(out, plt)]
    steps.update()
    steps.close()
    lines += ["", "Methods: closed forms where registered (see `divergences.closed_forms`); otherwise 1-D"]
    lines += ["adaptive Gauss-Kronrod quadrature (absolute error <= 1e-9), 2-D iterated cubature (<= 1e-6) and,"]
    lines += ["for 2-D W1, exact optimal transport between discretisations (<= 2e-2).", ""]
    path = out / "report.md"
    path.write_text("\n".join(lines))
    return path


BIMODAL = GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])
RHO = 0.8
CORRELATED = Gaussian(mean=[0.0, 0.0], cov=[[1.0, RHO], [RHO, 1.0]])


def _fits(out, plt):
    """Forward and reverse KL fits: the figure ``fits.png`` and the report's lines."""
    fwd = fit_forward_kl(BIMODAL.sample(20_000, rng=0))
    rev = fit_reverse_kl(BIMODAL, init=Gaussian(2.0, 1.5))
    fwd2 = fit_forward_kl(CORRELATED.sample(20_000, rng=0), covariance="diag")
    rev2 = fit_reverse_kl(CORRELATED, covariance="diag", init=Gaussian(mean=[0.5, -0.5], cov=[[2.0, 0], [0, 2.0]]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = np.linspace(-8, 8, 801)
    left.fill_between(x, BIMODAL.pdf(x), color="0.85", label="target p")
    left.plot(
        x, fwd.distribution.pdf(x), label=f"forward KL fit N({fwd.distribution.mean:.2f}, {fwd.distribution.std:.2f}²)"
    )
    left.plot(
        x, rev.distribution.pdf(x), label=f"reverse KL fit N({rev.distribution.mean:.2f}, {rev.distribution.std:.2f}²)"
    )
    left.set_title("two-mode mixture: covering vs seeking")
    left.legend(fontsize="small")
    g = np.linspace(-3, 3, 201)
    xx, yy = np.meshgrid(g, g)
    pts = np.stack([xx, yy], axis=-1)
    for law, color, label in [
        (CORRELATED, "0.5", "target"),
        (fwd2.distribution, "C0", "forward"),
        (rev2.distribution, "C1", "reverse"),
    ]:
        right.contour(xx, yy, law.pdf(pts), levels=[0.05], colors=[color])
        right.plot([], [], color=color, label=f"{label} (density 0.05)")  # legend entry for the contour
    right.set_aspect("equal")
    right.set_title(f"diagonal fits to the 2-D Gaussian, rho = {RHO}")
    right.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(out / "fits.png", dpi=120)
    plt.close(fig)
    f, r = fwd.distribution, rev.distribution
    var_f, var_r = np.diag(fwd2.distribution.cov).round(4).tolist(), np.diag(rev2.distribution.cov).round(6).tolist()
    return [
        "## Forward and reverse KL fits",
        "",
        "![fits.png](fits.png)",
        "",
        "| target | fit | fitted parameters | objective at the end (nats) |",
        "|---|---|---|---|",
        f"| two-mode mixture, modes at +-3, std 1 | forward (ML, 20,000 samples) | mean {f.mean:.4f}, "
        f"std {f.std:.4f} (law: 0, sqrt(10) = 3.1623) | {fwd.value:.6f} (NLL) |",
        f"| two-mode mixture | reverse (from N(2, 1.5^2)) | mean {r.mean:.4f}, std {r.std:.4f} "
        f"| {rev.value:.6f} (KL(q‖p)) |",
        f"| 2-D Gaussian, rho = {RHO} | forward, diagonal | variances {var_f} (law: marginals 1) "
        f"| {fwd2.value:.6f} (NLL) |",
        f"| 2-D Gaussian, rho = {RHO} | reverse, diagonal | variances {var_r} (law: 1 - rho^2 = {1 - RHO**2:.2f}) "
        f"| {rev2.value:.6f} (KL(q‖p)) |",
        "",
    ]


def _curve_table(thetas, values):
    picks = np.unique(np.searchsorted(thetas, np.linspace(thetas[0], thetas[-1], 5)).clip(0, thetas.size - 1))
    rows = ["| theta | " + " | ".join(values) + " |", "|---" * (len(values) + 1) + "|"]
    for i in picks:
        rows.append(f"| {thetas[i]:.2f} | " + " | ".join(_fmt(values[n][i]) for n in values) + " |")
    return [*rows, ""]


def _method(name, p, q):
    return method(name, p, q).replace("transport", "optimal transport")


def _fmt(v):
    return "inf" if math.isinf(v) else f"{v:.6f}"
