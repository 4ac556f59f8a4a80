r"""Remedies for mode collapse: packing, unrolling, and the minibatch standard deviation.

Fields of :class:`gan1d.TrainConfig`, off by default:

* ``pack=m`` -- PacGAN [1]_: the discriminator scores m samples concatenated into one input of
  dimension m·d, real with real and fake with fake (:func:`pack`). A batch holds ``batch_size``
  packs, so m·``batch_size`` samples per side. Packing m samples lets the discriminator see the
  product laws :math:`P^m` and :math:`Q^m`, between which a collapsed generator is easier to tell
  apart; m = 1 is the ordinary GAN, step for step.
* ``unroll=k`` -- the unrolled GAN [2]_: the generator's loss is taken at the critic after k
  look-ahead updates, differentiated through them (:func:`unrolled_critic`); the critic itself is
  updated once per step as usual. k = 0 is the ordinary GAN.
* ``minibatch_std=True`` -- Karras et al. [3]_, Sec. 3: the critic's last layer also receives the
  standard deviation of each hidden feature over the batch, averaged over the features
  (:class:`MinibatchStdCritic`), a statistic in which a collapsed generator's batch differs from
  the data's.

References
----------
.. [1] Z. Lin, A. Khetan, G. Fanti, S. Oh, "PacGAN: The power of two samples in generative
   adversarial networks", NeurIPS 2018, Sec. 3.
.. [2] L. Metz, B. Poole, D. Pfau, J. Sohl-Dickstein, "Unrolled generative adversarial networks",
   ICLR 2017, Sec. 2.
.. [3] T. Karras, T. Aila, S. Laine, J. Lehtinen, "Progressive growing of GANs for improved
   quality, stability, and variation", ICLR 2018, Sec. 3.
"""

import torch
from torch import nn

from .networks import EnsembleLinear

__all__ = ["MinibatchStdCritic", "functional_critic", "lookahead", "pack"]

STD_EPS = 1e-8  # inside the square root of the variance, as in Karras et al.'s layer


def pack(x, m):
    """Concatenate consecutive groups of ``m`` samples: ``(N, m * b, d) -> (N, b, m * d)``; ``x`` itself for m = 1.

    The samples of a batch are independent draws, so any grouping gives packs distributed as
    m independent samples, as PacGAN's discriminator sees them.
    """
    if m == 1:
        return x
    n, size, d = x.shape
    if size % m:
        raise ValueError(f"a batch of {size} samples cannot be cut into packs of {m}")
    return x.reshape(n, size // m, m * d)


class MinibatchStdCritic(nn.Module):
    """An MLP critic whose last layer also sees the batch's mean feature deviation (Karras et al. 2018, Sec. 3).

    The hidden layers of ``spec`` (a :class:`gan1d.MLP`) map ``(N, batch, in_dim)`` to features
    ``h``; the standard deviation of each feature over the batch, :math:`\\sqrt{\\mathrm{Var}\\,h +
    10^{-8}}`, averaged over the features, is appended to every row as one more feature before
    the output layer. The score of a point thus depends on the batch it is scored in: evaluate it
    on batches like those it was trained on.
    """

    def __init__(self, generators, in_dim, spec, device=None):
        super().__init__()
        self.hidden = nn.Sequential(*spec.network(generators, in_dim, 1, device).net[:-1])  # all but the output layer
        self.head = EnsembleLinear(generators, spec.width + 1, 1, device, init=spec.init, scale=spec.init_scale)

    def forward(self, x):
        """Scores ``(N, batch)`` of points ``(N, batch, in_dim)``, each member over its own batch."""
        h = self.hidden(x)
        std = torch.sqrt(h.var(dim=1, unbiased=False, keepdim=True) + STD_EPS).mean(-1, keepdim=True)  # (N, 1, 1)
        return self.head(torch.cat([h, std.expand(*h.shape[:2], 1)], dim=-1)).squeeze(-1)


def functional_critic(critic, params):
    """The critic with the parameters ``params`` (name -> tensor) in place of its own, as a function of points."""

    def score(x):
        return torch.func.functional_call(critic, params, (x,))

    return score


def lookahead(critic, optimizer, loss_fn, k, clip=None):
    """The critic's parameters after ``k`` updates of its own optimizer, kept differentiable.

    ``loss_fn(score)`` is the critic's loss ``(N,)`` for a critic function ``score``; whatever it
    depends on (the fake batch, hence the generator's parameters) stays in the graph, so the
    returned parameters are differentiable functions of it (Metz et al. 2017, Eq. 7-8). Each update
    is the optimizer's own rule (Adam, RMSprop or SGD, with its hyper-parameters and its current
    moment estimates, which the look-ahead advances without writing back), followed by the weight
    clipping ``clip`` if set. The critic's parameters themselves are not changed.
    """
    names = [name for name, _ in critic.named_parameters()]
    own = [p for _, p in critic.named_parameters()]
    group = optimizer.param_groups[0]
    params = [p.detach().requires_grad_(True) for p in own]
    state = [_moments(optimizer, p) for p in own]
    for _ in range(k):
        loss = loss_fn(functional_critic(critic, dict(zip(names, params)))).sum()
        grads = torch.autograd.grad(loss, params, create_graph=True)
        params, state = zip(*[_update(optimizer, group, p, g, s) for p, g, s in zip(params, grads, state)])
        if clip:
            params = [p.clamp(-clip, clip) for p in params]
    return dict(zip(names, params))


def _moments(optimizer, p):
    """The optimizer's state for ``p`` (step, first and second moments), detached; zeros before its first step."""
    s = optimizer.state.get(p, {})
    zeros = torch.zeros_like(p)
    step = float(s["step"]) if "step" in s else 0.0
    if isinstance(optimizer, torch.optim.Adam):
        return step, s.get("exp_avg", zeros).detach(), s.get("exp_avg_sq", zeros).detach()
    if isinstance(optimizer, torch.optim.RMSprop):
        return step, None, s.get("square_avg", zeros).detach()
    return step, None, None


def _update(optimizer, group, p, g, state):
    """One step of the optimizer's rule on ``p`` with gradient ``g``, differentiable; the new (p, state)."""
    step, m, v = state
    lr = group["lr"]
    if isinstance(optimizer, torch.optim.Adam):
        (b1, b2), eps = group["betas"], group["eps"]
        step += 1.0
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_hat = (v / (1 - b2**step)).clamp_min(1e-38)  # sqrt's derivative at 0 is infinite
        return p - lr * (m / (1 - b1**step)) / (torch.sqrt(v_hat) + eps), (step, m, v)
    if isinstance(optimizer, torch.optim.RMSprop):
        alpha, eps = group["alpha"], group["eps"]
        v = alpha * v + (1 - alpha) * g * g
        return p - lr * g / (torch.sqrt(v.clamp_min(1e-38)) + eps), (step + 1.0, m, v)
    return p - lr * g, (step + 1.0, m, v)
