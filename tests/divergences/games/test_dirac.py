"""The Dirac-GAN (divergences.games: dirac, dirac_training) against independent computations.

Oracles: central finite differences (step 1e-5, error about 1e-10) of the payoffs for the field and
of the field for the Jacobians; the f-GAN value written from the Generator objects of
:mod:`divergences.generators` (activation, conjugate), not from the module's closed forms;
``scipy.integrate.quad`` (asked for 1e-13) and closed forms for the expectations over instance
noise; ``numpy.linalg.eigvals``; the eigenvalue formulas of Mescheder, Geiger and Nowozin (2018)
with :math:`h'(0) = 1/2`, :math:`h''(0) = -1/4` for the GAN; the Jacobian of the actual update maps
by finite differences for the update's spectrum. The claims of the paper are checked on
trajectories with the rates computed from the eigenvalues.
"""

import math

import numpy as np
import pytest
from scipy import integrate, special

from divergences.games import (
    OBJECTIVES,
    alternating_gd,
    eigenvalues,
    flow,
    jacobian,
    jacobian_at_equilibrium,
    payoffs,
    simultaneous_gd,
    update_eigenvalues,
    vector_field,
)
from divergences.generators import GENERATORS

STEP = 1e-5  # central differences: truncation ~ STEP^2 |f'''|, rounding ~ 1e-16 / STEP
FD = 1e-8  # what they resolve, with margin
GAMES = [("gan", {}), ("nsgan", {}), ("wgan", {})] + [("f-gan", {"f": name}) for name in GENERATORS]
REGULARIZERS = [{}, {"regularizer": "r1", "gamma": 0.3}, {"regularizer": "r2", "gamma": 1.7},
                {"regularizer": "instance_noise", "sigma": 0.7}]  # fmt: skip
CASES = [(o, {**a, **r}) for o, a in GAMES for r in REGULARIZERS] + [("wgan-gp", {"gamma": 0.7, "g0": 0.5})]
IDS = [f"{o}-{a.get('f', '')}-{a.get('regularizer', '')}" for o, a in CASES]
RNG = np.random.default_rng(20180111)
THETA, PSI = RNG.uniform(-1.5, 1.5, 8), RNG.uniform(-1.5, 1.5, 8)  # away from psi = 0 (wgan-gp's kink)
THETA, PSI = THETA, np.where(np.abs(PSI) < 0.1, 0.5, PSI)


def _partials(fn, theta, psi):
    """Central differences of fn(theta, psi) -> (a, b): [[da/dtheta, da/dpsi], [db/dtheta, db/dpsi]]."""
    d_theta = [(x - y) / (2 * STEP) for x, y in zip(fn(theta + STEP, psi), fn(theta - STEP, psi))]
    d_psi = [(x - y) / (2 * STEP) for x, y in zip(fn(theta, psi + STEP), fn(theta, psi - STEP))]
    return np.array([[d_theta[0], d_psi[0]], [d_theta[1], d_psi[1]]])


# -- the field and its Jacobian ------------------------------------------------------------------
@pytest.mark.parametrize(("objective", "options"), CASES, ids=IDS)
def test_field_is_the_gradient_of_the_payoffs_and_the_jacobian_its_derivative(objective, options):
    d = _partials(lambda t, p: payoffs(objective, t, p, **options), THETA, PSI)
    v_theta, v_psi = vector_field(objective, THETA, PSI, **options)
    np.testing.assert_allclose(v_theta, -d[0, 0], atol=FD)  # generator descends its loss
    np.testing.assert_allclose(v_psi, d[1, 1], atol=FD)  # critic ascends its value
    j = jacobian(objective, THETA, PSI, **options)
    np.testing.assert_allclose(j, _partials(lambda t, p: vector_field(objective, t, p, **options), THETA, PSI), atol=FD)


AT_ZERO = [*CASES[:-1], ("wgan-gp", {"gamma": 0.7, "g0": 0.0})]  # wgan-gp with g0 > 0 jumps at psi = 0
AT_ZERO += [(o, {**a, "regularizer": "consensus", "gamma": 0.6}) for o, a in GAMES]


@pytest.mark.parametrize(("objective", "options"), AT_ZERO)
def test_jacobian_at_equilibrium_against_differences_and_its_eigenvalues_against_numpy(objective, options):
    j = jacobian_at_equilibrium(objective, **options)
    zero = np.zeros(1)
    np.testing.assert_allclose(j, _partials(lambda t, p: vector_field(objective, t, p, **options), zero, zero)[..., 0],
                               atol=FD)  # fmt: skip
    lam = eigenvalues(objective, **options)
    np.testing.assert_allclose(np.sort_complex(lam), np.sort_complex(np.linalg.eigvals(j)), atol=1e-15)
    assert np.abs(j[0, 1]) > 0.2  # not a trivial matrix: the critic moves the generator


@pytest.mark.parametrize(("objective", "options"), [(o, a) for o, a in GAMES])
def test_consensus_subtracts_gamma_times_the_gradient_of_half_the_squared_field(objective, options):
    def half_norm2(t, p):
        v = vector_field(objective, t, p, **options)
        return 0.5 * (v[0] ** 2 + v[1] ** 2), 0.5 * (v[0] ** 2 + v[1] ** 2)

    grad = _partials(half_norm2, THETA, PSI)[0]
    v = np.array(vector_field(objective, THETA, PSI, **options))
    w = np.array(vector_field(objective, THETA, PSI, regularizer="consensus", gamma=0.6, **options))
    np.testing.assert_allclose(w, v - 0.6 * grad, atol=FD)


def test_the_gan_field_is_the_papers():
    # v = (-psi h'(psi theta), theta h'(psi theta)), h'(t) = sigma(-t); NS: v_theta = -psi sigma(psi theta)
    v = vector_field("gan", THETA, PSI)
    np.testing.assert_allclose(v, [-PSI * special.expit(-PSI * THETA), THETA * special.expit(-PSI * THETA)], rtol=1e-14)
    v_ns = vector_field("nsgan", THETA, PSI)
    np.testing.assert_allclose(v_ns[0], -PSI * special.expit(PSI * THETA), rtol=1e-14)
    np.testing.assert_allclose(vector_field("wgan-gp", THETA, PSI, gamma=0.7, g0=0.5)[1],
                               THETA - 0.7 * (np.abs(PSI) - 0.5) * np.sign(PSI), rtol=1e-14)  # fmt: skip


# -- the f-GANs against the Generator objects ------------------------------------------------------
@pytest.mark.parametrize("name", list(GENERATORS))
def test_f_gan_value_and_field_from_the_generator_objects(name):
    g = GENERATORS[name]
    theta, psi = THETA / 2, PSI / 2  # keep g(psi theta) inside the conjugate's domain for every f

    def value(t, p):  # E_P g(T) - E_Q f*(g(T)) with T = psi x, P at 0 and Q at theta
        return g.activation(0.0 * p) - g.conjugate(g.activation(p * t))

    loss, val = payoffs("f-gan", theta, psi, f=name)
    np.testing.assert_allclose(val, value(theta, psi), rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(loss, val - g.activation(0.0), rtol=1e-13, atol=1e-14)
    d = _partials(lambda t, p: (value(t, p), value(t, p)), theta, psi)
    np.testing.assert_allclose(vector_field("f-gan", theta, psi, f=name), [-d[0, 0], d[1, 1]], atol=FD)


def test_the_f_gan_of_the_gan_generator_is_the_papers_gan_with_the_critic_reversed():
    v_f = np.array(vector_field("f-gan", THETA, PSI, f="gan"))
    v = np.array(vector_field("gan", THETA, -PSI))
    np.testing.assert_allclose(v_f, [v[0], -v[1]], rtol=1e-14)


@pytest.mark.parametrize("name", list(GENERATORS))
def test_f_gan_eigenvalues_are_plus_minus_i_times_the_slope_of_the_conjugate_of_the_activation(name):
    g = GENERATORS[name]
    slope = (g.conjugate(g.activation(STEP)) - g.conjugate(g.activation(-STEP))) / (2 * STEP)  # d/ds f*(g(s)) at 0
    np.testing.assert_allclose(eigenvalues("f-gan", f=name), [1j * slope, -1j * slope], atol=FD)


# -- instance noise: the expectations ------------------------------------------------------------------
def _quad(fn, mean, sigma):
    return integrate.quad(lambda e: fn(mean + sigma * e) * math.exp(-e * e / 2) / math.sqrt(2 * math.pi), -40, 40,
                          epsabs=1e-14, epsrel=1e-13, limit=200)[0]  # fmt: skip


@pytest.mark.parametrize(("name", "tol"), [(n, 1e-11) for n in GENERATORS if n != "pearson"] + [("pearson", 1e-5)])
def test_noisy_f_gan_payoffs_against_quad(name, tol):
    # the Pearson conjugate has a kink at -2 that the Gauss-Hermite sum resolves to ~1e-6 only
    g = GENERATORS[name]
    for theta, psi in [(0.4, -0.6), (-0.8, 0.5), (1.0, 1.0)]:
        real = _quad(lambda x, p=psi: float(g.activation(p * x)), 0.0, 0.7)
        fake = _quad(lambda x, p=psi: float(g.conjugate(g.activation(p * x))), theta, 0.7)
        loss, value = payoffs("f-gan", theta, psi, f=name, regularizer="instance_noise", sigma=0.7)
        assert value == pytest.approx(real - fake, abs=tol)
        assert loss == pytest.approx(-fake, abs=tol)


def test_noisy_payoffs_against_closed_forms():
    theta, psi, sigma = 0.8, -1.3, 0.6
    # KL f-GAN: E_P psi x = 0 and E_Q exp(psi x - 1) = exp(psi theta - 1 + psi^2 sigma^2 / 2)
    _, value = payoffs("f-gan", theta, psi, f="kl", regularizer="instance_noise", sigma=sigma)
    assert value == pytest.approx(-math.exp(psi * theta - 1 + psi**2 * sigma**2 / 2), rel=1e-14)
    # the WGAN's payoffs are linear: the noise averages out
    assert payoffs("wgan", theta, psi, regularizer="instance_noise", sigma=sigma)[1] == pytest.approx(
        psi * theta, rel=1e-14
    )
    # the GAN: E h(psi x) by quad of the paper's h
    h = lambda t: -np.logaddexp(0.0, -t)
    expected = _quad(lambda x: h(psi * x), theta, sigma) + _quad(lambda x: h(-psi * x), 0.0, sigma)
    assert payoffs("gan", theta, psi, regularizer="instance_noise", sigma=sigma)[1] == pytest.approx(
        expected, abs=1e-12
    )


# -- the paper's eigenvalues -------------------------------------------------------------------------
H1, H2 = 0.5, -0.25  # h'(0) and h''(0) of the GAN's h(t) = -log(1 + exp(-t))


@pytest.mark.parametrize("objective", ["gan", "nsgan"])
def test_papers_eigenvalues_for_the_gan(objective):
    np.testing.assert_allclose(eigenvalues(objective), [0.5j, -0.5j], atol=1e-16)  # +-i h'(0), Sec. 2
    for sigma in (0.3, 0.7, 2.0):  # instance noise: s^2 h'' +- sqrt(s^4 h''^2 - h'^2)
        root = np.sqrt(complex(sigma**4 * H2**2 - H1**2))
        expected = [sigma**2 * H2 + root, sigma**2 * H2 - root]
        np.testing.assert_allclose(
            eigenvalues(objective, regularizer="instance_noise", sigma=sigma), expected, atol=1e-12
        )
    for gamma in (0.3, 1.0, 2.5):  # R1 and R2: -gamma/2 +- sqrt(gamma^2/4 - h'^2)
        root = np.sqrt(complex(gamma**2 / 4 - H1**2))
        for reg in ("r1", "r2"):
            np.testing.assert_allclose(eigenvalues(objective, regularizer=reg, gamma=gamma), [-gamma / 2 + root,
                                       -gamma / 2 - root], atol=1e-15)  # fmt: skip
    for gamma in (0.3, 1.0):  # consensus: -gamma h'^2 +- i h'
        np.testing.assert_allclose(eigenvalues(objective, regularizer="consensus", gamma=gamma),
                                   [-gamma * H1**2 + 0.5j, -gamma * H1**2 - 0.5j], atol=1e-15)  # fmt: skip


def test_wgan_eigenvalues_are_imaginary_and_instance_noise_does_not_help():
    np.testing.assert_allclose(eigenvalues("wgan"), [1j, -1j], atol=0)
    np.testing.assert_allclose(eigenvalues("wgan", regularizer="instance_noise", sigma=0.7), [1j, -1j], atol=0)
    np.testing.assert_allclose(eigenvalues("wgan-gp", g0=0.0, gamma=0.5).real, [-0.25, -0.25], atol=1e-15)


# -- trajectories --------------------------------------------------------------------------------------
@pytest.mark.parametrize("objective", ["gan", "wgan", "nsgan"])
def test_the_unregularised_flow_circles(objective):
    # v is orthogonal to (theta, psi) for the minimax games: the distance is conserved (Sec. 2)
    _, theta, psi = flow(objective, [1.0, -0.3], [0.5, 2.0], 30.0, points=31)
    r = np.hypot(theta, psi)
    if objective == "nsgan":  # the non-saturating field is not orthogonal: it does not conserve r
        assert np.ptp(r[:, 1]) > 1e-3
        return
    np.testing.assert_allclose(r, np.broadcast_to(r[0], r.shape), rtol=1e-8)
    assert np.ptp(theta[:, 0]) > 1.0  # it moved: round and round


@pytest.mark.parametrize(("objective", "start"), [("wgan", 1.0), ("gan", 1e-6)])
def test_simultaneous_steps_spiral_out_at_the_rate_of_the_eigenvalues(objective, start):
    lr = 0.2
    theta, psi = simultaneous_gd(objective, start, 0.0, lr, 60)
    ratio = np.hypot(theta[1:], psi[1:]) / np.hypot(theta[:-1], psi[:-1])
    rate = np.abs(update_eigenvalues(objective, lr))
    np.testing.assert_allclose(rate, np.abs(1 + lr * eigenvalues(objective)), rtol=1e-15)
    assert rate[0] == pytest.approx(math.sqrt(1 + (lr * (1.0 if objective == "wgan" else H1)) ** 2), rel=1e-15)
    np.testing.assert_allclose(ratio, rate[0], rtol=1e-9)  # > 1: the norm grows geometrically


def test_alternating_steps_stay_bounded_and_do_not_converge():
    lr = 0.1
    theta, psi = alternating_gd("wgan", 1.0, 0.0, lr, 400)
    np.testing.assert_allclose(theta**2 + psi**2 - lr * theta * psi, 1.0, rtol=1e-12)  # an invariant ellipse
    theta, psi = alternating_gd("gan", 1.0, 1.0, lr, 1000)
    r = np.hypot(theta, psi)
    assert 0.95 * r[0] < r.min() and r.max() < 1.05 * r[0]  # measured: within 2.6% of |x_0| = sqrt(2)
    assert np.ptp(theta[-300:]) > 1.0  # still circling after 1000 rounds
    for n_c in (1, 3):  # the update's eigenvalues, 1 - a^2/2 +- sqrt((1 - a^2/2)^2 - 1), a^2 = n_c (h h'(0))^2
        a2 = n_c * (lr * H1) ** 2
        root = np.sqrt(complex((1 - a2 / 2) ** 2 - 1))
        lam = update_eigenvalues("gan", lr, method="alternating", critic_steps=n_c)
        np.testing.assert_allclose(lam, [1 - a2 / 2 + root, 1 - a2 / 2 - root], atol=1e-15)
        np.testing.assert_allclose(np.abs(lam), 1.0, atol=1e-15)


@pytest.mark.parametrize(("options", "j11"), [({"regularizer": "r1", "gamma": 0.4}, 0.0),
                         ({"regularizer": "consensus", "gamma": 0.4}, -0.4 * H1**2)])  # fmt: skip
def test_an_alternating_round_scales_areas_by_the_product_of_its_half_steps(options, j11):
    # the module's claim: det = (1 + h J11)(1 + h J22) per round, J11 = 0 except under consensus, where
    # J - gamma J^T J has J11 = -gamma h'(0)^2; with n_g and n_c steps, each factor to that power
    lr, j = 0.3, jacobian_at_equilibrium("gan", **options)
    assert j[0, 0] == pytest.approx(j11, abs=1e-15)
    for n_g, n_c in ((1, 1), (2, 3)):
        lam = update_eigenvalues("gan", lr, method="alternating", generator_steps=n_g, critic_steps=n_c, **options)
        det = (1 + lr * j[0, 0]) ** n_g * (1 + lr * j[1, 1]) ** n_c
        assert np.prod(lam).real == pytest.approx(det, rel=1e-14) and det < 1


@pytest.mark.parametrize("method", ["simultaneous", "alternating"])
@pytest.mark.parametrize(("objective", "options"), [("gan", {}), ("gan", {"regularizer": "r1", "gamma": 0.4}),
                         ("nsgan", {"regularizer": "instance_noise", "sigma": 0.9}),
                         ("f-gan", {"f": "kl", "regularizer": "consensus", "gamma": 0.7})])  # fmt: skip
def test_update_eigenvalues_against_the_jacobian_of_the_update_map(method, objective, options):
    run = simultaneous_gd if method == "simultaneous" else alternating_gd
    kw = {} if method == "simultaneous" else {"critic_steps": 2}

    def update(t, p):
        theta, psi = run(objective, t, p, 0.3, 1, **kw, **options)
        return theta[1], psi[1]

    zero = np.zeros(1)
    m = _partials(update, zero, zero)[..., 0]
    lam = update_eigenvalues(objective, 0.3, method=method, **kw, **options)
    np.testing.assert_allclose(np.sort_complex(lam), np.sort_complex(np.linalg.eigvals(m)), atol=FD)


@pytest.mark.parametrize(("objective", "options"), [("gan", {"regularizer": "r1", "gamma": 0.3}),
                         ("gan", {"regularizer": "r2", "gamma": 1.5}),
                         ("gan", {"regularizer": "instance_noise", "sigma": 0.7}),
                         ("nsgan", {"regularizer": "consensus", "gamma": 1.0}),
                         ("f-gan", {"f": "js", "regularizer": "r1", "gamma": 0.2})])  # fmt: skip
def test_regularised_simultaneous_steps_converge_at_the_spectral_radius(objective, options):
    lr = 0.2
    lam = eigenvalues(objective, **options)
    assert np.all(lam.real < 0)
    rho = np.max(np.abs(update_eigenvalues(objective, lr, **options)))
    assert rho < 1
    # near (0, 0) the steps are x <- (I + lr J) x: in J's eigenbasis each component shrinks by |1 + lr lambda|,
    # so the largest component shrinks by rho per step (started at 1e-6, where v - J x is ~1e-12 |x|)
    _, vectors = np.linalg.eig(jacobian_at_equilibrium(objective, **options))
    theta, psi = simultaneous_gd(objective, 1e-6, 1e-6, lr, 40, **options)
    coords = np.abs(np.linalg.solve(vectors, np.stack([theta, psi]).astype(complex)))  # (2, steps + 1)
    slow = np.argmax(np.abs(1 + lr * lam))
    np.testing.assert_allclose(coords[slow, 1:] / coords[slow, :-1], rho, rtol=1e-8)
    # and from far away they reach it at that rate (measured: at most 1.5 rho^600 |x_0|)
    theta, psi = simultaneous_gd(objective, 1.0, 1.0, lr, 600, **options)
    assert math.hypot(theta[-1], psi[-1]) < 5 * rho**600 * math.sqrt(2) < 1e-4


def test_wgan_gp_and_clipped_wgan_do_not_converge():
    # WGAN-GP: the penalty gamma/2 (|psi| - g0)^2 pushes psi away from 0, so the iterates started next to
    # the equilibrium leave it and keep circling (measured: |x| stays in [0.34, 0.49] for g0 = 0.3)
    for run in (simultaneous_gd, alternating_gd):
        theta, psi = run("wgan-gp", 0.01, 0.01, 0.1, 800, gamma=1.0, g0=0.3)
        r = np.hypot(theta, psi)[-300:]
        assert r.min() > 0.3 and np.ptp(theta[-300:]) > 0.5
    # clipped WGAN: the flow ends on the circle of radius c, and the steps do not shrink below it
    _, theta, psi = flow("wgan", 1.0, 1.0, 30.0, points=31, clip=0.3)
    assert np.abs(psi).max() <= 0.3
    np.testing.assert_allclose(np.hypot(theta, psi)[-10:], 0.3, rtol=1e-8)
    theta, psi = simultaneous_gd("wgan", 1.0, 1.0, 0.1, 600, clip=0.3)
    assert np.abs(psi).max() <= 0.3 and np.hypot(theta, psi)[-200:].min() > 0.29


def test_shapes_broadcast():
    v = vector_field("gan", np.zeros((2, 1)), np.ones(3))
    assert v[0].shape == v[1].shape == (2, 3)
    theta, psi = simultaneous_gd("gan", [0.1, 0.2], 0.3, 0.1, 5)
    assert theta.shape == psi.shape == (6, 2)
    np.testing.assert_array_equal(theta[:, 1], simultaneous_gd("gan", 0.2, 0.3, 0.1, 5)[0])


# -- bad input -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: vector_field("lsgan", 0.0, 0.0), ValueError, ["objective", "'lsgan'", "wgan-gp"]),
        (lambda: vector_field("gan", 0.0, 0.0, regularizer="r3"), ValueError, ["regularizer", "'r3'", "r1"]),
        (lambda: vector_field("f-gan", 0.0, 0.0, f="chi"), ValueError, ["f must", "'chi'", "hellinger"]),
        (lambda: vector_field("f-gan", 0.0, 0.0), ValueError, ["f must", "None"]),
        (lambda: vector_field("gan", float("nan"), 0.0), ValueError, ["theta", "finite"]),
        (lambda: vector_field("gan", 0.0, [1.0, np.inf]), ValueError, ["psi", "finite"]),
        (lambda: vector_field("gan", 0.0, 0.0, sigma=1.0), ValueError, ["sigma", "instance_noise"]),
        (lambda: vector_field("gan", 0.0, 0.0, regularizer="r1", gamma=-1.0), ValueError, ["gamma", "> 0", "-1.0"]),
        (lambda: vector_field("wgan-gp", 0.0, 0.0, g0=-1.0), ValueError, ["g0", ">= 0", "-1.0"]),
        (lambda: vector_field("wgan-gp", 0.0, 0.0, regularizer="r1"), ValueError, ["regularizer", "wgan-gp"]),
        (lambda: jacobian_at_equilibrium("wgan-gp"), ValueError, ["g0", "psi = 0"]),
        (lambda: jacobian("gan", 0.0, 0.0, regularizer="consensus"), ValueError, ["consensus", "equilibrium"]),
        (lambda: payoffs("gan", 0.0, 0.0, regularizer="consensus"), ValueError, ["consensus"]),
        (lambda: simultaneous_gd("gan", 0.0, 0.0, 0.0, 5), ValueError, ["lr", "> 0", "0.0"]),
        (lambda: simultaneous_gd("gan", 0.0, 0.0, -0.1, 5), ValueError, ["lr", "> 0", "-0.1"]),
        (lambda: simultaneous_gd("gan", 0.0, 0.0, 0.1, 0), ValueError, ["steps", "positive integer", "0"]),
        (lambda: alternating_gd("gan", 0.0, 0.0, 0.1, 2.5), TypeError, ["steps", "integer", "2.5"]),
        (lambda: alternating_gd("gan", 0.0, 0.0, 0.1, True), TypeError, ["steps", "integer", "True"]),
        (lambda: alternating_gd("gan", 0.0, 0.0, 0.1, 3, critic_steps=0), ValueError, ["critic_steps", "0"]),
        (lambda: simultaneous_gd("gan", 0.0, 0.0, 0.1, 3, clip=0.1), ValueError, ["clip", "wgan"]),
        (lambda: flow("gan", 0.0, 0.0, 0.0), ValueError, ["t_end", "> 0"]),
        (lambda: update_eigenvalues("gan", 0.1, method="newton"), ValueError, ["method", "'newton'"]),
        (lambda: vector_field("gan", 0.0, 0.0, sigm=1.0), TypeError, ["option", "'sigm'", "sigma"]),
        (lambda: update_eigenvalues("wgan", 0.1, clip=0.1), TypeError, ["option", "'clip'"]),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_every_objective_is_covered():
    assert {o for o, _ in CASES} == set(OBJECTIVES)
