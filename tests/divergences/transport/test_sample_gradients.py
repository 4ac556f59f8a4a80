"""The minibatch W1, Cramér and energy losses of a Bernoulli model: their expectations, gradients and minimisers.

Oracles: an mpmath sum over the binomial counts at 40 digits; seeded Monte Carlo over minibatches
of raw Bernoulli draws, each loss computed by scipy (``wasserstein_distance``,
``energy_distance``) and its gradient by a finite difference of that loss; finite differences of
the expected loss; the closed forms (Cramér: true loss plus the variance of k/m; W1 at theta*:
De Moivre's mean absolute deviation of the binomial); the registered closed form of
``divergences.w1`` between Bernoulli laws; the median of a binomial (floor or ceil of its mean).
"""

import math

import mpmath
import numpy as np
import pytest
import scipy.stats
from hypothesis import assume, given
from hypothesis import strategies as st

import divergences
import toys
from divergences.transport import (
    DISTANCES,
    MAX_BATCH,
    expected_sample_argmin,
    expected_sample_gradient,
    expected_sample_loss,
    minibatch_law,
    sample_sgd,
    true_gradient,
    true_loss,
)

#: Target parameters: the degenerate coins and the whole interval.
THETA_STAR = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 0.6, 0.9]), st.floats(0.0, 1.0))
BATCH = st.integers(1, 300)
#: Relative accuracy of the enumeration (a sum of at most m + 1 terms of one sign for the losses).
REL = 1e-13


def scale(distance):
    return {"w1": 1.0, "cramer": 1.0, "energy": 2.0}[distance]


# -- the enumeration against independent sums ------------------------------------------------------
@pytest.mark.parametrize("distance", DISTANCES)
@pytest.mark.parametrize(("theta_star", "m"), [(0.6, 1), (0.6, 7), (0.9, 10), (0.123, 250)])
def test_expected_loss_and_gradient_against_mpmath(distance, theta_star, m):
    with mpmath.workdps(40):  # locally: a global precision would leak into other tests of the worker
        p = mpmath.mpf(theta_star)
        weights = [mpmath.binomial(m, k) * p**k * (1 - p) ** (m - k) for k in range(m + 1)]
        for theta in (0.0, 0.31, 0.6, 0.77, 1.0):
            t = mpmath.mpf(theta)
            d = [mpmath.mpf(k) / m - t for k in range(m + 1)]
            if distance == "w1":
                loss = mpmath.fsum(w * abs(x) for w, x in zip(weights, d))
                grad = mpmath.fsum(-w * mpmath.sign(x) for w, x in zip(weights, d))
            else:
                c = scale(distance)
                loss = c * mpmath.fsum(w * x**2 for w, x in zip(weights, d))
                grad = -2 * c * mpmath.fsum(w * x for w, x in zip(weights, d))
            value = expected_sample_loss(theta, theta_star, m, distance)
            assert value == pytest.approx(float(loss), rel=REL, abs=1e-16)
            if distance == "w1" and abs(theta * m - round(theta * m)) < 1e-9:
                continue  # a kink: the float theta is k/m for the module (gradient 0), a hair off it for mpmath
            assert expected_sample_gradient(theta, theta_star, m, distance) == pytest.approx(float(grad), abs=1e-14)


@pytest.mark.parametrize(("theta_star", "m"), [(0.6, 5), (0.9, 3)])
def test_against_monte_carlo_over_minibatches(theta_star, m):
    """Each minibatch is scored by scipy from its raw draws, its gradient by a central difference.

    Tolerance: 5 standard errors of the Monte Carlo mean (a normal deviation that large has
    probability below 1e-6; the seed makes the test deterministic), plus 1e-9 for the difference
    quotient (h = 1e-7, no kink of |k/m - theta| within h of the theta used).
    """
    n, h = 2000, 1e-7
    draws = (np.random.default_rng(20170530).random((n, m)) < theta_star).astype(float)  # (n, m) minibatches
    for theta in (0.3, 0.75):

        def losses(t):
            law = ([0.0, 1.0], [1.0 - t, t])  # B(t) as atoms and weights
            w1 = [scipy.stats.wasserstein_distance(x, law[0], v_weights=law[1]) for x in draws]
            # scipy's energy_distance is the square root of the energy distance
            energy = [scipy.stats.energy_distance(x, law[0], v_weights=law[1]) ** 2 for x in draws]
            return {"w1": np.array(w1), "energy": np.array(energy), "cramer": np.array(energy) / 2}

        at, up, down = losses(theta), losses(theta + h), losses(theta - h)
        for distance in DISTANCES:
            loss, grad = at[distance], (up[distance] - down[distance]) / (2 * h)
            se_loss, se_grad = loss.std(ddof=1) / math.sqrt(n), grad.std(ddof=1) / math.sqrt(n)
            assert abs(loss.mean() - expected_sample_loss(theta, theta_star, m, distance)) <= 5 * se_loss
            assert abs(grad.mean() - expected_sample_gradient(theta, theta_star, m, distance)) <= 5 * se_grad + 1e-6


@given(THETA_STAR, BATCH, st.floats(0.0, 1.0), st.sampled_from(DISTANCES))
def test_gradient_is_the_derivative_of_the_expected_loss(theta_star, m, theta, distance):
    h = 1e-7
    assume(h <= theta <= 1 - h)
    # W1 is piecewise linear: no kink k/m within h, so that the central difference is exact
    assume(distance != "w1" or abs(theta * m - round(theta * m)) > 2 * h * m)
    up, down = (expected_sample_loss(theta + s, theta_star, m, distance) for s in (h, -h))
    difference = (up - down) / (2 * h)
    # rounding of the losses (below 4e-16 each) divided by 2h
    assert expected_sample_gradient(theta, theta_star, m, distance) == pytest.approx(difference, abs=1e-8)


# -- closed forms --------------------------------------------------------------------------------
@given(THETA_STAR, BATCH, st.floats(0.0, 1.0))
def test_cramer_is_the_true_loss_plus_a_variance_and_its_gradient_is_unbiased(theta_star, m, theta):
    variance = theta_star * (1 - theta_star) / m
    cramer = expected_sample_loss(theta, theta_star, m, "cramer")
    assert cramer == pytest.approx(true_loss(theta, theta_star, "cramer") + variance, rel=REL, abs=1e-16)
    assert expected_sample_loss(theta, theta_star, m, "energy") == pytest.approx(2 * cramer, rel=REL, abs=1e-16)
    for distance in ("cramer", "energy"):
        assert expected_sample_gradient(theta, theta_star, m, distance) == pytest.approx(
            true_gradient(theta, theta_star, distance), abs=1e-14
        )


@given(THETA_STAR, BATCH, st.floats(0.0, 1.0))
def test_sample_w1_is_biased_upward_and_its_gradient_shrunk(theta_star, m, theta):
    loss, grad = expected_sample_loss(theta, theta_star, m), expected_sample_gradient(theta, theta_star, m)
    # Jensen: E|k/m - theta| >= |theta* - theta|; triangle: <= |theta* - theta| + E|k/m - theta*|
    assert loss >= true_loss(theta, theta_star) - 1e-15
    assert loss <= true_loss(theta, theta_star) + expected_sample_loss(theta_star, theta_star, m) + 1e-15
    # The true gradient is +-1 away from theta*; a minibatch whose k/m lies on the other side of theta
    # (or at it) pulls the other way (or not at all), so the mean falls short by twice (once) that mass.
    assert abs(grad) <= 1 + 1e-15
    if theta != theta_star:
        law, side = minibatch_law(theta_star, m), math.copysign(1.0, theta - theta_star)
        beyond, at = law.probs[(law.atoms - theta) * side > 0].sum(), law.probs[law.atoms == theta].sum()
        assert true_gradient(theta, theta_star) - grad == pytest.approx(side * (2 * beyond + at), abs=1e-14)
        if beyond + at > 1e-12:  # e.g. every theta in (0, 1) for theta* in (0, 1): biased
            assert grad != true_gradient(theta, theta_star)


@pytest.mark.parametrize(("theta_star", "m"), [(0.6, 1), (0.6, 5), (0.9, 10), (0.31, 37), (0.123, 200), (0.5, 99)])
def test_w1_at_the_target_is_de_moivres_mean_absolute_deviation(theta_star, m):
    # E|X - m p| = 2 nu C(m, nu) p^nu q^(m - nu + 1), nu = floor(m p) + 1 (De Moivre; Diaconis & Zabell 1991)
    nu = math.floor(m * theta_star) + 1
    mad = 2 * nu * math.comb(m, nu) * theta_star**nu * (1 - theta_star) ** (m - nu + 1)
    assert expected_sample_loss(theta_star, theta_star, m) == pytest.approx(mad / m, rel=1e-12)


def test_ends_of_the_w1_loss_are_the_means():
    # theta = 0: E[k/m] = theta*; theta = 1: 1 - theta*
    assert expected_sample_loss([0.0, 1.0], 0.6, 7).tolist() == pytest.approx([0.6, 0.4], rel=REL)


def test_true_loss_is_the_registered_w1_between_bernoulli_laws():
    for a in (0.0, 0.2, 0.6, 1.0):
        for b in (0.0, 0.35, 0.6, 0.9):
            w1 = divergences.w1(toys.Bernoulli(a), toys.Bernoulli(b))
            assert true_loss(b, a) == pytest.approx(w1, abs=1e-15)
            # energy distance = 2 x Cramér in 1-D, and scipy returns its square root
            energy = scipy.stats.energy_distance([0.0, 1.0], [0.0, 1.0], [1 - a, a], [1 - b, b]) ** 2
            assert true_loss(b, a, "energy") == pytest.approx(energy, abs=1e-15)
            assert true_loss(b, a, "cramer") == pytest.approx(energy / 2, abs=1e-15)


def test_minibatch_law_is_the_binomial_frequency():
    law = minibatch_law(0.6, 9)
    assert law.atoms.tolist() == [k / 9 for k in range(10)]
    assert law.probs == pytest.approx(scipy.stats.binom.pmf(np.arange(10), 9, 0.6), rel=1e-12)
    assert law.mean == pytest.approx(0.6, rel=1e-14) and law.var == pytest.approx(0.24 / 9, rel=1e-12)
    assert minibatch_law(0.0, 5).atoms.tolist() == [0.0] and minibatch_law(1.0, 5).atoms.tolist() == [1.0]
    # theta* near the smallest normal float, where scipy's binom.pmf overflows inside Boost
    tiny = minibatch_law(2.2250738585072014e-308, 4)
    assert tiny.probs[0] == 1.0 and expected_sample_argmin(2.2250738585072014e-308, 4) == (0.0, 0.0)
    # far tails underflow and are left out; what remains still sums to 1
    big = minibatch_law(0.5, 100_000)
    assert 0 < big.atoms.size < 100_001 and big.probs.sum() == pytest.approx(1.0, abs=1e-12)


# -- the minimisers ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("theta_star", "m", "argmin"),
    [
        # theta* = 0.6: off the target unless 0.6 m is an integer (m = 5, 10)
        (0.6, 1, 1.0),
        (0.6, 2, 0.5),
        (0.6, 3, 2 / 3),
        (0.6, 4, 0.5),
        (0.6, 5, 0.6),
        (0.6, 10, 0.6),
        # theta* = 0.9: at 1 up to m = 6, on the target at m = 10
        (0.9, 1, 1.0),
        (0.9, 5, 1.0),
        (0.9, 6, 1.0),
        (0.9, 7, 6 / 7),
        (0.9, 10, 0.9),
    ],
)
def test_w1_minimiser_table(theta_star, m, argmin):
    assert expected_sample_argmin(theta_star, m) == (argmin, argmin)
    assert expected_sample_argmin(theta_star, m, "cramer") == pytest.approx((theta_star, theta_star), abs=1e-15)


@given(THETA_STAR, BATCH)
def test_w1_minimiser_is_a_median_next_to_the_target(theta_star, m):
    low, high = expected_sample_argmin(theta_star, m)
    grid = np.arange(m + 1) / m  # the kinks: a convex piecewise-linear function is least at one of them
    losses = expected_sample_loss(grid, theta_star, m)
    assert expected_sample_loss(low, theta_star, m) <= losses.min() + 1e-15
    assert expected_sample_loss(high, theta_star, m) <= losses.min() + 1e-15
    # one-sided derivatives: <= 0 on the left of the interval, >= 0 on its right
    law = minibatch_law(theta_star, m)
    assert law.probs[law.atoms < low].sum() <= 0.5 + 1e-12 and law.probs[law.atoms > high].sum() <= 0.5 + 1e-12
    # the median of Binomial(m, p) is floor(m p) or ceil(m p) (Kaas & Buhrman 1980)
    near = {math.floor(m * theta_star) / m, math.ceil(m * theta_star) / m}
    assert any(abs(low - x) < 1e-12 for x in near) and any(abs(high - x) < 1e-12 for x in near)
    if math.isclose(m * theta_star, round(m * theta_star), abs_tol=1e-9):
        assert abs(low - theta_star) < 1e-9 and abs(high - theta_star) < 1e-9
    else:
        assert low != theta_star  # a multiple of 1/m, and theta* is none
    if low != high:  # only where the CDF of k/m is 1/2 at low (within the module's 1e-12)
        assert law.probs[law.atoms <= low].sum() == pytest.approx(0.5, abs=1e-12)


@pytest.mark.parametrize("m", [1, 3, 5, 99])
def test_w1_minimisers_form_an_interval_for_a_fair_coin_and_odd_m(m):
    low, high = expected_sample_argmin(0.5, m)
    assert (low, high) == pytest.approx(((m - 1) / (2 * m), (m + 1) / (2 * m)), abs=1e-15)
    flat = expected_sample_loss(np.linspace(low, high, 7), 0.5, m)
    assert np.ptp(flat) < 1e-15
    assert expected_sample_argmin(0.5, m + 1) == (0.5, 0.5)


def test_w1_minimisers_form_an_interval_wherever_the_cdf_is_one_half():
    # (1 - theta*)^3 = 1/2: no minibatch of 3 is all zeros with probability exactly 1/2
    theta_star = 1 - 2 ** (-1 / 3)
    low, high = expected_sample_argmin(theta_star, 3)
    assert (low, high) == (0.0, pytest.approx(1 / 3, abs=1e-15))
    assert np.ptp(expected_sample_loss(np.linspace(low, high, 5), theta_star, 3)) < 1e-15


@given(THETA_STAR, BATCH, st.sampled_from(["cramer", "energy"]))
def test_cramer_and_energy_minimisers_are_the_target(theta_star, m, distance):
    low, high = expected_sample_argmin(theta_star, m, distance)
    assert low == high and abs(low - theta_star) <= 4e-16
    assert abs(expected_sample_gradient(theta_star, theta_star, m, distance)) <= 1e-14


# -- SGD -------------------------------------------------------------------------------------------
def test_sgd_settles_at_the_minimiser_of_the_expected_loss():
    """Seeded runs; the bounds leave 3-10x the spread measured over seeds 0-2 (noted per line)."""
    # W1, m = 1: mean step 0.2 lr upwards, to B(1); last-half means 0.975-0.983
    assert sample_sgd(0.6, 1, steps=5000, lr=0.01, rng=0)[2500:].mean() > 0.9
    # W1, m = 3 and 4: at 2/3 and 1/2, not at 0.6 (measured within 0.002 and 0.011 above)
    assert abs(sample_sgd(0.6, 3, steps=100_000, lr=1e-3, rng=0)[50_000:].mean() - 2 / 3) < 0.01
    assert abs(sample_sgd(0.6, 4, steps=100_000, lr=1e-3, rng=0)[50_000:].mean() - 0.5) < 0.04
    # Cramér: an AR(1) around theta*, stationary sd sqrt(lr v / (1 - lr)), v = theta*(1 - theta*)/m
    path = sample_sgd(0.6, 1, "cramer", steps=100_000, lr=0.01, rng=0)[1000:]
    sd = math.sqrt(0.01 * 0.24 / 0.99)
    assert abs(path.mean() - 0.6) < 0.01 and path.std() == pytest.approx(sd, rel=0.05)
    path = sample_sgd(0.6, 4, "cramer", steps=100_000, lr=1e-3, rng=1)
    assert path[0] == 0.5 and np.all((path >= 0) & (path <= 1)) and abs(path[50_000:].mean() - 0.6) < 0.01


# -- shapes and inputs ---------------------------------------------------------------------------
def test_shapes_follow_theta():
    assert isinstance(expected_sample_loss(0.5, 0.6, 3), float)
    assert isinstance(true_gradient(0.5, 0.6), float)
    grid = np.linspace(0, 1, 12).reshape(3, 4)
    for f in (expected_sample_loss, expected_sample_gradient):
        out = f(grid, 0.6, 3, "energy")
        assert out.shape == (3, 4) and out[1, 2] == f(grid[1, 2], 0.6, 3, "energy")
    assert true_loss(grid, 0.6).shape == (3, 4)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"theta": 1.5}, ValueError, r"theta must hold probabilities in \[0, 1\], got 1\.5"),
        ({"theta": [0.2, np.nan]}, ValueError, r"theta must contain only finite numbers"),
        ({"theta": "half"}, TypeError, r"theta must be an array of real numbers"),
        ({"theta_star": -0.1}, ValueError, r"theta_star must be a probability in \[0, 1\], got -0\.1"),
        ({"theta_star": True}, TypeError, r"theta_star must be a real number, got True"),
        ({"m": 0}, ValueError, r"m must be a positive integer, got 0"),
        ({"m": 4.0}, TypeError, r"m must be a positive integer, got 4\.0 of type float"),
        ({"m": MAX_BATCH + 1}, ValueError, r"m must be at most MAX_BATCH = 1,000,000 .* got 1,000,001"),
        ({"distance": "cramér"}, ValueError, r"distance must be one of \('w1', 'cramer', 'energy'\), got 'cramér'"),
        ({"distance": ["w1"]}, TypeError, r"distance must be one of .* got \['w1'\] of type list"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(kwargs, error, match):
    args = {"theta": 0.5, "theta_star": 0.6, "m": 3, "distance": "w1"} | kwargs
    for f in (expected_sample_loss, expected_sample_gradient):
        with pytest.raises(error, match=match):
            f(**args)
    if "theta" not in kwargs:
        with pytest.raises(error, match=match):
            expected_sample_argmin(args["theta_star"], args["m"], args["distance"])
    with pytest.raises(ValueError, match=r"lr must be > 0"):
        sample_sgd(0.6, 3, lr=0.0)
    with pytest.raises(ValueError, match=r"theta0 must be a probability"):
        sample_sgd(0.6, 3, theta0=2.0)
    with pytest.raises(TypeError, match=r"rng must be None, an int seed or a numpy.random.Generator"):
        sample_sgd(0.6, 3, rng="seed")
