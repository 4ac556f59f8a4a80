"""Closed forms of ``mmd`` (work in progress)."""
