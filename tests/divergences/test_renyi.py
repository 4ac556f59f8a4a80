"""Rényi divergences and Pearson's chi-squared: closed forms against independent computations.

Oracles: ``scipy.integrate.quad`` of p^alpha q^(1-alpha) (and of p^2 / q) for 1-D laws; the
determinant form of the Gaussian Rényi divergence at 50 digits (mpmath) for the whitened form used
by the toolkit; direct finite sums; the identities that tie the family together (van Erven and
Harremoës 2014: D_1/2 = -2 ln(1 - H^2), D_2 = ln(1 + chi^2), D_alpha -> KL as alpha -> 1,
non-decreasing in alpha) and the bounds KL <= ln(1 + chi^2) and TV <= sqrt(chi^2) / 2 (Gibbs and
Su 2002, Sec. 3).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp
from scipy import integrate

from divergences import chi2, curves, hellinger, kl, renyi, tv
from divergences.evaluate import evaluate, method
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.strategies import continuous_1d, discretes, gaussians, uniforms

QUAD = 1e-9
ORDERS = st.one_of(st.floats(0.05, 0.95), st.floats(1.05, 4.0))


def _renyi_determinants(p, q, alpha):
    """D_alpha of two Gaussians from determinants at 50 digits; inf where Sigma_alpha is not positive definite."""
    with mp.workdps(50):
        sp, sq = (mp.matrix((d.chol @ d.chol.T).tolist()) for d in (p, q))
        a = mp.mpf(alpha)
        s_alpha = a * sq + (1 - a) * sp
        if min(mp.eigsy(s_alpha)[0]) <= 0:
            return math.inf
        delta = mp.matrix(np.atleast_1d(q.mean - p.mean).tolist())
        quad_form = (delta.T * mp.inverse(s_alpha) * delta)[0]
        logs = mp.log(mp.det(s_alpha)) - (1 - a) * mp.log(mp.det(sp)) - a * mp.log(mp.det(sq))
        return float(a / 2 * quad_form - logs / (2 * (a - 1)))


def _quad_integral(p, q, alpha, lo, hi, points=()):
    f = lambda x: math.exp(alpha * float(p.logpdf(x)) + (1 - alpha) * float(q.logpdf(x)))
    return integrate.quad(f, lo, hi, points=points or None, limit=500, epsabs=0, epsrel=1e-12)[0]


@settings(max_examples=60, deadline=None)
@given(gaussians(), gaussians(), ORDERS)
def test_gaussian_1d_against_the_determinant_form(p, q, alpha):
    expected = _renyi_determinants(p, q, alpha)
    value = renyi(p, q, alpha)
    if expected == math.inf:
        assert value == math.inf
    else:
        assert value == pytest.approx(expected, rel=1e-10, abs=1e-13)


@settings(max_examples=30, deadline=None)
@given(gaussians(dim=3), gaussians(dim=3), ORDERS)
def test_gaussian_3d_against_the_determinant_form(p, q, alpha):
    expected = _renyi_determinants(p, q, alpha)
    value = renyi(p, q, alpha)
    assert value == math.inf if expected == math.inf else value == pytest.approx(expected, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.3, 0.5, 0.9, 1.5, 2.0, 3.0])
def test_gaussian_against_the_quadrature(alpha):
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    integral = _quad_integral(p, q, alpha, -60.0, 60.0, points=(0.0, 1.0))
    assert renyi(p, q, alpha) == pytest.approx(math.log(integral) / (alpha - 1), rel=1e-10)


def test_gaussian_chi2_and_its_finiteness_condition():
    p = Gaussian(0.0, 1.0)
    # 2 sigma_q^2 - sigma_p^2 > 0: finite; = int p^2 / q - 1 by quadrature
    q = Gaussian(0.5, 0.8)
    integral = integrate.quad(lambda x: math.exp(2 * p.logpdf(x) - q.logpdf(x)), -40, 40, epsrel=1e-13, limit=200)[0]
    assert chi2(p, q) == pytest.approx(integral - 1.0, rel=1e-10)
    assert chi2(p, Gaussian(0.0, 0.7)) == math.inf  # 2 * 0.49 < 1
    assert chi2(Gaussian(0.0, 1.0), Gaussian(40.0, 1.0)) == math.inf  # e^1600 - 1 exceeds the largest float


@st.composite
def same_family(draw):
    """Two laws of one family with a Rényi closed form: Gaussians, uniforms, or exponentials at one left end."""
    kind = draw(st.sampled_from(["gaussian", "uniform", "exponential"]))
    if kind == "gaussian":
        return draw(gaussians()), draw(gaussians())
    if kind == "uniform":
        return draw(uniforms()), draw(uniforms())
    rates = st.floats(0.05, 20.0)
    return Exponential(draw(rates)), Exponential(draw(rates))


@settings(max_examples=40, deadline=None)
@given(same_family(), st.floats(0.05, 0.95))
def test_orders_below_one_on_the_numeric_path_agree_with_the_closed_forms(pair, alpha):
    p, q = pair
    assert method("renyi", p, q, alpha=alpha) == "closed form"
    try:
        numeric = float(evaluate(["renyi"], [p], [q], closed_forms=False, alpha=alpha)["renyi"][0])
    except NotImplementedError as exc:  # laws too far apart for the Rényi integral's quadrature
        assert "far apart" in str(exc) or "differ by more than" in str(exc)
        return
    expected = renyi(p, q, alpha)
    assert numeric == pytest.approx(expected, rel=1e-9, abs=QUAD / (1 - alpha))


def test_a_mixture_against_the_quadrature():
    p, q = GaussianMixture([0.5, 0.5], [-1.0, 1.0], stds=[0.5, 0.5]), Gaussian(0.0, 1.0)
    for alpha in [0.2, 0.5, 0.8]:
        integral = _quad_integral(p, q, alpha, -30.0, 30.0, points=(-1.0, 0.0, 1.0))
        assert renyi(p, q, alpha) == pytest.approx(math.log(integral) / (alpha - 1), rel=1e-9)


def test_orders_above_one_without_a_closed_form_are_integrated():
    # a mixture against N(0, 1): no closed form; the integral of p^2 / q converges (every component has
    # sigma^2 = 1/4 < 2 * 1), and scipy's quad of the same integrand is the independent value
    p = GaussianMixture([0.5, 0.5], [-1.0, 1.0], stds=[0.5, 0.5])
    q = Gaussian(0.0, 1.0)
    second = integrate.quad(lambda x: math.exp(2 * p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf, epsabs=1e-13)[0]
    assert chi2(p, q) == pytest.approx(second - 1.0, rel=1e-9)
    assert renyi(p, q, 2.0) == pytest.approx(math.log(second), rel=1e-9)
    # and N(0, 1) against the mixture diverges: q's tails are narrower than p's
    assert chi2(q, p) == math.inf and renyi(q, p, 2.0) == math.inf


@settings(max_examples=40, deadline=None)
@given(continuous_1d(), continuous_1d())
def test_the_identities_at_one_half_one_and_two(p, q):
    h2 = hellinger(p, q)
    d_half = renyi(p, q, 0.5)
    if h2 < 1.0:
        assert d_half == pytest.approx(-2.0 * math.log1p(-h2), rel=1e-8, abs=2e-9)
    k = kl(p, q)
    near_one = renyi(p, q, 1.0 - 1e-7)
    if math.isfinite(k):
        assert near_one == pytest.approx(k, rel=1e-5, abs=1e-8)  # D_alpha - KL = O(alpha - 1)
    assert renyi(p, q, 1.0) == k


@settings(max_examples=60, deadline=None)
@given(gaussians(), gaussians())
def test_d2_is_log1p_chi2_and_bounds_kl_and_tv(p, q):
    c2 = chi2(p, q)
    if c2 == math.inf:
        return
    assert renyi(p, q, 2.0) == pytest.approx(math.log1p(c2), rel=1e-10, abs=1e-14)
    assert kl(p, q) <= math.log1p(c2) * (1 + 1e-12) + 1e-15
    assert tv(p, q) <= 0.5 * math.sqrt(c2) + 1e-12


@settings(max_examples=40, deadline=None)
@given(gaussians(), gaussians(), st.lists(st.floats(0.05, 4.0), min_size=2, max_size=6))
def test_non_decreasing_in_the_order(p, q, orders):
    values = [renyi(p, q, a) if a != 1.0 else kl(p, q) for a in sorted(orders)]
    finite = [v for v in values if math.isfinite(v)]
    assert all(b >= a * (1 - 1e-10) - 1e-14 for a, b in zip(finite, finite[1:]))
    if math.inf in values:  # once infinite, infinite for every larger order
        assert values[values.index(math.inf) :] == [math.inf] * (len(values) - values.index(math.inf))


@settings(max_examples=60, deadline=None)
@given(discretes(), discretes(), ORDERS)
def test_finite_laws_against_the_sum(p, q, alpha):
    x = np.union1d(p.atoms, q.atoms)
    a, b = p.pmf(x), q.pmf(x)
    if alpha > 1 and np.any((a > 0) & (b == 0)):
        assert renyi(p, q, alpha) == math.inf
        return
    both = (a > 0) & (b > 0)
    s = float(np.sum(a[both] ** alpha * b[both] ** (1 - alpha)))
    expected = math.inf if s == 0.0 else math.log(s) / (alpha - 1)
    value = renyi(p, q, alpha)
    assert value == math.inf if expected == math.inf else value == pytest.approx(max(expected, 0.0), abs=1e-12)


def test_finite_chi2_against_the_sum():
    p, q = Discrete([0.0, 1.0, 2.0], [0.2, 0.5, 0.3]), Discrete([0.0, 1.0, 2.0], [0.4, 0.4, 0.2])
    assert chi2(p, q) == pytest.approx(0.2**2 / 0.4 + 0.5**2 / 0.4 + 0.3**2 / 0.2 - 1.0, rel=1e-14)
    assert chi2(Bernoulli(0.5), Bernoulli(1.0)) == math.inf
    # near-equal laws keep their digits: Bernoulli(1/2) against Bernoulli(1/2 + e): chi2 = 4e^2 / (1 - 4e^2)
    assert chi2(Bernoulli(0.5), Bernoulli(0.5 + 1e-9)) == pytest.approx(4e-18, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(uniforms(), uniforms(), ORDERS)
def test_uniforms_against_the_overlap_formula(p, q, alpha):
    ell = max(0.0, min(p.high, q.high) - max(p.low, q.low))
    nested = q.low <= p.low and p.high <= q.high
    value = renyi(p, q, alpha)
    if ell == 0.0 or (alpha > 1 and not nested):
        assert value == math.inf
        return
    expected = (math.log(ell) - alpha * math.log(p.width) + (alpha - 1) * math.log(q.width)) / (alpha - 1)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if nested:
        assert chi2(p, q) == pytest.approx(q.width / p.width - 1.0, rel=1e-12, abs=1e-15)
    else:
        assert chi2(p, q) == math.inf


@pytest.mark.parametrize("alpha", [0.25, 0.5, 2.0, 3.0])
def test_exponentials_against_the_quadrature(alpha):
    p, q = Exponential(1.0), Exponential(1.3)  # alpha rate_p - (alpha - 1) rate_q > 0: finite
    integral = _quad_integral(p, q, alpha, 0.0, np.inf)
    assert renyi(p, q, alpha) == pytest.approx(math.log(integral) / (alpha - 1), rel=1e-10)
    assert renyi(Exponential(1.0), Exponential(3.0), 3.0) == math.inf  # 3 * 1 - 2 * 3 < 0


def test_singular_pairs():
    for alpha in [0.5, 2.0]:
        assert renyi(ShiftedLine(0.0), ShiftedLine(1.0), alpha) == math.inf
        assert renyi(ShiftedLine(1.0), ShiftedLine(1.0), alpha) == 0.0
        assert renyi(Bernoulli(0.3), Gaussian(0.0, 1.0), alpha) == math.inf
        assert renyi(Uniform(0.0, 1.0), Uniform(2.0, 3.0), alpha) == math.inf
    assert renyi(Uniform(0.0, 1.0), Uniform(0.5, 2.0), 2.0) == math.inf  # not nested
    assert chi2(Gaussian(0.0, 1.0), Bernoulli(0.5)) == math.inf


def test_curves_pass_the_order():
    thetas = np.array([0.0, 0.5, 1.5])
    out = curves(lambda t: Gaussian(t, 1.0), thetas, Gaussian(0.0, 1.0), names=["renyi", "chi2"], alpha=2.5)
    np.testing.assert_allclose(out["renyi"], 2.5 * thetas**2 / 2, rtol=1e-14)
    np.testing.assert_allclose(out["chi2"], np.expm1(thetas**2), rtol=1e-14)
    with pytest.raises(TypeError, match="alpha"):
        curves(lambda t: Gaussian(t, 1.0), thetas, Gaussian(0.0, 1.0), names=["renyi"])


@pytest.mark.parametrize(
    ("alpha", "error"), [(0.0, ValueError), (-1.0, ValueError), (math.inf, ValueError), (math.nan, ValueError),
                         ("2", TypeError), (True, TypeError), (None, TypeError)]
)  # fmt: skip
def test_bad_orders_are_refused(alpha, error):
    with pytest.raises(error, match="alpha"):
        renyi(Gaussian(), Gaussian(), alpha)
