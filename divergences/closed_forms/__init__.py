"""Closed forms, one module per family of pairs; importing this package registers them all."""

from . import continuity, discrete, exponential, gaussian, information, shifted_line, smoothed_line, uniform  # noqa: F401
