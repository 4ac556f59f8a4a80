r"""Discriminators and critics trained to (near) optimality, against the closed forms.

* :func:`optimal_discriminator` -- :math:`D^*(x) = p(x) / (p(x) + q(x))` for toys with densities.
* :func:`train_critic` -- a discriminator/critic trained between two fixed toys (D vs D*, and
  the WGAN critic against the saturated GAN discriminator, Figure 2 of the WGAN paper [1]_).
* :func:`critic_sweep` -- for each theta, a fresh critic between ``reference`` and
  ``family(theta)``, its divergence estimate and the generator loss's theta-gradient, next to
  the exact JS or W1 and its derivative (Figure 1 of [1]_, with trained networks).

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Figures 1 and 2.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
"""

from dataclasses import dataclass

import numpy as np
import torch
from scipy.special import expit
from torch import nn

import divergences
import toys

from . import _checks
from .config import TrainConfig
from .evaluate import numpy_points
from .generators import ParallelLines, as_generator, stack_parametric
from .losses import get_loss
from .train import Trainer, check_target

__all__ = ["SweepResult", "TrainedCritic", "critic_sweep", "optimal_discriminator", "train_critic"]


def optimal_discriminator(p, q):
    r"""The optimal GAN discriminator between real ``p`` and fake ``q``, as a numpy function.

    Returns ``D`` with :math:`D^*(x) = p(x)/(p(x)+q(x)) = \sigma(\log p(x) - \log q(x))` [2]_,
    computed in log space so it stays exact where both densities underflow.

    References
    ----------
    .. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.

    Examples
    --------
    >>> import numpy as np, toys
    >>> d = optimal_discriminator(toys.Gaussian(-1, 1), toys.Gaussian(1, 1))
    >>> bool(np.isclose(d(0.0), 0.5)), bool(np.isclose(d(1.0), 1 / (1 + np.exp(2.0))))
    (True, True)
    """
    for name, law in (("p", p), ("q", q)):
        if not isinstance(law, toys.ContinuousDistribution):
            raise TypeError(f"{name} must be a toy with a density (toys.ContinuousDistribution), got {law!r}")
    if p.dim != q.dim:
        raise ValueError(f"p and q must have the same dimension, got {p.dim} and {q.dim}")

    def d_star(x):
        with np.errstate(invalid="ignore"):
            return expit(p.logpdf(x) - q.logpdf(x))

    return d_star


class TrainedCritic:
    """A discriminator/critic trained by :func:`train_critic`: call it on points to get D(x) or f(x)."""

    def __init__(self, loss, module, dim, history):
        self.loss, self.module, self.dim, self.history = get_loss(loss).name, module, dim, history

    def __call__(self, x):
        """D(x) in (0, 1) for ``gan``/``nsgan``, f(x) for WGANs; numpy of shape ``(n,)``."""
        pts = numpy_points(x, self.dim)
        t = torch.as_tensor(pts, dtype=torch.float32)[None]  # (1, n, d)
        with torch.no_grad():
            s = self.module(t)[0].double()
        return (torch.sigmoid(s) if get_loss(self.loss).probabilistic else s).numpy()


def train_critic(loss, real, fake, steps=2000, seed=0, batch_size=256, **options):
    """Train a discriminator (``gan``/``nsgan``) or critic (``wgan``/``wgan-gp``) between two toys.

    Parameters
    ----------
    loss : str
        Which objective the critic maximises (see :mod:`gan1d.losses`).
    real, fake : toys.Distribution
        The two laws, of the same dimension; ``fake`` plays the generator's law.
    steps : int
        Critic updates.
    seed, batch_size, **options
        As for :func:`gan1d.train` (``discriminator``, ``lr_d``, ``clip``, ``gp_weight``, ...).

    Returns
    -------
    TrainedCritic
        ``critic(x)`` evaluates it; ``critic.history["estimate"]`` is its estimate per step.
    """
    seed = _checks.seed("seed", seed)
    config = TrainConfig.from_options(loss=loss, steps=steps, batch_size=batch_size, **options)
    check_target(real)
    if not isinstance(fake, toys.Distribution) or fake.dim != getattr(real, "dim", None):
        dim = getattr(real, "dim", None)
        raise ValueError(f"fake must be a toy of the same dimension as real ({dim}), got {fake!r}")
    trainer = Trainer(real, [seed], config, generator_module=_Sampler(fake))
    est = np.empty(steps)
    for t in range(steps):
        _, e = trainer.critic_step()
        est[t] = float(e[0])
    history = {"step": np.arange(1, steps + 1, dtype=float), "estimate": est}
    return TrainedCritic(loss, trainer.D, real.dim, history)


class _Sampler(nn.Module):
    """A fixed law in the generator's place: ``sample_latent`` draws from the toy, ``forward`` is the identity."""

    parametric = False

    def __init__(self, law):
        super().__init__()
        self.law, self.dim = law, law.dim

    def sample_latent(self, generators, batch):  # -> (N, batch, d)
        draws = []
        for g in generators:
            rng = np.random.default_rng(int(torch.randint(2**62, (1,), generator=g)))
            draws.append(self.law.sample(batch, rng).reshape(batch, self.dim))
        return torch.as_tensor(np.stack(draws), dtype=torch.float32)

    def forward(self, z):
        return z


@dataclass
class SweepResult:
    """What :func:`critic_sweep` measured; arrays of checkpoints x thetas.

    Attributes
    ----------
    loss, divergence : str
        The loss, and the divergence its critic estimates (``"js"`` or ``"w1"``).
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
        ``divergences.js`` or ``divergences.w1`` between ``reference`` and ``family(theta)``, and
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
        ``"gan"``/``"nsgan"`` (the critic estimates JS) or ``"wgan"``/``"wgan-gp"`` (W1).
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
    lossobj = get_loss(loss)
    check_target(reference)
    seed = _checks.seed("seed", seed)
    steps = _checks.positive_int("steps", steps)
    n_eval = _checks.positive_int("n_eval", n_eval)
    thetas = np.asarray(thetas, dtype=float).reshape(-1)
    if thetas.size == 0 or not np.all(np.isfinite(thetas)):
        raise ValueError(f"thetas must be a non-empty array of finite numbers, got {thetas!r}")
    checkpoints = _checkpoints(checkpoints, steps)
    config = TrainConfig.from_options(loss=loss, steps=steps, batch_size=batch_size, **options)
    specs = [as_generator(family(float(t))) for t in thetas]
    G = stack_parametric(specs, config.device)
    if G.dim != reference.dim:
        raise ValueError(f"family must give laws of the reference's dimension {reference.dim}, got dimension {G.dim}")
    dparams = _param_derivatives(family, thetas)  # (T, n_params)
    exact, exact_grad = _exact(lossobj.divergence, family, reference, thetas)  # before training: fail early
    trainer = Trainer(reference, np.random.SeedSequence(seed).spawn(len(thetas)), config, generator_module=G)
    G.requires_grad_(False)
    shape = (len(checkpoints), len(thetas))
    estimate, grad, estimate_grad = np.empty(shape), np.empty(shape), np.empty(shape)
    c = 0
    for t in range(1, steps + 1):
        trainer.critic_step()
        if t == checkpoints[c]:
            estimate[c], grad[c], estimate_grad[c] = _measure(trainer, lossobj, n_eval, dparams)
            c += 1
    return SweepResult(lossobj.name, lossobj.divergence, thetas, np.array(checkpoints), estimate, grad,
                       estimate_grad, exact, exact_grad)  # fmt: skip


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


def _exact(name, family, reference, thetas, h=1e-4):
    f = getattr(divergences, name)
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
    cps = sorted({_checks.positive_int("checkpoints", c) for c in checkpoints})
    if cps[-1] > steps:
        raise ValueError(f"checkpoints must be <= steps = {steps}, got {cps[-1]}")
    return cps
