"""Cells for the tests of sweeps on Dask, in a module that the workers import (they inherit ``sys.path``).

:func:`draws` is a cheap pure cell. :func:`gated` gives the same result, but only once a gate is
open: it lets a test hold a cell running, find the worker process that runs it and kill it.
"""

import os
import time
from pathlib import Path

import numpy as np

GATE_TIMEOUT = 60.0  # seconds a gated cell waits before it fails (a broken test fails, it does not hang)


def draws(seed, n=4):
    """``n`` standard normal draws from the generator seeded with ``seed``, and their sum."""
    x = np.random.default_rng(seed).normal(size=n)
    return {"x": x, "total": float(x.sum())}


def gated(seed, n=4, signals=None):
    """:func:`draws`, returned once the file ``<signals>/open`` exists.

    On starting, the cell leaves ``<signals>/started-<pid>``: the process that runs it.
    """
    signals = Path(signals)
    (signals / f"started-{os.getpid()}").touch()
    deadline = time.monotonic() + GATE_TIMEOUT
    while not (signals / "open").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the gate {signals / 'open'} did not open in {GATE_TIMEOUT} s")
        time.sleep(0.02)
    return draws(seed, n)


def open_gate(signals):
    (Path(signals) / "open").touch()


def started(signals):
    """The process ids that have started a gated cell, in no particular order."""
    return {int(p.name.removeprefix("started-")) for p in Path(signals).glob("started-*")}


def wait_for(condition, what, timeout=30.0):
    """Poll ``condition()`` until it is true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
