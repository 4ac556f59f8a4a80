"""Pairs whose scales or values reach the ends of the double range: right values, inf, or a refusal.

Each case once gave a wrong answer or an unrelated error: 1-D W1 between a narrow and a wide law
(the quadrature stopped after millions of panels from 1e10 on), KL against a component much
narrower than the scale of the pair's coordinates (its variance underflowed to 0: NaN), JS of
smoothed lines 1e150 widths apart (an error about an internal Gaussian).
"""

import math

import pytest
from mpmath import mp

import divergences as D
from divergences import numeric
from toys import Gaussian, GaussianMixture, SmoothedLine, Uniform


def _w1_uniform_normal(a):
    """W1(U(0, a), N(0, 1)) = int |F - Phi| at 30 digits, split at the one crossing in (0, a)."""
    with mp.workdps(30):
        a = mp.mpf(a)
        root = mp.findroot(lambda x: x / a - mp.ncdf(x), a / 2)
        inside = mp.quad(lambda x: abs(x / a - mp.ncdf(x)), [0, root, a])
        return float(mp.quad(mp.ncdf, [-mp.inf, 0]) + inside + mp.quad(lambda x: 1 - mp.ncdf(x), [a, mp.inf]))


@pytest.mark.parametrize("a", [1e-2, 1e-8, 1e-10])  # a uniform's structure scale is a / 20
def test_w1_between_a_narrow_and_a_wide_law(a):
    # stated: 1e-9 in units of the wider law (here 1)
    assert abs(numeric.compute("w1", Uniform(0, a), Gaussian(0, 1)) - _w1_uniform_normal(a)) < 1e-9


def test_w1_of_a_mixture_with_a_component_1e10_narrower():
    # half of the mass at 0 with sd 1e-10: W1 to N(0, 1) is half of E|Z| = 0.5 sqrt(2 / pi), up to
    # the narrow component's own E|X| (4e-11)
    p = GaussianMixture([0.5, 0.5], [0.0, 0.0], stds=[1.0, 1e-10])
    assert numeric.compute("w1", p, Gaussian(0, 1)) == pytest.approx(0.5 * math.sqrt(2 / math.pi), abs=1e-10)


def test_w1_beyond_the_scale_ratio_limit_is_refused():
    with pytest.raises(NotImplementedError, match="differ by more than a factor 1e"):
        numeric.compute("w1", Uniform(0, 1e-13), Gaussian(0, 1))


def test_kl_that_overflows_is_inf_not_nan():
    # E_P (x - mu)^2 / (2 sd^2) ~ 1e266 / 1e-106: beyond the largest float
    assert D.kl(Uniform(0, 1e132), Gaussian(-1e133, 1e-53)) == math.inf


def test_kl_against_a_far_gaussian_much_wider_than_the_law():
    # E_P (x - mu)^2 / (2 sd^2) with x ~ U(0, 1e132), mu = -1e133, sd = 1e100: the integral of y^2
    # over [1e133, 1.1e133] / 1e132 / 2e200 = (0.331 / 6) 1e67; the log terms are ~1e-63 of it
    exact = 0.331 / 6.0 * 1e67
    assert D.kl(Uniform(0, 1e132), Gaussian(-1e133, 1e100)) == pytest.approx(exact, rel=1e-12)


@pytest.mark.parametrize("separation", [81.0, 1e10, 1e151])
def test_js_of_smoothed_lines_far_apart_is_ln2(separation):
    sigma = 1e-3
    assert D.js(SmoothedLine(0.0, sigma), SmoothedLine(separation * sigma, sigma)) == math.log(2.0)


def test_js_of_smoothed_lines_continues_to_ln2():
    # just below the shortcut the quadrature gives ln 2 to the last bits already (overlap e^-800)
    sigma = 1e-3
    assert D.js(SmoothedLine(0.0, sigma), SmoothedLine(79.0 * sigma, sigma)) == pytest.approx(math.log(2.0), abs=1e-15)
