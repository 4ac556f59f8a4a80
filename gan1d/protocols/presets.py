"""The published mode-collapse protocols, as presets: targets, networks, optimisers, lengths, metrics, tables.

Each :class:`Protocol` holds what its paper's experiment on the ring and the grid of Gaussians
fixes, read from the paper's table and its public code (the sources are in each preset's
``source`` and ``notes``), and the paper's numbers for the rows the toolkit can train
(:class:`Method`). What the sources leave open, or what the toolkit does differently, is said in
``notes``: a reproduction is only as exact as its protocol.

References
----------
.. [1] Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative
   adversarial networks", NeurIPS 2018, Sec. 3 and Table 1; code: the synthetic experiments of
   github.com/fjxmlzn/PacGAN, built on those of ALI (V. Dumoulin et al., ICLR 2017).
.. [2] A. Srivastava, L. Valkov, C. Russell, M. U. Gutmann, C. Sutton, "VEEGAN: Reducing mode
   collapse in GANs using implicit variational learning", NeurIPS 2017, Sec. 5.1 and Table 1;
   code: github.com/akashgit/VEEGAN.
.. [3] L. Metz, B. Poole, D. Pfau, J. Sohl-Dickstein, "Unrolled generative adversarial networks",
   ICLR 2017; code: github.com/poolio/unrolled_gan.
"""

import math
from dataclasses import dataclass, field

import toys

from ..training.generators import MLP

__all__ = ["DEMONSTRATION", "PACGAN", "PROTOCOLS", "VEEGAN", "Method", "Protocol", "Published", "Target"]


@dataclass(frozen=True)
class Target:
    """A target of a protocol: the ring (``kind="ring"``: ``size`` modes on a circle of radius ``scale``)
    or the grid (``kind="grid"``: ``size`` x ``size`` modes ``scale`` apart), components of std ``std``."""

    name: str
    kind: str
    size: int
    scale: float
    std: float

    def build(self):
        """The ``toys.GaussianMixture``."""
        if self.kind == "ring":
            return toys.ring(n_modes=self.size, radius=self.scale, std=self.std)
        return toys.grid(n_per_side=self.size, spacing=self.scale, std=self.std)

    @property
    def n_modes(self):
        return self.size if self.kind == "ring" else self.size**2


@dataclass(frozen=True)
class Published:
    """A published row on one target: modes captured, high-quality fraction, reverse KL (each mean and its
    error, None where the paper gives none)."""

    modes: float
    high_quality: float  # a fraction in [0, 1]
    reverse_kl: float | None = None
    modes_err: float | None = None
    high_quality_err: float | None = None
    reverse_kl_err: float | None = None


@dataclass(frozen=True)
class Method:
    """A row of a protocol's table: its name, the trainer's options that make it (e.g. ``{"pack": 2}``), and
    the paper's numbers by target name."""

    name: str
    options: dict = field(default_factory=dict)
    published: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Protocol:
    """A published experiment: targets, training options, length, trials and metric, and its rows.

    ``training`` holds :class:`gan1d.TrainConfig` fields common to every row; ``steps`` is the
    paper's training length in generator steps; ``trials`` the runs per row; ``error`` what the
    paper's ± means (None: the paper gives no error); ``n_samples`` and ``n_std`` the metric
    (:func:`gan1d.mode_coverage` on that many samples, high quality within that many standard
    deviations); ``eval_seed`` seeds the latent noise of the scored samples (the same for every
    run and every checkpoint, as PacGAN's code does).
    """

    name: str
    title: str
    source: str
    targets: tuple
    methods: tuple
    training: dict
    steps: int
    trials: int
    error: str | None
    notes: tuple = ()
    n_samples: int = 2500
    n_std: float = 3.0
    eval_seed: int = 2333

    def target(self, name):
        """The target called ``name``."""
        for t in self.targets:
            if t.name == name:
                return t
        raise ValueError(f"{self.name} has no target {name!r}; its targets are {[t.name for t in self.targets]}")

    def method(self, name):
        """The row called ``name``."""
        for m in self.methods:
            if m.name == name:
                return m
        raise ValueError(f"{self.name} has no row {name!r}; its rows are {[m.name for m in self.methods]}")

    def options(self, method):
        """The trainer's options of a row: ``training``, then the row's own."""
        return {**self.training, **self.method(method).options}


RING = Target("ring", "ring", 8, 1.0, 0.01)
GRID = Target("grid", "grid", 5, 2.0, 0.05)

#: PacGAN's Table 1 (Lin et al. 2018) on the ring and the grid, 10 trials, ± standard error.
PACGAN = Protocol(
    name="pacgan",
    title="PacGAN (Lin et al. 2018), Table 1",
    source="Lin, Khetan, Fanti, Oh, NeurIPS 2018, Table 1 and Sec. 3; the synthetic experiments of their code "
    "(github.com/fjxmlzn/PacGAN), which are ALI's 2-D mixture experiments run for 400 epochs",
    targets=(RING, GRID),
    methods=(
        Method(
            "GAN",
            {"pack": 1},
            {
                "ring": Published(6.3, 0.982, 0.45, 0.5, 0.002, 0.09),
                "grid": Published(17.3, 0.948, 0.70, 0.8, 0.007, 0.07),
            },
        ),
        Method(
            "PacGAN2",
            {"pack": 2},
            {
                "ring": Published(7.9, 0.956, 0.07, 0.1, 0.020, 0.03),
                "grid": Published(23.8, 0.913, 0.13, 0.7, 0.008, 0.04),
            },
        ),
        Method(
            "PacGAN3",
            {"pack": 3},
            {
                "ring": Published(7.8, 0.977, 0.10, 0.1, 0.003, 0.02),
                "grid": Published(24.6, 0.942, 0.06, 0.4, 0.004, 0.02),
            },
        ),
        Method(
            "PacGAN4",
            {"pack": 4},
            {
                "ring": Published(7.8, 0.959, 0.07, 0.1, 0.014, 0.02),
                "grid": Published(24.8, 0.936, 0.04, 0.2, 0.006, 0.01),
            },
        ),
    ),
    training={
        "loss": "nsgan",  # D: cross-entropy on logits; G: -log D(G(z)) (their code's losses)
        "generator": MLP(width=400, depth=4, latent_dim=2, batch_norm=True, init="normal"),  # z ~ N(0, I_2)
        "discriminator": MLP(width=200, depth=3, maxout=5, init="normal"),  # input 2m with pack = m; widths kept
        "optimizer": "adam",
        "lr_d": 1e-4,
        "lr_g": 1e-4,
        "betas": (0.8, 0.999),  # their framework's beta1 = 0.8, read as Adam's beta1 (see notes)
        "batch_size": 100,  # packs per batch
        "updates": "simultaneous",  # one update of both networks from one batch, ALI's algorithm
        "n_critic": 1,
    },
    steps=400_000,  # 400 epochs of 1,000 batches of 100
    trials=10,
    error="standard error",
    notes=(
        "the paper trains on a fixed set of 100,000 target points resampled into batches; here every batch is "
        "drawn fresh from the mixture",
        "Adam's beta1 = 0.8 is the code's setting in its framework (Blocks), which redefined the parameter in "
        "January 2017: 0.8 under the later convention (taken here), 0.2 under the earlier one",
        "the generator's batch normalisation uses torch's momentum 0.1 (the code: 0.05) for its running "
        "statistics, which score the samples in evaluation mode as the code does",
        "high quality is within 3 standard deviations inclusive here, strictly within in the code (no sample "
        "lies exactly on the boundary)",
        "reverse KL is KL(histogram of the high-quality samples over the modes || uniform), in nats: the "
        "released code does not compute it and the paper's definition is not quoted here; this reading gives "
        "finite values with missing modes, as the table has",
        "the table's checkpoint is taken as the end of training (the code logs every epoch)",
    ),
)

#: VEEGAN's Table 1 (Srivastava et al. 2017): the GAN and unrolled-GAN rows, 5 runs, no error given.
VEEGAN = Protocol(
    name="veegan",
    title="VEEGAN (Srivastava et al. 2017), Table 1",
    source="Srivastava, Valkov, Russell, Gutmann, Sutton, NeurIPS 2017, Sec. 5.1 and Table 1; the 2-D notebook "
    "of their code (github.com/akashgit/VEEGAN)",
    targets=(RING, GRID),
    methods=(
        Method("GAN", {}, {"ring": Published(1.0, 0.993), "grid": Published(3.3, 0.005)}),
        Method("Unrolled GAN", {"unroll": 5}, {"ring": Published(7.6, 0.356), "grid": Published(23.6, 0.16)}),
    ),
    training={
        "loss": "nsgan",
        "generator": MLP(width=128, depth=2, latent_dim=254),  # the VEEGAN notebook's generator, 254-d noise
        "discriminator": MLP(width=128, depth=1),  # its discriminator's single hidden layer, on x alone
        "optimizer": "adam",
        "lr_d": 1e-3,
        "lr_g": 1e-3,
        "betas": (0.5, 0.999),
        "batch_size": 500,
        "n_critic": 1,
    },
    steps=100_000,  # 100 epochs of 1,000 batches
    trials=5,
    error=None,
    notes=(
        "the baselines' networks are not given in the sources read; these are the VEEGAN notebook's generator "
        "(two ReLU layers of 128 on 254-d Gaussian noise) and its discriminator's single hidden layer of 128, "
        "applied to x alone (VEEGAN's own discriminator also sees the noise)",
        "the GAN baseline's loss is not given; the non-saturating one is used",
        "the ring's radius and width are not given in the sources read; those of PacGAN, which states that it "
        "follows VEEGAN's setup, are used (radius 1, std 0.01)",
        "the unrolled GAN unrolls 5 steps (VEEGAN's Sec. 5.1, after the unrolled GAN's code), through the "
        "critic's own Adam updates and differentiated, as that code does; here the generator and the critic "
        "update in turn, the critic first (in the VEEGAN notebook the two updates run in one call)",
        "the paper averages 5 runs and gives no error; agreement is judged on this reproduction's standard error",
    ),
)

#: The lecture's demonstration setting (gan1d.lecture.mode_collapse), as a protocol of its own.
DEMONSTRATION = Protocol(
    name="demonstration",
    title="the lecture's demonstration setting",
    source="this toolkit (the lecture's mode-collapse table): small networks, a discriminator 10x faster than "
    "the generator",
    targets=(Target("ring", "ring", 8, 2.0, 0.02), Target("grid", "grid", 5, 2.0, 0.05)),
    methods=(Method("GAN", {"loss": "nsgan"}), Method("WGAN-GP", {"loss": "wgan-gp"})),
    training={
        "loss": "nsgan",
        "generator": MLP(width=32, depth=3, latent_dim=2),
        "discriminator": MLP(width=32, depth=3),
        "lr_d": 2e-3,
        "lr_g": 2e-4,
        "batch_size": 256,
    },
    steps=2500,
    trials=8,
    error="standard error",
)

#: The protocols by name.
PROTOCOLS = {p.name: p for p in (PACGAN, VEEGAN, DEMONSTRATION)}


def full_length_hours(protocol, seconds_per_step):
    """The wall time of one row on one target at the paper's full length, in hours, at the measured pace."""
    return protocol.steps * seconds_per_step / 3600.0 if math.isfinite(seconds_per_step) else math.nan
