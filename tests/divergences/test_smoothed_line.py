"""The smoothed parallel lines (toys.SmoothedLine) and their closed forms (divergences.closed_forms.smoothed_line).

Oracles: scipy's adaptive quadrature of the convolution that defines the density's factor in y,
and a second closed form of its integral (the CDF); ``scipy.integrate.dblquad`` of the toy's own
2-D density for TV and KL; the package's 2-D cubature (``divergences.numeric``, <= 1e-6) on a
Gaussian mixture with the same factorised structure, which shares no code with the closed forms;
exact optimal transport (POT) between a sample and its translate for W1; and seeded Monte Carlo
for the sampler.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

import divergences as dv
import toys
from toys import ShiftedLine, SmoothedLine

LN2 = math.log(2.0)


def profile_by_quadrature(y, sigma):
    """The factor in y, int_0^1 N(y; z, sigma^2) dz, by scipy's quad."""
    value, _ = integrate.quad(
        lambda z: stats.norm.pdf(y, loc=z, scale=sigma), 0.0, 1.0, epsabs=0.0, epsrel=1e-13, limit=200
    )
    return value


def profile_cdf(y, sigma):
    """P(Y <= y) = sigma [psi(y / sigma) - psi((y - 1) / sigma)], psi(z) = z Phi(z) + phi(z)."""

    def psi(z):
        return z * special.ndtr(z) + stats.norm.pdf(z)

    return sigma * (psi(y / sigma) - psi((y - 1.0) / sigma))


def stand_in(theta, sigma, k=3):
    """A mixture of k Gaussians N((theta, y_j), sigma^2 I): like the smoothed line, its density is a
    N(theta, sigma^2) in x times a factor in y that does not depend on theta."""
    y = (np.arange(k) + 0.5) / k
    return toys.GaussianMixture(
        weights=np.full(k, 1.0 / k),
        means=np.stack([np.full(k, theta), y], axis=1),
        covs=np.broadcast_to(sigma**2 * np.eye(2), (k, 2, 2)),
    )


# -- the toy ------------------------------------------------------------------------------------
@given(y=st.floats(-3.0, 4.0), sigma=st.floats(0.05, 3.0))
def test_profile_is_the_convolution(y, sigma):
    z = max(0.0, -y, y - 1.0)  # distance to the segment
    assume(z / sigma <= 30)  # factor above 1e-198: quad's relative accuracy holds (~1e-13)
    expected = profile_by_quadrature(y, sigma)
    assert math.isclose(math.exp(SmoothedLine(0.0, sigma).log_profile(y)), expected, rel_tol=1e-9)


@pytest.mark.parametrize("sigma", [1e-3, 0.1, 1.0, 1e3])
def test_profile_far_in_the_tails(sigma):
    # 40 sigma beyond an end the factor is below 1e-300 for small sigma, where a difference of
    # ndtr values would round to 0 and its log to -inf. The factor is the integral of the
    # N(0, sigma^2) density over [z, z + 1], z the distance to the segment, so by the mean value
    # theorem its log lies between the log densities at z + 1 and at z.
    line = SmoothedLine(0.0, sigma)
    for y in (-40 * sigma, 1 + 40 * sigma):
        z = 40 * sigma
        value = float(line.log_profile(y))
        low, high = stats.norm.logpdf([z + 1, z], scale=sigma)
        assert np.isfinite(value) and low - 1e-12 <= value <= high + 1e-12
        assert value <= special.log_ndtr(-z / sigma) + 1e-12  # and below the whole tail beyond z


@pytest.mark.parametrize("sigma", [0.05, 0.4])
def test_density_integrates_to_one_and_is_symmetric(sigma):
    line = SmoothedLine(0.7, sigma)
    mass, _ = integrate.dblquad(
        lambda y, x: line.pdf([x, y]), 0.7 - 12 * sigma, 0.7 + 12 * sigma, -12 * sigma, 1 + 12 * sigma, epsabs=1e-11
    )
    assert math.isclose(mass, 1.0, abs_tol=1e-8)
    pts = np.array([[0.6, 0.1], [0.9, -0.3], [0.7, 0.45]])
    mirrored = pts * [1, -1] + [0, 1]  # y -> 1 - y
    np.testing.assert_allclose(line.pdf(pts), line.pdf(mirrored), rtol=1e-13)
    assert line.pdf(pts).shape == (3,) and np.ndim(line.logpdf([0.7, 0.5])) == 0


def test_sampler_matches_the_law():
    line = SmoothedLine(-0.4, 0.3)
    x = line.sample(4000, rng=7)
    assert x.shape == (4000, 2)
    # x-coordinate ~ N(theta, sigma^2) and y-coordinate ~ the profile: Kolmogorov-Smirnov with
    # seeded draws; p > 1e-3 fails by chance once in a thousand seeds, and this seed is fixed
    assert stats.kstest(x[:, 0], stats.norm(-0.4, 0.3).cdf).pvalue > 1e-3
    assert stats.kstest(x[:, 1], lambda y: profile_cdf(y, 0.3)).pvalue > 1e-3
    # the CDF oracle is itself the integral of the profile
    assert math.isclose(profile_cdf(0.8, 0.3), integrate.quad(lambda t: profile_by_quadrature(t, 0.3), -6, 0.8)[0])
    # moments: 5 standard errors of the sample means and variances
    n = x.shape[0]
    np.testing.assert_allclose(x.mean(axis=0), line.mean, atol=5 * math.sqrt(line.cov[1, 1] / n))
    var = np.diag(line.cov)
    # relative sd of a sample variance: sqrt((kurtosis - 1) / n), kurtosis 3 in x and below 3 in y
    np.testing.assert_allclose(x.var(axis=0), var, rtol=5 * math.sqrt(2.0 / n))
    assert abs(np.corrcoef(x.T)[0, 1]) < 5 / math.sqrt(n)


def test_moments_and_repr():
    line = SmoothedLine(1.5, 0.2)
    np.testing.assert_array_equal(line.mean, [1.5, 0.5])
    np.testing.assert_allclose(line.cov, [[0.04, 0.0], [0.0, 1 / 12 + 0.04]])
    assert repr(line) == "SmoothedLine(theta=1.5, sigma=0.2)"
    assert line.dim == 2 and isinstance(line, toys.ContinuousDistribution)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"theta": 0.0, "sigma": 0.0}, ValueError, r"sigma must be > 0, got 0\.0; sigma = 0 is toys\.ShiftedLine"),
        ({"theta": 0.0, "sigma": -1.0}, ValueError, r"sigma must be > 0, got -1\.0"),
        ({"theta": 0.0, "sigma": 1e-200}, ValueError, r"sigma must be between 1.49e-154 and 1.34e\+154.*got 1e-200"),
        ({"theta": math.inf, "sigma": 1.0}, ValueError, r"theta must be finite, got inf"),
        ({"theta": "a", "sigma": 1.0}, TypeError, r"theta must be a real number, got 'a'"),
        ({"theta": 0.0, "sigma": [0.1, 0.2]}, TypeError, r"sigma must be a real number"),
    ],
)
def test_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        SmoothedLine(**kwargs)


def test_bad_points():
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., 2\) for a 2-D law, got shape \(3,\)"):
        SmoothedLine(0.0, 1.0).logpdf([0.0, 1.0, 2.0])


# -- the closed forms -----------------------------------------------------------------------------
def test_closed_forms_are_those_of_the_x_gaussians():
    p, q = SmoothedLine(0.2, 0.5), SmoothedLine(-0.5, 0.5)
    gp, gq = toys.Gaussian(0.2, 0.5), toys.Gaussian(-0.5, 0.5)
    delta = 0.7 / 0.5
    assert math.isclose(dv.kl(p, q), delta**2 / 2, rel_tol=1e-14) and dv.kl(p, q) == dv.reverse_kl(p, q)
    assert math.isclose(dv.tv(p, q), 2 * special.ndtr(delta / 2) - 1, rel_tol=1e-14)
    assert math.isclose(dv.tv(p, q), dv.tv(gp, gq), rel_tol=1e-14)
    assert math.isclose(dv.js(p, q), dv.js(gp, gq), abs_tol=1e-12)
    assert dv.w1(p, q) == pytest.approx(0.7, abs=1e-15)


@settings(max_examples=8)  # the cubature takes ~0.1 s per divergence
@given(theta=st.floats(-2.0, 2.0), sigma=st.floats(0.2, 1.0))
def test_closed_forms_against_the_2d_cubature(theta, sigma):
    # the stand-in mixtures factorise like the smoothed lines, so their divergences are the same
    # numbers; the 2-D cubature's stated accuracy is 1e-6 absolute
    p, q = SmoothedLine(0.0, sigma), SmoothedLine(theta, sigma)
    a, b = stand_in(0.0, sigma), stand_in(theta, sigma)
    for name in ("tv", "kl", "js"):
        closed = getattr(dv, name)(p, q)
        assert abs(closed - dv.numeric.compute(name, a, b)) <= 1e-6, name
        assert abs(getattr(dv, name)(q, p) - closed) <= 1e-12, name  # symmetric in the pair


@pytest.mark.parametrize("name", ["tv", "kl"])
def test_closed_forms_against_dblquad_of_the_density(name):
    # the toy's own 2-D density, integrated by scipy: the x-range is split at the kink of |p - q|
    # (x = (theta_p + theta_q) / 2); each piece is accurate to ~1e-10
    sigma, tp, tq = 0.5, 0.0, 0.7
    p, q = SmoothedLine(tp, sigma), SmoothedLine(tq, sigma)

    def integrand(y, x):
        lp, lq = p.logpdf([x, y]), q.logpdf([x, y])
        return 0.5 * abs(math.exp(lp) - math.exp(lq)) if name == "tv" else math.exp(lp) * (lp - lq)

    edges = [tp - 10 * sigma, (tp + tq) / 2, tq + 10 * sigma]
    total = sum(
        integrate.dblquad(integrand, a, b, -10 * sigma, 1 + 10 * sigma, epsabs=1e-11, epsrel=1e-10)[0]
        for a, b in zip(edges[:-1], edges[1:])
    )
    assert abs(total - getattr(dv, name)(p, q)) <= 1e-8


def test_w1_is_the_shift():
    # exact transport between a sample and its translate by (theta, 0): the translation is a
    # coupling of cost |theta| and E||X - Y|| >= ||E X - E Y|| = |theta|, so the LP returns |theta|
    # up to its own rounding
    x = SmoothedLine(0.0, 0.3).sample(300, rng=3)
    for theta in (0.25, -1.5):
        y = x + [theta, 0.0]
        assert dv.empirical.w1(x, y) == pytest.approx(abs(theta), abs=1e-9)
        assert dv.w1(SmoothedLine(0.0, 0.3), SmoothedLine(theta, 0.3)) == abs(theta)
    # the package's 2-D transport on the stand-ins agrees within its stated 2e-2
    assert abs(dv.numeric.compute("w1", stand_in(0.0, 0.3), stand_in(0.6, 0.3)) - 0.6) <= 2e-2


def test_small_sigma_tends_to_the_parallel_lines():
    # for theta != 0, as sigma -> 0: TV -> 1, JS -> ln 2, KL -> inf, increasingly (delta = theta / sigma grows);
    # at theta = 0 all are 0 for every sigma; W1 = |theta| throughout
    sigmas = [1.0, 0.3, 0.1, 0.03, 0.01, 1e-3]
    theta = 0.5
    ref = {name: getattr(dv, name)(ShiftedLine(0.0), ShiftedLine(theta)) for name in ("tv", "js", "kl", "w1")}
    tv = [dv.tv(SmoothedLine(0.0, s), SmoothedLine(theta, s)) for s in sigmas]
    js = [dv.js(SmoothedLine(0.0, s), SmoothedLine(theta, s)) for s in sigmas]
    kl = [dv.kl(SmoothedLine(0.0, s), SmoothedLine(theta, s)) for s in sigmas]
    # strictly increasing until TV and JS reach 1 and ln 2 in floating point
    assert np.all(np.diff(tv[:4]) > 0) and np.all(np.diff(kl) > 0) and np.all(np.diff(js[:4]) > 0)
    assert np.all(np.diff(tv) >= 0) and np.all(np.diff(js) >= -1e-9)
    assert tv[-1] == ref["tv"] == 1.0 and abs(js[-1] - ref["js"]) <= 1e-9 and ref["kl"] == math.inf
    assert [dv.w1(SmoothedLine(0.0, s), SmoothedLine(theta, s)) for s in sigmas] == [ref["w1"]] * len(sigmas)
    for s in sigmas:
        same = (SmoothedLine(0.3, s), SmoothedLine(0.3, s))
        assert dv.tv(*same) == dv.kl(*same) == dv.js(*same) == dv.w1(*same) == 0.0


def test_curves_use_the_closed_forms():
    thetas = np.linspace(-1.0, 1.0, 9)
    out = dv.curves(lambda t: SmoothedLine(t, 0.25), thetas, SmoothedLine(0.0, 0.25))
    np.testing.assert_allclose(out["kl"], thetas**2 / (2 * 0.25**2), rtol=1e-14)
    np.testing.assert_allclose(out["reverse_kl"], out["kl"], rtol=1e-14)
    np.testing.assert_allclose(out["tv"], 2 * special.ndtr(np.abs(thetas) / 0.5) - 1, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(out["w1"], np.abs(thetas), rtol=1e-15)
    assert np.all(np.diff(out["js"][4:]) > 0) and out["js"][4] == 0.0


def test_pairs_without_a_closed_form():
    # different widths: no factor in common, and the numeric path does not cover this law
    p, q = SmoothedLine(0.0, 0.3), SmoothedLine(0.5, 0.4)
    for name in ("tv", "kl", "js", "w1"):
        with pytest.raises(NotImplementedError):
            getattr(dv, name)(p, q)
    # against the unsmoothed segment: a continuous law against a singular one
    assert dv.tv(p, ShiftedLine(0.0)) == 1.0 and dv.js(ShiftedLine(0.0), p) == LN2
    assert dv.kl(p, ShiftedLine(0.0)) == dv.kl(ShiftedLine(0.0), p) == math.inf
