r"""The atlas part of the analytic core: every divergence on the named pairs, and Figure 1 extended.

* :func:`figure_one` -- every divergence along the WGAN paper's parallel lines
  :math:`P_0` vs :math:`P_\theta` (Example 1 and Figure 1 there) and along the smoothed lines
  :math:`P_0 * N(0, \sigma^2 I)` vs :math:`P_\theta * N(0, \sigma^2 I)` for noise widths ``sigmas``;
* :func:`plot_figure_one` -- its figure (a matplotlib Figure): a row per noise width (none first), a panel each for the
  bounded f-divergences, the unbounded ones (KL both ways, chi-squared, Rényi) and the metrics
  (W1, W2, energy, MMD);
* :func:`jumps` -- which divergences jump at :math:`\theta = 0` on the parallel lines: the value at
  a tiny :math:`\theta` against the value at 0;
* :func:`section` -- the report's lines: the atlas table of :data:`divergences.tables.LECTURE_PAIRS`,
  the figure, and the table of jumps.
"""

import math

import numpy as np

from divergences import atlas, curves, plot
from divergences.tables import ATLAS_NAMES
from toys import ShiftedLine, SmoothedLine

__all__ = ["PANELS", "figure_one", "jumps", "plot_figure_one", "section"]

#: The panels of a row of :func:`plot_figure_one`: title and divergences.
PANELS = (
    ("bounded f-divergences", ("tv", "hellinger", "js")),
    ("unbounded f-divergences and Rényi", ("kl", "reverse_kl", "chi2", "renyi")),
    ("metrics", ("w1", "w2", "energy", "mmd")),
)
#: Order of the Rényi divergence and bandwidth of the MMD in this part.
ALPHA, BANDWIDTH = 2.0, 1.0


def _family(sigma):
    return ShiftedLine if sigma is None else (lambda t: SmoothedLine(t, sigma))


def figure_one(thetas, sigmas=(None, 0.2, 0.05), names=ATLAS_NAMES):
    r"""Every divergence ``names`` between the lines at 0 and at theta, for each noise width.

    Parameters
    ----------
    thetas : array_like, shape (T,)
        Horizontal offsets of the second line.
    sigmas : sequence of (float or None)
        Noise widths; None is the parallel lines themselves (:class:`toys.ShiftedLine`), a float
        the smoothed lines (:class:`toys.SmoothedLine`).
    names : sequence of str
        Divergences (Rényi of order ``ALPHA``, MMD of bandwidth ``BANDWIDTH``, constants of this module).

    Returns
    -------
    dict of (float or None) to dict of str to numpy.ndarray
        ``out[sigma][name]``, the curve of ``name`` against ``thetas``. A divergence that the
        toolkit does not compute for the family is left out of ``out[sigma]`` (its refusal is
        in ``out[sigma]["refused"]``, a dict of name to message), never filled in.
    """
    thetas = np.asarray(thetas, dtype=float)
    out = {}
    for sigma in sigmas:
        family, values, refused = _family(sigma), {}, {}
        for name in names:
            try:
                values.update(curves(family, thetas, family(0.0), [name], alpha=ALPHA, bandwidth=BANDWIDTH))
            except NotImplementedError as exc:
                refused[name] = str(exc)
        out[sigma] = {**values, "refused": refused}
    return out


def jumps(names=ATLAS_NAMES, tiny=1e-6):
    """For each divergence, its value on the parallel lines at theta = 0, ``tiny`` and 1/2.

    Returns a list of ``(name, at_zero, at_tiny, at_half, jumps)``, ``jumps`` True where the value
    at ``tiny`` is at least half of the value at 1/2 (both infinite, for KL) (a continuous divergence of these lines is
    at most linear in theta near 0 -- W1 and W2 are theta, the energy distance and the MMD
    theta^2 log(1/theta) and theta^2 -- so at theta = 1e-6 it is far below half its value at 1/2).
    """
    rows = []
    for name in names:
        v = curves(ShiftedLine, [0.0, tiny, 0.5], ShiftedLine(0.0), [name], alpha=ALPHA, bandwidth=BANDWIDTH)[name]
        rows.append((name, float(v[0]), float(v[1]), float(v[2]), bool(v[1] >= 0.5 * v[2])))
    return rows


def plot_figure_one(thetas, results):
    """:func:`figure_one`'s ``results`` as a figure: a row per noise width, three panels each; returns the Figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(results), len(PANELS), figsize=(16, 4.2 * len(results)), squeeze=False)
    for row, (sigma, values) in zip(axes, results.items(), strict=True):
        where = "parallel lines" if sigma is None else f"smoothed lines, sigma = {sigma:g}"
        for ax, (title, names) in zip(row, PANELS, strict=True):
            shown = [n for n in names if n in values]
            if shown:
                plot(thetas, values, ax=ax, names=shown, title=title)
                if "w1" in shown:
                    ax.set_ylabel("units of x (MMD² unitless)")
                if sigma is not None and "kl" in shown:
                    ax.set_yscale("log")
                    ax.set_ylim(1e-4, 1e4)
                    ax.set_title(f"{title} (log scale)")
        row[0].set_ylabel(f"{where}\ndivergence")
    fig.tight_layout()
    return fig


def section(out):
    """The report's lines for this part; writes ``figure_one_extended.png`` into ``out``."""
    a = atlas(alpha=ALPHA, bandwidth=BANDWIDTH)
    thetas = np.linspace(-1.0, 1.0, 201)
    results = figure_one(thetas)
    import matplotlib.pyplot as plt

    fig = plot_figure_one(thetas, results)
    fig.savefig(out / "figure_one_extended.png", dpi=110)
    plt.close(fig)
    lines = ["## The atlas: every divergence on the named pairs", ""]
    lines += [f"Rényi of order {ALPHA:g}; MMD with the Gaussian kernel of bandwidth {BANDWIDTH:g}. "
              "P is the data law, Q the model.", "", a.table(), ""]  # fmt: skip
    lines += ["## Figure 1 of the WGAN paper, extended to every divergence", ""]
    lines += ["![figure_one_extended.png](figure_one_extended.png)", ""]
    for sigma, values in results.items():
        for name, message in values["refused"].items():
            lines.append(f"Not drawn for sigma = {sigma}: {name} ({message}).")
    lines += ["", "| divergence | theta = 0 | theta = 1e-6 | theta = 1/2 | jumps at 0 |", "|---|---|---|---|---|"]
    for name, zero, tiny, half, jump in jumps():
        lines.append(f"| {name} | {_fmt(zero)} | {_fmt(tiny)} | {_fmt(half)} | {'yes' if jump else 'no'} |")
    return [*lines, ""]


def _fmt(v):
    return "inf" if math.isinf(v) else f"{v:.6g}"
