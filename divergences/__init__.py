"""Divergences between probability distributions, exactly.

TV, KL, reverse KL, Jensen-Shannon and Wasserstein-1 between the toys of :mod:`toys` (and frozen
scipy.stats laws): closed forms where they exist, registered for pairs of types
(:func:`register`), accurate quadrature otherwise, ``inf`` and ``ln 2`` where the supports say so.
Estimators from samples are in :mod:`divergences.empirical`; divergence-vs-theta curves in
:func:`curves` and :func:`plot`; forward and reverse KL fits in :func:`fit_forward_kl` and
:func:`fit_reverse_kl`.
"""

from . import empirical
from .api import js, kl, numeric, reverse_kl, tv, w1
from .basins import Basins, reverse_kl_basins
from .curves import curves, plot
from .fit import FitResult, fit_forward_kl, fit_reverse_kl
from .registry import register

__all__ = [
    "Basins",
    "FitResult",
    "curves",
    "empirical",
    "fit_forward_kl",
    "fit_reverse_kl",
    "js",
    "kl",
    "numeric",
    "plot",
    "register",
    "reverse_kl",
    "reverse_kl_basins",
    "tv",
    "w1",
]
