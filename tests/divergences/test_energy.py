"""The energy distance: closed forms against independent computations, the numeric path, and its properties.

Oracles: ``scipy.integrate.quad`` of :math:`2\\int(F_P - F_Q)^2` (the 1-D identity of Székely and
Rizzo 2013, Sec. 2), split at the laws' structure (:func:`tests.divergences.oracles.quad_line`);
mpmath at 40 digits for nearly equal laws and the parallel lines; ``scipy.stats.energy_distance``
(which returns the square root) for finite laws; scipy's noncentral chi-squared law for the
isotropic Gaussian form; a seeded Monte Carlo mean of
:math:`2\\|X - Y\\| - \\|X - X'\\| - \\|Y - Y'\\|` over independent draws, within 5 of its standard
errors, in 2-D. Tolerances are the stated accuracies: 1e-9 (times the pair's scale) for the 1-D
numeric path, 1e-12 relative for the closed forms.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath import mp
from scipy import integrate, stats

from divergences import curves, energy, w1
from divergences.closed_forms.energy import norm_mean
from divergences.evaluate import evaluate, method
from divergences.numeric.energy import triangular_mean
from divergences.numeric.panels import scale_of
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, SmoothedLine, Uniform
from toys.strategies import (
    continuous_1d,
    discrete_pairs,
    discretes,
    exponentials,
    gaussian_mixtures,
    gaussians,
    scales,
    seeds,
    shifts,
    uniforms,
)

from .oracles import quad_line, scaled, shifted

QUAD = 1e-9  # stated accuracy of the 1-D numeric path, in units of the pair's scale
REL = 1e-12  # closed forms: rounding of a few terms of one sign


def numeric(p, q):
    """The numeric path alone (no closed form)."""
    return float(evaluate(["energy"], [p], [q], closed_forms=False)["energy"][0])


def cramer(p, q):
    """2 * integral of (F_P - F_Q)^2 by scipy's quad, split at the laws' structure."""
    return 2.0 * quad_line(lambda x: float(p.cdf(x) - q.cdf(x)) ** 2, [p, q])


def unit(p, q):
    """The scale the numeric path's accuracy is stated in (at least 1 here)."""
    return max(1.0, scale_of(p), scale_of(q))


def _mp_cramer(cdf_p, cdf_q, points):
    """2 * integral of (F_P - F_Q)^2 at 40 digits, split at ``points`` (mpmath callables)."""
    with mp.workdps(40):
        return float(2 * mp.quad(lambda x: (cdf_p(x) - cdf_q(x)) ** 2, [-mp.inf, *points, mp.inf]))


# -- closed forms --------------------------------------------------------------------------------
@pytest.mark.parametrize(("m", "s", "t"), [(1.0, 1.0, 2.0), (1e-9, 1.0, 1.0), (0.0, 1.0, 1.0 + 1e-8), (-7.0, 0.2, 5.0)])
def test_gaussians_against_mpmath(m, s, t):
    # nearly equal laws included: the closed form is two terms of one sign, no cancellation
    with mp.workdps(40):
        ref = _mp_cramer(lambda x: mp.ncdf(x, 0, s), lambda x: mp.ncdf(x, mp.mpf(m), t), [0, m])
    assert energy(Gaussian(0.0, s), Gaussian(m, t)) == pytest.approx(ref, rel=REL)


def test_nearly_equal_laws_keep_their_small_value():
    # first orders of 2 int (F - G)^2: a shift h of N(0, 1) gives 2 h^2 int phi^2 = h^2 / sqrt(pi);
    # a scale 1 + h gives 2 h^2 int x^2 phi^2 = h^2 / (2 sqrt(pi)); rates 1 and 1 + h of the
    # exponential give 2 h^2 int x^2 e^(-2x) = h^2 / 2; a shift e of U(0, 1) gives 2 e^2 - 2 e^3 / 3
    h = 1e-10
    assert energy(Gaussian(0.0, 1.0), Gaussian(h, 1.0)) == pytest.approx(h * h / math.sqrt(math.pi), rel=1e-9)
    h = 1e-8
    expected = h * h / (2 * math.sqrt(math.pi))
    assert energy(Gaussian(0.0, 1.0), Gaussian(0.0, 1.0 + h)) == pytest.approx(expected, rel=1e-6)
    assert energy(Exponential(1.0), Exponential(1.0 + h)) == pytest.approx(h * h / 2, rel=1e-6)
    e = 2.0**-30
    assert energy(Uniform(0.0, 1.0), Uniform(e, 1.0 + e)) == pytest.approx(2 * e * e - 2 * e**3 / 3, rel=REL)


def test_exponentials_against_mpmath():
    # a small shift exercises the series of phi(u) = int_0^u (1 - e^-s)^2 ds, a larger one its closed form
    for rate_p, rate_q, shift in [(1.0, 1.5, 1e-3), (2.0, 0.5, 0.3), (0.7, 0.7, 2.0)]:
        with mp.workdps(40):

            def cdf(rate, loc):
                return lambda x: 1 - mp.exp(-rate * (x - loc)) if x > loc else mp.mpf(0)

            ref = _mp_cramer(cdf(mp.mpf(rate_p), 0), cdf(mp.mpf(rate_q), mp.mpf(shift)), [0, shift, shift + 1])
        value = energy(Exponential(rate_p), Exponential(rate_q, loc=shift))
        assert value == pytest.approx(ref, rel=REL)


FAMILY_PAIRS = {
    "gaussian": (gaussians(), gaussians()),
    "mixture": (gaussian_mixtures(), st.one_of(gaussian_mixtures(), gaussians())),
    "with atoms": (st.one_of(gaussian_mixtures(), gaussians()), discretes()),
    "uniform": (uniforms(), uniforms()),
    "exponential": (exponentials(), exponentials()),
}


@settings(max_examples=5, deadline=None)
@pytest.mark.parametrize("family", FAMILY_PAIRS)
@given(data=st.data())
def test_closed_forms_are_twice_the_integral_of_the_squared_gap(family, data):
    p, q = (data.draw(s) for s in FAMILY_PAIRS[family])
    assert method("energy", p, q) == "closed form"
    assert energy(p, q) == pytest.approx(cramer(p, q), rel=REL, abs=1e-12 * unit(p, q))


@settings(max_examples=25, deadline=None)
@given(discrete_pairs())
def test_finite_laws_are_scipy_energy_distance_squared(pair):
    p, q = pair
    # scipy.stats.energy_distance returns sqrt(2 int (F - G)^2)
    expected = stats.energy_distance(p.atoms, q.atoms, p.probs, q.probs) ** 2
    assert energy(p, q) == pytest.approx(expected, rel=REL, abs=1e-14)


@pytest.mark.parametrize("t", [1e-9, 1e-3, 0.3, 1.0, 7.0, 1e4])
def test_parallel_lines_against_mpmath(t):
    # X - Y = (t, U - V), U - V triangular on [-1, 1]: E = 2 E|X - Y| - 2 E|U - U'| with E|U - U'| = 1/3,
    # = 4 int_0^1 (1 - w)(sqrt(t^2 + w^2) - w) dw, integrated at 40 digits in the form without cancellation
    with mp.workdps(40):
        t_ = mp.mpf(t)
        ref = 4 * t_**2 * mp.quad(lambda w: (1 - w) / (mp.sqrt(t_**2 + w**2) + w), [0, min(t_, 1), 1])
        direct = 2 * mp.quad(lambda w: (1 - abs(w)) * mp.sqrt(t_**2 + w**2), [-1, 0, 1]) - mp.mpf(2) / 3
    value = energy(ShiftedLine(0.25), ShiftedLine(0.25 + t))
    assert value == pytest.approx(float(ref), rel=1e-13)
    if t >= 1e-3:  # the definition itself, where its cancellation leaves 40 digits enough
        assert value == pytest.approx(float(direct), rel=1e-12)
    assert value < 2 * w1(ShiftedLine(0.25), ShiftedLine(0.25 + t))  # E <= 2 W1 for every pair


@pytest.mark.parametrize("dim", [2, 3, 5])
def test_isotropic_norm_mean_against_the_noncentral_chi2_law(dim):
    # E||Delta + sZ|| = s int_0^inf P(chi'^2_dim(r^2 / s^2) > x^2) dx with scipy's noncentral chi-squared law
    for r, s in [(0.0, 1.0), (1e-4, 1.0), (0.3, 2.0), (3.0, 0.5), (40.0, 1.0)]:
        tail = integrate.quad(
            lambda x, lam=(r / s) ** 2: stats.ncx2.sf(x * x, dim, lam), 0, np.inf, epsabs=1e-13, epsrel=1e-12
        )[0]
        assert float(norm_mean(r, s, dim)) == pytest.approx(s * tail, rel=1e-10)


# -- the numeric path --------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(st.one_of(continuous_1d(), discretes()), continuous_1d())
def test_the_numeric_path_is_twice_the_integral_of_the_squared_gap(p, q):
    expected = energy(p, q) if method("energy", p, q) == "closed form" else cramer(p, q)
    assert numeric(p, q) == pytest.approx(expected, abs=QUAD * unit(p, q))


def test_numeric_pairs_without_closed_forms():
    t5, logistic = stats.t(5), stats.logistic(loc=1.0, scale=0.7)
    pairs = [(Exponential(1.0, loc=-0.5), Gaussian(0.3, 1.2), [-0.5]), (t5, Gaussian(0.0, 1.0), [0.0])]
    for p, q, cuts in [*pairs, (logistic, Uniform(0, 2), [0.0, 2.0])]:
        assert method("energy", p, q) == "quadrature"
        edges = [-np.inf, *cuts, np.inf]  # split where a CDF has a kink

        def gap(x, p=p, q=q):
            return (p.cdf(x) - q.cdf(x)) ** 2

        ref = 2 * sum(integrate.quad(gap, a, b, epsabs=1e-13, limit=400)[0] for a, b in zip(edges[:-1], edges[1:]))
        assert energy(p, q) == pytest.approx(ref, abs=QUAD)
    # windows apart: 2 |E Q - E P| - E|X - X'| - E|Y - Y'|, with E|X - X'| = 2 s for a logistic law of
    # scale s (its F (1 - F) is s times its density) and 2 sigma / sqrt(pi) for a normal one
    far = Gaussian(200.0, 2.0)
    assert energy(logistic, far) == pytest.approx(2 * 199.0 - 2 * 0.7 - 4 / math.sqrt(math.pi), abs=QUAD * 2)
    assert numeric(Gaussian(0.0, 1.0), far) == pytest.approx(energy(Gaussian(0.0, 1.0), far), abs=QUAD * 2)


def test_mixtures_far_apart_cancel_exactly_or_go_to_the_quadrature():
    # E(P, Q) = -int int |x - y| d(P - Q)(x) d(P - Q)(y), a quadratic form in P - Q. With two groups of
    # components 1e5 apart, each group of P - Q of mass 0, the cross terms vanish (|x - y| = y - x
    # between the groups): E = (E(A1, B1) + E(A2, B2)) / 4 for P = (A1 + A2) / 2, Q = (B1 + B2) / 2.
    a1, a2, b1, b2 = Gaussian(0.0, 1.0), Gaussian(1e5, 1.0), Gaussian(0.0, 1.2), Gaussian(1e5, 1.5)

    def halves(x, y):
        return GaussianMixture([0.5, 0.5], [x.mean, y.mean], stds=[x.std, y.std])

    # a component shared by both laws is merged away: the signed sum is left with terms of size 1
    p, q = halves(a1, a2), halves(a1, b2)
    assert method("energy", p, q) == "closed form"
    assert energy(p, q) == pytest.approx(energy(a2, b2) / 4, rel=1e-9)
    # none shared: the sum would cancel terms of 1e5 beyond its accuracy, and the quadrature computes it
    p, q = halves(a1, a2), halves(b1, b2)
    assert method("energy", p, q) == "quadrature"
    assert energy(p, q) == pytest.approx((energy(a1, b1) + energy(a2, b2)) / 4, abs=QUAD * 2)


def test_many_atoms_go_to_the_quadrature():
    rng = np.random.default_rng(3)
    atoms, probs = np.sort(rng.uniform(-4, 4, 1200)), rng.uniform(0.1, 1.0, 1200)
    d, g = Discrete(atoms, probs / probs.sum()), Gaussian(0.5, 1.3)
    assert method("energy", d, g) == "quadrature"
    # 2 E|X - Y| - E|X - X'| - E|Y - Y'|: the first a sum of folded-normal means, the second
    # 2 * sum F (1 - F) over the gaps between atoms, the third 2 sigma / sqrt(pi)
    cross = np.sum(d.probs * norm_mean(d.atoms - g.mean, g.std))
    f = np.cumsum(d.probs)[:-1]
    within = 2 * np.sum(f * (1 - f) * np.diff(d.atoms))
    assert energy(d, g) == pytest.approx(2 * cross - within - 2 * 1.3 / math.sqrt(math.pi), abs=1e-12)


def test_scipy_energy_distance_on_samples():
    # scipy's value squared is the V-statistic; removing the diagonal of the within-sample means makes
    # it the U-statistic, unbiased, whose variance is at most that of the mean of the n/2 independent
    # terms 2|x - y| - |x - x'| - |y - y'| formed from the same samples (it is their Rao-Blackwellisation)
    p, q = GaussianMixture([0.3, 0.7], [-1.0, 1.0], stds=[0.5, 1.0]), Exponential(1.0, loc=-1.0)  # numeric path
    rng, n = np.random.default_rng(5), 200_000
    x, y = p.sample(n, rng=rng), q.sample(n, rng=rng)

    def within(z):  # mean of |z_i - z_j| over all n^2 ordered pairs, from the sorted sample
        z, k = np.sort(z), np.arange(1, n + 1)
        return 2 * np.sum((2 * k - n - 1) * z) / n**2

    u = stats.energy_distance(x, y) ** 2 - (within(x) + within(y)) / (n - 1)
    h = 2 * np.abs(x[::2] - y[::2]) - np.abs(x[::2] - x[1::2]) - np.abs(y[::2] - y[1::2])
    assert abs(u - energy(p, q)) < 5 * h.std() / math.sqrt(n / 2)


# -- two dimensions ----------------------------------------------------------------------------------
@pytest.mark.parametrize("t", [0.0, 0.01, 0.5, 3.0])
def test_projections_give_the_parallel_lines(t):
    # the lines' projections are uniforms: (1/2) int_0^pi of their energy is the closed form
    p, q = ShiftedLine(0.0), ShiftedLine(t)
    assert numeric(p, q) == pytest.approx(energy(p, q), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("seed", [0, 1])
def test_projections_give_the_isotropic_closed_form(seed):
    rng = np.random.default_rng(seed)

    def mixture(k):
        w = rng.uniform(0.2, 1.0, k)
        return GaussianMixture(w / w.sum(), rng.normal(0, 2, (k, 2)), stds=rng.uniform(0.3, 2.0, k))

    p, q = mixture(3), mixture(2)
    assert method("energy", p, q) == "closed form"
    assert numeric(p, q) == pytest.approx(energy(p, q), abs=1e-12)
    g, h = Gaussian([0.0, 1.0], std=0.5), Gaussian([2.0, -1.0], std=1.5)
    assert numeric(g, h) == pytest.approx(energy(g, h), rel=1e-12)


def test_2d_gaussians_against_monte_carlo():
    p = Gaussian([0.0, 0.0], cov=[[1.0, 0.3], [0.3, 0.5]])
    q = Gaussian([1.0, 0.5], cov=[[2.0, -0.4], [-0.4, 1.0]])
    assert method("energy", p, q) == "cubature"
    # unbiased: the mean over n independent quadruples (X, X', Y, Y') of 2|X - Y| - |X - X'| - |Y - Y'|
    rng, n = np.random.default_rng(11), 100_000
    x, x2, y, y2 = p.sample(n, rng=rng), p.sample(n, rng=rng), q.sample(n, rng=rng), q.sample(n, rng=rng)
    h = 2 * np.linalg.norm(x - y, axis=1) - np.linalg.norm(x - x2, axis=1) - np.linalg.norm(y - y2, axis=1)
    assert abs(energy(p, q) - h.mean()) < 5 * h.std() / math.sqrt(n)


def test_2d_gaussians_with_a_thin_coordinate_are_the_1d_pair():
    # |(a, b)| - |a| <= b^2 / (2|a|): with the second coordinates N(0, eps^2) the 2-D value differs
    # from the 1-D one by O(eps) at most; at eps = 1e-7 that is far below 1e-6
    eps = 1e-7
    p = Gaussian([0.0, 0.0], cov=[[1.0, 0.0], [0.0, eps**2]])
    q = Gaussian([0.7, 0.0], cov=[[2.25, 0.0], [0.0, (2 * eps) ** 2]])
    assert energy(p, q) == pytest.approx(energy(Gaussian(0.0, 1.0), Gaussian(0.7, 1.5)), abs=1e-6)


def test_2d_rotation_and_translation_invariance():
    p = GaussianMixture([0.4, 0.6], [[0.0, 0.0], [2.0, 1.0]], covs=[[[1.0, 0.5], [0.5, 1.0]], np.eye(2)])
    q = Gaussian([1.0, -1.0], cov=[[2.0, 0.3], [0.3, 0.4]])
    c, s = math.cos(0.7), math.sin(0.7)
    r, shift = np.array([[c, -s], [s, c]]), np.array([3.0, -2.0])
    w, m, cov = p.as_mixture()
    p2 = GaussianMixture(w, m @ r.T + shift, covs=r @ cov @ r.T)
    q2 = Gaussian(r @ q.mean + shift, cov=r @ q.cov @ r.T)
    assert energy(p2, q2) == pytest.approx(energy(p, q), abs=1e-9)


def testtriangular_mean_against_quad():
    # E|c + wW + sN| = int_{-1}^{1} (1 - |x|) E|c + wx + sN| dx, the inner mean a folded normal's
    for c, w, s in [(0.0, 1.0, 0.1), (0.3, 1.0, 1e-3), (2.0, 0.5, 1.0), (0.2, 1e-3, 1.0), (1.0, 0.05, 3.0)]:
        edges = sorted({-1.0, 0.0, 1.0, *([-c / w] if c < w else [])})

        def integrand(x, c=c, w=w, s=s):
            return (1 - abs(x)) * float(norm_mean(c + w * x, s))

        pieces = zip(edges[:-1], edges[1:])
        ref = sum(integrate.quad(integrand, a, b, epsabs=1e-15, epsrel=1e-13)[0] for a, b in pieces)
        assert float(triangular_mean(c, w, s)) == pytest.approx(ref, rel=1e-11)


def test_smoothed_lines():
    p, q = SmoothedLine(0.0, 0.3), SmoothedLine(0.5, 0.2)
    assert method("energy", p, q) == "cubature"
    rng, n = np.random.default_rng(4), 100_000
    x, x2, y, y2 = p.sample(n, rng=rng), p.sample(n, rng=rng), q.sample(n, rng=rng), q.sample(n, rng=rng)
    h = 2 * np.linalg.norm(x - y, axis=1) - np.linalg.norm(x - x2, axis=1) - np.linalg.norm(y - y2, axis=1)
    assert abs(energy(p, q) - h.mean()) < 5 * h.std() / math.sqrt(n)
    # as sigma -> 0 the lines: each of the three means moves by at most sqrt(2) sigma E|N| < 1.2 sigma
    sigma = 1e-6
    limit = energy(ShiftedLine(0.0), ShiftedLine(0.5))
    assert energy(SmoothedLine(0.0, sigma), SmoothedLine(0.5, sigma)) == pytest.approx(limit, abs=5 * sigma)
    assert energy(ShiftedLine(0.5), SmoothedLine(0.0, sigma)) == pytest.approx(limit, abs=5 * sigma)
    assert energy(SmoothedLine(1.0, 0.4), SmoothedLine(1.0, 0.4)) == 0.0


# -- properties ------------------------------------------------------------------------------------------
LAWS_1D = st.one_of(continuous_1d(), discretes())


@settings(max_examples=25, deadline=None)
@given(LAWS_1D, LAWS_1D, shifts(), scales())
def test_symmetric_zero_on_the_diagonal_translation_invariant_and_of_degree_one(p, q, a, s):
    value = energy(p, q)
    assert value >= 0.0 and energy(p, p) == 0.0
    assert energy(q, p) == pytest.approx(value, abs=2 * QUAD * unit(p, q))
    assert energy(shifted(p, a), shifted(q, a)) == pytest.approx(value, abs=2 * QUAD * unit(p, q))
    if s < 0 and any(isinstance(d, Exponential) for d in (p, q)):
        s = -s  # an exponential reflected is not an exponential toy
    moved = energy(scaled(p, s), scaled(q, s))
    assert moved == pytest.approx(abs(s) * value, abs=2 * QUAD * unit(p, q) * max(1.0, abs(s)))


@settings(max_examples=5, deadline=None)
@given(seeds())
def test_curves_give_the_scalar_values(seed):
    rng = np.random.default_rng(seed)
    reference = GaussianMixture([0.3, 0.7], rng.normal(size=2), stds=rng.uniform(0.3, 2.0, 2))
    thetas = np.sort(rng.uniform(-3.0, 3.0, 5))
    out = curves(lambda t: Exponential(1.5, loc=t), thetas, reference, names=["energy"])  # numeric, vectorised
    expected = [energy(reference, Exponential(1.5, loc=t)) for t in thetas]
    np.testing.assert_allclose(out["energy"], expected, rtol=0, atol=1e-12)


# -- what is refused ---------------------------------------------------------------------------------------
def test_bad_input_and_pairs_without_a_path():
    with pytest.raises(TypeError, match="p must be a toy"):
        energy("N(0, 1)", Gaussian())
    with pytest.raises(ValueError, match="same dimension"):
        energy(Gaussian(), Gaussian([0.0, 0.0]))
    with pytest.raises(NotImplementedError, match="3 dimensions"):
        energy(Gaussian([0, 0, 0], cov=np.diag([1.0, 2.0, 3.0])), Gaussian([1, 0, 0]))
    with pytest.raises(NotImplementedError, match="2-D numeric path covers Gaussians"):
        method("energy", SmoothedLine(0.0, 0.5), Gaussian([0.0, 0.0]))
    # isotropic Gaussians have a closed form in any dimension
    assert method("energy", Gaussian([0, 0, 0], std=2.0), Gaussian([1, 0, 0])) == "closed form"
    assert energy(Bernoulli(0.3), Bernoulli(0.3)) == 0.0
