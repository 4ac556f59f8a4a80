"""Checks of the trainer's inputs, and the seeding of its torch streams."""

import numpy as np
import torch

import toys
from toys.validation import seed as check_seed

__all__ = ["check_callbacks", "check_seeds", "check_target", "torch_generator"]


def check_target(target):
    """The target, if it is a toy that can be sampled; ``ValueError`` otherwise."""
    if not isinstance(target, toys.Distribution):
        raise ValueError(f"target must be a toys distribution with sample(n, rng), got {target!r}")
    try:
        x = np.asarray(target.sample(2, np.random.default_rng(0)), dtype=float)
    except Exception as exc:  # any failure to sample means it cannot be a target
        raise ValueError(f"target cannot be sampled: {target!r}.sample(2, rng) raised {exc!r}") from exc
    if x.reshape(2, -1).shape[1] != target.dim or not np.all(np.isfinite(x)):
        raise ValueError(f"target cannot be sampled: {target!r}.sample gave {x!r}")
    return target


def check_seeds(seeds):
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a sequence of non-negative integers, got {seeds!r}")
    seeds = [check_seed("seeds", s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must not be empty")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}")
    return seeds


def torch_generator(seed_sequence, device):
    g = torch.Generator(device=device)
    g.manual_seed(int(seed_sequence.generate_state(1, np.uint64)[0] >> np.uint64(1)))
    return g


def check_callbacks(callbacks):
    if callable(callbacks) or isinstance(callbacks, (str, bytes)) or not hasattr(callbacks, "__iter__"):
        raise TypeError(f"callbacks must be a sequence of callables (trainer, step) -> None, got {callbacks!r}")
    callbacks = list(callbacks)
    for c in callbacks:
        if not callable(c):
            raise TypeError(f"callbacks must be callables (trainer, step) -> None, got {c!r}")
    return callbacks
