"""Parts 2 and 3 of the lecture: trained critics and discriminators against the closed forms.

Part 2 trains a critic per theta on the parallel lines (Figure 1 of the WGAN paper [1]_, with
networks); part 3 a discriminator against :math:`D^* = p/(p+q)` [2]_, and the saturated GAN
discriminator against the WGAN-GP critic (Figure 2 of [1]_).

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
"""

import numpy as np

import divergences
import toys

from ..analysis import critic_sweep, gp_optimum_lines, input_gradients, optimal_discriminator, train_critic
from . import plots
from .settings import LEAKY, TWO_MODES

__all__ = ["critic_sweeps", "d_vs_dstar"]


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
