"""Divergences between probability distributions, exactly.

TV, KL, reverse KL, Jensen-Shannon and Wasserstein-1 (the lecture's five) and the squared
Hellinger distance, Pearson's chi-squared, the Rényi divergences, Wasserstein-2, the energy distance
and the squared MMD between the toys of :mod:`toys` (and frozen
scipy.stats laws): closed forms where they exist, registered for pairs of types
(:func:`register`), accurate quadrature otherwise, ``inf`` and ``ln 2`` where the supports say so.
Around them: :func:`entropy` and :func:`cross_entropy`; divergence-vs-theta curves
(:func:`curves`, :func:`plot`); the forward and reverse KL fits of a Gaussian
(:func:`fit_forward_kl`, :func:`fit_reverse_kl`); estimators from samples
(:mod:`divergences.empirical`).

The rest is in topic subpackages, each a step from the name of what it computes:

* :mod:`divergences.discrimination` -- TV as the error of the best test, and of n draws;
* :mod:`divergences.transport` -- transport maps, generators judged by them, the transport LPs;
* :mod:`divergences.fitting` -- the fits, their basins, and maximum likelihood's consistency;
* :mod:`divergences.games` -- the GAN and WGAN values by quadrature;
* :mod:`divergences.bounds` -- the Gaussian W2 and bounds from 1-D projections;
* :mod:`divergences.generators` -- the f-divergences' generators, conjugates and f-GAN activations;
* :mod:`divergences.tables` -- the atlas: every divergence on the lecture's pairs, with its method;
* :mod:`divergences.vae` -- the ELBO, its gap and its gradient estimators, exact on probabilistic PCA;
* :mod:`divergences.numeric` -- the numeric path alone (quadrature, cubature, transport);
* :mod:`divergences.closed_forms` -- the registered closed forms, one module per family.
"""

from . import bounds, discrimination, empirical, fitting, games, generators, numeric, transport, vae  # noqa: F401  (subpackages)
from .curves import curves, plot
from .energy_distance import energy
from .f_divergences import chi2, f_divergence, hellinger, renyi
from .fitting import fit_forward_kl, fit_reverse_kl
from .functions import js, kl, reverse_kl, tv, w1
from .information import cross_entropy, entropy
from .kernel_discrepancy import mmd
from .registry import register
from .tables import atlas
from .wasserstein2 import w2

__all__ = [
    "atlas",
    "chi2",
    "cross_entropy",
    "curves",
    "empirical",
    "energy",
    "entropy",
    "f_divergence",
    "fit_forward_kl",
    "fit_reverse_kl",
    "hellinger",
    "js",
    "kl",
    "mmd",
    "plot",
    "register",
    "renyi",
    "reverse_kl",
    "tv",
    "w1",
    "w2",
]

#: Names that lived at the top level before the topic subpackages, and where they are now.
MOVED = {
    **{name: "discrimination" for name in discrimination.__all__},
    **{name: "transport" for name in transport.__all__},
    **{name: "fitting" for name in fitting.__all__ if name not in __all__},
    **{name: "games" for name in games.__all__},
}


def __getattr__(name):
    """Say where a name that moved into a subpackage is now, instead of a bare AttributeError."""
    if name in MOVED:
        raise AttributeError(
            f"module 'divergences' has no attribute {name!r}; it moved to divergences.{MOVED[name]}.{name}"
        )
    raise AttributeError(f"module 'divergences' has no attribute {name!r}")
