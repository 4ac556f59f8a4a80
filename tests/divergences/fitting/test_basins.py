"""Basins of attraction of the reverse KL fit (divergences.fitting).

Oracles: the library's exact ``divergences.reverse_kl`` (1-D adaptive quadrature <= 1e-9, which
shares only the Gauss-Kronrod engine with the fit's objective, not its variable, panels or
integrands), minimised by Nelder-Mead from each minimum found; the
mirror symmetry of a symmetric mixture; and, for a Gaussian target, the target itself (the only
minimum).
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

import toys
from divergences import fit_reverse_kl, reverse_kl
from divergences.fitting import Basins, reverse_kl_basins

TWO_MODES = toys.GaussianMixture(weights=[0.5, 0.5], means=[-3.0, 3.0], stds=[1.0, 1.0])


@pytest.fixture(scope="module")
def two_modes():
    means = np.linspace(-4.0, 4.0, 17)  # symmetric about 0, step 0.5
    stds = np.array([0.5, 1.0, 2.0, 3.0])
    return reverse_kl_basins(TWO_MODES, means, stds)


def exact_minimum(start):
    """Minimise divergences.reverse_kl over N(m, e^{2t}) by Nelder-Mead from ``start``."""
    res = optimize.minimize(
        lambda v: reverse_kl(TWO_MODES, toys.Gaussian(v[0], math.exp(v[1]))),
        [start.mean, math.log(start.std)],
        method="Nelder-Mead",
        options={"xatol": 1e-7, "fatol": 1e-12},
    )
    assert res.success
    return res.x[0], math.exp(res.x[1]), res.fun


def test_three_minima_of_the_two_mode_mixture(two_modes):
    b = two_modes
    assert isinstance(b, Basins) and b.labels.shape == b.means.shape == (17, 4)  # (start means, start stds)
    assert len(b.minima) == 3 and b.count(-1) == 0
    left, right = sorted(b.minima[:2], key=lambda g: g.mean)
    straddle = b.minima[2]
    # the two modes tie (mirror images); the straddling fit is the worse local minimum
    assert math.isclose(b.minimum_values[0], b.minimum_values[1], rel_tol=1e-10)
    assert b.minimum_values[2] > b.minimum_values[0] + 0.1
    assert abs(straddle.mean) < 1e-6 and abs(left.mean + right.mean) < 1e-6
    for g, value in zip(b.minima, b.minimum_values):
        m, s, exact = exact_minimum(g)
        # the fit's objective is the exact KL, on a mode and straddling the modes alike (documented
        # in fit_reverse_kl): the minima to the fits' gradient tol and the oracle's xatol
        assert abs(g.mean - m) <= 1e-6 and abs(g.std - s) <= 1e-6
        assert abs(value - exact) <= 1e-8
        assert value == pytest.approx(reverse_kl(TWO_MODES, g), abs=1e-8)
    assert straddle.std == pytest.approx(2.7438, abs=1e-4)  # fit_reverse_kl's documented N(0, 2.74^2)


def test_labels_follow_the_documented_basins(two_modes):
    # fit_reverse_kl: for s0 in [0.5, 3], m0 >= 2 lands on the right mode, m0 <= -2 on the left,
    # |m0| <= 0.5 on the straddling minimum
    b = two_modes
    end = np.vectorize(lambda k: b.minima[k].mean)(b.labels)
    m0 = b.start_means
    assert np.all(end[m0 >= 2] > 2.9) and np.all(end[m0 <= -2] < -2.9)
    assert np.all(np.abs(end[np.abs(m0) <= 0.5]) < 1e-6)


def test_basins_are_mirror_images(two_modes):
    b = two_modes
    mirror = {k: min(range(3), key=lambda j: abs(b.minima[j].mean + g.mean)) for k, g in enumerate(b.minima)}
    np.testing.assert_array_equal(np.vectorize(mirror.get)(b.labels), b.labels[::-1])  # mirror the start means


def test_ends_are_the_fits_from_the_starts(two_modes):
    b = two_modes
    fit = fit_reverse_kl(TWO_MODES, init=toys.Gaussian(float(b.start_means[3]), float(b.start_stds[1])))
    assert (b.means[3, 1], b.stds[3, 1], b.values[3, 1]) == (fit.distribution.mean, fit.distribution.std, fit.value)
    for k, g in enumerate(b.minima):
        sel = b.labels == k
        assert np.all(np.abs(b.means[sel] - g.mean) <= 1e-3 * np.maximum(b.stds[sel], g.std))
        assert np.min(b.values[sel]) == b.minimum_values[k]
    assert np.all(np.diff(b.minimum_values) >= 0)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_gaussian_target_has_one_basin(seed):
    rng = np.random.default_rng(seed)
    target = toys.Gaussian(float(rng.uniform(-3, 3)), float(rng.uniform(0.3, 3)))
    b = reverse_kl_basins(target, rng.uniform(-5, 5, size=3), rng.uniform(0.2, 4, size=2))
    assert len(b.minima) == 1 and np.all(b.labels == 0)
    # closed-form objective: the minimiser is the target and the minimum 0 (to the fit's tol)
    assert b.minima[0].mean == pytest.approx(target.mean, abs=1e-6 * target.std)
    assert b.minima[0].std == pytest.approx(target.std, rel=1e-6)
    assert abs(b.minimum_values[0]) <= 1e-12


def test_unconverged_fits_have_no_label():
    b = reverse_kl_basins(TWO_MODES, [-2.0, 1.0], [1.5], max_iter=1)
    assert np.all(b.labels == -1) and b.minima == () and b.count(-1) == 2 and b.minimum_values.shape == (0,)


def test_results_are_read_only(two_modes):
    with pytest.raises(ValueError, match="read-only"):
        two_modes.labels[0, 0] = 1


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((toys.Gaussian([0.0, 0.0]), [0.0], [1.0]), {}, ValueError, r"target must be a 1-D law .* of dim 2"),
        ((toys.Uniform(0.0, 1.0), [0.0], [1.0]), {}, ValueError, r"target must have a density positive on the whole"),
        ((toys.ShiftedLine(0.0), [0.0], [1.0]), {}, TypeError, r"target must have a density \(a logpdf method\)"),
        ((TWO_MODES, [], [1.0]), {}, ValueError, r"start_means must be a non-empty 1-D array, got shape \(0,\)"),
        ((TWO_MODES, [[0.0]], [1.0]), {}, ValueError, r"start_means must be a non-empty 1-D array, got shape \(1, 1\)"),
        ((TWO_MODES, [0.0, np.nan], [1.0]), {}, ValueError, r"start_means must contain only finite numbers"),
        ((TWO_MODES, [0.0], [1.0, 0.0]), {}, ValueError, r"start_stds must be > 0, got \[1\.0, 0\.0\]"),
        ((TWO_MODES, [0.0], [1.0]), {"same": 1.0}, ValueError, r"same must be in \(0, 1\), got 1\.0"),
        ((TWO_MODES, [0.0], [1.0]), {"same": 0.0}, ValueError, r"same must be > 0, got 0\.0"),
        ((TWO_MODES, [0.0], [1.0]), {"max_iter": 0}, ValueError, r"max_iter must be an integer >= 1, got 0"),
        ((TWO_MODES, [0.0], [1.0]), {"tol": -1.0}, ValueError, r"tol must be > 0, got -1\.0"),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        reverse_kl_basins(*args, **kwargs)
