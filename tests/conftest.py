"""Shared test set-up: any float mixed into Decimal arithmetic fails loudly; the compiled rules
cache of each test process lives in a throw-away folder, never in the user's cache.

``make test`` runs the suite in parallel (pytest-xdist, ``--dist loadgroup``).  Tests that share
something across processes run in one worker each way: every test of a module that uses the
PostgreSQL test server (one database, emptied between tests) is in the group ``postgresql``, and
the browser tests (one Chromium each, memory-heavy) in the group ``browser``.  The groups are
set as each test is collected, before pytest-xdist reads them.

After the whole session, a privacy scan reads everything the session wrote and fails the run on
a full taxpayer id (see privacy_plugin and privacy_scan).
"""

from __future__ import annotations

import atexit
import decimal
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from privacy_plugin import pytest_configure, pytest_sessionfinish, pytest_terminal_summary

__all__ = ["pytest_configure", "pytest_sessionfinish", "pytest_terminal_summary"]

_POSTGRES_MODULES: dict[str, bool] = {}


def _uses_postgres(path: str) -> bool:
    if path not in _POSTGRES_MODULES:
        try:
            with open(path, encoding="utf-8") as source:
                text = source.read().lower()
        except OSError:
            text = ""
        # The case harness touches the PostgreSQL test database only for a test that asks for it
        # (by the backend fixture or by name); a module that uses only its SQLite databases
        # runs in any worker, each worker having its own.
        _POSTGRES_MODULES[path] = any(word in text for word in ("postgres", "backend"))
    return _POSTGRES_MODULES[path]


def pytest_itemcollected(item: pytest.Item) -> None:
    """Put the tests that cannot share a moment with each other into one xdist group each (as each
    test is collected: pytest-xdist reads the groups in its own collection hook)."""
    if item.get_closest_marker("browser") is not None:
        item.add_marker(pytest.mark.xdist_group("browser"))
    elif _uses_postgres(str(item.path)) or _postgres_param(item):
        item.add_marker(pytest.mark.xdist_group("postgresql"))


def _postgres_param(item: pytest.Item) -> bool:
    """A test given the PostgreSQL store through a fixture (``store`` asks for ``backend``), also in
    a module whose own text never names it."""
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(str(value) == "postgresql" for value in callspec.params.values())



@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Name each test's group in its id (``test@group``), which is what ``--dist loadgroup``
    schedules by.  pytest-xdist does it by setting the item's ``_nodeid``, which pytest 9 no longer
    reads (its ids are structured), so without this every group was spread over the workers."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import coerce_node_id

    for item in items:
        groups = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                         for mark in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid.rsplit("]", 1)[-1]:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


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
