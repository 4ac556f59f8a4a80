"""The 1-D transport map F_Q^{-1}(F_P(x)), its cost, and W1 as a quantile integral.

Oracles: scipy.stats's own CDFs and tails (the pushforward identity F_Q(T(x)) = F_P(x), checked in
log space in the tail each point lies in), closed forms (the Gaussian-to-Gaussian map m + s z,
the Gaussian-to-exponential map -log Phi(-z), E|m - cZ| for the decreasing Gaussian map), the
x-space quadrature of divergences.w1 and a u-space scipy.integrate.quad for W1, finite
differences for the slope, and seeded Kolmogorov-Smirnov tests for the law of T(X).
"""

import math

import numpy as np
import pytest
import scipy.integrate
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from scipy import special

import divergences
import toys
from divergences.transport import transport_cost, transport_map, w1_quantile
from divergences.transport.tails import tails
from toys.strategies import continuous_1d, seeds

N01 = toys.Gaussian(0.0, 1.0)
EXP = toys.Exponential(rate=1.0)
TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[0.5, 0.5])
#: Pairs (source, target, scipy twin of the source, scipy twin of the target).
PAIRS = [
    (N01, EXP, scipy.stats.norm(), scipy.stats.expon()),
    (EXP, N01, scipy.stats.expon(), scipy.stats.norm()),
    (
        toys.Gaussian(1.0, 2.0),
        toys.Exponential(rate=3.0, loc=-1.0),
        scipy.stats.norm(1, 2),
        scipy.stats.expon(-1, 1 / 3),
    ),
    (toys.Uniform(-1.0, 2.0), toys.Gaussian(-3.0, 0.5), scipy.stats.uniform(-1, 3), scipy.stats.norm(-3, 0.5)),
    (scipy.stats.gamma(2.5), N01, scipy.stats.gamma(2.5), scipy.stats.norm()),
]


# -- the map pushes the source onto the target -------------------------------------------------
@pytest.mark.parametrize(("p", "q", "sp", "sq"), PAIRS)
def test_map_is_the_quantile_of_the_source_level(p, q, sp, sq):
    # T(x) = F_Q^{-1}(F_P(x)): against scipy.stats, which reads a level in its small tail
    # (ppf(cdf(x)) left of the median, isf(sf(x)) right of it), from levels 1e-30 to 1 - 1e-30
    levels = np.logspace(-30, -1, 30)
    x = np.concatenate([sp.ppf(levels), sp.ppf(np.linspace(0.1, 0.9, 17)), sp.isf(levels)])
    # scipy's uniform computes sf as 1 - cdf, losing the right tail's digits: its exact sf instead
    sf = (lambda t: (p.high - t) / p.width) if isinstance(p, toys.Uniform) else sp.sf
    left = sp.cdf(x) <= 0.5
    want = np.where(left, sq.ppf(sp.cdf(x)), sq.isf(sf(x)))
    assert np.allclose(transport_map(p, q)(x), want, rtol=1e-10, atol=1e-14)


def test_gaussian_to_gaussian_is_affine_far_into_both_tails():
    # T(z) = m + s z exactly, up to |z| = 37 where Phi(-z) is 1e-300
    z = np.linspace(-37.0, 37.0, 741)
    assert np.allclose(transport_map(N01, toys.Gaussian(2.0, 3.0))(z), 2.0 + 3.0 * z, rtol=1e-12, atol=1e-12)


def test_gaussian_to_exponential_is_minus_log_phi_of_minus_z():
    # T(z) = F^{-1}(Phi(z)) = -log(1 - Phi(z)) = -log Phi(-z): finite and exact where 1 - Phi(z) is 0 in doubles
    z = np.linspace(-30.0, 37.0, 671)
    T = transport_map(N01, EXP)(z)
    assert np.all(np.isfinite(T))
    assert np.allclose(T, -special.log_ndtr(-z), rtol=1e-12, atol=1e-300)
    assert np.allclose(transport_map(N01, EXP, increasing=False)(z), -special.log_ndtr(z), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kolmogorov_smirnov_accepts_the_pushed_sample(seed):
    # Under the null, the KS p-value is uniform: each seeded check fails with probability 1e-3.
    z = np.random.default_rng(seed).standard_normal(20_000)
    for increasing in (True, False):
        x = transport_map(N01, TWO_MODES, increasing=increasing)(z)
        assert scipy.stats.kstest(x, TWO_MODES.cdf).pvalue > 1e-3


def test_kolmogorov_smirnov_rejects_a_slightly_wrong_map():
    # The same test has the power to see a shift of 0.05 (a tenth of a mode's width) at n = 20 000:
    # it moves the CDF by up to 0.05 x 0.4 (the largest density) = 0.02, so sqrt(n) D is about 2.8
    # against 1.95 at the 0.1% level; measured p-values 1e-12, 1.5e-6 and 3e-12 for seeds 0, 1, 2.
    z = np.random.default_rng(0).standard_normal(20_000)
    x = transport_map(N01, TWO_MODES)(z) + 0.05
    assert scipy.stats.kstest(x, TWO_MODES.cdf).pvalue < 1e-3


@given(continuous_1d(), continuous_1d())
def test_map_is_monotone_and_inverts(p, q):
    x = transport_map(N01, p)(np.linspace(-8.0, 8.0, 401))  # points across p, tails included
    up, down = transport_map(p, q), transport_map(p, q, increasing=False)
    y_up, y_down = up(x), down(x)  # may hold -inf or inf at the ends of a bounded support: compare, don't subtract
    assert np.all(y_up[1:] >= y_up[:-1]) and np.all(y_down[1:] <= y_down[:-1])
    # back and forth in the bulk of p (where neither law is flat at the quantile level)
    mid = transport_map(N01, p)(np.linspace(-3.0, 3.0, 61))
    scale = math.sqrt(p.var)
    for T in (up, down):
        assert np.allclose(T.inverse()(T(mid)), mid, atol=1e-7 * scale)


@pytest.mark.parametrize(("p", "q"), [(N01, EXP), (N01, TWO_MODES), (EXP, toys.Uniform(0.0, 2.0))])
def test_derivative_is_the_ratio_of_densities_and_the_slope(p, q):
    x = transport_map(N01, p)(np.linspace(-2.5, 2.5, 21))
    T = transport_map(p, q)
    # central differences: error (h / w)^2 with w the scale on which T' changes, down to 8e-5 between
    # the modes of the mixture; h = 1e-8 keeps it below 1e-7 and the rounding error below 1e-7
    h = 1e-8 * math.sqrt(p.var)
    finite_difference = (T(x + h) - T(x - h)) / (2 * h)
    assert np.allclose(T.derivative(x), finite_difference, rtol=1e-5)
    assert np.allclose(T.derivative(x), p.pdf(x) / q.pdf(T(x)), rtol=1e-10)


def test_map_between_the_modes_is_steep():
    # T'(0) = phi(0) / q(0) for the symmetric two-mode mixture (T(0) = 0): about 1490
    T = transport_map(N01, TWO_MODES)
    assert T(0.0) == pytest.approx(0.0, abs=1e-12)
    assert T.derivative(0.0) == pytest.approx(N01.pdf(0.0) / TWO_MODES.pdf(0.0), rel=1e-12)
    assert T.derivative(0.0) > 1000


# -- W1 as a quantile integral and as a transport cost ---------------------------------------------
@given(continuous_1d(), continuous_1d())
def test_quantile_integral_matches_the_cdf_integral(p, q):
    # two independent quadratures of W1: int_0^1 |F_p^-1 - F_q^-1| du (in z) and int |F_p - F_q| dx
    assert w1_quantile(p, q) == pytest.approx(divergences.w1(p, q), abs=1e-8)


@pytest.mark.parametrize(
    ("p", "q"), [(N01, EXP), (toys.Gaussian(-1.0, 2.0), EXP), (toys.Uniform(0.0, 1.0), toys.Gaussian(0.3, 0.2))]
)
def test_quantile_integral_matches_quad_in_u(p, q):
    # scipy.integrate.quad over u in (0, 1), split at 1/2, against the z-coordinate integral
    def integrand(u):
        return abs(float(p.ppf(u)) - float(q.ppf(u)))

    value = sum(scipy.integrate.quad(integrand, a, b, limit=200, epsabs=1e-11)[0] for a, b in ((0, 0.5), (0.5, 1)))
    assert w1_quantile(p, q) == pytest.approx(value, abs=1e-7)


def test_w1_from_the_latent_is_the_mean_shift_when_every_point_moves_right():
    # T(z) >= z for N(0,1) -> Exp(1) (Phi(x) >= 1 - e^{-x} for x >= 0), so E|T(Z) - Z| = E T(Z) - E Z = 1
    T = transport_map(N01, EXP)
    z = np.linspace(-10, 10, 2001)
    assert np.all(T(z) >= z)
    assert transport_cost(T, N01) == pytest.approx(1.0, abs=1e-12)
    assert divergences.w1(N01, EXP) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(("m", "s"), [(0.0, 1.0), (1.5, 0.5), (-2.0, 3.0)])
def test_decreasing_map_cost_is_the_largest_coupling_cost(m, s):
    # N(0,1) -> N(m, s^2): the increasing map m + s z costs W1 = E|m + (s - 1) Z|; the decreasing one,
    # m - s z, costs E|m - (s + 1) Z| = c (a (2 Phi(a) - 1) + 2 phi(a)), c = s + 1, a = m / c.
    q = toys.Gaussian(m, s)
    c = s + 1
    a = m / c
    worst = c * (a * (2 * special.ndtr(a) - 1) + 2 * N01.pdf(a))
    assert transport_cost(transport_map(N01, q), N01) == pytest.approx(divergences.w1(N01, q), abs=1e-10)
    assert transport_cost(transport_map(N01, q, increasing=False), N01) == pytest.approx(worst, abs=1e-10)
    assert worst > divergences.w1(N01, q)


@given(seeds())
def test_any_coupling_costs_at_least_w1(seed):
    # a random measure-preserving shuffle of the latent (swap two slices of equal mass) then T:
    # still pushes N(0,1) to Exp(1), and costs at least W1 = 1
    rng = np.random.default_rng(seed)
    a, width = rng.uniform(-2, 0.5), rng.uniform(0.05, 0.3)  # the two slices end below Phi(0.5) + 0.3 < 1
    lo, hi = special.ndtr(a), special.ndtr(a) + width * 0.5
    shift = width * 0.5

    def shuffled(z):  # swap the latent slices [lo, hi) and [hi, hi + shift) in the level u = Phi(z)
        u = special.ndtr(z)
        u = np.where((u >= lo) & (u < hi), u + shift, np.where((u >= hi) & (u < hi + shift), u - shift, u))
        return transport_map(N01, EXP)(special.ndtri(u))

    assert transport_cost(shuffled, N01) >= 1.0 - 1e-9


# -- bad input ---------------------------------------------------------------------------------
def test_bad_laws_are_refused_with_their_name():
    with pytest.raises(TypeError, match="source must be a continuous 1-D law"):
        transport_map(toys.Bernoulli(0.3), N01)
    with pytest.raises(ValueError, match="target must be a 1-D law"):
        transport_map(N01, toys.Gaussian([0.0, 0.0]))
    with pytest.raises(TypeError, match="target must be a toy"):
        transport_map(N01, "exponential")
    with pytest.raises(TypeError, match="T must be a vectorised callable"):
        transport_cost(2.0, N01)
    with pytest.raises(TypeError, match="p must be a continuous 1-D law"):
        w1_quantile(toys.Discrete(support=[0.0, 1.0], probs=[0.5, 0.5]), N01)


def test_nan_and_infinite_points():
    T = transport_map(N01, EXP)
    out = T(np.array([np.nan, -np.inf, np.inf]))
    assert np.isnan(out[0]) and out[1] == 0.0 and out[2] == np.inf
    assert T(0.0) == pytest.approx(math.log(2.0), rel=1e-15)  # the median goes to the median
    assert np.ndim(T(0.0)) == 0


def test_mixture_quantiles_from_either_tail():
    # the root finder against the mixture's own CDF, deep in both tails
    t = tails(TWO_MODES)
    levels = np.array([-700.0, -100.0, -10.0, -1.0, -0.7])
    left, right = t.from_logcdf(levels), t.from_logsf(levels)
    assert np.allclose(t.logcdf(left), levels, rtol=1e-12) and np.allclose(t.logsf(right), levels, rtol=1e-12)
    assert np.allclose(left, -right, rtol=1e-12)  # the mixture is symmetric
    assert t.from_logcdf(np.array([0.0, -np.inf])).tolist() == [np.inf, -np.inf]


def test_strategies_cover_every_continuous_toy():
    # the property tests above draw from continuous_1d(): it must reach each kind of law
    kinds = set()

    @given(continuous_1d())
    def collect(law):
        kinds.add(type(law))

    collect()
    assert kinds == {toys.Gaussian, toys.GaussianMixture, toys.Uniform, toys.Exponential}


@given(st.floats(0.2, 5.0), st.floats(-5.0, 5.0))
def test_exponential_tails_are_exact(rate, loc):
    e = toys.Exponential(rate=rate, loc=loc)
    t = tails(e)
    x = loc + np.array([1e-12, 1e-3, 1.0, 30.0]) / rate
    assert np.allclose(t.logsf(x), -rate * (x - loc), rtol=1e-14)
    assert np.allclose(t.logcdf(x), scipy.stats.expon(loc, 1 / rate).logcdf(x), rtol=1e-10)
