"""The whole lecture, end to end: ``python -m gan1d lecture --out out [--quick] [--seed 0]``.

Writes into ``out`` the figures of six parts and ``report.md``, which ties them together:

1. the analytic core (:func:`divergences.demo.run`): ``parallel_lines.png``,
   ``gaussian_location.png``, ``mixture_shift.png``, ``fits.png``;
2. trained critics against the closed forms on the parallel lines (Figure 1 of the WGAN paper
   [1]_, with networks): ``critic_sweep.png``;
3. a trained discriminator against :math:`D^* = p/(p+q)` [2]_, ``d_vs_dstar.png``; the saturated
   GAN discriminator against the linear WGAN critic (Figure 2 of [1]_), ``wgan_vs_gan_critic.png``;
4. an MLP generator on the ring of 8 Gaussians, filmed: ``training_frames.png``,
   ``training.gif``, ``training_curves.png``;
5. the parallel-lines generator trained with each loss: ``parallel_lines_training.png``;
6. the mode-collapse table (:mod:`gan1d.mode_collapse`): ``mode_collapse.png``.

Every random stream is seeded from ``seed``. Each part prints a line when it starts and when it
ends, with its wall time.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
.. [3] M. Arjovsky, L. Bottou, "Towards Principled Methods for Training GANs", ICLR 2017.
"""

import contextlib
import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

import divergences
import toys
from divergences import demo

from . import mode_collapse as mc
from . import plots, snapshots
from .config import TrainConfig
from .critic import critic_sweep, optimal_discriminator, train_critic
from .generators import MLP, ParallelLines
from .gp_optimum import gp_optimum_lines
from .saturation import input_gradients
from .train import Trainer

__all__ = ["FULL", "QUICK", "Setting", "run"]

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])
LEAKY = MLP(width=64, depth=2, activation="leaky_relu")
RING_NET = MLP(width=64, depth=3)


@dataclass(frozen=True)
class Setting:
    """Sizes of the lecture's experiments; :data:`FULL` for the lecture, :data:`QUICK` for CI."""

    # Part 2: one critic per theta, all trained at once (gan1d.critic_sweep).
    thetas: tuple = (-1.0, -0.75, -0.5, -0.25, -0.05, 0.0, 0.05, 0.25, 0.5, 0.75, 1.0)  # 0 and both sides near it
    sweep_critic: MLP = LEAKY  # leaky ReLU: some ReLU critics died at lr 1e-3 in our trials (estimate stuck at 0)
    sweep_lr: float = 1e-3  # Adam step of the critics; 10x the WGAN-GP default, so 400 updates suffice
    wgan_checkpoints: tuple = (10, 30, 100, 400)  # critic updates at which the sweep measures; the last is steps
    gan_checkpoints: tuple = (10, 30, 100, 300, 1000)  # long enough for the discriminator to saturate
    n_eval: int = 4096  # fresh samples per side per measurement
    # Part 3: single critics between fixed 1-D laws (gan1d.train_critic).
    critic_steps: int = 1500  # updates of D (and of the WGAN-GP critic), Adam at sweep_lr
    # Part 4: the ring of 8 Gaussians, filmed (gan1d.snapshots).
    ring_steps: int = 800  # generator steps; lr 1e-3 for both networks (10x the defaults) to be quick
    ring_frames: int = 16  # frames after step 0
    ring_net: MLP = RING_NET  # generator and critic
    # Part 5: the parallel-lines generator, critic pretrained (see PARALLEL).
    parallel_steps: int = 300  # generator steps
    parallel_pretrain: int = 1000  # critic updates before the first generator step
    # Part 6: the mode-collapse table (gan1d.mode_collapse).
    collapse_steps: int | None = None  # None: mode_collapse.SETTING's
    collapse_seeds: int = 8  # seeds per (loss, target) cell
    collapse_samples: int = 2500  # generator samples scored per seed (2,500 as in VEEGAN/PacGAN)


FULL = Setting()
QUICK = dataclasses.replace(
    FULL,
    thetas=(-1.0, -0.5, -0.05, 0.0, 0.05, 0.5, 1.0),
    wgan_checkpoints=(10, 30, 150),
    gan_checkpoints=(10, 30, 100, 300),
    n_eval=2048,
    critic_steps=400,
    ring_steps=300,
    ring_frames=6,
    parallel_steps=100,
    parallel_pretrain=300,
    collapse_steps=60,
    collapse_seeds=2,
    collapse_samples=500,
)

#: Part 5's settings per loss. Plain SGD (step = lr x gradient) shows the size of the gradient,
#: which Adam and RMSprop divide away; the critics are pretrained and take 5 updates per generator
#: step, so each stays near its optimum, the regime of the theory [3]_. The clipped WGAN critic is
#: only K-Lipschitz with a tiny K, so it keeps RMSprop, its paper's optimizer, which rescales.
PARALLEL = {
    "wgan-gp": {"optimizer": "sgd", "lr_d": 0.02, "lr_g": 0.05},  # lr_d 0.1 diverges with the penalty
    "wgan": {"lr_g": 0.01},  # RMSprop; lr_d 5e-5 and clip 0.01 of Arjovsky et al.
    "gan": {"optimizer": "sgd", "lr_d": 0.1, "lr_g": 0.05},
    "nsgan": {"optimizer": "sgd", "lr_d": 0.1, "lr_g": 0.05},
}


def run(out="out", quick=False, seed=0, threads=1):
    """Run the six parts and write ``out/report.md``; returns its path.

    ``threads`` sets torch's intra-op threads for the run (restored afterwards). The networks are
    small: one thread is about as fast as two on an idle machine, while two threads slow down
    10-20 times when another process shares the cores (one cell of the mode-collapse table, 200
    steps: 73 s with two threads against 4 s with one, measured on the 2-core CI machine).
    """
    import matplotlib

    matplotlib.use("Agg")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    s = QUICK if quick else FULL
    parts = [
        ("the analytic core", lambda: analytic_core(out)),
        ("critics against the closed forms", lambda: critic_sweeps(out, s, seed)),
        ("D against D*, and the saturated discriminator", lambda: d_vs_dstar(out, s, seed)),
        ("training on the ring, frame by frame", lambda: snapshots.ring_section(out, s, seed)),
        ("the parallel-lines generator", lambda: parallel_lines(out, s, seed)),
        ("mode collapse", lambda: mode_collapse(out, s, seed)),
    ]
    lines = ["# Divergences and GANs: the lecture, end to end", ""]
    lines += [f"Mode: {'quick (CI sizes)' if quick else 'full'}; seed {seed}. Divergences in nats.", ""]
    times = []
    with _threads(threads):
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
    """:func:`divergences.demo.run`, its report's sections one level down."""
    text = demo.run(out).read_text()
    body = text.split("\n", 1)[1]  # drop the demo's own title
    return [line if not line.startswith("#") else "#" + line for line in body.splitlines()]


# -- 2. Critics against the closed forms -------------------------------------------------------
def critic_sweeps(out, s, seed):
    common = {"discriminator": s.sweep_critic, "lr_d": s.sweep_lr, "seed": seed, "n_eval": s.n_eval}
    line, thetas = toys.ShiftedLine, np.array(s.thetas)
    wgan = critic_sweep("wgan-gp", line, line(0.0), thetas, steps=s.wgan_checkpoints[-1],
                        checkpoints=s.wgan_checkpoints, **common)  # fmt: skip
    gan = critic_sweep("gan", line, line(0.0), thetas, steps=s.gan_checkpoints[-1],
                       checkpoints=s.gan_checkpoints, **common)  # fmt: skip
    plots.plot_critic_sweep(out / "critic_sweep.png", wgan, gan)
    off = thetas != 0
    err = np.abs(wgan.estimate[-1] - wgan.exact)[off].max()
    g_wgan, g_gan = (np.median(np.abs(r.grad[:, off]), axis=1) for r in (wgan, gan))
    rows = [f"| {c} | {g:.3g} |" for c, g in zip(gan.steps, g_gan)]
    return [
        "P_0 is uniform on the segment {0} x [0, 1] and P_theta its translate to x = theta (Example 1 of "
        "the WGAN paper). In closed form W1(P_0, P_theta) = |theta|, with gradient sign(theta), and "
        "JS(P_0, P_theta) = ln 2 = 0.6931 for every theta != 0, with gradient 0. For each theta a fresh "
        f"critic is trained (Adam, lr {s.sweep_lr:g}); the generator's theta-gradient is taken through "
        "g_theta(z) = (theta, z) with the critic held fixed.",
        "",
        "![critic_sweep.png](critic_sweep.png)",
        "",
        f"What to see: the WGAN-GP critic recovers W1 = |theta| (largest error {err:.3f} over theta != 0) "
        f"and its gradient is close to sign(theta) (median |gradient| {g_wgan[-1]:.3f}; exact 1). The GAN "
        f"discriminator's estimate sits at ln 2 = {np.log(2):.4f} off theta = 0, and the minimax generator's "
        f"gradient, the median of |d/dtheta E log(1 - D(g_theta(z)))| over theta != 0, rises and then "
        f"collapses as D is trained: {', '.join(f'{g:.3g}' for g in g_gan)} after "
        f"{', '.join(str(c) for c in gan.steps)} updates. A better discriminator gives a worse gradient.",
        "",
        f"WGAN-GP critics after {wgan.steps[-1]} updates:",
        "",
        wgan.to_markdown(),
        "",
        f"GAN discriminators after {gan.steps[-1]} updates (the generator loss is E log(1 - D), so its "
        "gradient is twice d(estimate)/dtheta):",
        "",
        gan.to_markdown(),
        "",
        "| discriminator updates | GAN: median abs. gradient, theta != 0 |",
        "|---:|---:|",
        *rows,
    ]


# -- 3. D against D*; Figure 2 of the WGAN paper -----------------------------------------------
def d_vs_dstar(out, s, seed):
    x = np.linspace(-5, 5, 1001)
    cases = [
        ("N(0, 1) vs N(1.5, 0.7^2)", toys.Gaussian(0.0, 1.0), toys.Gaussian(1.5, 0.7)),
        ("two-mode mixture vs N(0, 1.5^2)", TWO_MODES, toys.Gaussian(0.0, 1.5)),
    ]
    rows, drawn = [], []
    for title, real, fake in cases:
        d = train_critic("gan", real, fake, steps=s.critic_steps, seed=seed, discriminator=LEAKY, lr_d=s.sweep_lr)
        d_star = optimal_discriminator(real, fake)(x)
        m = 0.5 * (real.pdf(x) + fake.pdf(x))  # the mixture the samples come from
        gap = np.abs(d(x) - d_star)
        tail = d.history["estimate"][-max(1, s.critic_steps // 10) :].mean()
        rows.append(f"| {title} | {gap[m >= 0.01].max():.3f} | {(gap * m).sum() / m.sum():.4f} "
                    f"| {tail:.4f} | {divergences.js(real, fake):.4f} |")  # fmt: skip
        drawn.append((title, real, fake, d, d_star, x))
    plots.plot_d_vs_dstar(out / "d_vs_dstar.png", drawn)
    return [
        "For fixed real p and fake q the best discriminator is D*(x) = p(x) / (p(x) + q(x)) (Goodfellow et "
        "al., Proposition 1), and at D* the GAN objective gives (V + ln 4) / 2 = JS(p, q). A network trained "
        f"for {s.critic_steps} updates gets close to it where there are samples.",
        "",
        "![d_vs_dstar.png](d_vs_dstar.png)",
        "",
        "| real vs fake | max abs(D - D*) where (p+q)/2 >= 0.01 | mean abs(D - D*) under (p+q)/2 "
        "| JS estimate (last 10% of batches) | exact JS |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        *_saturation(out, s, seed),
    ]


def _saturation(out, s, seed):
    real, fake = toys.Gaussian(-2.0, 0.5), toys.Gaussian(2.0, 0.5)
    opts = {"steps": s.critic_steps, "seed": seed, "discriminator": LEAKY, "lr_d": s.sweep_lr}
    gan, wgan = train_critic("gan", real, fake, **opts), train_critic("wgan-gp", real, fake, **opts)
    plots.plot_wgan_vs_gan(out / "wgan_vs_gan_critic.png", real, fake, gan, wgan, np.linspace(-4, 4, 801))
    xf = fake.sample(2000, rng=seed)
    med = input_gradients(gan, wgan, xf).medians()  # float64, so saturation does not round them away
    optimum = gp_optimum_lines(divergences.w1(real, fake))[1]  # the penalised critic's slope, not 1
    rows = [
        ("D(x), the discriminator's output", med["d"]),
        ("abs(dD/dx), the slope of D", med["d_slope"]),
        ("abs(d/dx log(1 - D(x))), the minimax generator's gradient", med["minimax"]),
        ("abs(d/dx log D(x)), the non-saturating generator's gradient", med["non_saturating"]),
        (f"abs(df/dx), the slope of the WGAN-GP critic (penalised optimum: {optimum:.2f})", med["critic_slope"]),
    ]
    return [
        "Figure 2 of the WGAN paper: real N(-2, 0.5^2) and fake N(2, 0.5^2), far apart (exact W1 = "
        f"{divergences.w1(real, fake):.4f}, JS = {divergences.js(real, fake):.4f}, almost ln 2). "
        f"A discriminator and a WGAN-GP critic, each trained for {s.critic_steps} updates:",
        "",
        "![wgan_vs_gan_critic.png](wgan_vs_gan_critic.png)",
        "",
        "| at the fake samples (median over 2,000) | value |",
        "|---|---:|",
        *[f"| {label} | {value:.3g} |" for label, value in rows],
        "",
        "What to see: the discriminator saturates, D is about 0 and flat where the fakes are, so the "
        "minimax generator, which follows the gradient of log(1 - D), gets almost nothing; the critic is "
        "close to linear, with a slope near its penalised optimum, all the way between the two laws, so "
        "its gradient tells every fake sample where to go.",
    ]


# -- 5. The parallel-lines generator -----------------------------------------------------------
def parallel_lines(out, s, seed):
    target, runs = toys.ShiftedLine(0.0), {}
    for loss, opts in PARALLEL.items():
        config = TrainConfig.from_options(loss=loss, steps=s.parallel_steps, generator=ParallelLines(1.0),
                                          discriminator=MLP(width=32, depth=2, activation="leaky_relu"),
                                          n_critic=5, batch_size=128, eval_every=max(1, s.parallel_steps // 10),
                                          **opts)  # fmt: skip
        trainer = Trainer(target, [seed], config)
        for _ in range(s.parallel_pretrain):
            trainer.critic_step()
        runs[loss] = trainer.fit()[0]
    plots.plot_parallel_lines(out / "parallel_lines_training.png", runs)
    rows, early = [], max(1, s.parallel_steps // 10)
    for loss, r in runs.items():
        h, c = r.history, r.config
        rows.append(f"| {loss} | {c.optimizer}, lr_g {c.lr_g:g} | 1 | {h['theta'][early - 1]:.3f} | "
                    f"{h.last('theta'):.3f} | {np.median(h['g_grad_norm'][:early]):.3g} | {h.last('w1'):.3f} "
                    f"| {h.last('js'):.3f} |")  # fmt: skip
    return [
        "The generator g_theta(z) = (theta, z), z ~ U[0, 1], starts at theta = 1 against the real line "
        "theta = 0, where W1 = 1 and JS = ln 2. Each critic is first trained alone for "
        f"{s.parallel_pretrain} updates, then takes 5 updates per generator step, so that it stays near its "
        "optimum as the theory assumes. gan, nsgan and wgan-gp use plain SGD, whose step is the learning "
        "rate times the gradient: what moves theta is the size of the gradient. The clipped WGAN critic is "
        "only K-Lipschitz for a small K, so wgan keeps RMSprop, its paper's optimizer, which divides the "
        "gradient by its running scale.",
        "",
        "![parallel_lines_training.png](parallel_lines_training.png)",
        "",
        f"| loss | generator optimizer | theta at start | theta after {early} steps | theta at the end "
        f"| median abs. gradient, first {early} steps | exact W1 at the end | exact JS at the end |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        _parallel_summary(runs, early),
    ]


def _parallel_summary(runs, early):
    g = {loss: np.median(r.history["g_grad_norm"][:early]) for loss, r in runs.items()}
    theta = {loss: r.history.last("theta") for loss, r in runs.items()}
    return (
        f"What to see: facing a near-optimal discriminator, the minimax GAN gets a gradient of {g['gan']:.2g}, "
        f"{g['wgan-gp'] / g['gan']:.0f} times smaller than WGAN-GP's ({g['wgan-gp']:.2g}; exact dW1/dtheta = 1) "
        f"and {g['nsgan'] / g['gan']:.0f} times smaller than the non-saturating loss's ({g['nsgan']:.2g}), so under "
        f"the same SGD step it ends at theta = {theta['gan']:.3f}, with JS still ln 2 = 0.693 (as for any theta "
        f"!= 0) and W1 = abs(theta). WGAN-GP ends at {theta['wgan-gp']:.3f} and nsgan at {theta['nsgan']:.3f}. "
        f"The clipped WGAN's gradient is only {g['wgan']:.2g}, the critic being K-Lipschitz with a small K; "
        f"RMSprop rescales it, and theta ends at {theta['wgan']:.3f}."
    )


# -- 6. Mode collapse -------------------------------------------------------------------------
def mode_collapse(out, s, seed):
    overrides = {} if s.collapse_steps is None else {"steps": s.collapse_steps}
    seeds = range(seed, seed + s.collapse_seeds)
    cells = mc.mode_collapse_table(seeds=seeds, n_samples=s.collapse_samples, log=_say, **overrides)
    plots.plot_mode_collapse(out / "mode_collapse.png", cells, mc.targets())
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
        "is high quality when it lies so close to some mode.",
        "",
        mc.to_markdown(cells, per_seed=True),
        "",
        "![mode_collapse.png](mode_collapse.png)",
        "",
        "The figure shows the first seed of each cell. Most modes captured on average, per target: "
        + "; ".join(best)
        + ". A collapsed generator puts its samples on one or a few modes: its high-quality fraction "
        "can be high while it captures few modes, which is why both columns are reported.",
    ]
