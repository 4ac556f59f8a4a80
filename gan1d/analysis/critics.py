r"""Discriminators and critics between two fixed laws, and the optimal one.

* :func:`optimal_discriminator` -- :math:`D^*(x) = p(x) / (p(x) + q(x))` for toys with densities.
* :func:`gan1d.train_critic` -- a discriminator/critic trained between two fixed toys (D vs D*, and
  the WGAN critic against the saturated GAN discriminator, Figure 2 of the WGAN paper [1]_).

References
----------
.. [1] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017, Figures 1 and 2.
.. [2] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, Proposition 1.
"""

import numpy as np
import torch
from scipy.special import expit

import toys
from toys import validation

from ..training.config import TrainConfig
from ..training.losses import get_loss
from ..training.trainer import Trainer, check_target

__all__ = ["TrainedCritic", "optimal_discriminator", "train_critic"]


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
    """A discriminator/critic trained by :func:`gan1d.train_critic`: call it on points to get D(x), f(x) or T(x).

    ``loss`` is the loss's name and ``f`` the f-GAN's generator (None for the other losses).
    """

    def __init__(self, loss, module, dim, history, f=None):
        self.loss, self.f = get_loss(loss, f).name, f
        self.module, self.dim, self.history = module, dim, history

    def __call__(self, x):
        """D(x) in (0, 1) for ``gan``/``nsgan``, f(x) for WGANs, T(x) = g_f(V(x)) for ``f-gan``, the
        least-squares score for ``lsgan``; numpy of shape ``(n,)``."""
        pts = validation.points("x", x, dim=self.dim)
        t = torch.as_tensor(pts, dtype=torch.float32)[None]  # (1, n, d)
        with torch.no_grad():
            s = self.module(t)[0].double()
        output = get_loss(self.loss, self.f).output
        return (s if output is None else output(s)).numpy()


def train_critic(loss, real, fake, steps=2000, seed=0, batch_size=256, **options):
    """Train a discriminator (``gan``/``nsgan``/``lsgan``) or critic (``wgan``/``wgan-gp``/``f-gan``) between two toys.

    Parameters
    ----------
    loss : str
        Which objective the critic maximises (see :mod:`gan1d.training.losses`).
    real, fake : toys.Distribution
        The two laws, of the same dimension; ``fake`` plays the generator's law.
    steps : int
        Critic updates.
    seed, batch_size, **options
        As for :func:`gan1d.train` (``discriminator``, ``lr_d``, ``clip``, ``gp_weight``, ``f`` for
        ``"f-gan"``, ...).

    Returns
    -------
    TrainedCritic
        ``critic(x)`` evaluates it; ``critic.history["estimate"]`` is its estimate per step.
    """
    seed = validation.seed("seed", seed)
    config = TrainConfig.from_options(loss=loss, steps=steps, batch_size=batch_size, **options)
    config.check_unpacked("train_critic")
    check_target(real)
    if not isinstance(fake, toys.Distribution) or fake.dim != getattr(real, "dim", None):
        dim = getattr(real, "dim", None)
        raise ValueError(f"fake must be a toy of the same dimension as real ({dim}), got {fake!r}")
    trainer = Trainer(real, [seed], config, generator=fake)
    history = {"step": np.arange(1, steps + 1, dtype=float), "estimate": trainer.train_critic(steps)[:, 0]}
    return TrainedCritic(loss, trainer.D, real.dim, history, config.f)
