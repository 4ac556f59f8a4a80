"""Divergences between probability distributions, exactly.

TV, KL, reverse KL, Jensen-Shannon and Wasserstein-1 between the toys of :mod:`toys` (and frozen
scipy.stats laws): closed forms where they exist, registered for pairs of types
(:func:`register`), accurate quadrature otherwise, ``inf`` and ``ln 2`` where the supports say so.
Estimators from samples are in :mod:`divergences.empirical`; divergence-vs-theta curves in
:func:`curves` and :func:`plot`; forward and reverse KL fits in :func:`fit_forward_kl` and
:func:`fit_reverse_kl`.
"""

from . import duality, empirical
from .api import js, kl, numeric, reverse_kl, tv, w1
from .basins import Basins, reverse_kl_basins
from .curves import curves, plot
from .entropies import cross_entropy, entropy
from .fit import FitResult, fit_forward_kl, fit_reverse_kl
from .kolmogorov import kolmogorov
from .lr_test import best_test_error, lr_intervals, lr_test_errors
from .map_comparison import MapComparison, compare_with_map, crossing_mass_bound
from .mle import MLESweep, gaussian_mle_expected_kl, gaussian_mle_kl
from .objectives import gan_value, wgan_value
from .pushforward import (
    increasing_mass,
    j1_of_quantiles,
    midpoint_quantiles,
    pushforward_quantiles,
    pushforward_w1,
    w1_sampling_bound,
    w1_to_law,
)
from .registry import register
from .tensorisation import midpoint_test_errors, product_tv, product_tv_lower_bound
from .transport1d import TransportMap, transport_cost, transport_map, w1_quantile

__all__ = [
    "Basins",
    "FitResult",
    "MLESweep",
    "MapComparison",
    "TransportMap",
    "best_test_error",
    "compare_with_map",
    "cross_entropy",
    "crossing_mass_bound",
    "curves",
    "duality",
    "empirical",
    "entropy",
    "fit_forward_kl",
    "fit_reverse_kl",
    "gan_value",
    "gaussian_mle_expected_kl",
    "gaussian_mle_kl",
    "increasing_mass",
    "j1_of_quantiles",
    "js",
    "kl",
    "kolmogorov",
    "lr_intervals",
    "lr_test_errors",
    "midpoint_quantiles",
    "midpoint_test_errors",
    "numeric",
    "plot",
    "product_tv",
    "product_tv_lower_bound",
    "pushforward_quantiles",
    "pushforward_w1",
    "register",
    "reverse_kl",
    "reverse_kl_basins",
    "transport_cost",
    "transport_map",
    "tv",
    "w1",
    "w1_quantile",
    "w1_sampling_bound",
    "w1_to_law",
    "wgan_value",
]
