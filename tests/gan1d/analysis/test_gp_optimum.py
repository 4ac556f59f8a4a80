r"""The WGAN-GP critic's penalised optimum on the parallel lines, against numerical maximisation.

Oracle: the penalised objective itself, over the first coordinate u (the two lines share the
second), integrated by quadrature and maximised numerically over two critic families that are
richer than the closed form's linear critic:

* a cubic critic :math:`f(u) = a u + b u^2 + c u^3`, penalty by adaptive quadrature;
* a piecewise-linear critic with one free slope per cell of a grid on :math:`[0, |\theta|]`,
  started from random slopes (hypothesis draws the seed).

Both must find the linear critic of slope :math:`1 + |\theta| / (2\lambda)`.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize

from gan1d.analysis.gp_optimum import gp_optimum_lines


def _cubic_objective(coef, theta, lam):
    """-(E_P f - E_Q f - lam E (|f'(u)| - 1)^2), u uniform between 0 and theta, f(u) = a u + b u^2 + c u^3."""
    a, b, c = coef
    f_theta = a * theta + b * theta**2 + c * theta**3  # f(0) = 0: the real line
    lo, hi = sorted((0.0, theta))
    penalty, _ = integrate.quad(lambda u: (abs(a + 2 * b * u + 3 * c * u**2) - 1) ** 2, lo, hi, epsabs=1e-13)
    return -(0.0 - f_theta - lam * penalty / abs(theta))


@pytest.mark.parametrize(("theta", "lam"), [(1.0, 10.0), (-1.0, 10.0), (0.3, 10.0), (-2.0, 1.0), (0.7, 0.5)])
def test_the_best_cubic_critic_is_the_linear_closed_form(theta, lam):
    start = [-0.5 * math.copysign(1.0, theta), 0.1, -0.1]
    res = optimize.minimize(_cubic_objective, start, args=(theta, lam), method="Nelder-Mead",
                            options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20_000})  # fmt: skip
    a, b, c = res.x
    estimate, slope = gp_optimum_lines(theta, lam)
    # Nelder-Mead to 1e-10 in the coefficients: the maximiser agrees to ~1e-6 (the objective is flat to
    # second order around it, so its coordinates are found to about the square root of fatol).
    assert abs(b) < 1e-5 and abs(c) < 1e-5
    assert a == pytest.approx(-math.copysign(1.0, theta) * (1 + abs(theta) / (2 * lam)), abs=1e-5)
    f_theta = a * theta + b * theta**2 + c * theta**3
    assert -f_theta == pytest.approx(estimate, abs=1e-5)  # E_P f - E_Q f
    # The generator's loss -E f(theta, z), critic held fixed: its theta-derivative is -f'(theta).
    assert -(a + 2 * b * theta + 3 * c * theta**2) == pytest.approx(slope, abs=1e-4)
    # The penalised objective at the optimum: |theta| + theta^2 / (4 lam) (the Notes' derivation).
    assert -res.fun == pytest.approx(abs(theta) + theta**2 / (4 * lam), abs=1e-8)


def _piecewise_objective(g, theta, lam, one_sided):
    """Negative penalised objective, per cell width, for slopes g (positive: f rises towards the real
    line) on equal cells of [0, |theta|], and its gradient in g."""
    excess = np.abs(g) - 1
    if one_sided:
        excess = np.maximum(excess, 0.0)
    c = lam / abs(theta)  # the penalty per unit of the objective
    return -(np.sum(g) - c * np.sum(excess**2)), -(1 - 2 * c * excess * np.sign(g))


def _maximise_profile(g0, theta, lam, one_sided):
    res = optimize.minimize(_piecewise_objective, g0, args=(theta, lam, one_sided), method="L-BFGS-B", jac=True,
                            options={"ftol": 1e-15, "gtol": 1e-12})  # fmt: skip
    return res.x


@settings(max_examples=20)  # each example runs three optimisations
@given(
    seed=st.integers(0, 2**32 - 1),
    theta=st.floats(0.05, 3.0).map(lambda t: round(t, 3)),
    negative=st.booleans(),
    lam=st.sampled_from([0.5, 1.0, 10.0, 100.0]),
)
def test_the_best_free_slope_profile_is_constant(seed, theta, negative, lam):
    theta = -theta if negative else theta
    rng = np.random.default_rng(seed)
    estimate, slope = gp_optimum_lines(theta, lam)
    h = abs(theta) / 10
    # One-sided penalty: concave in each slope, so from any start the maximiser is the closed form.
    # L-BFGS-B on this separable objective: slopes to ~1e-10 or better (gtol / curvature 2 lam / |theta|).
    g = _maximise_profile(rng.uniform(-2.0, 3.0, size=10), theta, lam, one_sided=True)
    np.testing.assert_allclose(g, abs(slope), rtol=1e-5)
    assert np.sum(g) * h == pytest.approx(estimate, rel=1e-5)
    # Two-sided penalty: the same maximiser from slopes pointing the right way...
    g = _maximise_profile(rng.uniform(0.1, 3.0, size=10), theta, lam, one_sided=False)
    np.testing.assert_allclose(g, abs(slope), rtol=1e-5)
    # ...but a second, local maximum at -(1 - |theta| / (2 lam)) when |theta| < 2 lam: a slope pointing
    # the wrong way cannot turn round through 0 (the 1-D lock-in of gan1d.training.losses.gradient_penalty).
    g = _maximise_profile(rng.uniform(-3.0, -0.1, size=10), theta, lam, one_sided=False)
    if abs(theta) < 2 * lam - 0.01:
        np.testing.assert_allclose(g, -(1 - abs(theta) / (2 * lam)), rtol=1e-5, atol=1e-7)
    elif abs(theta) > 2 * lam + 0.01:  # no barrier: the slope turns round (at 2 lam itself, 0 is stationary)
        np.testing.assert_allclose(g, abs(slope), rtol=1e-5)


def test_limits_and_symmetry():
    t = np.arange(-30, 31) / 10  # exactly symmetric about 0
    est, slope = gp_optimum_lines(t, 10.0)
    np.testing.assert_array_equal(est, est[::-1])  # even in theta
    np.testing.assert_array_equal(slope, -slope[::-1])  # odd
    assert np.all(est >= np.abs(t)) and est[30] == 0.0 and slope[30] == 0.0
    hard, hard_slope = gp_optimum_lines(t, 1e12)  # the hard constraint: W1 = |theta|, slope sign(theta)
    np.testing.assert_allclose(hard, np.abs(t), atol=1e-11)
    np.testing.assert_allclose(hard_slope, np.sign(t), atol=1e-11)
    # Envelope theorem: the generator's gradient (critic held fixed) is the theta-derivative of the
    # optimal *penalised* objective |t| + t^2 / (4 lam), not of the estimate |t| + t^2 / (2 lam).
    lam, h = 10.0, 1e-6
    penalised = lambda t: abs(t) + t**2 / (4 * lam)
    for t0 in (-1.5, 0.3, 2.0):
        numeric = (penalised(t0 + h) - penalised(t0 - h)) / (2 * h)
        assert gp_optimum_lines(t0, lam)[1] == pytest.approx(numeric, rel=1e-8)
        est_derivative = (gp_optimum_lines(t0 + h, lam)[0] - gp_optimum_lines(t0 - h, lam)[0]) / (2 * h)
        assert est_derivative == pytest.approx(np.sign(t0) * (1 + abs(t0) / lam), rel=1e-8)


def test_scalar_in_scalar_out():
    est, slope = gp_optimum_lines(0.5)
    assert isinstance(est, float) and isinstance(slope, float)
    est, slope = gp_optimum_lines([0.5])
    assert isinstance(est, np.ndarray) and est.shape == (1,)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"theta": 1.0, "gp_weight": 0.0}, ValueError, "gp_weight must be > 0, got 0.0"),
        ({"theta": 1.0, "gp_weight": -1.0}, ValueError, "gp_weight"),
        ({"theta": 1.0, "gp_weight": math.nan}, ValueError, "gp_weight must be finite"),
        ({"theta": 1.0, "gp_weight": "10"}, TypeError, "gp_weight must be a real number"),
        ({"theta": "1"}, TypeError, "theta must be a real number"),
        ({"theta": True}, TypeError, "theta must be a real number"),
        ({"theta": [1.0, None]}, TypeError, "theta"),
        ({"theta": [0.5, math.inf]}, ValueError, "theta must be finite"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        gp_optimum_lines(**kwargs)
