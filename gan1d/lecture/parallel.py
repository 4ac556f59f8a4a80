"""Part 5 of the lecture: the parallel-lines generator trained with each loss, critic pretrained.

Facing a near-optimal discriminator, the minimax GAN's generator gets almost no gradient while
WGAN-GP's is close to the exact :math:`dW_1/d\theta = 1` (Arjovsky and Bottou, ICLR 2017;
Arjovsky, Chintala and Bottou, ICML 2017, Example 1).
"""

import numpy as np

import toys

from ..training.generators import MLP, ParallelLines
from ..training.trainer import train
from . import plots

__all__ = ["PARALLEL", "parallel_lines"]

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


# -- 5. The parallel-lines generator -----------------------------------------------------------
def parallel_lines(out, s, seed):
    target, runs = toys.ShiftedLine(0.0), {}
    for loss, opts in PARALLEL.items():
        runs[loss] = train(target, loss, s.parallel_steps, seed, generator=ParallelLines(1.0),
                           discriminator=MLP(width=32, depth=2, activation="leaky_relu"), n_critic=5, batch_size=128,
                           eval_every=max(1, s.parallel_steps // 10), pretrain_critic=s.parallel_pretrain,
                           **opts)  # fmt: skip
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
