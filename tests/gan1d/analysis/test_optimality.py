"""Trained discriminators and critics against the theory (gan1d.analysis.optimality).

Oracles: :math:`V(G, D) \\le C(G) = -\\ln 4 + 2\\,JS` for every D (Goodfellow et al.), so the exact
JS estimate of a trained D can never exceed :func:`divergences.js`; seeded Monte Carlo of the same
expectations with the float32 network (tolerance 5 standard errors plus the float32 rounding);
central differences for gradients; the Kantorovich-Rubinstein bound, and on the parallel lines
the penalised optimum :math:`|\\theta| + \\theta^2/(2\\lambda)` with slope
:math:`1 + |\\theta|/(2\\lambda)` (tests/gan1d/analysis/test_critics.py, module Notes), whose ratio is W1.
Training budgets are small; each measured margin is stated where it is asserted.
"""

import math

import numpy as np
import pytest
import torch
from scipy import special

import divergences
import gan1d
import toys

LN4 = math.log(4.0)
LEAKY = gan1d.MLP(width=32, depth=2, activation="leaky_relu")
REAL, FAKE = toys.Gaussian(0.0, 1.0), toys.Gaussian(1.5, 0.7)


@pytest.fixture(scope="module")
def discriminator():
    return gan1d.train_critic("gan", REAL, FAKE, steps=600, seed=0, discriminator=LEAKY, lr_d=1e-3)


@pytest.fixture(scope="module")
def gaussian_critic():
    real, fake = toys.Gaussian(0.0, 1.0), toys.Gaussian(2.0, 1.0)
    f = gan1d.train_critic("wgan-gp", real, fake, steps=800, seed=0, discriminator=gan1d.MLP(width=32, depth=2),
                           lr_d=1e-3)  # fmt: skip
    return f, real, fake


# -- scores and gradients ----------------------------------------------------------------------------
def test_scores_are_the_network_in_float64(discriminator, gaussian_critic):
    x = np.linspace(-4, 4, 201)
    np.testing.assert_allclose(
        special.expit(gan1d.analysis.critic_score(discriminator, x)), discriminator(x), atol=1e-6
    )
    f = gaussian_critic[0]
    np.testing.assert_allclose(gan1d.analysis.critic_score(f, x), f(x), atol=1e-5)  # float32 rounding of values ~ 2


def test_gradient_against_central_differences(gaussian_critic):
    f = gaussian_critic[0]
    x, h = np.linspace(-3.0, 5.0, 41) + 1e-3, 1e-7  # piecewise linear: exact off the kinks
    g = gan1d.analysis.critic_gradient(f, x)
    assert g.shape == (41, 1)
    fd = (gan1d.analysis.critic_score(f, x + h) - gan1d.analysis.critic_score(f, x - h)) / (2 * h)
    assert np.median(np.abs(g[:, 0] - fd)) < 1e-6


def test_gradient_of_a_2d_critic():
    f = gan1d.train_critic("wgan-gp", toys.ShiftedLine(0.0), toys.ShiftedLine(1.0), steps=3, seed=1,
                           discriminator=gan1d.MLP(width=8, depth=1, activation="tanh"))  # fmt: skip
    z = np.array([[0.2, 0.3], [0.9, 0.1]])
    g, h = gan1d.analysis.critic_gradient(f, z), 1e-6
    for k in range(2):
        step = np.zeros(2)
        step[k] = h
        fd = (gan1d.analysis.critic_score(f, z + step) - gan1d.analysis.critic_score(f, z - step)) / (2 * h)
        np.testing.assert_allclose(g[:, k], fd, atol=1e-7)


# -- the discriminator against D* ----------------------------------------------------------------------
def test_discriminator_gap(discriminator):
    r = gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE)
    js = divergences.js(REAL, FAKE)
    assert r.optimum == pytest.approx(-LN4 + 2 * js, abs=1e-9)
    # V(G, D) <= C(G) for every D: the trained D's exact estimate cannot exceed JS
    assert r.value <= r.optimum + 1e-9 and r.js_estimate <= js + 1e-9
    # ...and after 600 updates it is close (seed 0: 0.2875 against 0.2878)
    assert r.js_estimate > js - 0.01
    np.testing.assert_allclose(r.d_star, gan1d.optimal_discriminator(REAL, FAKE)(r.x), rtol=1e-12)
    assert r.x.shape == (1001,) and np.all((r.d >= 0) & (r.d <= 1))
    # measured after 600 updates, seed 0: max gap on the bulk 0.04, mean gap 0.01
    assert r.max_gap < 0.1 and r.mean_gap < 0.03
    assert r.batch_estimate == pytest.approx(discriminator.history["estimate"][-60:].mean())


def test_exact_value_against_monte_carlo_of_the_network(discriminator):
    r = gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, x=np.linspace(-2, 2, 5))
    rng = np.random.default_rng(3)
    n = 200_000
    xp, xq = REAL.sample(n, rng), FAKE.sample(n, rng)
    tp, tq = np.log(discriminator(xp)), np.log1p(-discriminator(xq))
    se = math.sqrt((tp.var() + tq.var()) / n)
    assert r.value == pytest.approx(tp.mean() + tq.mean(), abs=5 * se + 1e-5)  # 1e-5: float32 network
    assert r.x.tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]


# -- the WGAN critic as a witness ---------------------------------------------------------------------
def test_witness_bound_on_a_gaussian_shift(gaussian_critic):
    f, real, fake = gaussian_critic
    r = gan1d.analysis.witness_bound(f, real, fake, n=20_000)
    assert r.w1 == 2.0 and r.gap_se == 0.0  # 1-D laws with densities: the gap is a quadrature
    rng = np.random.default_rng(5)
    xp, xq = real.sample(200_000, rng), fake.sample(200_000, rng)
    fp, fq = f(xp), f(xq)
    se = math.sqrt((fp.var() + fq.var()) / 200_000)
    assert r.gap == pytest.approx(fp.mean() - fq.mean(), abs=5 * se)
    # The penalised optimum overshoots W1 (by 10.5% for a shift of 2) and so does the slope;
    # the ratio is a lower bound. Seed 0 after 800 updates: gap 2.21, slope 1.18, bound 1.88.
    assert r.gap > r.w1 and r.lipschitz > 1
    assert 0.85 * r.w1 < r.bound <= r.w1
    assert abs(r.steepest[0]) < 6


def test_witness_bound_on_the_parallel_lines():
    real, fake, lam = toys.ShiftedLine(0.0), toys.ShiftedLine(1.0), 10.0
    f = gan1d.train_critic("wgan-gp", real, fake, steps=400, seed=0, discriminator=gan1d.MLP(width=64, depth=2),
                           lr_d=1e-3)  # fmt: skip
    r = gan1d.analysis.witness_bound(f, real, fake, n=20_000, seed=1)
    assert 0 < r.gap_se < 1e-3  # singular laws: a Monte Carlo gap
    # penalised optimum |theta| + theta^2/(2 lambda) = 1.05, slope 1.05; seed 0: gap 1.048, slope 1.056
    assert r.gap == pytest.approx(1 + 1 / (2 * lam), rel=0.03)
    assert r.lipschitz == pytest.approx(1 + 1 / (2 * lam), rel=0.03)
    assert r.bound == pytest.approx(r.w1, rel=0.02) and r.bound <= r.w1 + 5 * r.gap_se


# -- bad input --------------------------------------------------------------------------------------
def test_bad_input(discriminator, gaussian_critic):
    f, real, fake = gaussian_critic
    with pytest.raises(TypeError, match=r"critic must be a gan1d\.analysis\.TrainedCritic"):
        gan1d.analysis.discriminator_gap(lambda x: x, REAL, FAKE)
    with pytest.raises(ValueError, match="critic must be a GAN discriminator"):
        gan1d.analysis.discriminator_gap(f, real, fake)
    with pytest.raises(ValueError, match="critic must be a WGAN critic"):
        gan1d.analysis.witness_bound(discriminator, REAL, FAKE)
    with pytest.raises(TypeError, match="fake must be a 1-D toy with a density"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, toys.Discrete([0.0], [1.0]))
    with pytest.raises(ValueError, match="bulk must be > 0"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, bulk=0)
    with pytest.raises(ValueError, match=r"bulk=0\.5 is above the mixture density .* maximum there is 0\.359\)"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, bulk=0.5)
    with pytest.raises(ValueError, match=r"bulk=0\.01 is above the mixture density"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, x=np.linspace(30, 40, 11))
    with pytest.raises(ValueError, match="tail must be a fraction"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, tail=2)
    with pytest.raises(ValueError, match="x must be an array of points of shape"):
        gan1d.analysis.discriminator_gap(discriminator, REAL, FAKE, x=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="critic's dimension 1"):
        gan1d.analysis.witness_bound(f, toys.ShiftedLine(0.0), toys.ShiftedLine(1.0))
    with pytest.raises(ValueError, match="n must be at least 2"):
        gan1d.analysis.witness_bound(f, real, fake, n=1)
    with pytest.raises(TypeError, match="seed must be a non-negative integer"):
        gan1d.analysis.witness_bound(f, real, fake, seed=0.5)
    with pytest.raises(TypeError, match=r"critic must be a gan1d\.analysis\.TrainedCritic"):
        gan1d.analysis.critic_score(torch.nn.Linear(1, 1), [0.0])
