"""The remedies for mode collapse (gan1d.training.remedies): packing, unrolling, minibatch deviation.

Packing is checked against its definition (the critic of a packed run scores m consecutive samples
concatenated); unrolling's generator gradient against central differences of the look-ahead loss
in float64 on a tiny network, for each optimizer the trainer offers; the minibatch-deviation
feature against its formula (Karras et al. 2018, Sec. 3).
"""

import numpy as np
import pytest
import torch

import gan1d
import toys
from gan1d import TrainConfig
from gan1d.training import losses
from gan1d.training.networks import EnsembleMLP
from gan1d.training.remedies import STD_EPS, MinibatchStdCritic, functional_critic, lookahead, pack
from gan1d.training.trainer import Trainer

RING = toys.ring()
TINY = gan1d.MLP(width=8, depth=2)


def _trainer(**options):
    config = TrainConfig.from_options(loss="gan", steps=5, batch_size=16, generator=TINY, discriminator=TINY,
                                      eval_every=5, **options)  # fmt: skip
    return Trainer(RING, [0, 1], config)


# -- packing ---------------------------------------------------------------------------------------
def test_pack_concatenates_consecutive_samples():
    x = torch.arange(2 * 6 * 2, dtype=torch.float32).reshape(2, 6, 2)
    packed = pack(x, 3)
    assert packed.shape == (2, 2, 6)
    assert torch.equal(packed[1, 1], torch.cat([x[1, 3], x[1, 4], x[1, 5]]))
    assert pack(x, 1) is x
    with pytest.raises(ValueError, match="packs of 4"):
        pack(x, 4)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_a_packed_critic_sees_m_samples_per_input(m):
    trainer = _trainer(pack=m)
    assert trainer.D.net.net[0].in_features == 2 * m  # m points of the ring's dimension 2
    assert trainer.real_batch().shape == (2, 16 * m, 2)  # batch_size packs of m samples
    real, fake = trainer.real_batch(), trainer.real_batch() + 1.0
    d_loss, s_real, s_fake = trainer.critic_loss(real, fake)
    assert s_real.shape == s_fake.shape == (2, 16)
    by_hand = trainer.D(real.reshape(2, 16, 2 * m))  # the definition: consecutive samples concatenated
    torch.testing.assert_close(s_real, by_hand)
    torch.testing.assert_close(d_loss, losses.gan_discriminator_loss(by_hand, trainer.D(fake.reshape(2, 16, 2 * m))))


def test_pack_one_leaves_the_sampling_and_the_network_as_they_were():
    trainer = _trainer()
    assert trainer.config.pack == 1 and trainer.samples == 16
    assert trainer.D.net.net[0].in_features == 2


def test_packed_training_runs_and_its_critic_scores_packs(tmp_path):
    run = gan1d.train(RING, loss="gan", steps=4, batch_size=16, generator=TINY, discriminator=TINY, pack=2,
                      eval_every=2, eval_samples=100)  # fmt: skip
    assert np.isfinite(run.history["d_loss"]).all()
    assert run.discriminate(np.zeros((5, 4))).shape == (5,)  # packs of 2 points in 2-D
    with pytest.raises(ValueError, match="x"):
        run.discriminate(np.zeros((5, 2)))
    run.save(tmp_path / "packed.pt")
    again = gan1d.load(tmp_path / "packed.pt")
    np.testing.assert_allclose(again.discriminate(np.ones((3, 4))), run.discriminate(np.ones((3, 4))))


def test_critics_between_fixed_laws_refuse_packing():
    with pytest.raises(ValueError, match="pack=2"):
        gan1d.train_critic("gan", toys.Gaussian(0, 1), toys.Gaussian(1, 1), steps=2, pack=2)


# -- unrolling -------------------------------------------------------------------------------------
def _lookahead_loss(mu, sigma, critic, optimizer, real, z, k, clip=None):
    """The generator's loss at the critic after k look-ahead steps, as a function of (mu, sigma)."""
    fake = mu + sigma * z

    def critic_loss(score):
        return losses.gan_discriminator_loss(score(real), score(fake))

    params = lookahead(critic, optimizer, critic_loss, k, clip)
    return losses.gan_generator_loss(functional_critic(critic, params)(fake)).sum()


@pytest.mark.parametrize("optimizer, clip", [("adam", None), ("rmsprop", None), ("sgd", None), ("adam", 0.3)])
def test_unrolled_generator_gradient_is_the_derivative_of_the_lookahead_loss(optimizer, clip):
    torch.manual_seed(0)
    critic = gan1d.training.generators.Critic(
        EnsembleMLP([torch.Generator().manual_seed(1)], 1, 1, 4, 1, "tanh")
    ).double()
    opt = {
        "adam": lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.5, 0.9)),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.05),
        "sgd": lambda p: torch.optim.SGD(p, lr=0.5),
    }[optimizer](critic.parameters())
    real = torch.randn(1, 32, 1, dtype=torch.float64) + 1.0
    z = torch.randn(1, 32, 1, dtype=torch.float64)
    for _ in range(3):  # the optimizer's moments are part of the look-ahead: give it some
        opt.zero_grad()
        losses.gan_discriminator_loss(critic(real), critic(0.5 * z)).sum().backward()
        opt.step()
    before = [p.detach().clone() for p in critic.parameters()]
    state = {k: v.clone() for k, v in opt.state[next(critic.parameters())].items() if torch.is_tensor(v)}
    mu = torch.tensor(0.2, dtype=torch.float64, requires_grad=True)
    sigma = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    grad = torch.autograd.grad(_lookahead_loss(mu, sigma, critic, opt, real, z, 3, clip), (mu, sigma))
    h = 1e-6
    for i, g in enumerate(grad):
        plus, minus = [mu.detach().clone(), sigma.detach().clone()], [mu.detach().clone(), sigma.detach().clone()]
        plus[i] += h
        minus[i] -= h
        fd = _lookahead_loss(*plus, critic, opt, real, z, 3, clip) - _lookahead_loss(
            *minus, critic, opt, real, z, 3, clip
        )
        fd = fd.item() / (2 * h)
        assert g.item() == pytest.approx(fd, rel=1e-6, abs=1e-9)
        assert abs(g.item()) > 1e-4  # a gradient that is there to compare
    # differentiating through the look-ahead matters: the gradient at the current critic differs
    plain = torch.autograd.grad(_lookahead_loss(mu, sigma, critic, opt, real, z, 0), (mu, sigma))
    assert abs(plain[0].item() - grad[0].item()) > 1e-3 * abs(grad[0].item())
    # the look-ahead changes neither the critic nor its optimizer
    for p, q in zip(critic.parameters(), before):
        assert torch.equal(p.detach(), q)
    for key, value in state.items():
        assert torch.equal(opt.state[next(critic.parameters())][key], value)


def test_one_sgd_lookahead_step_is_a_gradient_step():
    critic = gan1d.training.generators.Critic(EnsembleMLP([torch.Generator().manual_seed(2)], 1, 1, 3, 1, "tanh"))
    opt = torch.optim.SGD(critic.parameters(), lr=0.1)
    real, fake = torch.randn(1, 10, 1), torch.randn(1, 10, 1) + 2

    def critic_loss(score):
        return losses.gan_discriminator_loss(score(real), score(fake))

    params = lookahead(critic, opt, critic_loss, 1)
    grads = torch.autograd.grad(critic_loss(critic).sum(), list(critic.parameters()))
    for (name, p), g in zip(critic.named_parameters(), grads):
        torch.testing.assert_close(params[name], p - 0.1 * g)


def test_unroll_zero_takes_no_lookahead_batch():
    trainer = _trainer()
    trainer.generator_step()
    assert trainer._real is None  # the generator step draws no real batch: the old step, unchanged


def test_unrolled_training_runs_and_differs():
    common = {"loss": "gan", "steps": 6, "batch_size": 16, "generator": TINY, "discriminator": TINY, "eval_every": 6,
              "eval_samples": 100, "seed": 0}  # fmt: skip
    plain, unrolled = gan1d.train(RING, **common), gan1d.train(RING, unroll=2, **common)
    assert np.isfinite(unrolled.history["g_loss"]).all()
    assert not np.allclose(plain.history["g_loss"][1:], unrolled.history["g_loss"][1:])


# -- minibatch standard deviation ------------------------------------------------------------------
def test_minibatch_std_feature_is_the_mean_feature_deviation():
    gens = [torch.Generator().manual_seed(k) for k in range(2)]
    critic = MinibatchStdCritic(gens, 2, gan1d.MLP(width=5, depth=2), None)
    x = torch.randn(2, 7, 2)
    h = critic.hidden(x)
    std = torch.sqrt(h.var(dim=1, unbiased=False) + STD_EPS).mean(-1)  # (N,)
    expected = critic.head(torch.cat([h, std[:, None, None].expand(2, 7, 1)], -1)).squeeze(-1)
    torch.testing.assert_close(critic(x), expected)
    assert critic.head.in_features == 6 and critic(x).shape == (2, 7)
    # a point's score depends on the batch it is scored in
    assert not torch.allclose(critic(x)[:, :3], critic(x[:, :3]))


def test_minibatch_std_training_runs_saves_and_loads(tmp_path):
    run = gan1d.train(RING, loss="wgan-gp", steps=3, batch_size=16, generator=TINY, discriminator=TINY,
                      minibatch_std=True, spectral_norm=False, eval_every=3, eval_samples=100)  # fmt: skip
    run.save(tmp_path / "std.pt")
    again = gan1d.load(tmp_path / "std.pt")
    x = np.random.default_rng(0).normal(size=(20, 2))
    np.testing.assert_allclose(again.discriminate(x), run.discriminate(x))


@pytest.mark.parametrize(
    "options, error, match",
    [
        ({"pack": 0}, ValueError, "pack"),
        ({"pack": 1.5}, TypeError, "pack"),
        ({"unroll": -1}, ValueError, "unroll"),
        ({"minibatch_std": 1}, TypeError, "minibatch_std"),
        ({"unroll": 2, "updates": "simultaneous"}, ValueError, "unroll=2 needs updates='alternating'"),
    ],
)
def test_bad_remedy_options_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        TrainConfig.from_options(loss="gan", n_critic=1, **options)


# -- the networks of the published protocols -----------------------------------------------------------
def test_batch_norm_normalises_each_member_over_its_batch_and_uses_running_statistics_in_evaluation():
    from gan1d.training.networks import EnsembleBatchNorm

    bn = EnsembleBatchNorm(2, 3)
    x = torch.randn(2, 50, 3) * torch.tensor([1.0, 5.0, 0.1]) + 4.0
    y = bn(x)
    torch.testing.assert_close(y.mean(1), torch.zeros(2, 3), atol=1e-5, rtol=0)
    v = x.var(1, unbiased=False)
    torch.testing.assert_close(y.var(1, unbiased=False), v / (v + 1e-5))  # unit variance, but for eps
    expected_mean = 0.1 * x.mean(1, keepdim=True)  # one step of momentum 0.1 from 0
    torch.testing.assert_close(bn.running_mean, expected_mean)
    bn.eval()
    torch.testing.assert_close(bn(x), (x - bn.running_mean) / torch.sqrt(bn.running_var + 1e-5))


def test_maxout_keeps_the_largest_piece():
    from gan1d.training.networks import EnsembleMaxout

    layer = EnsembleMaxout([torch.Generator().manual_seed(0)], 2, 3, 4)
    x = torch.randn(1, 5, 2)
    pieces = layer.linear(x).reshape(1, 5, 3, 4)
    torch.testing.assert_close(layer(x), pieces.max(-1).values)


@pytest.mark.parametrize("init, scale", [("normal", None), ("normal", 0.5), ("orthogonal", 1.4)])
def test_initialisations(init, scale):
    spec = gan1d.MLP(width=64, depth=2, init=init, init_scale=scale)
    net = spec.network([torch.Generator().manual_seed(3)], 64, 1)
    first = net.net[0]
    assert torch.count_nonzero(first.bias) == 0
    w = first.weight[0].detach()
    if init == "normal":
        assert w.std().item() == pytest.approx(scale or 0.02, rel=0.05)  # 4,096 draws: the std to about 1.1%
    else:
        torch.testing.assert_close(w.T @ w, scale**2 * torch.eye(64), atol=1e-5, rtol=0)


def test_default_mlp_builds_the_network_it_always_built():
    net = gan1d.MLP(width=4, depth=2).network([torch.Generator().manual_seed(0)], 2, 1)
    assert [type(m).__name__ for m in net.net] == ["EnsembleLinear", "ReLU", "EnsembleLinear", "ReLU", "EnsembleLinear"]
    g = torch.Generator().manual_seed(0)  # torch's nn.Linear initialisation, drawn in the same order
    bound = 1 / 2**0.5
    expected = torch.empty(2, 4).uniform_(-bound, bound, generator=g)
    torch.testing.assert_close(net.net[0].weight[0].detach(), expected)


def test_pacgan_like_networks_train_and_evaluate_with_population_statistics(tmp_path):
    gen = gan1d.MLP(width=16, depth=2, batch_norm=True, init="normal")
    disc = gan1d.MLP(width=8, depth=2, maxout=5, init="normal")
    run = gan1d.train(RING, loss="nsgan", steps=4, batch_size=32, generator=gen, discriminator=disc, pack=2,
                      updates="simultaneous", eval_every=4, eval_samples=200)  # fmt: skip
    assert run.generator.training  # back in training mode after the evaluations
    a, b = run.sample(100, rng=1), run.sample(100, rng=1)
    np.testing.assert_array_equal(a, b)  # evaluation mode: the running statistics, not the batch's
    run.save(tmp_path / "pacgan.pt")
    np.testing.assert_allclose(gan1d.load(tmp_path / "pacgan.pt").sample(100, rng=1), a, rtol=1e-6)


@pytest.mark.parametrize(
    "options, error, match",
    [
        ({"maxout": 0}, ValueError, "maxout"),
        ({"batch_norm": "yes"}, TypeError, "batch_norm"),
        ({"init": "xavier"}, ValueError, "init"),
        ({"init_scale": -1.0}, ValueError, "init_scale"),
    ],
)
def test_bad_network_options_are_refused(options, error, match):
    with pytest.raises(error, match=match):
        gan1d.MLP(**options)
