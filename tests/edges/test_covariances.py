"""Near-singular covariances: refused at construction beyond the stated conditioning, right within it.

Class 3 of the edge cases: a covariance whose Cholesky factorisation succeeded but whose
correlation is 1 - 1e-17 gave NaN for TV and JS, KL 0.0 for a mixture (truth about 18) and an
AssertionError from inside POT. Contract (docs/methods.md): the correlation matrix of a
covariance has condition number at most ``toys.validation.MAX_CONDITION`` (1e8, correlations up
to 1 - 2e-8 in magnitude), or the constructor raises ``ValueError`` naming the threshold;
within it, 2-D TV, KL and JS to 1e-6 and W1 to its stated accuracy.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import divergences as D
from divergences.numeric import compute
from toys import Gaussian, GaussianMixture
from toys.validation import MAX_CONDITION

FEW = settings(max_examples=8, deadline=None)
REPRO = [[0.7464572341464252, 0.6783984364677988], [0.6783984364677988, 0.6165449506671623]]


def covariance(sx, sy, rho):
    return np.array([[sx * sx, rho * sx * sy], [rho * sx * sy, sy * sy]])


def test_the_repro_covariance_is_refused_naming_the_threshold():
    with pytest.raises(ValueError, match=r"well conditioned.*1e\+08"):
        Gaussian([0, 0], cov=REPRO)
    with pytest.raises(ValueError, match=r"covs"):
        GaussianMixture([0.5, 0.5], [[0, 0], [1, 1]], covs=[REPRO, np.eye(2)])


#: Correlations from 0.9 to the edge of the contract, 1 - 10^-7.6 (condition about 8e7).
near_one = st.floats(1.0, 7.6).map(lambda u: 1.0 - 10.0**-u)
sds = st.floats(-2.0, 2.0).map(lambda e: 10.0**e)


@FEW
@given(sds, sds, near_one, st.sampled_from([1.0, -1.0]))
def test_at_the_edge_kl_by_cubature_equals_the_closed_form(sx, sy, rho, sign):
    p = Gaussian([0.0, 0.0], cov=covariance(sx, sy, sign * rho))
    q = Gaussian([0.3, -0.2], cov=np.eye(2))
    exact = D.kl(p, q)  # the closed form, any dimension
    assert abs(compute("kl", p, q) - exact) <= max(1e-6, 1e-9 * exact)


@FEW
@given(sds, near_one, st.floats(0.0, math.pi))
def test_at_the_edge_tv_and_js_do_not_depend_on_the_axes(s, rho, angle):
    # rotating both laws leaves TV and JS unchanged: the cubature along the correlated ridge
    # must agree with the cubature of the same pair turned onto its principal axes
    c = covariance(s, 1.0, rho)
    w, v = np.linalg.eigh(c)
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    aligned = (Gaussian([0.0, 0.0], cov=np.diag(w)), Gaussian(v.T @ [0.5, 0.0], cov=np.eye(2)))
    rotated = (Gaussian([0.0, 0.0], cov=turn @ c @ turn.T), Gaussian(turn @ [0.5, 0.0], cov=np.eye(2)))
    for name in ("tv", "js"):
        a, b = compute(name, *aligned), compute(name, *rotated)
        assert math.isfinite(a) and abs(a - b) <= 2e-6


def test_a_mixture_with_a_near_singular_component_lies_within_its_bounds():
    # sum_i w_i KL(c_i || q) - H(w) <= KL(sum_i w_i c_i || q) <= sum_i w_i KL(c_i || q)
    thin = covariance(1.0, 1.0, 1.0 - 3e-8)
    parts = [Gaussian([0.0, 0.0], cov=thin), Gaussian([1.0, 1.0], cov=np.eye(2))]
    m = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], covs=[thin, np.eye(2)])
    q = Gaussian([0.0, 0.0], cov=np.eye(2))
    upper = 0.5 * sum(D.kl(c, q) for c in parts)
    value = D.kl(m, q)
    assert upper - math.log(2) <= value <= upper
    # and against a seeded Monte Carlo estimate of E_m[log m - log q] (n = 4e5: standard error
    # about 0.01, the tolerance 5 of them)
    x = m.sample(400_000, rng=np.random.default_rng(0))
    terms = m.logpdf(x) - q.logpdf(x)
    assert abs(value - terms.mean()) <= 5 * terms.std() / math.sqrt(x.shape[0])


def test_w1_of_a_near_singular_mixture_and_its_translate():
    thin = covariance(1.0, 1.0, 1.0 - 3e-8)
    m = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], covs=[thin, np.eye(2)])
    moved = GaussianMixture(m.weights, m.means + [0.3, 0.4], covs=m.covs)
    assert abs(compute("w1", m, moved) - 0.5) <= 3e-2 * 1.5  # sigma_max = sqrt(2 - 3e-8)


def test_the_condition_limit_is_the_documented_one():
    rho = (MAX_CONDITION - 1) / (MAX_CONDITION + 1)  # condition (1 + rho) / (1 - rho) = MAX_CONDITION
    Gaussian([0, 0], cov=covariance(1.0, 1.0, rho * (1 - 1e-9)))
    with pytest.raises(ValueError, match="well conditioned"):
        Gaussian([0, 0], cov=covariance(1.0, 1.0, rho + 1e-9))
