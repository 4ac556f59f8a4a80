r"""The four losses, side by side, and the defaults each one comes with.

Discriminators output a *logit* :math:`\ell(x)`, with :math:`D(x) = \sigma(\ell(x))`; critics
output the score :math:`f(x)` itself. Every function takes per-member scores of shape
``(N, batch)`` and returns per-member losses of shape ``(N,)`` (a mean over the batch), which the
trainer sums over members before ``backward``.

==========  =====================================  =============================================
loss        discriminator / critic minimises        generator minimises
==========  =====================================  =============================================
gan         :math:`-E\log D(x) - E\log(1-D(G(z)))`  :math:`E\log(1 - D(G(z)))` (minimax) [1]_
nsgan       same                                    :math:`-E\log D(G(z))` (non-saturating) [1]_
wgan        :math:`E f(G(z)) - E f(x)`, clipped      :math:`-E f(G(z))` [2]_
wgan-gp     same + :math:`\lambda E(\|\nabla f(\hat x)\|-1)^2`  :math:`-E f(G(z))` [3]_
==========  =====================================  =============================================

In terms of logits, :math:`-\log D = \mathrm{softplus}(-\ell)` and
:math:`-\log(1-D) = \mathrm{softplus}(\ell)`, which stay finite when D saturates.

References
----------
.. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (Eq. 1 and Sec. 3).
.. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017 (Algorithm 1).
.. [3] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017 (Algorithm 1).
.. [4] A. Radford, L. Metz, S. Chintala, "Unsupervised Representation Learning with Deep
   Convolutional GANs", ICLR 2016 (Adam, lr 2e-4, beta1 0.5).
.. [5] H. Petzka, A. Fischer, D. Lukovnikov, "On the regularization of Wasserstein GANs",
   ICLR 2018 (the one-sided "Lipschitz penalty").
"""

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

__all__ = ["LOSSES", "Loss"]

LN4 = math.log(4.0)


# -- GAN (Goodfellow et al. 2014) -------------------------------------------------------------
def gan_discriminator_loss(real, fake):
    """-E log D(x) - E log(1 - D(G(z))) = -V(D, G)."""
    return F.softplus(-real).mean(-1) + F.softplus(fake).mean(-1)


def gan_generator_loss(fake):
    """E log(1 - D(G(z))): the minimax generator; saturates when D rejects the fakes."""
    return -F.softplus(fake).mean(-1)


def nsgan_generator_loss(fake):
    """-E log D(G(z)): the non-saturating generator of Goodfellow et al., Sec. 3."""
    return F.softplus(-fake).mean(-1)


def js_estimate(real, fake):
    """(V + ln 4) / 2 with V = E log D(x) + E log(1 - D(G(z))); equals JS(P, Q) at D = D*."""
    return 0.5 * (LN4 - gan_discriminator_loss(real, fake))


# -- WGAN (Arjovsky et al. 2017) and WGAN-GP (Gulrajani et al. 2017) --------------------------
def wgan_critic_loss(real, fake):
    """E f(G(z)) - E f(x): minus the Kantorovich-Rubinstein objective."""
    return fake.mean(-1) - real.mean(-1)


def wgan_generator_loss(fake):
    """-E f(G(z))."""
    return -fake.mean(-1)


def w1_estimate(real, fake):
    """E f(x) - E f(G(z)); equals W1(P, Q) for the optimal 1-Lipschitz f."""
    return real.mean(-1) - fake.mean(-1)


def gradient_penalty(critic, real, fake, generators, one_sided=False):
    """E (||grad f(x_hat)|| - 1)^2 at x_hat = eps x + (1 - eps) G(z), eps ~ U[0, 1] per sample.

    ``real`` and ``fake`` are ``(N, batch, d)``; returns ``(N,)``. Built with ``create_graph`` so
    the penalty is differentiated with respect to the critic's parameters. ``one_sided`` penalises
    only norms above 1, E max(0, ||grad f|| - 1)^2 [5]_.

    In 1-D the two-sided penalty traps a critic in the sign of its initial slope: reversing it
    means passing through slope 0, where the penalty (lambda = 10) outweighs the objective, so
    about half of randomly started 1-D critics settle near -W1. The one-sided penalty has no such
    barrier. In 2-D and above the critic's gradient can rotate instead, and both work.
    """
    batch = real.shape[1]
    eps = torch.stack([torch.rand(batch, 1, generator=g, device=real.device) for g in generators])  # (N, batch, 1)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)  # (N, batch, d)
    excess = grad.norm(dim=-1) - 1  # (N, batch)
    if one_sided:
        excess = excess.clamp(min=0)
    return (excess**2).mean(-1)


@dataclass(frozen=True)
class Loss:
    """A loss by name: its two objectives, the divergence its critic estimates, and its defaults."""

    name: str
    critic_loss: object  # (real scores, fake scores) -> (N,)
    generator_loss: object  # fake scores -> (N,)
    estimate: object  # (real scores, fake scores) -> (N,) divergence estimate
    divergence: str  # "js" or "w1": what `estimate` estimates
    defaults: dict  # TrainConfig fields this loss sets, with their source in `sources`
    sources: str

    @property
    def probabilistic(self):
        """True when the critic is a discriminator whose sigmoid is a probability."""
        return self.divergence == "js"


_GAN_DEFAULTS = {"optimizer": "adam", "lr_d": 2e-4, "lr_g": 2e-4, "betas": (0.5, 0.999), "n_critic": 1}
_GAN_SOURCE = "Goodfellow et al. 2014 (one D step per G step); Adam lr 2e-4, betas (0.5, 0.999) of DCGAN [4]"

LOSSES = {
    "gan": Loss("gan", gan_discriminator_loss, gan_generator_loss, js_estimate, "js", _GAN_DEFAULTS, _GAN_SOURCE),
    "nsgan": Loss("nsgan", gan_discriminator_loss, nsgan_generator_loss, js_estimate, "js", _GAN_DEFAULTS, _GAN_SOURCE),
    "wgan": Loss(
        "wgan",
        wgan_critic_loss,
        wgan_generator_loss,
        w1_estimate,
        "w1",
        {"optimizer": "rmsprop", "lr_d": 5e-5, "lr_g": 5e-5, "n_critic": 5, "clip": 0.01},
        "Arjovsky et al. 2017, Algorithm 1: RMSProp lr 5e-5, clip 0.01, n_critic 5",
    ),
    "wgan-gp": Loss(
        "wgan-gp",
        wgan_critic_loss,
        wgan_generator_loss,
        w1_estimate,
        "w1",
        {"optimizer": "adam", "lr_d": 1e-4, "lr_g": 1e-4, "betas": (0.5, 0.9), "n_critic": 5, "gp_weight": 10.0},
        "Gulrajani et al. 2017, Algorithm 1: lambda 10, Adam lr 1e-4, betas (0.5, 0.9), n_critic 5",
    ),
}


def get_loss(name):
    """The :class:`Loss` called ``name``; ``ValueError`` listing the names otherwise."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {name!r}")
    return LOSSES[name]
