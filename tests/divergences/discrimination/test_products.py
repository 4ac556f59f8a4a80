"""TV of n-fold products, the counting test behind Hoeffding's bound, and the bound itself.

Oracles: brute-force enumeration of {0, 1}^n for two Bernoulli laws and of all K^n sequences of
draws for discrete laws on K atoms (the counts are sufficient, not used by the oracle); the closed-form TV of
Gaussians in R^(n d) (divergences.tv, equal covariances); seeded simulation of the counting test;
and the inequalities 1 - 2 exp(-n d^2 / 2) <= TV_n <= 1 - (1 - d)^n.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import linalg

from divergences import tv
from divergences.discrimination import midpoint_test_errors, product_tv, product_tv_lower_bound
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture
from toys.strategies import bernoullis, continuous_1d, discretes, gaussians, seeds, supports


@given(bernoullis(), bernoullis(), st.integers(1, 9))
def test_bernoulli_products_by_enumeration(p, q, n):
    words = np.array(list(itertools.product([0, 1], repeat=n)))  # (2^n, n)
    ones = words.sum(axis=1)
    prob_p = p.p**ones * (1 - p.p) ** (n - ones)
    prob_q = q.p**ones * (1 - q.p) ** (n - ones)
    assert math.isclose(product_tv(p, q, n), 0.5 * np.sum(np.abs(prob_p - prob_q)), abs_tol=1e-12)


def _brute_force_product_tv(p, q, n):
    """TV of the n-fold products from every sequence of n draws on the union of the atoms."""
    atoms = np.union1d(p.atoms, q.atoms)
    seqs = np.array(list(itertools.product(range(atoms.size), repeat=n)))  # (K^n, n)
    prob_p = np.prod(p.pmf(atoms)[seqs], axis=1)
    prob_q = np.prod(q.pmf(atoms)[seqs], axis=1)
    return 0.5 * float(np.sum(np.abs(prob_p - prob_q)))


@given(supports(max_atoms=4, min_atoms=3).flatmap(lambda s: st.tuples(discretes(support=s), discretes(support=s))),
       st.integers(1, 6))  # fmt: skip
def test_discrete_products_by_enumeration(laws, n):
    p, q = laws  # masses may be exactly 0 on some atoms (then 0 log 0 = 0 in the count sum)
    assert math.isclose(product_tv(p, q, n), _brute_force_product_tv(p, q, n), abs_tol=1e-12)


def test_discrete_products_on_different_supports_and_arrays_of_n():
    p = Discrete(support=[0.0, 1.0, 2.0], probs=[0.5, 0.3, 0.2])
    q = Discrete(support=[1.0, 2.0, 3.5, 4.0], probs=[0.1, 0.2, 0.3, 0.4])  # 5 atoms in all
    got = product_tv(p, q, np.array([1, 3, 5]))
    assert got.shape == (3,)
    assert np.allclose(got, [_brute_force_product_tv(p, q, n) for n in (1, 3, 5)], rtol=0, atol=1e-12)
    assert math.isclose(got[0], tv(p, q), abs_tol=1e-15)


def test_two_valued_likelihood_ratio_two_draws_are_worth_one():
    # p/q takes only the values 2 and 1/2: for 0 < TV < 1 exactly then TV of two draws equals TV of one
    p = Discrete(support=[0, 1, 2], probs=[0.2, 1 / 3, 7 / 15])
    q = Discrete(support=[0, 1, 2], probs=[0.1, 2 / 3, 7 / 30])
    assert math.isclose(product_tv(p, q, 2), tv(p, q), abs_tol=1e-15)
    assert product_tv(p, q, 3) > tv(p, q) + 0.1
    # ...while three values of the ratio make the second draw informative
    r = Discrete(support=[0, 1, 2], probs=[0.2, 0.3, 0.5])
    s = Discrete(support=[0, 1, 2], probs=[0.1, 0.6, 0.3])
    assert product_tv(r, s, 2) > tv(r, s) + 1e-3


def test_many_draws_of_three_atoms_against_a_coarse_upper_bound():
    p = Discrete(support=[0, 1, 2], probs=[0.3, 0.3, 0.4])
    q = Discrete(support=[0, 1, 2], probs=[0.35, 0.3, 0.35])
    n = np.array([1, 10, 100, 1000])
    values = product_tv(p, q, n)
    delta = tv(p, q)
    assert np.all(np.diff(values) > 0)
    assert np.all(values <= 1 - (1 - delta) ** n + 1e-12)
    assert np.all(product_tv_lower_bound(delta, n) <= values + 1e-12)
    # merging atom 1 into atom 0 is a function of each draw, so the TV can only fall (data processing)
    merged = product_tv(Discrete(support=[0, 2], probs=[0.6, 0.4]), Discrete(support=[0, 2], probs=[0.65, 0.35]), n)
    assert np.all(merged <= values + 1e-12)


@given(bernoullis(), bernoullis())
def test_one_draw_is_tv(p, q):
    assert math.isclose(product_tv(p, q, 1), tv(p, q), abs_tol=1e-12)


def test_two_point_laws_off_zero_and_one_are_bernoulli_laws():
    p = Discrete(support=[-2.0, 5.0], probs=[0.3, 0.7])
    q = Discrete(support=[-2.0, 5.0], probs=[0.6, 0.4])
    n = np.array([1, 7, 40])
    assert np.allclose(product_tv(p, q, n), product_tv(Bernoulli(0.7), Bernoulli(0.4), n), rtol=0, atol=1e-14)
    assert product_tv(Discrete(support=[3.0], probs=[1.0]), Discrete(support=[3.0], probs=[1.0]), 5) == 0.0


@given(gaussians(), st.floats(-2, 2), st.integers(1, 30))
def test_gaussian_products_are_gaussians_in_higher_dimension(p, shift, n):
    q = Gaussian(p.mean + shift, p.std)
    big_p = Gaussian(mean=[p.mean] * n, std=p.std) if n > 1 else p
    big_q = Gaussian(mean=[q.mean] * n, std=q.std) if n > 1 else q
    assert math.isclose(product_tv(p, q, n), tv(big_p, big_q), abs_tol=1e-12)


def test_multivariate_gaussian_products():
    cov = np.array([[1.0, 0.6], [0.6, 2.0]])
    p, q = Gaussian(mean=[0.0, 0.0], cov=cov), Gaussian(mean=[0.3, -0.2], cov=cov)
    n = 4
    big_p = Gaussian(mean=np.tile(p.mean, n), cov=linalg.block_diag(*[cov] * n))
    big_q = Gaussian(mean=np.tile(q.mean, n), cov=linalg.block_diag(*[cov] * n))
    assert math.isclose(product_tv(p, q, n), tv(big_p, big_q), abs_tol=1e-12)


@given(bernoullis(), bernoullis(), st.integers(1, 400))
def test_bounds_on_products(p, q, n):
    delta = tv(p, q)
    alpha, beta = midpoint_test_errors(p, q, n)
    value = product_tv(p, q, n)
    # Hoeffding for each error, the counting test is a test, and the coupling upper bound
    assert alpha <= math.exp(-n * delta**2 / 2) + 1e-12 and beta <= math.exp(-n * delta**2 / 2) + 1e-12
    assert product_tv_lower_bound(delta, n) <= 1 - (alpha + beta) + 1e-12
    assert 1 - (alpha + beta) <= value + 1e-12
    assert value <= 1 - (1 - delta) ** n + 1e-12


def test_products_grow_to_one():
    n = np.array([1, 3, 10, 30, 100, 300, 1000, 3000])
    for p, q in ((Bernoulli(0.5), Bernoulli(0.6)), (Gaussian(0.0), Gaussian(0.25))):
        values = product_tv(p, q, n)
        assert np.all(np.diff(values) > 0) and values[-1] > 0.99


@given(continuous_1d(), continuous_1d())
def test_counting_test_with_one_draw_is_the_scheffe_test(p, q):
    alpha, beta = midpoint_test_errors(p, q, 1)
    assert math.isclose(alpha + beta, 1 - tv(p, q), abs_tol=1e-9)


@given(seeds())
def test_counting_test_against_simulation(seed):
    """Count the draws where p > q, decide P above the midpoint; compare with the exact errors."""
    rng = np.random.default_rng(seed)
    p = GaussianMixture(weights=[0.5, 0.5], means=[-1.5, 1.5], stds=[0.7, 0.7])
    q = Gaussian(0.0, 1.2)
    n, trials = 15, 4000
    alpha, beta = midpoint_test_errors(p, q, n)
    a, b = 1 - float(midpoint_test_errors(p, q, 1)[0]), float(midpoint_test_errors(p, q, 1)[1])  # P(A*), Q(A*)
    m = 0.5 * (a + b)
    x = p.sample(n * trials, rng).reshape(trials, n)
    y = q.sample(n * trials, rng).reshape(trials, n)
    count_x = np.sum(p.logpdf(x) > q.logpdf(x), axis=1)
    count_y = np.sum(p.logpdf(y) > q.logpdf(y), axis=1)
    alpha_mc, beta_mc = np.mean(count_x <= n * m), np.mean(count_y > n * m)
    # 5 binomial standard deviations
    for est, exact in ((alpha_mc, alpha), (beta_mc, beta)):
        assert abs(est - exact) <= 5 * math.sqrt(exact * (1 - exact) / trials)


def test_mutually_singular_pairs():
    alpha, beta = midpoint_test_errors(Bernoulli(0.0), Bernoulli(1.0), [1, 5])
    assert np.all(alpha == 0) and np.all(beta == 0)
    assert np.all(product_tv(Bernoulli(0.0), Bernoulli(1.0), [1, 5]) == 1.0)


def test_lower_bound_values():
    assert product_tv_lower_bound(0.0, 10) == -1.0
    n = np.array([1, 100, 1000])
    assert np.allclose(product_tv_lower_bound(0.1, n), 1 - 2 * np.exp(-n * 0.005))


def test_shapes():
    assert isinstance(product_tv(Bernoulli(0.2), Bernoulli(0.3), 4), float)
    assert product_tv(Gaussian(), Gaussian(1.0), np.ones((2, 2), dtype=int)).shape == (2, 2)
    assert midpoint_test_errors(Gaussian(), Gaussian(1.0), [1, 2, 3])[0].shape == (3,)
    # scalar in, scalar out (as numpy's functions do)
    alpha, beta = midpoint_test_errors(Gaussian(), Gaussian(1.0), 3)
    assert type(alpha) is float and type(beta) is float
    assert [alpha, beta] == [e[0] for e in midpoint_test_errors(Gaussian(), Gaussian(1.0), [3])]


def test_bad_inputs():
    with pytest.raises(ValueError, match="n=2000 draws of laws on 3 atoms have 2003001 count vectors, more than"):
        product_tv(Discrete(support=[0, 1, 2], probs=[0.2, 0.3, 0.5]), Bernoulli(0.5), [3, 2000])
    with pytest.raises(NotImplementedError, match="one covariance"):
        product_tv(Gaussian(0.0, 1.0), Gaussian(0.0, 2.0), 3)
    with pytest.raises(NotImplementedError, match="one covariance"):
        product_tv(Exponential(1.0), Exponential(2.0), 3)
    with pytest.raises(ValueError, match="n must be integers >= 1"):
        product_tv(Bernoulli(0.2), Bernoulli(0.3), 0)
    with pytest.raises(TypeError, match="n must be an integer"):
        product_tv(Bernoulli(0.2), Bernoulli(0.3), 2.5)
    with pytest.raises(TypeError, match="n must be an integer"):
        midpoint_test_errors(Bernoulli(0.2), Bernoulli(0.3), True)
    with pytest.raises(ValueError, match="delta must be in"):
        product_tv_lower_bound(1.5, 3)
    with pytest.raises(TypeError, match="delta must be a number"):
        product_tv_lower_bound("0.1", 3)
