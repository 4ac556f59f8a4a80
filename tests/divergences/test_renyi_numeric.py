"""The numeric path of chi-squared and of the Rényi divergence of order alpha > 1 (1-D).

Oracles: the Gaussian Rényi divergence from its textbook determinant form at 40 digits (mpmath;
Gil, Alajaji and Linder 2013, Table 2), with its finiteness condition alpha sigma_q^2 +
(1 - alpha) sigma_p^2 > 0; mpmath quadrature at 40 digits of p^alpha q^(1-alpha) for mixtures,
split at the components' means and at the centres of the Gaussian bumps where a component of P
meets one of Q (the maximum of alpha log N_k - (alpha - 1) log N_j); integrals in closed form
derived here for exponentials with different left ends and for a scipy.stats beta law against a
uniform; the growth of the integrand itself where the integral diverges; direct finite sums.
"""

import dataclasses
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mpmath import mp
from scipy import integrate, stats

from divergences import chi2, curves, f_divergence, renyi
from divergences.evaluate import evaluate, method
from divergences.generators import GENERATORS
from divergences.numeric import components_2d, renyi_2d, two_d
from toys import Discrete, Exponential, Gaussian, GaussianMixture, Uniform
from toys.strategies import gaussian_mixtures, gaussians, seeds

REL = 1e-9  # stated relative accuracy of the numeric path on D_alpha and chi^2
ABS = 1e-11  # and its absolute accuracy where they are small
QUAD = 1e-9  # absolute accuracy of the 1-D quadrature of f-divergences of bounded generators


def _numeric(name, ps, qs, **params):
    return evaluate([name], ps, qs, closed_forms=False, **params)[name]


def _gaussian_oracle(p, q, alpha):
    """D_alpha of two 1-D Gaussians at 40 digits; inf where alpha s_q^2 + (1 - alpha) s_p^2 <= 0."""
    with mp.workdps(40):
        a, vp, vq = mp.mpf(alpha), mp.mpf(p.std) ** 2, mp.mpf(q.std) ** 2
        v_alpha = a * vq + (1 - a) * vp
        if v_alpha <= 0:
            return math.inf
        delta = mp.mpf(q.mean) - mp.mpf(p.mean)
        return float(a * delta**2 / (2 * v_alpha) - mp.log(v_alpha / (vp ** (1 - a) * vq**a)) / (2 * (a - 1)))


def _components(d):
    w = d.as_mixture()[0]
    means, stds = d.features()
    return list(zip(w[w > 0].tolist(), means.tolist(), stds.tolist(), strict=True))


def _log_gaussian_product_integral(factors):
    """ln int prod_i N(x; m_i, s_i^2)^(e_i) dx for ``factors`` (e_i, m_i, s_i), at 40 digits.

    The log integrand is -A x^2 / 2 + B x + C with A = sum e_i / s_i^2, B = sum e_i m_i / s_i^2,
    C = -sum e_i (m_i^2 / (2 s_i^2) + ln(sqrt(2 pi) s_i)); the integral is exp(C + B^2 / (2A)) sqrt(2 pi / A)
    where A > 0, and infinite otherwise.
    """
    big_a = sum(mp.mpf(e) / mp.mpf(s) ** 2 for e, _, s in factors)
    if big_a <= 0:
        return mp.inf
    big_b = sum(mp.mpf(e) * mp.mpf(m) / mp.mpf(s) ** 2 for e, m, s in factors)
    big_c = -sum(mp.mpf(e) * (mp.mpf(m) ** 2 / (2 * mp.mpf(s) ** 2) + mp.log(mp.sqrt(2 * mp.pi) * mp.mpf(s)))
                 for e, m, s in factors)  # fmt: skip
    return big_c + big_b**2 / (2 * big_a) + mp.log(mp.sqrt(2 * mp.pi / big_a))


def _mixture_against_gaussian(p, q, alpha):
    """ln int p^alpha q^(1 - alpha) for a mixture P and a Gaussian Q, alpha an integer: expanding
    (sum_k w_k N_k)^alpha into products of components, each a Gaussian integral."""
    comps = _components(p)
    with mp.workdps(40):
        terms = []
        for idx in itertools.product(range(len(comps)), repeat=int(alpha)):
            factors = [(1, comps[k][1], comps[k][2]) for k in idx] + [(1 - alpha, q.mean, q.std)]
            weight = mp.fprod(mp.mpf(comps[k][0]) for k in idx)
            terms.append(mp.log(weight) + _log_gaussian_product_integral(factors))
        top = max(terms)
        if top == mp.inf:
            return mp.inf
        return top + mp.log(mp.fsum(mp.exp(t - top) for t in terms))


def _mixture_log_integral(p, q, alpha, reach=40.0, span=None):
    """ln int p^alpha q^(1 - alpha) by mpmath quadrature at 40 digits, over the means +- ``reach`` sds
    and the bumps of N_k^alpha N_j^(1 - alpha) (centre +- ``reach`` widths), split at their centres:
    beyond, the integrand is below its bound sum_kj w_k w_j^(1 - alpha) e^(-reach^2 / 2) times its bumps.
    ``span``: the interval instead, where the integrand's tails are not Gaussian."""
    cp, cq = _components(p), _components(q)
    points = [(m, s) for _, m, s in cp + cq]
    for _, mk, sk in cp:
        for _, mj, sj in cq:
            a = alpha / sk**2 - (alpha - 1) / sj**2
            if a > 0:
                points.append(((alpha * mk / sk**2 - (alpha - 1) * mj / sj**2) / a, 1 / math.sqrt(a)))
    lo, hi = span or (min(m - reach * s for m, s in points), max(m + reach * s for m, s in points))
    with mp.workdps(40):
        a = mp.mpf(alpha)

        def constants(comps):
            return [
                (mp.mpf(w) / (mp.sqrt(2 * mp.pi) * mp.mpf(s)), mp.mpf(m), 1 / (2 * mp.mpf(s) ** 2)) for w, m, s in comps
            ]

        kp, kq = constants(cp), constants(cq)

        def f(x):
            dp = mp.fsum(c * mp.exp(-k * (x - m) ** 2) for c, m, k in kp)
            dq = mp.fsum(c * mp.exp(-k * (x - m) ** 2) for c, m, k in kq)
            return dp**a * dq ** (1 - a)

        return mp.log(mp.quad(f, [lo, *sorted({mp.mpf(m) for m, _ in points}), hi]))


def _close(value, expected):
    assert value == pytest.approx(expected, rel=REL, abs=ABS)


# -- Gaussians: the numeric path against the closed form, and the finiteness decided ----------
@st.composite
def gaussian_batches(draw):
    """A seeded batch of 6 pairs of 1-D Gaussians and an order > 1, kept clear of the refused boundary."""
    rng = np.random.default_rng(draw(seeds()))
    alpha = draw(st.sampled_from([1.0 + 1e-6, 1.3, 2.0, 3.5, 12.0]))
    pairs = []
    while len(pairs) < 6:
        sp, sq = np.exp(rng.uniform(-1.5, 1.5, 2))
        if abs(alpha * sq**2 + (1 - alpha) * sp**2) > 1e-2 * alpha * sq**2:
            pairs.append((Gaussian(rng.uniform(-5, 5), sp), Gaussian(rng.uniform(-5, 5), sq)))
    return alpha, pairs


@settings(max_examples=10, deadline=None)
@given(gaussian_batches())
def test_gaussians_against_the_determinant_form_and_its_finiteness_condition(batch):
    alpha, pairs = batch
    ps, qs = zip(*pairs, strict=True)
    values = _numeric("renyi", ps, qs, alpha=alpha)
    for p, q, value in zip(ps, qs, values, strict=True):
        expected = _gaussian_oracle(p, q, alpha)
        if expected == math.inf:
            assert value == math.inf
        else:
            assert value == pytest.approx(expected, rel=REL, abs=1e-12)


@settings(max_examples=10, deadline=None)
@given(gaussian_batches())
def test_gaussian_chi2_is_finite_iff_two_var_q_exceeds_var_p(batch):
    _, pairs = batch
    pairs = [(p, q) for p, q in pairs if abs(2 * q.var - p.var) > 1e-2 * q.var]
    ps, qs = zip(*pairs, strict=True)
    for p, q, value in zip(ps, qs, _numeric("chi2", ps, qs), strict=True):
        if 2 * Fraction(q.std) ** 2 - Fraction(p.std) ** 2 <= 0:
            assert value == math.inf
        else:
            d2 = _gaussian_oracle(p, q, 2.0)
            assert value == (math.inf if d2 > 709.7 else pytest.approx(math.expm1(d2), rel=REL, abs=ABS))


def test_far_apart_and_nearly_equal_gaussians():
    # D_alpha far beyond the largest float's log (4e7 nats), and chi^2 of 1e-6, keep their digits
    ps = [Gaussian(0.0, 1.0), Gaussian(1e8, 1.0), Gaussian(0.0, 1.0), Gaussian(0.0, 1.0)]
    qs = [Gaussian(1e4, 1.3), Gaussian(1e8 + 3.0, 2.0), Gaussian(1e-3, 1.0 + 1e-4), Gaussian(1e-7, 1.0)]
    for alpha in (1.5, 2.0, 30.0):
        for p, q, value in zip(ps, qs, _numeric("renyi", ps, qs, alpha=alpha), strict=True):
            assert value == pytest.approx(_gaussian_oracle(p, q, alpha), rel=REL, abs=1e-14)
    assert _numeric("chi2", ps[2:3], qs[2:3])[0] == pytest.approx(
        math.expm1(_gaussian_oracle(ps[2], qs[2], 2.0)), rel=REL
    )


def test_the_exact_boundary_of_finiteness_is_decided_by_the_means():
    # alpha = 9/8, s_p = 3 s_q: alpha s_q^2 - (alpha - 1) s_p^2 = 0 exactly; the log integrand is then
    # linear in each tail, with slope alpha m_p / s_p^2 - (alpha - 1) m_q / s_q^2 = (m_p - m_q) / 8 on
    # the right (m: mean of the widest, outermost component): single Gaussians diverge on one side
    alpha = 1.125
    assert _numeric("renyi", [Gaussian(0.0, 3.0)], [Gaussian(0.0, 1.0)], alpha=alpha)[0] == math.inf
    p = GaussianMixture([0.5, 0.5], [-1.0, 1.0], stds=[3.0, 3.0])
    q = GaussianMixture([0.5, 0.5], [-2.0, 2.0], stds=[1.0, 1.0])  # slopes -1/8 on the right, +1/8 on the left
    # the integrand falls like e^(-|x| / 8) times a bounded factor: below e^-100 of its size beyond +-800
    _close(renyi(p, q, alpha), float(_mixture_log_integral(p, q, alpha, span=(-800.0, 800.0))) / (alpha - 1))
    q_inner = GaussianMixture([0.5, 0.5], [-0.5, 0.5], stds=[1.0, 1.0])  # slope +1/16: grows
    assert renyi(p, q_inner, alpha) == math.inf
    with pytest.raises(NotImplementedError, match=r"within 0\.0001"):  # 2e-5 from the boundary: refused
        renyi(p, Gaussian(0.0, 1.00001), alpha)


# -- the atlas's pairs: mixtures, their moment-matched Gaussians, exponentials --------------
MIXTURE = GaussianMixture([0.5, 0.5], [-1.0, 1.0], stds=[0.5, 0.5])
MATCHED = Gaussian(0.0, math.sqrt(1.25))  # mean 0, variance 0.25 + 1
SKEWED = GaussianMixture([0.3, 0.7], [-2.0, 1.0], stds=[0.7, 1.2])


@pytest.mark.parametrize(
    ("p", "q", "alpha"),
    [(MIXTURE, MATCHED, 2.0), (SKEWED, Gaussian(0.5, 1.0), 3.0), (SKEWED, Gaussian(25.0, 1.5), 3.0),
     (SKEWED, Gaussian(-400.0, 3.0), 2.0)],
)  # fmt: skip
def test_mixtures_against_gaussians_in_closed_form(p, q, alpha):
    log_s = _mixture_against_gaussian(p, q, alpha)
    _close(renyi(p, q, alpha), float(log_s) / (alpha - 1))
    if alpha == 2.0:
        _close(chi2(p, q), float(mp.expm1(log_s)) if log_s < 709 else math.inf)
        assert method("chi2", p, q) == "quadrature"


def test_mixtures_against_mixtures_by_mpmath():
    p, q = SKEWED, GaussianMixture([0.6, 0.4], [0.0, 2.0], stds=[1.5, 1.0])
    log_s = _mixture_log_integral(p, q, 2.0)
    _close(renyi(p, q, 2.0), float(log_s))
    _close(chi2(p, q), float(mp.expm1(log_s)))


def test_a_spike_in_the_valley_between_far_components():
    # Q = (N(-300, 1/4) + N(300.1, 1/4)) / 2 is smallest near x0 = 0.05, where its components cross: there
    # q^(1 - alpha) peaks in a tent of slopes +-(alpha - 1) 300 / 0.25 = +-240, 1/240 wide (P = N(0.3, 1))
    p, q, alpha = Gaussian(0.3, 1.0), GaussianMixture([0.5, 0.5], [-300.0, 300.1], stds=[0.5, 0.5]), 1.2
    with mp.workdps(40):
        a = mp.mpf(alpha)

        def log_q(x):
            return mp.log((mp.npdf(x, -300, mp.mpf(0.5)) + mp.npdf(x, mp.mpf(300.1), mp.mpf(0.5))) / 2)

        x0 = mp.mpf(0.05)  # equal weights and widths: the components cross midway between their means
        top = a * mp.log(mp.npdf(x0, mp.mpf(0.3), 1)) + (1 - a) * log_q(x0)

        def f(x):
            return mp.exp(a * mp.log(mp.npdf(x, mp.mpf(0.3), 1)) + (1 - a) * log_q(x) - top)

        # beyond +-1 of x0 the tent has fallen by e^-200
        inner = mp.quad(
            f, [x0 - 1, x0 - mp.mpf(0.05), x0 - mp.mpf(0.004), x0, x0 + mp.mpf(0.004), x0 + mp.mpf(0.05), x0 + 1]
        )
        expected = (top + mp.log(inner)) / (a - 1)
    _close(renyi(p, q, alpha), float(expected))


def test_the_moment_matched_gaussian_against_the_mixture_diverges():
    # widest component of Q: 0.5; alpha / 1.25 - (alpha - 1) / 0.25 < 0 for alpha > 1.25 / 1 (= 5/4)
    assert chi2(MATCHED, MIXTURE) == math.inf
    assert renyi(MATCHED, MIXTURE, 1.2) < math.inf
    assert renyi(MATCHED, MIXTURE, 1.3) == math.inf
    # the integrand grows in the tail: independent evidence that the integral diverges
    log_f = [1.3 * MATCHED.logpdf(x) - 0.3 * MIXTURE.logpdf(x) for x in (20.0, 40.0)]
    assert log_f[1] > log_f[0] > 0


def test_exponentials_and_gaussians():
    # P = Exp(lp, loc l) inside Q = Exp(lq, loc 0), l >= 0: int_l^inf lp^a e^(-a lp (x - l)) lq^(1-a) e^(-(1-a) lq x) dx
    # = lp^a lq^(1-a) e^((a - 1) lq l) / (a lp - (a - 1) lq) where a lp > (a - 1) lq, infinite otherwise
    lp, lq, loc = 1.0, 1.3, 0.5
    for a in (1.5, 2.0, 4.0):
        log_s = a * math.log(lp) + (1 - a) * math.log(lq) + (a - 1) * lq * loc - math.log(a * lp - (a - 1) * lq)
        _close(renyi(Exponential(lp, loc=loc), Exponential(lq), a), log_s / (a - 1))
    assert renyi(Exponential(1.0, loc=0.5), Exponential(3.0), 3.0) == math.inf  # 3 - 2 * 3 < 0
    _close(chi2(Exponential(2.0, loc=1.0), Exponential(1.0)), 4.0 * math.exp(1.0) / 3.0 - 1.0)
    # exponential against Gaussian: p^a q^(1-a) ~ exp(-a lp x + (a - 1) x^2 / 2) grows; Gaussian against
    # exponential: P charges the half-line below loc where Q has no mass
    for a in (1.0 + 1e-6, 2.0, 5.0):
        assert renyi(Exponential(1.0), Gaussian(0.0, 1.0), a) == math.inf
        assert renyi(Gaussian(0.0, 1.0), Exponential(1.0), a) == math.inf
    assert chi2(Exponential(1.0), MATCHED) == math.inf and chi2(MATCHED, Exponential(1.0)) == math.inf


def test_bounded_laws_inside_unbounded_ones():
    # chi^2(Beta(2, 3) || U(0, 1)) = int p^2 - 1, p = 12 x (1 - x)^2: 144 B(3, 5) - 1 = 144 * 2! 4! / 7! - 1 = 13 / 35
    assert chi2(stats.beta(2, 3), Uniform(0.0, 1.0)) == pytest.approx(13.0 / 35.0, rel=REL)
    # U(a, b) inside N(m, s^2): S = (b - a)^(-alpha) (sqrt(2 pi) s)^(alpha - 1) int_a^b exp(k (x - m)^2) dx
    # with k = (alpha - 1) / (2 s^2), and int_a^b exp(k (x - m)^2) = sqrt(pi / (4 k)) [erfi(sqrt(k) (x - m))]_a^b
    p, q, alpha = Uniform(-1.0, 2.0), Gaussian(0.3, 1.1), 3.0
    with mp.workdps(40):
        a, s, m = mp.mpf(alpha), mp.mpf(q.std), mp.mpf(q.mean)
        k = (a - 1) / (2 * s**2)
        inner = mp.sqrt(mp.pi / (4 * k)) * (mp.erfi(mp.sqrt(k) * (2 - m)) - mp.erfi(mp.sqrt(k) * (-1 - m)))
        log_s = -a * mp.log(3) + (a - 1) * mp.log(mp.sqrt(2 * mp.pi) * s) + mp.log(inner)
    _close(renyi(p, q, alpha), float(log_s / (a - 1)))


def test_laws_of_unknown_tails_are_refused_by_name():
    with pytest.raises(NotImplementedError, match=r"scipy\.stats\.t\(5"):
        renyi(stats.t(5), Gaussian(0.0, 1.0), 2.0)
    with pytest.raises(NotImplementedError, match=r"scipy\.stats\.logistic"):
        chi2(Gaussian(0.0, 1.0), stats.logistic())


def test_finite_laws_on_the_numeric_path():
    p, q = Discrete([0.0, 1.0, 2.0], [0.2, 0.5, 0.3]), Discrete([0.0, 1.0, 2.0], [0.4, 0.4, 0.2])
    direct = 0.2**2 / 0.4 + 0.5**2 / 0.4 + 0.3**2 / 0.2
    assert _numeric("renyi", [p], [q], alpha=2.0)[0] == pytest.approx(math.log(direct), rel=1e-14)
    assert _numeric("chi2", [p], [q])[0] == pytest.approx(direct - 1.0, rel=1e-14)
    assert _numeric("chi2", [p], [Gaussian()])[0] == math.inf
    assert _numeric("chi2", [Discrete([0.0, 3.0], [0.5, 0.5])], [q])[0] == math.inf


def test_curves_and_d2_against_chi2():
    thetas = np.array([-1.0, 0.0, 2.0])
    out = curves(lambda t: Gaussian(t, 1.0), thetas, SKEWED, names=["renyi", "chi2"], alpha=2.0)
    np.testing.assert_allclose(np.log1p(out["chi2"]), out["renyi"], rtol=1e-12)
    np.testing.assert_allclose(out["chi2"], [chi2(SKEWED, Gaussian(t, 1.0)) for t in thetas], rtol=1e-13)


# -- two dimensions: the cubature of renyi_2d ------------------------------------------------
CUBATURE = 1e-6  # stated absolute accuracy of the 2-D numeric path (relative 1e-9 above 1e3)


def _log_gaussian_product_2d(factors):
    """ln int prod_i N(x; m_i, S_i)^(e_i) dx over R^2 (float64): the log integrand is
    -x'Ax/2 + b'x + c with A = sum e_i S_i^-1, b = sum e_i S_i^-1 m_i; inf unless A is positive definite."""
    big_a = sum(e * np.linalg.inv(s) for e, _, s in factors)
    if np.linalg.eigvalsh(big_a)[0] <= 0:
        return math.inf
    b = sum(e * np.linalg.solve(s, m) for e, m, s in factors)
    c = -sum(e * (0.5 * m @ np.linalg.solve(s, m) + 0.5 * np.linalg.slogdet(2 * np.pi * s)[1]) for e, m, s in factors)
    return c + 0.5 * b @ np.linalg.solve(big_a, b) + 0.5 * np.linalg.slogdet(2 * np.pi * np.linalg.inv(big_a))[1]


def _mixture_against_gaussian_2d(p, q, alpha):
    """ln int p^alpha q^(1 - alpha) for a 2-D mixture P and Gaussian Q, alpha an integer (expanded as in 1-D)."""
    w, mu, cov = p.as_mixture()
    terms = []
    for idx in itertools.product(range(w.size), repeat=int(alpha)):
        factors = [(1.0, mu[k], cov[k]) for k in idx] + [(1.0 - alpha, np.asarray(q.mean), q.cov)]
        terms.append(sum(math.log(w[k]) for k in idx) + _log_gaussian_product_2d(factors))
    return math.inf if math.inf in terms else float(np.logaddexp.reduce(terms))


PLANE = GaussianMixture([0.4, 0.6], [[-1.0, 0.0], [1.0, 0.5]], covs=[np.diag([0.5, 0.3]), [[0.6, 0.2], [0.2, 0.4]]])


def test_2d_gaussians_against_the_closed_forms():
    p = Gaussian([0.0, 0.0], cov=[[1.0, 0.3], [0.3, 2.0]])
    for q in (
        Gaussian([1.0, -0.5], cov=[[1.5, -0.2], [-0.2, 1.2]]),
        Gaussian([30.0, 5.0], cov=[[1.2, 0.0], [0.0, 1.0]]),
    ):
        for alpha in (0.4, 2.0, 3.5):
            expected = renyi(p, q, alpha)  # closed form (checked against determinants in test_renyi)
            value = two_d.evaluate("renyi", p, q, alpha=alpha)
            assert value == (math.inf if expected == math.inf else pytest.approx(expected, rel=REL, abs=CUBATURE))
    assert _numeric("chi2", [p], [Gaussian([0.0, 0.0], cov=np.eye(2))])[0] == math.inf  # 2 - 2 < 0 along y


@pytest.mark.parametrize(
    "q", [Gaussian([0.0, 0.2], cov=[[1.5, 0.1], [0.1, 1.0]]), Gaussian([8.0, -3.0], cov=np.eye(2))]
)
def test_2d_mixtures_against_gaussian_integrals(q):
    log_s = _mixture_against_gaussian_2d(PLANE, q, 2.0)
    assert chi2(PLANE, q) == pytest.approx(math.expm1(log_s), rel=REL, abs=CUBATURE)
    assert method("chi2", PLANE, q) == "cubature"
    if q.mean[0] == 0.0:  # and an order 3 for the nearer Gaussian
        log_s = _mixture_against_gaussian_2d(PLANE, q, 3.0)
        assert two_d.evaluate("renyi", PLANE, q, alpha=3.0) == pytest.approx(log_s / 2.0, rel=REL, abs=CUBATURE)


def test_2d_finiteness_in_every_direction():
    # Q a cross of two components, wide along x and along y; P = N(0, I), alpha = 2. Along v the log integrand
    # is -t^2 / 2 (2 - min_j v'G_j v) + O(t): at 45 degrees min_j v'G_j v = (1/4 + 10) / 2 > 2: infinite
    g = Gaussian([0.0, 0.0], cov=np.eye(2))
    cross = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [0.0, 0.0]], covs=[np.diag([4.0, 0.1]), np.diag([0.1, 4.0])])
    assert two_d.evaluate("renyi", g, cross, alpha=2.0) == math.inf
    assert renyi_2d.finite(*(components_2d.components(d) for d in (g, cross)), alpha=0.5)
    # with 1/3 instead of 0.1, (1/4 + 3) / 2 < 2 in every direction: finite, but no single component of Q is
    # wide enough in every direction: refused by the cubature
    cross = GaussianMixture([0.5, 0.5], [[0.0, 0.0], [0.0, 0.0]], covs=[np.diag([4.0, 1 / 3]), np.diag([1 / 3, 4.0])])
    assert renyi_2d.finite(*(components_2d.components(d) for d in (g, cross)), alpha=2.0)
    with pytest.raises(NotImplementedError, match="no single component"):
        two_d.evaluate("renyi", g, cross, alpha=2.0)


@settings(max_examples=25, deadline=None)
@given(gaussians(dim=2), gaussians(dim=2), st.floats(1.05, 6.0))
def test_2d_finiteness_of_gaussians_is_the_closed_form_condition(p, q, alpha):
    # finite iff alpha Sigma_q + (1 - alpha) Sigma_p is positive definite (Gil et al. 2013, Table 2)
    smallest = np.linalg.eigvalsh(alpha * q.cov + (1 - alpha) * p.cov)[0]
    assume(abs(smallest) > 1e-3 * alpha * np.linalg.norm(q.cov, 2))
    assert renyi_2d.finite(components_2d.components(p), components_2d.components(q), alpha) == (smallest > 0)


# -- f_divergence with a custom generator of bounded growth between continuous 1-D laws ----------
def test_custom_generators_of_bounded_growth_between_continuous_laws():
    custom = {name: dataclasses.replace(GENERATORS[name], name=f"my_{name}") for name in ("tv", "hellinger", "js")}
    # Hellinger of Gaussians: 1 - BC, BC = sqrt(2 s_p s_q / (s_p^2 + s_q^2)) e^(-d^2 / (4 (s_p^2 + s_q^2)))
    p, q = Gaussian(0.0, 1.0), Gaussian(1.0, 2.0)
    bc = math.sqrt(2 * 1.0 * 2.0 / 5.0) * math.exp(-1.0 / 20.0)
    assert f_divergence(p, q, custom["hellinger"]) == pytest.approx(1.0 - bc, abs=QUAD)
    # TV of U(0, 1) and U(0.5, 2): 1/2 (1/2 + 1/2 (1 - 2/3) + 1/2 * 2/3) = 2/3, with P(q = 0) = 1/2 at f'(inf) = 1/2
    assert f_divergence(Uniform(0.0, 1.0), Uniform(0.5, 2.0), custom["tv"]) == pytest.approx(2.0 / 3.0, abs=QUAD)
    # JS of an exponential and a Gaussian, against scipy's quadrature of the textbook form
    p, q = Exponential(1.0), Gaussian(0.0, 1.0)

    def js_density(x):
        a, b = float(p.pdf(x)), float(q.pdf(x))
        m = 0.5 * (a + b)
        return 0.5 * sum(t * math.log(t / m) for t in (a, b) if t > 0)

    expected = (
        integrate.quad(js_density, -40.0, 0.0, epsabs=1e-14)[0] + integrate.quad(js_density, 0.0, 60.0, epsabs=1e-14)[0]
    )
    assert f_divergence(p, q, custom["js"]) == pytest.approx(expected, abs=QUAD)
    # mutually singular: f(0) + f'(inf)
    assert f_divergence(Discrete([0.0, 1.0], [0.5, 0.5]), q, custom["tv"]) == 1.0
    with pytest.raises(NotImplementedError, match="finite f\\(0\\)"):  # KL-like: f'(inf) = inf
        f_divergence(p, q, dataclasses.replace(GENERATORS["kl"], name="my_kl"))


@settings(max_examples=25, deadline=None)
@given(gaussian_mixtures(max_components=3), gaussians())
def test_chi2_of_mixtures_against_gaussians_and_its_finiteness(p, q):
    # chi2 + 1 = int p^2 / q expanded over pairs of components: Gaussian integrals, each infinite unless
    # 1 / s_k^2 + 1 / s_l^2 - 1 / s_q^2 > 0 (the oracle decides finiteness on its own)
    widest = float(p.features()[1].max())
    assume(abs(2 * q.std**2 - widest**2) > 1e-3 * q.std**2)  # the numeric path refuses the boundary's edge
    log_s = float(_mixture_against_gaussian(p, q, 2.0))
    value = chi2(p, q)
    assert value == (math.inf if log_s > 709.7 else pytest.approx(math.expm1(log_s), rel=REL, abs=ABS))
