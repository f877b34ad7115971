"""Fixtures of the case-store tests (see case_harness)."""

from __future__ import annotations

from case_harness import backend, data_dir, store

__all__ = ["backend", "data_dir", "store"]
