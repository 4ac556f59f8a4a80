"""gan1d.protocols: the presets against their sources, the cells against a direct computation, resuming."""

import math

import numpy as np
import pytest

import gan1d
from gan1d import TrainConfig
from gan1d.__main__ import main
from gan1d.protocols import (
    DEMONSTRATION,
    PACGAN,
    PROTOCOLS,
    VEEGAN,
    Reproduction,
    SerialExecutor,
    Task,
    checkpoints_for,
    comparison,
    load_cell,
    load_reproduction,
    protocol_cell,
    reproduce,
    run_tasks,
    submit_tasks,
)
from gan1d.training.coverage import mode_coverage, mode_histogram, reverse_kl_to_uniform
from gan1d.training.networks import evaluation


# -- the presets -------------------------------------------------------------------------------------
def test_targets_are_the_papers():
    ring, grid = PACGAN.target("ring").build(), PACGAN.target("grid").build()
    np.testing.assert_allclose(np.linalg.norm(ring.means, axis=1), 1.0)  # 8 modes on the unit circle
    assert ring.n_components == 8 and np.allclose(ring.means[0], [1.0, 0.0])
    assert sorted({tuple(m) for m in np.round(grid.means, 12)}) == [
        (x, y) for x in range(-4, 5, 2) for y in range(-4, 5, 2)
    ]
    np.testing.assert_allclose(np.sqrt(ring.covs[:, 0, 0]), 0.01)
    np.testing.assert_allclose(np.sqrt(grid.covs[:, 0, 0]), 0.05)
    assert VEEGAN.targets == PACGAN.targets


@pytest.mark.parametrize("protocol", list(PROTOCOLS.values()), ids=list(PROTOCOLS))
def test_every_row_is_a_valid_training_config(protocol):
    for method in protocol.methods:
        config = TrainConfig.from_options(steps=1, **protocol.options(method.name))
        assert config.batch_size == protocol.training["batch_size"]
        for target, published in method.published.items():
            protocol.target(target)
            n = protocol.target(target).n_modes
            assert 0 <= published.modes <= n and 0 <= published.high_quality <= 1
    assert protocol.trials >= 1 and protocol.steps >= 1


def test_pacgan_rows_pack_and_unrolled_unrolls():
    assert [PACGAN.options(m.name)["pack"] for m in PACGAN.methods] == [1, 2, 3, 4]
    assert VEEGAN.options("Unrolled GAN")["unroll"] == 5 and "unroll" not in VEEGAN.options("GAN")
    assert PACGAN.steps == 400_000 and PACGAN.trials == 10 and PACGAN.error == "standard error"
    assert VEEGAN.steps == 100_000 and VEEGAN.trials == 5 and VEEGAN.error is None
    with pytest.raises(ValueError, match="no row 'PacGAN9'"):
        PACGAN.method("PacGAN9")
    with pytest.raises(ValueError, match="no target 'spiral'"):
        PACGAN.target("spiral")


# -- the metric ---------------------------------------------------------------------------------------
def test_reverse_kl_of_the_mode_histogram():
    assert reverse_kl_to_uniform([5, 5, 5, 5]) == 0.0
    assert reverse_kl_to_uniform([0, 7, 0, 0]) == pytest.approx(math.log(4))
    p = np.array([1, 1, 2, 0]) / 4
    expected = sum(pk * math.log(4 * pk) for pk in p if pk > 0)
    assert reverse_kl_to_uniform([1, 1, 2, 0]) == pytest.approx(expected)
    assert math.isnan(reverse_kl_to_uniform([0, 0, 0]))


def test_mode_histogram_agrees_with_mode_coverage():
    ring = PACGAN.target("ring").build()
    x = ring.sample(500, np.random.default_rng(1)) * 1.01  # some samples pushed out of the 3 sigma discs
    counts = mode_histogram(x, ring)
    modes, hq = mode_coverage(x, ring)
    assert np.count_nonzero(counts) == modes and counts.sum() / 500 == pytest.approx(hq)
    assert 0 < hq < 1


# -- the cells ----------------------------------------------------------------------------------------
def test_checkpoints_double_up_to_the_length():
    assert checkpoints_for(3000) == [94, 188, 375, 750, 1500, 3000]
    assert checkpoints_for(4, 6) == [1, 2, 4]


def test_a_cell_is_the_direct_computation():
    """The cell's scores at its last checkpoint are those of the same runs trained directly and scored
    on the protocol's fixed latent noise."""
    cell = protocol_cell("demonstration", "GAN", "ring", steps=6, checkpoints=[3, 6], seeds=[0, 1])
    assert cell["modes"].shape == (2, 2) and list(cell["steps"]) == [3, 6]
    runs = gan1d.train_many(DEMONSTRATION.target("ring").build(), [0, 1], steps=6, eval_every=3, eval_samples=50,
                            progress=False, **DEMONSTRATION.options("GAN"))  # fmt: skip
    import torch

    ring = DEMONSTRATION.target("ring").build()
    for k, run in enumerate(runs):
        g = torch.Generator().manual_seed(DEMONSTRATION.eval_seed)
        with torch.no_grad(), evaluation(run.generator):
            x = run.generator(run.generator.sample_latent([g], 2500))[0].double().numpy()
        modes, hq = mode_coverage(x, ring)
        assert cell["modes"][-1, k] == modes
        assert cell["high_quality"][-1, k] == pytest.approx(hq, abs=1e-12)
    assert cell["seconds_per_step"] > 0


def _square(x, calls):
    calls.append(x)
    return {"x": x, "y": np.array([x, x * x])}


CALLS = []


def _square_counted(x):
    return _square(x, CALLS)


def test_run_tasks_saves_each_cell_and_a_rerun_reads_them(tmp_path):
    tasks = [Task(f"sq{x}", _square_counted, {"x": x}) for x in range(3)]
    CALLS.clear()
    first = run_tasks(tasks, SerialExecutor(), tmp_path)
    assert CALLS == [0, 1, 2] and [r["y"][1] for r in first] == [0, 1, 4]
    assert load_cell(tmp_path / "sq2.npz")["x"] == 2
    (tmp_path / "sq1.npz").unlink()  # as if that cell had not finished
    reused = []
    again = run_tasks(tasks, SerialExecutor(), tmp_path, log=lambda t, r, was: reused.append((t.key, was)))
    assert CALLS == [0, 1, 2, 1]  # only the missing cell ran again
    assert sorted(reused) == [("sq0", True), ("sq1", False), ("sq2", True)]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a["y"], b["y"])
    changed = [Task("sq0", _square_counted, {"x": 5})]  # the same key for other arguments: run, not reused
    assert run_tasks(changed, SerialExecutor(), tmp_path)[0]["x"] == 5


def test_submit_tasks_gives_saved_cells_as_finished_futures_and_submits_the_others(tmp_path):
    tasks = [Task(f"sq{x}", _square_counted, {"x": x}) for x in range(3)]
    CALLS.clear()
    run_tasks(tasks[:2], SerialExecutor(), tmp_path)
    futures = submit_tasks(tasks, SerialExecutor(), tmp_path)
    assert CALLS == [0, 1, 2]  # only the cell not saved ran again
    assert [getattr(f, "read_back", False) for f in futures] == [True, True, False]
    assert all(f.done() for f in futures) and [f.result()["x"] for f in futures] == [0, 1, 2]
    assert load_cell(tmp_path / "sq2.npz")["x"] == 2  # saved as it was computed
    with pytest.raises(TypeError, match=r"executor must be a concurrent\.futures\.Executor, got None"):
        submit_tasks(tasks, None)
    with pytest.raises(ValueError, match="distinct"):
        submit_tasks(tasks[:1] * 2, SerialExecutor())


def test_tasks_are_checked():
    with pytest.raises(ValueError, match="key"):
        Task("a/b", _square_counted)
    with pytest.raises(TypeError, match="callable"):
        Task("a", 3)
    with pytest.raises(ValueError, match="distinct"):
        run_tasks([Task("a", _square_counted, {"x": 1})] * 2, SerialExecutor())


def test_comparison_says_where_the_reproduction_agrees():
    cells = {
        ("GAN", "ring"): {  # 6.3 ± 0.5 published: ours 6.0 ± 0.2 agrees, the high-quality fraction does not
            "steps": np.array([10]), "modes": np.array([[5.8, 6.2, 6.0, 6.0]]),
            "high_quality": np.array([[0.5, 0.5, 0.5, 0.5]]), "reverse_kl": np.array([[0.4, 0.5, 0.45, 0.45]]),
            "seconds": 1.0, "seconds_per_step": 0.1,
        },
    }  # fmt: skip
    rows = {r["metric"]: r for r in comparison(Reproduction("pacgan", 10, cells))}
    assert rows["modes"]["agree"] is True and rows["modes"]["published"] == 6.3
    assert rows["high_quality"]["agree"] is False
    assert rows["reverse_kl"]["agree"] is True
    se = np.std([5.8, 6.2, 6.0, 6.0], ddof=1) / 2
    assert rows["modes"]["se"] == pytest.approx(se)


def test_reproduce_writes_its_report_and_resumes(tmp_path, capsys):
    args = ["reproduce", "demonstration", "--out", str(tmp_path), "--steps", "4", "--trials", "2", "--checkpoints",
            "2", "--workers", "0", "--rows", "GAN", "--targets", "ring"]  # fmt: skip
    main(args)
    table = (tmp_path / "table.md").read_text()
    assert "| GAN | ring | modes |" in table and (tmp_path / "trend.png").stat().st_size > 10_000
    assert len(list((tmp_path / "cells").glob("*.npz"))) == 1
    main(args)  # the second time, read back
    assert "read back" in capsys.readouterr().out
    rep = reproduce("demonstration", steps=4, methods=["GAN"], targets=["ring"], trials=2, checkpoints=2,
                    executor=SerialExecutor())  # fmt: skip
    saved = load_cell(next((tmp_path / "cells").glob("*.npz")))
    np.testing.assert_array_equal(rep.cells[("GAN", "ring")]["modes"], saved["modes"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["reproduce", "nope"], "invalid choice"),
        (["reproduce", "pacgan", "--steps", "0"], "--steps must be >= 1"),
        (["reproduce", "pacgan", "--workers", "-1"], "--workers must be >= 0"),
    ],
)
def test_reproduce_refuses_bad_arguments(args, message, capsys):
    with pytest.raises(SystemExit):
        main(args)
    assert message in capsys.readouterr().err


def test_reproduce_refuses_unknown_rows():
    with pytest.raises(ValueError, match="no row"):
        reproduce("pacgan", steps=2, methods=["PacGAN7"], executor=SerialExecutor())


def test_a_saved_reproduction_loads_and_compares(tmp_path, capsys):
    rep = reproduce("demonstration", out=tmp_path, steps=4, methods=["GAN"], trials=2, checkpoints=2,
                    executor=SerialExecutor())  # fmt: skip
    again = load_reproduction(tmp_path, "demonstration")
    assert again.steps == 4 and set(again.cells) == set(rep.cells)
    for key, cell in rep.cells.items():
        np.testing.assert_array_equal(again.cells[key]["modes"], cell["modes"])
    main(["compare", f"demonstration={tmp_path}"])
    table = capsys.readouterr().out
    assert "| demonstration | GAN | ring | 3 x 32 / 3 x 32 | 4 |" in table
    with pytest.raises(ValueError, match="no saved pacgan cells"):
        load_reproduction(tmp_path, "pacgan")
    with pytest.raises(SystemExit):
        main(["compare", "demonstration"])
    assert "PROTOCOL=FOLDER" in capsys.readouterr().err


def test_a_difference_without_any_spread_is_not_judged():
    cells = {("Unrolled GAN", "ring"): {
        "steps": np.array([10]), "modes": np.array([[8.0] * 5]), "high_quality": np.array([[0.3, 0.4, 0.35, 0.3, 0.4]]),
        "reverse_kl": np.array([[0.1] * 5]), "seconds": 1.0, "seconds_per_step": 0.1,
    }}  # fmt: skip
    rows = {r["metric"]: r for r in comparison(Reproduction("veegan", 10, cells))}
    assert rows["modes"]["agree"] is None  # 8.0 against 7.6: every trial at 8 and the paper gives no error
    assert rows["high_quality"]["agree"] is True and rows["reverse_kl"]["agree"] is None
