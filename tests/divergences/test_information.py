"""Entropy and cross-entropy (divergences.information).

Oracles: scipy.integrate.quad of -p log p and -p log q; scipy.stats' own entropies
(``scipy.stats.entropy`` of a mass vector, ``.entropy()`` of frozen laws); seeded Monte Carlo of
-E_P log q; and divergences.kl, computed by its own closed forms and quadrature, through
KL = H(P, Q) - H(P).
"""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import integrate, stats

from divergences import cross_entropy, entropy, kl
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform, empirical_law
from toys.strategies import continuous_1d, covariances, discretes, gaussians, seeds, supports

#: Stated accuracy of the 1-D quadrature path, and of KL's, so of their difference (two of them).
TOL = 1e-9
#: scipy.integrate.quad with the settings below: absolute error below 1e-10 on these integrands.
TOL_QUAD = 1e-8


def quad_minus_p_log_q(p, q):
    """-int p log q by scipy.integrate.quad over the support of p, split at the laws' features."""
    lo, hi = p.support
    lo, hi = max(lo, p.ppf(1e-15)), min(hi, p.ppf(1 - 1e-15))
    points = np.linspace(lo, hi, 41)

    def f(x):
        lp = p.logpdf(x)
        return 0.0 if lp == -np.inf else -math.exp(lp) * q.logpdf(x)

    return sum(
        integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0] for a, b in zip(points[:-1], points[1:])
    )


@given(continuous_1d())
def test_entropy_against_quad(p):
    assert math.isclose(entropy(p), quad_minus_p_log_q(p, p), abs_tol=TOL_QUAD)


@given(continuous_1d(), continuous_1d())
def test_cross_entropy_against_quad(p, q):
    value = cross_entropy(p, q)
    (a, b), (c, d) = p.support, q.support
    if a < c or b > d:
        assert value == math.inf
    else:
        assert math.isclose(value, quad_minus_p_log_q(p, q), rel_tol=1e-10, abs_tol=TOL_QUAD)


@given(continuous_1d(), continuous_1d())
def test_kl_is_cross_entropy_minus_entropy(p, q):
    value = kl(p, q)
    h = cross_entropy(p, q) - entropy(p)
    if math.isinf(value):
        assert math.isinf(h)
    else:
        assert math.isclose(h, value, abs_tol=2 * TOL + 1e-12 * abs(cross_entropy(p, q)))


@given(supports(max_atoms=6).flatmap(lambda s: st.tuples(discretes(support=s), discretes(support=s))))
def test_discrete_pairs_against_scipy_and_kl(pair):
    p, q = pair
    assert math.isclose(entropy(p), stats.entropy(p.probs), abs_tol=1e-13)
    value = kl(p, q)
    h = cross_entropy(p, q)
    if math.isinf(value):
        assert h == math.inf
    else:
        assert math.isclose(h - entropy(p), value, abs_tol=1e-12)
        assert math.isclose(h, -np.sum(p.probs[p.probs > 0] * np.log(q.pmf(p.atoms[p.probs > 0]))), abs_tol=1e-13)


@given(covariances(2), covariances(2), st.floats(-3, 3), st.floats(-3, 3))
def test_multivariate_gaussians_against_scipy_and_kl(cov_p, cov_q, m1, m2):
    p, q = Gaussian(mean=[0.0, 0.0], cov=cov_p), Gaussian(mean=[m1, m2], cov=cov_q)
    assert math.isclose(entropy(p), stats.multivariate_normal([0.0, 0.0], cov_p).entropy(), abs_tol=1e-12)
    assert math.isclose(cross_entropy(p, q) - entropy(p), kl(p, q), abs_tol=1e-10)


@given(gaussians(), gaussians())
def test_gaussian_pairs_against_scipy(p, q):
    assert math.isclose(entropy(p), stats.norm(p.mean, p.std).entropy(), abs_tol=1e-13)
    assert math.isclose(cross_entropy(p, q) - entropy(p), kl(p, q), abs_tol=1e-12)


@pytest.mark.parametrize(
    "law",
    [stats.gamma(3.0), stats.beta(2.0, 3.0), stats.logistic(0.5, 2.0), stats.expon(scale=2.0), stats.uniform(1, 3)],
    ids=["gamma", "beta", "logistic", "expon", "uniform"],
)
def test_scipy_laws_against_their_own_entropy(law):
    assert math.isclose(entropy(law), float(law.entropy()), abs_tol=TOL)


@given(seeds())
def test_cross_entropy_against_monte_carlo(seed):
    p = Exponential(rate=0.8, loc=-1.0)
    q = GaussianMixture(weights=[0.4, 0.6], means=[-2.0, 1.0], stds=[0.5, 1.5])
    n = 50_000
    values = -q.logpdf(p.sample(n, rng=seed))
    # 5 standard errors of the mean: a false alarm has probability below 1e-6
    assert abs(values.mean() - cross_entropy(p, q)) <= 5 * values.std() / math.sqrt(n)


@given(seeds())
def test_empirical_law_gives_the_average_negative_log_likelihood(seed):
    x = Exponential(rate=2.0).sample(200, rng=seed)
    for q in (
        Exponential(rate=1.5),
        Gaussian(0.5, 0.7),
        GaussianMixture(weights=[0.5, 0.5], means=[0, 1], stds=[1, 1]),
    ):
        assert math.isclose(cross_entropy(empirical_law(x), q), -float(np.mean(q.logpdf(x))), rel_tol=1e-12)
    assert math.isclose(entropy(empirical_law(x)), math.log(200), rel_tol=1e-12)  # distinct points
    assert kl(empirical_law(x), Exponential(rate=2.0)) == math.inf  # while H(P_n, Q) is finite


def test_moment_formula_for_a_gaussian_q_agrees_with_the_sum_over_atoms():
    """Discrete P, Gaussian Q: the finite sum is registered for the pair, the moments for any P."""
    p = Discrete(support=[-1.0, 0.5, 3.0], probs=[0.2, 0.5, 0.3])
    q = Gaussian(0.4, 1.7)
    by_sum = cross_entropy(p, q)
    by_moments = 0.5 * (math.log(2 * math.pi * q.var) + (p.var + (p.mean - q.mean) ** 2) / q.var)
    assert math.isclose(by_sum, by_moments, rel_tol=1e-13)


@pytest.mark.parametrize("far", [0.0, 1e8, 1e10, -1e12])
def test_a_mixture_far_from_the_origin_against_a_gaussian(far):
    # -E_P log q from the components, in mpmath: P's mean, rounded by 1.5e-8 at 1e8, gave errors
    # of 7e-9 there and 3e-6 at 1e10 (and -2.0 for P's variance before it was taken about the mean)
    w, mu, q_mean = [0.3, 0.7], [far, far + 1.0], far + 3.0
    second = sum(mpmath.mpf(wk) * (1 + (mpmath.mpf(mk) - mpmath.mpf(q_mean)) ** 2) for wk, mk in zip(w, mu))
    exact = float((mpmath.log(2 * mpmath.pi) + second) / 2)
    assert math.isclose(cross_entropy(GaussianMixture(w, mu, [1.0, 1.0]), Gaussian(q_mean, 1.0)), exact, rel_tol=1e-15)
    p2 = GaussianMixture(w, [[m, -m] for m in mu], covs=[np.eye(2)] * 2)
    q2 = Gaussian([q_mean, -q_mean], cov=np.eye(2))
    exact2 = float(mpmath.log(2 * mpmath.pi) + second)  # each axis contributes (log(2 pi) + second) / 2
    assert math.isclose(cross_entropy(p2, q2), exact2, rel_tol=1e-15)


@pytest.mark.parametrize("far", [1e8, 1e12, -1e13])  # moved exactly: the means are multiples of 1/2
def test_quadrature_far_from_the_origin_is_that_of_the_translated_laws(far):
    # entropies are translation invariant; at 1e12 the quadrature ran on nodes rounded by 1e-4 and
    # raised "did not converge", at 1e10 it was 1e-11 off
    w, mu = [0.3, 0.7], np.array([0.0, 1.0])
    p, q = GaussianMixture(w, mu, [1.0, 0.5]), GaussianMixture([0.6, 0.4], mu + 0.5, [2.0, 1.0])
    moved_p, moved_q = (GaussianMixture(d.weights, d.means + far, d.stds) for d in (p, q))
    assert abs(entropy(moved_p) - entropy(p)) <= 2 * TOL
    assert abs(cross_entropy(moved_p, moved_q) - cross_entropy(p, q)) <= 2 * TOL
    with pytest.raises(NotImplementedError, match=r"divergences\.empirical"):  # unresolvable, not a wrong number
        entropy(GaussianMixture(w, [0.0, 1e12], [1.0, 1.0]))


def test_singular_law_against_a_gaussian_by_its_moments():
    p = ShiftedLine(0.5)  # mass on {0.5} x [0, 1]
    q = Gaussian(mean=[0.0, 0.0], cov=[[1.0, 0.0], [0.0, 4.0]])
    # -E log q = log(2 pi * 2) + E[x^2] / 2 + E[y^2] / 8, with x = 0.5 and y ~ U[0, 1]
    expected = math.log(4 * math.pi) + 0.25 / 2 + (1 / 3) / 8
    assert math.isclose(cross_entropy(p, q), expected, rel_tol=1e-13)


@pytest.mark.parametrize(
    ("p", "q", "expected"),
    [
        (Uniform(0.0, 1.0), Uniform(-1.0, 3.0), math.log(4.0)),
        (Uniform(0.0, 1.0), Uniform(0.5, 3.0), math.inf),
        (Exponential(2.0, loc=1.0), Exponential(0.5), -math.log(0.5) + 0.5 * 1.5),
        (Exponential(2.0), Exponential(0.5, loc=1.0), math.inf),
        (Gaussian(), Uniform(-5.0, 5.0), math.inf),
        (Gaussian(), Bernoulli(0.5), math.inf),
        (Bernoulli(0.5), Bernoulli(1.0), math.inf),
        (Bernoulli(0.5), Uniform(0.5, 1.0), math.inf),  # q vanishes at the atom 0
        (Bernoulli(0.25), Bernoulli(0.5), math.log(2.0)),
    ],
)
def test_closed_forms_and_infinities(p, q, expected):
    assert cross_entropy(p, q) == pytest.approx(expected, rel=1e-14)


@given(continuous_1d())
def test_units(p):
    assume(abs(entropy(p)) > 1e-6)
    assert math.isclose(entropy(p, base=2), entropy(p) / math.log(2), rel_tol=1e-14)
    assert math.isclose(cross_entropy(p, p, base=2), cross_entropy(p, p) / math.log(2), rel_tol=1e-14)


def test_entropies_of_closed_forms():
    assert entropy(Bernoulli(0.5), base=2) == 1.0
    assert entropy(Bernoulli(0.0)) == 0.0
    assert entropy(Uniform(0.0, 0.5)) == math.log(0.5)
    assert math.isclose(entropy(Exponential(rate=3.0, loc=2.0)), 1 - math.log(3.0))


def test_errors():
    with pytest.raises(TypeError, match="p has no density"):
        entropy(ShiftedLine(0.0))
    with pytest.raises(TypeError, match="q has no density"):
        cross_entropy(ShiftedLine(0.0), ShiftedLine(1.0))
    mix2 = GaussianMixture(weights=[0.5, 0.5], means=[[0.0, 0.0], [1.0, 1.0]], stds=[1.0, 1.0])
    with pytest.raises(NotImplementedError, match="quadrature covers 1-D"):
        entropy(mix2)
    with pytest.raises(NotImplementedError, match="quadrature covers 1-D"):
        cross_entropy(Gaussian(mean=[0.0, 0.0]), mix2)
    with pytest.raises(ValueError, match="same dimension"):
        cross_entropy(Gaussian(), Gaussian(mean=[0.0, 0.0]))
    with pytest.raises(ValueError, match="base must be"):
        entropy(Gaussian(), base=1.0)
    with pytest.raises(TypeError, match="p must be a toy"):
        entropy(np.ones(3))
