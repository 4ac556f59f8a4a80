"""The oracles of tests/edges/mp.py compute at 50 digits whatever another test left in mpmath's global state."""

import mpmath
import pytest


@pytest.fixture(autouse=True)
def _fifty_digits():
    with mpmath.workdps(50):
        yield
