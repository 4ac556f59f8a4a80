"""The registries of closed forms: most specific first, fall-through, symmetry, ambiguity, bad input."""

import pytest

import divergences as D
import toys
from divergences.laws import ScipyContinuous
from divergences.registry import REGISTRIES, Registry
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, SmoothedLine, Uniform


@pytest.fixture
def scratch_registry():
    """Registrations made in a test are removed afterwards."""
    saved = {name: dict(r._table) for name, r in REGISTRIES.items()}
    yield
    for name, table in saved.items():
        REGISTRIES[name]._table.clear()
        REGISTRIES[name]._table.update(table)
    Registry.candidates.cache_clear()


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
    kinds = [Gaussian, GaussianMixture, Uniform, Exponential, Bernoulli, Discrete, ShiftedLine, SmoothedLine]
    kinds.append(ScipyContinuous)
    for registry in REGISTRIES.values():
        for a in kinds:
            if registry.arity == 1:
                registry.candidates(a)
                continue
            for b in kinds:
                registry.candidates(a, b)  # raises RuntimeError on an ambiguity


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (("hellinger", Gaussian, Gaussian), ValueError, "name"),
        (("kl", "Gaussian", Gaussian), TypeError, "type_p"),
        (("kl", Gaussian), TypeError, "2 law"),
        (("entropy", Gaussian, Gaussian), TypeError, "1 law"),
    ],
)
def test_register_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        D.register(*args)
