r"""Interactive views for the lecture room: a θ slider over the divergence curves, a scrubber over training.

Each view is a plain object that draws into its own matplotlib figure and returns the numbers it
shows, so it is tested without a browser; the widgets (ipywidgets, the ``lab`` extra) only connect
a slider to its ``draw``. :class:`ThetaView`: the curves of :func:`divergences.curves` with a marker
at θ, beside the two laws at θ (:func:`theta_slider`). :class:`ScrubCamera` films a training run
(:func:`record`), keeping per frame the generator's arrows at its samples and the numbers;
:class:`Scrubber` shows one frame at a time, in the manner of GAN Lab [1]_ (:func:`training_scrubber`).

References
----------
.. [1] M. Kahng, N. Thorat, D. H. Chau, F. B. Viégas, M. Wattenberg, "GAN Lab: Understanding
   complex deep generative models using interactive visual experimentation", IEEE Transactions on
   Visualization and Computer Graphics 25(1), 2019.
"""

import copy
import math
from dataclasses import dataclass, fields

import numpy as np
import torch

import toys
from divergences import curves, empirical, plot
from divergences.evaluate import NAMES, QUANTITIES
from divergences.laws import as_toy

from ..training.coverage import mode_coverage
from ..training.losses import get_loss
from ..training.networks import evaluation
from .ring import Camera, Frame, _draw, film

__all__ = [
    "ARROW",
    "ScrubCamera",
    "ScrubFrame",
    "Scrubber",
    "ThetaView",
    "generator_arrows",
    "record",
    "theta_slider",
    "training_scrubber",
]

#: The drawn length of a typical arrow of a :class:`Scrubber` (95th percentile over all frames), data units.
ARROW = 0.5
_ESTIMATES = {"js": "JS", "w1": "W1", "lsgan": "chi2(Q || M)"}  # what each critic estimates; f-GANs: D_f


def _figure(figsize):
    """A figure that pyplot does not show by itself: the views show it when they are drawn."""
    import matplotlib.pyplot as plt  # lazily, as divergences.plot: the numbers need no display

    fig = plt.figure(figsize=figsize)
    plt.close(fig)
    return fig


def _format(value):
    return "∞" if value == math.inf else "—" if math.isnan(value) else f"{value:.4g}"


# -- the θ slider ------------------------------------------------------------------------------
class ThetaView:
    r"""Divergence-vs-θ curves with a marker at one θ, beside the two laws at that θ.

    Parameters
    ----------
    family : callable
        ``family(theta)`` returns the model :math:`Q_\theta`, a toy or frozen scipy.stats law.
    reference : toy or frozen scipy.stats law
        The data law P.
    thetas : array_like, shape (T,)
        The θ of the curves, computed once by :func:`divergences.curves`; :meth:`draw` goes to
        the nearest of them.
    names : sequence of str
        The divergences, as for :func:`divergences.curves` (default the lecture's five).
    n_points : int
        Samples of each law in the picture of laws without a density on the line (2-D laws).
    **options
        ``alpha``, ``kernel``, ``bandwidth``, as for :func:`divergences.curves`.

    Attributes
    ----------
    values : dict of str to ndarray, shape (T,)
        The curves, ``values[name][i] = D(reference, family(thetas[i]))``.
    figure : matplotlib.figure.Figure
        Left the curves (:func:`divergences.plot`) with a marker on each at (θ, value), an infinite
        value on the top edge; right the two laws.
    theta : float
        The θ last drawn, one of ``thetas`` (the middle one until :meth:`draw` is called).

    Examples
    --------
    >>> import numpy as np
    >>> from toys import ShiftedLine
    >>> view = ThetaView(ShiftedLine, ShiftedLine(0.0), np.linspace(-1, 1, 21), names=["tv", "w1"])
    >>> view.draw(0.5)                  # the parallel lines: TV = 1 and W1 = |theta| off 0
    {'tv': 1.0, 'w1': 0.5}
    """

    def __init__(self, family, reference, thetas, names=NAMES, *, n_points=400, **options):
        self.values = curves(family, thetas, reference, names=names, **options)  # checks every argument
        self.thetas = np.asarray(thetas, dtype=float)
        self.family, self.reference, self.n_points = family, as_toy(reference, "reference"), n_points
        self.figure = _figure((12.5, 4.2))
        self.curves_ax, self.laws_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.06, right=0.8, bottom=0.14, wspace=0.25)
        plot(self.thetas, self.values, ax=self.curves_ax)
        lines = self.curves_ax.get_legend_handles_labels()[0]  # one per curve, in the order of values
        self.cursor = self.curves_ax.axvline(np.nan, color="0.5", lw=0.8)
        self.markers = {
            name: self.curves_ax.plot([], [], "o", ms=8, mec="k", color=line.get_color(), zorder=5, clip_on=False)[0]
            for name, line in zip(self.values, lines)
        }
        self.readout = self.figure.text(0.82, 0.88, "", va="top", fontsize="small")  # the numbers at theta
        self._frame_laws()
        self.draw(self.thetas[len(self.thetas) // 2])

    def draw(self, theta):
        """Move the markers to the computed θ nearest ``theta``, draw the laws there, and return the
        values shown: ``{name: values[name][i]}`` (a dict of str to float)."""
        i = int(np.argmin(np.abs(self.thetas - float(theta))))
        self.theta = float(self.thetas[i])
        shown = {name: float(v[i]) for name, v in self.values.items()}
        top = self.curves_ax.get_ylim()[1]
        for name, marker in self.markers.items():
            finite = math.isfinite(shown[name])
            marker.set_data([self.theta], [shown[name] if finite else top])
            marker.set_marker("o" if finite else "^")
        self.cursor.set_xdata([self.theta, self.theta])
        self._draw_laws(as_toy(self.family(self.theta), f"family({self.theta!r})"))
        lines = [f"θ = {self.theta:.4g}"]
        lines += [f"{QUANTITIES[name].label} = {_format(value)}" for name, value in shown.items()]
        self.readout.set_text("\n".join(lines))
        return shown

    def _frame_laws(self):
        """Fixed limits for the picture of the laws, from the reference and the family at both ends."""
        ends = [self.reference] + [as_toy(self.family(t), "family") for t in (self.thetas.min(), self.thetas.max())]
        pts = np.concatenate([law.sample(2000, rng=0).reshape(2000, -1) for law in ends])  # (6000, d)
        lo, hi = np.quantile(pts, [0.001, 0.999], axis=0)
        pad = 0.1 * np.maximum(hi - lo, 1e-3)
        self._limits = np.stack([lo - pad, hi + pad], axis=1)  # (d, 2)
        if self.reference.dim == 1:
            self._x = np.linspace(*self._limits[0], 400)
            picks = self.thetas[np.unique(np.linspace(0, len(self.thetas) - 1, 25).round().astype(int))]
            laws = [self.reference] + [as_toy(self.family(t), "family") for t in picks]
            self._top = 1.1 * max(float(np.max(self._density(law))) for law in laws)
        else:
            self._reference_points = self.reference.sample(self.n_points, rng=0)

    def _density(self, law):
        if isinstance(law, toys.ContinuousDistribution):
            return law.pdf(self._x)
        return law.probs if isinstance(law, toys.DiscreteDistribution) else np.zeros_like(self._x)

    def _draw_laws(self, model):
        ax = self.laws_ax
        ax.clear()
        for law, colour, label in ((self.reference, "0.3", "P (reference)"), (model, "C3", r"$Q_\theta$")):
            if law.dim == 1 and isinstance(law, toys.DiscreteDistribution):
                ax.vlines(law.atoms, 0, law.probs, color=colour, lw=2, label=label)
            elif law.dim == 1:
                ax.plot(self._x, self._density(law), color=colour, label=label)
                ax.fill_between(self._x, self._density(law), color=colour, alpha=0.15)
            else:
                points = self._reference_points if law is self.reference else law.sample(self.n_points, rng=1)
                ax.scatter(*points[:, :2].T, s=4, color=colour, alpha=0.5, label=label)
        ax.set_xlim(*self._limits[0])
        ax.set_ylim(*((0, self._top) if self.reference.dim == 1 else self._limits[1]))
        ax.set_title(rf"the laws at $\theta$ = {self.theta:.4g}", fontsize="medium")
        ax.legend(fontsize="small", loc="upper left")


def theta_slider(view, **options):
    """A θ slider over a :class:`ThetaView`: dragging it calls ``view.draw`` and shows the figure.

    ``options`` go to ``ipywidgets.FloatSlider``. Returns an ``ipywidgets.VBox`` of the slider and
    the figure. Needs ipywidgets (the ``lab`` extra); raises ImportError saying so without it.
    """
    widgets = _ipywidgets()
    t = view.thetas
    step = (t.max() - t.min()) / max(len(t) - 1, 1) or 1.0
    settings = {"description": "θ", "readout_format": ".3g", "continuous_update": True, **options}
    slider = widgets.FloatSlider(value=view.theta, min=t.min(), max=t.max(), step=step, **settings)
    return _linked(widgets, slider, view.draw, view.figure)


# -- the training scrubber ---------------------------------------------------------------------
def generator_arrows(critic, loss, x):
    r"""Where the generator's loss pushes each sample: minus its gradient in the sample's position.

    Parameters
    ----------
    critic : torch.nn.Module
        The critic of one run (``Run.discriminator``): ``(1, n, d)`` points to ``(1, n)`` raw
        scores (logits of D for ``gan``/``nsgan``).
    loss : str or gan1d.training.losses.Loss
        The loss the run trains, by name or (an ``f-gan``) as its :class:`~gan1d.training.losses.Loss`.
    x : array_like, shape (n, d)
        Generator samples.

    Returns
    -------
    ndarray, shape (n, d)
        :math:`-\nabla_{x_i}\,\ell(s(x_i))`, with :math:`s` the critic's score and :math:`\ell`
        the generator's loss of one sample: the loss of a batch is the mean of
        :math:`\ell(s(x_i))` (:mod:`gan1d.training.losses`), so this is n times minus its
        gradient in :math:`x_i`. By autograd on a float64 copy of the critic, in evaluation mode.

    Notes
    -----
    The generator's parameters :math:`\phi` move along
    :math:`-\nabla_\phi = \frac1n\sum_i (\partial x_i/\partial\phi)^\top a_i` with :math:`a_i` the
    arrows: each sample asks to move along its arrow, and the network follows as far as it can.
    For the WGAN generator :math:`a = \nabla f`; for the minimax GAN :math:`a = -D\,\nabla\ell`,
    which vanishes where D rejects the sample (``gan1d.analysis.saturation``).

    Examples
    --------
    A linear WGAN critic :math:`f(x) = 2x_1 - x_2` pushes every sample along its slope:

    >>> import numpy as np, torch
    >>> class Linear(torch.nn.Module):
    ...     def forward(self, x):  # (1, n, 2) -> (1, n)
    ...         return x @ torch.tensor([2.0, -1.0], dtype=x.dtype)
    >>> generator_arrows(Linear(), "wgan", np.zeros((2, 2))).tolist()
    [[2.0, -1.0], [2.0, -1.0]]
    """
    loss = get_loss(loss) if isinstance(loss, str) else loss
    module = copy.deepcopy(critic).cpu().double().requires_grad_(False)
    pts = torch.as_tensor(np.asarray(x, dtype=float), dtype=torch.float64)[None].requires_grad_(True)  # (1, n, d)
    with evaluation(module):
        per_sample = loss.generator_loss(module(pts)[..., None])  # (1, n): each sample as a batch of one
    (grad,) = torch.autograd.grad(per_sample.sum(), pts)  # (1, n, d)
    return -grad[0].numpy()


@dataclass
class ScrubFrame(Frame):
    """A frame of the ring's camera (``gan1d.lecture.ring.Frame``), with the arrows and the numbers."""

    arrows: np.ndarray  # (n, d) generator_arrows at the samples
    estimate: float  # the critic's estimate of `divergence` on its last batch before this step's update; NaN at 0
    divergence: str  # what the critic estimates: "js", "w1", "lsgan", or an f-GAN's f
    values: dict  # "exact": that divergence, exactly (parametric generators); else "w1" (empirical), "modes"


class ScrubCamera(Camera):
    """A camera (``gan1d.lecture.ring.Camera``) whose frames are :class:`ScrubFrame` objects.

    A callback of :func:`gan1d.train` on a 2-D target, called as ``ScrubCamera(n_samples)``. Besides
    the samples and the critic on the grid, each frame keeps :func:`generator_arrows` at the
    samples, the critic's estimate at that step (from ``trainer.recorder``), and in ``values``:
    for parametric generators ``"exact"``, the divergence the critic estimates, exactly (the
    history's ``"exact"``, ``"js"`` or ``"w1"``); for MLP generators ``"w1"``, the empirical
    :math:`W_1` (:func:`divergences.empirical.w1`) to as many target samples (``target_samples``,
    drawn once with seed 0), and on mixtures ``"modes"``, the modes captured (:func:`gan1d.mode_coverage`).
    """

    target_samples = None  # (n, d), drawn at the first frame

    def frame(self, run, trainer, step):
        """The :class:`ScrubFrame` of ``run`` (member 0 of ``trainer``) after ``step`` generator steps."""
        base = super().frame(run, trainer, step)
        loss, rec = trainer.losses[0], trainer.recorder
        estimate = float(rec.steps["estimate"][rec.t - 1, 0]) if rec.t else math.nan
        return ScrubFrame(
            **{f.name: getattr(base, f.name) for f in fields(Frame)},
            arrows=generator_arrows(run.discriminator, loss, base.samples),
            estimate=estimate,
            divergence=loss.divergence,
            values=self._values(trainer, base.samples, loss),
        )

    def _values(self, trainer, samples, loss):
        if trainer.G.parametric:  # this step's evaluation is the recorder's last row
            evals = trainer.recorder.evals
            return {"exact": float(evals["exact" if "exact" in evals else loss.divergence][-1][0])}
        if self.target_samples is None:
            self.target_samples = trainer.target.sample(len(samples), rng=0)
        values = {"w1": empirical.w1(samples, self.target_samples)}
        if isinstance(trainer.target, toys.GaussianMixture):
            values["modes"] = mode_coverage(samples, trainer.target)[0]
        return values


def record(target, loss, steps, frames, seed=0, n_samples=500, **options):
    """Train ``loss`` on the 2-D ``target`` and film it with a :class:`ScrubCamera`: ``(run, frames)``.

    ``frames + 1`` frames, evenly spaced over the ``steps`` generator steps;
    ``gan1d.lecture.ring.film`` with ``camera=ScrubCamera``. ``options`` are
    :class:`gan1d.TrainConfig` fields.
    """
    return film(target, loss, steps, frames, seed, n_samples, camera=ScrubCamera, **options)


class Scrubber:
    """The frames of a filmed run, one at a time: samples over the critic, their arrows, the numbers.

    Parameters
    ----------
    frames : sequence of ScrubFrame
        From :func:`record` (or a :class:`ScrubCamera`).
    target : toys.Distribution
        The run's 2-D target (its modes are marked, or some of its samples).
    loss : str
        The run's loss: D on a fixed scale from 0 to 1 for ``gan``/``nsgan``, f on its own otherwise.
    n_arrows : int
        Arrows drawn, at an evenly spaced subset of the samples.

    Attributes
    ----------
    scale : float
        The arrows are drawn at ``scale`` times their length, one factor for all frames so that
        lengths compare across steps: the 95th percentile of all lengths draws as :data:`ARROW`.
    index : int
        The frame last drawn in ``figure``.
    """

    def __init__(self, frames, target, loss, n_arrows=120):
        self.frames = list(frames)
        if not self.frames:
            raise ValueError("frames is empty: film a run first (gan1d.lecture.interactive.record)")
        self.target, self.loss = target, loss
        lengths = np.concatenate([np.linalg.norm(f.arrows, axis=1) for f in self.frames])
        typical = float(np.percentile(lengths, 95))
        self.scale = ARROW / typical if typical > 0 else 1.0
        n = len(self.frames[0].samples)
        self.picks = np.unique(np.linspace(0, n - 1, min(n, n_arrows)).round().astype(int))
        self.figure = _figure((8.2, 5.0))
        self.ax = self.figure.add_subplot()
        self.figure.subplots_adjust(left=0.02, right=0.6, top=0.93, bottom=0.03)
        self.draw(0)

    def draw(self, i):
        """Draw frame ``i`` (the critic's contour, the samples, their arrows, the numbers); returns
        the numbers shown: ``{"step", "estimate", **frame.values}``."""
        if not 0 <= int(i) < len(self.frames):
            raise IndexError(f"frame {i!r} out of range: there are {len(self.frames)} frames")
        self.index = int(i)
        frame, ax = self.frames[self.index], self.ax
        ax.clear()
        _draw(ax, frame, self.target, self.loss)
        x, a = frame.samples[self.picks], self.scale * frame.arrows[self.picks]
        ax.quiver(*x.T, *a.T, angles="xy", scale_units="xy", scale=1, color="darkgreen", width=0.004)
        shown = {"step": frame.step, "estimate": frame.estimate, **frame.values}
        ax.text(1.04, 1.0, self._text(shown, frame), transform=ax.transAxes, va="top", fontsize="small")
        return shown

    def _text(self, shown, frame):
        name = _ESTIMATES.get(frame.divergence, f"D_f, f = {frame.divergence}")
        lines = [f"step {shown['step']}", f"critic's estimate of {name}: {_format(shown['estimate'])}"]
        labels = {"exact": f"exact {name}: ", "w1": "empirical W1: ", "modes": "modes captured: "}
        lines += [
            labels[k] + (f"{v} of {self.target.n_components}" if k == "modes" else _format(v))
            for k, v in shown.items()
            if k in labels
        ]
        lines += ["", "arrows: where the generator's", f"loss pushes each sample (x {self.scale:.3g})"]
        return "\n".join(lines)


def training_scrubber(scrubber, **options):
    """A frame slider over a :class:`Scrubber`: moving it calls ``scrubber.draw`` and shows the figure.

    ``options`` go to ``ipywidgets.IntSlider``. Returns an ``ipywidgets.VBox`` of the slider and
    the figure. Needs ipywidgets (the ``lab`` extra); raises ImportError saying so without it.
    """
    widgets = _ipywidgets()
    settings = {"description": "frame", "continuous_update": True, **options}
    slider = widgets.IntSlider(value=scrubber.index, min=0, max=len(scrubber.frames) - 1, step=1, **settings)
    return _linked(widgets, slider, scrubber.draw, scrubber.figure)


# -- the widgets -------------------------------------------------------------------------------
def _ipywidgets():
    try:
        import ipywidgets
    except ImportError as exc:
        raise ImportError(
            "the interactive views need ipywidgets, which is in the 'lab' extra: "
            "pip install -c constraints.txt -e '.[lab]' (make lab installs it and starts JupyterLab)"
        ) from exc
    return ipywidgets


def _linked(widgets, slider, draw, figure):
    """The slider above an output that ``draw``s its value and shows ``figure`` at every change."""
    from IPython.display import display  # a dependency of ipywidgets

    def show(value):
        draw(value)
        display(figure)

    return widgets.VBox([slider, widgets.interactive_output(show, {"value": slider})])
