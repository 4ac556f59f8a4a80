"""The Dirac-GAN's field (divergences.games.vector_field) against gan1d's own losses, by autograd.

The setting of Mescheder, Geiger and Nowozin (2018): data at 0, a generator that outputs theta for
every z, a linear critic. Their discriminator :math:`D(x) = \\psi x` is high on the *fakes*
(:math:`L = E_Q h(D) + E_P h(-D)`), while gan1d's logit and critic score are high on the data, so
the gan1d network here scores :math:`s(x) = -\\psi x`. Then

* ``gan_discriminator_loss`` = :math:`-L` and ``wgan_critic_loss`` = :math:`-L`: the critic
  minimises them, so :math:`v_\\psi = -\\partial_\\psi` (loss);
* ``gan_generator_loss`` = :math:`L - h(0)`, ``nsgan_generator_loss`` = :math:`-h(-\\psi\\theta)` and
  ``wgan_generator_loss`` = :math:`L`: the generator minimises them, :math:`v_\\theta = -\\partial_\\theta`;
* ``gradient_penalty`` = :math:`(|\\psi| - 1)^2` for the linear critic (its slope is the same at
  every interpolate), weighted by ``gp_weight`` = :math:`\\lambda` as in the trainer: the paper's
  :math:`\\frac{\\gamma}{2}(|\\psi| - g_0)^2` with :math:`\\gamma = 2\\lambda`, :math:`g_0 = 1`.

Losses are means over a batch of identical samples, so the batch size must not matter. The
gradients are computed in float64 and must agree to 1e-12.
"""

import numpy as np
import pytest
import torch

from divergences.games import vector_field
from gan1d.training import losses

POINTS = [(0.7, -1.3), (-2.0, 0.4), (1.5, 2.5), (0.0, 1.0), (3.0, -0.05)]
TOL = 1e-12
GENERATOR = {"gan": losses.gan_generator_loss, "nsgan": losses.nsgan_generator_loss, "wgan": losses.wgan_generator_loss}
CRITIC = {"gan": losses.gan_discriminator_loss, "nsgan": losses.gan_discriminator_loss, "wgan": losses.wgan_critic_loss}


def _autograd_field(objective, theta, psi, batch=3, gp_weight=None):
    """(-d generator loss / d theta, -d critic loss / d psi) from gan1d's losses, in float64."""
    th = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    ps = torch.tensor(psi, dtype=torch.float64, requires_grad=True)

    def critic(x):  # (N, batch, 1) -> (N, batch): gan1d's score, minus the paper's D(x) = psi x
        return -ps * x[..., 0]

    real = torch.zeros(1, batch, 1, dtype=torch.float64)  # the data: a point mass at 0
    fake = th * torch.ones(1, batch, 1, dtype=torch.float64)  # the generator: a point mass at theta
    loss = "wgan" if objective == "wgan-gp" else objective
    (g_theta,) = torch.autograd.grad(GENERATOR[loss](critic(fake)).sum(), th)
    d_loss = CRITIC[loss](critic(real), critic(fake.detach()))  # (N,)
    if gp_weight is not None:
        noise = [torch.Generator().manual_seed(0)]
        d_loss = d_loss + gp_weight * losses.gradient_penalty(critic, real, fake.detach(), noise)
    (g_psi,) = torch.autograd.grad(d_loss.sum(), ps)
    return -g_theta.item(), -g_psi.item()


@pytest.mark.parametrize("objective", ["gan", "nsgan", "wgan"])
@pytest.mark.parametrize(("theta", "psi"), POINTS)
def test_gan1d_losses_give_the_papers_field(objective, theta, psi):
    expected = vector_field(objective, theta, psi)
    got = _autograd_field(objective, theta, psi)
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)
    assert abs(got[0]) + abs(got[1]) > 0.01  # a field that moves something


@pytest.mark.parametrize(("theta", "psi"), POINTS)
def test_gan1d_gradient_penalty_is_the_papers_with_gamma_twice_the_weight(theta, psi):
    expected = vector_field("wgan-gp", theta, psi, gamma=2 * 10.0, g0=1.0)
    np.testing.assert_allclose(_autograd_field("wgan-gp", theta, psi, gp_weight=10.0), expected, rtol=TOL, atol=TOL)


def test_the_batch_size_does_not_matter_and_the_two_generator_losses_differ():
    one, many = _autograd_field("nsgan", 0.7, -1.3, batch=1), _autograd_field("nsgan", 0.7, -1.3, batch=64)
    np.testing.assert_allclose(one, many, rtol=TOL)
    # the minimax and the non-saturating generators share v_psi but not v_theta away from psi theta = 0
    gan, ns = _autograd_field("gan", 0.7, -1.3), _autograd_field("nsgan", 0.7, -1.3)
    assert gan[1] == pytest.approx(ns[1], rel=TOL) and abs(gan[0] - ns[0]) > 0.1
