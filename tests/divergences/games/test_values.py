"""The games' objectives for a given discriminator or critic (divergences.games: gan_value, wgan_value).

Oracles: ``scipy.integrate.quad`` of the same integrands written from scipy.stats densities; the
identity :math:`V(G, D^*) = -\\ln 4 + 2\\,JS` with :func:`divergences.js` (closed forms where they
exist); the second-order expansion of V around D* (an integral computed by quad); finite sums by
hand; seeded Monte Carlo with a tolerance of 5 standard errors. The quadrature promises about 1e-9
(``divergences.games``); quad is asked for 1e-11.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, special, stats

import divergences
from divergences import js, w1
from divergences.games import gan_value, wgan_value
from toys import Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.strategies import continuous_1d, gaussians

LN4 = math.log(4.0)
QUAD = 1e-9  # accuracy of the package's quadrature for smooth integrands (module docstring)
TWO_MODES = GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])


def _log_ratio(p, q):
    """The logit of D*, log p - log q, as a numpy function."""
    return lambda x: p.logpdf(x) - q.logpdf(x)


# -- the value at D* ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("p", "q", "frozen_p", "frozen_q", "lo", "hi"),
    [
        (Gaussian(0.0, 1.0), Gaussian(1.5, 0.7), stats.norm(0, 1), stats.norm(1.5, 0.7), -12.0, 12.0),
        (Exponential(1.0), Gaussian(1.0, 1.0), stats.expon(), stats.norm(1, 1), -12.0, 45.0),
        (Uniform(0.0, 1.0), Gaussian(0.5, 1.0), stats.uniform(0, 1), stats.norm(0.5, 1), -12.0, 13.0),
    ],
)
def test_value_at_d_star_against_quad(p, q, frozen_p, frozen_q, lo, hi):
    def integrand(x):
        a, b = frozen_p.pdf(x), frozen_q.pdf(x)
        pa = a * math.log(a / (a + b)) if a > 0 else 0.0
        qb = b * math.log(b / (a + b)) if b > 0 else 0.0
        return pa + qb

    points = [0.0, 1.0] if isinstance(p, (Uniform, Exponential)) else None
    reference, _ = integrate.quad(integrand, lo, hi, points=points, limit=500, epsabs=1e-11, epsrel=1e-11)
    assert gan_value(p, q) == pytest.approx(reference, abs=QUAD)


def _js_by_quad(p, q):
    """JS(P, Q) = KL(P||M)/2 + KL(Q||M)/2 for two 1-D Gaussians, by scipy.integrate.quad from scipy.stats."""
    a, b = stats.norm(p.mean, p.std), stats.norm(q.mean, q.std)

    def integrand(x):
        la, lb = a.logpdf(x), b.logpdf(x)
        lm = np.logaddexp(la, lb) - math.log(2.0)
        return 0.5 * (math.exp(la) * (la - lm) + math.exp(lb) * (lb - lm))

    # outside mean +- 12 std lies less than 1e-32 of either law
    lo, hi = min(p.mean - 12 * p.std, q.mean - 12 * q.std), max(p.mean + 12 * p.std, q.mean + 12 * q.std)
    value, _ = integrate.quad(integrand, lo, hi, points=sorted({p.mean, q.mean}), limit=500, epsabs=1e-12, epsrel=1e-12)
    return value


@given(gaussians(), gaussians())
def test_value_at_d_star_is_minus_ln4_plus_twice_js_against_quad(p, q):
    # C(G) = -ln 4 + KL(P||M) + KL(Q||M) = -ln 4 + 2 JS (Goodfellow et al., Theorem 1), JS with weights 1/2.
    # Independent oracle: JS by quad of the two KLs to the midpoint, from scipy.stats log densities.
    assert gan_value(p, q) == pytest.approx(-LN4 + 2 * _js_by_quad(p, q), abs=2e-9)


@given(continuous_1d(), continuous_1d())
def test_value_at_d_star_is_consistent_with_js(p, q):
    # A consistency check, not an independent one: gan_value and divergences.js integrate the same
    # function on the same panels (divergences.numeric.one_d.panel_edges) unless js has a closed form for the pair.
    # The independent oracle is quad, above and in test_value_at_d_star_against_quad.
    assert gan_value(p, q) == pytest.approx(-LN4 + 2 * js(p, q), abs=2e-9)


def test_extreme_values_of_c():
    assert gan_value(Gaussian(0.3, 2.0), Gaussian(0.3, 2.0)) == pytest.approx(-LN4, abs=1e-12)  # p = q
    assert gan_value(Uniform(0.0, 1.0), Uniform(2.0, 3.0)) == pytest.approx(0.0, abs=1e-12)  # disjoint: JS = ln 2
    assert gan_value(Uniform(0.0, 1.0), Uniform(2.0, 3.0), 0.5) == pytest.approx(-LN4)


def test_discrete_value_by_hand():
    p, q = Discrete([0.0, 1.0], [0.25, 0.75]), Discrete([1.0, 2.0], [0.5, 0.5])
    # atoms 0, 1, 2: D* = 1, 0.6, 0
    expected = 0.25 * math.log(1.0) + 0.75 * math.log(0.6) + 0.5 * math.log(1 - 0.6) + 0.5 * math.log(1.0)
    assert gan_value(p, q) == pytest.approx(expected, abs=1e-15)
    assert gan_value(p, q) == pytest.approx(-LN4 + 2 * js(p, q), abs=1e-15)
    d = {0.0: 0.9, 1.0: 0.5, 2.0: 0.2}
    value = gan_value(p, q, lambda x: np.array([d[float(v)] for v in x]))
    assert value == pytest.approx(
        0.25 * math.log(0.9) + 0.75 * math.log(0.5) + 0.5 * math.log(0.5) + 0.5 * math.log(0.8)
    )


# -- every other discriminator is worse ---------------------------------------------------------------
@given(gaussians(), gaussians(), st.floats(0.05, 2.0), st.floats(0.2, 3.0), st.floats(0.0, 6.3))
def test_perturbed_discriminators_are_below_c(p, q, eps, omega, phase):
    assume(js(p, q) > 1e-6)
    c = gan_value(p, q)
    lgt = _log_ratio(p, q)
    for sign in (1, -1):
        v = gan_value(p, q, lambda x, s=sign: lgt(x) + s * eps * np.sin(omega * x + phase), logit=True)
        assert v < c
    # V is concave in D: mixing D* with the uninformative 1/2 stays above the chord
    mixed = gan_value(p, q, lambda x: 0.5 * eps / 2 + (1 - eps / 2) * special.expit(lgt(x)))
    assert (1 - eps / 2) * c + eps / 2 * (-LN4) - 1e-9 <= mixed < c


def test_second_order_expansion_around_d_star():
    # V(sigma(l* + e h)) = C - e^2/2 int pq/(p+q) h^2 dx + O(e^3); the symmetric difference cancels e^3.
    p, q = TWO_MODES, Gaussian(0.0, 1.5)
    h = np.cos
    lgt = _log_ratio(p, q)
    e = 0.05
    v_plus = gan_value(p, q, lambda x: lgt(x) + e * h(x), logit=True)
    v_minus = gan_value(p, q, lambda x: lgt(x) - e * h(x), logit=True)
    curvature = (2 * gan_value(p, q) - v_plus - v_minus) / (2 * e**2)

    def integrand(x):
        a, b = p.pdf(x), q.pdf(x)
        return a * b / (a + b) * np.cos(x) ** 2

    reference, _ = integrate.quad(integrand, -15, 15, points=[-2, 0, 2], limit=200, epsabs=1e-12)
    # relative error O(e^2) = 0.25% from the expansion, plus 2e-9 / (2 e^2) = 4e-7 from the quadrature
    assert curvature == pytest.approx(0.5 * reference, rel=1e-2)


def test_logit_and_probability_forms_agree_where_d_does_not_round():
    p, q = Gaussian(0.0, 1.0), Gaussian(0.5, 1.0)  # equal variances: the logit is linear, |logit| < 6 on the window
    lgt = _log_ratio(p, q)
    assert gan_value(p, q, lambda x: special.expit(lgt(x))) == pytest.approx(gan_value(p, q), abs=1e-12)


def test_probabilities_that_round_to_one_give_minus_infinity_and_logits_do_not():
    # For std 1 against std 0.7, D* = p/(p+q) rounds to 1.0 in the tails, where q > 0 still:
    # log(1 - D) = -inf there. The logit form keeps V finite and exact.
    p, q = Gaussian(0.0, 1.0), Gaussian(1.5, 0.7)
    assert gan_value(p, q, lambda x: special.expit(p.logpdf(x) - q.logpdf(x))) == -math.inf
    assert gan_value(p, q, _log_ratio(p, q), logit=True) == pytest.approx(-LN4 + 2 * js(p, q), abs=QUAD)


def test_value_of_a_fixed_discriminator_against_monte_carlo():
    p, q = TWO_MODES, Gaussian(0.0, 1.5)
    lgt = lambda x: 1.5 * np.abs(x) - 2.0  # a plausible discriminator: real far from 0
    rng = np.random.default_rng(7)
    n = 400_000
    xp, xq = p.sample(n, rng), q.sample(n, rng)
    terms_p, terms_q = -np.logaddexp(0, -lgt(xp)), -np.logaddexp(0, lgt(xq))
    se = math.sqrt((terms_p.var() + terms_q.var()) / n)
    assert gan_value(p, q, lgt, logit=True) == pytest.approx(terms_p.mean() + terms_q.mean(), abs=5 * se)


@pytest.mark.parametrize("c", [0.0, 0.2, 0.5, 1.0])
def test_constant_discriminator(c):
    with np.errstate(divide="ignore"):
        expected = math.log(c) + math.log1p(-c) if 0 < c < 1 else -math.inf
    assert gan_value(Gaussian(), Exponential(), c) == expected


def test_a_discriminator_that_is_certain_and_wrong_on_a_region_gets_minus_infinity():
    p, q = Gaussian(), Exponential()
    assert gan_value(p, q, lambda x: np.where(x < -1, 0.0, 0.5)) == -math.inf  # D = 0 where p > 0
    assert gan_value(p, q, lambda x: np.where(x > 1, 1.0, 0.5)) == -math.inf  # D = 1 where q > 0
    assert gan_value(p, q, lambda x: np.where(x > 1, -np.inf, 0.0), logit=True) == -math.inf
    assert gan_value(p, q, lambda x: np.where(x < 0, 1.0, 0.5)) > -math.inf  # D = 1 only where q = 0: finite


@pytest.mark.parametrize("lgt", [0.0, -3.0, 2.5, 40.0, -800.0, math.inf, -math.inf])
def test_constant_logit(lgt):
    # log sigma(l) + log sigma(-l), by hand: -ln 4 at l = 0, about -|l| for large |l|, -inf at +-inf
    if math.isinf(lgt):
        expected = -math.inf
    else:
        expected = -math.log1p(math.exp(-abs(lgt))) * 2 - abs(lgt)
    assert gan_value(Gaussian(), Exponential(), lgt, logit=True) == pytest.approx(expected, rel=1e-15)
    # ...the same as the callable that returns the constant (quadrature: about 1e-9)
    as_callable = gan_value(Gaussian(), Exponential(), lambda x: np.full_like(x, lgt), logit=True)
    assert as_callable == pytest.approx(expected, abs=QUAD)
    assert gan_value(Gaussian(), Exponential(), 0.0, logit=True) == pytest.approx(-LN4, abs=1e-15)
    assert gan_value(Discrete([0.0], [1.0]), Discrete([1.0], [1.0]), 0, logit=True) == pytest.approx(-LN4, abs=1e-15)


# -- the Kantorovich-Rubinstein objective ---------------------------------------------------------------
def test_wgan_value_of_linear_and_optimal_critics():
    p, q = Gaussian(0.0, 1.0), Gaussian(2.0, 1.0)
    assert wgan_value(p, q, lambda x: -x) == pytest.approx(w1(p, q), abs=QUAD)  # optimal for a shift
    p, q = Exponential(1.0), Uniform(-1.0, 2.0)
    assert wgan_value(p, q, lambda x: x) == pytest.approx(p.mean - q.mean, abs=QUAD)


@given(continuous_1d(), continuous_1d(), st.floats(0.1, 2.0))
def test_wgan_value_of_a_lipschitz_critic_is_at_most_its_constant_times_w1(p, q, omega):
    # f = sin(omega x) / omega is 1-Lipschitz: E_P f - E_Q f <= W1 (Kantorovich-Rubinstein)
    assert wgan_value(p, q, lambda x: np.sin(omega * x) / omega) <= w1(p, q) + 2e-9


def test_wgan_value_against_quad_and_discrete_sum():
    p, q = TWO_MODES, Exponential(0.5, loc=-1.0)
    reference, _ = integrate.quad(
        lambda x: np.abs(x) * (p.pdf(x) - q.pdf(x)), -12, 90, points=[-2, -1, 0, 2], limit=500, epsabs=1e-11
    )
    assert wgan_value(p, q, np.abs) == pytest.approx(reference, abs=QUAD)
    a, b = Discrete([0.0, 1.0], [0.5, 0.5]), Discrete([0.0, 3.0], [0.25, 0.75])
    assert wgan_value(a, b, lambda x: x**2) == pytest.approx(0.5 - 0.75 * 9)


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gan_value(Gaussian(), Gaussian(1.0), "D"), TypeError, "d must be a callable"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), 1.5), ValueError, "constant d must be a probability"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), math.nan), ValueError, "constant d must be a probability"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), math.nan, logit=True), ValueError, "constant logit d must"),
        (
            lambda: gan_value(Gaussian(), Gaussian(1.0), lambda x: np.full_like(x, np.nan), logit=True),
            ValueError,
            "d must return logits",
        ),
        (
            lambda: gan_value(Discrete([0.0], [1.0]), Discrete([0.0], [1.0]), lambda x: x * np.nan, logit=True),
            ValueError,
            "d must return logits",
        ),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), 0.0, logit=1), TypeError, "logit must be a bool"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), lambda x: x, logit="yes"), TypeError, "logit must be a bool"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), lambda x: x), ValueError, r"d must return probabilities"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), lambda x: np.full_like(x, np.nan)), ValueError, "d must return"),
        (lambda: gan_value(Gaussian(), Gaussian(1.0), lambda x: np.zeros(3)), ValueError, "one value per point"),
        (lambda: gan_value(Gaussian(), Discrete([0.0], [1.0])), NotImplementedError, "1-D laws with densities"),
        (lambda: gan_value(ShiftedLine(0.0), ShiftedLine(1.0)), NotImplementedError, "1-D laws"),
        (lambda: gan_value(Gaussian(), Gaussian([0.0, 0.0], cov=np.eye(2))), ValueError, "same dimension"),
        (lambda: gan_value("N(0, 1)", Gaussian()), TypeError, "p must be a toy"),
        (lambda: wgan_value(Gaussian(), Gaussian(1.0), 3.0), TypeError, "f must be a callable"),
        (lambda: wgan_value(Gaussian(), Gaussian(1.0), lambda x: 1 / (x - x)), ValueError, "f must return finite"),
    ],
)
def test_bad_input(call, error, match):
    with np.errstate(divide="ignore", invalid="ignore"), pytest.raises(error, match=match):
        call()


def test_top_level_names():
    assert divergences.games.gan_value is gan_value and divergences.games.wgan_value is wgan_value
