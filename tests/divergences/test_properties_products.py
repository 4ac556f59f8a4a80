"""Property tests over products of laws, tests, cross-entropies and the optimal discriminator.

KL of independent coordinates adds up; TV of n coins tends to 1; 1 - TV is the smallest sum of a
test's errors; KL = cross-entropy - entropy; the GAN value at the optimal discriminator is
-ln 4 + 2 JS. See :mod:`tests.divergences.test_properties` for the conventions.
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

import divergences
from divergences import js, kl, tv
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.base import ContinuousDistribution
from toys.strategies import (
    CONTINUOUS_1D,
    FAMILIES,
    bernoullis,
    continuous_1d,
    covariances,
    discrete_pairs,
    discretes,
    exponentials,
    gaussian_mixtures,
    gaussians,
    on_one_support,
    seeds,
    shifted_lines,
    supports,
    uniforms,
)

from .oracles import (
    FEW,
    TOL_1D,
    TOL_2D,
    TOL_SUM,
    gan_value_discrete,
    masses,
    overlap,
    p_log_ratio,
    quad_line,
)


# -- KL of product measures ----------------------------------------------------------------------
def product_gaussian(g1, g2):
    return Gaussian([g1.mean, g2.mean], cov=np.diag([g1.var, g2.var]))


def product_discrete(d1, d2):
    """The law of (X1, X2) for independent X1 ~ d1, X2 ~ d2, with (i, j) encoded as i + 10 j."""
    i, j = np.meshgrid(np.arange(d1.atoms.size), np.arange(d2.atoms.size), indexing="ij")
    return Discrete((i + 10 * j).ravel(), np.outer(d1.probs, d2.probs).ravel())


@given(gaussians(), gaussians(), gaussians(), gaussians())
def test_kl_of_independent_gaussian_coordinates_adds_up(p1, q1, p2, q2):
    p, q = product_gaussian(p1, p2), product_gaussian(q1, q2)
    expected = kl(p1, q1) + kl(p2, q2)
    assert math.isclose(kl(p, q), expected, rel_tol=TOL_SUM, abs_tol=TOL_SUM)


@FEW
@given(gaussians(), gaussians(), gaussians(), gaussians())
def test_kl_of_independent_gaussian_coordinates_adds_up_by_cubature(p1, q1, p2, q2):
    p, q = product_gaussian(p1, p2), product_gaussian(q1, q2)
    expected = kl(p1, q1) + kl(p2, q2)
    assert math.isclose(divergences.numeric.compute("kl", p, q), expected, rel_tol=TOL_SUM, abs_tol=TOL_2D)


@FEW
@given(*[gaussian_mixtures(max_components=2)] * 4)
def test_kl_of_independent_mixture_coordinates_adds_up_by_cubature(p1, q1, p2, q2):
    def product(m1, m2):  # a 2-D mixture with one diagonal component per pair of components
        w = np.outer(m1.weights, m2.weights).ravel()
        mu = np.stack(np.meshgrid(m1.means, m2.means, indexing="ij"), axis=-1).reshape(-1, 2)
        var = np.stack(np.meshgrid(m1.stds**2, m2.stds**2, indexing="ij"), axis=-1).reshape(-1, 2)
        return GaussianMixture(w / w.sum(), mu, covs=[np.diag(v) for v in var])

    expected = kl(p1, q1) + kl(p2, q2)  # both by 1-D quadrature
    assert math.isclose(kl(product(p1, p2), product(q1, q2)), expected, rel_tol=TOL_SUM, abs_tol=TOL_2D)


@given(st.one_of(on_one_support(2), st.tuples(bernoullis(), bernoullis())), on_one_support(2))
def test_kl_of_independent_discrete_coordinates_adds_up(first, second):
    (p1, q1), (p2, q2) = first, second
    p, q = product_discrete(p1, p2), product_discrete(q1, q2)
    expected = kl(p1, q1) + kl(p2, q2)
    if math.isinf(expected):
        assert kl(p, q) == math.inf
    else:
        assert math.isclose(kl(p, q), expected, abs_tol=TOL_SUM)
    # and TV of a product lies between the largest TV of a coordinate and their sum
    t1, t2 = tv(p1, q1), tv(p2, q2)
    assert max(t1, t2) - TOL_SUM <= tv(p, q) <= t1 + t2 + TOL_SUM


# -- Bernoulli products: TV tends to 1 as the number of coins grows -----------------------------
def binomial(n, p):
    """The law of the number of ones among n independent Bernoulli(p) coins."""
    return Discrete(np.arange(n + 1), stats.binom.pmf(np.arange(n + 1), n, p))


def coins(n, p):
    """The exact law of n independent Bernoulli(p) coins, the sequence b encoded as sum b_i 2^i."""
    bits = (np.arange(2**n)[:, None] >> np.arange(n)) & 1  # (2^n, n)
    k = bits.sum(axis=1)
    return Discrete(np.arange(2**n), stats.binom.pmf(k, n, p) / special.comb(n, k))


@given(bernoullis(), bernoullis(), st.integers(1, 50))
def test_tv_of_bernoulli_products_tends_to_one(p, q, n):
    # The number of ones is a sufficient statistic for the coins' parameter: given the count, the
    # order of the ones is uniform under either law. So the TV between the laws of n coins equals
    # the TV between the two binomial laws of the count, and we can work with n + 1 atoms.
    delta = tv(p, q)
    t = tv(binomial(n, p.p), binomial(n, q.p))
    # Hoeffding: the test "the fraction of ones is above the midpoint of p and q" errs with
    # probability <= exp(-n delta^2 / 2) under each law, and 1 - TV <= the sum of its errors.
    assert t >= 1 - 2 * math.exp(-n * delta**2 / 2) - TOL_SUM
    assert delta - TOL_SUM <= t <= min(1.0, n * delta) + TOL_SUM  # more coins, more evidence; subadditivity
    assert t <= tv(binomial(n + 1, p.p), binomial(n + 1, q.p)) + TOL_SUM


@given(bernoullis(), bernoullis(), st.integers(1, 8))
def test_tv_of_coin_sequences_equals_tv_of_their_counts(p, q, n):
    # the sufficiency argument above, checked on the 2^n sequences themselves
    assert math.isclose(tv(coins(n, p.p), coins(n, q.p)), tv(binomial(n, p.p), binomial(n, q.p)), abs_tol=TOL_SUM)


# -- TV and testing -------------------------------------------------------------------------------
@given(st.one_of(on_one_support(2, max_atoms=6), st.tuples(discretes(max_atoms=3), discretes(max_atoms=3))))
def test_one_minus_tv_is_the_smallest_sum_of_the_errors_of_a_test(pair):
    p, q = pair
    x, a, b = masses(p, q)
    # a test decides "P" on A and "Q" off it: type I error P(A^c), type II error Q(A); try all A
    best = min(
        a[[i not in A for i in range(x.size)]].sum() + b[list(A)].sum()
        for k in range(x.size + 1)
        for A in itertools.combinations(range(x.size), k)
    )
    assert math.isclose(1 - tv(p, q), best, abs_tol=TOL_SUM)


@pytest.mark.parametrize("family", [*CONTINUOUS_1D, "mixed"])
@given(data=st.data())
def test_one_minus_tv_is_the_sum_of_the_errors_of_the_likelihood_ratio_test(family, data):
    laws = continuous_1d() if family == "mixed" else FAMILIES[family]
    p, q = data.draw(laws), data.draw(laws)
    # Neyman-Pearson: the best test decides "P" where p > q; its type I and type II errors add
    # up to int min(p, q) (Scheffe), here by an independent quad split at the crossings of p and q
    assert math.isclose(1 - tv(p, q), overlap(p, q), abs_tol=TOL_1D)


# -- KL = cross-entropy - entropy -----------------------------------------------------------------
@given(discrete_pairs())
def test_kl_is_cross_entropy_minus_entropy_for_discrete_laws(pair):
    p, q = pair
    _, a, b = masses(p, q)
    entropy = stats.entropy(a)
    cross = -np.sum(special.xlogy(a, b))  # inf when q misses an atom of p
    if math.isinf(cross):
        assert kl(p, q) == math.inf
    else:
        assert math.isclose(kl(p, q), cross - entropy, abs_tol=TOL_SUM)


@given(gaussians(), gaussians())
def test_kl_is_cross_entropy_minus_entropy_for_gaussians(p, q):
    entropy = 0.5 * math.log(2 * math.pi * math.e * p.var)
    cross = 0.5 * math.log(2 * math.pi * q.var) + (p.var + (p.mean - q.mean) ** 2) / (2 * q.var)
    assert math.isclose(kl(p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_SUM)
    # the quadrature alone, with the closed forms of H and CE as the oracle
    assert math.isclose(divergences.numeric.compute("kl", p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_1D)


@given(exponentials(), exponentials())
def test_kl_is_cross_entropy_minus_entropy_for_exponentials(p, q):
    if p.loc < q.loc:  # p charges (p.loc, q.loc), where q vanishes
        assert kl(p, q) == math.inf
        return
    entropy = 1 - math.log(p.rate)
    cross = -math.log(q.rate) + q.rate * (p.mean - q.loc)  # E_P[-log q(X)]
    assert math.isclose(kl(p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_SUM)
    assert math.isclose(divergences.numeric.compute("kl", p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_1D)


@given(continuous_1d(), continuous_1d())
def test_kl_is_cross_entropy_minus_entropy_by_quad(p, q):
    (a, b), (c, d) = p.support, q.support
    if a < c or b > d:  # p charges a set where q vanishes
        assert kl(p, q) == math.inf
        return
    entropy = quad_line(lambda x: -p_log_ratio(p.logpdf(x), 0.0), [p])  # -p log p
    cross = quad_line(lambda x: p_log_ratio(p.logpdf(x), p.logpdf(x) + q.logpdf(x)), [p, q])  # -p log q
    # quad to 1e-13 per piece, the library to TOL_1D; H and CE are O(10), so rounding adds 1e-14
    assert math.isclose(kl(p, q), cross - entropy, abs_tol=2 * TOL_1D)


# -- the optimal discriminator --------------------------------------------------------------------
@given(continuous_1d(), continuous_1d())
def test_value_of_the_optimal_discriminator_is_minus_ln4_plus_twice_js(p, q):
    # D* = p / (p + q); V(D*) = E_P[log D*] + E_Q[log(1 - D*)], both integrands <= 0 and bounded
    def integrand(x):
        lp, lq = p.logpdf(x), q.logpdf(x)
        lm = np.logaddexp(lp, lq)
        return p_log_ratio(lp, lm) + p_log_ratio(lq, lm)

    value = quad_line(integrand, [p, q])
    # quad to about 1e-12 in all, JS to TOL_1D and doubled
    assert math.isclose(value, -math.log(4) + 2 * js(p, q), abs_tol=3 * TOL_1D)


@given(discrete_pairs(), seeds())
def test_value_of_the_optimal_discriminator_for_discrete_laws(pair, seed):
    p, q = pair
    _, a, b = masses(p, q)
    d_star = a / (a + b)
    best = gan_value_discrete(a, b, d_star)
    assert math.isclose(best, -math.log(4) + 2 * js(p, q), abs_tol=TOL_SUM)
    # and D* is the best discriminator: a random one does no better
    d = np.random.default_rng(seed).uniform(0.01, 0.99, size=a.size)
    assert gan_value_discrete(a, b, d) <= best + TOL_SUM


# -- the strategies themselves ----------------------------------------------------------------------
def draws(strategy, n=40):
    """``n`` values of ``strategy``, drawn as the test profile draws them (deterministically)."""
    out = []

    @settings(max_examples=n, database=None)
    @given(strategy)
    def collect(value):
        out.append(value)

    collect()
    return out


@pytest.mark.parametrize(
    ("strategy", "kind", "dim"),
    [
        (gaussians(), Gaussian, 1),
        (gaussians(dim=2), Gaussian, 2),
        (gaussians(dim=3), Gaussian, 3),
        (gaussian_mixtures(), GaussianMixture, 1),
        (gaussian_mixtures(dim=2), GaussianMixture, 2),
        (uniforms(), Uniform, 1),
        (exponentials(), Exponential, 1),
        (bernoullis(), Bernoulli, 1),
        (discretes(), Discrete, 1),
        (shifted_lines(), ShiftedLine, 2),
        (continuous_1d(), ContinuousDistribution, 1),
    ],
)
def test_strategies_draw_toys_of_the_requested_kind_and_dimension(strategy, kind, dim):
    laws = draws(strategy)
    assert len(laws) >= 10
    for law in laws:
        assert isinstance(law, kind) and law.dim == dim
        assert law.sample(3, rng=0).shape == ((3,) if dim == 1 else (3, dim))


def test_covariances_are_spd_with_bounded_condition_number():
    for dim in (2, 3):
        for cov in draws(covariances(dim)):
            assert cov.shape == (dim, dim) and np.array_equal(cov, cov.T)
            eig = np.linalg.eigvalsh(cov)
            assert eig.min() > 0 and eig.max() / eig.min() <= 100 * (1 + 1e-9)
            assert 0.2**2 * (1 - 1e-9) <= eig.min() and eig.max() <= 5**2 * (1 + 1e-9)


def test_discretes_on_a_given_support_use_its_atoms_and_can_leave_some_empty():
    support = [2.0, -1.0, 0.5]
    laws = draws(discretes(support=support), n=60)
    assert all(np.array_equal(d.atoms, sorted(support)) and math.isclose(d.probs.sum(), 1.0) for d in laws)
    assert any(np.any(d.probs == 0) for d in laws)
    assert any(np.all(d.probs > 0) for d in laws)


def test_mixture_weights_and_discrete_atoms_stay_in_their_documented_ranges():
    for m in draws(gaussian_mixtures(max_components=3), n=60):
        assert 1 <= m.n_components <= 3 and m.weights.min() >= 0.1 / 2.1 * (1 - 1e-12)
    for d in draws(discretes(max_atoms=4), n=60):
        assert 1 <= d.atoms.size <= 4 and np.all(np.diff(d.atoms) >= 0.01 * (1 - 1e-9))
        assert np.all(np.abs(d.atoms) <= 5) and np.all(d.probs > 0)


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: gaussians(dim=0), ValueError),
        (lambda: gaussians(dim=1.5), TypeError),
        (lambda: gaussian_mixtures(max_components=0), ValueError),
        (lambda: discretes(support=[0.0, 0.0]), ValueError),
        (lambda: discretes(support=[]), ValueError),
        (lambda: discretes(support=[[0.0, 1.0]]), ValueError),
        (lambda: supports(max_atoms=True), TypeError),
    ],
)
def test_strategies_reject_bad_arguments_when_built(make, error):
    with pytest.raises(error):
        make()
