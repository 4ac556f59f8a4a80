"""Closed forms over the whole parameter range, against mpmath at 50 digits.

Class 2 of the edge cases: cancellation (r - 1 - ln r for rates 1e-12 apart in scale), means
large against the standard deviations (1e8 with sd 1), scales at the ends of
``toys.validation.SCALE_RANGE``. Contract (docs/methods.md): KL, W1 and the JS of uniforms to
1e-12 relative, TV to 1e-13 absolute.
"""

import math

import mpmath
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import divergences as D
from toys import Exponential, Gaussian, Uniform

from . import mp

REL = 1e-12
TV_ABS = 1e-13
MANY = settings(max_examples=60, deadline=None)


#: Values near and below the smallest normal float carry fewer digits than 1e-12 asks.
TINY = 1e-300


def close(value, exact, rel=REL):
    """``value`` within ``rel`` of the mpmath ``exact`` (equal if that is infinite)."""
    if mpmath.isinf(exact):
        return value == math.inf
    return abs(mpmath.mpf(value) - exact) <= rel * abs(exact) + TINY


#: log10 of a scale: the whole of toys.validation.SCALE_RANGE (1.5e-154 to 1.3e154).
log_scale = st.floats(-150, 150)
#: log10 of a location's magnitude, up to toys.validation.LOCATION_LIMIT (1e150).
log_location = st.floats(-150, 149.9)


@st.composite
def gaussian_pairs(draw):
    """Two 1-D Gaussians: any scale, any location, scales from equal to 1e6 apart, means 0 to 30 sd apart."""
    s1 = 10 ** draw(log_scale)
    ratio = draw(st.one_of(st.floats(-6, 6).map(lambda e: 10**e), st.floats(-1e-6, 1e-6).map(lambda e: 1 + e)))
    m1 = draw(st.sampled_from([-1, 1])) * 10 ** draw(log_location)
    m2 = m1 + s1 * draw(st.floats(-30, 30))
    s2 = s1 * ratio
    assume(abs(m2) <= 1e150 and 1e-154 < s2 < 1e154)
    return Gaussian(m1, s1), Gaussian(m2, s2)


@MANY
@given(gaussian_pairs())
def test_gaussian_kl_tv_w1(pair):
    p, q = pair
    args = (p.mean, p.std, q.mean, q.std)
    assert close(D.kl(p, q), mp.gaussian_kl(*args))
    assert close(D.w1(p, q), mp.gaussian_w1(*args))
    assert abs(mpmath.mpf(D.tv(p, q)) - mp.gaussian_tv(*args)) <= TV_ABS


def test_the_gaussian_repros():
    # TV at a large mean relative to sigma, and at the extremes of the scale range
    p, q = Gaussian(1e8, 1), Gaussian(1e8 + 0.5, 1 + 1e-8)
    assert abs(D.tv(p, q) - float(mp.gaussian_tv(1e8, 1, 1e8 + 0.5, 1 + 1e-8))) <= TV_ABS
    for s in (1e-150, 1e-109, 1e-100, 1e77, 1e150):
        p, q = Gaussian(0, s), Gaussian(0, 2 * s)
        assert abs(D.tv(p, q) - float(mp.gaussian_tv(0, s, 0, 2 * s))) <= TV_ABS
        assert close(D.w1(p, q), mp.gaussian_w1(0, s, 0, 2 * s))


@MANY
@given(st.floats(-150, 150), st.one_of(st.floats(-25, 25), st.floats(-1e-9, 1e-9)))
def test_exponential_kl(log_rate, log_ratio):
    rate_p = 10**log_rate
    rate_q = rate_p * 10**log_ratio
    assume(1e-154 < rate_q < 1e154)
    p, q = Exponential(rate_p), Exponential(rate_q)
    assert close(D.kl(p, q), mp.exponential_kl(p.rate, q.rate))


def test_the_exponential_repros():
    for rate_p, rate_q in [(1, 1e-12), (1, 1e-16), (1, 5e-17), (1e6, 1e-6)]:
        p, q = Exponential(rate_p), Exponential(rate_q)
        assert close(D.kl(p, q), mp.exponential_kl(rate_p, rate_q))


@st.composite
def uniform_pairs(draw):
    """Two uniforms of any widths (up to 1e40 apart) at any place, overlapping, nested or apart."""
    w1 = 10 ** draw(st.floats(-100, 100))
    a1 = draw(st.floats(-1, 1)) * 10 ** draw(st.floats(-100, 100))
    a2 = a1 + w1 * draw(st.floats(-3, 3))
    w2 = w1 * 10 ** draw(st.one_of(st.floats(-3, 3), st.floats(-40, 40)))
    assume(max(abs(a1) + w1, abs(a2) + w2) <= 1e150)
    try:
        return Uniform(a1, a1 + w1), Uniform(a2, a2 + w2)
    except ValueError:  # a width lost to rounding against a far location: refused, as it should be
        assume(False)


@MANY
@given(uniform_pairs())
def test_uniform_kl_and_js(pair):
    p, q = pair
    args = (p.low, p.high, q.low, q.high)
    assert close(D.kl(p, q), mp.uniform_kl(*args))
    assert close(D.js(p, q), mp.uniform_js(*args))


def test_uniform_js_when_the_widths_differ_beyond_double_precision():
    # (w_p - w_q) / w_q rounds to -1 once the widths differ by more than 2^53 (a domain error once)
    for args in [(0, 1, 0, 1e16), (0, 1e16, 0, 1), (0, 1, -3e15, 1e16), (0, 1e-140, 0, 1e140)]:
        assert close(D.js(Uniform(*args[:2]), Uniform(*args[2:])), mp.uniform_js(*args))
