"""A trained generator as a map z -> G(z): gan1d.analysis.generator_map.

Oracles: the run's own sampler fed the same noise (generator_map and Run.sample must agree point
for point), the recorded parameters of the parametric generators (mu + sigma z, (theta, u)), and,
for a trained MLP on the exponential, the exact W1 of its law (divergences.transport.pushforward_w1 on the
map) against the W1 of a large seeded sample of it (divergences.transport.w1_to_law), which may differ
only by the sampling error.
"""

import math

import numpy as np
import pytest
import torch

import gan1d
import toys
from divergences.transport import j1_of_quantiles, pushforward_quantiles, pushforward_w1, w1_to_law

EXP = toys.Exponential(rate=1.0)
SMALL = gan1d.MLP(width=16, depth=2)


@pytest.fixture(scope="module")
def exp_run():
    # 300 steps of a 2 x 16 generator with a 1-D latent: about a second on one thread
    return gan1d.train(
        EXP, "wgan-gp", steps=300, seed=0, batch_size=128, eval_every=100,
        generator=gan1d.MLP(width=16, depth=2, latent_dim=1), discriminator=SMALL, lr_g=1e-3, lr_d=1e-3,
    )  # fmt: skip


def test_map_is_the_sampler_with_the_same_noise(exp_run):
    # Run.sample(n, rng=seed) draws torch.randn(n, 1) from a torch.Generator seeded with seed
    g = torch.Generator()
    g.manual_seed(7)
    z = torch.randn(500, 1, generator=g).numpy()
    assert np.array_equal(gan1d.analysis.generator_map(exp_run, z[:, 0]), exp_run.sample(500, rng=7))
    assert np.array_equal(gan1d.analysis.generator_map(exp_run, z), exp_run.sample(500, rng=7))  # (n, 1) as well


def test_exact_w1_of_the_trained_law_matches_its_samples(exp_run):
    # pushforward_w1 is the W1 of the generator's law (to ~1e-4: quantization); the W1 of 100 000
    # of its samples to Exp(1) differs from it by at most W1 of the sample to the generator's own law,
    # whose mean is at most J1(G#N) / sqrt(n), J1 of the generator's law from its quantiles: allow 3x
    # (Markov: a fresh seed exceeds it with probability < 1/3).
    G = lambda z: gan1d.analysis.generator_map(exp_run, z)
    exact = pushforward_w1(G, EXP)
    sampled = w1_to_law(exp_run.sample(100_000, rng=1), EXP)
    j1 = j1_of_quantiles(pushforward_quantiles(G)[1])
    assert abs(sampled - exact) <= 3 * j1 / math.sqrt(100_000)
    # and training moved the law towards the target: W1 from the start (recorded) fell by half
    assert exact < 0.5 * exp_run.history["w1"][0]


def test_location_scale_map_is_affine():
    run = gan1d.train(
        toys.Gaussian(1.0, 2.0),
        steps=3,
        seed=0,
        eval_every=1,
        generator=gan1d.LocationScale(0.0, 1.0),
        discriminator=SMALL,
    )
    mu, sigma = run.history["mu"][-1], run.history["sigma"][-1]
    z = np.linspace(-3, 3, 13)
    assert np.allclose(gan1d.analysis.generator_map(run, z), mu + sigma * z, atol=1e-6)


def test_parallel_lines_map_gives_points_of_the_plane():
    run = gan1d.train(
        toys.ShiftedLine(0.0), steps=2, seed=0, eval_every=1, generator=gan1d.ParallelLines(0.5), discriminator=SMALL
    )
    u = np.array([0.0, 0.25, 1.0])
    x = gan1d.analysis.generator_map(run, u)
    assert x.shape == (3, 2)
    assert np.allclose(x[:, 0], run.history["theta"][-1]) and np.allclose(x[:, 1], u)


def test_two_dimensional_latent():
    run = gan1d.train(
        EXP, steps=2, seed=0, eval_every=1, generator=gan1d.MLP(width=8, depth=1, latent_dim=2), discriminator=SMALL
    )
    z = np.zeros((4, 2))
    assert gan1d.analysis.generator_map(run, z).shape == (4,)
    with pytest.raises(
        ValueError, match=r"z must be an array of points of shape \(n, 2\) for a generator with latent_dim=2"
    ):
        gan1d.analysis.generator_map(run, np.zeros(4))


def test_bad_input_is_refused(exp_run):
    with pytest.raises(TypeError, match=r"run must be a gan1d\.Run"):
        gan1d.analysis.generator_map("run", np.zeros(3))
    with pytest.raises(TypeError, match="z must be an array of real numbers"):
        gan1d.analysis.generator_map(exp_run, ["a", "b"])
    with pytest.raises(ValueError, match=r"z must be an array of latent values .* got the scalar 0\.5"):
        gan1d.analysis.generator_map(exp_run, 0.5)
    with pytest.raises(ValueError, match=r"z must be an array of points of shape \(n,\) or \(n, 1\)"):
        gan1d.analysis.generator_map(exp_run, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="z must contain only finite numbers, found 1 NaN"):
        gan1d.analysis.generator_map(exp_run, np.array([0.0, np.nan]))
