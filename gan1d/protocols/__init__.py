"""The published mode-collapse protocols, reproduced: presets, sweeps on any executor, and reports.

* :mod:`~gan1d.protocols.presets` -- :data:`PACGAN`, :data:`VEEGAN` and the lecture's
  :data:`DEMONSTRATION` setting: targets, networks, optimisers, lengths, trials, metrics and the
  papers' tables (:class:`Protocol`).
* :mod:`~gan1d.protocols.sweep` -- independent cells on any ``concurrent.futures.Executor`` (a
  local process pool by default; Dask distributed for a cluster), saved cell by cell so that a
  rerun resumes (:func:`run_tasks`).
* :mod:`~gan1d.protocols.reproduction` -- a protocol's table regenerated
  (``python -m gan1d reproduce pacgan --out out/pacgan``) and compared with the paper's, row by row
  (:func:`reproduce`, :func:`comparison`).
"""

from .presets import DEMONSTRATION, PACGAN, PROTOCOLS, VEEGAN, Method, Protocol, Published, Target
from .reproduction import Reproduction, checkpoints_for, comparison, load_reproduction, protocol_cell, reproduce
from .sweep import SerialExecutor, Task, load_cell, local_executor, run_tasks, submit_tasks

__all__ = [
    "DEMONSTRATION",
    "PACGAN",
    "PROTOCOLS",
    "VEEGAN",
    "Method",
    "Protocol",
    "Published",
    "Reproduction",
    "SerialExecutor",
    "Target",
    "Task",
    "checkpoints_for",
    "comparison",
    "load_cell",
    "load_reproduction",
    "local_executor",
    "protocol_cell",
    "reproduce",
    "run_tasks",
    "submit_tasks",
]
