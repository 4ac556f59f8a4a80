"""The settings of a training run: one dataclass, every field with its meaning and its source.

Fields left at ``None`` take the default of the chosen loss (:data:`gan1d.training.losses.LOSSES`):

=========  ==========  ========  ============  ========  =====  =========
loss       optimizer   lr        betas         n_critic  clip   gp_weight
=========  ==========  ========  ============  ========  =====  =========
gan        adam        2e-4      (0.5, 0.999)  1         --     --
nsgan      adam        2e-4      (0.5, 0.999)  1         --     --
wgan       rmsprop     5e-5      --            5         0.01   --
wgan-gp    adam        1e-4      (0.5, 0.9)    5         --     10
f-gan      adam        2e-4      (0.5, 0.999)  1         --     --
lsgan      adam        2e-4      (0.5, 0.999)  1         --     --
=========  ==========  ========  ============  ========  =====  =========

``f-gan`` also needs ``f``, the name of its generator (:data:`divergences.generators.GENERATORS`);
no other loss takes one.

One deliberate departure from the papers: on 1-D targets, ``wgan-gp`` uses the one-sided
penalty of Petzka et al. (2018) unless ``one_sided=False`` is passed, because the two-sided
penalty locks a 1-D critic in the sign of its initial slope (measured: 6 of 6 seeds of an MLP
generator on a two-mode mixture ended farther from the target than they started, 0 of 6 with
the one-sided penalty). See :func:`gan1d.training.losses.gradient_penalty`.

The regularisers that make GANs converge (``gan1d.training.regularisers``) apply to any loss; their
defaults switch them off, and then training is exactly what it was without them (same seed, same
history, bit for bit):

=========================  =============  ==================================================  ========================
field                      default        what it does                                        source
=========================  =============  ==================================================  ========================
``r1``                     0              critic loss + (γ/2) E_P ‖∇ₓD(x)‖², D the critic's   Mescheder, Geiger,
                                          raw output (the logit for GANs)                     Nowozin 2018
``r2``                     0              the same on the generated samples                   same
``instance_noise``         0              N(0, σ² I) added to the real and the fake           Sønderby et al. 2017;
                                          samples in the critic's and the generator's steps   Arjovsky and Bottou 2017
``instance_noise_anneal``  None           σ decays linearly to 0 over this many generator     Sønderby et al. 2017
                                          steps (None: constant)                              (annealing)
``updates``                "alternating"  ``"simultaneous"``: both players' gradients at the  Mescheder, Nowozin,
                                          same point, then both steps (needs ``n_critic=1``)  Geiger 2017
``consensus``              0              both players follow v - γ∇‖v‖²/2 (needs             same
                                          ``updates="simultaneous"``)
``spectral_norm``          False          every critic layer's weight divided by its largest  Miyato et al. 2018
                                          singular value (power iteration)
=========================  =============  ==================================================  ========================

With a point mass as data, a point-mass generator and a linear critic these are the regularisers
of the Dirac-GAN of ``divergences.games`` (the tests check plain SGD against
``divergences.games.simultaneous_gd`` / ``alternating_gd`` to rounding).
"""

import dataclasses
from dataclasses import dataclass, field

import torch

from toys import validation

from .generators import MLP, LocationScale, ParallelLines
from .losses import get_loss
from .regularisers import spectral_norm
from .remedies import MinibatchStdCritic

__all__ = ["TrainConfig", "member_configs"]

OPTIMIZERS = ("adam", "rmsprop", "sgd")
UPDATES = ("alternating", "simultaneous")


@dataclass(frozen=True)
class TrainConfig:
    """Settings of :func:`gan1d.train`; every keyword of ``train`` beyond the first few is a field here."""

    loss: str = "wgan-gp"  # "gan", "nsgan", "wgan", "wgan-gp", "f-gan" or "lsgan" (gan1d.training.losses)
    steps: int = 1000  # generator steps
    batch_size: int = 256  # samples per batch, real and fake; 256 as in the WGAN-GP toy script
    generator: object = field(default_factory=MLP)  # MLP(), ParallelLines(theta) or LocationScale(mu, sigma)
    discriminator: MLP = field(default_factory=MLP)  # discriminator/critic network
    n_critic: int | None = None  # critic steps per generator step (1 for GANs, 5 for WGANs: the papers)
    optimizer: str | None = None  # "adam" | "rmsprop" | "sgd"; per loss (see the module table)
    lr_d: float | None = None  # critic learning rate; per loss
    lr_g: float | None = None  # generator learning rate; per loss
    betas: tuple | None = None  # Adam betas; per loss
    clip: float | None = None  # weight clipping bound; set by wgan (0.01, Arjovsky et al.), applied to any loss if set
    gp_weight: float | None = None  # penalty weight lambda; set by wgan-gp (10, Gulrajani et al.), any loss if set
    one_sided: bool | None = None  # penalise only ||grad f|| > 1 (Petzka et al. 2018); None: for 1-D targets only
    eval_every: int = 100  # steps between evaluations of the generator against the target
    eval_samples: int = 2500  # generator samples per evaluation (2,500 as in VEEGAN/PacGAN)
    pretrain_critic: int = 0  # critic updates before the first generator step: a critic near its optimum from the
    #                           start, the regime analysed by Arjovsky and Bottou (ICLR 2017); 0 as in the papers
    device: str = "cpu"  # "cpu" or "cuda" (only when torch.cuda.is_available())
    progress: bool | None = None  # tqdm bar; None: only when stderr is a terminal
    f: str | None = None  # f-gan's generator, a name of divergences.generators.GENERATORS ("kl", "js", ...);
    #                       required with loss="f-gan", refused with any other loss (Nowozin et al. 2016, Table 1)
    # The regularisers that make GANs converge (gan1d.training.regularisers); the defaults switch them off.
    r1: float = 0.0  # gamma of R1, (gamma/2) E_P |grad_x D|^2 on real data (Mescheder, Geiger, Nowozin, ICML 2018)
    r2: float = 0.0  # gamma of R2, the same on generated samples (Mescheder, Geiger, Nowozin, ICML 2018)
    instance_noise: float = 0.0  # sigma of N(0, sigma^2 I) added to real and fake samples for both players
    #                              (Sønderby et al., ICLR 2017; Arjovsky and Bottou, ICLR 2017)
    instance_noise_anneal: int | None = None  # generator steps over which sigma decays linearly to 0; None: constant
    #                                           (Sønderby et al. 2017 anneal it; the linear schedule is this project's)
    updates: str = "alternating"  # "alternating" (critic steps, then the generator's) or "simultaneous" (both
    #                               gradients at one point, then both steps; Mescheder, Nowozin, Geiger 2017)
    consensus: float = 0.0  # gamma of consensus optimisation, v - gamma grad |v|^2/2 (Mescheder, Nowozin, Geiger,
    #                         NeurIPS 2017); needs updates="simultaneous"
    spectral_norm: bool = False  # divide every critic layer's weight by its spectral norm (Miyato et al., ICLR 2018)
    # Remedies for mode collapse (gan1d.training.remedies); the defaults switch them off.
    pack: int = 1  # PacGAN's degree m: the critic scores m samples concatenated, real with real, fake with fake
    #                (Lin et al., NeurIPS 2018); a batch holds batch_size packs, m x batch_size samples per side
    unroll: int = 0  # look-ahead critic steps that the generator's loss differentiates through (Metz et al., ICLR 2017)
    minibatch_std: bool = False  # the critic's last layer also sees the batch's mean standard deviation of its
    #                              features (Karras et al., ICLR 2018, Sec. 3)

    def __post_init__(self):
        loss = get_loss(self.loss, self.f)
        for name in ("steps", "batch_size", "eval_every", "eval_samples"):
            validation.positive_int(name, getattr(self, name))
        validation.count("pretrain_critic", self.pretrain_critic)
        if not isinstance(self.generator, MLP | ParallelLines | LocationScale):
            raise TypeError(
                f"generator must be gan1d.MLP, gan1d.ParallelLines or gan1d.LocationScale, got {self.generator!r}"
            )
        if not isinstance(self.discriminator, MLP):
            raise TypeError(f"discriminator must be a gan1d.MLP, got {self.discriminator!r}")
        if self.device not in ("cpu", "cuda"):
            raise ValueError(f"device must be 'cpu' or 'cuda', got {self.device!r}")
        if self.device == "cuda" and not torch.cuda.is_available():
            raise ValueError("device must be 'cpu' here: 'cuda' was asked for but torch.cuda.is_available() is False")
        # Fill in the loss's defaults, then check what the user overrode.
        for name, value in loss.defaults.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, value)
        validation.positive_int("n_critic", self.n_critic)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}")
        for name in ("lr_d", "lr_g"):
            validation.positive_scalar(name, getattr(self, name))
        if self.betas is not None:
            betas = tuple(self.betas)
            if len(betas) != 2 or not all(0 <= validation.real_scalar("betas", b) < 1 for b in betas):
                raise ValueError(f"betas must be two numbers in [0, 1), got {self.betas!r}")
            object.__setattr__(self, "betas", betas)
        if self.one_sided is not None and not isinstance(self.one_sided, bool):
            raise TypeError(f"one_sided must be True, False or None, got {self.one_sided!r}")
        if self.clip is not None:
            validation.positive_scalar("clip", self.clip)
        if self.gp_weight is not None:
            validation.real_scalar("gp_weight", self.gp_weight)
            if self.gp_weight < 0:
                raise ValueError(f"gp_weight must be >= 0, got {self.gp_weight!r}")
        self._check_regularisers()

    def _check_regularisers(self):
        for name in ("r1", "r2", "instance_noise", "consensus"):
            value = validation.real_scalar(name, getattr(self, name))
            if not value >= 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {getattr(self, name)!r}")
            object.__setattr__(self, name, value)
        if self.instance_noise_anneal is not None:
            anneal = validation.positive_int("instance_noise_anneal", self.instance_noise_anneal)
            object.__setattr__(self, "instance_noise_anneal", anneal)
            if self.instance_noise == 0:
                raise ValueError(
                    f"instance_noise_anneal applies only when instance_noise > 0, got instance_noise_anneal="
                    f"{self.instance_noise_anneal!r} with instance_noise=0"
                )
        if self.updates not in UPDATES:
            raise ValueError(f"updates must be one of {UPDATES}, got {self.updates!r}")
        if self.updates == "simultaneous" and self.n_critic != 1:
            raise ValueError(
                f"updates='simultaneous' takes one critic step per generator step: n_critic must be 1, got "
                f"{self.n_critic!r} (loss {self.loss!r} sets its own default unless n_critic=1 is passed)"
            )
        if self.consensus and self.updates != "simultaneous":
            raise ValueError(
                f"consensus={self.consensus!r} needs updates='simultaneous' (consensus optimisation moves both "
                f"players along one field), got updates={self.updates!r}"
            )
        if not isinstance(self.spectral_norm, bool):
            raise TypeError(f"spectral_norm must be True or False, got {self.spectral_norm!r}")
        self._check_remedies()

    def _check_remedies(self):
        validation.positive_int("pack", self.pack)
        validation.count("unroll", self.unroll)
        if not isinstance(self.minibatch_std, bool):
            raise TypeError(f"minibatch_std must be True or False, got {self.minibatch_std!r}")
        if self.unroll and self.updates == "simultaneous":
            raise ValueError(
                f"unroll={self.unroll!r} needs updates='alternating': the generator's loss looks ahead through "
                "critic steps taken after the critic's own update (Metz et al. 2017, Sec. 2)"
            )

    def check_unpacked(self, where):
        """Refuse ``pack > 1`` for ``where``, whose critic scores single points between fixed laws."""
        if self.pack != 1:
            raise ValueError(
                f"{where} trains critics that score single points; pack={self.pack!r} applies to training a "
                "generator (gan1d.train, gan1d.train_many)"
            )
        return self

    @classmethod
    def from_options(cls, **options):
        """A config from keywords, with a ``TypeError`` naming any unknown keyword."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown option(s) {unknown}; options are gan1d.TrainConfig fields: {sorted(known)}")
        return cls(**options)

    def to_dict(self):
        """Plain types only (for saving): the network specs become ``{"kind": ..., **fields}``."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if dataclasses.is_dataclass(value):
                value = {"kind": type(value).__name__, **dataclasses.asdict(value)}
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data):
        """Inverse of :meth:`to_dict`."""
        specs = {"MLP": MLP, "ParallelLines": ParallelLines, "LocationScale": LocationScale}
        data = dict(data)
        for name in ("generator", "discriminator"):
            spec = dict(data[name])
            kind = spec.pop("kind")
            if kind not in specs:
                raise ValueError(f"{name} must be one of {sorted(specs)} in a saved run, got {kind!r}")
            data[name] = specs[kind](**spec)
        return cls(**data)

    def build_critic(self, generators, in_dim, device=None):
        """The discriminator ensemble for points of dimension ``in_dim``: on packs of ``pack`` points, with the
        minibatch-deviation feature if ``minibatch_std``, spectrally normalised if ``spectral_norm``."""
        if self.minibatch_std:
            critic = MinibatchStdCritic(generators, in_dim * self.pack, self.discriminator, device)
        else:
            critic = self.discriminator.build_critic(generators, in_dim * self.pack, device)
        return spectral_norm(critic) if self.spectral_norm else critic

    def make_optimizer(self, params, lr):
        """The optimizer this config names, over ``params`` (Adam/RMSprop act elementwise: see networks)."""
        params = list(params)
        if self.optimizer == "adam":
            return torch.optim.Adam(params, lr=lr, betas=self.betas or (0.9, 0.999), fused=True)
        if self.optimizer == "rmsprop":
            return torch.optim.RMSprop(params, lr=lr, foreach=True)
        return torch.optim.SGD(params, lr=lr, foreach=True)


def member_configs(config, n):
    """One config per member of an ensemble of ``n``: ``config`` for all, or a sequence of ``n`` of them.

    The configs of a sequence may differ in ``loss`` and ``f`` only: the members share one optimiser
    step, one batch size and one schedule (:class:`gan1d.Trainer`).

    Raises
    ------
    TypeError
        If ``config`` is neither a :class:`TrainConfig` nor a sequence of them.
    ValueError
        If a sequence does not have ``n`` configs, or two of them differ in another field (named).
    """
    if isinstance(config, TrainConfig):
        return [config] * n
    if isinstance(config, (str, bytes)) or not hasattr(config, "__iter__"):
        raise TypeError(f"config must be a gan1d.TrainConfig or a sequence of them, one per member, got {config!r}")
    configs = list(config)
    if len(configs) != n:
        raise ValueError(f"config must hold one TrainConfig per member ({n}), got {len(configs)}")
    for k, c in enumerate(configs):
        if not isinstance(c, TrainConfig):
            raise TypeError(f"config[{k}] must be a gan1d.TrainConfig, got {c!r}")
        differ = [f.name for f in dataclasses.fields(TrainConfig)
                  if f.name not in ("loss", "f") and getattr(c, f.name) != getattr(configs[0], f.name)]  # fmt: skip
        if differ:
            raise ValueError(
                f"the members' configs may differ in loss and f only, but config[{k}] differs from config[0] in "
                f"{differ}: " + ", ".join(f"{d}={getattr(c, d)!r} vs {getattr(configs[0], d)!r}" for d in differ)
            )
    return configs
