"""Part 1 of the lecture, the analytic core: the figures are written and the report's numbers are the library's."""

import math

import pytest

import divergences as D
from gan1d.lecture import analytic as demo


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    demo.run(out)
    return out


def test_figures_are_written(report):
    for name in (
        "parallel_lines.png",
        "gaussian_location.png",
        "mixture_shift.png",
        "fits.png",
        "figure_one_extended.png",
    ):
        data = (report / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_report_table_holds_the_library_values(report):
    text = (report / "report.md").read_text()
    named = text.split("## Named pairs")[1].split("\n## ")[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in named.splitlines() if line.startswith("| ")}
    fns = (D.tv, D.kl, D.reverse_kl, D.js, D.w1)
    assert len(demo.PAIRS) >= 8
    for label, p, q in demo.PAIRS:
        cells = rows[label].strip("| ").split(" | ")[1:6]
        for cell, fn in zip(cells, fns):
            value = fn(p, q)
            assert (cell == "inf") if math.isinf(value) else float(cell) == pytest.approx(value, abs=5e-7)


def test_report_links_every_figure_and_shows_the_parallel_lines_values(report):
    text = (report / "report.md").read_text()
    for name in ("parallel_lines.png", "gaussian_location.png", "mixture_shift.png"):
        assert f"]({name})" in text
    # P_0 vs P_0.5: TV 1, both KLs infinite, JS ln 2, W1 0.5
    assert "| P_0 vs P_0.5 (parallel lines) | 1.000000 | inf | inf | 0.693147 | 0.500000 |" in text


def test_report_shows_the_known_fits(report):
    text = (report / "report.md").read_text()
    # reverse KL with a diagonal model recovers 1 - rho^2 (Bishop, PRML 10.1.2); KL = -ln(1 - rho^2)/2
    assert "| 2-D Gaussian, rho = 0.8 | reverse, diagonal | variances [0.36, 0.36]" in text
    assert f"{-0.5 * math.log(1 - 0.8**2):.6f} (KL(q‖p))" in text


def test_report_holds_the_atlas_of_the_named_pairs(report):
    text = (report / "report.md").read_text()
    section = text.split("## The atlas: every divergence on the named pairs")[1].split("\n## ")[0]
    expected = D.atlas(alpha=2.0, bandwidth=1.0).table()
    assert expected in section
    assert "![figure_one_extended.png](figure_one_extended.png)" in text
