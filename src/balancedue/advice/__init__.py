"""Advice built from engine results and rules data: what the taxpayer can ask for, and why (pure)."""

from __future__ import annotations
