"""Shared test set-up: any float mixed into Decimal arithmetic fails loudly; the compiled rules
cache of each test process lives in a throw-away folder, never in the user's cache.

``make test`` runs the suite in parallel (pytest-xdist, ``--dist loadgroup``).  Tests that share
something across processes run in one worker each way: every test of a module that uses the
PostgreSQL test server or the case harness (one database, migrated by each process that sets it
up and emptied between tests) is in the group ``postgresql``, and
the browser tests (one Chromium each, memory-heavy) in the group ``browser``.
"""

from __future__ import annotations

import atexit
import decimal
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

_POSTGRES_MODULES: dict[str, bool] = {}


def _uses_postgres(path: str) -> bool:
    if path not in _POSTGRES_MODULES:
        try:
            with open(path, encoding="utf-8") as source:
                text = source.read().lower()
        except OSError:
            text = ""
        # The case harness sets up (and migrates) the PostgreSQL test database in every process
        # that uses it, so its every user shares the group.
        _POSTGRES_MODULES[path] = any(word in text for word in ("postgres", "backend", "case_harness"))
    return _POSTGRES_MODULES[path]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put the tests that cannot share a moment with each other into one xdist group each."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif _uses_postgres(str(item.path)):
            item.add_marker(pytest.mark.xdist_group("postgresql"))

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/golden/ from the current output (a deliberate change of report output)",
    )
