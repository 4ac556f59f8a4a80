"""The Kolmogorov distance sup |F_P - F_Q| (divergences.discrimination.kolmogorov).

Oracles: scipy's Kolmogorov-Smirnov statistics (kstest against a continuous CDF, ks_2samp
between two samples), which compute the same supremum by their own route; closed forms for
Gaussian, exponential and uniform pairs; a dense grid (which can only undershoot the supremum);
and the Berry-Esseen theorem for the normalised walk.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from scipy import special, stats

from divergences import tv
from divergences.discrimination import kolmogorov
from toys import Bernoulli, Exponential, Gaussian, ShiftedLine, Uniform, empirical_law, scaled_walk
from toys.strategies import continuous_1d, discretes, exponentials, gaussians, seeds

#: Berry-Esseen constant for i.i.d. sums (Shevtsova 2011): sup|F_n - Phi| <= C E|X|^3 / (sigma^3 sqrt n).
BERRY_ESSEEN = 0.4748


def window(*laws):
    lo = min(law.ppf(1e-12) for law in laws)
    hi = max(law.ppf(1 - 1e-12) for law in laws)
    return lo, hi


@given(gaussians())
def test_gaussian_shift_equals_closed_form(p):
    q = Gaussian(p.mean + 0.7 * p.std, p.std)
    assert math.isclose(kolmogorov(p, q), special.erf(0.7 / (2 * math.sqrt(2))), abs_tol=1e-14)


@given(exponentials(), exponentials())
def test_exponential_pair_with_one_start_equals_closed_form(p, q):
    q = Exponential(rate=q.rate, loc=p.loc)
    a, b = p.rate, q.rate
    if a == b:
        expected = 0.0
    else:
        x = math.log(a / b) / (a - b)  # where the densities cross, the extremum of F_P - F_Q
        expected = abs(math.exp(-b * x) - math.exp(-a * x))
    assert math.isclose(kolmogorov(p, q), expected, abs_tol=1e-14)


def test_uniform_pairs():
    assert kolmogorov(Uniform(0.0, 1.0), Uniform(0.0, 2.0)) == 0.5
    assert math.isclose(kolmogorov(Uniform(0.0, 1.0), Uniform(0.5, 1.5)), 0.5, abs_tol=1e-15)
    assert kolmogorov(Uniform(0.0, 1.0), Uniform(3.0, 4.0)) == 1.0


@given(continuous_1d(), continuous_1d())
def test_continuous_pairs_against_a_dense_grid(p, q):
    """The grid can only undershoot; with the support ends on it (where densities jump) and 2e5
    points, the extremum of the smooth F_P - F_Q is missed by at most max|p' - q'| h^2 / 2 < 1e-7."""
    lo, hi = window(p, q)
    ends = [e for law in (p, q) for e in law.support if np.isfinite(e)]
    x = np.sort(np.concatenate([np.linspace(lo, hi, 200_001), ends]))
    grid = float(np.max(np.abs(p.cdf(x) - q.cdf(x))))
    value = kolmogorov(p, q)
    assert grid - 1e-14 <= value <= grid + 1e-7


@given(continuous_1d(), continuous_1d())
def test_at_most_tv(p, q):
    assert kolmogorov(p, q) <= tv(p, q) + 1e-9


@given(seeds())
def test_empirical_against_a_density_is_scipy_kstest(seed):
    x = Gaussian(0.2, 1.3).sample(50, rng=seed)
    expected = stats.kstest(x, stats.norm(0.0, 1.0).cdf).statistic
    assert math.isclose(kolmogorov(empirical_law(x), Gaussian(0.0, 1.0)), expected, abs_tol=1e-14)
    assert math.isclose(kolmogorov(Gaussian(0.0, 1.0), empirical_law(x)), expected, abs_tol=1e-14)


@given(seeds())
def test_two_empirical_laws_is_scipy_ks_2samp(seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=30), rng.exponential(size=40)
    expected = stats.ks_2samp(x, y).statistic
    assert math.isclose(kolmogorov(empirical_law(x), empirical_law(y)), expected, abs_tol=1e-14)


@given(discretes(), discretes())
def test_discrete_pairs_against_both_sides_of_every_atom(p, q):
    x = np.union1d(p.atoms, q.atoms)
    probe = np.concatenate([x, x - 1e-9])  # the atoms are at least 0.01 apart
    assert math.isclose(kolmogorov(p, q), np.max(np.abs(p.cdf(probe) - q.cdf(probe))), abs_tol=1e-15)


def test_walk_obeys_berry_esseen_and_reaches_its_limit():
    """For +-1 steps E|X|^3 = sigma = 1; the jump of the walk's CDF at 0 (even n) is
    P(S_n = 0) ~ sqrt(2 / (pi n)), so sup |F_n - Phi| * sqrt(n) -> 1 / sqrt(2 pi)."""
    n = np.arange(1, 301)
    k = np.array([kolmogorov(scaled_walk(int(m)), Gaussian()) for m in n])
    assert np.all(k <= BERRY_ESSEEN / np.sqrt(n))
    # the jump at 0 bounds the distance from below: a CDF with a jump J is J/2 away from any continuous one
    even = n[n % 2 == 0]
    jump = stats.binom.pmf(even // 2, even, 0.5)
    assert np.all(k[n % 2 == 0] >= jump / 2 - 1e-15)
    big = 40_000
    assert math.isclose(
        kolmogorov(scaled_walk(big), Gaussian()) * math.sqrt(big), 1 / math.sqrt(2 * math.pi), rel_tol=1e-4
    )


def test_scipy_laws():
    assert math.isclose(kolmogorov(stats.norm(0, 1), stats.norm(1, 1)), special.erf(1 / (2 * math.sqrt(2))))


def test_bad_inputs():
    with pytest.raises(ValueError, match="1-D laws"):
        kolmogorov(Gaussian([0.0, 0.0]), Gaussian([1.0, 0.0]))
    with pytest.raises(ValueError, match="1-D laws"):
        kolmogorov(ShiftedLine(0.0), ShiftedLine(1.0))
    with pytest.raises(TypeError, match="q must be a toy"):
        kolmogorov(Bernoulli(0.5), "normal")
