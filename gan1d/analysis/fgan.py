r"""The f-GANs against their exact divergences: trained bounds, and Gaussian fits.

* :func:`fgan_bounds` -- one critic per f-divergence (and the least-squares GAN's), trained between
  two fixed laws as one ensemble, with the variational bound
  :math:`E_P[g_f(V)] - E_Q[f^*(g_f(V))] \le D_f(P\,\|\,Q)` measured on fresh samples at
  checkpoints, next to the exact :math:`D_f` (Nowozin, Cseke and Tomioka [1]_, Sec. 2-3).
* :func:`fgan_gaussian_fits` -- a Gaussian generator (:class:`gan1d.LocationScale`) trained with
  each f-GAN against a 1-D law, next to the Gaussian that minimises :math:`D_f` exactly
  (:func:`divergences.fitting.fit_f_divergence`): the experiment of [1]_, Sec. 4.

References
----------
.. [1] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
   variational divergence minimization", NeurIPS 2016.
.. [2] X. Mao et al., "Least squares generative adversarial networks", ICCV 2017, Sec. 3.2.
"""

import math
from dataclasses import dataclass

import numpy as np
import torch

import toys
from divergences import f_divergence
from divergences.fitting import fit_f_divergence
from divergences.generators import GENERATORS
from toys import validation

from ..training.config import TrainConfig
from ..training.generators import LocationScale
from ..training.losses import get_loss
from ..training.run import member_module
from ..training.trainer import Trainer, check_target
from .critics import TrainedCritic
from .sweep import _checkpoints

__all__ = ["FGAN_CRITICS", "FGanBounds", "GaussianFits", "fgan_bounds", "fgan_gaussian_fits"]

#: The critics :func:`fgan_bounds` trains by default: every named f, and the least-squares GAN.
FGAN_CRITICS = (*GENERATORS, "lsgan")
#: The default start of :func:`fgan_gaussian_fits`: N(0, 0.8^2).
FIT_START = LocationScale(0.0, 0.8)
#: Blocks of the evaluation samples whose bounds give the standard error (batch means).
BLOCKS = 32


def _loss_options(name):
    """``loss`` and ``f`` of :class:`gan1d.TrainConfig` for a critic's name: an f, or ``"lsgan"``."""
    if name == "lsgan":
        return {"loss": "lsgan"}
    if not isinstance(name, str) or name not in GENERATORS:
        raise ValueError(f"each critic must be a name of divergences.generators.GENERATORS or 'lsgan', got {name!r}")
    return {"loss": "f-gan", "f": name}


def _names(names, what):
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise TypeError(f"{what} must be a sequence of names, got {names!r}")
    names = list(names)
    if not names or len(set(names)) != len(names):
        raise ValueError(f"{what} must be a non-empty sequence of distinct names, got {names!r}")
    for name in names:
        _loss_options(name)
    return names


@dataclass
class FGanBounds:
    """What :func:`fgan_bounds` measured: one column per critic, one row per checkpoint.

    Attributes
    ----------
    critics : list of str
        The critics' names: a generator f of :data:`divergences.generators.GENERATORS`, or ``"lsgan"``.
    exact : ndarray, shape (K,)
        The divergence each critic bounds, exactly: :math:`D_f(P\\,\\|\\,Q)`
        (:func:`divergences.f_divergence`), and :math:`\\chi^2(Q\\,\\|\\,(P + Q)/2)` for ``"lsgan"``.
    steps : ndarray, shape (C,)
        Critic updates at each checkpoint.
    bound, stderr : ndarray, shape (C, K)
        The variational bound on ``n_eval`` fresh samples per side, and its standard error (from
        ``BLOCKS`` = 32 batch means): the bound is below ``exact`` up to that sampling noise. The
        critics share their evaluation samples (one seed), so their sampling errors are correlated:
        several bounds can read above their exact values at once.
    trained : list of TrainedCritic
        The critics at the end (``trained[k](x)`` is :math:`T(x) = g_f(V(x))`).
    """

    critics: list
    exact: np.ndarray
    steps: np.ndarray
    bound: np.ndarray
    stderr: np.ndarray
    trained: list

    @property
    def gap(self):
        """``exact - bound``, shape (C, K): what the critic misses (positive up to the noise)."""
        return self.exact[None, :] - self.bound

    def critic(self, name):
        """The trained critic called ``name``."""
        return self.trained[self.critics.index(name)]

    def to_markdown(self):
        """A table: critic, exact divergence, the bound at each checkpoint (± standard error), the last gap."""
        head = " | ".join(f"bound after {s}" for s in self.steps)
        lines = [f"| critic | exact | {head} | gap |", "|---|---:|" + "---:|" * (len(self.steps) + 1)]
        for k, name in enumerate(self.critics):
            cells = " | ".join(f"{self.bound[c, k]:.4f} ± {self.stderr[c, k]:.4f}" for c in range(len(self.steps)))
            lines.append(f"| {name} | {self.exact[k]:.4f} | {cells} | {self.gap[-1, k]:.4f} |")
        return "\n".join(lines)


def fgan_bounds(real, fake, critics=FGAN_CRITICS, steps=1000, checkpoints=None, seed=0, batch_size=256,
                n_eval=8192, **options):  # fmt: skip
    r"""Train one f-GAN critic per divergence between two fixed laws; the bound against the exact value.

    Parameters
    ----------
    real, fake : toys.Distribution
        P (the data) and Q (the generator's law), of the same dimension.
    critics : sequence of str
        Names of generators f (:data:`divergences.generators.GENERATORS`) and ``"lsgan"``; default
        :data:`FGAN_CRITICS`, all of them.
    steps : int
        Critic updates.
    checkpoints : sequence of int, optional
        Update counts at which the bound is measured (default ``steps/100``, ``steps/10``, ``steps``).
    seed : int
        Every critic starts from the same initialisation and sees the same batches (the seed's
        streams): critic k is the critic of ``gan1d.train_critic("f-gan", real, fake, f=critics[k],
        seed=seed)``, up to the rounding of batched matrix products, so the columns differ by
        their objective only.
    batch_size, **options
        As for :func:`gan1d.train_critic` (``discriminator``, ``lr_d``, ...); the f-GAN and LSGAN
        share their defaults (Adam, lr 2e-4).
    n_eval : int
        Fresh samples per side for each measurement, a multiple of ``BLOCKS`` = 32.

    Returns
    -------
    FGanBounds

    Notes
    -----
    The exact divergences are computed first, so a pair without an exact path fails before any
    training. A divergence can be infinite (Pearson's :math:`\chi^2` when Q's tails are lighter
    than P's): the bound then keeps growing with training.
    """
    names = _names(critics, "critics")
    check_target(real)
    if not isinstance(fake, toys.Distribution) or fake.dim != real.dim:
        raise ValueError(f"fake must be a toy of the same dimension as real ({real.dim}), got {fake!r}")
    seed = validation.seed("seed", seed)
    steps = validation.positive_int("steps", steps)
    n_eval = validation.positive_int("n_eval", n_eval)
    if n_eval % BLOCKS:
        raise ValueError(f"n_eval must be a multiple of {BLOCKS} (the blocks of the standard error), got {n_eval}")
    checkpoints = _checkpoints(checkpoints, steps)
    configs = [TrainConfig.from_options(steps=steps, batch_size=batch_size, **options, **_loss_options(name))
               for name in names]  # fmt: skip
    configs[0].check_unpacked("fgan_bounds")
    losses = [get_loss(c.loss, c.f) for c in configs]
    exact = np.array([loss.exact_divergence(real, fake) for loss in losses])
    trainer = Trainer(real, [seed] * len(names), configs, generator=fake)
    bound, stderr = np.empty((len(checkpoints), len(names))), np.empty((len(checkpoints), len(names)))
    history = np.empty((steps, len(names)))
    c = 0
    for t in range(steps):
        history[t] = trainer.critic_step()[1].numpy()
        if t + 1 == checkpoints[c]:
            bound[c], stderr[c] = _measure(trainer, n_eval)
            c += 1
    step = np.arange(1.0, steps + 1)
    trained = [
        TrainedCritic(cfg.loss, member_module(trainer.D, k), real.dim, {"step": step, "estimate": history[:, k]}, cfg.f)
        for k, cfg in enumerate(configs)
    ]
    return FGanBounds(names, exact, np.array(checkpoints), bound, stderr, trained)


def _measure(trainer, n):
    """The bound of every member on n fresh samples per side, and its standard error (batch means)."""
    real = torch.as_tensor(
        np.stack([trainer.target.sample(n, rng).reshape(n, -1) for rng in trainer.eval_data]), dtype=torch.float32
    )
    with torch.no_grad():
        fake = trainer.G(trainer.G.sample_latent(trainer.eval_noise, n))
        s_real, s_fake = trainer.D(real), trainer.D(fake)  # (K, n)
        blocks = trainer.loss.estimate(s_real.reshape(len(real), BLOCKS, -1), s_fake.reshape(len(real), BLOCKS, -1))
    blocks = blocks.double().numpy()  # (K, BLOCKS): the estimate is linear in the two means
    return blocks.mean(1), blocks.std(1, ddof=1) / math.sqrt(BLOCKS)


@dataclass
class GaussianFits:
    """What :func:`fgan_gaussian_fits` found: per f, the trained Gaussian and the exact minimiser.

    Attributes
    ----------
    fs : list of str
        The generators f.
    trained : ndarray, shape (K, 2)
        The trained generator's (mu, sigma): the mean over the last ``average`` fraction of the steps.
    exact : ndarray, shape (K, 2)
        The (mu, sigma) minimising :math:`D_f(P\\,\\|\\,N(\\mu, \\sigma^2))` from the same start
        (:func:`divergences.fitting.fit_f_divergence`).
    divergence : ndarray, shape (K,)
        :math:`D_f` at the trained Gaussian, exactly.
    minimum : ndarray, shape (K,)
        :math:`D_f` at the exact minimiser.
    runs : list of gan1d.Run
        The training runs (history columns ``mu``, ``sigma``, ``estimate``, ``exact``).
    """

    fs: list
    trained: np.ndarray
    exact: np.ndarray
    divergence: np.ndarray
    minimum: np.ndarray
    runs: list

    def to_markdown(self):
        """A table: f, the trained (mu, sigma), the exact minimiser, D_f at both."""
        lines = [
            "| f | trained mu | trained sigma | exact mu | exact sigma | D_f at trained | min D_f |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for k, f in enumerate(self.fs):
            (mu, sigma), (mu_x, sigma_x) = self.trained[k], self.exact[k]
            lines.append(
                f"| {f} | {mu:.3f} | {sigma:.3f} | {mu_x:.3f} | {sigma_x:.3f} | {self.divergence[k]:.4f} "
                f"| {self.minimum[k]:.4f} |"
            )
        return "\n".join(lines)


def fgan_gaussian_fits(target, fs=tuple(GENERATORS), init=FIT_START, steps=2000, seed=0,
                       average=0.1, **options):  # fmt: skip
    r"""Fit a Gaussian generator to a 1-D law with each f-GAN, next to the exact minimiser of :math:`D_f`.

    Nowozin et al.'s first experiment (Sec. 4 of [1]_): the generator is :math:`\mu + \sigma z`
    (:class:`gan1d.LocationScale`), trained with ``loss="f-gan"`` and each ``f``; the exact
    answer is the Gaussian that minimises :math:`D_f(P\,\|\,N(\mu, \sigma^2))`, found by
    :func:`divergences.fitting.fit_f_divergence` from the same start (both are local: on a
    mixture, the mode-seeking divergences have a minimum near each mode).

    Parameters
    ----------
    target : toys.Distribution
        The 1-D law P.
    fs : sequence of str
        Names of :data:`divergences.generators.GENERATORS` (default all).
    init : gan1d.LocationScale
        The common start. The default N(0, 0.8²) is one where every named divergence is finite
        for the lecture's mixture (Pearson's :math:`\chi^2` needs :math:`\sigma` above
        :math:`0.7/\sqrt2`, Neyman's below :math:`0.7\sqrt2`, 0.7 the components' width).
    steps : int
        Generator steps; all the fits train at once, one ensemble member per f, from the same
        seed (the same initial critic and the same batches).
    average : float
        Fraction of the last steps over which (mu, sigma) are averaged (a GAN's parameters
        oscillate about their end point); in (0, 1].
    **options
        Fields of :class:`gan1d.TrainConfig` (``discriminator``, ``lr_d``, ``lr_g``,
        ``pretrain_critic``, ``n_critic``, ...), the same for every f.

    Returns
    -------
    GaussianFits

    Notes
    -----
    A critic whose activation saturates stops passing a gradient to the generator: with ``"tv"``
    (:math:`T = \tanh(V)/2`) the critic can reach :math:`T = 1/2` everywhere the generator's samples
    are, its estimate then reads 0 and the generator freezes where it is (on the lecture's mixture,
    past the heavier mode).

    References
    ----------
    .. [1] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
       variational divergence minimization", NeurIPS 2016.
    """
    fs = _names(fs, "fs")
    if "lsgan" in fs:
        raise ValueError("fs must name generators f of divergences.generators.GENERATORS; 'lsgan' is not an f-GAN")
    check_target(target)
    if target.dim != 1:
        raise ValueError(f"target must be a 1-D law, got {target!r} of dimension {target.dim}")
    if not isinstance(init, LocationScale):
        raise TypeError(f"init must be a gan1d.LocationScale, got {init!r}")
    average = validation.real_scalar("average", average)
    if not 0 < average <= 1:
        raise ValueError(f"average must be in (0, 1], got {average!r}")
    seed = validation.seed("seed", seed)
    start = toys.Gaussian(init.mu, abs(init.sigma))
    exact = [fit_f_divergence(target, f, init=start) for f in fs]  # before training: fail early
    configs = [TrainConfig.from_options(loss="f-gan", f=f, steps=steps, generator=init, **options) for f in fs]
    runs = Trainer(target, [seed] * len(fs), configs).fit()
    tail = max(1, round(average * steps))
    trained = np.array([[np.mean(r.history["mu"][-tail:]), np.mean(np.abs(r.history["sigma"][-tail:]))] for r in runs])
    divergence = np.array([f_divergence(target, toys.Gaussian(mu, sigma), f) for f, (mu, sigma) in zip(fs, trained)])
    return GaussianFits(
        fs,
        trained,
        np.array([[e.distribution.mean, e.distribution.std] for e in exact]),
        divergence,
        np.array([e.value for e in exact]),
        runs,
    )
