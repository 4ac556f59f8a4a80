"""Closed forms of ``w2`` (work in progress)."""
