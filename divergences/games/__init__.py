"""The games of GAN training: their values between two fixed laws, and the Dirac-GAN's dynamics.

:func:`gan_value` is :math:`V(D, G) = E_P \\log D + E_Q \\log(1 - D)` for any discriminator, and
at the optimal one :math:`D^* = p/(p + q)` it equals :math:`-\\ln 4 + 2\\,\\mathrm{JS}(P, Q)`
(Goodfellow et al. 2014, Theorem 1); :func:`wgan_value` is :math:`E_P f - E_Q f` for a critic
:math:`f`, whose supremum over 1-Lipschitz functions is :math:`W_1(P, Q)`.

The Dirac-GAN of Mescheder, Geiger and Nowozin (2018) -- data at 0, a generator at
:math:`\\theta`, a linear critic :math:`\\psi x` -- for the objectives of :data:`OBJECTIVES` and the
regularisers of :data:`REGULARIZERS`: :func:`payoffs`, the gradient field :func:`vector_field`,
its Jacobian (:func:`jacobian`, :func:`jacobian_at_equilibrium`), the spectra
(:func:`eigenvalues`, :func:`update_eigenvalues`) and the training trajectories
(:func:`simultaneous_gd`, :func:`alternating_gd`, :func:`flow`).
"""

from .dirac import NODES, OBJECTIVES, REGULARIZERS, jacobian, jacobian_at_equilibrium, payoffs, vector_field
from .dirac_training import alternating_gd, eigenvalues, flow, simultaneous_gd, update_eigenvalues
from .values import gan_value, wgan_value

__all__ = [
    "NODES",
    "OBJECTIVES",
    "REGULARIZERS",
    "alternating_gd",
    "eigenvalues",
    "flow",
    "gan_value",
    "jacobian",
    "jacobian_at_equilibrium",
    "payoffs",
    "simultaneous_gd",
    "update_eigenvalues",
    "vector_field",
    "wgan_value",
]
