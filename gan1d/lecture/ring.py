"""Part 4 of the lecture: a generator on the ring of 8 Gaussians, filmed while it trains.

:class:`Camera` is a callback of the trainer (:func:`gan1d.train`'s ``callbacks``): at every
evaluation (every ``eval_every`` generator steps, and at step 0) it keeps a :class:`Frame`,
generator samples and the discriminator/critic on a grid. :func:`film` trains one loss and
returns the run and its frames; :func:`plot_frames`, :func:`write_gif` and :func:`plot_curves`
draw them; :func:`ring_section` is the lecture's part 4.
"""

from dataclasses import dataclass

import numpy as np

import toys

from ..training.run import Run
from ..training.trainer import train

__all__ = ["Camera", "Frame", "film", "plot_curves", "plot_frames", "ring_section", "write_gif"]

LIMIT = 3.0  # half-width of the plotted square; the ring has radius 2
GRID = 61  # points per side of the critic's contour grid


@dataclass
class Frame:
    """One snapshot: after ``step`` generator updates."""

    step: int
    samples: np.ndarray  # (n, 2) generator samples, from the same latent seed at every frame
    critic: np.ndarray  # (GRID, GRID) D(x) in (0, 1) for gan/nsgan, f(x) for WGANs


class Camera:
    """A training callback that keeps a :class:`Frame` of member 0 at every evaluation of the generator."""

    def __init__(self, n_samples=500):
        self.frames, self.n_samples = [], n_samples
        g = np.linspace(-LIMIT, LIMIT, GRID)
        self.grid = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)  # (GRID**2, 2)

    def __call__(self, trainer, step):
        run = Run.from_member(trainer.target, trainer.config, trainer.seeds[0], trainer.G, trainer.D, 0, None)
        self.frames.append(self.frame(run, trainer, step))

    def frame(self, run, trainer, step):
        """The :class:`Frame` of ``run`` (member 0 of ``trainer``, copied) after ``step`` generator steps."""
        samples = run.sample(self.n_samples, rng=0)  # the same latent draws at every frame
        return Frame(step, samples, run.discriminate(self.grid).reshape(GRID, GRID))


def film(target, loss, steps, frames, seed=0, n_samples=500, camera=Camera, **options):
    """Train ``loss`` on ``target`` for ``steps`` generator steps, keeping ``frames + 1`` frames.

    ``options`` are :class:`gan1d.TrainConfig` fields; ``camera`` is the class that records the
    frames, :class:`Camera` or a subclass (``camera(n_samples)``). Returns ``(run, frames)``.
    """
    camera = camera(n_samples)
    every = max(1, steps // frames)
    run = train(target, loss, steps, seed, eval_every=every, eval_samples=n_samples, callbacks=[camera], **options)
    return run, camera.frames


def _draw(ax, frame, target, loss):
    g = np.linspace(-LIMIT, LIMIT, GRID)
    levels = np.linspace(0, 1, 21) if loss in ("gan", "nsgan") else 20  # D on a fixed scale; f on its own
    ax.contourf(g, g, frame.critic, levels=levels, cmap="coolwarm")
    if isinstance(target, toys.GaussianMixture):
        ax.scatter(*np.asarray(target.means).T, marker="x", color="k", s=30, linewidths=1)
    else:  # a law without modes to mark (the parallel lines): some of its samples
        ax.scatter(*target.sample(200, rng=0).T, marker="x", color="k", s=8, linewidths=0.6, alpha=0.5)
    ax.scatter(*frame.samples.T, s=2, color="k", alpha=0.4)
    ax.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xticks=[], yticks=[], aspect="equal")
    ax.set_title(f"{loss}, step {frame.step}", fontsize="small")


def plot_frames(path, films, target, columns=6):
    """A grid of frames, one row per loss: ``films`` maps loss -> frames."""
    import matplotlib.pyplot as plt

    rows = len(films)
    picks = {loss: _pick(len(frames), columns) for loss, frames in films.items()}
    fig, axes = plt.subplots(rows, columns, figsize=(2.1 * columns, 2.2 * rows), squeeze=False)
    for r, (loss, frames) in enumerate(films.items()):
        for c, i in enumerate(picks[loss]):
            _draw(axes[r, c], frames[i], target, loss)
    fig.suptitle("generator samples (black) over D(x) or the critic f(x): red high (looks real), blue low; x: modes")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _pick(n, k):
    return np.unique(np.linspace(0, n - 1, min(n, k)).round().astype(int))


def write_gif(path, films, target, fps=4):
    """An animated GIF of all frames, the losses side by side."""
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    n = min(len(f) for f in films.values())
    fig, axes = plt.subplots(1, len(films), figsize=(3.2 * len(films), 3.4), squeeze=False)

    def show(i):
        for ax, (loss, frames) in zip(axes[0], films.items()):
            ax.clear()
            _draw(ax, frames[i], target, loss)
        return []

    animation = FuncAnimation(fig, show, frames=n, blit=False)
    animation.save(path, writer=PillowWriter(fps=fps), dpi=70)
    plt.close(fig)
    return n


def plot_curves(path, runs, n_modes):
    """Training curves: each critic's own estimate against the sample estimate, and modes captured."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    for ax, (loss, run) in zip(axes[:2], runs.items()):
        h = run.history
        name = "w1" if loss.startswith("wgan") else "js"
        ax.plot(h["step"], _smooth(h["estimate"]), lw=1, label="critic's estimate (batch, smoothed)")
        ax.plot(h["eval_step"], h[name], "o-", ms=3, label=f"empirical {name.upper()} (samples)")
        ax.set(xlabel="generator step", title=f"{loss}: estimate of {name.upper()}")
        ax.legend(fontsize="small")
    for loss, run in runs.items():
        axes[2].plot(run.history["eval_step"], run.history["modes"], "o-", ms=3, label=loss)
    axes[2].axhline(n_modes, color="0.6", ls="--", lw=1)
    axes[2].set(xlabel="generator step", ylabel="modes captured", ylim=(-0.3, n_modes + 0.5), title="modes captured")
    axes[2].legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _smooth(x, width=25):
    width = max(1, min(width, len(x)))
    kernel = np.ones(width)
    # a centred moving average over the points that exist: no zero padding pulls the ends down
    return np.convolve(x, kernel, mode="same") / np.convolve(np.ones(len(x)), kernel, mode="same")


# -- the lecture's section -------------------------------------------------------------------
def ring_section(out, s, seed):
    """Part 4 of :func:`gan1d.lecture.run`: train, draw, and return the report's lines."""
    ring = toys.ring()
    films, runs = {}, {}
    for loss in ("wgan-gp", "gan"):
        options = {"generator": s.ring_net, "discriminator": s.ring_net, "lr_d": 1e-3, "lr_g": 1e-3}
        runs[loss], films[loss] = film(ring, loss, s.ring_steps, s.ring_frames, seed=seed, **options)
    plot_frames(out / "training_frames.png", films, ring)
    n_gif = write_gif(out / "training.gif", films, ring)
    plot_curves(out / "training_curves.png", runs, ring.n_components)
    rows = []
    for loss, r in runs.items():
        h = r.history
        for i in _pick(len(h["eval_step"]), 5):
            rows.append(f"| {loss} | {int(h['eval_step'][i])} | {int(h['modes'][i])} | "
                        f"{100 * h['high_quality'][i]:.1f} | {h['w1'][i]:.3f} | {h['js'][i]:.3f} |")  # fmt: skip
    return [
        f"An MLP generator ({s.ring_net.depth} layers of {s.ring_net.width}) trained for {s.ring_steps} steps "
        "on the ring of 8 Gaussians (radius 2, std 0.02), once with WGAN-GP and once with the minimax GAN; "
        "both networks use Adam at lr 1e-3. Each frame shows 500 generator samples from the same latent "
        "draws over the discriminator D(x) (GAN, from 0 to 1) or the critic f(x) (WGAN-GP, its own range).",
        "",
        "![training_frames.png](training_frames.png)",
        "",
        f"The animation ({n_gif} frames): ![training.gif](training.gif)",
        "",
        "Curves: each critic's own estimate on its training batches (W1 for WGAN-GP, JS for the GAN) "
        "against the same divergence estimated from 500 generator and 500 target samples, and the modes "
        "captured (a mode counts when a sample lies within 3 standard deviations of it).",
        "",
        "![training_curves.png](training_curves.png)",
        "",
        "| loss | step | modes captured (of 8) | high-quality % | empirical W1 | empirical JS |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        _summary(runs),
    ]


def _summary(runs):
    end = {loss: (int(r.history["modes"][-1]), r.history["w1"][-1]) for loss, r in runs.items()}
    (wm, ww), (gm, gw) = end["wgan-gp"], end["gan"]
    return (
        f"What to see: at the last frame WGAN-GP captures {wm} of the 8 modes (empirical W1 {ww:.3f}; 0 for a "
        f"perfect generator, up to the sampling noise of 500 points) and the GAN {gm} (W1 {gw:.3f}). The "
        "WGAN-GP critic is a smooth landscape whose slope points every sample towards the modes; the GAN "
        "discriminator, once it has learned, is flat and near 0 away from the modes, so samples there get "
        "little gradient."
    )
