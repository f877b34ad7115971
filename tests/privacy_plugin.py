"""The pytest side of the privacy scan (see privacy_scan): where each test process keeps what it
wrote, and the scan itself when the whole session has ended.

Every test process (the only one, or each pytest-xdist worker and the controller) points
``TMPDIR`` into its own base temporary folder, so whatever the tests and the commands they start
write lands there; under pytest-xdist each worker's folder lies inside the controller's.  When
the session ends, the controller - after every worker has finished - reads the whole tree
once.  A full id found there fails the session, with the list of file:location.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

import privacy_scan

_RESULT_KEY = pytest.StashKey[privacy_scan.ScanResult]()
_ROOT_KEY = pytest.StashKey[Path]()


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """This process's temporary files and scan records inside its base temporary folder."""
    if config.option.collectonly:
        return
    base = config._tmp_path_factory.getbasetemp()
    config.stash[_ROOT_KEY] = base
    temporary = base / "tmp"
    records = base / "privacy-records"
    temporary.mkdir(exist_ok=True)
    records.mkdir(exist_ok=True)
    os.environ["TMPDIR"] = str(temporary)
    tempfile.tempdir = None  # read TMPDIR again
    os.environ[privacy_scan.AREA_ENV] = str(records)


def _postgres_dump(records: Path) -> None:
    """The PostgreSQL test database as it is at the end (the harness dumped it before each emptying)."""
    url = os.environ.get("BALANCEDUE_TEST_POSTGRES_URL")
    if not url:
        return
    try:
        import psycopg
    except ImportError:
        return
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        privacy_scan.dump_postgres(connection, records / "database-dumps" / "postgresql-at-end.txt")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Scan everything the session left (in the controller, after every worker has ended)."""
    config = session.config
    if _is_worker(config) or _ROOT_KEY not in config.stash:
        return
    root = config.stash[_ROOT_KEY]
    try:
        _postgres_dump(root / "privacy-records")
    except Exception as exc:
        (root / "privacy-records" / "postgresql-not-dumped.txt").write_text(type(exc).__name__, encoding="utf-8")
    result = privacy_scan.scan(root)
    config.stash[_RESULT_KEY] = result
    if result.findings:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    result = config.stash.get(_RESULT_KEY, None)
    if result is None:
        return
    terminalreporter.section("privacy scan of everything the session wrote")
    terminalreporter.write_line(f"{config.stash[_ROOT_KEY]}: {result.summary()}")
    for finding in result.findings[:200]:
        terminalreporter.write_line(f"FULL ID  {finding.line()}", red=True)
    if len(result.findings) > 200:
        terminalreporter.write_line(f"... and {len(result.findings) - 200} more", red=True)
    if result.findings:
        terminalreporter.write_line("privacy scan FAILED: a full SSN/ITIN/EIN was kept in an output (listed above)",
                                    red=True, bold=True)
