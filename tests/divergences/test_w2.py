"""The Wasserstein-2 distance: closed forms against independent computations, the numeric path
against mpmath and scipy quadrature, and its properties.

Oracles: the quantile integral by mpmath at 40 digits where both quantile functions are elementary,
or by ``scipy.integrate.quad`` (mixtures through the toys' own ``ppf``, a different root finder);
POT's exact linear program on the atoms (finite laws); the cost of the explicit optimal linear map
(Gaussians in 3-D) and mpmath matrix square roots at 40 digits (nearly equal covariances); the CDF of
the blurred uniform by ``scipy.integrate.quad`` (smoothed lines); the cost of the optimal map on a
seeded sample, an unbiased Monte Carlo estimate of W2^2.
"""

import math

import numpy as np
import ot
import pytest
from hypothesis import assume, given, settings
from mpmath import mp
from scipy import integrate, linalg, optimize, special, stats

from divergences import curves, empirical, w1, w2
from divergences.bounds import gaussian_w2
from divergences.closed_forms.w2 import BlurredUniform, blurred_uniforms
from divergences.evaluate import evaluate, method
from divergences.numeric.remainder import TailTooHeavy
from toys import (
    Bernoulli,
    Discrete,
    Exponential,
    Gaussian,
    GaussianMixture,
    ShiftedLine,
    SmoothedLine,
    Uniform,
)
from toys.strategies import (
    covariances,
    discrete_pairs,
    exponentials,
    gaussians,
    law_tuples,
    seeds,
    shifts,
    uniforms,
)

QUAD = 1e-9  # stated accuracy of the 1-D numeric path, in units of the pair's scale s
TRANSPORT = 5e-2  # stated accuracy of the 2-D transport, in units of max(1, sigma_max)


def _numeric(p, q):
    """The numeric path alone (no closed form)."""
    return float(evaluate(["w2"], [p], [q], closed_forms=False)["w2"][0])


def _bound(p, q, value):
    """The stated bound max(1e-9 s, 1e-12 W2), s within a factor sqrt(2) of the larger standard deviation."""
    sd = max(math.sqrt(d.var) if d.var > 0 else 1.0 for d in (p, q))
    return max(QUAD * math.sqrt(2.0) * sd, 1e-12 * value)


def _mp_quantile_integral(qp, qq, breaks=()):
    """sqrt of the integral over (0, 1) of (qp(u) - qq(u))^2, at 40 digits."""
    with mp.workdps(40):
        value = mp.quad(lambda u: (qp(u) - qq(u)) ** 2, sorted({0, *breaks, 0.5, 1}))
        return float(mp.sqrt(value))


def _mp_gaussian(m, s):
    return lambda u: m + s * mp.sqrt(2) * mp.erfinv(2 * u - 1)


def _mp_exponential(rate, loc):
    return lambda u: loc - mp.log(1 - u) / rate


# -- closed forms --------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(gaussians(), gaussians())
def test_gaussians_1d_against_quad_and_the_numeric_path(p, q):
    dm, ds = p.mean - q.mean, p.std - q.std
    value, _ = integrate.quad(lambda u: (dm + ds * special.ndtri(u)) ** 2, 0, 1, limit=200, epsabs=1e-13, epsrel=1e-13)
    assert method("w2", p, q) == "closed form"
    assert w2(p, q) == pytest.approx(math.sqrt(value), rel=1e-7, abs=1e-9)
    assert w2(p, q) == pytest.approx(_numeric(p, q), abs=_bound(p, q, w2(p, q)))


def _map_cost(p, q):
    """W2 from the optimal linear map T = S1^-1/2 (S1^1/2 S2 S1^1/2)^1/2 S1^-1/2: E|X - T X|^2."""
    r1 = linalg.sqrtm(p.cov).real
    inv = np.linalg.inv(r1)
    t = inv @ linalg.sqrtm(r1 @ q.cov @ r1).real @ inv
    d = np.eye(p.dim) - t
    return math.sqrt(float(np.sum((p.mean - q.mean) ** 2) + np.trace(d @ p.cov @ d.T)))


@settings(max_examples=25, deadline=None)
@given(seeds(), covariances(dim=3), covariances(dim=3))
def test_gaussians_3d_against_the_optimal_map(seed, c1, c2):
    rng = np.random.default_rng(seed)
    p, q = Gaussian(rng.normal(size=3), cov=c1), Gaussian(rng.normal(size=3), cov=c2)
    assert w2(p, q) == pytest.approx(_map_cost(p, q), rel=1e-9)
    assert w2(p, q) == gaussian_w2(p, q)  # one implementation
    assert w2(q, p) == pytest.approx(w2(p, q), rel=1e-12)


def test_nearly_equal_covariances_against_mpmath():
    # S2 = S1 + eps B: W2 ~ eps, where a square root of a difference of traces would keep ~1e-8 of noise
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    c1 = a @ a.T + np.eye(3)
    c2 = c1 + 1e-6 * (b @ b.T)
    p, q = Gaussian(np.zeros(3), cov=c1), Gaussian(np.zeros(3), cov=c2)
    with mp.workdps(40):
        s1, s2 = mp.matrix(p.cov.tolist()), mp.matrix(q.cov.tolist())  # the matrices the toys hold
        r2 = mp.sqrtm(s2)
        trace = sum((s1 + s2 - 2 * mp.sqrtm(r2 * s1 * r2))[i, i] for i in range(3))
        exact = float(mp.sqrt(trace))
    assert w2(p, q) == pytest.approx(exact, rel=1e-8)
    shifted = Gaussian([1.0, 2.0, 2.0], cov=c1)
    assert w2(p, shifted) == 3.0  # equal covariances: exactly the distance of the means


@settings(max_examples=25, deadline=None)
@given(uniforms(), uniforms())
def test_uniforms_against_quad_and_the_numeric_path(p, q):
    value, _ = integrate.quad(lambda u: (p.low + p.width * u - q.low - q.width * u) ** 2, 0, 1, epsabs=1e-14)
    assert w2(p, q) == pytest.approx(math.sqrt(value), rel=1e-9, abs=1e-12)
    assert w2(p, q) == pytest.approx(_numeric(p, q), abs=_bound(p, q, w2(p, q)))


def test_uniform_translates_keep_their_small_distance():
    assert w2(Uniform(0.0, 1.0), Uniform(2.0**-40, 1.0 + 2.0**-40)) == pytest.approx(2.0**-40, rel=1e-15)


@settings(max_examples=10, deadline=None)
@given(exponentials(), exponentials())
def test_exponentials_against_mpmath_and_the_numeric_path(p, q):
    exact = _mp_quantile_integral(_mp_exponential(p.rate, p.loc), _mp_exponential(q.rate, q.loc))
    assert w2(p, q) == pytest.approx(exact, rel=1e-12, abs=1e-14)
    assert w2(p, q) == pytest.approx(_numeric(p, q), abs=_bound(p, q, exact))


@settings(max_examples=25, deadline=None)
@given(discrete_pairs())
def test_finite_laws_against_the_linear_program(pair):
    p, q = pair
    cost = (p.atoms[:, None] - q.atoms[None, :]) ** 2
    exact = math.sqrt(max(float(ot.emd2(p.probs, q.probs, cost)), 0.0))
    assert w2(p, q) == pytest.approx(exact, abs=1e-7)  # the LP's own tolerance
    # POT's 1-D routine returns W2^2, not W2
    squared = float(ot.wasserstein_1d(p.atoms, q.atoms, p.probs, q.probs, p=2))
    assert w2(p, q) ** 2 == pytest.approx(squared, abs=1e-12)
    assert w2(p, q) == pytest.approx(_numeric(p, q), abs=1e-12)  # steps with edges at their jumps


def test_lines():
    assert w2(ShiftedLine(0.0), ShiftedLine(-0.75)) == 0.75 == w1(ShiftedLine(0.0), ShiftedLine(-0.75))
    for theta in (0.0, 0.3, 2.0):  # equal widths: a translation, as for W1
        assert w2(SmoothedLine(0.0, 0.5), SmoothedLine(theta, 0.5)) == abs(theta)


@pytest.mark.parametrize("sigma_1, sigma_2", [(0.1, 0.3), (0.0, 0.2), (0.5, 0.05)])
def test_blurred_uniforms_against_quadrature_of_their_cdf(sigma_1, sigma_2):
    # the CDF of U + sigma E, by quad over the uniform, and its quantile by brentq: independent of
    # the closed form of the CDF and of the root finder; levels below 1e-12 carry < 1e-12 sigma^2
    def cdf(y, s):
        if s == 0.0:
            return min(max(y, 0.0), 1.0)
        return integrate.quad(lambda t: special.ndtr((y - t) / s), 0.0, 1.0, epsabs=1e-15, epsrel=1e-13)[0]

    def ppf(u, s):
        return optimize.brentq(lambda y: cdf(y, s) - u, -1.0 - 10 * s, 2.0 + 10 * s, xtol=1e-14)

    half, _ = integrate.quad(lambda u: (ppf(u, sigma_1) - ppf(u, sigma_2)) ** 2, 1e-12, 0.5, epsabs=1e-13)
    assert blurred_uniforms(sigma_1, sigma_2) == pytest.approx(math.sqrt(2.0 * half), abs=1e-8)
    law = BlurredUniform(sigma_2)  # and its CDF far in the lower tail, relative to the tail mass
    for y in (-8 * sigma_2, -2 * sigma_2, 0.0, 0.4):
        assert math.exp(float(law.logcdf(y))) == pytest.approx(cdf(y, sigma_2), rel=1e-9)
    density, _ = integrate.quad(lambda y: math.exp(float(law.logpdf(y))), -12 * sigma_2, 0.7, epsabs=1e-13)
    assert float(law.cdf(0.7)) == pytest.approx(density, abs=1e-10)  # its density is its CDF's derivative


@pytest.mark.parametrize("t1, s1, t2, s2", [(0.0, 0.1, 0.3, 0.2), (0.0, 1e-3, -1.0, 2.0), (0.5, 0.4, 0.5, 0.05)])
def test_smoothed_lines_add_up_over_the_coordinates(t1, s1, t2, s2):
    value = w2(SmoothedLine(t1, s1), SmoothedLine(t2, s2))
    assert value == pytest.approx(math.hypot(t1 - t2, s1 - s2, blurred_uniforms(s1, s2)), rel=1e-14)
    # the y-parts' W2 lies between the difference of their standard deviations and |s1 - s2| (the
    # coupling with a common U and E)
    low = abs(math.sqrt(1 / 12 + s1**2) - math.sqrt(1 / 12 + s2**2))
    assert math.hypot(t1 - t2, s1 - s2, low) <= value <= math.hypot(t1 - t2, s1 - s2, s1 - s2) + 1e-12
    line = w2(ShiftedLine(t1), SmoothedLine(t2, s2))  # a point against N(t2, s2^2), and U against U + s2 E
    assert line == w2(SmoothedLine(t2, s2), ShiftedLine(t1))
    assert math.hypot(t1 - t2, s2, math.sqrt(1 / 12 + s2**2) - math.sqrt(1 / 12)) <= line
    assert line <= math.hypot(t1 - t2, s2, s2) + 1e-12


# -- the numeric path ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "p, q, qp, qq, breaks",
    [
        (Gaussian(0.0, 1.0), Exponential(2.0, loc=0.3), _mp_gaussian(0, 1), _mp_exponential(2, 0.3), ()),
        (
            stats.logistic(0.5, 2.0),
            Gaussian(0.0, 1.5),
            lambda u: 0.5 + 2 * mp.log(u / (1 - u)),
            _mp_gaussian(0, 1.5),
            (),
        ),
        (Bernoulli(0.3), Gaussian(0.2, 0.5), lambda u: 0 if u <= 0.7 else 1, _mp_gaussian(0.2, 0.5), (0.7,)),
        (Uniform(-1.0, 2.0), Exponential(0.5), lambda u: -1 + 3 * u, _mp_exponential(0.5, 0), ()),
    ],
)
def test_numeric_path_against_mpmath(p, q, qp, qq, breaks):
    exact = _mp_quantile_integral(qp, qq, breaks)
    assert method("w2", p, q) == "quadrature"
    assert w2(p, q) == pytest.approx(exact, abs=1e-10 * max(1.0, exact))


def test_numeric_path_far_away_and_at_extreme_scales():
    far = Exponential(2.0, loc=1e8 + 0.3)
    offset = far.loc - 1e8  # the left end as the float holds it (0.3 to 1.5e-8), exact by Sterbenz's lemma
    exact = _mp_quantile_integral(_mp_gaussian(0, 1), _mp_exponential(2, offset))
    assert _numeric(Gaussian(1e8, 1.0), far) == pytest.approx(exact, abs=QUAD)  # the pair translated by 1e8
    exact = _mp_quantile_integral(_mp_gaussian(0, 1), _mp_exponential(2, 0.3))
    for k in (-40, 40):  # scaled by a power of two: scaled exactly as the value
        scaled = _numeric(Gaussian(0.0, 2.0**k), Exponential(2.0 / 2.0**k, loc=0.3 * 2.0**k))
        assert scaled == pytest.approx(exact * 2.0**k, rel=1e-10)


def test_mixtures_against_gauss_legendre_of_their_own_quantiles():
    # the toys' own ppf (Chandrupatla's root finder on the CDF), integrated in s = logit(u) by
    # 20-point Gauss-Legendre on 288 panels of width 1/4 over [-36, 36] (u rounds to 1 beyond):
    # outside, the integral is below e^-36 (x^2 + y^2) ~ 1e-14; the ppf's loss of digits in the
    # upper tail (from 1 - u) is weighted by 1 - u, below 1e-15; panels 8 times narrower change
    # the oracle by less than 1e-15 for these overlapping components
    p = GaussianMixture([0.3, 0.7], [-2.0, 1.0], stds=[0.8, 1.0])
    q = GaussianMixture([0.5, 0.5], [-1.0, 1.5], stds=[1.0, 0.7])
    x, w = np.polynomial.legendre.leggauss(20)
    s = (np.arange(-144.0, 144.0)[:, None] + 0.5 + 0.5 * x).ravel() / 4.0
    u = special.expit(s)
    value = np.sum(np.tile(w / 8.0, 288) * (p.ppf(u) - q.ppf(u)) ** 2 * u * special.expit(-s))
    assert w2(p, q) == pytest.approx(math.sqrt(value), abs=QUAD)


def test_curves_give_the_scalar_values():
    reference = GaussianMixture([0.3, 0.7], [-1.0, 1.5], stds=[0.5, 1.0])
    thetas = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    out = curves(lambda t: Gaussian(t, 1.0), thetas, reference, names=["w2"])
    np.testing.assert_allclose(out["w2"], [w2(reference, Gaussian(t, 1.0)) for t in thetas], rtol=0, atol=1e-12)


def test_transport_in_2d_against_the_closed_forms():
    # a translate is exactly at its shift (the centred laws are discretised alike); a Gaussian pair
    # within the stated 5e-2 max(1, sigma_max) of the Bures closed form, and within the measured
    # worst case of the module docstring
    p = GaussianMixture([0.3, 0.7], [[0.0, 0.0], [2.0, 1.0]], stds=[0.5, 0.8])
    q = GaussianMixture([0.3, 0.7], [[1.0, -2.0], [3.0, -1.0]], stds=[0.5, 0.8])
    assert method("w2", p, q) == "transport"
    assert w2(p, q) == pytest.approx(math.sqrt(5.0), rel=1e-12)
    a = Gaussian([0.0, 1.0], cov=[[1.0, 0.3], [0.3, 0.5]])
    b = Gaussian([1.0, -1.0], cov=[[2.0, -0.4], [-0.4, 1.0]])
    sigma_max = math.sqrt(max(np.linalg.eigvalsh(a.cov).max(), np.linalg.eigvalsh(b.cov).max()))
    assert _numeric(a, b) == pytest.approx(w2(a, b), abs=TRANSPORT * max(1.0, sigma_max))


# -- properties ----------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(law_tuples(2))
def test_w1_at_most_w2_and_symmetric(pair):
    # Jensen: E|X - Y| <= (E|X - Y|^2)^(1/2) under every coupling (Villani 2009, Rem. 6.6)
    p, q = pair
    value = w2(p, q)
    tol = 2 * _bound(p, q, value) if p.dim == 1 else 1e-12
    assert w1(p, q) <= value + tol
    assert w2(q, p) == pytest.approx(value, abs=tol)


def _translate(d, a):
    if isinstance(d, GaussianMixture):
        return GaussianMixture(d.weights, d.means + a, stds=d.stds)
    if isinstance(d, Gaussian):
        return Gaussian(d.mean + a, d.std)
    if isinstance(d, Exponential):
        return Exponential(d.rate, loc=d.loc + a)
    if isinstance(d, Uniform):
        return Uniform(d.low + a, d.high + a)
    return Discrete(d.atoms + a, d.probs)


@settings(max_examples=25, deadline=None)
@given(law_tuples(1), shifts())
def test_a_translate_is_at_the_shift(laws, a):
    assume(laws[0].dim == 1)
    p, q = _translate(laws[0], 0.0), _translate(laws[0], a)  # weights normalised alike in both
    shift = float(np.mean(q.sample(1, rng=0) - p.sample(1, rng=0)))  # a as the two laws hold it
    assert w2(p, q) == pytest.approx(abs(shift), abs=1e-12)
    assert _numeric(p, q) == pytest.approx(abs(shift), abs=1e-12)


# -- from samples --------------------------------------------------------------------------------
def test_the_optimal_map_on_a_sample_is_unbiased():
    # y = T(x) with the monotone map T of N(0, 1) onto N(1, 2^2): the sorted coupling of (x, y) is
    # the map itself, so empirical.w2(x, y)^2 = mean((x - T x)^2), unbiased for W2^2 = 1 + 1 = 2;
    # x - T x ~ N(-1, 1) exactly, so (x - T x)^2 has variance 2 + 4 = 6
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    x = p.sample(20_000, rng=11)
    y = 1.0 + 2.0 * x
    se = math.sqrt(6.0 / x.size)
    assert abs(empirical.w2(x, y) ** 2 - w2(p, q) ** 2) <= 5 * se


def test_frechet_of_independent_samples_within_its_bias():
    # 1-D: frechet = (mean_x - mean_y)^2 + (s_x - s_y)^2; its bias is (s1^2 + s2^2) / n from the
    # means (exact) plus about the same halved from the standard deviations (Var s ~ s^2 / 2n)
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    n = 20_000
    x, y = p.sample(n, rng=1), q.sample(n, rng=2)
    bias = 1.5 * (1.0 + 4.0) / n
    se = math.sqrt(4 * 1.0 * (1.0 + 4.0) / n + 4 * 1.0 * (1.0 + 4.0) / (2 * n))  # delta method, both terms
    assert abs(empirical.frechet(x, y) - bias - w2(p, q) ** 2) <= 5 * se


# -- bad input -----------------------------------------------------------------------------------
def test_bad_input_and_refusals():
    with pytest.raises(TypeError, match="q must be a toy"):
        w2(Gaussian(), [0.0, 1.0])
    with pytest.raises(ValueError, match="same dimension"):
        w2(Gaussian(), Gaussian([0.0, 0.0]))
    with pytest.raises(NotImplementedError, match=r"empirical\.w2"):
        w2(SmoothedLine(0.0, 0.5), Gaussian([0.0, 0.0]))
    three = GaussianMixture([0.5, 0.5], [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], stds=[0.5, 0.5])
    with pytest.raises(NotImplementedError, match="in 3 dimensions"):
        method("w2", three, Gaussian([0.0, 0.0, 0.0]))
    assert method("w2", Gaussian([0.0, 0.0, 0.0]), Gaussian([1.0, 0.0, 0.0])) == "closed form"
    with pytest.raises(TailTooHeavy, match="expit"):  # a second moment that is finite, but barely
        w2(stats.t(2.05), Gaussian())


def test_mixtures_of_one_component_are_gaussians_not_transport():
    # a one-component mixture is a Gaussian: the Bures closed form applies (the transport path's
    # absolute error would swamp the value of nearly equal laws)
    cov = np.array([[1.0, 0.5], [0.5, 2.0]])
    a = GaussianMixture([1.0], [[0.0, 0.0]], covs=[cov])
    b = GaussianMixture([1.0], [[0.0, 0.0]], covs=[cov * 1.0001])
    g, h = Gaussian(mean=[0.0, 0.0], cov=cov), Gaussian(mean=[0.0, 0.0], cov=cov * 1.0001)
    assert method("w2", a, b) == "closed form"
    assert w2(a, b) == w2(g, h) == w2(a, h) == w2(h, a)
    assert w2(GaussianMixture([1.0], [0.5], stds=[2.0]), Gaussian(0.0, 1.0)) == math.hypot(0.5, 1.0)
    # two components: transport
    assert method("w2", GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], covs=[cov, cov]), a) == "transport"
