"""toys.scaled_walk (the law of S_n / sqrt n) and toys.empirical_law (the law of a sample).

Oracles: the binomial coefficients by exact integer arithmetic, a seeded simulation of the walk
itself (sums of +-1 steps), and numpy's own counting of a sample.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toys import Discrete, Gaussian, empirical_law, scaled_walk
from toys.strategies import seeds


@given(st.integers(1, 60))
def test_walk_masses_are_binomial_coefficients(n):
    w = scaled_walk(n)
    k = np.arange(n + 1)
    assert np.allclose(w.atoms, (2 * k - n) / math.sqrt(n), rtol=0, atol=1e-14)
    exact = np.array([math.comb(n, int(j)) for j in k], dtype=float) / 2.0**n
    assert np.allclose(w.probs, exact, rtol=1e-12, atol=0)


@given(st.integers(1, 2000))
def test_walk_is_standardised(n):
    w = scaled_walk(n)
    assert math.isclose(w.mean, 0.0, abs_tol=1e-12)
    assert math.isclose(w.var, 1.0, rel_tol=1e-12)


def test_walk_matches_a_simulated_walk():
    """Frequencies of S_n / sqrt n from 200,000 seeded walks against the masses: 5 standard errors."""
    n, trials = 9, 200_000
    steps = np.random.default_rng(7).choice([-1.0, 1.0], size=(trials, n))
    values = steps.sum(axis=1) / math.sqrt(n)
    w = scaled_walk(n)
    freq = np.array([np.mean(np.isclose(values, a)) for a in w.atoms])
    assert np.all(np.abs(freq - w.probs) <= 5 * np.sqrt(w.probs * (1 - w.probs) / trials))


def test_large_walk_keeps_underflowed_atoms():
    w = scaled_walk(5000)
    assert w.atoms.size == 5001 and w.probs[0] == 0.0 and math.isclose(w.probs.sum(), 1.0)


@pytest.mark.parametrize(("bad", "error"), [(0, ValueError), (-3, ValueError), (2.0, TypeError), (True, TypeError)])
def test_walk_bad_n(bad, error):
    with pytest.raises(error, match="n must be an integer >= 1"):
        scaled_walk(bad)


@given(seeds(), st.integers(1, 50))
def test_empirical_law_counts_the_sample(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, size=n).astype(float)  # repeated values
    e = empirical_law(x)
    values, counts = np.unique(x, return_counts=True)
    assert isinstance(e, Discrete)
    assert e.atoms.tolist() == values.tolist()
    assert np.allclose(e.probs, counts / n, rtol=0, atol=1e-15)
    assert math.isclose(e.mean, x.mean(), abs_tol=1e-12)
    assert math.isclose(e.var, x.var(), abs_tol=1e-12)  # the variance divided by n


@given(seeds())
def test_empirical_expectation_is_the_sample_average(seed):
    x = Gaussian(1.0, 2.0).sample(100, rng=seed)
    e = empirical_law(x)
    q = Gaussian(0.0, 1.5)
    assert math.isclose(float(np.dot(e.probs, q.logpdf(e.atoms))), float(q.logpdf(x).mean()), rel_tol=1e-12)
    assert np.allclose(e.cdf(np.sort(x)), np.arange(1, 101) / 100, rtol=0, atol=1e-14)  # cumulative sums


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        ([], ValueError, "non-empty 1-D"),
        ([[1.0, 2.0]], ValueError, "non-empty 1-D"),
        ([1.0, np.nan], ValueError, "finite"),
        (["a", "b"], TypeError, "real numbers"),
    ],
)
def test_empirical_bad_samples(bad, error, match):
    with pytest.raises(error, match=match):
        empirical_law(bad)
