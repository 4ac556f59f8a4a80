"""Sweeps on Dask distributed: two worker processes give exactly the serial numbers (protocol cells, the
mode-collapse table, critic sweeps over settings), and a worker killed mid-sweep loses no finished cell
(a rerun reads them back and runs only the others).

The tests share a ``LocalCluster`` of two single-threaded worker processes on the loopback
interface (a few seconds to start). The cells are real but tiny (20 generator steps), or, for the
killed worker, cheap numpy cells from :mod:`.cells_for_tests`, one of them held running until the
test has killed its worker.
"""

import os
import signal
import threading

import dask
import numpy as np
import pytest
from distributed import Client, KilledWorker, LocalCluster

import gan1d
import toys
from gan1d.lecture import mode_collapse as mc
from gan1d.protocols import SerialExecutor, Task, load_cell, reproduce, run_tasks

from . import cells_for_tests as cells

PROTOCOL = {"steps": 20, "trials": 2, "targets": ["grid"]}  # both rows of "demonstration", 4 s serially
TABLE = {"names": ("ring", "three"), "losses": ("nsgan", "wgan-gp"), "seeds": [3, 4], "n_samples": 200, "steps": 12}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A client of a two-worker ``LocalCluster``: worker processes (each under a nanny that restarts it if
    it dies), one thread each. A cell whose worker dies is run again once (Dask's default is 3 times),
    then fails the sweep: the killed-worker test sees both. The scheduler's HTTP server (health
    checks; there is no dashboard) takes a free port, not 8787, which another cluster may hold."""
    scheduler = {"allowed_failures": 1, "dashboard_address": "127.0.0.1:0"}
    scratch = tmp_path_factory.mktemp("dask")
    with (
        dask.config.set({"temporary-directory": str(scratch)}),  # the scheduler's scratch folder too
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            local_directory=scratch,
            scheduler_kwargs=scheduler,
        ) as cluster,
        Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def serial():
    """The protocol's cells run here, one after the other: the oracle."""
    return reproduce("demonstration", executor=SerialExecutor(), **PROTOCOL)


def test_protocol_cells_on_two_dask_workers_equal_the_serial_run_and_are_saved_there(client, serial, tmp_path):
    on_dask = reproduce("demonstration", out=tmp_path, executor=client.get_executor(), **PROTOCOL)
    assert on_dask.cells.keys() == serial.cells.keys() and len(serial.cells) == 2
    for key, ours in serial.cells.items():
        for metric in ("steps", "modes", "high_quality", "reverse_kl"):
            np.testing.assert_array_equal(on_dask.cells[key][metric], ours[metric], err_msg=f"{key} {metric}")
    # the fingerprint is not a constant: the trials' high-quality fractions differ (to 1 in 2,500)
    assert len({float(r["high_quality"][-1, k]) for r in serial.cells.values() for k in range(2)}) > 1
    # the workers saved the cells into the client's folder; a rerun reads them back, here
    lines = []
    again = reproduce("demonstration", out=tmp_path, executor=SerialExecutor(), log=lines.append, **PROTOCOL)
    assert len(lines) == 2 and all(line.endswith("read back") for line in lines), lines
    for key, ours in serial.cells.items():
        np.testing.assert_array_equal(again.cells[key]["high_quality"], ours["high_quality"])


def test_the_command_line_runs_on_a_scheduler_s_address(client, serial, tmp_path, capsys):
    from gan1d.__main__ import main

    argv = ["reproduce", "demonstration", "--out", str(tmp_path), "--steps", "20", "--trials", "2", "--rows", "GAN",
            "--targets", "grid", "--scheduler", client.scheduler.address]  # fmt: skip
    main(argv)
    assert "(1 cells)" in capsys.readouterr().out
    (saved,) = (load_cell(path) for path in (tmp_path / "cells").glob("*.npz"))
    np.testing.assert_array_equal(saved["high_quality"], serial.cells["GAN", "grid"]["high_quality"])
    main(argv)  # again: the cell is read back, not run
    assert "read back" in capsys.readouterr().out


def test_the_mode_collapse_table_on_dask_equals_the_serial_run(client):
    here = mc.mode_collapse_table(**TABLE)
    lines = []
    on_dask = mc.mode_collapse_table(executor=client.get_executor(), log=lines.append, **TABLE)
    assert len(lines) == 4  # collect() logged each cell as its Dask future finished
    assert [(c.target, c.loss) for c in on_dask] == [(c.target, c.loss) for c in here]
    for a, b in zip(here, on_dask, strict=True):
        np.testing.assert_array_equal(a.modes, b.modes)
        np.testing.assert_array_equal(a.high_quality, b.high_quality)
        np.testing.assert_array_equal(a.w1, b.w1)
        for xa, xb in zip(a.samples, b.samples, strict=True):
            np.testing.assert_array_equal(xa, xb)  # the same generators


def test_critic_sweeps_over_settings_on_dask_equal_the_serial_run(client):
    settings = {"wgan-gp, lambda 1": {"loss": "wgan-gp", "gp_weight": 1.0}, "gan": {"loss": "gan", "seed": 2}}
    common = {"steps": 20, "checkpoints": (10, 20), "n_eval": 256, "seed": 1, "discriminator": gan1d.MLP(width=16)}
    args = (settings, toys.ShiftedLine, toys.ShiftedLine(0.0), [-1.0, 0.5, 1.0])  # a class as family: it pickles
    here = gan1d.critic_sweeps(*args, **common)
    on_dask = gan1d.critic_sweeps(*args, executor=client.get_executor(), **common)
    assert list(on_dask) == list(here) == list(settings)
    for name, ours in here.items():
        for key in ("steps", "estimate", "grad", "estimate_grad", "exact", "exact_grad"):
            np.testing.assert_array_equal(getattr(on_dask[name], key), getattr(ours, key), err_msg=f"{name} {key}")


def test_a_relative_store_is_the_client_s_folder_not_the_workers(client, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the workers stay in the folder they started in
    run_tasks([Task("one", cells.draws, {"seed": 1})], client.get_executor(), store="cells")
    assert load_cell(tmp_path / "cells" / "one.npz")["total"] == cells.draws(1)["total"]


def _kill_the_worker_that_runs(signals, client, other_than=()):
    """Wait for the gated cell to start in a process not in ``other_than``; SIGKILL that worker: its pid."""
    cells.wait_for(lambda: cells.started(signals) - set(other_than), "the gated cell to start")
    (pid,) = cells.started(signals) - set(other_than)
    assert pid in client.run(os.getpid).values() and pid != os.getpid(), "not a worker of this cluster"
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_worker_killed_mid_sweep_loses_no_finished_cell_and_a_rerun_runs_only_the_rest(client, tmp_path):
    signals, store = tmp_path / "signals", tmp_path / "cells"
    signals.mkdir()
    quick = [Task(f"draws-{s}", cells.draws, {"seed": s}) for s in range(4)]
    # submitted last, the gated cell never holds up a quick one: each worker runs its cells in order
    tasks = [*quick, Task("gated-9", cells.gated, {"seed": 9}, {"signals": str(signals)})]
    killed = []

    def kill_twice():
        try:
            cells.wait_for(lambda: all((store / f"{t.key}.npz").is_file() for t in quick), "the quick cells on disk")
            killed.append(_kill_the_worker_that_runs(signals, client))
            killed.append(_kill_the_worker_that_runs(signals, client, other_than=killed))  # Dask ran it again
        except BaseException:
            cells.open_gate(signals)  # let the sweep end, and the test fail on the error
            raise

    errors = []
    killer = threading.Thread(target=lambda: _catching(kill_twice, errors), daemon=True)
    killer.start()
    try:
        run_tasks(tasks, client.get_executor(), store)
    except KilledWorker:
        outcome = "KilledWorker"
    else:
        outcome = "finished"
    killer.join(timeout=30)
    assert not errors, errors
    assert outcome == "KilledWorker"
    assert len(killed) == 2 and cells.started(signals) == set(killed)  # run twice, killed twice
    # the finished cells are on disk; the killed one is not
    assert load_cell(store / "gated-9.npz") is None
    for t in quick:
        np.testing.assert_array_equal(load_cell(store / f"{t.key}.npz", t.signature)["x"], cells.draws(**t.kwargs)["x"])
    # a rerun (here, serially) reads them back and runs only the killed cell
    cells.open_gate(signals)
    calls = []
    resumed = run_tasks(
        tasks, SerialExecutor(), store, log=lambda task, result, reused: calls.append((task.key, reused))
    )
    assert sorted(k for k, reused in calls if reused) == sorted(t.key for t in quick)
    assert [k for k, reused in calls if not reused] == ["gated-9"]
    reference = run_tasks(tasks, SerialExecutor())
    for ours, theirs in zip(resumed, reference, strict=True):
        np.testing.assert_array_equal(ours["x"], theirs["x"])
        assert ours["total"] == theirs["total"]


def _catching(fn, errors):
    try:
        fn()
    except BaseException as exc:
        errors.append(exc)
