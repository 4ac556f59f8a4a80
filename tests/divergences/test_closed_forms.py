"""Each closed form against an independent computation.

Oracles: the numeric path (Gauss-Legendre quadrature and OT, which never look at the closed
forms), ``scipy.integrate.quad``, ``scipy.stats.wasserstein_distance``, explicit sums written
here, and seeded Monte Carlo with stated tolerances.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, stats

import divergences as D
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

LN2 = math.log(2.0)
means = st.floats(-5, 5)
stds = st.floats(0.2, 5)


# -- Gaussian pairs --------------------------------------------------------------------------
@given(m1=means, s1=stds, m2=means, s2=stds)
def test_gaussian_1d_closed_forms_match_quadrature(m1, s1, m2, s2):
    p, q = Gaussian(m1, s1), Gaussian(m2, s2)
    for name in ("kl", "tv", "w1"):
        assert getattr(D, name)(p, q) == pytest.approx(D.numeric.compute(name, p, q), abs=1e-9)


@pytest.mark.parametrize("ratio", [1.0, 1 + 1e-12, 1 + 1e-7, 1 + 1e-3, 1.5, 30.0])
def test_gaussian_tv_is_stable_as_variances_approach_each_other(ratio):
    # one crossing point runs off to infinity as the variances become equal
    p, q = Gaussian(0.3, 1.0), Gaussian(-0.4, ratio)
    assert D.tv(p, q) == pytest.approx(D.numeric.compute("tv", p, q), abs=1e-9)


def test_gaussian_tv_equal_means_unequal_variances():
    # crossings at +-x* with x*^2 = 2 ln(s) s^2 / (s^2 - 1); TV = (2 Phi(x*) - 1) - (2 Phi(x*/s) - 1)
    s = 2.0
    x = math.sqrt(2 * math.log(s) * s**2 / (s**2 - 1))
    expected = (2 * stats.norm.cdf(x) - 1) - (2 * stats.norm.cdf(x / s) - 1)
    assert D.tv(Gaussian(0, 1), Gaussian(0, s)) == pytest.approx(expected, abs=1e-14)


def _random_spd(rng, d):
    a = rng.normal(size=(d, d))
    return a @ a.T + 0.5 * np.eye(d)


@pytest.mark.parametrize("d", [2, 3, 5])
def test_gaussian_kl_in_d_dimensions_matches_monte_carlo(d):
    rng = np.random.default_rng(d)
    p = Gaussian(mean=rng.normal(size=d), cov=_random_spd(rng, d))
    q = Gaussian(mean=rng.normal(size=d), cov=_random_spd(rng, d))
    x = p.sample(400_000, rng=rng)
    ratio = p.logpdf(x) - q.logpdf(x)
    # the Monte Carlo mean of log p/q has standard error std/sqrt(n); 6 of them bound it
    assert D.kl(p, q) == pytest.approx(ratio.mean(), abs=6 * ratio.std() / math.sqrt(x.shape[0]))


def test_gaussian_kl_2d_matches_cubature():
    p = Gaussian(mean=[0, 0], cov=[[1, 0.9], [0.9, 1]])
    q = Gaussian(mean=[0.5, -0.2], cov=[[2, -0.3], [-0.3, 0.5]])
    assert D.kl(p, q) == pytest.approx(D.numeric.compute("kl", p, q), abs=1e-6)
    assert D.kl(q, p) == pytest.approx(D.numeric.compute("kl", q, p), abs=1e-6)


def test_gaussian_equal_covariance_tv_and_w1_in_2d_match_the_numeric_paths():
    cov = [[1.0, 0.6], [0.6, 2.0]]
    p, q = Gaussian(mean=[0, 0], cov=cov), Gaussian(mean=[0.7, -0.4], cov=cov)
    assert D.tv(p, q) == pytest.approx(D.numeric.compute("tv", p, q), abs=1e-6)
    assert D.w1(p, q) == pytest.approx(math.hypot(0.7, 0.4), rel=1e-14)
    assert D.w1(p, q) == pytest.approx(D.numeric.compute("w1", p, q), abs=2e-2)


def test_w1_of_gaussians_with_unequal_covariance_in_3d_has_no_path():
    p = Gaussian(mean=[0, 0, 0], cov=np.eye(3))
    q = Gaussian(mean=[0, 0, 0], cov=2 * np.eye(3))
    with pytest.raises(NotImplementedError, match="empirical"):
        D.w1(p, q)


# -- discrete pairs --------------------------------------------------------------------------
def _brute(p, q):
    """Every divergence by plain Python sums over the union of the atoms."""
    pa = dict(zip(p.atoms.tolist(), p.probs.tolist()))
    qa = dict(zip(q.atoms.tolist(), q.probs.tolist()))
    xs = sorted(set(pa) | set(qa))
    a = [pa.get(x, 0.0) for x in xs]
    b = [qa.get(x, 0.0) for x in xs]
    tv = 0.5 * sum(abs(u - v) for u, v in zip(a, b))
    kl = (
        math.inf
        if any(u > 0 and v == 0 for u, v in zip(a, b))
        else sum(u * (math.log(u) - math.log(v)) for u, v in zip(a, b) if u > 0)
    )

    def half(u, v):  # logs of each factor: u / v can overflow for denormal v
        return u * (math.log(2 * u) - math.log(u + v)) if u > 0 else 0.0

    js = 0.5 * sum(half(u, v) + half(v, u) for u, v in zip(a, b))
    return {"tv": tv, "kl": kl, "js": js}


@given(
    pa=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    pb=st.lists(st.floats(0, 1), min_size=4, max_size=4),
    shift=st.sampled_from([0.0, 1.0, 0.5]),
)
def test_discrete_closed_forms_match_explicit_sums(pa, pb, shift):
    assume(sum(pa) > 0.1 and sum(pb) > 0.1)
    p = Discrete(support=[0, 1, 2, 3], probs=np.array(pa) / sum(pa))
    q = Discrete(support=np.array([0, 1, 2, 3]) + shift, probs=np.array(pb) / sum(pb))
    ref = _brute(p, q)
    assert D.tv(p, q) == pytest.approx(ref["tv"], abs=1e-12)
    assert D.js(p, q) == pytest.approx(ref["js"], abs=1e-12)
    assert D.kl(p, q) == pytest.approx(ref["kl"], abs=1e-12) if math.isfinite(ref["kl"]) else D.kl(p, q) == math.inf
    w = stats.wasserstein_distance(p.atoms, q.atoms, p.probs, q.probs)
    assert D.w1(p, q) == pytest.approx(w, abs=1e-12)


def test_bernoulli_values():
    p, q = Bernoulli(0.3), Bernoulli(0.6)
    assert D.tv(p, q) == pytest.approx(0.3)
    assert D.w1(p, q) == pytest.approx(0.3)
    assert D.kl(p, q) == pytest.approx(0.3 * math.log(0.5) + 0.7 * math.log(0.7 / 0.4))
    assert D.kl(Bernoulli(0.5), Bernoulli(0.0)) == math.inf
    assert D.kl(Bernoulli(0.0), Bernoulli(0.5)) == pytest.approx(math.log(2))
    assert D.js(Bernoulli(0.0), Bernoulli(1.0)) == LN2
    assert D.tv(Bernoulli(1.0), Bernoulli(0.0)) == 1.0


# -- uniform and exponential pairs -----------------------------------------------------------
@given(a=st.floats(-3, 3), wa=st.floats(0.1, 4), c=st.floats(-3, 3), wc=st.floats(0.1, 4))
def test_uniform_closed_forms_match_quadrature(a, wa, c, wc):
    p, q = Uniform(a, a + wa), Uniform(c, c + wc)
    for name in ("tv", "js", "w1"):
        assert getattr(D, name)(p, q) == pytest.approx(D.numeric.compute(name, p, q), abs=1e-9)
    if p.low >= q.low and p.high <= q.high:
        assert D.kl(p, q) == pytest.approx(D.numeric.compute("kl", p, q), abs=1e-9)
    else:
        assert D.kl(p, q) == math.inf


def test_uniform_edge_cases_are_exact():
    assert D.js(Uniform(0, 1), Uniform(1, 2)) == LN2
    assert D.tv(Uniform(0, 1), Uniform(2, 3)) == 1.0
    assert D.kl(Uniform(0, 1), Uniform(0, 2)) == pytest.approx(LN2)
    assert D.kl(Uniform(0, 2), Uniform(0, 1)) == math.inf
    assert D.w1(Uniform(0, 1), Uniform(0.25, 1.25)) == pytest.approx(0.25)


@given(ra=st.floats(0.2, 5), la=st.floats(-2, 2), rb=st.floats(0.2, 5), lb=st.floats(-2, 2))
def test_exponential_closed_forms_match_quadrature(ra, la, rb, lb):
    p, q = Exponential(ra, loc=la), Exponential(rb, loc=lb)
    assert D.w1(p, q) == pytest.approx(D.numeric.compute("w1", p, q), abs=1e-9)
    if la >= lb:
        assert D.kl(p, q) == pytest.approx(D.numeric.compute("kl", p, q), abs=1e-9)
    else:
        assert D.kl(p, q) == math.inf


# -- parallel lines --------------------------------------------------------------------------
@pytest.mark.parametrize("theta", [-1.0, -0.25, 0.1, 0.8])
def test_shifted_lines(theta):
    p, q = ShiftedLine(0.0), ShiftedLine(theta)
    assert D.w1(p, q) == abs(theta)
    assert (D.tv(p, q), D.kl(p, q), D.reverse_kl(p, q), D.js(p, q)) == (1.0, math.inf, math.inf, LN2)
    # the transport computation on discretised segments is independent of the closed form
    assert D.numeric.compute("w1", p, q) == pytest.approx(abs(theta), abs=1e-9)
    assert (D.tv(p, p), D.kl(p, p), D.js(p, p), D.w1(p, p)) == (0.0, 0.0, 0.0, 0.0)


# -- absolute-continuity rules ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("singular", "continuous"),
    [
        (Bernoulli(0.5), Gaussian(0.5, 1.0)),
        (Discrete(support=[-1, 0, 1], probs=[0.2, 0.3, 0.5]), Uniform(-2, 2)),
        (ShiftedLine(0.0), Gaussian(mean=[0, 0.5], cov=np.eye(2))),
        (ShiftedLine(0.3), GaussianMixture(weights=[1.0], means=[[0, 0]], covs=[np.eye(2)])),
    ],
    ids=repr,
)
def test_singular_against_continuous(singular, continuous):
    for p, q in [(singular, continuous), (continuous, singular)]:
        assert D.tv(p, q) == 1.0
        assert D.js(p, q) == LN2
        assert D.kl(p, q) == math.inf
        assert D.reverse_kl(p, q) == math.inf


def test_discrete_against_continuous_w1_is_the_integral_of_the_cdf_gap():
    p, q = Bernoulli(0.5), Gaussian(0.5, 1.0)
    expected = integrate.quad(lambda x: abs(p.cdf(x) - q.cdf(x)), -15, 15, points=[0, 0.5, 1], limit=200)[0]
    assert D.w1(p, q) == pytest.approx(expected, abs=1e-9)


def test_supports_decide_infinite_kl():
    e, g = Exponential(1.0), Gaussian(1.0, 1.0)
    assert D.kl(g, e) == math.inf  # the Gaussian charges the negative half-line
    expected = integrate.quad(lambda x: e.pdf(x) * (e.logpdf(x) - g.logpdf(x)), 0, math.inf, epsabs=1e-13)[0]
    assert D.kl(e, g) == pytest.approx(expected, abs=1e-9)
    assert D.kl(Uniform(0, 1), Exponential(1.0)) < math.inf
    assert D.kl(Uniform(-1, 1), Exponential(1.0)) == math.inf


def test_infinite_kl_raises_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert D.kl(Gaussian(0, 1), Uniform(0, 1)) == math.inf
        assert D.kl(ShiftedLine(0.0), ShiftedLine(1.0)) == math.inf
        assert D.kl(Bernoulli(0.5), Bernoulli(0.0)) == math.inf
