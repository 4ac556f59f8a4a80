"""The interactive views against the closed forms, the estimators and an independent gradient.

The oracles: the closed forms of the parallel lines (TV = 1, JS = ln 2, KL = inf, W1 = |theta| off
0) and of the Gaussian location family (KL = theta^2 / 2); central differences of the generator's
loss of a batch for the arrows (and, for a linear logit, the closed form D * slope);
divergences.empirical.w1 and gan1d.mode_coverage recomputed from a frame's samples; and the run's
own history and final networks for the last frame.
"""

import copy
import math
import sys

import numpy as np
import pytest
import torch

import divergences
import gan1d
import toys
from divergences import empirical
from gan1d.lecture.interactive import (
    Scrubber,
    ScrubCamera,
    ScrubFrame,
    ThetaView,
    generator_arrows,
    record,
    theta_slider,
    training_scrubber,
)
from gan1d.training.losses import get_loss

LN2 = math.log(2.0)
TINY = gan1d.MLP(width=16, depth=2)
# Central differences in float64 with h = 1e-6 on a smooth (tanh) network: truncation ~h^2 and
# rounding ~1e-16 / h, both far below this tolerance on gradients of size ~1e-3 to 1.
FD_TOL = 1e-7


# -- the theta slider ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def lines():
    return ThetaView(toys.ShiftedLine, toys.ShiftedLine(0.0), np.linspace(-1.0, 1.0, 41))


@pytest.mark.parametrize("theta", [0.5, -0.25, 0.0, 1.0])
def test_theta_view_shows_the_closed_forms_of_the_parallel_lines(lines, theta):
    shown = lines.draw(theta)
    assert lines.theta == theta  # on the grid
    assert shown["w1"] == abs(theta)
    off = theta != 0.0
    assert shown["tv"] == (1.0 if off else 0.0) and shown["js"] == (LN2 if off else 0.0)
    assert shown["kl"] == shown["reverse_kl"] == (math.inf if off else 0.0)
    direct = divergences.curves(toys.ShiftedLine, [theta], toys.ShiftedLine(0.0))
    assert shown == {name: float(v[0]) for name, v in direct.items()}


def test_theta_view_markers_sit_on_the_values_and_infinities_on_the_top_edge(lines):
    shown = lines.draw(0.5)
    top = lines.curves_ax.get_ylim()[1]
    for name, marker in lines.markers.items():
        x, y = marker.get_data()
        assert list(x) == [0.5], name
        assert list(y) == [shown[name] if math.isfinite(shown[name]) else top], name
    assert list(lines.cursor.get_xdata()) == [0.5, 0.5]
    text = lines.readout.get_text()
    assert "θ = 0.5" in text and "= ∞" in text and "= 0.6931" in text


def test_theta_view_goes_to_the_nearest_computed_theta(lines):
    shown = lines.draw(0.26)  # between 0.25 and 0.3: 0.25 is nearer
    i = int(np.argmin(np.abs(lines.thetas - 0.26)))
    assert lines.theta == lines.thetas[i] == 0.25
    assert shown == {name: float(v[i]) for name, v in lines.values.items()}


def test_theta_view_draws_the_two_laws_at_theta():
    # 2-D laws as samples: the model's points are on the segment at x = theta.
    view = ThetaView(toys.ShiftedLine, toys.ShiftedLine(0.0), np.linspace(-1.0, 1.0, 5), names=["w1"])
    view.draw(-0.5)
    reference, model = (c.get_offsets() for c in view.laws_ax.collections)
    assert np.all(reference[:, 0] == 0.0) and np.all(model[:, 0] == -0.5)
    # 1-D laws as densities: the closed form KL = theta^2 / 2, and the model's pdf at theta.
    thetas = np.linspace(-2.0, 2.0, 9)
    view = ThetaView(lambda t: toys.Gaussian(t, 1.0), toys.Gaussian(0.0, 1.0), thetas, names=["kl", "w1"])
    shown = view.draw(1.5)
    assert math.isclose(shown["kl"], 1.5**2 / 2, rel_tol=1e-14) and math.isclose(shown["w1"], 1.5, rel_tol=1e-12)
    p_line, q_line = view.laws_ax.get_lines()
    x = q_line.get_xdata()
    np.testing.assert_allclose(q_line.get_ydata(), toys.Gaussian(1.5, 1.0).pdf(x), rtol=1e-14)
    np.testing.assert_allclose(p_line.get_ydata(), toys.Gaussian(0.0, 1.0).pdf(x), rtol=1e-14)


# -- the arrows ------------------------------------------------------------------------------------
def _critic(seed=0):
    generator = torch.Generator().manual_seed(seed)
    return gan1d.MLP(width=8, depth=2, activation="tanh").build_critic([generator], 2).double()


def _loss_of_batch(critic, loss, x):
    with torch.no_grad():
        return float(loss.generator_loss(critic(torch.as_tensor(x)[None]))[0])


@pytest.mark.parametrize("name", ["gan", "nsgan", "wgan", "lsgan", "f-gan"])
def test_arrows_are_minus_n_times_the_gradient_of_the_batch_loss(name):
    loss = get_loss(name, "kl" if name == "f-gan" else None)
    critic = _critic()
    x = np.random.default_rng(1).normal(size=(6, 2))
    arrows = generator_arrows(critic, loss, x)
    h, fd = 1e-6, np.empty_like(x)
    for i in range(len(x)):
        for j in range(2):
            up, down = x.copy(), x.copy()
            up[i, j] += h
            down[i, j] -= h
            fd[i, j] = (_loss_of_batch(critic, loss, up) - _loss_of_batch(critic, loss, down)) / (2 * h)
    np.testing.assert_allclose(arrows, -len(x) * fd, rtol=0, atol=FD_TOL)


class _LinearLogit(torch.nn.Module):
    def forward(self, x):  # (1, n, 2) -> (1, n): l(x) = 3 x1 - x2 + 0.5
        return x @ torch.tensor([3.0, -1.0], dtype=x.dtype) + 0.5


def test_minimax_arrows_are_d_times_the_logit_slope():
    # -d/dx log(1 - D(x)) = D(x) l'(x): towards "real", vanishing where D rejects the sample.
    x = np.array([[0.0, 0.0], [-3.0, 1.0], [1.0, -2.0]])
    d = 1 / (1 + np.exp(-(x @ [3.0, -1.0] + 0.5)))
    np.testing.assert_allclose(generator_arrows(_LinearLogit(), "gan", x), d[:, None] * [3.0, -1.0], rtol=1e-14)


# -- the scrubber ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ring_film():
    ring = toys.ring()
    run, frames = record(ring, "nsgan", 20, 2, n_samples=100, generator=TINY, discriminator=TINY, batch_size=32)
    return ring, run, frames


def test_scrub_frames_hold_the_estimate_the_empirical_w1_and_the_modes(ring_film):
    ring, run, frames = ring_film
    assert [f.step for f in frames] == [0, 10, 20] and all(isinstance(f, ScrubFrame) for f in frames)
    assert math.isnan(frames[0].estimate) and frames[0].divergence == "js"
    reference = ring.sample(100, rng=0)  # the camera's target samples: as many, seed 0
    for f in frames:
        assert f.values["w1"] == empirical.w1(f.samples, reference)
        assert f.values["modes"] == gan1d.mode_coverage(f.samples, ring)[0]
        if f.step:
            assert f.estimate == run.history["estimate"][f.step - 1]


def test_the_last_frame_is_the_trained_run(ring_film):
    _, run, frames = ring_film
    last = frames[-1]
    np.testing.assert_array_equal(last.samples, run.sample(100, rng=0))
    np.testing.assert_array_equal(last.arrows, generator_arrows(run.discriminator, "nsgan", last.samples))
    # ... and an independent gradient: central differences of the batch loss, through a float64 copy of the critic.
    critic, loss = copy.deepcopy(run.discriminator).double(), get_loss("nsgan")
    x, h = last.samples[:4].copy(), 1e-6
    for i, j in [(0, 0), (1, 1), (3, 0)]:
        up, down = x.copy(), x.copy()
        up[i, j] += h
        down[i, j] -= h
        slope = (_loss_of_batch(critic, loss, up) - _loss_of_batch(critic, loss, down)) / (2 * h)
        assert abs(last.arrows[i, j] + len(x) * slope) < 1e-6, (i, j)


@pytest.mark.parametrize(("loss", "column", "exact"), [("wgan-gp", "w1", abs), ("gan", "js", lambda t: LN2)])
def test_scrub_frames_of_the_parallel_lines_hold_the_exact_divergence(loss, column, exact):
    line = toys.ShiftedLine(0.0)
    run, frames = record(line, loss, 10, 2, n_samples=50, generator=gan1d.ParallelLines(1.0), discriminator=TINY)
    assert [f.step for f in frames] == [0, 5, 10]
    for f in frames:
        theta = f.samples[0, 0]  # the generator's theta at that step: every sample is (theta, z)
        assert theta != 0.0 and np.all(f.samples[:, 0] == theta)
        assert f.values == {"exact": exact(theta)}
    assert [f.values["exact"] for f in frames] == list(run.history[column])


def test_scrubber_draws_the_frame_and_returns_its_numbers(ring_film):
    ring, _, frames = ring_film
    scrubber = Scrubber(frames, ring, "nsgan", n_arrows=30)
    shown = scrubber.draw(2)
    assert scrubber.index == 2 and shown == {"step": 20, "estimate": frames[2].estimate, **frames[2].values}
    (quiver,) = [c for c in scrubber.ax.collections if hasattr(c, "U")]
    picks = scrubber.picks
    assert len(picks) == 30
    np.testing.assert_array_equal(quiver.get_offsets(), frames[2].samples[picks])
    np.testing.assert_allclose(quiver.U, scrubber.scale * frames[2].arrows[picks, 0], rtol=1e-12)
    np.testing.assert_allclose(quiver.V, scrubber.scale * frames[2].arrows[picks, 1], rtol=1e-12)
    lengths = np.concatenate([np.linalg.norm(f.arrows, axis=1) for f in frames])
    assert math.isclose(scrubber.scale * np.percentile(lengths, 95), 0.5)
    text = scrubber.ax.texts[-1].get_text()
    assert f"modes captured: {shown['modes']} of 8" in text and f"empirical W1: {shown['w1']:.4g}" in text
    scrubber.draw(0)
    assert "step 0\ncritic's estimate of JS: —" in scrubber.ax.texts[-1].get_text()
    with pytest.raises(IndexError, match="3 frames"):
        scrubber.draw(3)


# -- the widgets -----------------------------------------------------------------------------------
def test_the_widgets_call_draw(lines, ring_film, capsys):
    pytest.importorskip("ipywidgets")
    box = theta_slider(lines)
    slider = box.children[0]
    assert (slider.min, slider.max) == (-1.0, 1.0) and slider.value == lines.theta
    slider.value = -0.75
    assert lines.theta == -0.75 and list(lines.markers["w1"].get_data()[1]) == [0.75]
    ring, _, frames = ring_film
    scrubber = Scrubber(frames, ring, "nsgan")
    box = training_scrubber(scrubber)
    slider = box.children[0]
    assert (slider.min, slider.max, slider.value) == (0, 2, 0)
    slider.value = 1
    assert scrubber.index == 1 and f"step {frames[1].step}" in scrubber.ax.texts[-1].get_text()


def test_the_widgets_say_which_extra_to_install_without_ipywidgets(lines, ring_film, monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # import ipywidgets now raises ImportError
    ring, _, frames = ring_film
    with pytest.raises(ImportError, match=r"'lab' extra.*\.\[lab\]"):
        theta_slider(lines)
    with pytest.raises(ImportError, match=r"'lab' extra.*make lab"):
        training_scrubber(Scrubber(frames, ring, "nsgan"))


def test_scrub_camera_is_a_camera_of_the_trainer():
    camera = ScrubCamera(20)
    options = {"generator": TINY, "discriminator": TINY, "batch_size": 32, "eval_every": 2, "eval_samples": 20}
    gan1d.train(toys.ring(), "wgan", 4, 0, callbacks=[camera], **options)
    assert [f.step for f in camera.frames] == [0, 2, 4]
    assert camera.target_samples.shape == (20, 2) and all(f.arrows.shape == (20, 2) for f in camera.frames)
