"""The Dirac-GAN's field (divergences.games.vector_field) against gan1d's own losses, by autograd.

The setting of Mescheder, Geiger and Nowozin (2018): data at 0, a generator that outputs theta for
every z, a linear critic. Their discriminator :math:`D(x) = \\psi x` is high on the *fakes*
(:math:`L = E_Q h(D) + E_P h(-D)`), while gan1d's logit and critic score are high on the data, so
the gan1d network (:func:`gan1d.lecture.dirac.measured_field`) scores :math:`s(x) = -\\psi x`. Then

* ``gan_discriminator_loss`` = :math:`-L` and ``wgan_critic_loss`` = :math:`-L`: the critic
  minimises them, so :math:`v_\\psi = -\\partial_\\psi` (loss);
* ``gan_generator_loss`` = :math:`L - h(0)`, ``nsgan_generator_loss`` = :math:`-h(-\\psi\\theta)` and
  ``wgan_generator_loss`` = :math:`L`: the generator minimises them, :math:`v_\\theta = -\\partial_\\theta`;
* ``gradient_penalty`` = :math:`(|\\psi| - 1)^2` for the linear critic (its slope is the same at
  every interpolate), weighted by ``gp_weight`` = :math:`\\lambda` as in the trainer: the paper's
  :math:`\\frac{\\gamma}{2}(|\\psi| - g_0)^2` with :math:`\\gamma = 2\\lambda`, :math:`g_0 = 1`;
* the f-GAN's critic V is high on the data, as the f-GAN of :mod:`divergences.games`: it scores
  :math:`V(x) = \\psi x`;
* ``gradient_energy`` (R1 at the data, R2 at the fakes) is :math:`\\frac12\\psi^2`, weighted by
  :math:`\\gamma`; ``consensus_gradients`` follows :math:`v - \\gamma\\nabla\\frac12\\|v\\|^2`.

Losses are means over a batch of identical samples, so the batch size must not matter. The
gradients are computed in float64 and must agree to 1e-12.
"""

import numpy as np
import pytest

from divergences.games import vector_field
from divergences.generators import GENERATORS
from gan1d.lecture.dirac import POINTS, measured_field

TOL = 1e-12


@pytest.mark.parametrize("objective", ["gan", "nsgan", "wgan"])
@pytest.mark.parametrize(("theta", "psi"), POINTS)
def test_gan1d_losses_give_the_papers_field(objective, theta, psi):
    expected = vector_field(objective, theta, psi)
    got = measured_field(objective, theta, psi)
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)
    assert abs(got[0]) + abs(got[1]) > 0.01  # a field that moves something


@pytest.mark.parametrize(("theta", "psi"), POINTS)
def test_gan1d_gradient_penalty_is_the_papers_with_gamma_twice_the_weight(theta, psi):
    expected = vector_field("wgan-gp", theta, psi, gamma=2 * 10.0, g0=1.0)
    np.testing.assert_allclose(measured_field("wgan-gp", theta, psi, gamma=20.0), expected, rtol=TOL, atol=TOL)
    with pytest.raises(ValueError, match="g0 = 1"):
        measured_field("wgan-gp", theta, psi, gamma=20.0, g0=0.5)


@pytest.mark.parametrize("f", sorted(GENERATORS))
def test_gan1d_fgan_losses_give_the_fgan_field(f):
    theta, psi = np.array(POINTS).T  # all points at once: each is a member of gan1d's ensemble axis
    got, expected = measured_field("f-gan", theta, psi, f=f), vector_field("f-gan", theta, psi, f=f)
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)


@pytest.mark.parametrize(("objective", "regularizer"), [("gan", "r1"), ("nsgan", "r2"), ("wgan", "r1"),
                                                        ("gan", "consensus"), ("wgan", "consensus")])  # fmt: skip
def test_gan1d_regularisers_give_the_papers_field(objective, regularizer):
    theta, psi = np.array(POINTS).T
    got = measured_field(objective, theta, psi, regularizer=regularizer, gamma=0.3)
    expected = vector_field(objective, theta, psi, regularizer=regularizer, gamma=0.3)
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL)
    plain = vector_field(objective, theta, psi)
    assert np.abs(np.subtract(expected, plain)).max() > 0.05  # the regulariser changes the field


def test_the_batch_size_does_not_matter_and_the_two_generator_losses_differ():
    one, many = measured_field("nsgan", 0.7, -1.3, batch=1), measured_field("nsgan", 0.7, -1.3, batch=64)
    np.testing.assert_allclose(one, many, rtol=TOL)
    # the minimax and the non-saturating generators share v_psi but not v_theta away from psi theta = 0
    gan, ns = measured_field("gan", 0.7, -1.3), measured_field("nsgan", 0.7, -1.3)
    assert gan[1] == pytest.approx(ns[1], rel=TOL) and abs(gan[0] - ns[0]) > 0.1


def test_unknown_objectives_and_options_are_refused():
    with pytest.raises(ValueError, match="objective must be one of"):
        measured_field("lsgan", 0.7, -1.3)
    with pytest.raises(ValueError, match="clip"):
        measured_field("wgan", 0.7, -1.3, clip=0.1)
