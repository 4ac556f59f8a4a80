"""The sizes of the lecture's experiments: :data:`FULL` for the lecture, :data:`QUICK` for CI."""

import dataclasses
from dataclasses import dataclass

import toys

from ..training.generators import MLP

__all__ = ["FULL", "LEAKY", "QUICK", "RING_NET", "SMALL_LEAKY", "TWO_MODES", "Setting"]

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])
LEAKY = MLP(width=64, depth=2, activation="leaky_relu")
SMALL_LEAKY = MLP(width=32, depth=2, activation="leaky_relu")
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
    # Part 4: the ring of 8 Gaussians, filmed (gan1d.lecture.ring).
    ring_steps: int = 800  # generator steps; lr 1e-3 for both networks (10x the defaults) to be quick
    ring_frames: int = 16  # frames after step 0
    ring_net: MLP = RING_NET  # generator and critic
    # Part 5: the parallel-lines generator, critic pretrained (see PARALLEL).
    parallel_steps: int = 300  # generator steps
    parallel_pretrain: int = 1000  # critic updates before the first generator step
    # Part 9: the mode-collapse table (gan1d.lecture.mode_collapse).
    collapse_steps: int | None = None  # None: mode_collapse.SETTING's
    collapse_seeds: int = 8  # seeds per (loss, target) cell
    collapse_samples: int = 2500  # generator samples scored per seed (2,500 as in VEEGAN/PacGAN)
    # Parts 6 and 7: the f-GANs (gan1d.lecture.fgan); critics as in part 2 (sweep_critic, sweep_lr, n_eval).
    fgan_checkpoints: tuple = (10, 30, 100, 300)  # critic updates at which the bounds are measured
    fit_steps: int = 1500  # generator steps of the Gaussian fits
    fit_critic: MLP = SMALL_LEAKY
    fit_lr_d: float = 2e-3  # Adam; a critic 10x faster than the f-GAN default keeps up with the generator
    fit_lr_g: float = 1e-2  # Adam on (mu, sigma): about 0.01 per step, so the fits can cross the 2 units
    fit_n_critic: int = 3  # critic updates per generator update: reverse KL and Neyman reach their mode with 3,
    #                        not with 2 (their critics must follow a log-ratio that falls steeply between modes)
    fit_pretrain: int = 200  # critic updates before the first generator step


FULL = Setting()
QUICK = dataclasses.replace(
    FULL,
    thetas=(-1.0, -0.5, -0.05, 0.0, 0.05, 0.5, 1.0),
    wgan_checkpoints=(10, 30, 150),
    gan_checkpoints=(10, 30, 100, 300),
    n_eval=2048,
    critic_steps=400,
    ring_steps=150,
    ring_frames=6,
    parallel_steps=100,
    parallel_pretrain=300,
    collapse_steps=60,
    collapse_seeds=2,
    collapse_samples=500,
    fgan_checkpoints=(10, 30, 100),
    fit_steps=100,
    fit_pretrain=50,
)
