"""Bounds on divergences between Gaussians (divergences.bounds).

Oracles: in 1-D, scipy.integrate.quad of the squared difference of the quantile functions (W2 is the
L2 distance of the quantile functions); in d-D, the cost of the explicit optimal linear map
T = S1^(-1/2) (S1^(1/2) S2 S1^(1/2))^(1/2) S1^(-1/2) (a second closed form, through the other
square root), and seeded Monte Carlo of the cost of that map (5 standard errors); the commuting
case by hand. Projections: the 1-D laws by hand, and the data-processing inequalities against the
2-D closed forms (KL) and numerics (TV, JS, W1).
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, linalg, stats

from divergences import js, kl, reverse_kl, tv, w1
from divergences.bounds import gaussian_w2, projection_bounds
from toys import Exponential, Gaussian
from toys.strategies import covariances, gaussians, seeds


def _map_cost(p, q):
    """W2 from the optimal linear map of N(m1, S1) onto N(m2, S2): E|X - T X|^2 in closed form."""
    c1, c2 = p.cov, q.cov
    r1 = linalg.sqrtm(c1).real
    inv = np.linalg.inv(r1)
    t = inv @ linalg.sqrtm(r1 @ c2 @ r1).real @ inv
    d = np.eye(c1.shape[0]) - t
    return math.sqrt(float(np.sum((p.mean - q.mean) ** 2) + np.trace(d @ c1 @ d.T)))


@given(gaussians(), gaussians())
def test_w2_in_1d_against_quad_of_the_quantile_functions(p, q):
    a, b = stats.norm(p.mean, p.std), stats.norm(q.mean, q.std)
    value, _ = integrate.quad(lambda u: (a.ppf(u) - b.ppf(u)) ** 2, 0, 1, limit=200, epsabs=1e-12, epsrel=1e-12)
    assert gaussian_w2(p, q) == pytest.approx(math.sqrt(value), rel=1e-7, abs=1e-9)
    assert w1(p, q) <= gaussian_w2(p, q) + 1e-9  # W1 <= W2


@given(seeds(), covariances(dim=3), covariances(dim=3))
def test_w2_against_the_optimal_linear_map(seed, c1, c2):
    rng = np.random.default_rng(seed)
    p, q = Gaussian(rng.normal(size=3), cov=c1), Gaussian(rng.normal(size=3), cov=c2)
    assert gaussian_w2(p, q) == pytest.approx(_map_cost(p, q), rel=1e-9)
    assert gaussian_w2(p, q) == pytest.approx(gaussian_w2(q, p), rel=1e-9)  # symmetric


def test_w2_by_monte_carlo_of_the_map():
    p = Gaussian([0.0, 1.0], cov=[[1.0, 0.3], [0.3, 0.5]])
    q = Gaussian([1.0, -1.0], cov=[[2.0, -0.4], [-0.4, 1.0]])
    r1 = linalg.sqrtm(p.cov).real
    inv = np.linalg.inv(r1)
    t = inv @ linalg.sqrtm(r1 @ q.cov @ r1).real @ inv
    x = p.sample(200_000, rng=3)
    y = q.mean + (x - p.mean) @ t.T  # T pushes P onto Q
    cost = np.sum((x - y) ** 2, axis=1)
    np.testing.assert_allclose(np.cov(y.T), q.cov, atol=0.03)  # it is Q (sampling error ~ 0.01)
    se = cost.std() / math.sqrt(cost.size)
    assert abs(gaussian_w2(p, q) ** 2 - cost.mean()) <= 5 * se


def test_w2_commuting_covariances_by_hand():
    rho = 0.6
    p, q = Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    # along the diagonals both are diagonal: N(0, 1) against N(0, 1 +- rho)
    expected = math.hypot(math.sqrt(1 + rho) - 1, math.sqrt(1 - rho) - 1)
    assert gaussian_w2(p, q) == pytest.approx(expected, rel=1e-12)
    assert gaussian_w2(p, p) == 0.0
    assert gaussian_w2(Gaussian(0.0, 1.0), Gaussian(3.0, 5.0)) == pytest.approx(5.0, rel=1e-15)


@pytest.mark.parametrize("rho", [-0.95, -0.3, 0.5, 0.99])
def test_projections_are_the_1d_laws_and_lower_bounds(rho):
    p, q = Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    diagonals = [[1.0, 1.0], [1.0, -1.0]]
    for name, fn in (("tv", tv), ("kl", kl), ("reverse_kl", reverse_kl), ("js", js), ("w1", w1)):
        b = projection_bounds(name, p, q, diagonals)
        by_hand = [fn(Gaussian(0.0, 1.0), Gaussian(0.0, math.sqrt(1 + s * rho))) for s in (1, -1)]
        np.testing.assert_allclose(b, by_hand, rtol=1e-12, atol=1e-15)
    # data processing against the 2-D values: KL closed forms (exact), TV and JS by cubature (1e-6)
    assert np.all(projection_bounds("kl", p, q, diagonals) <= kl(p, q) + 1e-12)
    assert np.all(projection_bounds("reverse_kl", p, q, diagonals) <= reverse_kl(p, q) + 1e-12)
    assert np.all(projection_bounds("tv", p, q, diagonals) <= tv(p, q) + 1e-6)
    assert np.all(projection_bounds("js", p, q, diagonals) <= js(p, q) + 1e-6)


@given(seeds(), covariances(dim=2), covariances(dim=2))
def test_projection_bounds_never_exceed_kl(seed, c1, c2):
    rng = np.random.default_rng(seed)
    p, q = Gaussian(rng.normal(size=2), cov=c1), Gaussian(rng.normal(size=2), cov=c2)
    u = rng.normal(size=(5, 2))
    assert np.all(projection_bounds("kl", p, q, u) <= kl(p, q) * (1 + 1e-12) + 1e-12)
    # a direction and its multiples give the same law
    np.testing.assert_allclose(projection_bounds("kl", p, q, u), projection_bounds("kl", p, q, -3.0 * u), rtol=1e-12)


def test_projected_law_matches_projected_samples():
    g = Gaussian([1.0, -2.0], cov=[[2.0, 0.5], [0.5, 1.0]])
    u = np.array([0.6, 0.8])
    z = g.sample(100_000, rng=1) @ u
    b = projection_bounds("w1", g, Gaussian([0.0, 0.0]), u)[0]  # W1 between N(u.m, u'Su) and N(0, 1)
    law = Gaussian(float(u @ g.mean), math.sqrt(u @ g.cov @ u))
    assert b == pytest.approx(w1(law, Gaussian(0.0, 1.0)), rel=1e-12)
    assert abs(z.mean() - law.mean) <= 5 * law.std / math.sqrt(z.size)
    assert abs(z.std() / law.std - 1) <= 5 / math.sqrt(2 * z.size)


def test_one_dimensional_laws():
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    assert projection_bounds("tv", p, q, [2.0])[0] == pytest.approx(tv(p, q), rel=1e-12)
    assert projection_bounds("tv", p, q, [-1.0])[0] == pytest.approx(tv(p, q), rel=1e-12)  # reflection


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gaussian_w2(Gaussian(), Exponential()), TypeError, "q must be a toys.Gaussian"),
        (lambda: gaussian_w2(Gaussian(), Gaussian([0.0, 0.0])), ValueError, "same dimension"),
        (lambda: projection_bounds("hellinger", Gaussian(), Gaussian(), [1.0]), ValueError, "name must be one of"),
        (
            lambda: projection_bounds("tv", Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0]), [1.0, 0.0, 0.0]),
            ValueError,
            r"directions must have shape \(k, 2\)",
        ),
        (
            lambda: projection_bounds("tv", Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0]), [[0.0, 0.0]]),
            ValueError,
            "directions must be non-zero",
        ),
        (
            lambda: projection_bounds("tv", Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0]), [[np.nan, 1.0]]),
            ValueError,
            "directions must contain only finite",
        ),
        (lambda: projection_bounds("tv", "N(0, 1)", Gaussian(), [1.0]), TypeError, "p must be a toys.Gaussian"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


@given(gaussians(), gaussians(), gaussians())
def test_w2_triangle_inequality(a, b, c):
    assert gaussian_w2(a, c) <= gaussian_w2(a, b) + gaussian_w2(b, c) + 1e-12


@given(st.floats(-0.999, 0.999))
def test_projected_w1_is_below_w2(rho):
    # the projection of W1 and W2 onto a diagonal: W1(1-D) <= W2(1-D) <= W2(2-D)
    p, q = Gaussian([0.0, 0.0]), Gaussian([0.0, 0.0], cov=[[1.0, rho], [rho, 1.0]])
    assert projection_bounds("w1", p, q, [1.0, 1.0])[0] <= gaussian_w2(p, q) + 1e-12
