"""Property tests of W1: the area between the CDFs, and how it moves with translations and scalings.

See :mod:`tests.divergences.test_properties` for the conventions (oracles, tolerances).
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import divergences
from divergences import w1
from toys import Exponential, Gaussian
from toys.strategies import (
    CONTINUOUS_1D,
    FAMILIES,
    continuous_1d,
    discretes,
    gaussian_mixtures,
    gaussians,
    on_one_support,
    scales,
    shifts,
)

from .oracles import (
    TOL_1D,
    TOL_SUM,
    VERY_FEW,
    area_between_cdfs,
    ot_tolerance,
    scaled,
    shifted,
)


# -- W1: the area between the CDFs, translation and scaling -------------------------------------
@pytest.mark.parametrize("family", [*CONTINUOUS_1D, "discrete", "bernoulli", "mixed"])
@given(data=st.data())
def test_w1_in_1d_is_the_area_between_the_cdfs(family, data):
    laws = st.one_of(continuous_1d(), discretes()) if family == "mixed" else FAMILIES[family]
    p, q = data.draw(laws), data.draw(laws)
    # W1 = int |F_P - F_Q| dx on the line (Vallender 1974), here by an independent quad
    assert math.isclose(w1(p, q), area_between_cdfs(p, q), rel_tol=TOL_SUM, abs_tol=TOL_1D)


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data(), a=shifts())
def test_w1_between_a_law_and_its_translate_is_the_shift(family, data, a):
    p = data.draw(FAMILIES[family])
    q = shifted(p, a)
    # rounding of the shifted parameters (a few ulps of 10) is far below TOL_1D
    assert math.isclose(w1(p, q), abs(a), abs_tol=TOL_1D)


@given(gaussians(dim=2), shifts(), shifts())
def test_w1_between_a_2d_gaussian_and_its_translate_is_the_length_of_the_shift(p, a, b):
    assert math.isclose(w1(p, shifted(p, np.array([a, b]))), math.hypot(a, b), rel_tol=TOL_SUM, abs_tol=TOL_SUM)


@VERY_FEW
@given(gaussian_mixtures(dim=2, max_components=2), shifts(min_abs=0.5), shifts(min_abs=0.5))
def test_w1_between_a_2d_mixture_and_its_translate_is_the_length_of_the_shift(p, a, b):
    # W1 by optimal transport between discretisations: within ot_tolerance
    assert math.isclose(w1(p, shifted(p, np.array([a, b]))), math.hypot(a, b), abs_tol=ot_tolerance(p))


@VERY_FEW
@given(gaussians(dim=2), st.floats(0.2, 5.0), st.floats(0.2, 5.0))
def test_w1_between_concentric_isotropic_2d_gaussians(g, a, b):
    assume(abs(a - b) > 0.1)  # W1 well above the tolerance
    p, q = Gaussian(g.mean, std=a), Gaussian(g.mean, std=b)
    # The radial map x -> m + (b / a)(x - m) couples them at cost |b - a| E|Z| = |b - a| sqrt(pi / 2)
    # (Z standard 2-D normal, |Z| Rayleigh), and the 1-Lipschitz f(x) = |x - m| separates them by
    # as much, so that is W1. The library computes it by transport.
    expected = abs(b - a) * math.sqrt(math.pi / 2)
    assert math.isclose(w1(p, q), expected, abs_tol=ot_tolerance(p, q))


@given(st.one_of(st.tuples(*[continuous_1d()] * 2), on_one_support(2), st.tuples(discretes(), discretes())), st.data())
def test_w1_scales_with_the_laws(pair, data):
    p, q = pair
    s = data.draw(scales(positive=isinstance(p, Exponential) or isinstance(q, Exponential)))
    # each W1 is within TOL_1D; the rescaled one is |s| times a value of the same accuracy
    expected = abs(s) * w1(p, q)
    assert math.isclose(w1(scaled(p, s), scaled(q, s)), expected, rel_tol=TOL_SUM, abs_tol=(1 + abs(s)) * TOL_1D)


@given(gaussians(dim=2), gaussians(dim=2), scales())
def test_w1_scales_with_2d_gaussians_of_one_covariance(p, q, s):
    q = Gaussian(q.mean, cov=p.cov)  # equal covariances: W1 is the distance between the means
    sp, sq = Gaussian(s * p.mean, cov=s * s * p.cov), Gaussian(s * q.mean, cov=s * s * q.cov)
    assert math.isclose(w1(sp, sq), abs(s) * w1(p, q), rel_tol=TOL_SUM, abs_tol=TOL_SUM)


@VERY_FEW
@given(gaussians(dim=2), shifts(min_abs=0.5), shifts(min_abs=0.5), st.floats(0.1, 3.0), scales(positive=True))
def test_w1_scales_with_2d_gaussians_by_transport(p, a, b, angle, s):
    # q is p rotated and moved: W1 has no closed form (the numeric path alone, so that an isotropic
    # p still goes by transport), but it must scale. Two values, each within ot_tolerance.
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    cov = rot @ p.cov @ rot.T
    q = Gaussian(p.mean + [a, b], cov=0.5 * (cov + cov.T))
    sp, sq = Gaussian(s * p.mean, cov=s * s * p.cov), Gaussian(s * q.mean, cov=s * s * q.cov)
    expected = s * divergences.numeric.compute("w1", p, q)
    tol = s * ot_tolerance(p, q) + ot_tolerance(sp, sq)
    assert math.isclose(divergences.numeric.compute("w1", sp, sq), expected, abs_tol=tol)
