"""Optimal transport: W1 as a transport problem, maps between laws, and generators judged by them.

* :mod:`~divergences.transport.maps` -- the 1-D monotone transport map :math:`F_Q^{-1}\\circ F_P`
  (:func:`transport_map`), its cost (:func:`transport_cost`) and W1 by quantiles
  (:func:`w1_quantile`), accurate far in the tails (:mod:`~divergences.transport.tails`).
* :mod:`~divergences.transport.pushforward` -- the law of a 1-D generator :math:`g(Z)` through its
  quantiles, and its exact W1 to a target (:func:`pushforward_w1`).
* :mod:`~divergences.transport.comparison` -- a generator's map against the exact transport map
  (:func:`compare_with_map`, :func:`crossing_mass_bound`).
* :mod:`~divergences.transport.sampling` -- the W1 of a sample to its own law, and its bound.
* :mod:`~divergences.transport.sample_gradients` -- the minibatch W1 loss of a Bernoulli model and
  its biased expected gradient, against the unbiased Cramér distance (Bellemare et al. 2017),
  by enumeration of the minibatches; the losses themselves in
  :mod:`~divergences.transport.bernoulli_losses`.
* :mod:`~divergences.transport.duality` -- the primal and dual linear programs of discrete
  transport (Kantorovich-Rubinstein duality), McShane extensions and Lipschitz constants.
"""

from . import duality
from .bernoulli_losses import DISTANCES, true_gradient, true_loss
from .comparison import MapComparison, compare_with_map, crossing_mass_bound
from .maps import TransportMap, transport_cost, transport_map, w1_quantile
from .pushforward import increasing_mass, midpoint_quantiles, pushforward_quantiles, pushforward_w1
from .sample_gradients import (
    MAX_BATCH,
    expected_sample_argmin,
    expected_sample_gradient,
    expected_sample_loss,
    minibatch_law,
    sample_sgd,
)
from .sampling import j1_of_quantiles, w1_sampling_bound, w1_to_law

__all__ = [
    "DISTANCES",
    "MAX_BATCH",
    "MapComparison",
    "TransportMap",
    "compare_with_map",
    "crossing_mass_bound",
    "duality",
    "expected_sample_argmin",
    "expected_sample_gradient",
    "expected_sample_loss",
    "increasing_mass",
    "j1_of_quantiles",
    "midpoint_quantiles",
    "minibatch_law",
    "pushforward_quantiles",
    "pushforward_w1",
    "sample_sgd",
    "transport_cost",
    "transport_map",
    "true_gradient",
    "true_loss",
    "w1_quantile",
    "w1_sampling_bound",
    "w1_to_law",
]
