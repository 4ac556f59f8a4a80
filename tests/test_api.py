"""The public API: registry dispatch, scipy.stats inputs, bad input, units, curves and plots."""

import math

import matplotlib
import numpy as np
import pytest
from scipy import integrate, stats

import divergences as D
import toys
from divergences import registry
from divergences._inputs import ScipyContinuous
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

matplotlib.use("Agg")
LN2 = math.log(2.0)


@pytest.fixture
def scratch_registry():
    """Registrations made in a test are removed afterwards."""
    saved = {name: dict(table) for name, table in registry._TABLE.items()}
    yield
    for name, table in saved.items():
        registry._TABLE[name].clear()
        registry._TABLE[name].update(table)
    registry.lookup.cache_clear()


# -- registry --------------------------------------------------------------------------------
def test_most_specific_registration_wins(scratch_registry):
    class Narrow(Gaussian):
        pass

    @D.register("w1", Narrow, Gaussian)
    def _w1_narrow(p, q):
        return 123.0

    assert D.w1(Narrow(0, 1), Gaussian(0, 2)) == 123.0
    assert D.w1(Gaussian(0, 2), Narrow(0, 1)) == 123.0  # W1 is symmetric: the mirror is registered
    assert D.w1(Gaussian(0, 1), Gaussian(0, 2)) != 123.0  # the base pair keeps its closed form


def test_not_implemented_hands_over_to_the_numeric_path(scratch_registry):
    @D.register("kl", GaussianMixture, Gaussian)
    def _decline(p, q):
        return NotImplemented

    p, q = GaussianMixture(weights=[1.0], means=[0.5], stds=[1.0]), Gaussian(0.0, 2.0)
    assert D.kl(p, q) == pytest.approx(D.kl(Gaussian(0.5, 1.0), q), abs=1e-9)


def test_ambiguous_registrations_raise(scratch_registry):
    class A(Gaussian):
        pass

    @D.register("tv", A, toys.ContinuousDistribution)
    def _left(p, q):
        return 0.1

    @D.register("kl", A, toys.ContinuousDistribution)
    def _kl_left(p, q):
        return 0.1

    @D.register("kl", toys.ContinuousDistribution, A)
    def _kl_right(p, q):
        return 0.2

    with pytest.raises(RuntimeError, match="ambiguous"):
        D.kl(A(0, 1), A(0, 2))


def test_no_two_registrations_are_ambiguous_for_the_toys():
    kinds = [Gaussian, GaussianMixture, Uniform, Exponential, Bernoulli, Discrete, ShiftedLine, ScipyContinuous]
    for name in registry.NAMES:
        for a in kinds:
            for b in kinds:
                registry.lookup(name, a, b)  # raises RuntimeError on an ambiguity


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [(("hellinger", Gaussian, Gaussian), ValueError, "name"), (("kl", "Gaussian", Gaussian), TypeError, "type_p")],
)
def test_register_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        D.register(*args)


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
    assert repr(D._inputs.as_toy(frozen, "p")) == repr(toy)
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
    with pytest.raises(ValueError, match=r"mean|std"):
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


# -- curves and plot -------------------------------------------------------------------------
FAMILIES = {
    "gaussian scale": (lambda t: Gaussian(0.0, math.exp(t)), Gaussian(0.5, 1.0), np.linspace(-1, 1, 7)),
    "mixture shift": (
        lambda t: GaussianMixture(weights=[0.5, 0.5], means=[-2 + t, 2 + t], stds=[0.7, 0.7]),
        GaussianMixture(weights=[0.3, 0.7], means=[-2, 2], stds=[0.7, 0.5]),
        np.linspace(-3, 3, 9),
    ),
    "exponential rate": (lambda t: Exponential(math.exp(t)), Gaussian(1.0, 1.0), np.linspace(-1, 1, 5)),
    "uniform shift": (lambda t: Uniform(t, t + 1), Uniform(0, 2), np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0])),
    "lines": (ShiftedLine, ShiftedLine(0.0), np.array([-1.0, 0.0, 0.25])),
    "2-D correlation": (
        lambda r: Gaussian(mean=[0, 0], cov=[[1, r], [r, 1]]),
        Gaussian(mean=[0, 0], cov=np.eye(2)),
        np.array([-0.5, 0.0, 0.8]),
    ),
}


@pytest.mark.parametrize("case", FAMILIES)
def test_curves_equal_the_scalar_functions_in_the_stated_orientation(case):
    family, ref, thetas = FAMILIES[case]
    names = ("tv", "kl", "reverse_kl", "js") if case == "2-D correlation" else D.curves.__defaults__[0]
    out = D.curves(family, thetas, ref, names=names)
    scalar = {"tv": D.tv, "kl": D.kl, "reverse_kl": D.reverse_kl, "js": D.js, "w1": D.w1}
    for name in names:
        expected = [scalar[name](ref, family(t)) for t in thetas]  # the reference plays p
        np.testing.assert_allclose(out[name], expected, rtol=0, atol=1e-12)


def test_curves_kl_is_kl_of_reference_to_model():
    # KL(N(0,1) || N(0, s^2)) = ln s + 1/(2 s^2) - 1/2 differs from the reverse direction
    s = np.array([0.5, 2.0])
    out = D.curves(lambda t: Gaussian(0.0, t), s, Gaussian(0.0, 1.0), names=["kl", "reverse_kl"])
    np.testing.assert_allclose(out["kl"], np.log(s) + 1 / (2 * s**2) - 0.5, rtol=1e-14)
    np.testing.assert_allclose(out["reverse_kl"], -np.log(s) + s**2 / 2 - 0.5, rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"family": 3}, TypeError, "family"),
        ({"thetas": [0.0, math.nan]}, ValueError, "thetas"),
        ({"thetas": [[0.0, 1.0]]}, ValueError, "thetas"),
        ({"names": ["hellinger"]}, ValueError, "names"),
        ({"family": lambda t: ShiftedLine(t)}, ValueError, "dim"),
        ({"family": lambda t: "model"}, TypeError, "family"),
    ],
)
def test_curves_bad_input(kwargs, error, match):
    args = {"family": lambda t: Gaussian(t, 1.0), "thetas": [0.0, 1.0], "reference": Gaussian(), **kwargs}
    with pytest.raises(error, match=match):
        D.curves(**args)


def test_plot_marks_infinite_values_and_uses_the_given_axes():
    import matplotlib.pyplot as plt

    thetas = np.linspace(-1, 1, 21)
    values = D.curves(ShiftedLine, thetas, ShiftedLine(0.0))
    fig, ax = plt.subplots()
    assert D.plot(thetas, values, ax=ax, title="lines") is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 5 and sum("infty" in label for label in labels) == 2
    top = ax.get_ylim()[1]
    dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 2 and all(np.nanmin(line.get_ydata()) > 1.0 for line in dotted)
    assert top > 1.0
    plt.close(fig)


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
