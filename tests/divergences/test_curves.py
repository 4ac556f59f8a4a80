"""Divergence-vs-theta curves: equal to the scalar functions, oriented, vectorised; and their plot."""

import math

import matplotlib
import numpy as np
import pytest

import divergences as D
from toys import Exponential, Gaussian, GaussianMixture, ShiftedLine, Uniform

matplotlib.use("Agg")


FAMILIES = {
    "gaussian scale": (lambda t: Gaussian(0.0, math.exp(t)), Gaussian(0.5, 1.0), np.linspace(-1, 1, 7)),
    "mixture shift": (
        lambda t: GaussianMixture(weights=[0.5, 0.5], means=[-2 + t, 2 + t], stds=[0.7, 0.7]),
        GaussianMixture(weights=[0.3, 0.7], means=[-2, 2], stds=[0.7, 0.5]),
        np.linspace(-3, 3, 9),
    ),
    "exponential rate": (lambda t: Exponential(math.exp(t)), Gaussian(1.0, 1.0), np.linspace(-1, 1, 5)),
    "uniform shift": (lambda t: Uniform(t, t + 1), Uniform(0, 2), np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0])),
    "lines": (ShiftedLine, ShiftedLine(0.0), np.array([-1.0, 0.0, 0.25])),
    "2-D correlation": (
        lambda r: Gaussian(mean=[0, 0], cov=[[1, r], [r, 1]]),
        Gaussian(mean=[0, 0], cov=np.eye(2)),
        np.array([-0.5, 0.0, 0.8]),
    ),
}


@pytest.mark.parametrize("case", FAMILIES)
def test_curves_equal_the_scalar_functions_in_the_stated_orientation(case):
    family, ref, thetas = FAMILIES[case]
    names = ("tv", "kl", "reverse_kl", "js") if case == "2-D correlation" else D.curves.__defaults__[0]
    out = D.curves(family, thetas, ref, names=names)
    scalar = {"tv": D.tv, "kl": D.kl, "reverse_kl": D.reverse_kl, "js": D.js, "w1": D.w1}
    for name in names:
        expected = [scalar[name](ref, family(t)) for t in thetas]  # the reference plays p
        np.testing.assert_allclose(out[name], expected, rtol=0, atol=1e-12)


def test_curves_kl_is_kl_of_reference_to_model():
    # KL(N(0,1) || N(0, s^2)) = ln s + 1/(2 s^2) - 1/2 differs from the reverse direction
    s = np.array([0.5, 2.0])
    out = D.curves(lambda t: Gaussian(0.0, t), s, Gaussian(0.0, 1.0), names=["kl", "reverse_kl"])
    np.testing.assert_allclose(out["kl"], np.log(s) + 1 / (2 * s**2) - 0.5, rtol=1e-14)
    np.testing.assert_allclose(out["reverse_kl"], -np.log(s) + s**2 / 2 - 0.5, rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"family": 3}, TypeError, "family"),
        ({"thetas": [0.0, math.nan]}, ValueError, "thetas"),
        ({"thetas": [[0.0, 1.0]]}, ValueError, "thetas"),
        ({"names": ["bhattacharyya"]}, ValueError, "names"),
        ({"family": lambda t: ShiftedLine(t)}, ValueError, "dim"),
        ({"family": lambda t: "model"}, TypeError, "family"),
    ],
)
def test_curves_bad_input(kwargs, error, match):
    args = {"family": lambda t: Gaussian(t, 1.0), "thetas": [0.0, 1.0], "reference": Gaussian(), **kwargs}
    with pytest.raises(error, match=match):
        D.curves(**args)


def test_plot_marks_infinite_values_and_uses_the_given_axes():
    import matplotlib.pyplot as plt

    thetas = np.linspace(-1, 1, 21)
    values = D.curves(ShiftedLine, thetas, ShiftedLine(0.0))
    fig, ax = plt.subplots()
    assert D.plot(thetas, values, ax=ax, title="lines") is ax
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 5 and sum("infty" in label for label in labels) == 2
    top = ax.get_ylim()[1]
    dotted = [line for line in ax.get_lines() if line.get_linestyle() == ":"]
    assert len(dotted) == 2 and all(np.nanmin(line.get_ydata()) > 1.0 for line in dotted)
    assert top > 1.0
    plt.close(fig)


def test_2d_reverse_kl_in_curves_is_kl_of_the_model_to_the_reference_by_a_product_rule():
    reference = Gaussian(mean=[0.0, 0.0], cov=[[1.0, 0.3], [0.3, 1.0]])

    def family(t):
        return GaussianMixture(weights=[0.6, 0.4], means=[[t, 0.0], [-1.0, 0.5]], covs=[np.eye(2), 0.5 * np.eye(2)])

    out = D.curves(family, [0.5], reference, names=["kl", "reverse_kl"])
    q = family(0.5)
    # an independent oracle: Gauss-Legendre on 8 x 8 panels of [-10, 10]^2, 64 nodes a side each
    z, w = np.polynomial.legendre.leggauss(64)
    edges = np.linspace(-10.0, 10.0, 9)
    x = np.concatenate([0.5 * (a + b) + 0.5 * (b - a) * z for a, b in zip(edges[:-1], edges[1:])])
    wx = np.concatenate([0.5 * (b - a) * w for a, b in zip(edges[:-1], edges[1:])])
    pts = np.stack(np.meshgrid(x, x, indexing="ij"), axis=-1)
    weights = np.outer(wx, wx)

    def kl(a, b):  # integral of a log(a / b)
        la, lb = a.logpdf(pts), b.logpdf(pts)
        return float(np.sum(weights * np.exp(la) * (la - lb)))

    reverse, forward = kl(q, reference), kl(reference, q)
    assert out["reverse_kl"][0] == pytest.approx(reverse, abs=1e-6)  # KL(Q || P): the model first
    assert out["kl"][0] == pytest.approx(forward, abs=1e-6)
    assert abs(reverse - forward) > 1e-2  # the two orientations differ, so the test tells them apart
