"""divergences.transport: a learned 1-D map against the exact transport map."""

import math

import numpy as np
import pytest
from scipy import special, stats

import toys
from divergences.transport import MapComparison, compare_with_map, crossing_mass_bound, transport_map

N01 = toys.Gaussian(0.0, 1.0)
EXP = toys.Exponential(rate=1.0)
T_EXP = transport_map(N01, EXP)
N = 4096


def test_the_exact_map_compares_to_zero():
    c = compare_with_map(T_EXP, T_EXP, n=N)
    assert c.to_map == (0.0, 0.0) and c.rearranged == (0.0, 0.0)
    assert c.w1 < 1e-12 and c.increasing_mass == 1.0 and c.nearer == "T"


def test_a_shift_is_at_its_shift_in_every_distance():
    # G = T + 0.3 is the target translated by 0.3: W1 = 0.3 exactly (translation), and every map
    # distance to T is the constant 0.3.
    c = compare_with_map(lambda z: T_EXP(z) + 0.3, T_EXP, n=N)
    assert c.to_map == pytest.approx((0.3, 0.3), abs=1e-12)
    assert c.rearranged == pytest.approx((0.3, 0.3), abs=1e-12)
    assert c.w1 == pytest.approx(0.3, abs=1e-9)


def test_the_mirror_has_the_target_law_but_not_the_map():
    c = compare_with_map(lambda z: T_EXP(-z), T_EXP, n=N)
    assert c.nearer == "T(-z)" and c.to_mirror == (0.0, 0.0)
    assert c.rearranged[0] < 1e-12 and c.w1 < 1e-12 and c.increasing_mass == 0.0
    # on the central 90%, |T(-z) - T(z)| peaks at the ends: T(1.645) - T(-1.645) (Exp quantiles)
    z95 = special.ndtri(0.95)
    grid = compare_with_map(T_EXP, T_EXP, n=N).z
    z_edge = grid[np.abs(grid) <= z95].max()
    assert c.to_map[0] == pytest.approx(EXP.ppf(special.ndtr(z_edge)) - EXP.ppf(special.ndtr(-z_edge)), rel=1e-12)


def test_linear_maps_have_their_slope():
    # G(z) = 2z + 1 pushes N(0, 1) to N(1, 4) and is that target's increasing map.
    target = toys.Gaussian(1.0, 2.0)
    c = compare_with_map(lambda z: 2 * z + 1, transport_map(N01, target), n=N)
    assert c.slope == pytest.approx(2.0, rel=1e-12)
    assert c.to_map[0] < 1e-9 and c.w1 < 1e-9


def test_crossing_bound_is_exact_for_linear_maps_and_a_bound_otherwise():
    ident = transport_map(N01, N01)
    exact = crossing_mass_bound(compare_with_map(ident, ident, n=N))
    # the crossing is located on the grid, half a step (~3e-4) from 0, where the bound is flat in
    # z_c: the error is second order, ~ phi(1) * step^2 / 2 < 1e-7
    assert exact == pytest.approx(stats.norm.cdf(1) - stats.norm.cdf(-1), abs=1e-7)
    # 3 tanh(z) crosses 0 at 0 with slope at most 3: P(|3 tanh Z| < 1) = P(|Z| < atanh(1/3))
    # is at least P(|Z| < 1/3), the bound; the grid's crossing is within one grid step of 0.
    c = compare_with_map(lambda z: 3 * np.tanh(z), ident, n=N)
    bound = crossing_mass_bound(c)
    actual = 2 * stats.norm.cdf(math.atanh(1 / 3)) - 1
    assert bound <= actual
    assert bound == pytest.approx(2 * stats.norm.cdf(1 / 3) - 1, abs=1e-3)
    assert math.isnan(crossing_mass_bound(compare_with_map(T_EXP, T_EXP, n=N), level=-1.0))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"g": 3.0}, TypeError, "g must be a callable"),
        ({"exact": transport_map(N01, EXP, increasing=False)}, TypeError, "exact must be an increasing"),
        ({"exact": transport_map(toys.Gaussian(1.0, 1.0), EXP)}, TypeError, "standard normal"),
        ({"bulk": 0.0}, ValueError, "bulk must be a mass"),
        ({"n": 0}, ValueError, "n must be a positive integer"),
        ({"g": lambda z: z[:-1]}, ValueError, "g must return shape"),
    ],
)
def test_bad_input_is_refused(kwargs, error, match):
    args = {"g": T_EXP, "exact": T_EXP, "n": 64} | kwargs
    with pytest.raises(error, match=match):
        compare_with_map(args.pop("g"), args.pop("exact"), **args)


def test_crossing_bound_checks_its_input():
    with pytest.raises(TypeError, match="MapComparison"):
        crossing_mass_bound(None)
    c = compare_with_map(T_EXP, T_EXP, n=64)
    assert isinstance(c, MapComparison)
    with pytest.raises(ValueError, match="half_width"):
        crossing_mass_bound(c, half_width=0.0)
