r"""Generators and discriminators: small specs that build ensembles of torch modules.

A *spec* (:class:`MLP`, :class:`ParallelLines`, :class:`LocationScale`) says what network to
build; :func:`gan1d.train` builds it with one member per seed. The parametric generators are
toys with closed forms at every step: ``module.distribution(k)`` is the ``toys`` law of member
k, so :mod:`divergences` gives its exact distance to the target along training.

* :class:`MLP` -- ``latent_dim`` standard normal inputs, ``depth`` hidden layers of ``width``
  units. Used for generators and for discriminators/critics (output dimension 1).
* :class:`ParallelLines` -- :math:`g_\theta(z) = (\theta, z)`, :math:`z \sim U[0, 1]`: the
  generator of Example 1 of the WGAN paper [1]_, whose law is ``toys.ShiftedLine(theta)``.
* :class:`LocationScale` -- :math:`g(z) = \mu + \sigma z`, :math:`z \sim N(0, 1)`, whose law is
  ``toys.Gaussian(mu, |sigma|)``.

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Example 1.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

import toys
from toys.validation import positive_int, positive_scalar, real_scalar

from .networks import ACTIVATIONS, INITS, EnsembleMLP

__all__ = ["MLP", "LocationScale", "ParallelLines", "as_generator"]


@dataclass(frozen=True)
class MLP:
    """A multilayer perceptron: as a generator, latent noise -> samples; as a critic, x -> score.

    Parameters
    ----------
    width : int
        Units per hidden layer (default 128).
    depth : int
        Number of hidden layers (default 3; the WGAN-GP toy script uses 3 layers of 512 [1]_).
    activation : str
        One of ``relu`` (default), ``leaky_relu`` (slope 0.2), ``tanh``, ``elu``, ``gelu``, ``silu``.
    latent_dim : int
        Dimension of the standard normal latent noise, when used as a generator (default 2).
    dim : int or None
        Output dimension as a generator; ``None`` (default) takes the target's.
    batch_norm : bool
        Batch normalisation after each hidden layer's affine map, before its activation (the
        generator of ALI and PacGAN); the running statistics are used in evaluation.
    maxout : int
        Pieces of each hidden unit; above 1 the hidden layers are maxout layers (Goodfellow et al.
        2013; PacGAN's discriminator has 5) and ``activation`` is not used.
    init : str
        Weight initialisation: ``"uniform"`` (default, torch's ``nn.Linear``), ``"normal"``
        (N(0, 0.02²) weights and zero biases, as DCGAN and ALI) or ``"orthogonal"`` (gain 1; the
        unrolled GAN's code uses 1.4), with zero biases.
    init_scale : float or None
        The standard deviation of ``"normal"`` or the gain of ``"orthogonal"``; None: their defaults.

    References
    ----------
    .. [1] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017; the
       ``gan_toy.py`` script of its code release.
    """

    width: int = 128
    depth: int = 3
    activation: str = "relu"
    latent_dim: int = 2
    dim: int | None = None
    batch_norm: bool = False
    maxout: int = 1
    init: str = "uniform"
    init_scale: float | None = None

    def __post_init__(self):
        positive_int("width", self.width)
        positive_int("depth", self.depth)
        positive_int("latent_dim", self.latent_dim)
        if self.dim is not None:
            positive_int("dim", self.dim)
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {self.activation!r}")
        if not isinstance(self.batch_norm, bool):
            raise TypeError(f"batch_norm must be True or False, got {self.batch_norm!r}")
        positive_int("maxout", self.maxout)
        if self.init not in INITS:
            raise ValueError(f"init must be one of {sorted(INITS)}, got {self.init!r}")
        if self.init_scale is not None:
            object.__setattr__(self, "init_scale", positive_scalar("init_scale", self.init_scale))

    def network(self, generators, in_dim, out_dim, device=None):
        """The :class:`~gan1d.training.networks.EnsembleMLP` this spec describes, ``in_dim -> out_dim``."""
        options = {"batch_norm": self.batch_norm, "maxout": self.maxout, "init": self.init, "scale": self.init_scale}
        return EnsembleMLP(generators, in_dim, out_dim, self.width, self.depth, self.activation, device, **options)

    def out_dim(self, target_dim):
        return target_dim if self.dim is None else self.dim

    def build(self, generators, target_dim, device=None):
        """The generator ensemble, one member per ``torch.Generator``."""
        return MLPGenerator(self, generators, self.out_dim(target_dim), device)

    def build_critic(self, generators, in_dim, device=None):
        """The discriminator/critic ensemble: ``(N, batch, in_dim) -> (N, batch)`` scores."""
        return Critic(self.network(generators, in_dim, 1, device))


class Critic(nn.Module):
    """A scalar-valued ensemble: ``(N, batch, d) -> (N, batch)`` (logits of D for GAN losses)."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x).squeeze(-1)


class MLPGenerator(nn.Module):
    """An ensemble of MLP generators with standard normal latent noise."""

    parametric = False

    def __init__(self, spec, generators, out_dim, device=None):
        super().__init__()
        self.spec, self.dim, self.latent_dim = spec, out_dim, spec.latent_dim
        self.net = spec.network(generators, spec.latent_dim, out_dim, device)

    def sample_latent(self, generators, batch):  # -> (N, batch, latent_dim)
        dev = self.net.net[0].weight.device
        return torch.stack([torch.randn(batch, self.latent_dim, generator=g, device=dev) for g in generators])

    def forward(self, z):
        return self.net(z)


@dataclass(frozen=True)
class ParallelLines:
    """The parallel-lines generator :math:`g_\\theta(z) = (\\theta, z)`, z ~ U[0, 1]; law ShiftedLine(theta).

    Parameters
    ----------
    theta : float
        Initial horizontal position (default 1.0).
    """

    theta: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "theta", real_scalar("theta", self.theta))

    def out_dim(self, target_dim):
        return 2

    def params(self):
        return (self.theta,)

    def build(self, generators, target_dim, device=None):
        return ParallelLinesGenerator(np.full(len(generators), self.theta), device)


class ParallelLinesGenerator(nn.Module):
    """Ensemble of parallel-lines generators: one scalar parameter ``theta`` per member."""

    parametric = True
    dim = 2
    latent_dim = 1
    param_names = ("theta",)

    def __init__(self, theta, device=None):
        super().__init__()
        self.theta = nn.Parameter(torch.as_tensor(np.asarray(theta, float), dtype=torch.float32, device=device))

    def sample_latent(self, generators, batch):  # -> (N, batch, 1)
        dev = self.theta.device
        return torch.stack([torch.rand(batch, 1, generator=g, device=dev) for g in generators])

    def forward(self, z):  # z: (N, batch, 1) -> (N, batch, 2)
        return torch.cat([self.theta[:, None, None].expand_as(z), z], dim=-1)

    def param_tensors(self):
        return (self.theta,)

    def distribution(self, k=0):
        """``toys.ShiftedLine(theta_k)``, the exact law of member ``k``."""
        return toys.ShiftedLine(self.theta[k].item())


@dataclass(frozen=True)
class LocationScale:
    """The 1-D generator :math:`\\mu + \\sigma z`, z ~ N(0, 1); law ``Gaussian(mu, |sigma|)``.

    Parameters
    ----------
    mu : float
        Initial location (default 0.0).
    sigma : float
        Initial scale, nonzero (default 1.0). Trained as is; its sign does not change the law.
    """

    mu: float = 0.0
    sigma: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "mu", real_scalar("mu", self.mu))
        object.__setattr__(self, "sigma", real_scalar("sigma", self.sigma))
        if self.sigma == 0:
            raise ValueError("sigma must be nonzero, got 0.0")

    def out_dim(self, target_dim):
        return 1

    def params(self):
        return (self.mu, self.sigma)

    def build(self, generators, target_dim, device=None):
        n = len(generators)
        return LocationScaleGenerator(np.full(n, self.mu), np.full(n, self.sigma), device)


class LocationScaleGenerator(nn.Module):
    """Ensemble of 1-D location-scale generators: parameters ``mu`` and ``sigma`` per member."""

    parametric = True
    dim = 1
    latent_dim = 1
    param_names = ("mu", "sigma")

    def __init__(self, mu, sigma, device=None):
        super().__init__()
        self.mu = nn.Parameter(torch.as_tensor(np.asarray(mu, float), dtype=torch.float32, device=device))
        self.sigma = nn.Parameter(torch.as_tensor(np.asarray(sigma, float), dtype=torch.float32, device=device))

    def sample_latent(self, generators, batch):  # -> (N, batch, 1)
        dev = self.mu.device
        return torch.stack([torch.randn(batch, 1, generator=g, device=dev) for g in generators])

    def forward(self, z):  # z: (N, batch, 1) -> (N, batch, 1)
        return self.mu[:, None, None] + self.sigma[:, None, None] * z

    def param_tensors(self):
        return (self.mu, self.sigma)

    def distribution(self, k=0):
        """``toys.Gaussian(mu_k, |sigma_k|)``, the exact law of member ``k``."""
        sigma = abs(self.sigma[k].item())
        if sigma == 0:
            raise ValueError(f"sigma of member {k} is 0: the generator's law is a point mass")
        return toys.Gaussian(self.mu[k].item(), sigma)


def stack_parametric(specs, device=None):
    """One ensemble whose member k is the parametric spec ``specs[k]`` (all of one class)."""
    kinds = {type(s) for s in specs}
    if len(kinds) != 1:
        raise ValueError(f"family must give generators of one kind, got {sorted(k.__name__ for k in kinds)}")
    values = np.array([s.params() for s in specs], float)  # (N, n_params)
    if isinstance(specs[0], ParallelLines):
        return ParallelLinesGenerator(values[:, 0], device)
    return LocationScaleGenerator(values[:, 0], values[:, 1], device)


def as_generator(law):
    """The parametric generator spec whose law is ``law``, or ``law`` itself if it is a spec.

    ``toys.ShiftedLine(t)`` -> ``ParallelLines(t)``; a 1-D ``toys.Gaussian(m, s)`` ->
    ``LocationScale(m, s)``. Anything else raises ``ValueError``.
    """
    if isinstance(law, ParallelLines | LocationScale):
        return law
    if isinstance(law, toys.ShiftedLine):
        return ParallelLines(law.theta)
    if isinstance(law, toys.Gaussian) and law.dim == 1:
        return LocationScale(float(law.mean), float(law.std))
    raise ValueError(
        f"family must give a toys.ShiftedLine, a 1-D toys.Gaussian or a parametric generator spec, got {law!r}"
    )


def module_type(spec):
    """The class of the ensemble that ``spec.build`` makes: what a saved run can rebuild."""
    return {MLP: MLPGenerator, ParallelLines: ParallelLinesGenerator, LocationScale: LocationScaleGenerator}[type(spec)]


class FixedSampler(torch.nn.Module):
    """A fixed law in the generator's place: ``sample_latent`` draws from the toy, ``forward`` is the identity.

    It has no parameters, so a :class:`Trainer` built on it trains the critic alone.
    """

    parametric = False

    def __init__(self, law, device=None):
        super().__init__()
        self.law, self.dim, self.device = law, law.dim, device

    def sample_latent(self, generators, batch):  # -> (N, batch, d)
        draws = []
        for g in generators:
            rng = np.random.default_rng(int(torch.randint(2**62, (1,), generator=g)))
            draws.append(self.law.sample(batch, rng).reshape(batch, self.dim))
        return torch.as_tensor(np.stack(draws), dtype=torch.float32, device=self.device)

    def forward(self, z):
        return z

    def extra_repr(self):
        return f"law={self.law!r}"
