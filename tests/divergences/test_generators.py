"""The f-divergence generators: each f convex, its conjugate the numeric sup, its limits and activation right."""

import math

import numpy as np
import pytest
from scipy import optimize

from divergences.generators import GENERATORS, Generator, generator

NAMES = list(GENERATORS)
U = np.logspace(-6, 6, 241)  # likelihood ratios where the generators are compared with their formulas


def _sup(g, t):
    """sup_{u >= 0} (u t - f(u)) by a log-spaced scan and a bounded Brent refinement in log u.

    u t - f(u) is concave in u, hence unimodal in log u too: the scan brackets the maximiser
    (or finds it at u -> 0, where the value is -f(0)), and Brent polishes it to ~1e-12.
    """
    logs = np.linspace(-30.0, 30.0, 6001)
    with np.errstate(all="ignore"):
        values = np.exp(logs) * t - g.f(np.exp(logs))
    k = int(np.nanargmax(values))
    best = max(float(values[k]), -g.at_zero)
    if 0 < k < logs.size - 1:
        res = optimize.minimize_scalar(
            lambda s: -(math.exp(s) * t - float(g.f(math.exp(s)))),
            bounds=(logs[k - 1], logs[k + 1]),
            method="bounded",
            options={"xatol": 1e-13},
        )
        best = max(best, -float(res.fun))
    return best


def _interior(g, n=9):
    """Points t well inside the domain of the conjugate, where the sup is attained at moderate u."""
    lo, hi = g.domain
    low = max(lo, -6.0) if lo == -np.inf else lo
    high = min(hi, 3.0) if hi == np.inf else hi
    span = high - low
    return np.linspace(low + 0.02 * span, high - 0.02 * span, n)


@pytest.mark.parametrize("name", NAMES)
def test_the_conjugate_is_the_sup_of_u_t_minus_f(name):
    g = GENERATORS[name]
    for t in _interior(g):
        expected = _sup(g, t)
        assert float(g.conjugate(t)) == pytest.approx(expected, rel=1e-9, abs=1e-9), (name, t)


@pytest.mark.parametrize("name", [n for n in NAMES if GENERATORS[n].domain[1] < np.inf])
def test_the_conjugate_is_infinite_beyond_its_domain(name):
    g = GENERATORS[name]
    t = g.domain[1] + 0.1
    assert g.conjugate(t) == np.inf
    assert _sup(g, t) > 1e6  # the sup grows without bound: u t - f(u) increases along u


@pytest.mark.parametrize("name", [n for n in NAMES if n != "tv"])  # tv: f' is a subgradient at 1
def test_fenchel_young_holds_with_equality_at_the_derivative(name):
    g = GENERATORS[name]
    t = g.derivative(U)
    np.testing.assert_allclose(g.conjugate(t), U * t - g.f(U), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "tv"])
def test_the_derivative_is_the_derivative(name):
    g = GENERATORS[name]
    u = np.logspace(-2, 2, 81)
    h = 1e-3 * u
    # five-point central differences: truncation h^4 |f^(5)| / 30 and rounding ~ 1e-16 |f| / h, both
    # below 1e-9 (1 + |f'|) on this range for every generator
    numeric = (8 * (g.f(u + h) - g.f(u - h)) - (g.f(u + 2 * h) - g.f(u - 2 * h))) / (12 * h)
    np.testing.assert_allclose(g.derivative(u), numeric, rtol=1e-9, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("name", NAMES)
def test_f_is_convex(name):
    g = GENERATORS[name]
    u = np.linspace(0.01, 20.0, 2001)
    second = np.diff(g.f(u), 2)
    assert np.all(second >= -1e-12 * np.max(np.abs(g.f(u)))), name


@pytest.mark.parametrize("name", NAMES)
def test_f_vanishes_at_one_except_for_the_gan_generator(name):
    expected = -math.log(4.0) if name == "gan" else 0.0
    assert float(GENERATORS[name].f(1.0)) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_the_limits_at_zero_and_infinity(name):
    g = GENERATORS[name]
    near_zero = float(g.f(1e-200))
    far = 1e100
    slope = float(g.f(far)) / far
    if g.at_zero == np.inf:
        assert near_zero > 100.0
    else:
        assert near_zero == pytest.approx(g.at_zero, abs=1e-9)
    if g.slope_at_infinity == np.inf:
        assert slope > 100.0  # grows like log u (kl, jeffreys) or u (pearson)
    else:  # f(u)/u - f'(inf) decays like log(u)/u at worst; rounding of f(u)/u leaves ~1e-13
        assert slope == pytest.approx(g.slope_at_infinity, rel=1e-12, abs=1e-97)


@pytest.mark.parametrize("name", NAMES)
def test_the_activation_maps_the_reals_into_the_domain(name):
    g = GENERATORS[name]
    v = np.linspace(-30.0, 30.0, 601)
    t = g.activation(v)
    lo, hi = g.domain
    assert np.all(np.isfinite(g.conjugate(t)))
    assert np.all(t >= lo) and np.all(t <= hi)
    assert np.all(np.diff(t) >= 0)  # increasing, as a critic's output should be


def test_generator_looks_up_names_and_passes_generators_through():
    assert generator("kl") is GENERATORS["kl"]
    g = GENERATORS["tv"]
    assert generator(g) is g
    assert isinstance(g, Generator)


def test_generator_rejects_unknown_names_and_other_types():
    with pytest.raises(ValueError, match=r"f must be one of .*'kl'.*got 'kll'"):
        generator("kll")
    with pytest.raises(TypeError, match="f must be a generator's name"):
        generator(3)
