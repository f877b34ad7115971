"""One function per user action; the only layer that joins rules, engine, intake and advice."""

from __future__ import annotations
