"""Property tests: the identities and inequalities of the theory, on random toys.

Every test states a fact about TV, KL, reverse KL, JS or W1 that holds for all laws, and checks it
on laws drawn by :mod:`toys.strategies` (deterministically: tests/conftest.py loads a derandomized
hypothesis profile). Where a fact relates the library to something else, the other side is an
independent computation: a closed form from the textbook, a finite sum, a brute-force enumeration
or ``scipy.integrate.quad``.

Tolerances are the accuracies the library states (docstrings of :mod:`divergences.functions`,
:mod:`divergences.numeric.one_d` and :mod:`divergences.numeric.two_d`; the constants below), so a failure
is a broken promise, not noise. The 2-D cases are few: each costs 0.01 s (cubature) to a few
seconds (transport).
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import divergences
from divergences import js, kl, reverse_kl, tv, w1
from toys import Exponential, Gaussian, ShiftedLine, Uniform
from toys.strategies import (
    bernoullis,
    continuous_1d,
    discretes,
    exponentials,
    gaussians,
    law_tuples,
    on_one_support,
    scales,
    shifted_lines,
    shifts,
    supports,
    uniforms,
)

from .oracles import (
    DIVERGENCES,
    FEW,
    LN2,
    TOL_1D,
    TOL_2D,
    TOL_SUM,
    scaled,
    shifted,
)


# -- non-negativity, identity of indiscernibles, symmetry --------------------------------------
@given(law_tuples(2))
def test_every_divergence_is_zero_on_equal_laws_and_nonnegative(pair):
    p, q = pair
    for name, d in DIVERGENCES.items():
        assert d(p, p) == 0.0, name  # exactly: the integrands (or sums) vanish term by term
        assert d(p, q) >= 0.0, name
    assert tv(p, q) <= 1.0
    assert js(p, q) <= LN2


@pytest.mark.parametrize(
    ("name", "law"),
    [
        ("js", Uniform(0.0, 49.0)),  # 1 - (1 / 49) * 49 rounds to 1.1e-16: JS was 7.7e-17
        ("kl", Exponential(rate=3.0, loc=2.3)),  # (1 / 3 + 2.3) - 2.3 rounds: KL was 4.4e-16
        ("reverse_kl", Exponential(rate=3.0, loc=2.3)),
    ],
)
def test_closed_forms_are_exactly_zero_where_rounding_used_to_leak(name, law):
    assert DIVERGENCES[name](law, law) == 0.0


@given(st.one_of(continuous_1d(), discretes(), bernoullis(), shifted_lines()), shifts(min_abs=0.05))
def test_every_divergence_is_positive_between_a_law_and_its_translate(p, a):
    q = shifted(p, a)
    for name, d in DIVERGENCES.items():
        assert d(p, q) > 0.0, name


@given(on_one_support(2))
def test_every_divergence_is_positive_between_different_discrete_laws(pair):
    p, q = pair
    assume(np.max(np.abs(p.probs - q.probs)) > 1e-6)  # then TV >= 5e-7, KL >= 2 TV^2, JS >= TV^2 / 2
    for name, d in DIVERGENCES.items():
        assert d(p, q) > 0.0, name


@given(law_tuples(2))
def test_tv_js_w1_are_symmetric_and_reverse_kl_swaps_the_arguments(pair):
    p, q = pair
    for d in (tv, js, w1):
        assert math.isclose(d(p, q), d(q, p), rel_tol=TOL_SUM, abs_tol=2 * TOL_1D)  # two values, each +- TOL_1D
    assert reverse_kl(p, q) == kl(q, p)


@FEW
@given(gaussians(dim=2), gaussians(dim=2))
def test_tv_and_js_are_symmetric_in_2d(p, q):
    for d in (tv, js):
        assert math.isclose(d(p, q), d(q, p), abs_tol=2 * TOL_2D)


@given(st.one_of(st.tuples(*[continuous_1d()] * 2), on_one_support(2)), shifts(), st.data())
def test_tv_kl_js_do_not_depend_on_the_units(pair, a, data):
    p, q = pair
    s = data.draw(scales(positive=isinstance(p, Exponential) or isinstance(q, Exponential)))
    # f-divergences are invariant under any bijection of the space, here x -> s x + a
    tp, tq = shifted(scaled(p, s), a), shifted(scaled(q, s), a)
    for name in ("tv", "kl", "reverse_kl", "js"):
        d = DIVERGENCES[name]
        before, after = d(p, q), d(tp, tq)
        if math.isinf(before):
            assert after == math.inf, name
        else:  # two values, each within TOL_1D (and rounding of KLs up to ~1e3)
            assert math.isclose(after, before, rel_tol=TOL_SUM, abs_tol=2 * TOL_1D), name


@FEW
@given(gaussians(dim=2), shifts(), shifts())
def test_2d_gaussians_with_one_covariance_are_as_far_apart_as_their_projections(p, a, b):
    q = Gaussian(p.mean + [a, b], cov=p.cov)
    delta = math.sqrt(np.array([a, b]) @ np.linalg.solve(p.cov, [a, b]))  # Mahalanobis distance
    # The likelihood ratio depends on x only through its projection on cov^-1 (m_q - m_p), a
    # sufficient statistic along which the laws are N(0, 1) and N(delta, 1); f-divergences do
    # not lose anything to a sufficient statistic. Cubature (TOL_2D) against the 1-D values.
    p1, q1 = Gaussian(0.0, 1.0), Gaussian(delta, 1.0)
    for name in ("tv", "kl", "js"):
        expected = DIVERGENCES[name](p1, q1)
        assert math.isclose(divergences.numeric.compute(name, p, q), expected, rel_tol=TOL_SUM, abs_tol=TOL_2D), name


@FEW
@given(gaussians(dim=2), gaussians(dim=2), st.floats(-math.pi, math.pi), shifts(), shifts())
def test_tv_and_js_do_not_depend_on_the_axes_in_2d(p, q, angle, a, b):
    # a rotation and a translation: the cubature integrates along other axes, the values are the same
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])

    def moved(g):
        cov = rot @ g.cov @ rot.T
        return Gaussian(rot @ g.mean + [a, b], cov=0.5 * (cov + cov.T))

    for d in (tv, js):
        assert math.isclose(d(moved(p), moved(q)), d(p, q), abs_tol=2 * TOL_2D)


# -- metric properties --------------------------------------------------------------------------
def sqrt_js_upper(p, q):
    """An upper bound of sqrt(JS) that holds whatever the error (<= TOL_1D) of the value of JS."""
    return math.sqrt(js(p, q) + TOL_1D)


@given(law_tuples(3))
def test_triangle_inequality_for_tv_w1_and_sqrt_js(triple):
    p, q, r = triple
    # Each of the three values is within TOL_1D (relative for large W1), so the computed sides
    # satisfy the inequality up to 3 TOL_1D; 1e-8 covers that with room.
    assert tv(p, r) <= tv(p, q) + tv(q, r) + 1e-8
    assert w1(p, r) <= (w1(p, q) + w1(q, r)) * (1 + TOL_SUM) + 1e-8
    # sqrt amplifies the error of JS near 0 (sqrt(1e-9) = 3e-5): compare bounds of the square roots
    # of the true values instead, sqrt(JS - eps) <= sqrt(JS_true) and sqrt(JS + eps) >= sqrt(JS_true).
    assert math.sqrt(max(js(p, r) - TOL_1D, 0.0)) <= sqrt_js_upper(p, q) + sqrt_js_upper(q, r)


@FEW
@given(st.tuples(gaussians(dim=2), gaussians(dim=2), gaussians(dim=2)))
def test_triangle_inequality_for_tv_and_sqrt_js_in_2d(triple):
    p, q, r = triple
    assert tv(p, r) <= tv(p, q) + tv(q, r) + 3 * TOL_2D
    upper = math.sqrt(js(p, q) + TOL_2D) + math.sqrt(js(q, r) + TOL_2D)
    assert math.sqrt(max(js(p, r) - TOL_2D, 0.0)) <= upper


# -- JS <= ln 2, with equality exactly on disjoint supports --------------------------------------
@given(uniforms(), st.floats(0.0, 5.0), st.floats(0.2, 10.0), st.booleans())
def test_js_is_ln2_for_uniforms_on_disjoint_intervals(p, gap, width, swap):
    q = Uniform(p.high + gap, p.high + gap + width)  # touching (gap 0) is disjoint up to a null set
    if swap:
        p, q = q, p
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf and reverse_kl(p, q) == math.inf


@given(supports(max_atoms=6, min_atoms=2), st.data())
def test_js_is_ln2_for_discrete_laws_on_disjoint_atoms(atoms, data):
    split = data.draw(st.integers(1, atoms.size - 1))
    order = data.draw(st.permutations(range(atoms.size)))
    left, right = atoms[list(order[:split])], atoms[list(order[split:])]
    p, q = data.draw(discretes(support=left)), data.draw(discretes(support=right))
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf


@given(shifted_lines(), shifts(min_abs=1e-6))
def test_js_is_ln2_for_distinct_shifted_lines(p, a):
    q = ShiftedLine(p.theta + a)
    assume(q.theta != p.theta)
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf
    assert w1(p, q) == abs(q.theta - p.theta)  # the optimal coupling moves every point horizontally


@given(st.one_of(discretes(), bernoullis(), shifted_lines()), st.one_of(continuous_1d(), gaussians(dim=2)))
def test_js_is_ln2_between_an_atomic_or_singular_law_and_a_continuous_one(p, q):
    assume(p.dim == q.dim)
    # atoms and lines are Lebesgue-null sets that carry all of p and none of q
    assert js(p, q) == LN2 and js(q, p) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf and kl(q, p) == math.inf


@given(exponentials(), uniforms())
def test_js_is_ln2_for_an_exponential_and_a_uniform_left_of_it(p, u):
    q = Uniform(p.loc - u.width - abs(u.low), p.loc - abs(u.low))
    assert js(p, q) == LN2


# -- inequalities between the divergences --------------------------------------------------------
@given(law_tuples(2))
def test_pinsker_and_the_js_sandwich(pair):
    p, q = pair
    t, j = tv(p, q), js(p, q)
    for k in (kl(p, q), reverse_kl(p, q)):
        # Pinsker: TV <= sqrt(KL / 2). Compare bounds of the true values (errors <= TOL_1D each).
        assert t - TOL_1D <= math.sqrt((k + TOL_1D) / 2)
    # TV^2 / 2 <= JS (Pinsker on KL(P || M) and KL(Q || M), TV(P, M) = TV / 2) and JS <= TV ln 2.
    assert (max(t - TOL_1D, 0.0)) ** 2 / 2 <= j + TOL_1D
    assert j <= (t + TOL_1D) * LN2 + TOL_1D


@given(law_tuples(2))
def test_w1_is_at_least_the_difference_of_the_means(pair):
    p, q = pair
    # Kantorovich-Rubinstein duality with the 1-Lipschitz test function f(x) = x (or its first
    # coordinate): W1 >= |E_P X - E_Q X|.
    gap = float(np.linalg.norm(np.atleast_1d(p.mean - q.mean)))
    assert w1(p, q) >= gap * (1 - TOL_SUM) - TOL_1D


@FEW
@given(gaussians(dim=2), gaussians(dim=2))
def test_pinsker_and_the_js_sandwich_in_2d(p, q):
    t, j, k = tv(p, q), js(p, q), kl(p, q)  # TV and JS by cubature, KL in closed form
    assert t - TOL_2D <= math.sqrt(k / 2)
    assert (max(t - TOL_2D, 0.0)) ** 2 / 2 <= j + TOL_2D
    assert j <= (t + TOL_2D) * LN2 + TOL_2D
