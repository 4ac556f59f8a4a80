"""What a generator is told by a GAN discriminator and a WGAN critic (gan1d.analysis.saturation).

Oracles: central finite differences of the networks' own float32 outputs (``critic(x)``: D or
f), on smooth (tanh) networks where they are accurate to O(h^2); the chain-rule identities of
the module docstring; and, for Figure 2 of the WGAN paper, seeded training with bounds measured
over several seeds.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import gan1d
import toys
from gan1d.analysis import TrainedCritic
from gan1d.analysis.saturation import InputGradients, input_gradients

REAL, FAKE = toys.Gaussian(-2.0, 0.5), toys.Gaussian(2.0, 0.5)
SMOOTH = gan1d.MLP(width=16, depth=2, activation="tanh")
H = 1e-3  # finite-difference step


@pytest.fixture(scope="module")
def smooth_pair():
    # 50 updates at lr 1e-3: D is far from saturated (D in (0.25, 0.76) on [-3, 3]), so log D and
    # log(1 - D) are well conditioned and their finite differences are accurate.
    opts = {"steps": 50, "seed": 3, "discriminator": SMOOTH, "lr_d": 1e-3}
    return gan1d.train_critic("gan", REAL, FAKE, **opts), gan1d.train_critic("wgan-gp", REAL, FAKE, **opts)


def _fd(fun, x):
    return (fun(x + H) - fun(x - H)) / (2 * H)


def test_input_gradients_against_finite_differences(smooth_pair):
    disc, critic = smooth_pair
    x = np.linspace(-3.0, 3.0, 41)
    g = input_gradients(disc, critic, x)
    assert np.all((g.d > 0.1) & (g.d < 0.9))
    np.testing.assert_array_equal(g.x, x)
    np.testing.assert_allclose(g.d, disc(x), rtol=1e-6)
    np.testing.assert_allclose(g.f, critic(x), atol=1e-6)
    np.testing.assert_allclose(g.d_slope, _fd(disc, x), atol=5e-4)
    np.testing.assert_allclose(g.minimax, _fd(lambda t: np.log1p(-disc(t)), x), atol=5e-4)
    np.testing.assert_allclose(g.non_saturating, -_fd(lambda t: np.log(disc(t)), x), atol=5e-4)
    np.testing.assert_allclose(g.critic_slope, _fd(critic, x), atol=5e-4)


@given(seed=st.integers(0, 2**32 - 1), spread=st.floats(0.1, 10.0))
def test_chain_rule_identities(smooth_pair, seed, spread):
    disc, critic = smooth_pair
    x = np.random.default_rng(seed).normal(0.0, spread, size=50)
    g = input_gradients(disc, critic, x)
    logit_slope = gan1d.analysis.critic_gradient(disc, x)[:, 0]
    # d/dx log(1 - D) + (-d/dx log D) = -(D + 1 - D) logit' = -logit', and D' = D (1 - D) logit'.
    np.testing.assert_allclose(g.minimax + g.non_saturating, -logit_slope, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g.d_slope, -g.minimax * (1 - g.d), rtol=1e-12, atol=1e-300)
    assert np.all((g.d >= 0) & (g.d <= 1))


class _Linear(torch.nn.Module):
    """A 1-D ensemble-of-one network with score a * x: (1, n, 1) -> (1, n)."""

    def __init__(self, a):
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(float(a)))

    def forward(self, x):
        return self.a * x[..., 0]


def test_exact_values_deep_in_saturation():
    # Logit 100 x: at x = +-1, D or 1 - D is e^-100 ~ 4e-44, and 1 - e^-100 rounds to 1 in float64.
    # Closed forms: D = sigma(100 x), D' = 100 D (1 - D), minimax -100 D, non-saturating -100 (1 - D).
    disc = TrainedCritic("gan", _Linear(100.0), 1, {})
    critic = TrainedCritic("wgan-gp", _Linear(-1.0), 1, {})
    x = np.array([-1.0, 0.0, 1.0])
    g = input_gradients(disc, critic, x)
    tiny = math.exp(-100.0) / (1 + math.exp(-100.0))
    np.testing.assert_allclose(g.d, [tiny, 0.5, 1.0], rtol=1e-13)
    np.testing.assert_allclose(g.minimax, [-100 * tiny, -50.0, -100.0], rtol=1e-13)
    np.testing.assert_allclose(g.non_saturating, [-100.0, -50.0, -100 * tiny], rtol=1e-13)  # not 0
    np.testing.assert_allclose(g.d_slope, [100 * tiny, 25.0, 100 * tiny], rtol=1e-13)
    np.testing.assert_allclose(g.f, -x, rtol=1e-15)
    np.testing.assert_allclose(g.critic_slope, -1.0, rtol=1e-15)


def test_medians_and_table(smooth_pair):
    disc, critic = smooth_pair
    x = np.linspace(-1.0, 1.0, 11)
    g = input_gradients(disc, critic, x)
    m = g.medians()
    assert list(m) == ["d", "d_slope", "minimax", "non_saturating", "critic_slope"]
    assert m["minimax"] == pytest.approx(np.median(np.abs(g.minimax)))
    table = g.to_markdown().splitlines()
    assert table[0].startswith("| at the 11 points") and len(table) == 2 + len(m)
    assert all(f"{value:.3g}" in row for value, row in zip(m.values(), table[2:]))
    assert isinstance(g, InputGradients)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_saturated_discriminator_and_the_linear_critic(seed):
    # Figure 2 of the WGAN paper in the lecture's setting (gan1d.lecture: 2 x 64 leaky ReLU, Adam 1e-3),
    # at the quick size (400 updates). Over seeds 0-3 at the fakes: median D 6e-5 to 1.6e-4, median
    # minimax gradient 2e-4 to 5e-4, non-saturating 3.4 to 4.3, critic slope 1.18 to 1.22.
    leaky = gan1d.MLP(width=64, depth=2, activation="leaky_relu")
    opts = {"steps": 400, "seed": seed, "discriminator": leaky, "lr_d": 1e-3}
    disc, critic = gan1d.train_critic("gan", REAL, FAKE, **opts), gan1d.train_critic("wgan-gp", REAL, FAKE, **opts)
    g = input_gradients(disc, critic, FAKE.sample(2000, rng=seed))
    m = g.medians()
    assert m["d"] < 1e-2  # saturated: 60x above the worst seen
    assert m["minimax"] < 0.01 * m["critic_slope"]  # vanishing: 20x above the worst ratio seen (4.4e-4)
    assert m["non_saturating"] > 1.0  # the same D still gives the non-saturating loss a gradient
    assert 0.8 < m["critic_slope"] < 1.5  # about 1: the penalised optimum is a little steeper


def test_bad_input(smooth_pair):
    disc, critic = smooth_pair
    x = np.zeros(3)
    with pytest.raises(TypeError, match=r"discriminator must be a gan1d\.analysis\.TrainedCritic"):
        input_gradients(lambda t: t, critic, x)
    with pytest.raises(TypeError, match=r"critic must be a gan1d\.analysis\.TrainedCritic"):
        input_gradients(disc, object(), x)
    with pytest.raises(ValueError, match="discriminator must be trained with the 'gan' or 'nsgan' loss"):
        input_gradients(critic, critic, x)
    with pytest.raises(ValueError, match="critic must be trained with the 'wgan' or 'wgan-gp' loss"):
        input_gradients(disc, disc, x)
    ring_d = gan1d.train_critic("gan", toys.ring(), toys.grid(), steps=1, discriminator=SMOOTH)
    with pytest.raises(ValueError, match="discriminator must be trained on 1-D laws, got one of dimension 2"):
        input_gradients(ring_d, critic, x)
    with pytest.raises(
        ValueError, match=r"x must be an array of points of shape \(n,\) or \(n, 1\).*got shape \(3, 2\)"
    ):
        input_gradients(disc, critic, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"x must contain only finite numbers, found 1 NaN .* at x\[1\]"):
        input_gradients(disc, critic, [0.0, np.nan])
    with pytest.raises(ValueError, match=r"got shape \(0,\)"):
        input_gradients(disc, critic, [])
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        input_gradients(disc, critic, ["a", "b"])
