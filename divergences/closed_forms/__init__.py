"""Closed forms, one module per family of pairs; importing this package registers them all."""

from . import continuity, discrete, exponential, gaussian, shifted_line, smoothed_line, uniform  # noqa: F401
