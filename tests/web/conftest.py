"""Fixtures of the web app tests (see web_harness)."""

from __future__ import annotations

from web_harness import web

__all__ = ["web"]
