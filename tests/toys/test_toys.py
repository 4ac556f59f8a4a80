"""The toys: validation, sampling, densities, CDFs and quantiles against independent computations."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

import toys
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

ONE_D = [
    Gaussian(1.0, 2.0),
    GaussianMixture(weights=[0.3, 0.7], means=[-1.0, 2.0], stds=[1.0, 0.5]),
    Uniform(-1.0, 3.0),
    Exponential(2.0),
    Exponential(0.5, loc=-1.0),
]
DISCRETE = [Bernoulli(0.3), Discrete(support=[2.0, -1.0, 0.5], probs=[0.2, 0.5, 0.3])]
MULTI = [
    Gaussian(mean=[0.0, 1.0], cov=[[1.0, 0.8], [0.8, 1.0]]),
    GaussianMixture(weights=[0.5, 0.5], means=[[0, 0], [3, 1]], covs=[np.eye(2), [[2, 0.5], [0.5, 1]]]),
    toys.ring(),
    ShiftedLine(0.7),
]
ALL = ONE_D + DISCRETE + MULTI


# -- validation: every rule raises ValueError naming the parameter --------------------------
@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Gaussian(0.0, 0.0), "std"),
        (lambda: Gaussian(0.0, -1.0), "std"),
        (lambda: Gaussian(0.0, math.nan), "std"),
        (lambda: Gaussian(math.inf, 1.0), "mean"),
        (lambda: Gaussian(mean=[0, 0], cov=[[1, 2], [2, 1]]), "cov.*positive definite"),
        (lambda: Gaussian(mean=[0, 0], cov=[[1, 0.1], [0.2, 1]]), "cov.*symmetric"),
        (lambda: Gaussian(mean=[0, 0], cov=[[1, 0, 0], [0, 1, 0], [0, 0, 1]]), r"cov.*shape \(2, 2\)"),
        (lambda: Gaussian(mean=[0, 0], cov=[[1, 0], [0, math.nan]]), "cov.*finite"),
        (lambda: Gaussian(mean=[[0, 0]]), "mean"),
        (lambda: GaussianMixture(weights=[0.5, 0.6], means=[0, 1], stds=[1, 1]), "weights.*sum to 1"),
        (lambda: GaussianMixture(weights=[1.5, -0.5], means=[0, 1], stds=[1, 1]), "weights.*non-negative"),
        (lambda: GaussianMixture(weights=[math.nan, 1.0], means=[0, 1], stds=[1, 1]), "weights.*finite"),
        (lambda: GaussianMixture(weights=[0.5, 0.5], means=[0, 1, 2], stds=[1, 1]), "means.*one entry per weight"),
        (lambda: GaussianMixture(weights=[0.5, 0.5], means=[0, 1], stds=[1, 0]), "stds.*> 0"),
        (lambda: GaussianMixture(weights=[0.5, 0.5], means=[0, 1], stds=[1]), "stds.*one entry per weight"),
        (
            lambda: GaussianMixture(weights=[1.0], means=[[0, 0]], covs=[[[1, 2], [2, 1]]]),
            r"covs\[0\].*positive definite",
        ),
        (lambda: Uniform(1.0, 1.0), "low must be < high"),
        (lambda: Uniform(2.0, 1.0), "low must be < high"),
        (lambda: Uniform(0.0, math.inf), "high.*finite"),
        (lambda: Exponential(0.0), "rate"),
        (lambda: Exponential(-2.0), "rate"),
        (lambda: Bernoulli(1.2), r"p must be in \[0, 1\]"),
        (lambda: Bernoulli(-0.1), r"p must be in \[0, 1\]"),
        (lambda: Bernoulli(math.nan), "p must be finite"),
        (lambda: Discrete(support=[0, 1], probs=[0.5, 0.6]), "probs.*sum to 1"),
        (lambda: Discrete(support=[0, 1], probs=[-0.5, 1.5]), "probs.*non-negative"),
        (lambda: Discrete(support=[0, 0], probs=[0.5, 0.5]), "support.*distinct"),
        (lambda: Discrete(support=[0, 1, 2], probs=[0.5, 0.5]), "same length"),
        (lambda: Discrete(support=[0, math.inf], probs=[0.5, 0.5]), "support.*finite"),
        (lambda: ShiftedLine(math.nan), "theta"),
        (lambda: toys.ring(n_modes=0), "n_modes"),
        (lambda: toys.ring(radius=-1.0), "radius"),
        (lambda: toys.grid(std=0.0), "std"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_message_states_value_and_expectation():
    with pytest.raises(ValueError) as info:
        Gaussian(0.0, -3.0)
    assert "-3.0" in str(info.value) and "> 0" in str(info.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Gaussian(0.0, std=1.0, cov=[[1.0]]),
        lambda: GaussianMixture(weights=[1.0], means=[0.0]),
        lambda: Gaussian("a"),
        lambda: Bernoulli(True),
        lambda: toys.ring(n_modes=2.5),
    ],
)
def test_wrong_types_raise_type_error(make):
    with pytest.raises(TypeError):
        make()


def test_weights_within_tolerance_are_accepted_and_renormalised():
    m = GaussianMixture(weights=[0.5, 0.5 + 5e-10], means=[0, 1], stds=[1, 1])
    assert m.weights.sum() == pytest.approx(1.0, abs=1e-15)


# -- sampling --------------------------------------------------------------------------------
@pytest.mark.parametrize("dist", ALL, ids=repr)
def test_sample_shapes_follow_scipy(dist):
    x = dist.sample(7, rng=0)
    assert x.shape == ((7,) if dist.dim == 1 else (7, dist.dim))
    assert dist.sample(0, rng=0).shape[0] == 0


@pytest.mark.parametrize("dist", ALL, ids=repr)
def test_sampling_is_reproducible_from_seed_or_generator(dist):
    np.testing.assert_array_equal(dist.sample(20, rng=3), dist.sample(20, rng=3))
    np.testing.assert_array_equal(dist.sample(20, rng=np.random.default_rng(3)), dist.sample(20, rng=3))
    assert not np.array_equal(dist.sample(20, rng=3), dist.sample(20, rng=4))


@pytest.mark.parametrize(("n", "rng", "error"), [(-1, 0, ValueError), (2.5, 0, TypeError), (3, "seed", TypeError)])
def test_bad_sample_arguments(n, rng, error):
    with pytest.raises(error, match=r"n must|rng must"):
        Gaussian().sample(n, rng=rng)


@pytest.mark.parametrize("dist", [d for d in ALL if not isinstance(d, ShiftedLine)], ids=repr)
def test_sample_moments_match_the_stated_moments(dist):
    # Monte Carlo with 200k draws: the sample mean is within 5 standard errors of the mean
    # (a false alarm has probability < 1e-6 per coordinate); variances within 5% (the relative
    # standard error of a sample variance is sqrt(2 / n) * (1 + kurtosis term) << 1%).
    n = 200_000
    x = dist.sample(n, rng=12345)
    if dist.dim == 1:
        assert abs(x.mean() - dist.mean) <= 5 * math.sqrt(dist.var / n)
        assert x.var() == pytest.approx(dist.var, rel=0.05)
    else:
        se = np.sqrt(np.diag(dist.cov) / n)
        assert np.all(np.abs(x.mean(axis=0) - dist.mean) <= 5 * se)
        np.testing.assert_allclose(np.cov(x.T), dist.cov, rtol=0.05, atol=0.01)


def test_shifted_line_samples_lie_on_the_segment_uniformly():
    x = ShiftedLine(-0.3).sample(20_000, rng=1)
    assert np.all(x[:, 0] == -0.3)
    # Kolmogorov-Smirnov distance to U[0, 1]; 1.95 / sqrt(n) is the 0.1% critical value
    assert stats.kstest(x[:, 1], "uniform").statistic < 1.95 / math.sqrt(x.shape[0])
    np.testing.assert_allclose(ShiftedLine(-0.3).cov, [[0, 0], [0, 1 / 12]])


def test_exponential_sampler_is_the_inverse_cdf_of_uniform_latents():
    e = Exponential(rate=3.0, loc=1.0)
    u = np.random.default_rng(5).random(1000)
    np.testing.assert_array_equal(e.sample(1000, rng=5), e.from_uniform(u))
    np.testing.assert_allclose(e.from_uniform(u), stats.expon(loc=1.0, scale=1 / 3).ppf(u), rtol=1e-14)


# -- densities, CDFs and quantiles -----------------------------------------------------------
@pytest.mark.parametrize("dist", ONE_D, ids=repr)
def test_density_integrates_to_one_and_to_the_cdf(dist):
    low, high = dist.support
    total = integrate.quad(dist.pdf, low, high, limit=200)[0]
    assert total == pytest.approx(1.0, abs=1e-10)
    for x in (-0.5, 0.3, 1.7):
        a = max(low, -60.0)
        part = integrate.quad(dist.pdf, a, x, limit=200)[0] if x > a else 0.0
        assert dist.cdf(x) == pytest.approx(part, abs=1e-10)


@pytest.mark.parametrize("dist", ONE_D + DISCRETE, ids=repr)
def test_ppf_inverts_cdf(dist):
    u = np.array([1e-9, 0.01, 0.3, 0.5, 0.77, 0.999])
    x = dist.ppf(u)
    if isinstance(dist, Discrete):
        # the smallest atom whose cdf reaches u
        assert np.all(dist.cdf(x) >= u)
        below = dist.cdf(np.nextafter(x, -np.inf))
        assert np.all(below < u)
    else:
        np.testing.assert_allclose(dist.cdf(x), u, rtol=1e-10, atol=1e-14)
    assert np.isnan(dist.ppf(1.5)) and np.isnan(dist.ppf(-0.1))


@pytest.mark.parametrize(
    ("toy", "reference"),
    [
        (Gaussian(1.0, 2.0), stats.norm(1.0, 2.0)),
        (Uniform(-1.0, 3.0), stats.uniform(-1.0, 4.0)),
        (Exponential(2.0, loc=0.5), stats.expon(loc=0.5, scale=0.5)),
    ],
    ids=["norm", "uniform", "expon"],
)
def test_one_dimensional_laws_agree_with_scipy(toy, reference):
    x = np.linspace(-5, 6, 57)
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(toy.logpdf(x), reference.logpdf(x), rtol=1e-12)
    np.testing.assert_allclose(toy.cdf(x), reference.cdf(x), rtol=1e-12, atol=1e-300)
    u = np.linspace(0.01, 0.99, 9)
    np.testing.assert_allclose(toy.ppf(u), reference.ppf(u), rtol=1e-12)
    assert toy.mean == pytest.approx(reference.mean()) and toy.var == pytest.approx(reference.var())


def test_multivariate_gaussian_agrees_with_scipy():
    cov = [[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]]
    g = Gaussian(mean=[1, 2, 3], cov=cov)
    x = np.random.default_rng(0).normal(size=(4, 5, 3))
    np.testing.assert_allclose(g.logpdf(x), stats.multivariate_normal([1, 2, 3], cov).logpdf(x), rtol=1e-12)
    assert g.logpdf(x).shape == (4, 5)


def test_mixture_density_is_the_weighted_sum_of_components():
    m = MULTI[1]
    x = np.random.default_rng(1).normal(size=(10, 2)) * 2
    direct = sum(w * stats.multivariate_normal(mu, c).pdf(x) for w, mu, c in zip(m.weights, m.means, m.covs))
    np.testing.assert_allclose(m.pdf(x), direct, rtol=1e-12)
    np.testing.assert_allclose(m.cov, np.cov(m.sample(300_000, rng=2).T), rtol=0.02, atol=0.02)


def test_mixture_moments_far_from_the_origin():
    # E[X^2] - mean^2 at 1e8 loses every digit of a variance of 1 (it gave -2.0): the moments are
    # taken about the mean. Exact values: mean 1e8 + 1.5, variance 1 + 0.25 * 0.75 * 2^2 = 1.75.
    m = GaussianMixture(weights=[0.25, 0.75], means=[1e8, 1e8 + 2.0], stds=[1.0, 1.0])
    assert m.mean == 1e8 + 1.5 and m.var == 1.75
    m2 = GaussianMixture(weights=[0.25, 0.75], means=[[1e8, -1e8], [1e8 + 2.0, -1e8]], covs=[np.eye(2)] * 2)
    np.testing.assert_array_equal(m2.cov, [[1.75, 0.0], [0.0, 1.0]])


def test_mixture_log_density_is_finite_far_in_the_tails():
    m = ONE_D[1]
    x = np.array([-1e4, -300.0, 300.0, 1e4])
    lp = m.logpdf(x)
    assert np.all(np.isfinite(lp))
    # far out, the widest component dominates: log p ~ log w_k + log N(x; mu_k, s_k^2)
    expected = np.log(0.3) + stats.norm(-1.0, 1.0).logpdf(x)
    np.testing.assert_allclose(lp, expected, rtol=1e-12)
    assert np.isfinite(toys.ring().logpdf([100.0, -100.0]))


def test_discrete_pmf_cdf_and_moments():
    d = DISCRETE[1]
    np.testing.assert_array_equal(d.atoms, [-1.0, 0.5, 2.0])
    np.testing.assert_allclose(d.pmf([-1.0, 0.0, 0.5, 2.0]), [0.5, 0.0, 0.3, 0.2])
    np.testing.assert_allclose(d.cdf([-2.0, -1.0, 1.0, 2.0, 5.0]), [0.0, 0.5, 0.8, 1.0, 1.0])
    assert d.mean == pytest.approx(-0.5 + 0.15 + 0.4)
    assert d.logpmf(0.0) == -math.inf
    assert Bernoulli(0.25).var == pytest.approx(0.25 * 0.75)


def test_one_vector_gaussian_is_one_dimensional():
    g = Gaussian(mean=[2.0], cov=[[4.0]])
    assert g.dim == 1 and g.mean == 2.0 and g.std == 2.0
    assert g.sample(3, rng=0).shape == (3,)


def test_cdf_of_multivariate_law_is_refused():
    with pytest.raises(ValueError, match="1-D"):
        MULTI[0].cdf([0.0, 0.0])
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 2\)"):
        MULTI[0].logpdf([0.0, 0.0, 0.0])


# -- the mode-collapse mixtures --------------------------------------------------------------
def test_ring_and_grid_geometry():
    r = toys.ring(n_modes=6, radius=3.0, std=0.1)
    assert r.n_components == 6
    np.testing.assert_allclose(np.linalg.norm(r.means, axis=1), 3.0)
    np.testing.assert_allclose(np.diff(np.arctan2(r.means[:, 1], r.means[:, 0]) % (2 * np.pi)), np.pi / 3)
    g = toys.grid()
    assert g.n_components == 25
    assert sorted(set(g.means[:, 0])) == [-4.0, -2.0, 0.0, 2.0, 4.0]
    np.testing.assert_allclose(g.covs, np.broadcast_to(0.05**2 * np.eye(2), (25, 2, 2)))


# -- repr ------------------------------------------------------------------------------------
def test_repr_is_readable_and_round_trips_for_simple_toys():
    for d in [Gaussian(1.5, 2.0), Uniform(0.0, 2.0), Bernoulli(0.25), Exponential(2.0), ShiftedLine(0.5)]:
        again = eval(repr(d), vars(toys))
        assert repr(again) == repr(d)
    assert repr(toys.grid()).startswith("GaussianMixture(weights=[0.04, 0.04, 0.04, ...")
    assert len(repr(toys.grid())) < 400


@pytest.mark.parametrize("std", [1e-170, 1e200])
def test_std_whose_square_is_not_representable_is_rejected(std):
    with pytest.raises(ValueError, match="std"):
        Gaussian(0.0, std)
    with pytest.raises(ValueError, match="stds"):
        GaussianMixture(weights=[1.0], means=[0.0], stds=[std])
