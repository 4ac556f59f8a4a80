"""Total variation as the error of the best test between two laws.

Telling P from Q by one observation: the likelihood-ratio tests and their errors
(:func:`lr_test_errors`, :func:`lr_intervals`), the best test's error 1 - TV
(:func:`best_test_error`, Scheffé's identity), the Kolmogorov distance that a test by one
threshold achieves (:func:`kolmogorov`), and n independent draws: the TV of n-fold products and
its bounds (:func:`product_tv`, :func:`product_tv_lower_bound`, :func:`midpoint_test_errors`).
"""

from .kolmogorov import kolmogorov
from .likelihood_ratio import best_test_error, lr_intervals, lr_test_errors
from .products import midpoint_test_errors, product_tv, product_tv_lower_bound

__all__ = [
    "best_test_error",
    "kolmogorov",
    "lr_intervals",
    "lr_test_errors",
    "midpoint_test_errors",
    "product_tv",
    "product_tv_lower_bound",
]
