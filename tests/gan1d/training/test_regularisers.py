"""The regularisers of gan1d.training.regularisers against closed forms and the analytic Dirac-GAN."""

import numpy as np
import pytest
import torch
from torch import nn

import divergences
import gan1d
import toys
from divergences import games
from divergences.transport.duality import lipschitz_constant
from gan1d.training.regularisers import gradient_energy, noise_level

POINT = toys.Discrete([0.0], [1.0])  # the Dirac-GAN's data: a point mass at 0


class PointMass(nn.Module):
    """The Dirac-GAN's generator: a point mass at theta (float64), one member per entry."""

    parametric, dim, latent_dim, param_names = True, 1, 1, ("theta",)

    def __init__(self, theta):
        super().__init__()
        self.theta = nn.Parameter(torch.tensor(theta, dtype=torch.float64))

    def sample_latent(self, generators, batch):
        return torch.zeros(len(generators), batch, 1, dtype=torch.float64)

    def forward(self, z):  # (N, batch, 1)
        return z + self.theta[:, None, None]

    def param_tensors(self):
        return (self.theta,)

    def distribution(self, k=0):
        raise ValueError("a point mass has no exact divergences here")


class LinearCritic(nn.Module):
    """The Dirac-GAN's critic psi x, read as the trainer's logit -psi x (the paper's D is high on fakes)."""

    def __init__(self, psi):
        super().__init__()
        self.psi = nn.Parameter(torch.tensor(psi, dtype=torch.float64))

    def forward(self, x):  # (N, batch, 1) -> (N, batch)
        return -self.psi[:, None] * x[..., 0]


def dirac_trainer(loss, theta0, psi0, lr, steps, **options):
    """A Trainer of the Dirac-GAN, plain SGD of step ``lr`` for both players (the WGAN without clipping)."""
    if loss == "wgan":
        loss, options = "wgan-gp", {"gp_weight": 0.0, **options}  # the WGAN's objectives, no clip or penalty
    config = gan1d.TrainConfig(loss=loss, steps=steps, batch_size=4, optimizer="sgd", lr_d=lr, lr_g=lr, n_critic=1,
                               eval_every=steps, eval_samples=4, **options)  # fmt: skip
    trainer = gan1d.Trainer(POINT, [0, 1], config, generator=PointMass(theta0))
    trainer.D = LinearCritic(psi0)
    trainer.opt_d = config.make_optimizer(trainer.D.parameters(), lr)
    return trainer


THETA0, PSI0, LR, STEPS = [1.0, -0.5], [0.5, 0.8], 0.1, 12


@pytest.mark.parametrize(
    ("loss", "regularizer", "gamma", "options"),
    [
        ("gan", "r1", 0.7, {"r1": 0.7}),
        ("nsgan", "r2", 0.4, {"r2": 0.4}),
        ("wgan", "r1", 1.0, {"r1": 1.0}),
        ("gan", "r1", 0.7, {"r1": 0.7, "updates": "simultaneous"}),
        ("wgan", None, None, {"updates": "simultaneous"}),
        ("gan", None, None, {"updates": "simultaneous"}),
        ("gan", "consensus", 0.5, {"consensus": 0.5, "updates": "simultaneous"}),
        ("wgan", "consensus", 0.3, {"consensus": 0.3, "updates": "simultaneous"}),
    ],
)
def test_trainer_follows_the_dirac_gan(loss, regularizer, gamma, options):
    """fit() on a point mass and a linear critic is games.simultaneous_gd / alternating_gd to rounding."""
    run = dirac_trainer(loss, THETA0, PSI0, LR, STEPS, **options)
    runs = run.fit()
    theta = np.stack([r.history["theta"] for r in runs], axis=1)  # (steps, N)
    psi = run.D.psi.detach().numpy()
    kw = {"regularizer": regularizer, "gamma": gamma} if regularizer else {}
    if options.get("updates") == "simultaneous":
        th, ps = games.simultaneous_gd(loss, THETA0, PSI0, LR, STEPS, **kw)
        expected_theta, expected_psi = th[1:], ps[-1]
    else:
        # The trainer steps the critic first, the Dirac module the generator: after the trainer's
        # first critic step the two sequences coincide, theta step for step and psi one step ahead.
        psi1 = np.asarray(PSI0) + LR * games.vector_field(loss, THETA0, PSI0, **kw)[1]
        th, ps = games.alternating_gd(loss, THETA0, psi1, LR, STEPS, **kw)
        expected_theta, expected_psi = th[1:], ps[-2]
    np.testing.assert_allclose(theta, expected_theta, rtol=0, atol=1e-13)
    np.testing.assert_allclose(psi, expected_psi, rtol=0, atol=1e-13)
    assert np.abs(theta[-1] - theta[0]).min() > 1e-3  # the comparison is not of two standing points


class Quadratic(nn.Module):
    """D(x) = x A x / 2 + b x: its gradient A x + b is known."""

    def __init__(self, a, b):
        super().__init__()
        self.a, self.b = nn.Parameter(torch.as_tensor(a)), nn.Parameter(torch.as_tensor(b))

    def forward(self, x):  # (N, batch, d) -> (N, batch)
        return 0.5 * torch.einsum("nbi,ij,nbj->nb", x, self.a, x) + x @ self.b


def test_gradient_energy_is_its_closed_form():
    rng = np.random.default_rng(0)
    m = rng.normal(size=(3, 3))
    a, b, x = m + m.T, rng.normal(size=3), rng.normal(size=(2, 50, 3))
    got = gradient_energy(Quadratic(a, b), torch.as_tensor(x)).detach().numpy()
    expected = 0.5 * (np.square(x @ a + b).sum(-1)).mean(-1)
    np.testing.assert_allclose(got, expected, rtol=1e-13)


@pytest.mark.parametrize("name", ["r1", "r2"])
def test_penalty_in_the_critic_loss(name):
    """critic_loss with r1 / r2 = gamma adds gamma/2 |w|^2 for the linear critic w x."""
    trainer = dirac_trainer("wgan", [1.0], [0.0], 0.1, 1, **{name: 0.6})
    plain = dirac_trainer("wgan", [1.0], [0.0], 0.1, 1)
    for t in (trainer, plain):
        t.D = LinearCritic([-1.5])
    real, fake = torch.zeros(1, 4, 1), torch.full((1, 4, 1), 2.0, dtype=torch.float64)
    excess = trainer.critic_loss(real, fake)[0] - plain.critic_loss(real, fake)[0]
    assert excess.item() == pytest.approx(0.3 * 1.5**2, rel=1e-14)


def test_noise_level_schedule():
    assert [noise_level(0.5, 4, t) for t in (0, 1, 2, 4, 9)] == [0.5, 0.375, 0.25, 0.0, 0.0]
    assert noise_level(0.5, None, 10**6) == 0.5


def test_the_critic_sees_annealed_noise():
    """At step t the samples carry N(0, sigma_t^2): sample std within 5% (its standard error is 1/sqrt(2n) = 1.1%)."""
    trainer = dirac_trainer("gan", [0.0], [0.0], 0.1, 1, instance_noise=0.8, instance_noise_anneal=10)
    x = torch.zeros(1, 4000, 1, dtype=torch.float64)
    for step, sigma in ((0, 0.8), (5, 0.4), (8, 0.16)):
        trainer.step = step
        assert trainer.noisy(x).std().item() == pytest.approx(sigma, rel=0.05)
    trainer.step = 10
    assert trainer.noisy(x) is x


def test_a_discriminator_with_instance_noise_estimates_the_js_of_the_smoothed_lines():
    """On fixed lines theta = 0 and 1, a GAN discriminator trained with sigma estimates JS of SmoothedLine(., sigma).

    Measured over 8 seeds (mean of the last 100 batch estimates of each): within 0.005 of the exact 0.337, a spread
    of 0.0023 between seeds (one batch's estimate has sd 0.025, so a mean of 100 has a standard error of at least
    0.0025). The tolerance 0.02 is 8 such errors; without noise the same estimate is 0.692, near ln 2, 0.36 away.
    """
    theta, sigma = 1.0, 0.5
    exact = divergences.js(toys.SmoothedLine(0.0, sigma), toys.SmoothedLine(theta, sigma))
    config = gan1d.TrainConfig(loss="gan", steps=1, discriminator=gan1d.MLP(width=32, depth=2), lr_d=3e-3,
                               batch_size=256, instance_noise=sigma)  # fmt: skip
    trainer = gan1d.Trainer(toys.ShiftedLine(0.0), [0, 1, 2, 3], config, generator=toys.ShiftedLine(theta))
    estimate = trainer.train_critic(400)[-100:].mean(0)
    assert np.abs(estimate - exact).max() < 0.02


def test_spectral_norm_bounds_the_critics_lipschitz_constant(tmp_path):
    """Every layer's normalised weight has spectral norm 1, and the critic's Lipschitz constant on a grid is <= 1.

    The power iteration runs once per forward pass in training mode; its error falls as (s2 / s1)^k with s1 > s2
    the top singular values, so 30 passes more than training's settle it (measured: within 2e-5 of 1).
    """
    config = gan1d.TrainConfig(loss="gan", steps=5, discriminator=gan1d.MLP(width=16, depth=2), spectral_norm=True,
                               batch_size=64, eval_every=5, eval_samples=50, lr_d=1e-2)  # fmt: skip
    trainer = gan1d.Trainer(toys.Gaussian(1.0, 0.5), [0, 1], config)
    run = trainer.fit()[0]
    grid = torch.linspace(-4, 6, 2001)[None, :, None].expand(2, -1, -1)  # (N, 2001, 1)
    with torch.no_grad():
        for _ in range(30):
            trainer.D(grid[:, :1])
        trainer.D.eval()
        values = trainer.D(grid).double().numpy()  # (N, 2001)
    layers = [m for m in trainer.D.modules() if isinstance(m, gan1d.training.networks.EnsembleLinear)]
    norms = np.array([torch.linalg.matrix_norm(m.weight.double(), ord=2).detach().numpy() for m in layers])
    np.testing.assert_allclose(norms, 1.0, atol=1e-4)  # (layers, N); float32 power iteration
    for k in range(2):
        lipschitz = lipschitz_constant(grid[k, :, 0].double().numpy(), values[k])
        assert 0.05 < lipschitz <= norms[:, k].prod() * (1 + 1e-5)  # ReLU is 1-Lipschitz
    # the saved run reloads with its normalised critic, power-iteration vectors included
    run.save(tmp_path / "run.pt")
    loaded = gan1d.load(tmp_path / "run.pt")
    assert loaded.config.spectral_norm is True
    saved, reloaded = run.discriminator.state_dict(), loaded.discriminator.state_dict()
    assert saved.keys() == reloaded.keys() and any(k.endswith("_u") for k in saved)
    assert all(torch.equal(saved[k], reloaded[k]) for k in saved)


NEW_FIELDS = {
    "r1": 0.0,
    "r2": 0.0,
    "instance_noise": 0.0,
    "instance_noise_anneal": None,
    "updates": "alternating",
    "consensus": 0.0,
    "spectral_norm": False,
}


def test_the_defaults_change_nothing():
    """The default fields are the regularisers switched off: the same seed gives the same history, bit for bit.

    (Checked also against the trainer before these fields existed, on this machine: equal histories.)
    """
    kw = dict(loss="gan", steps=4, batch_size=16, generator=gan1d.ParallelLines(1.0), seed=3,
              discriminator=gan1d.MLP(width=8, depth=1), eval_every=2, eval_samples=20)  # fmt: skip
    a = gan1d.train(toys.ShiftedLine(0.0), **kw)
    b = gan1d.train(toys.ShiftedLine(0.0), **kw, **NEW_FIELDS)
    assert {k: getattr(a.config, k) for k in NEW_FIELDS} == NEW_FIELDS
    for part in ("steps", "evals"):
        x, y = getattr(a.history, part), getattr(b.history, part)
        assert x.keys() == y.keys() and all(np.array_equal(x[k], y[k]) for k in x)


def test_runs_save_and_load_the_new_fields(tmp_path):
    options = {"r1": 0.5, "r2": 0.25, "instance_noise": 0.1, "instance_noise_anneal": 3, "updates": "simultaneous",
               "consensus": 0.2, "n_critic": 1}  # fmt: skip
    nets = {"generator": gan1d.LocationScale(1.0, 1.0), "discriminator": gan1d.MLP(width=8, depth=1)}
    run = gan1d.train(toys.Gaussian(0.0, 1.0), loss="gan", steps=3, batch_size=16, eval_every=3, eval_samples=20,
                      **nets, **options)  # fmt: skip
    run.save(tmp_path / "run.pt")
    assert gan1d.load(tmp_path / "run.pt").config == run.config
    data = torch.load(tmp_path / "run.pt", weights_only=True)
    for name in NEW_FIELDS:  # a file written before these fields existed
        del data["config"][name]
    torch.save(data, tmp_path / "old.pt")
    config = gan1d.load(tmp_path / "old.pt").config
    assert {k: getattr(config, k) for k in NEW_FIELDS} == NEW_FIELDS


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"r1": -0.1}, ValueError, r"r1 must be a finite number >= 0, got -0\.1"),
        ({"r2": "1"}, TypeError, r"r2 must be a real number, got '1'"),
        ({"instance_noise": float("inf")}, ValueError, r"instance_noise must be finite, got inf"),
        ({"consensus": -1.0, "updates": "simultaneous", "n_critic": 1}, ValueError, r"consensus must be a finite"),
        ({"instance_noise_anneal": 0, "instance_noise": 0.1}, ValueError, r"instance_noise_anneal must be a positive"),
        ({"instance_noise_anneal": 2.5, "instance_noise": 0.1}, TypeError, r"instance_noise_anneal must be a positive"),
        ({"instance_noise_anneal": 10}, ValueError, r"instance_noise_anneal applies only when instance_noise > 0"),
        ({"updates": "both"}, ValueError, r"updates must be one of \('alternating', 'simultaneous'\), got 'both'"),
        ({"updates": "simultaneous"}, ValueError, r"n_critic must be 1, got 5"),
        ({"consensus": 0.5}, ValueError, r"consensus=0\.5 needs updates='simultaneous'"),
        ({"spectral_norm": 1}, TypeError, r"spectral_norm must be True or False, got 1"),
    ],
)
def test_bad_regulariser_options_are_refused_before_training(options, error, message):
    with pytest.raises(error, match=message):
        gan1d.TrainConfig(loss="wgan-gp", **options)
