"""The mode-collapse table: the same numbers in worker processes as in this one, for the same seeds, and
read back from a store of cells."""

import concurrent.futures
import os

import numpy as np
import pytest
import torch

from gan1d.lecture import mode_collapse as mc
from gan1d.protocols import SerialExecutor, local_executor

SMALL = {"names": ("ring", "three"), "losses": ("nsgan", "wgan-gp"), "seeds": [3, 4], "n_samples": 200, "steps": 12}


@pytest.fixture(scope="module")
def serial():
    return mc.mode_collapse_table(**SMALL)


def test_cells_in_two_worker_processes_equal_the_serial_run(serial):
    # The lecture's own pool, as `python -m gan1d lecture` makes it (gan1d.protocols.local_executor; the quick
    # lecture of test_lecture.py trains its cells here, in its own process): two spawned processes of
    # one torch thread each. (With torch's default of a thread per core, the two workers and the other
    # test worker put six busy threads on two cores: this test took 27 s instead of 8.)
    with local_executor(2) as pool:
        parallel = mc.mode_collapse_table(executor=pool, **SMALL)
        assert pool.submit(os.getpid).result() != os.getpid()
        assert pool.submit(torch.get_num_threads).result() == 1
    assert [(c.target, c.loss) for c in parallel] == [(c.target, c.loss) for c in serial]
    for a, b in zip(serial, parallel, strict=True):
        assert a.seeds == b.seeds == SMALL["seeds"] and a.steps == b.steps == SMALL["steps"]
        np.testing.assert_array_equal(a.modes, b.modes)
        np.testing.assert_array_equal(a.high_quality, b.high_quality)
        np.testing.assert_array_equal(a.w1, b.w1)
        for xa, xb in zip(a.samples, b.samples, strict=True):
            np.testing.assert_array_equal(xa, xb)  # the generators themselves are the same


def test_the_serial_executor_gives_the_serial_table_in_the_table_order(serial):
    futures = mc.submit_cells(mc.SerialExecutor(), SMALL["losses"], SMALL["names"], SMALL["seeds"], SMALL["n_samples"],
                              steps=SMALL["steps"])  # fmt: skip
    cells = mc.collect(futures)
    assert [(c.target, c.loss) for c in cells] == [(n, loss) for n in SMALL["names"] for loss in SMALL["losses"]]
    for a, b in zip(serial, cells, strict=True):
        np.testing.assert_array_equal(a.w1, b.w1)


def test_the_lectures_pool_has_a_process_per_core_by_default_and_none_for_0():
    with local_executor(0) as pool:
        assert isinstance(pool, SerialExecutor)  # the lecture then trains the cells in part 9, in its own process
    with local_executor(None) as pool:  # nothing submitted: no process is started
        assert pool._max_workers == len(os.sched_getaffinity(0))


def test_a_failing_cell_is_reported_when_collected():
    futures = mc.submit_cells(mc.SerialExecutor(), ("gan",), ("ring",), [0], 100, steps=0)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        mc.collect(futures)


class NothingTrained(concurrent.futures.Executor):
    """An executor that fails if anything is submitted: every cell must be read back."""

    def submit(self, fn, /, *args, **kwargs):
        raise AssertionError(f"nothing should be trained here, got a call of {fn.__name__}")


def test_a_store_saves_each_cell_and_a_rerun_reads_them_back_untrained(serial, tmp_path):
    stored = mc.mode_collapse_table(store=tmp_path, **SMALL)
    names = sorted(f"{n}-{loss}.npz" for n in SMALL["names"] for loss in SMALL["losses"])
    assert sorted(p.name for p in tmp_path.glob("*.npz")) == names
    lines = []
    again = mc.mode_collapse_table(store=tmp_path, executor=NothingTrained(), log=lines.append, **SMALL)
    assert len(lines) == len(names) and all(line.endswith(", read back") for line in lines), lines
    for a, b, c in zip(serial, stored, again, strict=True):
        assert (a.target, a.loss, a.n_modes, a.seeds, a.steps) == (c.target, c.loss, c.n_modes, c.seeds, c.steps)
        assert (b.target, b.loss, b.seeds, b.steps) == (c.target, c.loss, c.seeds, c.steps) and b.seconds == c.seconds
        for name in ("modes", "high_quality", "w1"):
            np.testing.assert_array_equal(getattr(a, name), getattr(c, name))  # the serial table's, to the bit
        for xa, xc in zip(a.samples, c.samples, strict=True):
            np.testing.assert_array_equal(xa, xc)
    # other arguments: the saved cells are not theirs, so they are trained again
    with pytest.raises(AssertionError, match="nothing should be trained"):
        mc.mode_collapse_table(store=tmp_path, executor=NothingTrained(), **{**SMALL, "steps": 13})
