"""Training: sample, critic step(s), generator step, record -- for N seeds at once.

:func:`train` is one run; :func:`train_many` trains N runs with different seeds as one ensemble
(:mod:`gan1d.training.networks`): the same loop, with every tensor carrying a leading member
axis. Each member draws its initialisation, latent noise, penalty interpolation and target
samples from its own seeded streams, so member k behaves as a separate run with seed
``seeds[k]`` would, in distribution (and step for step, up to the rounding of batched vs
unbatched matmuls). :class:`Trainer` holds the state and the loop, with three documented
extension points: callbacks at each evaluation, a fixed law in the generator's place, and
critic pretraining.
"""

import sys

import numpy as np
import torch
from tqdm import tqdm

import toys
from toys.validation import seed as check_seed

from .config import TrainConfig, member_configs
from .evaluate import evaluate_members
from .generators import FixedSampler
from .history import Recorder
from .inputs import check_callbacks, check_seeds, check_target, torch_generator
from .losses import MemberLosses, get_loss, gradient_penalty
from .regularisers import consensus_gradients, gradient_energy, noise_level, noisy
from .remedies import functional_critic, lookahead, pack
from .run import Run

__all__ = ["Trainer", "TrainingDiverged", "check_target", "train", "train_many"]

_CHUNK = 32  # generator steps of target samples drawn per call to target.sample


class TrainingDiverged(FloatingPointError):
    """A loss became NaN or infinite. ``runs`` (and ``run``, the first) hold the history so far."""

    def __init__(self, message, step, loss_name, runs):
        super().__init__(message)
        self.step, self.loss_name, self.runs = step, loss_name, runs
        self.run = runs[0]


def train(target, loss="wgan-gp", steps=1000, seed=0, batch_size=256, generator=None, callbacks=(), **options):
    """Train a GAN/WGAN generator on a toy target.

    Parameters
    ----------
    target : toys.Distribution
        The data law, sampled with ``target.sample(n, rng)``.
    loss : str
        ``"gan"`` (minimax), ``"nsgan"`` (non-saturating), ``"wgan"`` (weight clipping),
        ``"wgan-gp"`` (gradient penalty), ``"f-gan"`` (with ``f=``, the name of a generator of
        :data:`divergences.generators.GENERATORS`) or ``"lsgan"`` (least squares); see
        :mod:`gan1d.training.losses`.
    steps : int
        Generator steps.
    seed : int
        Seeds every random stream of the run: same seed, config and machine, same history.
    batch_size : int
        Real and fake samples per batch.
    generator : gan1d.MLP, gan1d.ParallelLines or gan1d.LocationScale, optional
        The generator (default ``gan1d.MLP()``).
    callbacks : sequence of callable
        Each is called as ``callback(trainer, step)`` after every evaluation of the generator
        (at step 0, every ``eval_every`` steps and at the last step), with the :class:`Trainer`:
        ``trainer.G`` and ``trainer.D`` are the networks at that step, ``trainer.recorder`` the
        columns so far. For snapshots of training (the lecture films its runs this way).
    **options
        Any other field of :class:`gan1d.TrainConfig` (``discriminator``, ``n_critic``,
        ``optimizer``, ``lr_d``, ``lr_g``, ``betas``, ``clip``, ``gp_weight``, ``one_sided``, ``eval_every``,
        ``eval_samples``, ``pretrain_critic``, ``device``, ``progress``, ``f``, and the regularisers ``r1``,
        ``r2``, ``instance_noise``, ``instance_noise_anneal``, ``updates``, ``consensus``,
        ``spectral_norm``, off by default); unset fields take the loss's defaults. On 1-D targets
        ``wgan-gp`` uses the one-sided penalty unless ``one_sided=False`` (the two-sided one locks
        a 1-D critic in the sign of its first slope; see :class:`gan1d.TrainConfig`).

    Returns
    -------
    Run
        With ``history``, ``sample(n)``, ``generator``, ``discriminator`` and ``save(path)``.

    Raises
    ------
    TypeError, ValueError
        On bad input (unknown loss, ``steps <= 0``, a generator whose output dimension is not the
        target's, a target that cannot be sampled, an unknown option), before any training.
    TrainingDiverged
        If a loss becomes NaN or infinite; its ``run`` holds the history up to that step.

    Examples
    --------
    >>> import toys, gan1d
    >>> run = gan1d.train(toys.ShiftedLine(0.0), loss="wgan-gp", steps=20, seed=0,
    ...                   generator=gan1d.ParallelLines(theta=1.0), eval_every=10)
    >>> bool(abs(run.history["theta"][-1]) < 1.0)     # theta moved towards 0
    True
    """
    seed = check_seed("seed", seed)
    return train_many(target, [seed], loss=loss, steps=steps, batch_size=batch_size, generator=generator,
                      callbacks=callbacks, **options)[0]  # fmt: skip


def train_many(target, seeds, loss="wgan-gp", steps=1000, batch_size=256, generator=None, callbacks=(), **options):
    """Train ``len(seeds)`` independent runs as one vectorised ensemble; a list of :class:`Run`.

    Same parameters as :func:`train`, with ``seeds`` a sequence of distinct non-negative ints.
    Run k is distributed as ``train(..., seed=seeds[k])``; one Python step advances all runs, so
    small networks (bound by per-step overhead, not arithmetic) train N seeds in little more
    than the time of one. If any member's loss becomes NaN or infinite, the whole batch stops
    (:class:`TrainingDiverged`, naming the seeds); the other members' histories up to that step
    are in ``exc.runs``.
    """
    seeds = check_seeds(seeds)
    if generator is not None:
        options["generator"] = generator
    config = TrainConfig.from_options(loss=loss, steps=steps, batch_size=batch_size, **options)
    trainer = Trainer(target, seeds, config, callbacks=callbacks)
    return trainer.fit()


class Trainer:
    """The state of N runs (networks, optimizers, one set of random streams per member) and the loop.

    Parameters
    ----------
    target : toys.Distribution
        The data law.
    seeds : sequence of int or numpy.random.SeedSequence
        One per member; each seeds that member's five streams (initialisation, latent noise,
        target samples, and the two of the evaluations).
    config : gan1d.TrainConfig or sequence of gan1d.TrainConfig
        Every setting; or one config per member, differing only in ``loss`` and ``f``: each member
        then trains against its own objective (:class:`gan1d.training.losses.MemberLosses`) and its
        :class:`Run` carries its own config (:func:`gan1d.analysis.fgan_bounds` trains one critic
        per f-divergence this way). ``trainer.config`` is the first member's.
    generator : torch.nn.Module or toys.Distribution, optional
        What plays the generator. None (default): the ensemble that ``config.generator`` builds.
        A built ensemble module (``sample_latent`` and ``forward``, as the parametric generators
        of :mod:`gan1d.training.generators`): used as it is, without the check of its output
        dimension, and its runs cannot be saved (:meth:`gan1d.Run.save` says so). A toy law of the
        target's dimension: a fixed sampler that draws the fakes from that law and has no
        parameters, so only the critic trains, with :meth:`train_critic` (:meth:`fit` refuses it;
        :func:`gan1d.train_critic` and :func:`gan1d.critic_sweep` work this way).
    callbacks : sequence of callable
        ``callback(trainer, step)`` after every evaluation (see :func:`gan1d.train`).

    Notes
    -----
    :meth:`fit` reads top to bottom: ``config.pretrain_critic`` critic updates first (a critic
    near its optimum before the generator moves, the regime the theory of Arjovsky and Bottou
    2017 describes), the evaluation at step 0, then each step: ``n_critic`` critic updates
    (:meth:`critic_step`), one generator update (:meth:`generator_step`) -- or, with
    ``updates="simultaneous"``, one :meth:`simultaneous_step` of both -- the record, and every
    ``eval_every`` steps an evaluation (:meth:`evaluate`) followed by the callbacks.
    """

    def __init__(self, target, seeds, config, generator=None, callbacks=()):
        self.target, self.dim = check_target(target), target.dim
        self.seeds, self.n = list(seeds), len(seeds)
        self.configs = member_configs(config, self.n)
        self.config = config = self.configs[0]
        self.losses = [get_loss(c.loss, c.f) for c in self.configs]
        same = all(loss is self.losses[0] for loss in self.losses)  # get_loss returns one object per (loss, f)
        self.loss = self.losses[0] if same else MemberLosses(self.losses)
        dev = torch.device(config.device)
        streams = [(s if isinstance(s, np.random.SeedSequence) else np.random.SeedSequence(s)).spawn(5) for s in seeds]
        init = [torch_generator(ss[0], dev) for ss in streams]
        self.noise = [torch_generator(ss[1], dev) for ss in streams]
        self.data = [np.random.default_rng(ss[2]) for ss in streams]
        self.eval_noise = [torch_generator(ss[3], dev) for ss in streams]
        self.eval_data = [np.random.default_rng(ss[4]) for ss in streams]
        spec = config.generator
        if generator is None and spec.out_dim(self.dim) != self.dim:
            raise ValueError(
                f"generator must output points of the target's dimension {self.dim}, "
                f"but {spec!r} outputs dimension {spec.out_dim(self.dim)}"
            )
        if isinstance(generator, toys.Distribution):
            if generator.dim != self.dim:
                raise ValueError(f"generator must be a law of the target's dimension {self.dim}, got {generator!r}")
            generator = FixedSampler(generator, dev)
        self.G = generator if generator is not None else spec.build(init, self.dim, dev)
        self.callbacks = check_callbacks(callbacks)
        self.D = config.build_critic(init, self.dim, dev)
        self.opt_d = config.make_optimizer(self.D.parameters(), config.lr_d)
        params = list(self.G.parameters())  # empty for a fixed sampler (gan1d.analysis)
        self.opt_g = config.make_optimizer(params, config.lr_g) if params else None
        self._real, self._real_pos = None, 0
        self.samples = config.batch_size * config.pack  # samples per side in a batch: batch_size packs
        # The two-sided penalty of WGAN-GP traps 1-D critics in the sign of their first slope
        # (gan1d.training.losses.gradient_penalty); unless told otherwise, 1-D targets get the one-sided one.
        self.one_sided = self.dim == 1 if config.one_sided is None else config.one_sided
        self.device = dev
        self.step = 0  # generator steps done: the clock of the instance noise's annealing

    # -- the two steps ---------------------------------------------------------------------
    def real_batch(self):
        """The next ``(N, batch x pack, d)`` target samples, drawn ``_CHUNK`` steps at a time per member."""
        b = self.samples
        if self._real is None or self._real_pos == self._real.shape[1]:
            n = _CHUNK * self.config.n_critic * b
            draws = [self.target.sample(n, rng).reshape(n, self.dim) for rng in self.data]
            self._real = torch.as_tensor(np.stack(draws), dtype=torch.float32).to(self.device)  # (N, n, d)
            self._real_pos = 0
        x = self._real[:, self._real_pos : self._real_pos + b]
        self._real_pos += b
        return x

    def noisy(self, x):
        """``x`` plus the instance noise of the current step (``x`` itself without it)."""
        cfg = self.config
        return noisy(x, noise_level(cfg.instance_noise, cfg.instance_noise_anneal, self.step), self.noise)

    def critic_loss(self, real, fake, critic=None):
        """The critic's loss with its penalties, and its scores: ``(N,)``, ``(N, batch)``, ``(N, batch)``.

        ``real`` and ``fake`` are ``(N, batch x pack, d)`` samples, scored in packs; ``critic`` is
        the trainer's own unless given (the look-ahead of ``unroll`` passes its unrolled one).
        """
        cfg, critic = self.config, critic or self.D
        real, fake = pack(real, cfg.pack), pack(fake, cfg.pack)
        s_real, s_fake = critic(real), critic(fake)  # (N, batch)
        d_loss = self.loss.critic_loss(s_real, s_fake)  # (N,)
        if cfg.gp_weight:
            d_loss = d_loss + cfg.gp_weight * gradient_penalty(critic, real, fake, self.noise, self.one_sided)
        if cfg.r1:
            d_loss = d_loss + cfg.r1 * gradient_energy(critic, real)
        if cfg.r2:
            d_loss = d_loss + cfg.r2 * gradient_energy(critic, fake)
        return d_loss, s_real, s_fake

    def critic_step(self):
        """One update of the critics; returns (critic loss, divergence estimate), each ``(N,)``."""
        real = self.noisy(self.real_batch())  # (N, batch x pack, d)
        with torch.no_grad():
            fake = self.noisy(self.G(self.G.sample_latent(self.noise, self.samples)))
        d_loss, s_real, s_fake = self.critic_loss(real, fake)
        self.opt_d.zero_grad(set_to_none=True)
        d_loss.sum().backward()
        self.opt_d.step()
        self._clip()
        return d_loss.detach(), self.loss.estimate(s_real, s_fake).detach()

    def _clip(self):
        if self.config.clip:
            with torch.no_grad():
                for p in self.D.parameters():
                    p.clamp_(-self.config.clip, self.config.clip)

    def simultaneous_step(self):
        """Both players' gradients at the same point, then both updates (with consensus if set).

        Returns (critic loss, divergence estimate, generator loss, generator gradient norm), each ``(N,)``;
        the norm is that of the generator's step direction (its gradient plus the consensus term).
        """
        real = self.noisy(self.real_batch())  # (N, batch x pack, d)
        fake = self.noisy(self.G(self.G.sample_latent(self.noise, self.samples)))
        d_loss, s_real, s_fake = self.critic_loss(real, fake)
        g_loss = self.loss.generator_loss(s_fake)  # (N,)
        g_params, d_params = list(self.G.parameters()), list(self.D.parameters())
        grads = consensus_gradients(g_loss.sum(), d_loss.sum(), g_params, d_params, self.config.consensus)
        for p, grad in zip(g_params + d_params, grads):
            p.grad = grad
        sq = sum(p.grad.reshape(self.n, -1).pow(2).sum(1) for p in g_params)  # (N,)
        self.opt_d.step()
        self.opt_g.step()
        self._clip()
        estimate = self.loss.estimate(s_real, s_fake).detach()
        return d_loss.detach(), estimate, g_loss.detach(), sq.sqrt()

    def generator_step(self):
        """One update of the generators; returns (generator loss, gradient norm), each ``(N,)``.

        With ``unroll=k`` the loss is scored by the critic after k look-ahead updates on a fresh real
        batch and this fake batch, differentiated through them (:func:`~gan1d.training.remedies.lookahead`).
        """
        cfg = self.config
        fake = self.noisy(self.G(self.G.sample_latent(self.noise, self.samples)))  # (N, batch x pack, d)
        critic = self.D
        if cfg.unroll:
            real = self.noisy(self.real_batch())
            params = lookahead(self.D, self.opt_d, lambda c: self.critic_loss(real, fake, c)[0], cfg.unroll, cfg.clip)
            critic = functional_critic(self.D, params)
        self.D.requires_grad_(False)
        g_loss = self.loss.generator_loss(critic(pack(fake, cfg.pack)))  # (N,)
        self.D.requires_grad_(True)
        self.opt_g.zero_grad(set_to_none=True)
        g_loss.sum().backward()
        sq = sum(p.grad.reshape(self.n, -1).pow(2).sum(1) for p in self.G.parameters())  # (N,)
        self.opt_g.step()
        return g_loss.detach(), sq.sqrt()

    def train_critic(self, steps):
        """``steps`` critic updates with the generator fixed; the divergence estimates, shape (steps, N)."""
        estimates = np.empty((steps, self.n))
        for t in range(steps):
            estimates[t] = self.critic_step()[1].cpu().numpy()
        return estimates

    # -- the loop --------------------------------------------------------------------------
    def fit(self):
        """Pretrain the critic, then train: a list of :class:`Run`, one per member.

        Raises
        ------
        TypeError
            If the generator is a fixed law, which has nothing to train (use :meth:`train_critic`).
        """
        if self.opt_g is None:
            raise TypeError(
                f"this Trainer's generator is a fixed law ({self.G!r}) with nothing to train: train its critic with "
                "Trainer.train_critic(steps) instead of fit()"
            )
        cfg = self.config
        param_names = self.G.param_names if self.G.parametric else ()
        self.train_critic(cfg.pretrain_critic)
        self.recorder = rec = Recorder(self.n, cfg.steps, param_names)
        self.evaluate(0)
        show = sys.stderr.isatty() if cfg.progress is None else cfg.progress
        with tqdm(total=cfg.steps, disable=not show, desc=f"{cfg.loss} x{self.n}", leave=False) as bar:
            for step in range(1, cfg.steps + 1):
                if cfg.updates == "simultaneous":
                    d_loss, estimate, g_loss, g_norm = self.simultaneous_step()
                else:
                    for _ in range(cfg.n_critic):
                        d_loss, estimate = self.critic_step()
                    g_loss, g_norm = self.generator_step()
                self.step = step
                row = torch.stack([d_loss, g_loss, g_norm, estimate]).cpu().numpy()  # (4, N)
                params = {k: t.detach().cpu().numpy() for k, t in zip(param_names, self._param_tensors())}
                rec.add_step(step, d_loss=row[0], g_loss=row[1], g_grad_norm=row[2], estimate=row[3], **params)
                self._check_finite(step, row)
                if step % cfg.eval_every == 0 or step == cfg.steps:
                    self.evaluate(step)
                if step % 25 == 0:
                    bar.set_postfix(estimate=f"{row[3].mean():.4f}", refresh=False)
                bar.update()
        return self.runs()

    def _param_tensors(self):
        return self.G.param_tensors() if self.G.parametric else ()

    def evaluate(self, step):
        """Record the generator against the target (:mod:`gan1d.training.evaluate`), then run the callbacks."""
        exact = [loss.exact_divergence if loss.exact is not None else None for loss in self.losses]  # f-gan, lsgan
        rows = evaluate_members(self.target, self.G, self.config.eval_samples, self.eval_noise, self.eval_data, exact)
        self.recorder.add_eval(step, rows)
        for callback in self.callbacks:
            callback(self, step)

    def _check_finite(self, step, row):
        for i, name in enumerate(("d_loss", "g_loss", "g_grad_norm")):
            bad = ~np.isfinite(row[i])
            if bad.any():
                members = [self.seeds[k] for k in np.flatnonzero(bad)]
                raise TrainingDiverged(
                    f"{name} is {row[i][bad][0]} at step {step} (seed(s) {members}); "
                    f"the history up to step {step} is in the exception's .run/.runs",
                    step,
                    name,
                    self.runs(),
                )

    def runs(self):
        """One :class:`Run` per member, each with its own ensemble-of-one networks."""
        histories = self.recorder.histories()
        return [
            Run.from_member(self.target, self.configs[k], s, self.G, self.D, k, histories[k])
            for k, s in enumerate(self.seeds)
        ]
