"""Closed forms, one module per family of pairs; importing this package registers them all."""

from . import (  # noqa: F401
    continuity,
    discrete,
    energy,
    exponential,
    gaussian,
    hellinger,
    information,
    mmd,
    renyi,
    shifted_line,
    smoothed_line,
    uniform,
    w2,
)
