"""The Dirac-GAN part of the lecture against closed forms derived by hand.

For the GAN, :math:`h'(0) = 1/2` and :math:`h''(0) = -1/4`, so the Jacobian at (0, 0) is
:math:`J = ((0, -1/2), (1/2, d))` with :math:`d = -\\gamma` (R1), :math:`d = 2\\sigma^2 h''(0) =
-\\sigma^2/2` (instance noise), and :math:`J - \\gamma J^T J = J - \\gamma/4\\, I` (consensus). Its
eigenvalues are :math:`d/2 \\pm \\sqrt{d^2/4 - 1/4}`. One alternating round multiplies by
:math:`C G` with :math:`G = ((1, -h/2), (0, 1))`, :math:`C = ((1, 0), (h/2, 1 + h d))`: determinant
:math:`1 + h d`, so when its eigenvalues are complex their modulus is :math:`\\sqrt{1 + h d}`.
"""

import math
import re

import numpy as np
import pytest
from PIL import Image

from divergences.games import vector_field
from gan1d.lecture import dirac

GAMMAS = np.array([0.0, 0.3, 0.99, 1.0, 1.01, 1.5])


def _roots(d, omega=0.5):
    """d/2 +- sqrt(d^2/4 - omega^2), + root first."""
    root = np.sqrt((np.asarray(d, dtype=float) ** 2 / 4 - omega**2).astype(complex))
    return np.stack([d / 2 + root, d / 2 - root], axis=-1)


@pytest.fixture(scope="module")
def runs():
    """Trajectories of four games, 200 steps (the WGAN-GP's flow, slow across its jump, is left out)."""
    chosen = [p for p in dirac.panels() if p.objective in ("gan", "wgan") and p.regularizer in (None, "r1")]
    return {p.title: dirac.trajectories(p, steps=200) for p in chosen}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("dirac")
    return out, dirac.section(out, None, 0)


def test_the_panels_are_the_authors_games():
    titles = [p.title for p in dirac.panels()]
    assert titles == ["GAN", "non-saturating GAN", "WGAN", "WGAN, clip = 1", "WGAN-GP, γ = 0.7, g0 = 1",
                      "GAN + R1, γ = 0.3", "GAN + instance noise, σ = 0.7", "GAN + consensus, γ = 1"]  # fmt: skip
    for p in dirac.panels():
        assert np.all(np.isfinite(vector_field(p.objective, 0.5, -0.5, **p.game)))  # the options are the library's


def test_spectra_are_the_closed_forms():
    np.testing.assert_allclose(dirac.spectra("r1", GAMMAS), _roots(-GAMMAS), atol=1e-7)  # sqrt(eps) at the double root
    np.testing.assert_allclose(dirac.spectra("r2", GAMMAS), _roots(-GAMMAS), atol=1e-7)
    sigmas = np.array([0.0, 0.7, 2**0.5, 2.0])
    np.testing.assert_allclose(dirac.spectra("instance_noise", sigmas), _roots(-(sigmas**2) / 2), atol=1e-7)
    expected = np.stack([-GAMMAS / 4 + 0.5j, -GAMMAS / 4 - 0.5j], axis=-1)
    np.testing.assert_allclose(dirac.spectra("consensus", GAMMAS), expected, atol=1e-15)
    # the WGAN with R1: omega = 1, the critical weight is 2
    np.testing.assert_allclose(dirac.spectra("r1", [0.5, 3.0], "wgan"), _roots(-np.array([0.5, 3.0]), 1.0), atol=1e-15)


def test_the_plotted_spectra_and_radii_are_the_closed_forms():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lrs = np.linspace(0.05, 1.5, 30)
    fig = dirac.plot_spectra(lrs=lrs)
    axes = np.array(fig.axes).reshape(2, 4)
    gammas = dirac.WEIGHTS["r1"]
    lam = _roots(-gammas)
    for j in range(2):  # the curves of the R1 column: Re (top) and Im (bottom) of lambda+ and lambda-
        np.testing.assert_allclose(axes[0, 0].lines[j].get_ydata(), lam[:, j].real, atol=1e-7)
        np.testing.assert_allclose(axes[1, 0].lines[j].get_ydata(), lam[:, j].imag, atol=1e-7)
    gan, r1 = (ax.lines[0].get_ydata() for ax in axes[:, 3]), axes[0, 3].lines[1].get_ydata()
    sim, alt = gan
    np.testing.assert_allclose(sim, np.sqrt(1 + lrs**2 / 4), rtol=1e-14)  # |1 + i h / 2|
    np.testing.assert_allclose(alt, 1.0, rtol=1e-14)  # on the unit circle for h / 2 <= 2
    np.testing.assert_allclose(r1, np.abs(1 + lrs * _roots(-0.3)[0]), rtol=1e-14)  # max |1 + h lambda|
    np.testing.assert_allclose(axes[1, 3].lines[1].get_ydata(), np.sqrt(1 - 0.3 * lrs), rtol=1e-14)  # sqrt(1 + h d)
    plt.close(fig)


def test_the_trajectories_circle_grow_stay_bounded_or_converge(runs):
    h = dirac.LR
    for title in ("GAN", "WGAN"):  # the flow conserves theta^2 + psi^2, to the solver's tolerance
        theta, psi = runs[title]["flow"]
        np.testing.assert_allclose(theta**2 + psi**2, 2.0, rtol=1e-5)
    theta, psi = runs["WGAN"]["simultaneous"]  # each step multiplies the distance by sqrt(1 + h^2), exactly
    np.testing.assert_allclose(np.hypot(theta, psi), 2**0.5 * (1 + h**2) ** (np.arange(201) / 2), rtol=1e-12)
    theta, psi = runs["GAN"]["simultaneous"]
    assert np.hypot(theta[-1], psi[-1]) > 1.2 * 2**0.5  # spirals out
    theta, psi = runs["WGAN"]["alternating"]  # on the ellipse theta^2 + psi^2 - h theta psi = 2 - h
    np.testing.assert_allclose(theta**2 + psi**2 - h * theta * psi, 2 - h, rtol=1e-12)
    theta, psi = runs["GAN"]["alternating"]
    assert np.hypot(theta, psi).max() < 1.1 * 2**0.5  # bounded, and not converging
    assert np.hypot(theta[-50:], psi[-50:]).min() > 0.9 * 2**0.5
    assert np.abs(runs["WGAN, clip = 1"]["simultaneous"][1]).max() <= 1.0
    for name, (theta, psi) in runs["GAN + R1, γ = 0.3"].items():
        assert np.hypot(theta[-1], psi[-1]) < 1e-2, name  # 200 steps: rho^200 = 6e-3 for simultaneous steps


def test_the_measured_rates_are_the_spectrums():
    # a synthetic spiral: ln distance falls by exactly ln rho per step, or rho / h per unit time for the flow
    k = np.arange(400)
    spiral = (0.97**k * np.cos(k), 0.97**k * np.sin(k))
    got = dirac.rates({"flow": spiral, "simultaneous": spiral})
    assert got["simultaneous"] == pytest.approx(math.log(0.97), rel=1e-12)
    assert got["flow"] == pytest.approx(math.log(0.97) / dirac.LR, rel=1e-12)
    assert math.isnan(dirac.rates({"alternating": (np.ones(5), np.ones(5))})["alternating"])


def test_the_measured_field_is_the_analytic_one():
    chosen = [p for p in dirac.panels() if p.regularizer != "instance_noise" and "clip" not in p.options]
    for panel, measured, analytic in dirac.compare_fields(chosen):
        np.testing.assert_allclose(measured, analytic, rtol=1e-12, atol=1e-12, err_msg=panel.title)


def test_instance_noise_measured_by_monte_carlo_is_the_expectation():
    # 64 members of 512 draws; their means are about normal, so 4 standard errors fail about 1 seed in 16,000
    # (the seed is fixed: the test replays)
    theta, psi = np.full(64, 0.7), np.full(64, -1.3)
    m = np.array(dirac.measured_field("gan", theta, psi, batch=512, regularizer="instance_noise", sigma=0.7))
    expected = vector_field("gan", 0.7, -1.3, regularizer="instance_noise", sigma=0.7)
    se = m.std(axis=1, ddof=1) / 8
    assert np.all(np.abs(m.mean(axis=1) - expected) < 4 * se), (m.mean(axis=1), expected, se)
    assert np.all(se < 0.01) and np.ptp(m[0]) > 0  # random, and precise enough to tell a wrong field


def test_section_writes_both_figures_and_its_tables(report):
    out, lines = report
    for name in ("dirac_fields.png", "dirac_spectra.png"):
        with Image.open(out / name) as image:
            assert image.size[0] > 1000 and image.size[1] > 500, name
    text = "\n".join(lines)
    first = lines.index(next(line for line in lines if line.startswith("| game | eigenvalues")))
    rows = lines[first + 2 : lines.index("", first)]  # the table of spectra, down to the blank line
    spectrum = {r.split(" | ")[0][2:]: r for r in rows}
    assert list(spectrum) == [p.title for p in dirac.panels()]
    assert "0 ± 0.5i" in spectrum["GAN"] and "purely imaginary" in spectrum["GAN"]
    assert "-0.15 ± 0.477i" in spectrum["GAN + R1, γ = 0.3"] and "rate -Re λ = 0.15 " in spectrum["GAN + R1, γ = 0.3"]
    assert "none" in spectrum["WGAN-GP, γ = 0.7, g0 = 1"]
    rho = math.sqrt(1 + dirac.LR**2 / 4)
    assert f"| {rho:.4f} | 1.0000 |" in spectrum["GAN"]
    worst = float(re.search(r"Largest difference: ([0-9.e+-]+)\.", text).group(1))
    assert worst < 1e-12
    assert text.count("![") == 2 and "standard errors" in text
