"""The f-GAN and least-squares GAN losses: values, the divergences they estimate, the settings.

Oracles: the numpy generators of :mod:`divergences.generators` (activation and conjugate, written
independently of the torch compositions of :mod:`gan1d.training.fgan`) on given scores; the
``"gan"`` loss for the f-GAN of the GAN generator; ``scipy.integrate.quad`` of the least-squares
discriminator's objective at its optimum against :func:`divergences.chi2` of Q and the mixture
(P + Q)/2; :func:`divergences.f_divergence` for the history's exact column.
"""

import math

import numpy as np
import pytest
import torch
from scipy import integrate

import divergences
import gan1d
import toys
from divergences.generators import GENERATORS
from gan1d.training import losses
from gan1d.training.fgan import ACTIVATIONS, lsgan_divergence

SMALL = gan1d.MLP(width=16, depth=2)


def _scores(seed, shape=(3, 50), scale=3.0):
    return torch.as_tensor(np.random.default_rng(seed).normal(0.0, scale, shape), dtype=torch.float64)


# -- the losses on given scores ------------------------------------------------------------------
@pytest.mark.parametrize("name", list(GENERATORS))
def test_activation_and_conjugate_match_the_numpy_generators(name):
    v = torch.linspace(-8.0, 8.0, 1601, dtype=torch.float64)
    gen, (g, conj) = GENERATORS[name], ACTIVATIONS[name]
    t = gen.activation(v.numpy())
    np.testing.assert_allclose(g(v).numpy(), t, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conj(v).numpy(), gen.conjugate(t), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_fgan_loss_values_against_numpy(name):
    real, fake = _scores(1), _scores(2)
    gen = GENERATORS[name]
    t_real, t_fake = gen.activation(real.numpy()), gen.activation(fake.numpy())
    bound = t_real.mean(-1) - gen.conjugate(t_fake).mean(-1)  # (3,)
    loss = losses.get_loss("f-gan", name)
    np.testing.assert_allclose(loss.estimate(real, fake).numpy(), bound, rtol=1e-10)
    np.testing.assert_allclose(loss.critic_loss(real, fake).numpy(), -bound, rtol=1e-10)
    np.testing.assert_allclose(loss.generator_loss(fake).numpy(), -gen.conjugate(t_fake).mean(-1), rtol=1e-10)
    assert (loss.divergence, loss.f) == (name, name)


def test_fgan_of_the_gan_generator_is_the_minimax_gan():
    real, fake = _scores(3), _scores(4)
    fgan, gan = losses.get_loss("f-gan", "gan"), losses.get_loss("gan")
    torch.testing.assert_close(fgan.critic_loss(real, fake), gan.critic_loss(real, fake), rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(fgan.generator_loss(fake), gan.generator_loss(fake), rtol=1e-12, atol=1e-12)
    # its bound is V = 2 JS-estimate - ln 4 (Goodfellow et al. 2014, Theorem 1)
    torch.testing.assert_close(fgan.estimate(real, fake), 2 * gan.estimate(real, fake) - math.log(4.0))


def test_jeffreys_conjugate_gradient_is_the_maximiser():
    t = torch.linspace(-20.0, 5.0, 101, dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(ACTIVATIONS["jeffreys"][1](t).sum(), t)
    # df*/dt = u*, the u with f'(u) = log u + 1 - 1/u = t
    u = grad.numpy()
    np.testing.assert_allclose(np.log(u) + 1.0 - 1.0 / u, t.detach().numpy(), rtol=1e-10, atol=1e-10)


def test_lsgan_loss_values_against_numpy():
    real, fake = _scores(5, scale=1.0), _scores(6, scale=1.0)
    r, f = real.numpy(), fake.numpy()
    d_loss = 0.5 * ((r - 1.0) ** 2).mean(-1) + 0.5 * ((f + 1.0) ** 2).mean(-1)
    loss = losses.get_loss("lsgan")
    np.testing.assert_allclose(loss.critic_loss(real, fake).numpy(), d_loss, rtol=1e-12)
    np.testing.assert_allclose(loss.generator_loss(fake).numpy(), 0.5 * (f**2).mean(-1), rtol=1e-12)
    np.testing.assert_allclose(loss.estimate(real, fake).numpy(), 1.0 - d_loss, rtol=1e-12)


# -- LSGAN: what its discriminator estimates -------------------------------------------------------
LSGAN_PAIRS = [
    (toys.Gaussian(0.0, 1.0), toys.Gaussian(1.0, 1.5)),
    (toys.GaussianMixture([0.5, 0.5], [-2.0, 2.0], stds=[0.5, 0.5]), toys.Gaussian(0.0, 1.0)),
]


def _quad(fn):
    value, error = integrate.quad(fn, -30.0, 30.0, points=[-2.0, 0.0, 1.0, 2.0], limit=400, epsabs=1e-13)
    assert error < 1e-9
    return value


@pytest.mark.parametrize(("p", "q"), LSGAN_PAIRS)
def test_lsgan_estimate_at_the_optimal_discriminator(p, q):
    def dens(x):
        return math.exp(p.logpdf(x)), math.exp(q.logpdf(x))

    def d_star(x):  # (b p + a q) / (p + q) with a = -1, b = 1 (Mao et al. 2017, Sec. 3.2)
        a, b = dens(x)
        return (a - b) / (a + b) if a + b > 0 else 0.0

    def d_loss(d):  # the discriminator's objective, 1/2 E_P (D - 1)^2 + 1/2 E_Q (D + 1)^2
        return _quad(lambda x: 0.5 * dens(x)[0] * (d(x) - 1.0) ** 2 + 0.5 * dens(x)[1] * (d(x) + 1.0) ** 2)

    exact = lsgan_divergence(p, q)
    m = toys.GaussianMixture(**_mixture(p, q))
    assert exact == divergences.chi2(q, m)
    assert 1.0 - d_loss(d_star) == pytest.approx(exact, abs=1e-9)
    # the generator's objective at D* (with the E_P term, c = 0) is the same value, C(G)
    c_of_g = _quad(lambda x: 0.5 * (dens(x)[0] + dens(x)[1]) * d_star(x) ** 2)
    assert c_of_g == pytest.approx(exact, abs=1e-9)
    # the paper's 2 C(G) = int (2 q - (p + q))^2 / (p + q) is chi2(2Q || P + Q) = 2 chi2(Q || M), and
    # chi2(Q || M) = chi2(P || M)
    paper = _quad(lambda x: (2 * dens(x)[1] - sum(dens(x))) ** 2 / sum(dens(x)) if sum(dens(x)) > 0 else 0.0)
    assert paper == pytest.approx(2 * exact, abs=1e-9)
    assert divergences.chi2(p, m) == pytest.approx(exact, abs=1e-9)
    # with c = b instead (a = 0, b = c = 1): 2 C(G) = int q^2 / (p + q) = (1 + chi2(Q || M)) / 2
    other = _quad(lambda x: dens(x)[1] ** 2 / sum(dens(x)) if sum(dens(x)) > 0 else 0.0)
    assert other == pytest.approx(0.5 * (1.0 + exact), abs=1e-9)
    # any other discriminator estimates less
    assert 1.0 - d_loss(lambda x: d_star(x) + 0.2 * math.sin(x)) < exact - 1e-3


def _mixture(p, q):
    parts = []
    for law in (p, q):
        if isinstance(law, toys.Gaussian):
            parts.append(([1.0], [law.mean], [law.std]))
        else:
            parts.append((list(law.weights), list(law.means), list(law.stds)))
    return {
        "weights": [0.5 * w for w in parts[0][0] + parts[1][0]],
        "means": parts[0][1] + parts[1][1],
        "stds": parts[0][2] + parts[1][2],
    }


def test_lsgan_divergence_refuses_laws_it_cannot_mix():
    with pytest.raises(NotImplementedError, match=r"q=Uniform"):
        lsgan_divergence(toys.Gaussian(0.0, 1.0), toys.Uniform(0.0, 1.0))


# -- TrainConfig -----------------------------------------------------------------------------------
def test_fgan_defaults_and_f():
    config = gan1d.TrainConfig(loss="f-gan", f="hellinger")
    settings = (config.optimizer, config.lr_d, config.lr_g, config.betas, config.n_critic)
    assert settings == ("adam", 2e-4, 2e-4, (0.5, 0.999), 1)
    assert config.f == "hellinger" and gan1d.TrainConfig.from_dict(config.to_dict()) == config
    assert gan1d.TrainConfig(loss="lsgan").n_critic == 1


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"loss": "f-gan"}, ValueError, r"loss='f-gan' needs f, the name of its generator: one of \('kl', "),
        ({"loss": "gan", "f": "kl"}, ValueError, r"f is the generator of loss='f-gan' only, got f='kl' with loss='ga"),
        ({"loss": "lsgan", "f": "js"}, ValueError, r"f is the generator of loss='f-gan' only, got f='js'"),
        ({"loss": "f-gan", "f": "chi2"}, ValueError, r"f must be one of \('kl', .*\), got 'chi2'"),
        ({"loss": "f-gan", "f": GENERATORS["kl"]}, TypeError, r"f must be the name of a generator, .*got Generator"),
    ],
)
def test_f_is_checked(options, error, match):
    with pytest.raises(error, match=match):
        gan1d.TrainConfig(**options)


# -- training: the estimate and the exact column ---------------------------------------------------
@pytest.mark.parametrize(("loss", "f"), [("f-gan", "pearson"), ("lsgan", None)])
def test_a_run_records_its_estimate_and_the_exact_divergence(loss, f, tmp_path):
    target = toys.Gaussian(0.0, 1.0)
    options = {"f": f} if f else {}
    run = gan1d.train(
        target, loss=loss, steps=30, seed=0, generator=gan1d.LocationScale(1.0, 1.5), discriminator=SMALL,
        eval_every=10, eval_samples=200, lr_d=1e-3, lr_g=1e-2, **options,
    )  # fmt: skip
    h = run.history
    assert np.all(np.isfinite(h["estimate"])) and len(h["estimate"]) == 30
    laws = [toys.Gaussian(1.0, 1.5) if s == 0 else toys.Gaussian(h["mu"][s - 1], abs(h["sigma"][s - 1]))
            for s in h["eval_step"].astype(int)]  # fmt: skip
    laws[0] = toys.Gaussian(float(np.float32(1.0)), float(np.float32(1.5)))  # step 0: the float32 initial values
    exact = [
        divergences.f_divergence(target, law, f) if f else lsgan_divergence(target, law) for law in laws
    ]  # D(target, generator)
    np.testing.assert_allclose(h["exact"], exact, rtol=1e-12)
    # the critic reports T = g_f(V) (f-gan) or the score (lsgan), and a saved run keeps f
    x = np.linspace(-2.0, 2.0, 5)
    raw = gan1d.load(_saved(run, tmp_path)).discriminator(torch.as_tensor(x, dtype=torch.float32)[None, :, None])
    expected = raw[0].double()
    expected = ACTIVATIONS[f][0](expected) if f else expected
    np.testing.assert_allclose(run.discriminate(x), expected.detach().numpy(), rtol=1e-12)
    assert gan1d.load(tmp_path / "run.pt").config.f == f


def _saved(run, tmp_path):
    run.save(tmp_path / "run.pt")
    return tmp_path / "run.pt"


def test_gan_columns_unchanged():
    run = gan1d.train(toys.Gaussian(0.0, 1.0), loss="gan", steps=2, generator=gan1d.LocationScale(1.0, 1.0),
                      discriminator=SMALL, eval_every=1, eval_samples=50)  # fmt: skip
    assert "exact" not in run.history and "js" in run.history


def test_critic_sweep_compares_an_f_gan_with_its_exact_divergence():
    reference, thetas = toys.Gaussian(0.0, 1.0), [0.5, 2.0]
    r = gan1d.critic_sweep("f-gan", lambda t: toys.Gaussian(t, 1.0), reference, thetas, steps=3, f="hellinger",
                           n_eval=64, discriminator=SMALL)  # fmt: skip
    assert r.divergence == "hellinger"
    expected = [divergences.hellinger(reference, toys.Gaussian(t, 1.0)) for t in thetas]
    np.testing.assert_allclose(r.exact, expected, rtol=1e-12)  # 1 - exp(-theta^2 / 8)
    np.testing.assert_allclose(r.exact, 1.0 - np.exp(-np.square(thetas) / 8.0), rtol=1e-12)
