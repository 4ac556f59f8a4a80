"""Shared test settings: a deterministic hypothesis profile by default."""

import os

from hypothesis import HealthCheck, settings

# Deterministic by default (derandomize): the same examples on every run and machine, so CI is
# reproducible. HYPOTHESIS_PROFILE=explore draws fresh random examples, and more of them.
settings.register_profile(
    "default",
    derandomize=True,
    deadline=None,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", deadline=None, max_examples=500, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
