"""The optimal critic T* = f'(p/q) attains the variational bound: E_P[T*] - E_Q[f*(T*)] = D_f(P || Q).

Oracle: :func:`divergences.f_divergence` (closed forms, or the 1-D quadrature at 1e-9), against the
bound integrated with ``scipy.integrate.quad`` from the densities, T* and the generator's conjugate
(:mod:`divergences.generators`), with breakpoints where p = q (the kink of the TV critic). The
interval is where either log density exceeds -40: outside it both densities are below e^-40 and
the integrand, :math:`q f(p/q)` at T*, far below the tolerance of 1e-8. The pairs keep the
likelihood ratio p/q below e^36 on that interval: beyond about that, T* rounds to the end of the
conjugate's domain for js, gan and hellinger (p/q = 1e17 gives :math:`2 - e^{2T^*} = 0` for js),
where the literal integrand turns to inf - inf although its value is negligible. (A wider P than Q
does that in P's tails; small ratios are harmless.)
"""

import math

import numpy as np
import pytest
from scipy import integrate, optimize

import toys
from divergences import f_divergence
from divergences.generators import GENERATORS
from divergences.variational import optimal_critic

#: (P, Q): Gaussians of different widths, a mixture against a wider Gaussian, and the same with
#: equal widths. Neyman's chi2 (the integral of q^2/p) is infinite on the first two, where Q's tails
#: are the wider; every other value is finite.
PAIRS = {
    "gauss": (toys.Gaussian(0.0, 1.0), toys.Gaussian(1.0, 1.5)),
    "mixture-gauss": (toys.GaussianMixture([0.5, 0.5], [-1.5, 1.5], stds=[0.6, 0.6]), toys.Gaussian(0.0, 1.5)),
    "gauss-equal-widths": (toys.Gaussian(0.0, 1.0), toys.Gaussian(1.0, 1.0)),
    "mixture-equal-widths": (toys.GaussianMixture([0.3, 0.7], [-1.0, 1.0], stds=[1.0, 1.0]), toys.Gaussian(0.5, 1.0)),
}
TOLERANCE = 1e-8
N01 = toys.Gaussian(0.0, 1.0)


def _window(p, q):
    """The interval where either log density exceeds -40, and the points inside it where p = q."""
    grid = np.linspace(-60.0, 60.0, 240001)
    lp, lq = p.logpdf(grid), q.logpdf(grid)
    inside = grid[np.maximum(lp, lq) > -40.0]
    lo, hi = float(inside[0]), float(inside[-1])
    assert np.all((lp - lq)[np.maximum(lp, lq) > -40.0] < 36.0)  # see the module's docstring
    diff = lp - lq
    crossings = [
        optimize.brentq(lambda x: float(p.logpdf(x) - q.logpdf(x)), grid[i], grid[i + 1], xtol=1e-14)
        for i in np.flatnonzero(np.sign(diff[:-1]) != np.sign(diff[1:]))
        if lo < grid[i] < hi
    ]
    return lo, hi, crossings


def _bound(p, q, name):
    gen, critic = GENERATORS[name], optimal_critic(p, q, name)

    def integrand(x):
        t = critic(np.array([x]))
        return float(math.exp(p.logpdf(x)) * t[0] - math.exp(q.logpdf(x)) * gen.conjugate(t)[0])

    lo, hi, crossings = _window(p, q)
    value, error = integrate.quad(integrand, lo, hi, points=crossings or None, limit=500, epsabs=1e-12, epsrel=1e-12)
    assert error < 1e-9, (name, error)  # quad's own estimate of its error
    return value


@pytest.mark.parametrize("name", list(GENERATORS))
def test_the_bound_at_the_optimal_critic_is_the_f_divergence(name):
    checked = []
    for label, (p, q) in PAIRS.items():
        exact = f_divergence(p, q, name)
        if not math.isfinite(exact):
            assert name in ("pearson", "neyman"), (name, label)  # the chi2 whose integral diverges
            continue
        assert _bound(p, q, name) == pytest.approx(exact, abs=TOLERANCE), label
        checked.append(label)
    assert len(checked) >= 2, checked


def test_optimal_critic_closed_forms():
    p, q = PAIRS["gauss"]
    x = np.linspace(-4.0, 4.0, 41)
    log_ratio = p.logpdf(x) - q.logpdf(x)
    u = np.exp(log_ratio)
    expected = {
        "kl": log_ratio + 1.0,
        "reverse_kl": -1.0 / u,
        "pearson": 2.0 * (u - 1.0),
        "hellinger": 0.5 * (1.0 - 1.0 / np.sqrt(u)),
        "js": 0.5 * np.log(2.0 * u / (1.0 + u)),
        "gan": np.log(u / (1.0 + u)),  # log D*
        "tv": 0.5 * np.sign(u - 1.0),
    }
    for name, value in expected.items():
        np.testing.assert_allclose(optimal_critic(p, q, name)(x), value, rtol=1e-12, atol=1e-15, err_msg=name)
    # The raw output of the GAN-type critics is the logit of D* = p / (p + q).
    for name in ("js", "gan"):
        np.testing.assert_allclose(optimal_critic(p, q, name, raw=True)(x), log_ratio, rtol=1e-9, atol=1e-12)
    # raw = g^-1(T*): through the activation it gives T* back.
    for name, gen in GENERATORS.items():
        if name == "tv":  # V* = +-inf wherever p != q
            continue
        t, v = optimal_critic(p, q, name)(x), optimal_critic(p, q, name, raw=True)(x)
        np.testing.assert_allclose(gen.activation(v), t, rtol=1e-9, atol=1e-12, err_msg=name)
    assert np.all(np.isinf(optimal_critic(p, q, "tv", raw=True)(x[np.abs(log_ratio) > 1e-9])))


def test_optimal_critic_where_only_p_has_density():
    p, q = toys.Uniform(0.0, 2.0), toys.Uniform(0.0, 1.0)
    t = optimal_critic(p, q, "js")(np.array([0.5, 1.5, 3.0]))
    assert t[0] == pytest.approx(0.5 * math.log(2.0 * 0.5 / 1.5))  # u = 1/2
    assert t[1] == 0.5 * math.log(2.0)  # q = 0 < p: f'(inf)
    assert math.isnan(t[2])  # outside both supports


def test_inverse_activations_invert_the_activations():
    v = np.linspace(-6.0, 6.0, 121)
    for name, gen in GENERATORS.items():
        np.testing.assert_allclose(gen.inverse_activation(gen.activation(v)), v, atol=1e-12, err_msg=name)
    # At the ends of the ranges: -inf and inf.
    assert GENERATORS["js"].inverse_activation(0.5 * math.log(2.0)) == np.inf
    assert GENERATORS["tv"].inverse_activation(-0.5) == -np.inf


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: optimal_critic(toys.Bernoulli(0.3), N01, "kl"), TypeError, r"p must be a toy with a density"),
        (lambda: optimal_critic(N01, toys.Gaussian([0, 0]), "kl"), ValueError, r"same dimension, got 1 and 2"),
        (lambda: optimal_critic(N01, N01, "chi"), ValueError, r"f must be one of .*'chi'"),
        (lambda: optimal_critic(N01, N01, "kl", raw=1), TypeError, r"raw must be True or False"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
