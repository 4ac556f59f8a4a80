r"""Hypothesis strategies that draw random toys, with parameters where the numerics are well conditioned.

For property tests of anything that takes distributions (divergences, estimators, GAN scores).
Each strategy draws a toy of :mod:`toys` whose parameters stay in ranges where densities, CDFs
and divergences between two such toys are computed accurately, so that a failing property points
at a bug and not at an underflow. They compose as any hypothesis strategies do:
``st.tuples(gaussians(), gaussians())`` draws a pair, ``supports().flatmap(...)`` several laws on
one support, ``continuous_1d().filter(...)`` a restricted family. :func:`law_tuples`,
:func:`discrete_pairs` and :data:`FAMILIES` draw tuples of laws of one dimension, and
:func:`shifts` and :func:`scales` the affine maps that move them.

Importing this module requires hypothesis (the ``dev`` extra: ``pip install -e ".[dev]"``);
importing :mod:`toys` does not.

The ranges (module constants, so that tests can state what they rely on):

======================  ===========================================================
locations               means, ``low``, ``loc``, ``theta``, atoms: in [-5, 5]
scales                  standard deviations (also the principal ones of a
                        covariance) and ``1 / rate``: in [0.2, 5]; uniform widths
                        in [0.2, 10]
covariances (d-D)       condition number (eigenvalue ratio) at most 100
mixture weights         raw weights in [0.1, 1], normalised
discrete masses         raw masses in [0.01, 1] (or exactly 0 on a given support),
                        normalised; atoms on a grid of step 0.01
Bernoulli ``p``         0, 1, or in [0.001, 0.999]
======================  ===========================================================

Examples
--------
A property of every drawn 1-D Gaussian (the settings make the run deterministic, as the test
suite's profile does):

>>> from hypothesis import given, settings, strategies as st
>>> from toys import Gaussian
>>> from toys.strategies import gaussians
>>> @settings(max_examples=20, derandomize=True, database=None)
... @given(gaussians())
... def check(g):
...     assert isinstance(g, Gaussian) and g.dim == 1 and 0.2 <= g.std <= 5
...     assert g.cdf(g.mean) == 0.5
>>> check()

Several laws on one support, so that they charge the same atoms:

>>> from toys.strategies import discretes, supports
>>> triples = supports(max_atoms=4).flatmap(lambda s: st.tuples(*[discretes(support=s)] * 3))
>>> @settings(max_examples=20, derandomize=True, database=None)
... @given(triples)
... def check_support(laws):
...     assert all(set(d.atoms) == set(laws[0].atoms) for d in laws)
>>> check_support()
"""

from .laws import (
    ATOM_STEP,
    BERNOULLI_P,
    LOCATION,
    MAX_CONDITION,
    RAW_MASS,
    RAW_WEIGHT,
    SCALE,
    WIDTH,
    bernoullis,
    continuous_1d,
    covariances,
    discretes,
    exponentials,
    gaussian_mixtures,
    gaussians,
    seeds,
    shifted_lines,
    supports,
    uniforms,
)
from .tuples import CONTINUOUS_1D, FAMILIES, discrete_pairs, law_tuples, on_one_support, scales, shifts

__all__ = [
    "ATOM_STEP",
    "BERNOULLI_P",
    "CONTINUOUS_1D",
    "FAMILIES",
    "LOCATION",
    "MAX_CONDITION",
    "RAW_MASS",
    "RAW_WEIGHT",
    "SCALE",
    "WIDTH",
    "bernoullis",
    "continuous_1d",
    "covariances",
    "discrete_pairs",
    "discretes",
    "exponentials",
    "gaussian_mixtures",
    "gaussians",
    "law_tuples",
    "on_one_support",
    "scales",
    "seeds",
    "shifted_lines",
    "shifts",
    "supports",
    "uniforms",
]
