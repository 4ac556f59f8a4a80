r"""The regularisers that make GANs converge, beside the losses they are added to.

Each is a small function the :class:`~gan1d.training.trainer.Trainer` calls when its
:class:`~gan1d.TrainConfig` field is set; at the defaults none is called and training is what it
was without them.

==================  =====================================================================  =========
field               what the trainer does                                                  source
==================  =====================================================================  =========
``r1``              critic loss + :math:`\tfrac{\gamma}{2} E_P\|\nabla_x D(x)\|^2`         [1]_
``r2``              critic loss + :math:`\tfrac{\gamma}{2} E_Q\|\nabla_x D(x)\|^2`         [1]_
``instance_noise``  real and fake samples + :math:`N(0, \sigma_t^2 I)`, for both players   [2]_ [3]_
``updates``         ``"simultaneous"``: both gradients at the same point, then both steps  [4]_
``consensus``       both players follow :math:`v - \gamma\nabla\tfrac12\|v\|^2`            [4]_
``spectral_norm``   every layer's weight divided by its largest singular value             [5]_
==================  =====================================================================  =========

D is the critic's raw output (the logit for the GAN losses). :math:`\sigma_t` is
``instance_noise`` held constant, or decayed linearly to 0 over ``instance_noise_anneal``
generator steps (:func:`noise_level`). With instance noise, R1 and R2 are taken at the noisy
points the critic sees.

References
----------
.. [1] L. Mescheder, A. Geiger, S. Nowozin, "Which Training Methods for GANs do actually
   Converge?", ICML 2018 (the R1 and R2 penalties; the Dirac-GAN of :mod:`divergences.games`).
.. [2] C. K. Sønderby et al., "Amortised MAP Inference for Image Super-resolution", ICLR 2017
   (instance noise, annealed).
.. [3] M. Arjovsky, L. Bottou, "Towards Principled Methods for Training Generative Adversarial
   Networks", ICLR 2017 (noise on both laws makes the divergences continuous).
.. [4] L. Mescheder, S. Nowozin, A. Geiger, "The Numerics of GANs", NeurIPS 2017 (simultaneous
   gradient steps; consensus optimisation).
.. [5] T. Miyato et al., "Spectral Normalization for Generative Adversarial Networks", ICLR 2018.
"""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrize

__all__ = ["EnsembleSpectralNorm", "consensus_gradients", "gradient_energy", "noise_level", "noisy", "spectral_norm"]


def gradient_energy(critic, x):
    r""":math:`\tfrac12 E\|\nabla_x D(x)\|^2` per member: R1 at real ``x``, R2 at fake ``x`` (without gamma).

    ``x`` is ``(N, batch, d)``; returns ``(N,)``. Built with ``create_graph`` so that it is
    differentiated with respect to the critic's parameters (and, when ``x`` carries a graph, as
    fakes do under simultaneous updates, with respect to what ``x`` depends on). Points without
    a graph are taken in the precision of the critic's parameters.
    """
    if not x.requires_grad:
        dtype = next(critic.parameters()).dtype if isinstance(critic, torch.nn.Module) else x.dtype
        x = x.detach().to(dtype).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)  # (N, batch, d)
    return 0.5 * grad.pow(2).sum(-1).mean(-1)


def noise_level(sigma, anneal, step):
    r"""The instance noise's standard deviation after ``step`` generator steps.

    :math:`\sigma_t = \sigma \max(0, 1 - t / T)` with ``T = anneal``; ``sigma`` itself when
    ``anneal`` is None. Critic steps before the first generator step (pretraining included) see
    ``t = 0``.
    """
    if anneal is None:
        return float(sigma)
    return float(sigma) * max(0.0, 1.0 - step / anneal)


def noisy(x, sigma, generators):
    """``x + sigma * E``, E standard normal from each member's stream; ``x`` itself when sigma is 0."""
    if sigma == 0:
        return x
    e = torch.stack([torch.randn(x.shape[1:], generator=g, device=x.device) for g in generators])  # (N, batch, d)
    return x + sigma * e.to(x.dtype)


def consensus_gradients(g_loss, d_loss, g_params, d_params, gamma):
    r"""Gradients of both players for consensus optimisation.

    With :math:`g = (\nabla_\theta L_G, \nabla_\phi L_D)` (each player's gradient of its own
    loss, so that the field is :math:`v = -g`), the players descend
    :math:`g + \gamma\nabla\tfrac12\|g\|^2`, i.e. follow :math:`v - \gamma\nabla\tfrac12\|v\|^2`.
    Returns the list of gradients of ``g_params + d_params``. ``gamma = 0`` gives plain
    simultaneous gradients.
    """
    g_params, d_params = list(g_params), list(d_params)
    params, n_g = g_params + d_params, len(g_params)
    g = torch.autograd.grad(g_loss, params[:n_g], create_graph=gamma > 0, retain_graph=True)  # the scores are shared
    g += torch.autograd.grad(d_loss, params[n_g:], create_graph=gamma > 0, retain_graph=gamma > 0)
    if gamma == 0:
        return list(g)
    energy = 0.5 * sum(t.pow(2).sum() for t in g)
    extra = torch.autograd.grad(energy, params, allow_unused=True)
    return [(a + gamma * b if b is not None else a).detach() for a, b in zip(g, extra)]


class EnsembleSpectralNorm(nn.Module):
    r"""Divides each member's weight ``(N, in, out)`` by its largest singular value.

    The singular value is estimated by power iteration as in
    ``torch.nn.utils.parametrizations.spectral_norm`` (Miyato et al. 2018, Algorithm 1): one
    iteration per forward pass in training mode, on vectors kept between passes (buffers, saved
    with the network); every member has its own vectors, started from fixed random vectors
    (seed 0) and 15 iterations on the initial weight, as torch does.
    """

    def __init__(self, weight, n_power_iterations=1, eps=1e-12):
        super().__init__()
        self.n_power_iterations, self.eps = n_power_iterations, eps
        n, d_in, d_out = weight.shape
        gen = torch.Generator(device="cpu").manual_seed(0)
        u = torch.randn(n, d_in, generator=gen).to(weight.device, weight.dtype)
        v = torch.randn(n, d_out, generator=gen).to(weight.device, weight.dtype)
        self.register_buffer("_u", F.normalize(u, dim=-1, eps=eps))  # (N, in): left singular vectors of W_k
        self.register_buffer("_v", F.normalize(v, dim=-1, eps=eps))  # (N, out): right singular vectors
        if weight.device.type != "meta":
            self._power_method(weight, 15)

    @torch.no_grad()
    def _power_method(self, weight, iterations):
        for _ in range(iterations):
            self._u = F.normalize(torch.einsum("nio,no->ni", weight, self._v), dim=-1, eps=self.eps)
            self._v = F.normalize(torch.einsum("nio,ni->no", weight, self._u), dim=-1, eps=self.eps)

    def forward(self, weight):  # weight: (N, in, out)
        """The weights of the N seeds, each divided by its estimated largest singular value."""
        if self.training:
            self._power_method(weight.detach(), self.n_power_iterations)
        u, v = self._u.clone(), self._v.clone()
        sigma = torch.einsum("ni,nio,no->n", u, weight, v)  # (N,)
        return weight / sigma[:, None, None]


def spectral_norm(critic):
    """Parametrise the weight of every ``EnsembleLinear`` layer of ``critic`` (spectral normalisation); returns it."""
    from .networks import EnsembleLinear

    for module in critic.modules():
        if isinstance(module, EnsembleLinear):
            parametrize.register_parametrization(module, "weight", EnsembleSpectralNorm(module.weight))
    return critic
