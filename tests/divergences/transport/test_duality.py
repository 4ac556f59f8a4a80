"""Kantorovich-Rubinstein duality on discrete measures (divergences.transport.duality).

Oracles: POT's network simplex ``ot.emd2`` on the Euclidean cost (``scipy.spatial.distance.cdist``,
not ``ot.dist``'s squared default), ``scipy.stats.wasserstein_distance`` in 1-D (the integral of
|F - G| by another code), the closed form ``divergences.w1`` of two ``toys.Discrete``, and
hand-computed transports. HiGHS solves both programs to feasibility 1e-10, so on unit-scale
atoms the optimal values agree with the oracles to about 1e-12; the tolerance below, 1e-9, leaves
room for the scale of the random examples (distances up to ~10).
"""

import math

import numpy as np
import ot
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from scipy.spatial import distance

import divergences
from divergences.transport.duality import lipschitz_constant, mcshane_extension, w1_dual, w1_primal
from toys import Discrete

TOL = 1e-9  # agreement of two exact solvers (see the module docstring)


def _measures(seed, dim, n, m, sparse_weights=False):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, dim)) * 2
    y = rng.normal(size=(m, dim)) * 2 + 1
    a, b = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(m))
    if sparse_weights and n > 1:  # some atoms without mass: allowed, and they stay in the union
        a[rng.integers(n)] = 0.0
        a /= a.sum()
    return x, a, y, b


measures = st.builds(
    _measures,
    seed=st.integers(0, 2**32 - 1),
    dim=st.sampled_from([1, 2, 3]),
    n=st.integers(1, 7),
    m=st.integers(1, 7),
    sparse_weights=st.booleans(),
)


# -- strong duality ---------------------------------------------------------------------------------
@given(measures)
def test_primal_equals_dual_equals_pot(args):
    x, a, y, b = args
    primal, dual = w1_primal(x, a, y, b), w1_dual(x, a, y, b)
    reference = ot.emd2(a, b, distance.cdist(x, y))
    assert primal.value == pytest.approx(reference, abs=TOL)
    assert dual.value == pytest.approx(reference, abs=TOL)


@given(measures.filter(lambda args: args[0].shape[1] == 1))
def test_1d_value_is_the_integral_of_the_cdf_gap(args):
    x, a, y, b = args
    value = w1_dual(x, a, y, b).value
    assert value == pytest.approx(stats.wasserstein_distance(x[:, 0], y[:, 0], a, b), abs=TOL)
    assert value == pytest.approx(divergences.w1(Discrete(x[:, 0], a), Discrete(y[:, 0], b)), abs=TOL)


@given(measures)
def test_plan_is_a_coupling_and_its_cost_is_the_value(args):
    x, a, y, b = args
    r = w1_primal(x, a, y, b)
    assert r.plan.shape == (a.size, b.size) and np.all(r.plan >= 0)
    np.testing.assert_allclose(r.plan.sum(axis=1), a, atol=TOL)
    np.testing.assert_allclose(r.plan.sum(axis=0), b, atol=TOL)
    assert r.value == pytest.approx(np.sum(r.plan * distance.cdist(x, y)), abs=1e-12)


@given(measures)
def test_witness_is_1_lipschitz_and_tight_on_the_plan(args):
    x, a, y, b = args
    w, plan = w1_dual(x, a, y, b), w1_primal(x, a, y, b).plan
    assert lipschitz_constant(w.points, w.f) <= 1 + 1e-8
    # The McShane extension agrees with f on the points, and it is a witness: E_P F - E_Q F = W1.
    np.testing.assert_allclose(w(w.points), w.f, atol=1e-8)
    fx, fy = w(x), w(y)
    assert a @ fx - b @ fy == pytest.approx(w.value, abs=TOL)
    # Complementary slackness: mass only moves where f drops at slope 1, f(x_i) - f(y_j) = |x_i - y_j|.
    i, j = np.nonzero(plan > 1e-9)
    np.testing.assert_allclose(fx[i] - fy[j], np.linalg.norm(x[i] - y[j], axis=1), atol=1e-7)


@given(st.integers(0, 2**32 - 1))
def test_mcshane_extension_is_1_lipschitz_everywhere(seed):
    rng = np.random.default_rng(seed)
    x, a, y, b = _measures(seed, 2, 5, 4)
    w = w1_dual(x, a, y, b)
    z = rng.normal(size=(40, 2)) * 3
    fz = w(z)
    i, j = np.triu_indices(z.shape[0], k=1)
    assert np.all(np.abs(fz[i] - fz[j]) <= np.linalg.norm(z[i] - z[j], axis=1) + 1e-12)
    # the largest extension: any other 1-Lipschitz g with g = f on the points has g <= F
    smallest = np.max(w.f[None, :] - distance.cdist(z, w.points), axis=1)
    assert np.all(smallest <= fz + 1e-12)


# -- worked examples ---------------------------------------------------------------------------------
def test_half_the_mass_moves_by_one():
    r = w1_primal([0.0, 1.0], [0.5, 0.5], [1.0], [1.0])
    assert r.value == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(r.plan, [[0.5], [0.5]], atol=1e-12)


def test_a_point_mass_moves_by_its_euclidean_distance_not_its_square():
    x, y = [[0.0, 0.0]], [[3.0, 4.0]]
    assert w1_primal(x, [1.0], y, [1.0]).value == pytest.approx(5.0, abs=1e-12)
    assert w1_dual(x, [1.0], y, [1.0]).value == pytest.approx(5.0, abs=1e-12)
    assert ot.emd2([1.0], [1.0], ot.dist(np.array(x), np.array(y))) == pytest.approx(25.0)  # POT's default cost


def test_equal_measures_cost_nothing_and_shared_atoms_merge():
    x, a = [0.0, 1.0, 2.5], [0.2, 0.3, 0.5]
    w = w1_dual(x, a, x, a)
    assert w.value == pytest.approx(0.0, abs=1e-12) and w.points.shape == (3, 1)
    np.testing.assert_allclose(w.mass, 0.0, atol=1e-15)
    assert w1_primal(x, a, x, a).value == pytest.approx(0.0, abs=1e-12)
    same = w1_dual([1.0], [1.0], [1.0], [1.0])
    assert same.value == 0.0 and same.f.tolist() == [0.0]


def test_witness_is_pinned_at_the_first_point():
    w = w1_dual([3.0, -1.0], [0.5, 0.5], [0.0], [1.0])
    assert w.points[:, 0].tolist() == [-1.0, 0.0, 3.0] and w.f[0] == 0.0
    assert w.value == pytest.approx(0.5 * 1 + 0.5 * 3, abs=1e-12)


def test_lipschitz_constant_and_extension_by_hand():
    assert lipschitz_constant([0.0, 1.0, 3.0], [0.0, 2.0, 1.0]) == pytest.approx(2.0)
    assert lipschitz_constant([[0.0, 0.0]], [4.0]) == 0.0
    assert lipschitz_constant([[0.0, 0.0], [3.0, 4.0]], [0.0, 5.0]) == pytest.approx(1.0)
    np.testing.assert_allclose(mcshane_extension([[0.0, 0.0]], [1.0], [[3.0, 4.0], [0.0, 0.0]]), [6.0, 1.0])
    assert math.isclose(mcshane_extension([0.0, 2.0], [0.0, 1.0], [1.0])[0], 1.0)
    # a repeated point with one value is allowed
    assert mcshane_extension([0.0, 0.0, 1.0], [0.0, 0.0, 1.0], [0.5, 2.0]).tolist() == [0.5, 2.0]


@given(st.integers(0, 2**32 - 1), st.floats(0.1, 10.0))
def test_mcshane_extension_with_a_constant_l(seed, lip):
    # data with Lipschitz constant exactly L (rescaled): the extension takes the values at the points,
    # is L-Lipschitz everywhere, and lies above the smallest extension max_k (f_k - L |z - z_k|)
    rng = np.random.default_rng(seed)
    pts, vals = rng.normal(size=(6, 2)), rng.normal(size=6)
    vals *= lip / lipschitz_constant(pts, vals)
    np.testing.assert_allclose(mcshane_extension(pts, vals, pts, lipschitz=lip), vals, rtol=0, atol=1e-12)
    z = rng.normal(size=(30, 2)) * 3
    fz = mcshane_extension(pts, vals, z, lipschitz=lip)
    i, j = np.triu_indices(z.shape[0], k=1)
    assert np.all(np.abs(fz[i] - fz[j]) <= lip * np.linalg.norm(z[i] - z[j], axis=1) * (1 + 1e-12))
    smallest = np.max(vals[None, :] - lip * distance.cdist(z, pts), axis=1)
    assert np.all(smallest <= fz + 1e-12)


def test_mcshane_extension_refuses_data_steeper_than_l():
    # slope 2 between the points: min_k (f_k + |z - z_k|) would give F(1) = 1, not 2
    with pytest.raises(
        ValueError, match=r"values must be 1-Lipschitz on the points .* Lipschitz constant of 2\.0: no 1-Lipschitz"
    ):
        mcshane_extension([0.0, 1.0], [0.0, 2.0], [1.0])
    with pytest.raises(
        ValueError, match=r"values must be 1.5-Lipschitz on the points \(lipschitz=1.5\), got .* constant of 2\.0"
    ):
        mcshane_extension([0.0, 1.0], [0.0, 2.0], [1.0], lipschitz=1.5)
    with pytest.raises(ValueError, match="Lipschitz constant of inf"):
        mcshane_extension([0.0, 0.0], [0.0, 1.0], [1.0])  # one point, two values
    with pytest.raises(ValueError, match="lipschitz must be > 0"):
        mcshane_extension([0.0, 1.0], [0.0, 0.5], [1.0], lipschitz=0.0)
    with pytest.raises(TypeError, match="lipschitz must be a real number"):
        mcshane_extension([0.0, 1.0], [0.0, 0.5], [1.0], lipschitz="1")
    assert mcshane_extension([0.0, 1.0], [0.0, 1.0 + 1e-12], [1.0])[0] == 1.0  # within the rounding slack


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([0.0, 1.0], [0.5, 0.6], [0.0], [1.0]), ValueError, "a must sum to 1"),
        (([0.0, 1.0], [1.5, -0.5], [0.0], [1.0]), ValueError, "a must be non-negative"),
        (([0.0, 1.0], [1.0], [0.0], [1.0]), ValueError, "a must have one mass per point of x"),
        (([0.0], [1.0], [0.0, 1.0], [1.0]), ValueError, "b must have one mass per point of y"),
        (([[0.0, 0.0]], [1.0], [0.0], [1.0]), ValueError, "same dimension"),
        (([np.nan], [1.0], [0.0], [1.0]), ValueError, "x must contain only finite"),
        (([], [], [0.0], [1.0]), ValueError, "x must be (a non-empty )?(an )?array of points"),
        ((["a"], [1.0], [0.0], [1.0]), TypeError, "x must be an array of real numbers"),
        (([[[0.0]]], [1.0], [0.0], [1.0]), ValueError, "x must be (a non-empty )?(an )?array of points"),
    ],
)
@pytest.mark.parametrize("solver", [w1_primal, w1_dual])
def test_bad_measures(solver, args, error, match):
    with pytest.raises(error, match=match):
        solver(*args)


def test_bad_extension_and_lipschitz_input():
    with pytest.raises(ValueError, match="values must have one entry per point"):
        mcshane_extension([0.0, 1.0], [0.0], [0.5])
    with pytest.raises(ValueError, match=r"z must be .* shape \(n, 2\)"):
        mcshane_extension([[0.0, 0.0]], [0.0], [0.5, 1.0])
    with pytest.raises(ValueError, match="points must be distinct"):
        lipschitz_constant([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="values must be a 1-D array"):
        lipschitz_constant([0.0, 1.0], [[1.0, 2.0]])
