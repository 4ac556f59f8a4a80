"""Sweeps of independent cells on any executor, saved cell by cell so that a rerun resumes.

A *cell* is a pure function of its arguments (every random stream inside is seeded from them):
a :class:`Task` names it with a ``key`` and holds the function and its keyword arguments.
:func:`run_tasks` runs the tasks on any ``concurrent.futures.Executor`` -- this process
(:class:`SerialExecutor`), a local process pool over the machine's cores (:func:`local_executor`,
the default), or a cluster: Dask distributed's ``Client(...).get_executor()`` -- and returns their
results in order. With a ``store`` (a folder), each result is written by the process that
computed it, as soon as it is computed, to ``<store>/<key>.npz`` (written to a temporary name,
then renamed: a killed worker leaves no half-written cell); a rerun reads the finished cells
instead of running them again. A result is a dict of numbers and numpy arrays.
"""

import concurrent.futures
import contextlib
import hashlib
import json
import multiprocessing
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["SerialExecutor", "Task", "load_cell", "local_executor", "run_tasks", "submit_tasks"]


@dataclass(frozen=True)
class Task:
    """A cell: ``fn(**kwargs, **options)`` (``fn`` a module-level function, so that it pickles), named ``key``.

    ``key`` is the cell's file name in a store (letters, digits, ``-``, ``_``, ``.``); a digest of
    ``kwargs`` is saved beside the result, and a saved cell is reused only if it matches.
    ``options`` are arguments that do not change the result (e.g. ``progress``): not in the digest.
    """

    key: str
    fn: object
    kwargs: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.key or not all(c.isalnum() or c in "-_." for c in self.key):
            raise ValueError(f"key must be a non-empty name of letters, digits, '-', '_' and '.', got {self.key!r}")
        if not callable(self.fn):
            raise TypeError(f"fn must be callable, got {self.fn!r}")

    @property
    def signature(self):
        """A digest of the function's name and the arguments, saved with the result."""
        text = json.dumps([f"{self.fn.__module__}.{self.fn.__qualname__}", self.kwargs], sort_keys=True, default=repr)
        return hashlib.sha256(text.encode()).hexdigest()


class SerialExecutor(concurrent.futures.Executor):
    """An executor that runs each call at once, in this process (the serial path of a sweep)."""

    def submit(self, fn, /, *args, **kwargs):
        """Run ``fn(*args, **kwargs)`` now; a finished future holding its result or its exception."""
        future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever reads the future, as a pool would
            future.set_exception(exc)
        return future


def _one_thread():
    import torch

    torch.set_num_threads(1)


@contextlib.contextmanager
def local_executor(workers=None):
    """A process pool of ``workers`` processes (None: one per core this process may use), each with one
    torch thread; ``workers=0`` gives a :class:`SerialExecutor`. On an error the calls not yet started
    are cancelled.

    The workers start fresh interpreters (``spawn``): they inherit no state from this process.
    """
    n = len(os.sched_getaffinity(0)) if workers is None else workers
    if n < 0:
        raise ValueError(f"workers must be >= 0 or None, got {workers!r}")
    if n == 0:
        yield SerialExecutor()
        return
    context = multiprocessing.get_context("spawn")
    pool = concurrent.futures.ProcessPoolExecutor(n, mp_context=context, initializer=_one_thread)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_tasks(tasks, executor=None, store=None, log=None):
    """Run every task (or read it from ``store``); their results, in the tasks' order.

    Parameters
    ----------
    tasks : sequence of Task
        With distinct keys.
    executor : concurrent.futures.Executor, optional
        Where the cells run; None: a :func:`local_executor` over the machine's cores, for this call.
    store : str or Path, optional
        A folder: finished cells are read from it and new ones written to it, by the process that
        computes them (at its absolute path here: on a cluster, a folder every worker sees at
        that path).
    log : callable, optional
        Called with ``(task, result, reused)`` as each cell finishes (or is read back).
    """
    tasks = list(tasks)
    if executor is None:
        with local_executor() as pool:
            return run_tasks(tasks, pool, store, log)
    futures = submit_tasks(tasks, executor, store)
    reused = {k for k, future in enumerate(futures) if getattr(future, "read_back", False)}
    if log is not None:
        for k in sorted(reused):
            log(tasks[k], futures[k].result(), True)
    index = {future: k for k, future in enumerate(futures) if k not in reused}
    for future in concurrent.futures.as_completed(index):
        if log is not None:
            log(tasks[index[future]], future.result(), False)
    return [future.result() for future in futures]


def submit_tasks(tasks, executor, store=None):
    """Submit every task whose cell ``store`` does not hold; one future per task, in the tasks' order.

    For a sweep that collects its cells later (the lecture submits its mode-collapse cells first and
    collects them in its last part); :func:`run_tasks` submits and waits. A cell read back from
    ``store`` comes as a finished future whose ``read_back`` attribute is True. ``tasks``, ``executor``
    and ``store`` as for :func:`run_tasks` (an executor is required here).
    """
    tasks = list(tasks)
    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        raise ValueError(f"task keys must be distinct, got {sorted(k for k in set(keys) if keys.count(k) > 1)}")
    if not isinstance(executor, concurrent.futures.Executor):
        raise TypeError(f"executor must be a concurrent.futures.Executor, got {executor!r}")
    folder = None if store is None else Path(store).absolute()  # the workers may run in another folder
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    futures = []
    for task in tasks:
        saved = None if folder is None else load_cell(folder / f"{task.key}.npz", task.signature)
        if saved is not None:
            future = concurrent.futures.Future()
            future.set_result(saved)
            future.read_back = True
        else:
            kwargs = {**task.kwargs, **task.options}
            future = executor.submit(_run_and_save, task.fn, kwargs, folder, task.key, task.signature)
        futures.append(future)
    return futures


def _run_and_save(fn, kwargs, folder, key, signature):
    """In the worker: the cell's result, saved there as soon as it is computed."""
    result = fn(**kwargs)
    if folder is not None:
        path = Path(folder) / f"{key}.npz"
        tmp = path.with_name(f".{key}.{uuid.uuid4().hex}.tmp.npz")  # unique across processes and hosts
        np.savez(tmp, __signature__=np.array(signature), **{k: np.asarray(v) for k, v in result.items()})
        os.replace(tmp, path)
    return result


def load_cell(path, signature=None):
    """A saved cell's result (a dict of numpy arrays and Python numbers), or None if there is none.

    With ``signature``, a cell saved for other arguments counts as none (it is run again and
    overwritten).
    """
    path = Path(path)
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        if signature is not None and str(data["__signature__"]) != signature:
            return None
        return {k: (data[k].item() if data[k].ndim == 0 else data[k]) for k in data.files if k != "__signature__"}
