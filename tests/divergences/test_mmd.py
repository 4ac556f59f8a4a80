"""The squared MMD with the Gaussian kernel: closed forms and the numeric path against independent computations.

Oracles: the textbook determinant form of the Gaussian cross terms at 40 digits (mpmath), for
the toolkit's two-terms-of-one-sign form and its mixture sums; a tensor Gauss-Legendre rule of
E k(X, Y) over the two laws' densities (numpy's ``leggauss`` on panels split at the support
ends, atoms summed), for the 1-D closed forms and the numeric path; ``scipy.integrate`` over the
segments of the parallel lines; the U-statistic of :func:`divergences.empirical.mmd` on seeded
samples within five of its standard errors, estimated from the same kernel matrices.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mpmath import mp
from scipy import integrate, stats

from divergences import curves, empirical, mmd, tv, w1
from divergences.evaluate import evaluate, method
from divergences.numeric import mmd as mmd_numeric
from toys import Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, SmoothedLine, Uniform
from toys.base import DiscreteDistribution
from toys.strategies import FAMILIES, gaussian_mixtures, gaussians, law_tuples, scales, shifts

from .oracles import scaled, shifted

QUAD = 1e-9  # stated accuracy of the numeric path (MMD^2 is unitless)
CLOSED = 1e-15  # stated absolute accuracy of the closed forms, with a few ulps of headroom below
BANDWIDTHS = st.floats(0.3, 3.0)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


# -- oracles -------------------------------------------------------------------------------------
def _mp_mmd(p, q, h):
    """MMD^2 of Gaussians or mixtures from the determinant form of each cross term, at 40 digits."""

    def parts(d):
        w, m, c = d.as_mixture()
        return [(mp.mpf(float(wk)), mp.matrix(mk.tolist()), mp.matrix(ck.tolist())) for wk, mk, ck in zip(w, m, c)]

    def cross(a, b):
        total = mp.mpf(0)
        for wa, ma, ca in a:
            for wb, mb, cb in b:
                s = ca + cb + h * h * mp.eye(ca.rows)
                delta = ma - mb
                quad_form = (delta.T * mp.inverse(s) * delta)[0]
                total += wa * wb * mp.mpf(h) ** ca.rows / mp.sqrt(mp.det(s)) * mp.exp(-quad_form / 2)
        return total

    with mp.workdps(40):
        a, b = parts(p), parts(q)
        return float(cross(a, a) + cross(b, b) - 2 * cross(a, b))


def _rule(law, h):
    """Nodes and weights of E_law f: the atoms, or 16-point Gauss-Legendre on panels no wider than
    min(h, the law's scale) over its support (Gaussians +- 12 sd, exponentials 40 / rate)."""
    if isinstance(law, DiscreteDistribution):
        return law.atoms, law.probs
    if isinstance(law, Uniform):
        lo, hi, scale = law.low, law.high, law.width
    elif isinstance(law, Exponential):
        lo, hi, scale = law.loc, law.loc + 40.0 / law.rate, 1.0 / law.rate
    elif isinstance(law, (Gaussian, GaussianMixture)):
        _, m, c = law.as_mixture()
        sd = np.sqrt(c[:, 0, 0])
        lo, hi, scale = float(np.min(m[:, 0] - 12 * sd)), float(np.max(m[:, 0] + 12 * sd)), float(sd.min())
    else:  # a frozen scipy.stats law
        lo, hi, scale = float(law.ppf(1e-17)), float(law.isf(1e-17)), float(law.std())
    n = math.ceil((hi - lo) / min(h, scale))
    edges = np.linspace(lo, hi, n + 1)
    half, mid = 0.5 * np.diff(edges), 0.5 * (edges[1:] + edges[:-1])
    x = (mid[:, None] + half[:, None] * _GL_X).ravel()
    return x, (half[:, None] * _GL_W).ravel() * law.pdf(x)


def _gl_mmd(p, q, h):
    """MMD^2 from the tensor rules of the two laws (absolute error ~1e-14 for these laws)."""

    def cross(a, b):
        (x, wx), (y, wy) = a, b
        return wx @ np.exp(-0.5 * ((x[:, None] - y[None, :]) / h) ** 2) @ wy

    a, b = _rule(p, h), _rule(q, h)
    return cross(a, a) + cross(b, b) - 2 * cross(a, b)


def _u_statistic_and_error(p, q, h, n, seed):
    """The U-statistic of empirical.mmd on n draws of each law, and its first-order standard error."""
    rng = np.random.default_rng(seed)
    x, y = p.sample(n, rng), q.sample(n, rng)

    def gram(a, b):
        return np.exp(-0.5 * np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1) / h**2)

    kxx, kyy, kxy = gram(x, x), gram(y, y), gram(x, y)
    # Var U ~ 4 Var(E[k(X, X') - k(X, Y) | X]) / n + the same for Y (Hoeffding's decomposition)
    a = (kxx.sum(1) - 1.0) / (n - 1) - kxy.mean(1)
    b = (kyy.sum(1) - 1.0) / (n - 1) - kxy.mean(0)
    return empirical.mmd(x, y, bandwidth=h), math.sqrt(4 * a.var() / n + 4 * b.var() / n)


def _lines_mp(t1, t2, h):
    """MMD^2 of ShiftedLine(t1) and ShiftedLine(t2) from the double integrals over the segments."""

    def cross(a, b):
        return integrate.dblquad(lambda v, u: math.exp(-((a - b) ** 2 + (u - v) ** 2) / (2 * h * h)), 0, 1, 0, 1,
                                 epsabs=1e-14, epsrel=1e-13)[0]  # fmt: skip

    return cross(t1, t1) + cross(t2, t2) - 2 * cross(t1, t2)


# -- closed forms --------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(gaussians(), gaussians(), BANDWIDTHS)
def test_gaussians_1d_against_the_determinant_form(p, q, h):
    assert method("mmd", p, q, kernel="gaussian", bandwidth=h) == "closed form"
    assert mmd(p, q, bandwidth=h) == pytest.approx(_mp_mmd(p, q, h), rel=1e-12, abs=CLOSED)


@settings(max_examples=15, deadline=None)
@given(gaussians(dim=3), gaussians(dim=3), BANDWIDTHS)
def test_gaussians_3d_against_the_determinant_form(p, q, h):
    assert mmd(p, q, bandwidth=h) == pytest.approx(_mp_mmd(p, q, h), rel=1e-10, abs=CLOSED)


@settings(max_examples=10, deadline=None)
@given(gaussian_mixtures(dim=2), st.one_of(gaussians(dim=2), gaussian_mixtures(dim=2)), BANDWIDTHS)
def test_mixtures_2d_against_the_determinant_form(p, q, h):
    assert mmd(p, q, bandwidth=h) == pytest.approx(_mp_mmd(p, q, h), abs=CLOSED)


def test_nearly_equal_gaussians_keep_their_small_value():
    # the three terms cancel to 1e-17; the form of two terms of one sign keeps 12 digits
    p3 = Gaussian([0.0, 0.0, 1.0], cov=np.diag([1.0, 2.0, 3.0]))
    q3 = Gaussian([1e-7, 0.0, 1.0], cov=np.diag([1.0, 2.0, 3.0 + 1e-7]))
    cases = [
        (Gaussian(0.0, 1.0), Gaussian(1e-8, 1.0), 1.0),
        (Gaussian(0.0, 1.0), Gaussian(0.0, 1.0 + 1e-8), 0.5),
        (p3, q3, 2.0),
    ]
    for p, q, h in cases:
        value = mmd(p, q, bandwidth=h)
        assert 0.0 < value < 1e-13
        assert value == pytest.approx(_mp_mmd(p, q, h), rel=1e-9)


PAIRS_1D = [
    (Uniform(0.0, 1.0), Gaussian(0.3, 0.5)),
    (Uniform(0.0, 1.0), Uniform(0.5, 3.0)),
    (Uniform(-1.0, 2.0), Discrete([0.0, 1.0, 3.0], [0.2, 0.3, 0.5])),
    (Exponential(2.0, loc=0.1), GaussianMixture([0.4, 0.6], [0.0, 2.0], stds=[1.0, 0.5])),
    (Exponential(2.0, loc=0.1), Exponential(0.7, loc=-0.5)),
    (Exponential(1.5, loc=-1.0), Discrete([-1.0, 0.5], [0.5, 0.5])),
    (Discrete([0.0, 1.0, 3.0], [0.2, 0.3, 0.5]), GaussianMixture([0.5, 0.5], [0.0, 1.0], stds=[0.3, 2.0])),
]


@pytest.mark.parametrize("h", [0.4, 1.7])
@pytest.mark.parametrize(("p", "q"), PAIRS_1D, ids=lambda d: type(d).__name__)
def test_1d_closed_forms_against_gauss_legendre(p, q, h):
    assert method("mmd", p, q, kernel="gaussian", bandwidth=h) == "closed form"
    assert mmd(p, q, bandwidth=h) == pytest.approx(_gl_mmd(p, q, h), abs=1e-13)


def _mp_uniform_terms(h):
    """E k between two uniforms and between a uniform and a Gaussian, at 40 digits (mpmath)."""

    def g(t):  # G'' = exp(-t^2 / 2)
        return mp.sqrt(2 * mp.pi) * (t * mp.ncdf(t) + mp.npdf(t))

    def uniforms(a, b, c, d):
        a, b, c, d = map(mp.mpf, (a, b, c, d))
        return h * h / ((b - a) * (d - c)) * (g((b - c) / h) - g((b - d) / h) - g((a - c) / h) + g((a - d) / h))

    def uniform_gaussian(a, b, m, sd):
        s = mp.sqrt(mp.mpf(sd) ** 2 + h * h)
        return h / mp.mpf(b - a) * mp.sqrt(2 * mp.pi) * (mp.ncdf((b - m) / s) - mp.ncdf((a - m) / s))

    return uniforms, uniform_gaussian


@pytest.mark.parametrize("h", [0.01, 0.3, 3.0, 100.0, 1e5])
def test_uniform_forms_against_mpmath_over_bandwidths(h):
    # narrow and wide kernels: the second differences and the short Phi intervals keep their digits
    with mp.workdps(40):
        h = mp.mpf(h)
        uniforms, uniform_gaussian = _mp_uniform_terms(h)
        for a, b, c, d in [(0.0, 1.0, 5.0, 6.0), (0.0, 0.2, 0.0, 10.0), (0.0, 1.0, 1e-6, 1.0), (-3.0, 2.0, -1.0, 0.5)]:
            both = uniforms(a, b, a, b) + uniforms(c, d, c, d) - 2 * uniforms(a, b, c, d)
            assert mmd(Uniform(a, b), Uniform(c, d), bandwidth=float(h)) == pytest.approx(float(both), abs=1e-14)
            gauss = uniforms(a, b, a, b) + h / mp.sqrt(2 * (d - c) ** 2 + h * h) - 2 * uniform_gaussian(a, b, c, d - c)
            assert mmd(Uniform(a, b), Gaussian(c, d - c), bandwidth=float(h)) == pytest.approx(float(gauss), abs=1e-14)


def test_uniforms_for_a_wide_kernel_follow_the_series():
    # k = 1 - |x - y|^2 / (2 h^2) + O(h^-4), so h^2 MMD^2 = |E X - E Y|^2 + O(h^-2): the second
    # differences of G must not lose the digits of a value of 6e-10
    h, a = 1e4, 0.25
    assert mmd(Uniform(0.0, 1.0), Uniform(a, 1.0 + a), bandwidth=h) * h * h == pytest.approx(a * a, rel=1e-5)


def test_parallel_lines_against_the_double_integral_and_continuous_at_zero():
    h = 0.8
    for t in (0.0, 0.3, 2.0):
        assert mmd(ShiftedLine(0.1), ShiftedLine(0.1 + t), bandwidth=h) == pytest.approx(
            _lines_mp(0.1, 0.1 + t, h), abs=1e-13
        )
    # MMD^2 = 2 Y (1 - e^(-theta^2 / (2 h^2))) ~ Y theta^2 / h^2: continuous at 0, where TV jumps to 1
    with mp.workdps(40):
        y = float(2 * mp.quad(lambda d: (1 - d) * mp.exp(-d * d / (2 * mp.mpf(h) ** 2)), [0, 1]))
    for t in (1e-3, 1e-6, 1e-9):
        assert mmd(ShiftedLine(0.0), ShiftedLine(t), bandwidth=h) == pytest.approx(y * t * t / h**2, rel=1e-6)
        assert tv(ShiftedLine(0.0), ShiftedLine(t)) == 1.0


def test_smoothed_lines_against_the_integrals_over_the_segments():
    # each point of a segment blurred by N(0, s^2 I) is a Gaussian: integrate the Gaussian cross
    # terms (checked above against mpmath) over the segments
    h = 0.6
    p, q, g = SmoothedLine(0.5, 0.3), SmoothedLine(-0.2, 0.1), Gaussian([0.2, 0.4], cov=[[1.0, 0.3], [0.3, 0.5]])

    def point(line, u):
        return Gaussian([line.theta, u], std=line.sigma)

    def cross(a, b):
        return integrate.dblquad(lambda v, u: mmd_cross(point(a, u), point(b, v), h), 0, 1, 0, 1, epsabs=1e-13)[0]

    def with_gaussian(a):
        return integrate.quad(lambda u: mmd_cross(point(a, u), g, h), 0, 1, epsabs=1e-14)[0]

    gg = mmd_cross(g, g, h)
    assert mmd(p, q, bandwidth=h) == pytest.approx(cross(p, p) + cross(q, q) - 2 * cross(p, q), abs=1e-12)
    assert mmd(p, g, bandwidth=h) == pytest.approx(cross(p, p) + gg - 2 * with_gaussian(p), abs=1e-12)
    # equal smoothing: the x-parts differ by a shift, 2 C(0) (1 - exp(-dtheta^2 / (2 (h^2 + 2 s^2))))
    r, s = SmoothedLine(0.9, 0.3), math.sqrt(h * h + 2 * 0.09)
    assert mmd(p, r, bandwidth=h) == pytest.approx(2 * cross(p, p) * -math.expm1(-0.08 / s**2), rel=1e-10)


def mmd_cross(a, b, h):
    """E k(X, Y) of two Gaussians from the textbook form (float), for the integrals over segments."""
    s = a.cov + b.cov + h * h * np.eye(2)
    delta = a.mean - b.mean
    return h * h / math.sqrt(np.linalg.det(s)) * math.exp(-0.5 * delta @ np.linalg.solve(s, delta))


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (ShiftedLine(0.0), GaussianMixture([0.5, 0.5], [[0.0, 0.0], [1.0, 1.0]], covs=[np.eye(2) * 0.1, np.eye(2)])),
        (SmoothedLine(0.0, 0.2), Gaussian([0.5, 0.0], std=0.5)),
    ],
)
def test_2d_closed_forms_against_the_u_statistic(p, q):
    h = 0.7
    estimate, error = _u_statistic_and_error(p, q, h, n=1200, seed=3)
    assert abs(mmd(p, q, bandwidth=h) - estimate) <= 5 * error


# -- the numeric path ----------------------------------------------------------------------------
@pytest.mark.parametrize("h", [0.05, 1.0, 30.0])
def test_numeric_path_against_the_closed_forms(h):
    ps, qs = [p for p, _ in PAIRS_1D], [q for _, q in PAIRS_1D]
    ps += [Gaussian(0.0, 1.0), Gaussian(1e6, 1.0)]
    qs += [Gaussian(1e-4, 1.0), GaussianMixture([0.5, 0.5], [1e6, 1e6 + 3.0], stds=[0.5, 1.0])]
    closed = evaluate(["mmd"], ps, qs, kernel="gaussian", bandwidth=h)["mmd"]
    quadrature = evaluate(["mmd"], ps, qs, closed_forms=False, kernel="gaussian", bandwidth=h)["mmd"]
    np.testing.assert_allclose(quadrature, closed, rtol=0, atol=1e-12)  # measured: 3e-13 at worst


@settings(max_examples=25, deadline=None)
@given(law_tuples(2), BANDWIDTHS)
def test_numeric_path_against_the_closed_forms_on_random_pairs(laws, h):
    # two independent formulas: the cross terms, and the integral of the squared smoothed difference
    p, q = laws
    assume(p.dim == 1)
    closed = mmd(p, q, bandwidth=h)
    assert evaluate(["mmd"], [p], [q], closed_forms=False, kernel="gaussian", bandwidth=h)["mmd"][0] == pytest.approx(
        closed, abs=1e-12
    )


def test_numeric_path_against_gauss_legendre():
    for p, q, h in [(Uniform(0.0, 1.0), Exponential(1.0), 0.5), (Exponential(0.5, loc=-2.0), Uniform(-1.0, 4.0), 2.0)]:
        assert method("mmd", p, q, kernel="gaussian", bandwidth=h) == "quadrature"
        assert mmd(p, q, bandwidth=h) == pytest.approx(_gl_mmd(p, q, h), abs=1e-12)
    # no closed form: the smoothed densities from the density rule of the scipy law
    logistic, gamma = stats.logistic(0.5, 0.7), stats.gamma(3.0, loc=-1.0, scale=0.5)
    for p, q, h in [(logistic, Gaussian(0.0, 1.5), 0.8), (gamma, Uniform(0.0, 2.0), 0.3), (logistic, gamma, 1.5)]:
        assert method("mmd", p, q, kernel="gaussian", bandwidth=h) == "quadrature"
        assert mmd(p, q, bandwidth=h) == pytest.approx(_gl_mmd(p, q, h), abs=1e-12)


def test_numeric_path_refuses_two_dimensions():
    with pytest.raises(NotImplementedError, match="1-D pairs only"):
        mmd_numeric.method(Gaussian([0.0, 0.0]), Gaussian([1.0, 0.0]), kernel="gaussian", bandwidth=1.0)


# -- properties ----------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(law_tuples(2), BANDWIDTHS)
def test_zero_exactly_on_equal_laws_symmetric_and_bounded(laws, h):
    p, q = laws
    value = mmd(p, q, bandwidth=h)
    assert mmd(p, p, bandwidth=h) <= CLOSED
    assert 0.0 <= value <= 2.0
    assert value == pytest.approx(mmd(q, p, bandwidth=h), abs=1e-14)
    # the Gaussian kernel is characteristic: laws at W1 >= 0.01 have a positive MMD^2
    assume(w1(p, q) >= 1e-2)
    assert value > 1e-10


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["gaussian", "mixture", "uniform", "exponential", "discrete"]).flatmap(
    lambda f: st.tuples(FAMILIES[f], FAMILIES[f])), shifts(), scales(positive=True), BANDWIDTHS)  # fmt: skip
def test_invariant_under_translation_and_joint_scaling(laws, a, s, h):
    p, q = laws
    value = mmd(p, q, bandwidth=h)
    assert mmd(shifted(p, a), shifted(q, a), bandwidth=h) == pytest.approx(value, abs=1e-12)
    assert mmd(scaled(p, s), scaled(q, s), bandwidth=s * h) == pytest.approx(value, abs=1e-12)


def test_wide_kernels_see_the_means_only():
    # k = 1 - |x - y|^2 / (2 h^2) + O(h^-4): h^2 MMD^2 -> |E X - E Y|^2
    p, q = (
        Gaussian([0.0, 1.0], cov=[[1.0, 0.5], [0.5, 2.0]]),
        GaussianMixture([0.3, 0.7], [[1.0, 0.0], [0.0, 2.0]], stds=[1.0, 0.5]),
    )
    h = 1e4
    assert mmd(p, q, bandwidth=h) * h * h == pytest.approx(float(np.sum((p.mean - q.mean) ** 2)), rel=1e-5)


def test_curves_give_the_scalar_values():
    thetas = np.array([-1.0, 0.0, 0.5])
    out = curves(lambda t: Exponential(1.0, loc=t), thetas, Uniform(0.0, 2.0), names=["mmd"], bandwidth=0.5)
    expected = [mmd(Uniform(0.0, 2.0), Exponential(1.0, loc=t), bandwidth=0.5) for t in thetas]
    np.testing.assert_allclose(out["mmd"], expected, rtol=0, atol=1e-13)


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel": "laplace", "bandwidth": 1.0}, ValueError, "kernel must be one of .*'laplace'"),
        ({"bandwidth": 0.0}, ValueError, "bandwidth must be finite and > 0, got 0.0"),
        ({"bandwidth": -1.0}, ValueError, "bandwidth must be finite and > 0"),
        ({"bandwidth": math.inf}, ValueError, "bandwidth must be finite and > 0, got inf"),
        ({"bandwidth": math.nan}, ValueError, "bandwidth must be finite and > 0, got nan"),
        ({"bandwidth": "median"}, TypeError, "bandwidth must be a real number > 0 .*'median'"),
        ({"bandwidth": True}, TypeError, "bandwidth must be a real number"),
        ({"bandwidth": None}, TypeError, "bandwidth must be a real number"),
        ({}, TypeError, "bandwidth"),
    ],
)
def test_bad_kernel_or_bandwidth_is_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        mmd(Gaussian(), Gaussian(1.0), **kwargs)


def test_a_window_too_wide_for_the_bandwidth_is_refused_before_allocating():
    # t(3) keeps 1e-30 of its mass beyond 1e10: cutting that window into pieces of the kernel's width
    # would need gigabytes; the path refuses it, naming the law, before any allocation
    with pytest.raises(NotImplementedError, match=r"t\(3.*quadrature pieces.*divergences.empirical.mmd"):
        mmd(stats.t(3), stats.norm(0, 1.3), bandwidth=0.05)
