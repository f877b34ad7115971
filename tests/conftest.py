"""Shared test set-up: any float mixed into Decimal arithmetic fails loudly; the compiled rules
cache of each test process lives in a throw-away folder, never in the user's cache."""

from __future__ import annotations

import atexit
import decimal
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

_CACHE = tempfile.mkdtemp(prefix="balancedue-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)
os.environ["BALANCEDUE_CACHE_DIR"] = _CACHE


@pytest.fixture(autouse=True)
def _trap_float_operations() -> Iterator[None]:
    """Mixing a float into Decimal code (comparison or construction) raises FloatOperation."""
    context = decimal.getcontext()
    previous = context.traps[decimal.FloatOperation]
    context.traps[decimal.FloatOperation] = True
    try:
        yield
    finally:
        context.traps[decimal.FloatOperation] = previous
