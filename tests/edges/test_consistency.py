"""The toolkit against itself: identities between its functions, on random pairs of laws.

Class 5 of the edge cases: random 1-D pairs of Gaussians, exponentials, uniforms and Gaussian
mixtures (scales 1e-3 to 1e3, locations up to 300 scales from the origin and from each other,
nested, overlapping and separated supports) and random 2-D Gaussian pairs, on which two routes
through the toolkit must give one number: KL(P || Q) = H(P, Q) - H(P); TV = 1 - the error of the
best test (Scheffé); each closed form and the numeric path run alone (``numeric.compute``); and
reverse KL, which is KL with the arguments swapped, exactly. Contract (docs/methods.md): the
closed forms to rounding (1e-12 relative, TV 1e-13 absolute: tests/edges/test_closed_forms.py),
the 1-D numeric path and the entropies by quadrature to 1e-9 absolute (1e-12 relative above
1e3), the 2-D cubature to 1e-6 (1e-9 relative above 1e3), or the documented refusal: structure
more than 1e6 of its scales from the centre of the integration's coordinates.
"""

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

import divergences as D
from divergences.discrimination import best_test_error
from divergences.evaluate import NAMES, method
from divergences.numeric import compute
from toys import Discrete, Exponential, Gaussian, GaussianMixture, Uniform

#: The 1-D numeric path costs milliseconds per pair, the 2-D cubature of a Gaussian pair 0.01 to
#: 0.05 s, of a mixture 0.05 to 0.5 s.
ONE_D = settings(max_examples=200, deadline=None)
TWO_D = settings(max_examples=25, deadline=None)
FAMILIES = ("gaussian", "exponential", "uniform", "mixture")
#: Where the numeric path refuses a pair, its message says why and what to use instead.
REFUSAL = ("of its scales from the centre", "of its standard deviations from the centre")


def quadrature_accuracy(value):
    """The 1-D numeric path's: 1e-9 absolute, 1e-12 relative above 1e3."""
    return max(1e-9, 1e-12 * abs(value))


def check_refusal(exc, laws):
    """A refusal is documented only for structure more than 1e6 of its scales from the coordinates' centre.

    The centre is 0 or lies within the pair's extent, so some law must reach that far, in units
    of the smallest scale, from the origin or across the pair (a necessary condition).
    """
    assert any(reason in str(exc) for reason in REFUSAL) and "divergences.empirical" in str(exc), str(exc)
    locations = np.concatenate([np.ravel(loc) for loc, _ in laws])
    scales = np.concatenate([np.ravel(s) for _, s in laws])
    reach = np.max(np.abs(locations)) + np.ptp(locations) + 20 * np.max(scales)
    assert reach > 1e6 * np.min(scales), (str(exc), reach / np.min(scales))


def features(d):
    """(locations, scales) of a 1-D toy or of a 2-D Gaussian's marginals."""
    if isinstance(d, GaussianMixture):
        return (d.means, d.stds) if d.dim == 1 else (d.means, np.sqrt(np.diagonal(d.covs, axis1=1, axis2=2)))
    if isinstance(d, Gaussian):
        return (d.mean, d.std) if d.dim == 1 else (d.mean, np.sqrt(np.diag(d.cov)))
    if isinstance(d, Exponential):
        return d.loc, 1.0 / d.rate
    return d.low, d.width / 20  # a uniform's structure is resolved in panels of width/20 (toys.Uniform.features)


# -- random laws --------------------------------------------------------------------------------
def build(draw, family, location, scale):
    """One law of ``family`` at ``location`` with structure of size ``scale``."""
    if family == "gaussian":
        return Gaussian(location, scale)
    if family == "exponential":
        return Exponential(1.0 / scale, location)
    if family == "uniform":
        return Uniform(location - scale / 2, location + scale / 2)
    k = draw(st.integers(1, 3))
    raw = np.array([draw(st.floats(0.1, 1.0)) for _ in range(k)])
    means = [location + scale * draw(st.floats(-3.0, 3.0)) for _ in range(k)]
    stds = [scale * 10.0 ** draw(st.floats(-1.0, 0.5)) for _ in range(k)]
    return GaussianMixture(raw / raw.sum(), means, stds)


@st.composite
def pairs(draw, families=FAMILIES, same_family=False):
    """Two 1-D laws: scales 1e-3 to 1e3 (equal, within 1e-6, or up to 1e4 apart), P up to 300 of its
    scales from the origin, Q 0 to 300 of the larger scale from P."""
    f1 = draw(st.sampled_from(families))
    f2 = f1 if same_family else draw(st.sampled_from(families))
    s1 = 10.0 ** draw(st.floats(-3.0, 3.0))
    near_one = st.floats(-1e-6, 1e-6).map(lambda e: 1 + e)
    ratio = draw(st.one_of(st.just(1.0), near_one, st.floats(-4.0, 4.0).map(lambda e: 10**e)))
    s2 = min(max(s1 * ratio, 1e-3), 1e3)
    m1 = draw(st.floats(-300.0, 300.0)) * s1
    m2 = m1 + draw(st.floats(-1.0, 1.0)) * max(s1, s2) * draw(st.sampled_from([0.0, 0.1, 1.0, 3.0, 30.0, 300.0]))
    return build(draw, f1, m1, s1), build(draw, f2, m2, s2)


def principal(angle, along, across):
    r = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    c = (r * [along**2, across**2]) @ r.T
    return 0.5 * (c + c.T)


@st.composite
def gaussian_pairs_2d(draw):
    """Two 2-D Gaussians: sds 1e-3 to 1e3, elongations up to 1e3 (covariances of condition <= 1e6:
    nearer the conditioning limit KL's rounding is its own subject, tests/edges/test_two_d.py), equal
    covariances or not, means 0 to 300 Mahalanobis units apart, up to 300 sds from the origin."""
    s = 10.0 ** draw(st.floats(-3.0, 3.0))
    c1 = principal(draw(st.floats(0.0, math.pi)), s, s / 10.0 ** draw(st.floats(0.0, 3.0)))
    if draw(st.sampled_from(["equal", "other", "other"])) == "equal":
        c2 = c1
    else:
        t = s * 10.0 ** draw(st.floats(-2.0, 2.0))
        c2 = principal(draw(st.floats(0.0, math.pi)), t, t / 10.0 ** draw(st.floats(0.0, 3.0)))
    m1 = np.array([draw(st.floats(-300.0, 300.0)) for _ in range(2)]) * s
    z = np.array([draw(st.floats(-1.0, 1.0)) for _ in range(2)]) * draw(st.sampled_from([0.0, 0.3, 3.0, 30.0, 300.0]))
    return Gaussian(m1, cov=c1), Gaussian(m1 + np.linalg.cholesky(c1) @ z, cov=c2)


# -- KL = H(P, Q) - H(P) ----------------------------------------------------------------------
@ONE_D
@given(pairs())
# the repros, a mixture of spread 1 far out: its variance as E[X^2] - mean^2 (-2.0 at 1e8), its
# rounded mean in the cross-entropy, and the entropy's quadrature on nodes rounded by 1e-4 at 1e12
@example((GaussianMixture([0.3, 0.7], [1e6, 1e6 + 1.0], [1.0, 1.0]), Gaussian(1e6 + 3.0, 1.0)))
@example((GaussianMixture([0.3, 0.7], [1e12, 1e12 + 1.0], [1.0, 0.5]), Gaussian(1e12 + 3.0, 1.0)))
def test_kl_is_cross_entropy_minus_entropy(pair):
    p, q = pair
    try:
        kl, cross, h = D.kl(p, q), D.cross_entropy(p, q), D.entropy(p)
    except NotImplementedError as exc:
        check_refusal(exc, [features(p), features(q)])
        return
    assert math.isfinite(h)
    if math.isinf(kl) or math.isinf(cross):
        assert kl == cross == math.inf
        return
    # three values within 1e-9 each (1e-12 relative above 1e3); the difference rounds by 2^-52 of
    # the larger term, well within 1e-12 of it
    tolerance = quadrature_accuracy(kl) + quadrature_accuracy(cross) + quadrature_accuracy(h)
    assert abs(kl - (cross - h)) <= tolerance, (kl, cross, h)


# -- TV = 1 - the best test's error --------------------------------------------------------
@st.composite
def discrete_pairs(draw):
    """Two discrete laws on random subsets of a scaled grid of 8 atoms (disjoint, nested or overlapping)."""
    scale = 10.0 ** draw(st.floats(-3.0, 3.0))

    def law():
        atoms = draw(st.lists(st.integers(0, 7), min_size=1, max_size=8, unique=True))
        raw = np.array([draw(st.floats(0.01, 1.0)) for _ in atoms])
        return Discrete(scale * np.array(atoms, dtype=float), raw / raw.sum())

    return law(), law()


@ONE_D
@given(st.one_of(pairs(), discrete_pairs()))
def test_tv_is_one_minus_the_best_test_error(pair):
    p, q = pair
    try:
        tv = D.tv(p, q)
    except NotImplementedError as exc:
        check_refusal(exc, [features(p), features(q)])
        return
    # TV within 1e-9; the best test's error is a sum of CDF differences over Scheffé's set, whose
    # ends are located to machine precision (1e-15 each), plus 1e-9 for crossings of p and q closer
    # than its grid, which it may miss (they change the error by the mass between them)
    assert abs(tv - (1.0 - best_test_error(p, q))) <= 2e-9, (tv, best_test_error(p, q))


# -- closed forms against the numeric path -------------------------------------------------
@ONE_D
@given(pairs(families=("gaussian", "exponential", "uniform"), same_family=True))
def test_closed_forms_against_the_quadrature(pair):
    p, q = pair
    names = [name for name in NAMES if method(name, p, q) == "closed form"]
    assert {"kl", "w1"} <= set(names)  # for these three families, at least
    for name in names:
        exact = getattr(D, name)(p, q)
        if math.isinf(exact):
            # KL = inf comes from the support rule (the support of P not inside Q's), which
            # ``compute`` skips with the other closed forms: the quadrature alone sees a support
            # sticking out by 1e-16 of the scale, not by 1e-42 (it returns 0.0 there)
            continue
        try:
            value = compute(name, p, q)
        except NotImplementedError as exc:
            check_refusal(exc, [features(p), features(q)])
            continue
        # the quadrature's accuracy, plus the closed form's own 1e-12 relative and 1e-13 absolute
        assert abs(value - exact) <= quadrature_accuracy(exact) + 1e-12 * abs(exact) + 1e-13, (name, value, exact)


@TWO_D
@given(gaussian_pairs_2d())
def test_closed_forms_against_the_cubature(pair):
    # KL always, TV for equal covariances; W1 (equal covariances: the distance of the means) is
    # checked against the transport as a one-component mixture and its translate in test_two_d.py
    p, q = pair
    assert method("kl", p, q) == "closed form"
    for name in ("kl", "tv"):
        if method(name, p, q) != "closed form":
            assert name == "tv" and not np.array_equal(p.cov, q.cov)
            continue
        exact = getattr(D, name)(p, q)
        try:
            value = compute(name, p, q)
        except NotImplementedError as exc:
            check_refusal(exc, [features(p), features(q)])
            continue
        assert abs(value - exact) <= max(1e-6, 1e-9 * exact), (name, value, exact)


# -- reverse KL is KL swapped ------------------------------------------------------------------
@st.composite
def mixture_pairs_2d(draw):
    """Two 2-D mixtures of one or two components, at unit scale."""

    def mixture():
        k = draw(st.integers(1, 2))
        raw = np.array([draw(st.floats(0.1, 1.0)) for _ in range(k)])
        means = [[draw(st.floats(-3.0, 3.0)) for _ in range(2)] for _ in range(k)]
        covs = [principal(draw(st.floats(0.0, math.pi)), 1.0, 10.0 ** -draw(st.floats(0.0, 1.0))) for _ in range(k)]
        return GaussianMixture(raw / raw.sum(), means, covs=covs)

    return mixture(), mixture()


@ONE_D
@given(st.one_of(pairs(), discrete_pairs()))
def test_reverse_kl_is_kl_swapped_in_one_dimension(pair):
    p, q = pair
    try:
        swapped = D.kl(q, p)
    except NotImplementedError as exc:
        check_refusal(exc, [features(p), features(q)])
        return
    assert D.reverse_kl(p, q) == swapped
    if math.isfinite(swapped) and method("kl", q, p) == "quadrature":
        assert compute("reverse_kl", p, q) == compute("kl", q, p)


@settings(max_examples=3, deadline=None)
@given(st.one_of(gaussian_pairs_2d(), mixture_pairs_2d()))
def test_reverse_kl_is_kl_swapped_in_two_dimensions(pair):
    p, q = pair
    try:
        swapped = D.kl(q, p)
    except NotImplementedError as exc:
        check_refusal(exc, [features(p), features(q)])
        return
    assert D.reverse_kl(p, q) == swapped and math.isfinite(swapped)
