r"""The losses, side by side, and the defaults each one comes with.

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
f-gan       :math:`-E g_f(V(x)) + E f^*(g_f(V(G(z))))`  :math:`-E f^*(g_f(V(G(z))))` (saddle point) [6]_
lsgan       :math:`\tfrac12 E(D(x)-1)^2 + \tfrac12 E(D(G(z))+1)^2`  :math:`\tfrac12 E D(G(z))^2` [7]_
==========  =====================================  =============================================

In terms of logits, :math:`-\log D = \mathrm{softplus}(-\ell)` and
:math:`-\log(1-D) = \mathrm{softplus}(\ell)`, which stay finite when D saturates.

The f-GAN critic outputs a raw score V read through the activation :math:`g_f` of its generator
f (``TrainConfig.f``, a name of :data:`divergences.generators.GENERATORS`); the LSGAN
discriminator outputs its least-squares score D itself. Their ``estimate`` is the divergence each
objective bounds from below: :math:`D_f(P\,\|\,Q)` (``divergences.f_divergence(p, q, f)``) and
:math:`\chi^2(Q\,\|\,(P + Q)/2)` (:func:`gan1d.training.fgan.lsgan_divergence`).

References
----------
.. [1] I. Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014 (Eq. 1 and Sec. 3).
.. [2] M. Arjovsky, S. Chintala, L. Bottou, "Wasserstein GAN", ICML 2017 (Algorithm 1).
.. [3] I. Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017 (Algorithm 1).
.. [4] A. Radford, L. Metz, S. Chintala, "Unsupervised Representation Learning with Deep
   Convolutional GANs", ICLR 2016 (Adam, lr 2e-4, beta1 0.5).
.. [5] H. Petzka, A. Fischer, D. Lukovnikov, "On the regularization of Wasserstein GANs",
   ICLR 2018 (the one-sided "Lipschitz penalty").
.. [6] S. Nowozin, B. Cseke, R. Tomioka, "f-GAN: Training generative neural samplers using
   variational divergence minimization", NeurIPS 2016 (Sec. 3, Algorithm 1, Table 2).
.. [7] X. Mao et al., "Least squares generative adversarial networks", ICCV 2017 (Sec. 3.2).
"""

import dataclasses
import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

import divergences
from divergences.generators import GENERATORS

from .fgan import ACTIVATIONS, lsgan_divergence

__all__ = ["LOSSES", "Loss", "MemberLosses"]

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


# -- f-GAN (Nowozin et al. 2016) --------------------------------------------------------------
# F(theta, omega) = E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))] (their Sec. 3): the critic ascends F, the
# generator descends it (a saddle point). The generator's part of F is the second term
# only. Sec. 3.2 also suggests maximising E_Q[g_f(V(G(z)))] instead, as the non-saturating GAN does;
# that alternative is not implemented here: the saddle-point objective is the one whose value at
# the optimal critic is D_f. For f = "gan" these are the "gan" loss's functions (the tests check it).
def fgan_critic_loss(real, fake, f):
    """-(E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))]): minus the variational bound."""
    return -fgan_estimate(real, fake, f)


def fgan_generator_loss(fake, f):
    """-E_Q[f*(g_f(V(G(z))))]: the part of the bound that depends on G."""
    return -ACTIVATIONS[f][1](fake).mean(-1)


def fgan_estimate(real, fake, f):
    """E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))] <= D_f(P || Q), equal at V = V* (divergences.variational)."""
    activation, conjugate = ACTIVATIONS[f]
    return activation(real).mean(-1) - conjugate(fake).mean(-1)


# -- LSGAN (Mao et al. 2017), a = -1, b = 1, c = 0 ---------------------------------------------
# The coding with b - c = 1 and b - a = 2 (their Sec. 3.2), under which the generator's objective
# at the optimal D is chi2(Q || (P + Q)/2) (gan1d.training.fgan.lsgan_divergence). The paper's
# generator objective also holds 1/2 E_P (D(x) - c)^2, which does not depend on G; it is left out.
def lsgan_discriminator_loss(real, fake):
    """1/2 E (D(x) - b)^2 + 1/2 E (D(G(z)) - a)^2 with b = 1, a = -1."""
    return 0.5 * (real - 1.0).pow(2).mean(-1) + 0.5 * (fake + 1.0).pow(2).mean(-1)


def lsgan_generator_loss(fake):
    """1/2 E (D(G(z)) - c)^2 with c = 0."""
    return 0.5 * fake.pow(2).mean(-1)


def lsgan_estimate(real, fake):
    """1 - discriminator loss; equals chi2(Q || (P + Q)/2) at D* = (p - q)/(p + q), below it otherwise."""
    return 1.0 - lsgan_discriminator_loss(real, fake)


@dataclass(frozen=True)
class Loss:
    """A loss by name: its two objectives, the divergence its critic estimates, and its defaults."""

    name: str
    critic_loss: object  # (real scores, fake scores) -> (N,)
    generator_loss: object  # fake scores -> (N,)
    estimate: object  # (real scores, fake scores) -> (N,) divergence estimate
    divergence: str  # what `estimate` estimates: "js", "w1", "lsgan", or (f-gan) the name of f
    defaults: dict  # TrainConfig fields this loss sets, with their source in `sources`
    sources: str
    exact: object = None  # (p, q) -> float, `divergence` exactly; None: divergences.<divergence>
    output: object = None  # raw scores -> what the critic reports (D = sigmoid, T = g_f(V)); None: the scores
    f: str | None = None  # f-gan: the name of its generator

    @property
    def probabilistic(self):
        """True when the critic is a discriminator whose sigmoid is a probability."""
        return self.name in ("gan", "nsgan")

    def exact_divergence(self, p, q):
        """The divergence that ``estimate`` estimates, between two laws, exactly (D(real, fake))."""
        return float(self.exact(p, q) if self.exact is not None else getattr(divergences, self.divergence)(p, q))


class MemberLosses:
    """One :class:`Loss` per member of an ensemble: member k's scores go through ``losses[k]``.

    Has the three functions of a :class:`Loss` (scores of shape ``(N, batch)`` to ``(N,)``), so a
    :class:`gan1d.Trainer` whose members have their own configs trains them in one step; the
    members' networks are independent, so each receives the gradient of its own loss only.
    """

    def __init__(self, losses):
        self.losses = tuple(losses)

    def _each(self, name, *scores):
        return torch.cat([getattr(loss, name)(*(s[k : k + 1] for s in scores)) for k, loss in enumerate(self.losses)])

    def critic_loss(self, real, fake):
        return self._each("critic_loss", real, fake)

    def generator_loss(self, fake):
        return self._each("generator_loss", fake)

    def estimate(self, real, fake):
        return self._each("estimate", real, fake)


_GAN_DEFAULTS = {"optimizer": "adam", "lr_d": 2e-4, "lr_g": 2e-4, "betas": (0.5, 0.999), "n_critic": 1}
_GAN_SOURCE = "Goodfellow et al. 2014 (one D step per G step); Adam lr 2e-4, betas (0.5, 0.999) of DCGAN [4]"

LOSSES = {
    "gan": Loss(
        "gan",
        gan_discriminator_loss,
        gan_generator_loss,
        js_estimate,
        "js",
        _GAN_DEFAULTS,
        _GAN_SOURCE,
        output=torch.sigmoid,
    ),
    "nsgan": Loss(
        "nsgan",
        gan_discriminator_loss,
        nsgan_generator_loss,
        js_estimate,
        "js",
        _GAN_DEFAULTS,
        _GAN_SOURCE,
        output=torch.sigmoid,
    ),
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
    # The functions of the f-gan entry take f as a third argument; get_loss("f-gan", f) binds it.
    "f-gan": Loss(
        "f-gan",
        fgan_critic_loss,
        fgan_generator_loss,
        fgan_estimate,
        "f",
        _GAN_DEFAULTS,
        "Nowozin et al. 2016, Algorithm 1 (one critic step per generator step), Adam [6]; lr 2e-4 and "
        "betas (0.5, 0.999) of DCGAN [4], as for gan (the paper's own were not checked)",
    ),
    "lsgan": Loss(
        "lsgan",
        lsgan_discriminator_loss,
        lsgan_generator_loss,
        lsgan_estimate,
        "lsgan",
        _GAN_DEFAULTS,
        "Mao et al. 2017, Sec. 3.2 (a = -1, b = 1, c = 0), one D step per G step; Adam lr 2e-4, betas (0.5, 0.999) "
        "of DCGAN [4], as for gan",
        exact=lsgan_divergence,
    ),
}


def get_loss(name, f=None):
    """The :class:`Loss` called ``name``, for the generator ``f`` with ``"f-gan"``.

    Raises
    ------
    ValueError
        For an unknown ``name``; for ``"f-gan"`` without ``f`` or with an ``f`` that names no generator
        of :data:`divergences.generators.GENERATORS`; for an ``f`` with another loss.
    TypeError
        If ``f`` is neither None nor a string.
    """
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {name!r}")
    if name != "f-gan":
        if f is not None:
            raise ValueError(f"f is the generator of loss='f-gan' only, got f={f!r} with loss={name!r}")
        return LOSSES[name]
    if f is None:
        raise ValueError(f"loss='f-gan' needs f, the name of its generator: one of {tuple(GENERATORS)}")
    if not isinstance(f, str):
        raise TypeError(f"f must be the name of a generator, one of {tuple(GENERATORS)}, got {f!r}")
    if f not in GENERATORS:
        raise ValueError(f"f must be one of {tuple(GENERATORS)}, got {f!r}")
    return _fgan(f)


@functools.cache
def _fgan(f):
    """The f-gan :class:`Loss` with its functions bound to the generator ``f``."""
    template = LOSSES["f-gan"]
    return dataclasses.replace(
        template,
        critic_loss=functools.partial(fgan_critic_loss, f=f),
        generator_loss=functools.partial(fgan_generator_loss, f=f),
        estimate=functools.partial(fgan_estimate, f=f),
        divergence=f,
        exact=functools.partial(divergences.f_divergence, f=f),
        output=ACTIVATIONS[f][0],
        f=f,
    )
