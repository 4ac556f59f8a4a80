"""Fitting a Gaussian to a law, by forward and by reverse KL, and what the fits do.

* :func:`fit_forward_kl` -- maximum likelihood from samples: the fit covers every mode.
* :func:`fit_reverse_kl` -- :math:`KL(q\\|p)` given the density: the fit settles on one mode.
* :func:`fit_f_divergence` -- any f-divergence :math:`D_f(p\\|q)`, 1-D, by quadrature: the exact
  counterpart of an f-GAN's Gaussian fit (Nowozin et al. 2016).
* :func:`reverse_kl_basins` -- which local minimum of the reverse fit each start reaches.
* :func:`gaussian_mle_kl`, :func:`gaussian_mle_expected_kl` -- how far the maximum-likelihood
  Gaussian of n samples is from the truth, by simulation and exactly: consistency.
"""

from .basins import Basins, reverse_kl_basins
from .common import FitResult
from .f_fit import fit_f_divergence
from .forward import fit_forward_kl
from .mle import MLESweep, gaussian_mle_expected_kl, gaussian_mle_kl
from .reverse import fit_reverse_kl

__all__ = [
    "Basins",
    "FitResult",
    "MLESweep",
    "fit_f_divergence",
    "fit_forward_kl",
    "fit_reverse_kl",
    "gaussian_mle_expected_kl",
    "gaussian_mle_kl",
    "reverse_kl_basins",
]
