"""Advice built from rules data and engine results: the scam check (pure, no files, no clock)."""

from __future__ import annotations
