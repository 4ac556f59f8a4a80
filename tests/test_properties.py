"""Property tests: the identities and inequalities of the theory, on random toys.

Every test states a fact about TV, KL, reverse KL, JS or W1 that holds for all laws, and checks it
on laws drawn by :mod:`toys.strategies` (deterministically: tests/conftest.py loads a derandomized
hypothesis profile). Where a fact relates the library to something else, the other side is an
independent computation: a closed form from the textbook, a finite sum, a brute-force enumeration
or ``scipy.integrate.quad``.

Tolerances are the accuracies the library states (docstrings of :mod:`divergences.api`,
:mod:`divergences.numeric1d` and :mod:`divergences.numeric2d`; the constants below), so a failure
is a broken promise, not noise. The 2-D cases are few: each costs 0.01 s (cubature) to a few
seconds (transport).
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

import divergences
from divergences import js, kl, reverse_kl, tv, w1
from toys import Bernoulli, Discrete, Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform
from toys.base import ContinuousDistribution, DiscreteDistribution
from toys.strategies import (
    bernoullis,
    continuous_1d,
    covariances,
    discretes,
    exponentials,
    gaussian_mixtures,
    gaussians,
    seeds,
    shifted_lines,
    supports,
    uniforms,
)

#: Stated absolute error of every 1-D value (closed forms are far better; the numeric path,
#: adaptive Gauss-Kronrod quadrature, promises 1e-9).
TOL_1D = 1e-9
#: Stated absolute error of the 2-D cubature (TV, KL, JS between 2-D Gaussians and mixtures).
TOL_2D = 1e-6
#: Stated absolute error of 2-D W1 by optimal transport between discretisations, for laws of
#: unit scale; see :func:`ot_tolerance` for larger ones.
TOL_OT = 2e-2
#: Rounding of closed forms and finite sums of O(1) terms: a few hundred ulps, with headroom.
TOL_SUM = 1e-12

LN2 = math.log(2.0)
DIVERGENCES = {"tv": tv, "kl": kl, "reverse_kl": reverse_kl, "js": js, "w1": w1}
FEW = settings(max_examples=6)
#: For W1 by transport, 0.3 to 5 s each.
VERY_FEW = settings(max_examples=2)


def ot_tolerance(*laws):
    """The accuracy of 2-D W1 by transport for these laws: TOL_OT times their scale, if above 1.

    divergences.numeric2d states 2e-2 absolute for components of standard deviation up to about
    1 and "about 1e-2 times the scale otherwise" (the grid step, hence the error, grows with the
    size of the components). Measured errors reach 1.1e-2 times the largest standard deviation
    (W1 between N(m, 4.75^2 I) and N(m, 0.5^2 I), m = (0, 1), comes out 0.052 too large), so
    the unit-scale 2e-2 is scaled instead.
    """
    sd = max(float(np.sqrt(np.linalg.eigvalsh(c).max())) for law in laws for c in law._as_mixture()[2])
    return TOL_OT * max(1.0, sd)


# -- strategies for tuples of laws ------------------------------------------------------------
#: One strategy per family of toys.
FAMILIES = {
    "gaussian": gaussians(),
    "mixture": gaussian_mixtures(),
    "uniform": uniforms(),
    "exponential": exponentials(),
    "discrete": discretes(),
    "bernoulli": bernoullis(),
    "shifted_line": shifted_lines(),
}
CONTINUOUS_1D = ["gaussian", "mixture", "uniform", "exponential"]


def on_one_support(n, max_atoms=5):
    """``n`` discrete laws on one drawn support (they may leave some of its atoms empty)."""
    return supports(max_atoms).flatmap(lambda s: st.tuples(*[discretes(support=s)] * n))


def discrete_pairs():
    """Pairs of discrete laws: on one support, Bernoulli, or on supports of their own."""
    return st.one_of(on_one_support(2), st.tuples(bernoullis(), bernoullis()), st.tuples(discretes(), discretes()))


def laws(n):
    """``n`` laws of one dimension: continuous 1-D, discrete, Bernoulli, a mix, or ShiftedLines."""
    return st.one_of(
        st.tuples(*[continuous_1d()] * n),
        on_one_support(n),
        st.tuples(*[bernoullis()] * n),
        st.tuples(*[st.one_of(continuous_1d(), discretes())] * n),
        st.tuples(*[shifted_lines()] * n),
    )


def shifts(min_abs=0.0):
    """Real shifts in [-5, 5] with ``|a| >= min_abs``."""
    return st.floats(min_abs, 5.0).flatmap(lambda a: st.sampled_from([a, -a]))


def scales(positive=False):
    """Scale factors with ``|s|`` in [1/4, 4], negative too unless ``positive``."""
    magnitude = st.floats(0.25, 4.0)
    return magnitude if positive else magnitude.flatmap(lambda s: st.sampled_from([s, -s]))


# -- helpers ------------------------------------------------------------------------------------
def shifted(law, a):
    """The law of X + a (``a`` a 2-vector for 2-D Gaussians and mixtures, horizontal for lines)."""
    if isinstance(law, Gaussian):
        return Gaussian(law.mean + a, std=law.std) if law.dim == 1 else Gaussian(law.mean + a, cov=law.cov)
    if isinstance(law, GaussianMixture):
        if law.dim == 1:
            return GaussianMixture(law.weights, law.means + a, stds=law.stds)
        return GaussianMixture(law.weights, law.means + a, covs=law.covs)
    if isinstance(law, Uniform):
        return Uniform(law.low + a, law.high + a)
    if isinstance(law, Exponential):
        return Exponential(law.rate, loc=law.loc + a)
    if isinstance(law, DiscreteDistribution):
        return Discrete(law.atoms + a, law.probs)
    if isinstance(law, ShiftedLine):
        return ShiftedLine(law.theta + a)
    raise TypeError(type(law))


def scaled(law, s):
    """The law of s X (1-D laws; an Exponential only for s > 0)."""
    if isinstance(law, Gaussian):
        return Gaussian(s * law.mean, std=abs(s) * law.std)
    if isinstance(law, GaussianMixture):
        return GaussianMixture(law.weights, s * law.means, stds=abs(s) * law.stds)
    if isinstance(law, Uniform):
        return Uniform(*sorted([s * law.low, s * law.high]))
    if isinstance(law, Exponential):
        assert s > 0
        return Exponential(law.rate / s, loc=s * law.loc)
    if isinstance(law, DiscreteDistribution):
        return Discrete(s * law.atoms, law.probs)
    raise TypeError(type(law))


def masses(*ds):
    """The atoms charged by at least one of the laws, and the mass of each law there."""
    x = np.unique(np.concatenate([d.atoms[d.probs > 0] for d in ds]))
    return (x, *(d.pmf(x) for d in ds))


def cuts(law):
    """Points where ``quad`` should split the line for this law: jumps and scales of its structure."""
    if isinstance(law, DiscreteDistribution):
        return list(law.atoms)
    if isinstance(law, Uniform):
        return [law.low, law.high]
    if isinstance(law, Exponential):
        return [law.loc + k / law.rate for k in (0, 1, 3, 10, 40)]
    if isinstance(law, Gaussian):
        means, stds = [law.mean], [law.std]
    else:
        means, stds = law.means, law.stds
    return [m + k * s for m, s in zip(means, stds) for k in (-12, -6, -3, -1, 0, 1, 3, 6, 12)]


def quad_line(f, ps):
    """Integral of ``f`` over the union of the supports of ``ps``, by ``scipy.integrate.quad``.

    The union is split at the :func:`cuts` of every law, so every piece is smooth and holds at
    most a few length scales; each piece is integrated to 1e-13 absolute, a sum far below TOL_1D.
    """
    lo = min(p.support[0] for p in ps)
    hi = max(p.support[1] for p in ps)
    points = sorted({c for p in ps for c in cuts(p) if lo < c < hi})
    edges = [lo, *points, hi]
    return math.fsum(
        integrate.quad(f, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])
    )


def quad_with_kinks(h, g, laws):
    """Integral of ``h`` by ``quad``, split at the :func:`cuts` of ``laws`` and where ``g`` changes sign.

    ``h`` has kinks where ``g`` (vectorised) changes sign (``|F_P - F_Q|``, ``min(p, q)``). The sign changes
    are bracketed on a grid of 100 steps strictly inside each gap between consecutive cuts (a
    discrete CDF or a uniform density jumps at a cut) and located by ``brentq``, so
    every piece is smooth. Beyond the outermost cuts (12 sigma, 40 / rate) every law has mass
    below 1e-17, so the tails are left out: there 1 - F is lost to rounding, and quad would
    integrate noise.
    """
    points = sorted({float(c) for law in laws for c in cuts(law)})
    kinks = []
    for a, b in zip(points[:-1], points[1:]):
        xs = np.linspace(a, b, 101)
        xs[0], xs[-1] = np.nextafter(a, b), np.nextafter(b, a)
        gx = g(xs)
        for lo, hi in zip(xs[:-1][gx[:-1] * gx[1:] < 0], xs[1:][gx[:-1] * gx[1:] < 0]):
            if g(lo) * g(hi) < 0:  # again one point at a time: a vectorised g may round differently
                kinks.append(optimize.brentq(g, lo, hi, xtol=1e-15))
    edges = sorted(points + kinks)
    # pieces narrower than 1e-12 (sign changes of rounding noise, cuts a few ulps apart) hold
    # less than 1e-11 of the integral (h <= 2.5 here), and quad would only warn about them
    return math.fsum(
        integrate.quad(h, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
        for a, b in zip(edges[:-1], edges[1:])
        if b - a > 1e-12
    )


def area_between_cdfs(p, q):
    """Integral of |F_P - F_Q| over the line, by :func:`quad_with_kinks`."""

    def gap(x):
        return p.cdf(x) - q.cdf(x)

    return quad_with_kinks(lambda x: abs(float(gap(x))), gap, [p, q])


def overlap(p, q):
    """Integral of min(p, q) over the line, by :func:`quad_with_kinks` (continuous laws)."""

    def gap(x):
        return p.pdf(x) - q.pdf(x)

    return quad_with_kinks(lambda x: float(np.minimum(p.pdf(x), q.pdf(x))), gap, [p, q])


def p_log_ratio(lp, lr):
    """The integrand p log(p / r) from log densities, 0 where p = 0."""
    return 0.0 if lp == -math.inf else math.exp(lp) * (lp - lr)


def gan_value_discrete(a, b, d):
    """E_P[log D] + E_Q[log(1 - D)] for masses ``a``, ``b`` and discriminator values ``d``."""
    return float(np.sum(special.xlogy(a, d)) + np.sum(special.xlogy(b, 1.0 - d)))


# -- non-negativity, identity of indiscernibles, symmetry --------------------------------------
@given(laws(2))
def test_every_divergence_is_zero_on_equal_laws_and_nonnegative(pair):
    p, q = pair
    for name, d in DIVERGENCES.items():
        assert d(p, p) == 0.0, name  # exactly: the integrands (or sums) vanish term by term
        assert d(p, q) >= 0.0, name
    assert tv(p, q) <= 1.0
    assert js(p, q) <= LN2


@pytest.mark.parametrize(
    ("name", "law"),
    [
        ("js", Uniform(0.0, 49.0)),  # 1 - (1 / 49) * 49 rounds to 1.1e-16: JS was 7.7e-17
        ("kl", Exponential(rate=3.0, loc=2.3)),  # (1 / 3 + 2.3) - 2.3 rounds: KL was 4.4e-16
        ("reverse_kl", Exponential(rate=3.0, loc=2.3)),
    ],
)
def test_closed_forms_are_exactly_zero_where_rounding_used_to_leak(name, law):
    assert DIVERGENCES[name](law, law) == 0.0


@given(st.one_of(continuous_1d(), discretes(), bernoullis(), shifted_lines()), shifts(min_abs=0.05))
def test_every_divergence_is_positive_between_a_law_and_its_translate(p, a):
    q = shifted(p, a)
    for name, d in DIVERGENCES.items():
        assert d(p, q) > 0.0, name


@given(on_one_support(2))
def test_every_divergence_is_positive_between_different_discrete_laws(pair):
    p, q = pair
    assume(np.max(np.abs(p.probs - q.probs)) > 1e-6)  # then TV >= 5e-7, KL >= 2 TV^2, JS >= TV^2 / 2
    for name, d in DIVERGENCES.items():
        assert d(p, q) > 0.0, name


@given(laws(2))
def test_tv_js_w1_are_symmetric_and_reverse_kl_swaps_the_arguments(pair):
    p, q = pair
    for d in (tv, js, w1):
        assert math.isclose(d(p, q), d(q, p), rel_tol=TOL_SUM, abs_tol=2 * TOL_1D)  # two values, each +- TOL_1D
    assert reverse_kl(p, q) == kl(q, p)


@FEW
@given(gaussians(dim=2), gaussians(dim=2))
def test_tv_and_js_are_symmetric_in_2d(p, q):
    for d in (tv, js):
        assert math.isclose(d(p, q), d(q, p), abs_tol=2 * TOL_2D)


@given(st.one_of(st.tuples(*[continuous_1d()] * 2), on_one_support(2)), shifts(), st.data())
def test_tv_kl_js_do_not_depend_on_the_units(pair, a, data):
    p, q = pair
    s = data.draw(scales(positive=isinstance(p, Exponential) or isinstance(q, Exponential)))
    # f-divergences are invariant under any bijection of the space, here x -> s x + a
    tp, tq = shifted(scaled(p, s), a), shifted(scaled(q, s), a)
    for name in ("tv", "kl", "reverse_kl", "js"):
        d = DIVERGENCES[name]
        before, after = d(p, q), d(tp, tq)
        if math.isinf(before):
            assert after == math.inf, name
        else:  # two values, each within TOL_1D (and rounding of KLs up to ~1e3)
            assert math.isclose(after, before, rel_tol=TOL_SUM, abs_tol=2 * TOL_1D), name


@FEW
@given(gaussians(dim=2), shifts(), shifts())
def test_2d_gaussians_with_one_covariance_are_as_far_apart_as_their_projections(p, a, b):
    q = Gaussian(p.mean + [a, b], cov=p.cov)
    delta = math.sqrt(np.array([a, b]) @ np.linalg.solve(p.cov, [a, b]))  # Mahalanobis distance
    # The likelihood ratio depends on x only through its projection on cov^-1 (m_q - m_p), a
    # sufficient statistic along which the laws are N(0, 1) and N(delta, 1); f-divergences do
    # not lose anything to a sufficient statistic. Cubature (TOL_2D) against the 1-D values.
    p1, q1 = Gaussian(0.0, 1.0), Gaussian(delta, 1.0)
    for name in ("tv", "kl", "js"):
        expected = DIVERGENCES[name](p1, q1)
        assert math.isclose(divergences.numeric(name, p, q), expected, rel_tol=TOL_SUM, abs_tol=TOL_2D), name


@FEW
@given(gaussians(dim=2), gaussians(dim=2), st.floats(-math.pi, math.pi), shifts(), shifts())
def test_tv_and_js_do_not_depend_on_the_axes_in_2d(p, q, angle, a, b):
    # a rotation and a translation: the cubature integrates along other axes, the values are the same
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])

    def moved(g):
        cov = rot @ g.cov @ rot.T
        return Gaussian(rot @ g.mean + [a, b], cov=0.5 * (cov + cov.T))

    for d in (tv, js):
        assert math.isclose(d(moved(p), moved(q)), d(p, q), abs_tol=2 * TOL_2D)


# -- metric properties --------------------------------------------------------------------------
def sqrt_js_upper(p, q):
    """An upper bound of sqrt(JS) that holds whatever the error (<= TOL_1D) of the value of JS."""
    return math.sqrt(js(p, q) + TOL_1D)


@given(laws(3))
def test_triangle_inequality_for_tv_w1_and_sqrt_js(triple):
    p, q, r = triple
    # Each of the three values is within TOL_1D (relative for large W1), so the computed sides
    # satisfy the inequality up to 3 TOL_1D; 1e-8 covers that with room.
    assert tv(p, r) <= tv(p, q) + tv(q, r) + 1e-8
    assert w1(p, r) <= (w1(p, q) + w1(q, r)) * (1 + TOL_SUM) + 1e-8
    # sqrt amplifies the error of JS near 0 (sqrt(1e-9) = 3e-5): compare bounds of the square roots
    # of the true values instead, sqrt(JS - eps) <= sqrt(JS_true) and sqrt(JS + eps) >= sqrt(JS_true).
    assert math.sqrt(max(js(p, r) - TOL_1D, 0.0)) <= sqrt_js_upper(p, q) + sqrt_js_upper(q, r)


@FEW
@given(st.tuples(gaussians(dim=2), gaussians(dim=2), gaussians(dim=2)))
def test_triangle_inequality_for_tv_and_sqrt_js_in_2d(triple):
    p, q, r = triple
    assert tv(p, r) <= tv(p, q) + tv(q, r) + 3 * TOL_2D
    upper = math.sqrt(js(p, q) + TOL_2D) + math.sqrt(js(q, r) + TOL_2D)
    assert math.sqrt(max(js(p, r) - TOL_2D, 0.0)) <= upper


# -- JS <= ln 2, with equality exactly on disjoint supports --------------------------------------
@given(uniforms(), st.floats(0.0, 5.0), st.floats(0.2, 10.0), st.booleans())
def test_js_is_ln2_for_uniforms_on_disjoint_intervals(p, gap, width, swap):
    q = Uniform(p.high + gap, p.high + gap + width)  # touching (gap 0) is disjoint up to a null set
    if swap:
        p, q = q, p
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf and reverse_kl(p, q) == math.inf


@given(supports(max_atoms=6, min_atoms=2), st.data())
def test_js_is_ln2_for_discrete_laws_on_disjoint_atoms(atoms, data):
    split = data.draw(st.integers(1, atoms.size - 1))
    order = data.draw(st.permutations(range(atoms.size)))
    left, right = atoms[list(order[:split])], atoms[list(order[split:])]
    p, q = data.draw(discretes(support=left)), data.draw(discretes(support=right))
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf


@given(shifted_lines(), shifts(min_abs=1e-6))
def test_js_is_ln2_for_distinct_shifted_lines(p, a):
    q = ShiftedLine(p.theta + a)
    assume(q.theta != p.theta)
    assert js(p, q) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf
    assert w1(p, q) == abs(q.theta - p.theta)  # the optimal coupling moves every point horizontally


@given(st.one_of(discretes(), bernoullis(), shifted_lines()), st.one_of(continuous_1d(), gaussians(dim=2)))
def test_js_is_ln2_between_an_atomic_or_singular_law_and_a_continuous_one(p, q):
    assume(p.dim == q.dim)
    # atoms and lines are Lebesgue-null sets that carry all of p and none of q
    assert js(p, q) == LN2 and js(q, p) == LN2
    assert tv(p, q) == 1.0
    assert kl(p, q) == math.inf and kl(q, p) == math.inf


@given(exponentials(), uniforms())
def test_js_is_ln2_for_an_exponential_and_a_uniform_left_of_it(p, u):
    q = Uniform(p.loc - u.width - abs(u.low), p.loc - abs(u.low))
    assert js(p, q) == LN2


# -- inequalities between the divergences --------------------------------------------------------
@given(laws(2))
def test_pinsker_and_the_js_sandwich(pair):
    p, q = pair
    t, j = tv(p, q), js(p, q)
    for k in (kl(p, q), reverse_kl(p, q)):
        # Pinsker: TV <= sqrt(KL / 2). Compare bounds of the true values (errors <= TOL_1D each).
        assert t - TOL_1D <= math.sqrt((k + TOL_1D) / 2)
    # TV^2 / 2 <= JS (Pinsker on KL(P || M) and KL(Q || M), TV(P, M) = TV / 2) and JS <= TV ln 2.
    assert (max(t - TOL_1D, 0.0)) ** 2 / 2 <= j + TOL_1D
    assert j <= (t + TOL_1D) * LN2 + TOL_1D


@given(laws(2))
def test_w1_is_at_least_the_difference_of_the_means(pair):
    p, q = pair
    # Kantorovich-Rubinstein duality with the 1-Lipschitz test function f(x) = x (or its first
    # coordinate): W1 >= |E_P X - E_Q X|.
    gap = float(np.linalg.norm(np.atleast_1d(p.mean - q.mean)))
    assert w1(p, q) >= gap * (1 - TOL_SUM) - TOL_1D


@FEW
@given(gaussians(dim=2), gaussians(dim=2))
def test_pinsker_and_the_js_sandwich_in_2d(p, q):
    t, j, k = tv(p, q), js(p, q), kl(p, q)  # TV and JS by cubature, KL in closed form
    assert t - TOL_2D <= math.sqrt(k / 2)
    assert (max(t - TOL_2D, 0.0)) ** 2 / 2 <= j + TOL_2D
    assert j <= (t + TOL_2D) * LN2 + TOL_2D


# -- W1: the area between the CDFs, translation and scaling -------------------------------------
@pytest.mark.parametrize("family", [*CONTINUOUS_1D, "discrete", "bernoulli", "mixed"])
@given(data=st.data())
def test_w1_in_1d_is_the_area_between_the_cdfs(family, data):
    laws = st.one_of(continuous_1d(), discretes()) if family == "mixed" else FAMILIES[family]
    p, q = data.draw(laws), data.draw(laws)
    # W1 = int |F_P - F_Q| dx on the line (Vallender 1974), here by an independent quad
    assert math.isclose(w1(p, q), area_between_cdfs(p, q), rel_tol=TOL_SUM, abs_tol=TOL_1D)


@pytest.mark.parametrize("family", FAMILIES)
@given(data=st.data(), a=shifts())
def test_w1_between_a_law_and_its_translate_is_the_shift(family, data, a):
    p = data.draw(FAMILIES[family])
    q = shifted(p, a)
    # rounding of the shifted parameters (a few ulps of 10) is far below TOL_1D
    assert math.isclose(w1(p, q), abs(a), abs_tol=TOL_1D)


@given(gaussians(dim=2), shifts(), shifts())
def test_w1_between_a_2d_gaussian_and_its_translate_is_the_length_of_the_shift(p, a, b):
    assert math.isclose(w1(p, shifted(p, np.array([a, b]))), math.hypot(a, b), rel_tol=TOL_SUM, abs_tol=TOL_SUM)


@VERY_FEW
@given(gaussian_mixtures(dim=2, max_components=2), shifts(min_abs=0.5), shifts(min_abs=0.5))
def test_w1_between_a_2d_mixture_and_its_translate_is_the_length_of_the_shift(p, a, b):
    # W1 by optimal transport between discretisations: within ot_tolerance
    assert math.isclose(w1(p, shifted(p, np.array([a, b]))), math.hypot(a, b), abs_tol=ot_tolerance(p))


@VERY_FEW
@given(gaussians(dim=2), st.floats(0.2, 5.0), st.floats(0.2, 5.0))
def test_w1_between_concentric_isotropic_2d_gaussians(g, a, b):
    assume(abs(a - b) > 0.1)  # W1 well above the tolerance
    p, q = Gaussian(g.mean, std=a), Gaussian(g.mean, std=b)
    # The radial map x -> m + (b / a)(x - m) couples them at cost |b - a| E|Z| = |b - a| sqrt(pi / 2)
    # (Z standard 2-D normal, |Z| Rayleigh), and the 1-Lipschitz f(x) = |x - m| separates them by
    # as much, so that is W1. The library computes it by transport.
    expected = abs(b - a) * math.sqrt(math.pi / 2)
    assert math.isclose(w1(p, q), expected, abs_tol=ot_tolerance(p, q))


@given(st.one_of(st.tuples(*[continuous_1d()] * 2), on_one_support(2), st.tuples(discretes(), discretes())), st.data())
def test_w1_scales_with_the_laws(pair, data):
    p, q = pair
    s = data.draw(scales(positive=isinstance(p, Exponential) or isinstance(q, Exponential)))
    # each W1 is within TOL_1D; the rescaled one is |s| times a value of the same accuracy
    expected = abs(s) * w1(p, q)
    assert math.isclose(w1(scaled(p, s), scaled(q, s)), expected, rel_tol=TOL_SUM, abs_tol=(1 + abs(s)) * TOL_1D)


@given(gaussians(dim=2), gaussians(dim=2), scales())
def test_w1_scales_with_2d_gaussians_of_one_covariance(p, q, s):
    q = Gaussian(q.mean, cov=p.cov)  # equal covariances: W1 is the distance between the means
    sp, sq = Gaussian(s * p.mean, cov=s * s * p.cov), Gaussian(s * q.mean, cov=s * s * q.cov)
    assert math.isclose(w1(sp, sq), abs(s) * w1(p, q), rel_tol=TOL_SUM, abs_tol=TOL_SUM)


@VERY_FEW
@given(gaussians(dim=2), shifts(min_abs=0.5), shifts(min_abs=0.5), st.floats(0.1, 3.0), scales(positive=True))
def test_w1_scales_with_2d_gaussians_by_transport(p, a, b, angle, s):
    # q is p rotated and moved: W1 has no closed form (the numeric path alone, so that an isotropic
    # p still goes by transport), but it must scale. Two values, each within ot_tolerance.
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    cov = rot @ p.cov @ rot.T
    q = Gaussian(p.mean + [a, b], cov=0.5 * (cov + cov.T))
    sp, sq = Gaussian(s * p.mean, cov=s * s * p.cov), Gaussian(s * q.mean, cov=s * s * q.cov)
    expected = s * divergences.numeric("w1", p, q)
    tol = s * ot_tolerance(p, q) + ot_tolerance(sp, sq)
    assert math.isclose(divergences.numeric("w1", sp, sq), expected, abs_tol=tol)


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
    assert math.isclose(divergences.numeric("kl", p, q), expected, rel_tol=TOL_SUM, abs_tol=TOL_2D)


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
    assert math.isclose(divergences.numeric("kl", p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_1D)


@given(exponentials(), exponentials())
def test_kl_is_cross_entropy_minus_entropy_for_exponentials(p, q):
    if p.loc < q.loc:  # p charges (p.loc, q.loc), where q vanishes
        assert kl(p, q) == math.inf
        return
    entropy = 1 - math.log(p.rate)
    cross = -math.log(q.rate) + q.rate * (p.mean - q.loc)  # E_P[-log q(X)]
    assert math.isclose(kl(p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_SUM)
    assert math.isclose(divergences.numeric("kl", p, q), cross - entropy, rel_tol=TOL_SUM, abs_tol=TOL_1D)


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
