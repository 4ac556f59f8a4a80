r"""The variational autoencoder's identities, exact on the linear-Gaussian model (probabilistic PCA).

On :class:`toys.LinearGaussian` the marginal :math:`p(x)` and the posterior :math:`p(z \mid x)` are
Gaussians, so every quantity of a VAE can be checked against a closed form:

* :func:`elbo` -- the ELBO of a Gaussian :math:`q(z \mid x)` in closed form, with
  :math:`\log p(x) = \mathrm{ELBO}(q) + KL(q \,\|\, p(z \mid x))`;
  :func:`gaussian_kl_to_standard` -- its KL term for a diagonal q;
* :func:`maximise_elbo` -- the best Gaussian q for one observation: the posterior, gap 0;
* :func:`elbo_gradient`, :func:`reparameterisation_gradient`, :func:`score_function_gradient` --
  the exact gradient in q's parameters and its two unbiased Monte Carlo estimators;
* :func:`fit_linear_vae` -- a linear VAE trained by stochastic gradient ascent, and
  :func:`ppca_maximum_likelihood`, the closed-form optimum it should reach (Tipping and Bishop 1999).
"""

from .elbo import elbo, gaussian_kl_to_standard
from .gradients import GradientEstimate, elbo_gradient, reparameterisation_gradient, score_function_gradient
from .inference import ElboFit, maximise_elbo
from .linear import LinearVAE, LinearVAESettings, fit_linear_vae
from .ppca import ppca_maximum_likelihood

__all__ = [
    "ElboFit",
    "GradientEstimate",
    "LinearVAE",
    "LinearVAESettings",
    "elbo",
    "elbo_gradient",
    "fit_linear_vae",
    "gaussian_kl_to_standard",
    "maximise_elbo",
    "ppca_maximum_likelihood",
    "reparameterisation_gradient",
    "score_function_gradient",
]
