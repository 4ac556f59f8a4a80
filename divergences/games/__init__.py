"""The values of the GAN and WGAN games between two fixed laws, by quadrature.

:func:`gan_value` is :math:`V(D, G) = E_P \\log D + E_Q \\log(1 - D)` for any discriminator, and
at the optimal one :math:`D^* = p/(p + q)` it equals :math:`-\\ln 4 + 2\\,\\mathrm{JS}(P, Q)`
(Goodfellow et al. 2014, Theorem 1); :func:`wgan_value` is :math:`E_P f - E_Q f` for a critic
:math:`f`, whose supremum over 1-Lipschitz functions is :math:`W_1(P, Q)`.
"""

from .values import gan_value, wgan_value

__all__ = ["gan_value", "wgan_value"]
