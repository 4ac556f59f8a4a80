r"""Critics trained against each member of a parametric family, next to the exact divergence.

:func:`gan1d.critic_sweep` trains, for each theta, a fresh critic between ``reference`` and
``family(theta)``, and measures its divergence estimate and the generator loss's theta-gradient,
next to the exact JS or W1 and its derivative: Figure 1 of the WGAN paper [1]_, with trained
networks.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Figure 1.
"""

from dataclasses import dataclass

import numpy as np
import torch

import toys
from toys import validation

from ..training.config import TrainConfig
from ..training.generators import ParallelLines, as_generator, stack_parametric
from ..training.losses import get_loss
from ..training.trainer import Trainer, check_target

__all__ = ["SweepResult", "critic_sweep"]


@dataclass
class SweepResult:
    """What :func:`gan1d.critic_sweep` measured; arrays of checkpoints x thetas.

    Attributes
    ----------
    loss, divergence : str
        The loss, and the divergence its critic estimates (``"js"``, ``"w1"``, ``"lsgan"`` or, for
        ``"f-gan"``, the name of its generator f).
    thetas : ndarray, shape (T,)
    steps : ndarray, shape (C,)
        Critic updates at each checkpoint.
    estimate : ndarray, shape (C, T)
        The critic's divergence estimate, on ``n_eval`` fresh samples per side.
    grad : ndarray, shape (C, T)
        d(generator loss)/d(theta) through the parametric generator, critic held fixed.
    estimate_grad : ndarray, shape (C, T)
        d(estimate)/d(theta), critic held fixed: comparable to ``exact_grad``. Equal to ``grad``
        for WGANs, to ``grad / 2`` for the minimax GAN.
    exact, exact_grad : ndarray, shape (T,)
        That divergence between ``reference`` and ``family(theta)``
        (``Loss.exact_divergence`` of :mod:`gan1d.training.losses`: ``divergences.js``, ``divergences.w1``,
        ``divergences.f_divergence``, ``gan1d.training.fgan.lsgan_divergence``), and
        its derivative in theta (central difference, step ``1e-4``; exact for piecewise-linear
        curves such as those of the parallel lines away from theta = 0).
    """

    loss: str
    divergence: str
    thetas: np.ndarray
    steps: np.ndarray
    estimate: np.ndarray
    grad: np.ndarray
    estimate_grad: np.ndarray
    exact: np.ndarray
    exact_grad: np.ndarray

    def to_markdown(self, checkpoint=-1):
        """A table of theta, estimate, exact, gradients at one checkpoint (default the last)."""
        c = checkpoint
        name = self.divergence.upper()
        lines = [
            f"| theta | estimate of {name} | exact {name} | d(estimate)/dtheta | exact d{name}/dtheta "
            "| d(generator loss)/dtheta |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for i, t in enumerate(self.thetas):
            lines.append(
                f"| {t:g} | {self.estimate[c, i]:.4f} | {self.exact[i]:.4f} | {self.estimate_grad[c, i]:.4f} "
                f"| {self.exact_grad[i]:.4f} | {self.grad[c, i]:.3g} |"
            )
        return "\n".join(lines)


def critic_sweep(loss, family, reference, thetas, steps=2000, checkpoints=None, seed=0, batch_size=256,
                 n_eval=8192, **options):  # fmt: skip
    r"""Train a fresh critic for each theta and compare it with the exact divergence.

    Parameters
    ----------
    loss : str
        ``"gan"``/``"nsgan"`` (the critic estimates JS), ``"wgan"``/``"wgan-gp"`` (W1), ``"f-gan"``
        with ``f=`` among the options (its f-divergence) or ``"lsgan"``
        (``gan1d.training.fgan.lsgan_divergence``).
    family : callable
        ``family(theta)`` returns a ``toys.ShiftedLine``, a 1-D ``toys.Gaussian`` or a parametric
        generator spec (:class:`gan1d.ParallelLines`, :class:`gan1d.LocationScale`).
    reference : toys.Distribution
        The real law P.
    thetas : array_like, shape (T,)
        Parameter values; all T critics train at once, as one ensemble.
    steps : int
        Critic updates per theta.
    checkpoints : sequence of int, optional
        Update counts at which to measure (default: ``steps/100``, ``steps/10`` and ``steps``).
    seed, batch_size : int
        As for :func:`gan1d.train`.
    n_eval : int
        Fresh samples per side for each measurement.
    **options
        Critic settings of :class:`gan1d.TrainConfig` (``discriminator``, ``lr_d``, ...).

    Returns
    -------
    SweepResult

    Notes
    -----
    The theta-gradient is :math:`\sum_j \partial L/\partial\phi_j \cdot d\phi_j/d\theta`, with
    :math:`\phi` the generator's parameters (``theta``; or ``mu`` and ``sigma``), the first
    factor by autograd through :math:`g_\phi(z)` and the second by a central difference of
    ``family``'s parameters (exact when they are linear in theta).
    """
    checked = check_settings(loss, steps, checkpoints, seed, batch_size, n_eval, options)
    lossobj, seed, n_eval, checkpoints, config = checked
    thetas, G = check_inputs(family, reference, thetas, config.device)
    dparams = _param_derivatives(family, thetas)  # (T, n_params)
    exact, exact_grad = _exact(lossobj, family, reference, thetas)  # before training: fail early
    trainer = Trainer(reference, np.random.SeedSequence(seed).spawn(len(thetas)), config, generator=G)
    G.requires_grad_(False)
    shape = (len(checkpoints), len(thetas))
    estimate, grad, estimate_grad = np.empty(shape), np.empty(shape), np.empty(shape)
    c = 0
    for t in range(1, config.steps + 1):
        trainer.critic_step()
        if t == checkpoints[c]:
            estimate[c], grad[c], estimate_grad[c] = _measure(trainer, lossobj, n_eval, dparams)
            c += 1
    return SweepResult(lossobj.name, lossobj.divergence, thetas, np.array(checkpoints), estimate, grad,
                       estimate_grad, exact, exact_grad)  # fmt: skip


def check_settings(loss, steps, checkpoints, seed, batch_size, n_eval, options):
    """:func:`critic_sweep`'s checks of its settings (every argument but ``family``, ``reference`` and
    ``thetas``), before any work: the loss, the seed and the checkpoints checked, the config built.

    Returns ``(loss, seed, n_eval, checkpoints, config)``: the :class:`~gan1d.training.losses.Loss`,
    ``seed`` and ``n_eval`` as ints, the sorted checkpoints, and the :class:`gan1d.TrainConfig`.
    Raises the ``ValueError`` or ``TypeError`` that :func:`critic_sweep` would raise.
    """
    lossobj = get_loss(loss, options.get("f"))
    seed = validation.seed("seed", seed)
    steps = validation.positive_int("steps", steps)
    n_eval = validation.positive_int("n_eval", n_eval)
    checkpoints = _checkpoints(checkpoints, steps)
    config = TrainConfig.from_options(loss=loss, steps=steps, batch_size=batch_size, **options)
    return lossobj, seed, n_eval, checkpoints, config.check_unpacked("critic_sweep")


def check_inputs(family, reference, thetas, device=None):
    """:func:`critic_sweep`'s checks of ``family``, ``reference`` and ``thetas``: ``thetas`` as a float
    array of shape (T,), and the generator ensemble whose member k is ``family(thetas[k])``.

    Raises the ``ValueError`` or ``TypeError`` that :func:`critic_sweep` would raise.
    """
    check_target(reference)
    thetas = np.asarray(thetas, dtype=float).reshape(-1)
    if thetas.size == 0 or not np.all(np.isfinite(thetas)):
        raise ValueError(f"thetas must be a non-empty array of finite numbers, got {thetas!r}")
    if not callable(family):
        raise TypeError(f"family must be a callable, theta -> a law or a parametric generator spec, got {family!r}")
    G = stack_parametric([as_generator(family(float(t))) for t in thetas], device)
    if G.dim != reference.dim:
        raise ValueError(f"family must give laws of the reference's dimension {reference.dim}, got dimension {G.dim}")
    return thetas, G


def _measure(trainer, lossobj, n_eval, dparams):
    G, D = trainer.G, trainer.D
    params = G.param_tensors()
    for p in params:
        p.requires_grad_(True)
    real = torch.as_tensor(
        np.stack([trainer.target.sample(n_eval, rng).reshape(n_eval, -1) for rng in trainer.eval_data]),
        dtype=torch.float32,
    )  # (T, n_eval, d)
    fake = G(G.sample_latent(trainer.eval_noise, n_eval))  # (T, n_eval, d), differentiable in the parameters
    D.requires_grad_(False)
    s_real, s_fake = D(real), D(fake)
    est = lossobj.estimate(s_real, s_fake)  # (T,)
    g_loss = lossobj.generator_loss(s_fake)  # (T,)
    d_g = torch.stack(torch.autograd.grad(g_loss.sum(), params, retain_graph=True), dim=1)  # (T, n_params)
    d_e = torch.stack(torch.autograd.grad(est.sum(), params), dim=1)
    D.requires_grad_(True)
    for p in params:
        p.requires_grad_(False)
    chain = torch.as_tensor(dparams, dtype=d_g.dtype)
    return est.detach().numpy(), (d_g * chain).sum(1).numpy(), (d_e * chain).sum(1).numpy()


def _param_derivatives(family, thetas, h=1e-6):
    out = []
    for t in thetas:
        step = h * max(1.0, abs(t))
        hi = np.array(as_generator(family(t + step)).params())
        lo = np.array(as_generator(family(t - step)).params())
        out.append((hi - lo) / (2 * step))
    return np.array(out)


def _exact(lossobj, family, reference, thetas, h=1e-4):
    f = lossobj.exact_divergence
    value = np.array([f(reference, _law(family(t))) for t in thetas])
    hi = np.array([f(reference, _law(family(t + h))) for t in thetas])
    lo = np.array([f(reference, _law(family(t - h))) for t in thetas])
    deriv = (hi - lo) / (2 * h)
    return value, deriv


def _law(x):
    """The toy ``family`` gave, or the law of the spec it gave, in float64 (not through float32 torch
    parameters, whose rounding would spoil the central difference of ``_exact``)."""
    if isinstance(x, toys.Distribution):
        return x
    spec = as_generator(x)
    if isinstance(spec, ParallelLines):
        return toys.ShiftedLine(spec.theta)
    return toys.Gaussian(spec.mu, abs(spec.sigma))


def _checkpoints(checkpoints, steps):
    if checkpoints is None:
        checkpoints = [max(1, steps // 100), max(1, steps // 10), steps]
    cps = sorted({validation.positive_int("checkpoints", c) for c in checkpoints})
    if cps[-1] > steps:
        raise ValueError(f"checkpoints must be <= steps = {steps}, got {cps[-1]}")
    return cps
