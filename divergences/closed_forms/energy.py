"""Closed forms of ``energy`` (work in progress)."""
