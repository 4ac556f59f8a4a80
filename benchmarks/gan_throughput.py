"""Benchmark: gan1d's training step against a plain PyTorch loop, and N seeds against one.

(a) **gan1d vs a plain loop.** WGAN-GP on ``toys.ring()`` in the classic toy setting of the
WGAN-GP code release (``gan_toy.py``): generator and critic of 3 hidden layers of 512 ReLU units,
batch 256, 5 critic steps per generator step, Adam(1e-4, betas (0.5, 0.9)), penalty weight 10.
The plain loop is written below as a reader would write it (``nn.Sequential`` of ``nn.Linear``,
one ``torch.optim.Adam`` per network, fresh target samples every critic step); gan1d is its
:class:`gan1d.training.trainer.Trainer` (an ensemble of one) stepped by ``critic_step``/``generator_step``
plus the per-step record that :meth:`Trainer.fit` keeps, so evaluation against the target (which
``fit`` runs every ``eval_every`` steps) is excluded from both. Both run in this process, after a
warm-up, in interleaved blocks of generator steps; the figure is the median over blocks.
Read: **ratio = gan1d steps/s / plain steps/s**; 1.00 means as fast, above 1 faster.

(b) **N seeds at once.** :func:`gan1d.train_many` advances N seeds with one batched step. The
table gives the time of one generator step (same interleaved-median protocol) for 1 and for 8
seeds, and their ratio, for

* ``demo``: the networks, batch and losses of the mode-collapse demonstration setting
  (:data:`gan1d.lecture.mode_collapse.SETTING`, with the ring's per-target values); goal: 8 seeds in at
  most 3x the time of one;
* ``3x512``: the setting of (a), where the batched matmuls are bound by arithmetic, so the ratio
  approaches 8.

Below the table, end to end: one ring cell of :func:`gan1d.lecture.mode_collapse.mode_collapse_table`
with its full number of steps, for 1 and for 8 seeds: the training time (``train_many``, with
its two cheap evaluations) and the time with the scoring (in 2-D, one exact-transport W1 of
2,500 points per seed, about 0.3 s each, which no batching removes).

Timings on a shared machine are noisy: run on a quiet one. ``--threads`` sets torch's intra-op
threads (default: torch's own choice, the number of cores).

    python benchmarks/gan_throughput.py            # about 2 minutes on 2 cores
    python benchmarks/gan_throughput.py --quick    # smoke run, well under a minute
"""

import argparse
import statistics
import time

import numpy as np
import torch
from torch import nn

import gan1d
import toys
from gan1d import Trainer
from gan1d.lecture.mode_collapse import mode_collapse_table, setting_for

BATCH, N_CRITIC, LR, BETAS, GP_WEIGHT, WIDTH, DEPTH = 256, 5, 1e-4, (0.5, 0.9), 10.0, 512, 3


# -- (a) the plain loop -----------------------------------------------------------------------
def mlp(d_in, d_out, width=WIDTH, depth=DEPTH):
    layers, d = [], d_in
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.ReLU()]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, d_out))


class PlainWGANGP:
    """WGAN-GP written out: one generator, one critic, two Adams; ``step()`` is one generator step."""

    def __init__(self, target, seed=0, latent_dim=2):
        torch.manual_seed(seed)
        self.target, self.rng, self.latent_dim = target, np.random.default_rng(seed), latent_dim
        self.G, self.D = mlp(latent_dim, target.dim), mlp(target.dim, 1)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=LR, betas=BETAS)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=LR, betas=BETAS)

    def step(self):
        for _ in range(N_CRITIC):
            real = torch.as_tensor(self.target.sample(BATCH, self.rng), dtype=torch.float32)  # (batch, 2)
            with torch.no_grad():
                fake = self.G(torch.randn(BATCH, self.latent_dim))  # (batch, 2)
            eps = torch.rand(BATCH, 1)
            x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
            (grad,) = torch.autograd.grad(self.D(x_hat).sum(), x_hat, create_graph=True)  # (batch, 2)
            penalty = ((grad.norm(dim=1) - 1) ** 2).mean()
            d_loss = self.D(fake).mean() - self.D(real).mean() + GP_WEIGHT * penalty
            self.opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            self.opt_d.step()
        self.D.requires_grad_(False)
        g_loss = -self.D(self.G(torch.randn(BATCH, self.latent_dim))).mean()
        self.D.requires_grad_(True)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        self.opt_g.step()
        return d_loss.item(), g_loss.item()  # what a plain loop logs


# -- gan1d, stepped as Trainer.fit steps it, without evaluation ---------------------------------
class Gan1dSteps:
    def __init__(self, target, seeds, **options):
        options = {"loss": "wgan-gp", "batch_size": BATCH, "progress": False, **options}
        self.trainer = Trainer(target, seeds, gan1d.TrainConfig.from_options(**options))

    def step(self):
        t = self.trainer
        for _ in range(t.config.n_critic):
            d_loss, estimate = t.critic_step()
        g_loss, g_norm = t.generator_step()
        return torch.stack([d_loss, g_loss, g_norm, estimate]).cpu().numpy()  # (4, N): fit's record


def interleaved_median(contenders, steps, blocks, warmup):
    """Seconds per step of each contender: median over ``blocks`` interleaved blocks of ``steps``."""
    for c in contenders:
        for _ in range(warmup):
            c.step()
    times = [[] for _ in contenders]
    for b in range(blocks):
        order = range(len(contenders)) if b % 2 == 0 else reversed(range(len(contenders)))
        for i in order:
            t0 = time.perf_counter()
            for _ in range(steps):
                contenders[i].step()
            times[i].append((time.perf_counter() - t0) / steps)
    return [statistics.median(t) for t in times]


def gan1d_vs_plain(steps, blocks):
    ring = toys.ring()
    spec = gan1d.MLP(width=WIDTH, depth=DEPTH)
    plain = PlainWGANGP(ring)
    ours = Gan1dSteps(ring, [0], generator=spec, discriminator=spec, lr_d=LR, lr_g=LR, betas=BETAS)
    t_plain, t_ours = interleaved_median([plain, ours], steps, blocks, warmup=2)
    print(f"(a) WGAN-GP on toys.ring(), G and D 3x{WIDTH} ReLU, batch {BATCH}, {N_CRITIC} critic steps")
    print(f"    median of {blocks} interleaved blocks of {steps} generator steps")
    print(f"    plain loop: {1 / t_plain:7.2f} generator steps/s ({1e3 * t_plain:8.1f} ms/step)")
    print(f"    gan1d:      {1 / t_ours:7.2f} generator steps/s ({1e3 * t_ours:8.1f} ms/step)")
    print(f"    ratio gan1d / plain (steps/s): {t_plain / t_ours:.2f}  (goal: >= 1)")


# -- (b) N seeds at once -----------------------------------------------------------------------
def seeds_table(rows, n_seeds, blocks):
    print(f"\n(b) time per generator step, 1 seed vs {n_seeds} seeds (train_many's batched step)")
    print(f"    {'setting':8} {'loss':8} {'networks':>14} {'batch':>6} {'1 seed ms':>10} "
          f"{f'{n_seeds} seeds ms':>11} {'ratio':>6}")  # fmt: skip
    for label, loss, options, steps in rows:
        one = Gan1dSteps(toys.ring(), [0], loss=loss, **options)
        many = Gan1dSteps(toys.ring(), list(range(n_seeds)), loss=loss, **options)
        t1, tn = interleaved_median([one, many], steps, blocks, warmup=3)
        g = options["generator"]
        print(f"    {label:8} {loss:8} {f'{g.depth}x{g.width}':>14} {options['batch_size']:>6} {1e3 * t1:10.2f} "
              f"{1e3 * tn:11.2f} {tn / t1:6.2f}")  # fmt: skip


def demo_options(loss):
    s = setting_for(loss, "ring")
    return {k: v for k, v in s.items() if k != "steps"}, s["steps"]


def end_to_end(losses, n_seeds, steps=None):
    """One ring cell of the mode-collapse table, as the lecture runs it, for 1 and for N seeds."""
    overrides = {"steps": steps} if steps else {}
    print(
        "\n    end to end: one ring cell of gan1d.lecture.mode_collapse.mode_collapse_table (train_many, then scoring)"
    )
    for loss in losses:
        line = []
        for seeds in (range(1), range(n_seeds)):
            t0 = time.perf_counter()
            (cell,) = mode_collapse_table([loss], ["ring"], seeds=seeds, **overrides)
            line.append((cell.seconds, time.perf_counter() - t0))
        n = setting_for(loss, "ring", **overrides)["steps"]
        print(f"    {loss:8} {n} steps: training 1 seed {line[0][0]:5.1f} s, {n_seeds} seeds {line[1][0]:5.1f} s "
              f"(ratio {line[1][0] / line[0][0]:.2f}); with scoring {line[0][1]:5.1f} s, {line[1][1]:5.1f} s "
              f"(ratio {line[1][1] / line[0][1]:.2f})")  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: few, short blocks")
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads (default: torch's)")
    parser.add_argument("--seeds", type=int, default=8, help="ensemble size for (b) (default 8)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")

    steps, blocks = (1, 3) if args.quick else (4, 7)
    gan1d_vs_plain(steps, blocks)

    big = gan1d.MLP(width=WIDTH, depth=DEPTH)
    rows = [("demo", loss, demo_options(loss)[0], 5 if args.quick else 50) for loss in ("gan", "wgan-gp")]
    rows.append(("3x512", "wgan-gp", {"generator": big, "discriminator": big, "batch_size": BATCH}, steps))
    seeds_table(rows, args.seeds, blocks)
    end_to_end(("gan", "wgan-gp"), args.seeds, steps=20 if args.quick else None)


if __name__ == "__main__":
    main()
