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
    saved = {name: (dict(r._table), set(r._mirrors)) for name, r in REGISTRIES.items()}
    yield
    for name, (table, mirrors) in saved.items():
        REGISTRIES[name]._table.clear()
        REGISTRIES[name]._table.update(table)
        REGISTRIES[name]._mirrors.clear()
        REGISTRIES[name]._mirrors.update(mirrors)
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
        (("bhattacharyya", Gaussian, Gaussian), ValueError, "name"),
        (("kl", "Gaussian", Gaussian), TypeError, "type_p"),
        (("kl", Gaussian), TypeError, "2 law"),
        (("entropy", Gaussian, Gaussian), TypeError, "1 law"),
    ],
)
def test_register_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        D.register(*args)


def test_a_declining_closed_form_falls_through_to_the_next_registered_one(scratch_registry):
    class Narrow(Gaussian):
        pass

    calls = []

    @D.register("kl", Narrow, Gaussian)
    def _decline(p, q):
        calls.append((p, q))
        return NotImplemented

    p, q = Narrow(0.0, 1.0), Gaussian(1.0, 1.0)
    assert D.kl(p, q) == 0.5  # the Gaussian closed form, (0 - 1)^2 / 2, not the numeric path
    assert calls == [(p, q)]
    from divergences.evaluate import method

    assert method("kl", p, q) == "closed form"


def test_a_registration_after_a_lookup_takes_effect_in_both_orders(scratch_registry):
    class G(Gaussian):
        pass

    p, q = Gaussian(0.0, 1.0), G(1.0, 1.0)
    before = D.tv(p, q)  # fills the lookup cache for (Gaussian, G) and (G, Gaussian)
    D.tv(q, p)

    @D.register("tv", Gaussian, G)
    def _first(a, b):
        return 0.123

    assert D.tv(p, q) == 0.123 and D.tv(q, p) == 0.123

    @D.register("tv", Gaussian, G)  # registered again: the mirror follows
    def _second(a, b):
        return 0.456

    assert D.tv(p, q) == 0.456 and D.tv(q, p) == 0.456
    assert before != 0.123

    @D.register("tv", G, Gaussian)  # an explicit registration of the mirror wins over the mirror
    def _explicit(a, b):
        return 0.789

    assert D.tv(q, p) == 0.789 and D.tv(p, q) == 0.456


def test_a_symmetric_registration_of_a_subclass_and_its_base_is_not_ambiguous(scratch_registry):
    class Narrow(Gaussian):
        pass

    @D.register("w1", Narrow, Gaussian)
    def _w1(p, q):
        return 7.0

    assert D.w1(Narrow(0, 1), Narrow(1, 1)) == 7.0  # (Narrow, Gaussian) and its mirror are one form


def test_moved_names_say_where_they_are_now():
    import gan1d

    with pytest.raises(AttributeError, match=r"moved to divergences\.discrimination\.best_test_error"):
        D.best_test_error  # noqa: B018
    with pytest.raises(AttributeError, match=r"moved to gan1d\.analysis\.witness_bound"):
        gan1d.witness_bound  # noqa: B018
    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        D.nonsense  # noqa: B018
