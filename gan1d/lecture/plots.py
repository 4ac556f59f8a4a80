"""The lecture's figures (parts 2, 3, 5 and 9 of :mod:`gan1d.lecture`); each writes one PNG.

Every function takes the results it draws and a path, so a figure can be redrawn without
training again. Part 4's frames and animation are in :mod:`gan1d.lecture.ring`.
"""

import numpy as np

__all__ = ["plot_critic_sweep", "plot_d_vs_dstar", "plot_mode_collapse", "plot_parallel_lines", "plot_wgan_vs_gan"]

COLORS = {"wgan-gp": "C0", "wgan": "C2", "gan": "C3", "nsgan": "C1"}


def _save(fig, path):
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_critic_sweep(path, wgan, gan):
    """Estimates vs theta next to the exact W1 and JS (left); theta-gradients (middle, right)."""
    import matplotlib.pyplot as plt

    fig, (left, mid, right) = plt.subplots(1, 3, figsize=(15, 4.2))
    t = np.linspace(wgan.thetas.min(), wgan.thetas.max(), 401)
    left.plot(t, np.abs(t), color="C0", lw=1, label=r"exact $W_1 = |\theta|$")
    left.plot(t, np.where(t == 0, 0.0, np.log(2)), color="C3", lw=1, label=r"exact JS $= \ln 2$ off 0")
    left.plot(wgan.thetas, wgan.estimate[-1], "o", color="C0", label="WGAN-GP critic's estimate")
    left.plot(gan.thetas, gan.estimate[-1], "s", color="C3", mfc="none", label="GAN discriminator's estimate")
    left.set(xlabel=r"$\theta$", title="divergence estimates of trained critics")
    left.legend(fontsize="small")
    mid.plot(t, np.sign(t), color="C0", lw=1, label=r"exact $dW_1/d\theta = \mathrm{sign}\,\theta$")
    mid.plot(wgan.thetas, wgan.grad[-1], "o", color="C0", label="WGAN-GP generator gradient")
    mid.plot(gan.thetas, gan.grad[-1], "s", color="C3", mfc="none", label="GAN (minimax) generator gradient")
    mid.axhline(0, color="C3", lw=1, ls=":", label=r"exact $dJS/d\theta = 0$")
    mid.set(xlabel=r"$\theta$", ylim=(-2, 2), title=f"theta-gradients after {wgan.steps[-1]} / {gan.steps[-1]} updates")
    mid.legend(fontsize="small")
    off = gan.thetas != 0
    right.loglog(gan.steps, np.median(np.abs(gan.grad[:, off]), axis=1), "s-", color="C3", label="GAN (minimax)")
    right.loglog(wgan.steps, np.median(np.abs(wgan.grad[:, off]), axis=1), "o-", color="C0", label="WGAN-GP")
    right.set(
        xlabel="critic updates", ylabel=r"median over $\theta \neq 0$ of |gradient|", title="gradient vs training"
    )
    right.legend(fontsize="small")
    _save(fig, path)


def plot_d_vs_dstar(path, cases):
    """One panel per case: the densities, the trained D and D* = p / (p + q).

    ``cases`` is a list of ``(title, real, fake, critic, d_star, x)``.
    """
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(cases), figsize=(6 * len(cases), 4), squeeze=False)
    for ax, (title, real, fake, critic, d_star, x) in zip(axes[0], cases):
        scale = 0.9 / max(real.pdf(x).max(), fake.pdf(x).max())
        ax.fill_between(x, scale * real.pdf(x), color="C0", alpha=0.2, label="real p (scaled)")
        ax.fill_between(x, scale * fake.pdf(x), color="C3", alpha=0.2, label="fake q (scaled)")
        ax.plot(x, d_star, color="k", lw=2, label=r"$D^* = p / (p + q)$")
        ax.plot(x, critic(x), color="C2", ls="--", lw=2, label="trained D")
        ax.set(xlabel="x", ylim=(-0.02, 1.02), title=title)
        ax.legend(fontsize="small")
    _save(fig, path)


def plot_wgan_vs_gan(path, real, fake, gan, wgan, x):
    """Figure 2 of the WGAN paper: the saturated GAN discriminator against the linear WGAN critic."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    scale = 0.9 / max(real.pdf(x).max(), fake.pdf(x).max())
    ax.fill_between(x, scale * real.pdf(x), color="C0", alpha=0.2, label="real (scaled density)")
    ax.fill_between(x, scale * fake.pdf(x), color="C3", alpha=0.2, label="fake (scaled density)")
    ax.plot(x, gan(x), color="C3", lw=2, label="GAN discriminator D(x)")
    ax.set(xlabel="x", ylabel="D(x)", ylim=(-0.05, 1.05))
    twin = ax.twinx()
    twin.plot(x, wgan(x), color="C0", lw=2, label="WGAN-GP critic f(x)")
    twin.set_ylabel("f(x)")
    lines = ax.get_legend_handles_labels()
    more = twin.get_legend_handles_labels()
    ax.legend(lines[0] + more[0], lines[1] + more[1], fontsize="small", loc="center left")
    ax.set_title("the GAN discriminator saturates (flat at the fakes); the WGAN critic stays linear")
    _save(fig, path)


def plot_parallel_lines(path, runs):
    """theta over generator steps (left) and the generator's gradient norm (right), per loss."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.2))
    for loss, run in runs.items():
        h = run.history
        steps = np.concatenate([[0], h["step"]])
        left.plot(steps, np.concatenate([[run.config.generator.theta], h["theta"]]), color=COLORS[loss], label=loss)
        norm = _smooth(h["g_grad_norm"])
        right.semilogy(h["step"][len(h["step"]) - len(norm) :], norm, color=COLORS[loss], label=loss)
    left.axhline(0, color="0.6", lw=1, ls="--")
    left.set(xlabel="generator step", ylabel=r"$\theta$", title=r"$\theta$ (the real line is at $\theta = 0$)")
    left.legend(fontsize="small")
    right.set(xlabel="generator step", title=r"|d(generator loss)/d$\theta$| (smoothed over 10 steps)")
    right.legend(fontsize="small")
    _save(fig, path)


def _smooth(x, width=10):
    width = max(1, min(width, len(x)))
    return np.convolve(x, np.ones(width) / width, mode="valid") if len(x) >= width else x


def plot_mode_collapse(path, cells, all_targets):
    """Generator samples of the first seed, one panel per (target, loss), over the target's modes."""
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(c.target for c in cells))
    losses = list(dict.fromkeys(c.loss for c in cells))
    fig, axes = plt.subplots(len(names), len(losses), figsize=(3 * len(losses), 3 * len(names)), squeeze=False)
    for c in cells:
        ax = axes[names.index(c.target), losses.index(c.loss)]
        target, x = all_targets[c.target], c.samples[0]
        if target.dim == 1:
            grid = np.linspace(-6, 6, 400)
            ax.fill_between(grid, target.pdf(grid), color="0.85")
            ax.hist(x, bins=np.linspace(-6, 6, 121), density=True, color=COLORS[c.loss], alpha=0.7)
            ax.set(yticks=[], xlim=(-6, 6))
        else:
            lim = np.abs(target.means).max() + 1.5
            ax.scatter(*np.asarray(target.means).T, marker="x", color="k", s=25, linewidths=1)
            ax.scatter(*x.T, s=1, color=COLORS[c.loss], alpha=0.3)
            ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xticks=[], yticks=[], aspect="equal")
        ax.set_title(f"{c.loss} on {c.target}: {int(c.modes[0])}/{c.n_modes} modes", fontsize="small")
    _save(fig, path)
