"""Migrations of the case store."""

from __future__ import annotations
