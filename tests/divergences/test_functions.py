"""The scalar functions: scipy.stats inputs, bad input, units, edge values."""

import math

import matplotlib
import numpy as np
import pytest
from scipy import integrate, stats

import divergences as D
import toys
from divergences.laws import as_toy
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

matplotlib.use("Agg")
LN2 = math.log(2.0)


# -- inputs ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("frozen", "toy"),
    [
        (stats.norm(1.0, 2.0), Gaussian(1.0, 2.0)),
        (stats.uniform(-1.0, 3.0), Uniform(-1.0, 2.0)),
        (stats.expon(0.5, 2.0), Exponential(0.5, loc=0.5)),
        (stats.bernoulli(0.3), Bernoulli(0.3)),
        (stats.bernoulli(0.3, loc=2), Discrete(support=[2, 3], probs=[0.7, 0.3])),
        (stats.binom(4, 0.4), Discrete(support=range(5), probs=stats.binom(4, 0.4).pmf(range(5)))),
        (stats.multivariate_normal([0, 1], [[1, 0.3], [0.3, 2]]), Gaussian(mean=[0, 1], cov=[[1, 0.3], [0.3, 2]])),
    ],
    ids=["norm", "uniform", "expon", "bernoulli", "bernoulli-loc", "binom", "mvn"],
)
def test_scipy_laws_are_converted_exactly(frozen, toy):
    # in 2-D the same covariance keeps W1 in closed form (the transport path is tested elsewhere)
    other = Gaussian(0.3, 1.7) if toy.dim == 1 else Gaussian(mean=[0.2, 0.5], cov=[[1, 0.3], [0.3, 2]])
    assert repr(as_toy(frozen, "p")) == repr(toy)
    for fn in (D.tv, D.kl, D.reverse_kl, D.js, D.w1):
        try:
            expected = fn(toy, other)
        except NotImplementedError:
            continue
        assert fn(frozen, other) == pytest.approx(expected, rel=1e-14, abs=1e-15)


def test_other_scipy_laws_take_the_numeric_path():
    p, q = stats.logistic(0.0, 0.6), stats.norm(0.2, 1.0)
    expected = integrate.quad(lambda x: p.pdf(x) * (p.logpdf(x) - q.logpdf(x)), -60, 60, epsabs=1e-13, limit=200)[0]
    assert D.kl(p, q) == pytest.approx(expected, abs=1e-9)
    assert D.kl(stats.norm(0, 1), stats.norm(1, 2)) == pytest.approx(math.log(2) + 2 / 8 - 0.5, abs=1e-15)


@pytest.mark.parametrize("fn", [D.tv, D.kl, D.reverse_kl, D.js, D.w1])
def test_bad_input_is_rejected_before_any_work(fn):
    with pytest.raises(TypeError, match="p must be a toy"):
        fn([0.1, 0.2], Gaussian())
    with pytest.raises(TypeError, match="q must be a toy"):
        fn(Gaussian(), "normal")
    with pytest.raises(ValueError, match=r"same dimension.*p.dim=1.*q.dim=2"):
        fn(Gaussian(), ShiftedLine(0.0))
    with pytest.raises(ValueError, match=r"p: the scale of scipy\.stats\.norm\(0, nan\) must be a finite number > 0"):
        fn(stats.norm(0, math.nan), Gaussian())
    with pytest.raises(ValueError, match="mean"):
        fn(stats.multivariate_normal([0, math.inf], np.eye(2)), Gaussian(mean=[0, 0]))


@pytest.mark.parametrize("base", [0, -2, 1, math.nan, math.inf])
def test_bad_base_is_rejected(base):
    with pytest.raises(ValueError, match="base"):
        D.kl(Gaussian(), Gaussian(1, 1), base=base)
    with pytest.raises(TypeError, match="base"):
        D.js(Gaussian(), Gaussian(1, 1), base="2")


def test_units():
    p, q = Gaussian(0, 1), Gaussian(1, 2)
    assert D.kl(p, q, base=2) == pytest.approx(D.kl(p, q) / LN2, rel=1e-15)
    assert D.reverse_kl(p, q, base=10) == pytest.approx(D.kl(q, p) / math.log(10), rel=1e-15)
    assert D.js(Uniform(0, 1), Uniform(2, 3), base=2) == 1.0
    assert D.kl(p, q, base=math.e) == pytest.approx(D.kl(p, q), rel=1e-15)
    for fn in (D.tv, D.kl, D.reverse_kl, D.js, D.w1):
        assert type(fn(p, q)) is float


def test_no_numeric_path_beyond_two_dimensions():
    p = GaussianMixture(weights=[1.0], means=[[0, 0, 0]], covs=[np.eye(3)])
    with pytest.raises(NotImplementedError, match="empirical"):
        D.js(p, Gaussian(mean=[1, 0, 0], cov=np.eye(3)))


@pytest.mark.parametrize("base", [0.5, 1e-3])
def test_base_below_one_is_rejected_before_any_work(base):
    # a ring against a grid takes seconds by transport: the check must come first
    with pytest.raises(ValueError, match="base"):
        D.kl(toys.ring(), toys.grid(), base=base)


def test_kl_of_nearly_equal_gaussians_is_never_negative():
    rng = np.random.default_rng(0)
    for _ in range(2000):
        m, s = rng.normal(), rng.uniform(0.2, 5)
        p, q = Gaussian(m, s), Gaussian(m * (1 + 1e-13 * rng.normal()), s * (1 + 1e-12 * rng.normal()))
        assert D.kl(p, q) >= 0.0 and D.reverse_kl(p, q) >= 0.0


def test_frozen_laws_with_array_parameters_are_refused():
    with pytest.raises(ValueError, match="single law"):
        D.kl(stats.norm([0.0, 1.0]), stats.norm())
