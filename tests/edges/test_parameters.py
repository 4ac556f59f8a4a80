"""Parameters at the ends of their ranges: derived quantities that overflow, and the messages of refusals.

Class 4 of the edge cases: parameters that are finite floats while a quantity derived from them
is not (the width of ``Uniform(-1e308, 1e308)``, the mean 1 / rate of ``Exponential(1e-320)``, an
int beyond the largest float, the variance plus the squared mean of a law at the top of the
scale range). Class 7: messages that do not say which argument and which parameter are wrong.
Contract (``toys.validation``, docs/methods.md): a scale outside ``SCALE_RANGE``, a location
beyond ``LOCATION_LIMIT`` or a number beyond the largest float is a ``ValueError`` naming the
parameter and the value, a bool or None a ``TypeError``; within the ranges every divergence of
two 1-D laws is a number in its range (TV in [0, 1], JS in [0, ln 2], KL >= 0 or inf, W1 >= 0),
within the accuracy of its path, or a ``NotImplementedError`` that says why; never NaN, never a
raw arithmetic error.
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import divergences as D
from toys import Exponential, Gaussian, GaussianMixture, Uniform
from toys.validation import LOCATION_LIMIT, SCALE_RANGE

from . import mp

LN2 = math.log(2.0)
FLOAT_MAX = np.finfo(float).max
BIG = 10**400  # an int beyond the largest float
LOW, HIGH = SCALE_RANGE


def within(value, exact, absolute, relative):
    """``value`` within the contract of the exact mpmath value; inf where the value exceeds the largest float."""
    if mpmath.isinf(exact) or exact > FLOAT_MAX:
        return value == math.inf
    return abs(mpmath.mpf(value) - exact) <= max(absolute, relative * abs(exact))


# -- the repros: closed forms squaring or subtracting past the precision of floats ----------------
@pytest.mark.parametrize(
    ("p", "q"),
    [
        (Gaussian(0.0, 1e-150), Gaussian(0.0, 1e150)),  # NaN, and 0.5 the other way round
        (Gaussian(0.0, 1e-153), Gaussian(0.0, 10.0)),  # NaN
        (Gaussian(1e150, 1e-150), Gaussian(-1e150, 1e150)),  # NaN, and 0.477 the other way round
        (Gaussian(0.0, 1e-122), Gaussian(1e33, 1e-121)),  # NaN: 1e155 sds apart
        (Gaussian(0.0, 1.0), Gaussian(0.0, 1.01e16)),
    ],
)
def test_the_repro_tv_of_gaussians_very_far_apart_or_of_very_different_scales(p, q):
    # 1 - TV, the mass the laws share, is below 2 Phi(-40) for means 40 (s_p + s_q) apart, and below
    # 80 / (R sqrt(2 pi)) for scales R apart (the narrow law's mass beyond 40 of its sds, the wide
    # law's within them): within 3.2e-15 of 1 from R = 1e16 on
    ratio = max(p.std, q.std) / min(p.std, q.std)
    shared = 0.0 if abs(p.mean - q.mean) > 40 * (p.std + q.std) else 80 / (ratio * math.sqrt(2 * math.pi))
    for a, b in ((p, q), (q, p)):
        assert 1.0 - shared - 1e-16 <= D.tv(a, b) <= 1.0


@pytest.mark.parametrize(
    ("p", "q", "parameters"),
    [
        # 1 / rate_p - 1 / rate_q as a difference of rounded means: 8.5e-9 relative error
        (Exponential(1e-20), Exponential(9.999999987736618e-21), (1e-20, 9.999999987736618e-21)),
        # widths rounded at 1e16 (one ulp is 2): W1 off by 0.5
        (Uniform(0.0, 1e16), Uniform(1.0, 9999999994096532.0), (0.0, 1e16, 1.0, 9999999994096532.0)),
    ],
    ids=["exponential", "uniform"],
)
def test_the_repro_w1_of_nearly_equal_scales(p, q, parameters):
    exact = mp.exponential_w1(*parameters) if isinstance(p, Exponential) else mp.uniform_w1(*parameters)
    assert within(D.w1(p, q), exact, 0.0, 1e-12)  # the closed forms' contract


def test_the_repro_kl_beyond_the_largest_float_is_inf_without_a_warning():
    # (1e33 / 1e-122)^2 / 2 = 5e309 exceeds the largest float: inf, as the closed forms round it,
    # and no "overflow encountered in multiply" from the quadrature's squares (an error in this suite)
    p, q = Exponential(1e122, loc=1e33), Gaussian(0.0, 1e-122)
    assert mp.cross_entropy_gaussian("exponential", 1e122, 1e33, 0.0, 1e-122) > FLOAT_MAX
    assert D.kl(p, q) == math.inf and D.reverse_kl(q, p) == math.inf


def test_the_cross_entropy_at_the_top_of_the_scale_range():
    # Var P = 1.8e308 and (E P - m)^2 = 4e300: their sum overflows, the cross-entropy is 356.3
    p, q = Gaussian(1e150, HIGH), Gaussian(-1e150, HIGH)
    exact = mp.cross_entropy_gaussian("gaussian", 1e150, HIGH, -1e150, HIGH)
    assert within(D.cross_entropy(p, q), exact, 0, 1e-13)  # four terms of at most 356, each to 1e-16
    # in 2-D with the same law along the second axis: the two axes' cross-entropies add up (712.6)
    p2, q2 = Gaussian([1e150, 0.0], cov=np.eye(2) * HIGH**2), Gaussian([-1e150, 0.0], cov=np.eye(2) * HIGH**2)
    assert within(D.cross_entropy(p2, q2), exact + mp.law("gaussian", 0.0, HIGH)[0], 0, 1e-12)


# -- scipy laws: the argument (p or q) and the parameter ------------------------------------------
@pytest.mark.parametrize(
    ("frozen", "message"),
    [
        (stats.norm(0, 0), r"^{arg}: the scale of scipy\.stats\.norm\(0, 0\) must be a finite number > 0, got scale=0"),
        (stats.norm(0, -1), r"^{arg}: the scale of scipy\.stats\.norm\(0, -1\) must be .* got scale=-1$"),
        (stats.uniform(0, 0), r"^{arg}: the scale of scipy\.stats\.uniform\(0, 0\) must be .* got scale=0$"),
        (stats.expon(scale=0), r"^{arg}: the scale of scipy\.stats\.expon\(\)\{'scale': 0\} must be .* scale=0$"),
        # valid for scipy, beyond the toys' ranges: std() is inf there (the variance overflows)
        (stats.norm(0, 1e200), r"^{arg}: scipy\.stats\.norm\(0, 1e\+200\) is outside .*std must be .*got 1e\+200$"),
        (stats.norm(1e200, 1), r"^{arg}: scipy\.stats\.norm\(1e\+200, 1\) is outside .*mean must lie .*got 1e\+200$"),
        (stats.expon(0, 1e200), r"^{arg}: scipy\.stats\.expon\(0, 1e\+200\) is outside .*rate must be .*got 1e-200$"),
    ],
    ids=["norm-0", "norm-negative", "uniform-0", "expon-0", "norm-huge-scale", "norm-huge-loc", "expon-huge-scale"],
)  # fmt: skip
@pytest.mark.parametrize("arg", ["p", "q"])
def test_a_bad_scipy_law_is_named_with_its_parameter(frozen, message, arg):
    p, q = (frozen, stats.norm()) if arg == "p" else (stats.norm(), frozen)
    with pytest.raises(ValueError, match=message.replace("{arg}", arg)):
        D.kl(p, q)
