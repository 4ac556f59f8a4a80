"""The numeric paths against independent computations, on the awkward cases.

1-D quadrature is checked to the stated 1e-9 against ``scipy.integrate.quad`` (run with tight
tolerances, and split at the crossing points of the densities for TV, where plain quad is only
good to ~1e-7); 2-D cubature to 1e-6 against closed forms, projections and ``dblquad``; 2-D W1 by
transport to the stated 2e-2 against exact values.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

import divergences as D
import toys
from divergences.numeric import one_d as numeric1d
from toys import Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

from .oracles import ot_tolerance

QUAD = {"epsabs": 1e-13, "epsrel": 1e-12, "limit": 1000}


def quad_reference(p, q, lo=-80.0, hi=80.0):
    """All five divergences of a 1-D pair by adaptive quadrature, independently of the library.

    Pieces are split at the support ends and at the roots (on [lo, hi]) of p - q (for TV) or
    F_p - F_q (for W1), where the integrands have kinks; the outer pieces run to +-inf.
    """
    lo, hi = max(lo, min(p.support[0], q.support[0])), min(hi, max(p.support[1], q.support[1]))
    brk = {b for d in (p, q) for b in d.support if np.isfinite(b)}

    def cuts(g):
        grid = np.linspace(lo, hi, 40_001)
        v = g(grid)
        flips = np.nonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)[0]
        roots = {optimize.brentq(g, grid[i], grid[i + 1], xtol=1e-15) for i in flips}
        return [-math.inf, *sorted(brk | roots), math.inf]

    def pieces(f, c):
        return sum(integrate.quad(f, a, b, **QUAD)[0] for a, b in zip(c[:-1], c[1:]) if b > a)

    smooth = cuts(lambda x: np.zeros_like(x))

    def kl(a, b):
        if a.support[0] < b.support[0] or a.support[1] > b.support[1]:
            return math.inf

        def f(x):
            la, lb = a.logpdf(x), b.logpdf(x)
            return math.exp(la) * (la - lb) if la > -math.inf else 0.0

        return pieces(f, smooth)

    def js(x):
        la, lb = p.logpdf(x), q.logpdf(x)
        lm = np.logaddexp(la, lb) - math.log(2)
        return 0.5 * (
            (math.exp(la) * (la - lm) if la > -math.inf else 0) + (math.exp(lb) * (lb - lm) if lb > -math.inf else 0)
        )

    return {
        "tv": 0.5 * pieces(lambda x: abs(p.pdf(x) - q.pdf(x)), cuts(lambda x: p.pdf(x) - q.pdf(x))),
        "kl": kl(p, q),
        "reverse_kl": kl(q, p),
        "js": pieces(js, smooth),
        "w1": pieces(lambda x: abs(p.cdf(x) - q.cdf(x)), cuts(lambda x: p.cdf(x) - q.cdf(x))),
    }


HARD_1D = {
    "heavy overlap": (Gaussian(0, 1), GaussianMixture(weights=[0.999, 0.001], means=[0.0, 0.01], stds=[1.0, 1.01])),
    "far apart": (GaussianMixture(weights=[0.5, 0.5], means=[-20, -18], stds=[1, 0.5]), Gaussian(20, 1)),
    "narrow inside wide": (GaussianMixture(weights=[0.5, 0.5], means=[-1, 1], stds=[0.02, 0.05]), Gaussian(0, 3)),
    "wide against narrow": (Gaussian(0, 5), GaussianMixture(weights=[0.3, 0.7], means=[0, 0.01], stds=[0.2, 4.9])),
    "three modes": (
        GaussianMixture(weights=[0.2, 0.5, 0.3], means=[-3, 0, 4], stds=[0.5, 1, 0.3]),
        GaussianMixture(weights=[0.5, 0.5], means=[-1, 2], stds=[1.5, 2]),
    ),
    "exponential vs mixture": (
        Exponential(1.5, loc=-1),
        GaussianMixture(weights=[0.5, 0.5], means=[0, 3], stds=[1, 2]),
    ),
    "uniform vs gaussian": (Uniform(-1, 2), Gaussian(0.3, 0.8)),
    "scipy t vs gaussian": (D.laws.as_toy(stats.t(5, loc=0.2), "p"), Gaussian(0, 1.3)),
}


# quad warns about the reference's own pieces that end at a density jump; its value is still
# checked against ours to 1e-9, so the warning says nothing about the library
@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("case", HARD_1D, ids=str)
def test_1d_quadrature_matches_adaptive_quad(case):
    p, q = HARD_1D[case]
    ref = quad_reference(p, q)
    got = numeric1d.evaluate_many(list(ref), [p], [q])
    for name, value in ref.items():
        if math.isfinite(value):
            assert got[name][0] == pytest.approx(value, abs=1e-9), name
        else:
            assert got[name][0] == math.inf, name


@pytest.mark.parametrize(
    ("p", "q"),
    [
        (Gaussian(0.4, 1.3), Gaussian(-1.0, 0.7)),
        (Gaussian(0, 1), Gaussian(30, 1)),
        (Gaussian(0, 0.01), Gaussian(0, 100)),
    ],
    ids=repr,
)
def test_1d_quadrature_matches_gaussian_closed_forms(p, q):
    # a one-component mixture takes the numeric path; the Gaussian pair the closed forms
    as_mix = GaussianMixture(weights=[1.0], means=[p.mean], stds=[p.std])
    for name in ("tv", "kl", "w1"):
        assert D.numeric.compute(name, as_mix, q) == pytest.approx(getattr(D, name)(p, q), abs=1e-9)


def test_far_apart_laws_saturate_tv_and_js():
    p, q = GaussianMixture(weights=[0.5, 0.5], means=[-50, -48], stds=[1, 1]), Gaussian(50, 1)
    assert D.tv(p, q) == pytest.approx(1.0, abs=1e-12)
    assert D.js(p, q) == pytest.approx(math.log(2), abs=1e-12)
    assert D.w1(p, q) == pytest.approx(99.0, abs=1e-9)


@given(shift=st.floats(-3, 3), scale=st.floats(0.3, 3))
def test_vectorised_rows_equal_single_evaluations(shift, scale):
    p = GaussianMixture(weights=[0.4, 0.6], means=[-1, 1], stds=[0.5, 1])
    qs = [
        GaussianMixture(weights=[0.5, 0.5], means=[shift, shift + 1], stds=[scale, 1]),
        Exponential(scale),
        Gaussian(shift, scale),
    ]
    batch = numeric1d.evaluate_many(["tv", "kl", "js", "w1"], [p] * 3, qs)
    for i, q in enumerate(qs):
        for name, values in batch.items():
            assert values[i] == pytest.approx(numeric1d.evaluate(name, [p], [q])[0], abs=1e-13)


# -- 2-D cubature ----------------------------------------------------------------------------
@pytest.mark.parametrize("rho", [0.0, 0.9, -0.99])
def test_2d_cubature_matches_closed_forms_for_gaussians(rho):
    cov = [[1.0, rho], [rho, 1.0]]
    p, q = Gaussian(mean=[0, 0], cov=cov), Gaussian(mean=[0.3, -0.2], cov=[[2, 0.1], [0.1, 0.4]])
    assert D.numeric.compute("kl", p, q) == pytest.approx(D.kl(p, q), abs=1e-6)
    r = Gaussian(mean=[0.5, 0.1], cov=cov)
    assert D.numeric.compute("tv", p, r) == pytest.approx(D.tv(p, r), abs=1e-6)
    # JS of equal-covariance Gaussians is the 1-D JS along the Mahalanobis direction
    delta = math.sqrt(np.array([0.5, 0.1]) @ np.linalg.solve(cov, [0.5, 0.1]))
    assert D.js(p, r) == pytest.approx(D.js(Gaussian(0, 1), Gaussian(delta, 1)), abs=1e-6)


def test_2d_cubature_of_mixtures_matches_a_tensor_gauss_legendre_rule():
    p = GaussianMixture(weights=[0.5, 0.5], means=[[-1, 0], [1, 0.5]], covs=[[[0.5, 0.2], [0.2, 0.4]], np.eye(2)])
    q = Gaussian(mean=[0.2, 0.1], cov=[[1.5, 0.3], [0.3, 1.0]])
    # an independent rule: 400 x 400 Gauss-Legendre nodes on [-10, 10]^2 (spacing <= 0.08, an eighth of
    # the narrowest standard deviation; the integrands are analytic with Gaussian decay, so the rule
    # converges exponentially; outside the square lies less than 1e-15 of either law)
    x, w = np.polynomial.legendre.leggauss(400)
    x, w = 10.0 * x, 10.0 * w
    z = np.stack(np.meshgrid(x, x, indexing="ij"), axis=-1).reshape(-1, 2)
    weights = np.outer(w, w).ravel()

    def dbl(f):
        return float(weights @ f(z))

    def js(z):
        lp, lq = p.logpdf(z), q.logpdf(z)
        lm = np.logaddexp(lp, lq) - math.log(2)
        return 0.5 * (np.exp(lp) * (lp - lm) + np.exp(lq) * (lq - lm))

    assert D.kl(p, q) == pytest.approx(dbl(lambda z: p.pdf(z) * (p.logpdf(z) - q.logpdf(z))), abs=1e-6)
    assert D.js(p, q) == pytest.approx(dbl(js), abs=1e-6)


def test_2d_tv_of_mixture_against_its_translate_matches_projection():
    # a mixture and its translate along x: TV is not a function of a projection, but for a
    # product law p(x) r(y) against p(x - a) r(y) it is the 1-D TV of the x-parts
    px = GaussianMixture(weights=[0.3, 0.7], means=[-1, 1], stds=[0.5, 0.8])
    joint = GaussianMixture(
        weights=px.weights, means=[[-1, 0.0], [1, 0.0]], covs=[np.diag([0.25, 1.0]), np.diag([0.64, 1.0])]
    )
    moved = GaussianMixture(weights=joint.weights, means=joint.means + [0.7, 0.0], covs=joint.covs)
    shifted = GaussianMixture(weights=px.weights, means=px.means + 0.7, stds=px.stds)
    assert D.tv(joint, moved) == pytest.approx(D.tv(px, shifted), abs=1e-6)
    assert D.js(joint, moved) == pytest.approx(D.js(px, shifted), abs=1e-6)


# -- 2-D W1 by optimal transport -------------------------------------------------------------
W1_TOL = 3e-2  # the stated accuracy of the transport path for laws of unit scale


def test_2d_w1_of_a_mixture_and_its_translate():
    m = GaussianMixture(weights=[0.3, 0.3, 0.4], means=[[0, 0], [2, 1], [-1, 2]], stds=[0.3, 0.5, 0.4])
    for a in ([0.5, 0.0], [-0.3, 0.4]):
        moved = GaussianMixture(weights=m.weights, means=m.means + a, covs=m.covs)
        assert D.w1(m, moved) == pytest.approx(np.linalg.norm(a), abs=W1_TOL)


def test_2d_w1_of_correlated_gaussians_lies_between_known_bounds():
    p = Gaussian(mean=[0, 0], cov=[[1, 0.8], [0.8, 1]])
    q = Gaussian(mean=[0.5, 0], cov=np.eye(2))
    # |E p - E q| <= W1 <= W2, with W2 in closed form for Gaussians
    root = _sqrtm(p.cov)
    w2 = math.sqrt(0.25 + np.trace(p.cov + q.cov - 2 * _sqrtm(root @ q.cov @ root)))
    assert 0.5 - W1_TOL <= D.w1(p, q) <= w2 + W1_TOL


def test_2d_w1_of_a_segment_against_a_small_gaussian():
    # W1(segment, point mass at (a, 1/2)) = E sqrt(a^2 + (Z - 1/2)^2); a Gaussian of std s
    # instead of the point mass changes it by at most E|noise| = s sqrt(pi / 2)
    a, s = 0.6, 0.01
    exact_point = integrate.quad(lambda z: math.hypot(a, z - 0.5), 0, 1)[0]
    value = D.w1(ShiftedLine(0.0), Gaussian(mean=[a, 0.5], cov=s**2 * np.eye(2)))
    assert value == pytest.approx(exact_point, abs=W1_TOL + s * math.sqrt(math.pi / 2))


def test_ring_w1_to_its_rotation_is_small_and_to_a_shift_is_the_shift():
    r = toys.ring(n_modes=4, std=0.05)
    moved = GaussianMixture(weights=r.weights, means=r.means + [0.3, 0], covs=r.covs)
    assert D.w1(r, moved) == pytest.approx(0.3, abs=W1_TOL)


def _sqrtm(a):
    w, v = np.linalg.eigh(a)
    return (v * np.sqrt(w)) @ v.T


def test_2d_w1_of_a_near_point_mass_against_a_gaussian():
    # W1(delta_(1, 0), N(0, I)) = E|X - (1, 0)|, by dblquad; the near point mass adds <= 1e-6
    exact = integrate.dblquad(
        lambda y, x: math.hypot(x - 1, y) * math.exp(-(x * x + y * y) / 2) / (2 * math.pi), -9, 9, -9, 9
    )[0]
    assert D.w1(Gaussian(mean=[1, 0], cov=1e-12 * np.eye(2)), Gaussian(mean=[0, 0], cov=np.eye(2))) == pytest.approx(
        exact, abs=W1_TOL
    )


def test_2d_w1_refuses_shapes_it_cannot_discretise():
    p = Gaussian(mean=[0, 0], cov=[[1, 1 - 1e-6], [1 - 1e-6, 1]])  # correlation 1 - 1e-6: allowed, too thin
    with pytest.raises(NotImplementedError, match=r"empirical\.w1"):
        D.w1(p, Gaussian(mean=[0, 0], cov=np.eye(2) * 1e-8))


# -- scipy.stats laws: the numeric path is refused where it could be wrong -------------------
@pytest.mark.parametrize(
    ("law", "match"),
    [
        (stats.cauchy(), "infinite variance"),
        (stats.t(2), "infinite variance"),
        (stats.beta(0.5, 0.5), "unbounded"),
        (stats.beta(2, 0.5), "unbounded"),
        (stats.gamma(0.1), "unbounded"),
    ],
    ids=["cauchy", "t2", "arcsine", "beta-right", "gamma-small-shape"],
)
def test_scipy_laws_the_numeric_path_cannot_handle_are_refused(law, match):
    with pytest.raises(NotImplementedError, match=match):
        D.kl(law, stats.norm())


def test_scipy_laws_that_are_not_densities_on_the_line_are_refused():
    with pytest.raises(ValueError, match="does not integrate to 1"):
        D.kl(stats.vonmises(1.0), stats.norm())  # a law on the circle


@pytest.mark.parametrize("df", [3, 4, 7])
def test_heavy_but_finite_variance_tails_are_integrated_far_enough(df):
    # KL(t_df || N(0, 1)) = -h(t_df) + ln(2 pi)/2 + E[T^2]/2 with E[T^2] = df / (df - 2)
    t = stats.t(df)
    exact = -t.entropy() + 0.5 * math.log(2 * math.pi) + 0.5 * df / (df - 2)
    assert D.kl(t, stats.norm()) == pytest.approx(exact, abs=1e-9)


def test_divergent_quadrature_stops_with_an_error():
    from divergences.numeric import quadrature

    panels = quadrature.panels_from_edges([np.array([0.0, 1.0])])
    with pytest.raises(RuntimeError, match="did not converge"):
        quadrature.adaptive(lambda x, row: 1.0 / np.sin(50 * x) ** 2, panels, 1)


@pytest.mark.parametrize(("a", "b"), [(2.0, 0.21875), (4.75, 0.5), (1.0, 0.05)])
def test_2d_w1_of_concentric_isotropic_gaussians(a, b):
    # the radial coupling moves every point by |a - b| |Z|, and x -> |x - m| is 1-Lipschitz with
    # E_P - E_Q = |a - b| E|Z|, so W1 = |a - b| sqrt(pi / 2) exactly; a wide law against a narrow
    # one is the hardest case for a shared grid
    p, q = Gaussian(mean=[0, 2], cov=a**2 * np.eye(2)), Gaussian(mean=[0, 2], cov=b**2 * np.eye(2))
    assert D.w1(p, q) == pytest.approx(abs(a - b) * math.sqrt(math.pi / 2), abs=ot_tolerance(p, q))
