"""Every lecture notebook runs top to bottom, and its last cell's checks pass.

Each notebook is executed once per test run, in a fresh kernel, in a temporary working directory,
at ``NOTEBOOK_SIZE`` (``small`` unless the environment says otherwise; ``make test`` sets it). A
failing cell fails the test with the cell's traceback. The executed notebook is then written to
``docs/_build/executed/<size>/``, with the size and a hash of its code in its metadata, so that
the documentation build of ``make test`` renders these outputs instead of executing every
notebook a second time (``docs/conf.py`` uses a copy only if its code and size match the source).
"""

import hashlib
import os
import pathlib
import shutil
import tempfile

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Seconds a cell may take; the lecture-size notebooks' longest cell takes about three minutes.
CELL_TIMEOUT = 900
#: Where the executed copies go, per size; docs/conf.py reads them from there.
EXECUTED = ROOT / "docs" / "_build" / "executed"


def code_hash(nb):
    """SHA-256 of the notebook's code cells: an executed copy is used only while it matches."""
    code = "\n\0".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    return hashlib.sha256(code.encode()).hexdigest()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_its_checks_pass(path, tmp_path, monkeypatch):
    size = os.environ.get("NOTEBOOK_SIZE", "small")
    monkeypatch.setenv("NOTEBOOK_SIZE", size)  # the kernel inherits this process's environment
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    # POT (imported by divergences) loads torch as a backend at import if it can, about 2 s of CPU
    # per kernel, though every array the notebooks give it is numpy's; the notebooks that train
    # networks import torch themselves. A torch tensor reaching POT would fail loudly here.
    monkeypatch.setenv("POT_BACKEND_DISABLE_PYTORCH", "1")
    nb = nbformat.read(path, as_version=4)
    # The kernel is stopped at once when the last cell has run (its outputs are in by then): a
    # graceful shutdown waits about half a second per notebook for nothing.
    # The kernel talks to this process over Unix sockets, not TCP ports on the loopback: a kernel
    # manager picks free ports and the kernel binds them later, and in between the Dask tests'
    # clusters, running in the other test worker, may take one (a run hung so, its kernel idle).
    sockets = pathlib.Path(tempfile.mkdtemp(prefix="k"))  # short: a socket's path is limited to about 100 bytes
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()  # raises CellExecutionError, with the failing cell and its traceback
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
    nb.metadata["divergences_toolkit"] = {"notebook_size": size, "code_sha256": code_hash(nb)}
    folder = EXECUTED / size
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{path.name}.partial"
    nbformat.write(nb, partial)
    partial.replace(folder / path.name)  # atomic: the docs build never reads half a notebook
