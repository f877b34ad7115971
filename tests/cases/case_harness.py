"""Test set-up of the case store: Django on throw-away databases, SQLite and PostgreSQL.

* The process gets its own data folder and never sees the user's ``DATABASE_URL``.
* ``default`` is a SQLite file in that folder; each test starts from a freshly migrated copy.
* ``postgresql`` is the server that ``scripts/postgres-for-tests.sh`` (``make test``) started,
  named by ``BALANCEDUE_TEST_POSTGRES_URL``; each test starts from emptied tables.  Without it the
  PostgreSQL tests are reported as not run (skipped with the reason) - and fail when ``CI=true``.
  It is migrated the first time a test of this process asks for it (tests/conftest.py keeps
  every such test in one pytest-xdist group), under a lock the server holds.
* The process's data folder is set in the environment as soon as this module is imported, so the
  settings read the harness's folder whichever test reads them first; :func:`setup_django` checks
  that they did.
* Before a database is emptied, its content is dumped for the privacy scan after the session
  (privacy_scan); the data folder lies in the session's temporary folder and is scanned there.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

SAMPLE_NOTICE = ROOT / "examples" / "sample-cp14.pdf"
POSTGRES_URL = os.environ.get("BALANCEDUE_TEST_POSTGRES_URL", "")
POSTGRES_ALIAS = "postgresql"
FRESH_ALIAS = "fresh"
"""A second SQLite database, for imports into a fresh store."""
BACKENDS = ("sqlite", "postgresql")
TABLES = (
    "cases_reviewfield", "cases_intakeitem", "cases_batchrun", "cases_workerbeat", "django_tasks_database_dbtaskresult",
    "cases_journalentry", "cases_document", "cases_deadline", "cases_case", "cases_client",
)

_DATA_DIR = Path(tempfile.mkdtemp(prefix="balancedue-tests-"))
_TEMPLATE = _DATA_DIR / "template.sqlite3"
_ready = False
_postgres_ready = False
TESTS = Path(__file__).resolve().parents[1]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import privacy_scan  # noqa: E402


def _own_environment() -> None:
    """The settings of this process: the harness's data folder, never the user's database."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("BALANCEDUE_TEST_PAUSE_AT", None)
    os.environ["BALANCEDUE_DATA_DIR"] = str(_DATA_DIR / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "balancedue.web.settings"


_own_environment()


def postgres_unavailable_reason() -> str:
    """Why the PostgreSQL tests cannot run here."""
    return os.environ.get("BALANCEDUE_TEST_POSTGRES_UNAVAILABLE") or (
        "BALANCEDUE_TEST_POSTGRES_URL is not set (make test starts a server and sets it)"
    )


def setup_django() -> None:
    """Configure Django once for the whole test process (SQLite; PostgreSQL on first use)."""
    global _ready
    if _ready:
        return
    _own_environment()
    from django.conf import settings

    # Settings read before this point (by a command run in this process) came from the same
    # environment; anything else - the user's data folder above all - is refused.
    configured = Path(settings.DATA_DIR)
    assert configured == _DATA_DIR / "data", f"the settings were read with another data folder: {configured}"
    if POSTGRES_URL:
        import dj_database_url

        settings.DATABASES[POSTGRES_ALIAS] = dict(dj_database_url.parse(POSTGRES_URL, conn_max_age=0))
    from django.db import connections

    from balancedue.cases import bootstrap

    fresh = dict(settings.DATABASES["default"])
    fresh["NAME"] = _DATA_DIR / "data" / "fresh.sqlite3"
    settings.DATABASES[FRESH_ALIAS] = fresh
    bootstrap.ensure_database("default")
    connections["default"].close()
    shutil.copyfile(sqlite_path(), _TEMPLATE)
    _ready = True


def _setup_postgres() -> None:
    """Migrate the PostgreSQL test database, once per process, under the server's advisory lock."""
    global _postgres_ready
    if _postgres_ready:
        return
    from django.db import connections

    from balancedue.cases import bootstrap

    with connections[POSTGRES_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(4171)")
        try:
            bootstrap.ensure_database(POSTGRES_ALIAS)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(4171)")
    _postgres_ready = True


def sqlite_path(alias: str = "default") -> Path:
    from django.conf import settings

    return Path(settings.DATABASES[alias]["NAME"])


def reset_database(alias: str) -> None:
    """Start a test from an empty, migrated database."""
    from django.db import connections

    connection = connections[alias]
    if alias != POSTGRES_ALIAS:
        connection.close()
        path = sqlite_path(alias)
        privacy_scan.dump_sqlite(path)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(_TEMPLATE, path)
    else:
        _setup_postgres()
        privacy_scan.dump_postgres(connection.connection if connection.connection is not None else _connected(connection))
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # the journal refuses TRUNCATE otherwise
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("ALTER TABLE cases_journalentry ENABLE TRIGGER USER")  # a tamper test may have disabled them


def _connected(connection: Any) -> Any:
    connection.ensure_connection()
    return connection.connection


def alias_of(backend: str) -> str:
    return {"sqlite": "default", "fresh": FRESH_ALIAS}.get(backend, POSTGRES_ALIAS)


def make_store(backend: str, folder: Path) -> Any:
    """A store on an emptied database of ``backend`` ("sqlite", "fresh" or "postgresql")."""
    require_backend(backend)
    setup_django()
    from balancedue.cases.blobs import DocumentFolder
    from balancedue.cases.store import CaseStore

    reset_database(alias_of(backend))
    return CaseStore(using=alias_of(backend), documents=DocumentFolder(folder))


def require_backend(backend: str) -> None:
    """Skip (locally) or fail (CI) a PostgreSQL test when no server is there."""
    if backend == "postgresql" and not POSTGRES_URL:
        reason = f"PostgreSQL tests not run: {postgres_unavailable_reason()}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each store test runs once on SQLite and once on PostgreSQL."""
    require_backend(request.param)
    setup_django()
    reset_database(alias_of(request.param))
    return str(request.param)


@pytest.fixture
def store(backend: str, tmp_path: Path) -> Any:
    """A case store on a fresh database and a fresh document folder."""
    from balancedue.cases.blobs import DocumentFolder
    from balancedue.cases.store import CaseStore

    return CaseStore(using=alias_of(backend), documents=DocumentFolder(tmp_path / "documents"))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The command line's store on a fresh SQLite database, with its documents under ``tmp_path``."""
    setup_django()
    reset_database("default")
    from django.conf import settings

    monkeypatch.setattr(settings, "DOCUMENTS_DIR", tmp_path / "documents")
    return tmp_path


# --- behind the app's back ----------------------------------------------------------------------


def raw_sql(backend: str) -> Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Run SQL on the database with a connection of its own, not Django's."""

    def run(statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if backend == "sqlite":
            connection = sqlite3.connect(sqlite_path())
            try:
                rows = connection.execute(statement, params).fetchall()
                connection.commit()
                return rows
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            cursor = connection.execute(statement.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    return run


def tamper_journal_entry(backend: str, case_id: int, sequence: int, field: str, value: Any) -> None:
    """Change one field of one journal entry's payload, dropping the triggers first as an attacker would."""
    run = raw_sql(backend)
    if backend == "sqlite":
        run("DROP TRIGGER IF EXISTS cases_journal_no_update", ())
    else:
        run("ALTER TABLE cases_journalentry DISABLE TRIGGER USER", ())
    (payload,) = run("SELECT payload FROM cases_journalentry WHERE case_id = ? AND sequence = ?", (case_id, sequence))[0]
    data = payload if isinstance(payload, dict) else json.loads(payload)
    data[field] = value
    cast = "?::jsonb" if backend == "postgresql" else "?"
    run(
        f"UPDATE cases_journalentry SET payload = {cast} WHERE case_id = ? AND sequence = ?",
        (json.dumps(data), case_id, sequence),
    )
    if backend == "postgresql":
        run("ALTER TABLE cases_journalentry ENABLE TRIGGER USER", ())


def flip_one_byte(path: Path, offset: int = 0) -> None:
    """Change one byte of a file in place."""
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


# --- notices ------------------------------------------------------------------------------------


def notice_pdf(
    folder: Path,
    *,
    code: str = "CP14",
    notice_date: date = date(2025, 6, 2),
    pay_by: date | None = date(2025, 6, 23),
    respond_by: date | None = None,
    amount: Decimal = Decimal("1523.40"),
    last4: str = "4821",
    full_id: bool = False,
    notice_id: str = "CP14-20250602-00999",
    seed: int = 11,
) -> tuple[Path, Any]:
    """A fictional text-layer notice PDF and the spec it was drawn from."""
    from notices.render import render_pdf
    from notices.spec import Period, make_spec

    rng = random.Random(seed)
    spec = make_spec(rng, f"case-{code}-{seed}", code, "Balance due", "first_bill", True, "Individuals")
    printed_id = f"9{rng.randint(10, 99)}-0{rng.randint(1, 9)}-{last4}" if full_id else f"XXX-XX-{last4}"
    spec = replace(
        spec,
        notice_date=notice_date,
        periods=[Period("1040", date(notice_date.year - 1, 12, 31), amount)],
        tax_year_printed=True,
        tax=amount,
        payments=None,
        penalty_lines=[],
        interest=Decimal("0.00"),
        amount_due=amount,
        pay_by=pay_by,
        respond_by=respond_by,
        last4=last4,
        taxpayer_id_printed=printed_id,
        notice_id=notice_id,
    )
    path = folder / f"{code.lower()}-{seed}.pdf"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_pdf(spec))
    if full_id:
        privacy_scan.declare_input(path)  # an input that prints a full id on purpose
    return path, spec
