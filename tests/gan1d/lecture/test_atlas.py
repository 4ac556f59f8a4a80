"""The atlas part of the lecture: Figure 1 extended holds the library's curves, and the jumps are the f-divergences'."""

import math

import numpy as np

import divergences as D
from gan1d.lecture import atlas as part
from toys import ShiftedLine, SmoothedLine

THETAS = np.linspace(-1.0, 1.0, 21)


def test_figure_one_holds_the_curves_of_the_library():
    results = part.figure_one(THETAS, sigmas=(None, 0.2))
    assert set(results) == {None, 0.2}
    for sigma, family in ((None, ShiftedLine), (0.2, lambda t: SmoothedLine(t, 0.2))):
        values = results[sigma]
        assert not values["refused"], values["refused"]
        expected = D.curves(
            family, THETAS, family(0.0), D.evaluate.ALL_NAMES, alpha=part.ALPHA, bandwidth=part.BANDWIDTH
        )
        for name in D.evaluate.ALL_NAMES:
            np.testing.assert_array_equal(values[name], expected[name])
    # the smoothed lines: KL = theta^2 / (2 sigma^2), W1 = |theta| (the x-marginals are N(theta, sigma^2))
    np.testing.assert_allclose(results[0.2]["kl"], THETAS**2 / (2 * 0.2**2), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(results[0.2]["w1"], np.abs(THETAS), rtol=1e-12, atol=1e-15)


def test_the_f_divergences_jump_and_the_metrics_do_not():
    rows = {name: (zero, tiny, half, jump) for name, zero, tiny, half, jump in part.jumps()}
    for name in ("tv", "hellinger", "js", "kl", "reverse_kl", "chi2", "renyi"):
        zero, tiny, half, jump = rows[name]
        assert zero == 0.0 and jump and tiny == half, name  # the value for disjoint supports, at every theta != 0
    for name in ("w1", "w2", "energy", "mmd"):
        zero, tiny, half, jump = rows[name]
        assert zero == 0.0 and not jump and 0.0 < tiny < 1e-5 * half, name
    assert rows["tv"][2] == 1.0 and rows["js"][2] == math.log(2) and rows["kl"][2] == math.inf
    assert rows["w1"][2] == 0.5 and math.isclose(rows["w2"][2], 0.5, rel_tol=1e-15)


def test_plot_has_a_row_per_noise_width():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = part.figure_one(THETAS[:5], sigmas=(None, 0.2), names=["tv", "kl", "w1"])
    fig = part.plot_figure_one(THETAS[:5], results)
    assert len(fig.axes) == 2 * len(part.PANELS)
    assert fig.axes[len(part.PANELS) + 1].get_yscale() == "log"  # unbounded ones, smoothed lines
    plt.close(fig)
