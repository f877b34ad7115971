"""``balancedue batch`` on a practice's mailbag: SQLite with its own workers, PostgreSQL with two
``balancedue worker`` processes; one worker killed with SIGKILL mid-batch; run again; interrupted.

The mailbag (tests/cases/batch_corpus.py): 200 files - 192 text PDFs and 5 phone photos of
notices of eight fictional clients over three tax years, one damaged PDF, one PDF copied under a
second name, one notice of a taxpayer who is no client.  Photos take seconds each to read (OCR),
so only five are in the batch; the benchmark (benchmarks/test_batch_bench.py) has a hundred.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from batch_corpus import KNOWN_BY_DIGITS, Expected, build
from case_harness import POSTGRES_URL, require_backend, reset_database, setup_django, sqlite_path

CLI = Path(sys.executable).with_name("balancedue")
TODAY = "2025-06-10"
LEASE = "3"
pytestmark = pytest.mark.slow


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _env(data: Path, backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALANCEDUE_TEST_PAUSE_AT", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(data)
    env["BALANCEDUE_LEASE_SECONDS"] = LEASE
    env["COLUMNS"] = "160"
    if backend == "postgresql":
        env["DATABASE_URL"] = POSTGRES_URL
    return env


class Practice:
    """A case store the command line (subprocesses) and the test (in-process) both see."""

    def __init__(self, backend: str, tmp_path: Path) -> None:
        require_backend(backend)
        setup_django()
        from django.db import connections

        from balancedue.cases.blobs import DocumentFolder
        from balancedue.cases.store import CaseStore

        self.backend = backend
        self.alias = "default" if backend == "sqlite" else "postgresql"
        reset_database(self.alias)
        self.data = sqlite_path().parent if backend == "sqlite" else tmp_path / "data"
        documents = self.data / "documents"
        if documents.exists():
            import shutil

            shutil.rmtree(documents)
        self.store = CaseStore(using=self.alias, documents=DocumentFolder(documents))
        self.env = _env(self.data, backend)
        connections[self.alias].close()

    def known_clients(self) -> None:
        """Two clients with an earlier case (tax year 2019), found later by their last four digits."""
        from balancedue.cases.records import ClientRecord, NewCase

        for name, digits in KNOWN_BY_DIGITS:
            self.store.open_case(
                NewCase(client=ClientRecord(name=name, id_last4=digits), title="Earlier notice", date_received=date(2025, 1, 6), tax_year=2019)
            )

    def batch(self, folder: Path, client_map: Path, report: Path, *extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(CLI), "batch", str(folder), "--client-map", str(client_map), "--today", TODAY, "--report", str(report), *extra],
            env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )

    def worker(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(CLI), "worker", "--lease", LEASE], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )

    def counts(self) -> dict[str, int]:
        from django_tasks_db.models import DBTaskResult

        from balancedue.cases.models import (
            BatchRun,
            Case,
            Client,
            Document,
            IntakeItem,
            JournalEntry,
            ReviewField,
        )

        tables = {
            "cases": Case, "clients": Client, "documents": Document, "journal": JournalEntry, "items": IntakeItem,
            "runs": BatchRun, "reviews": ReviewField, "tasks": DBTaskResult,
        }
        return {name: model.objects.using(self.alias).count() for name, model in tables.items()}

    def done(self) -> int:
        from balancedue.cases.models import IntakeItem

        return int(IntakeItem.objects.using(self.alias).exclude(status="queued").count())

    def kill_a_busy_worker(self, wanted_done: int, timeout: float = 600) -> str:
        """SIGKILL a worker while it runs a task, once ``wanted_done`` notices are filed; its id."""
        from django_tasks_db.models import DBTaskResult

        from balancedue.cases.models import WorkerBeat

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.done() >= wanted_done:
                beats = dict(WorkerBeat.objects.using(self.alias).values_list("worker_id", "pid"))
                for worker_ids in DBTaskResult.objects.using(self.alias).filter(status="RUNNING").values_list("worker_ids", flat=True):
                    owner = worker_ids[-1]
                    if owner in beats:
                        os.kill(beats[owner], signal.SIGKILL)
                        return str(owner)
            time.sleep(0.2)
        raise AssertionError("no busy worker to kill")

    def retried_tasks(self, worker_id: str) -> list[tuple[str, list[str]]]:
        """Tasks that the killed worker had and another worker finished."""
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.using(self.alias).values_list("status", "worker_ids")
        return [(status, ids) for status, ids in rows if worker_id in ids and ids[-1] != worker_id]

    def check(self, expected: list[Expected], report: Path) -> None:
        """Every good notice in its client's case exactly once; the rest reported; every case verifies."""
        import csv

        from balancedue.cases.models import Case, Document

        rows = {Path(r["file"]).name + "@" + Path(r["file"]).parent.name: r for r in csv.DictReader(report.open(encoding="utf-8"))}
        assert len(rows) == len(expected)
        documents = list(
            Document.objects.using(self.alias).values_list("sha256", "case__client__name", "case__tax_year", "case_id")
        )
        per_sha = Counter(sha for sha, *_ in documents)
        where = {sha: (client, year, case) for sha, client, year, case in documents}
        for item in expected:
            sha = _sha(item.file)
            row = rows[item.file.name + "@" + item.file.parent.name]
            if item.kind in ("text_pdf", "photo"):
                assert per_sha[sha] == 1, (item.file.name, per_sha[sha])
                client, year, case = where[sha]
                assert client == item.client, (item.file.name, client)
                assert year == item.tax_year, (item.file.name, year)
                assert row["status"] == "done", row
                assert int(row["case"]) == case, row
                assert row["notice_code"] == "CP14", row
                assert row["amount_due"], row
            elif item.kind == "duplicate":
                assert per_sha[sha] == 1, row
                assert row["status"] == "duplicate", row
            elif item.kind == "corrupt":
                assert per_sha[sha] == 0, row
                assert row["status"] == "failed", row
                assert "damaged" in row["reason"], row
            else:  # the stranger's notice waits for a client
                assert per_sha[sha] == 0, row
                assert row["status"] == "needs_client", row
                assert "7070" in row["reason"], row
        good = [e for e in expected if e.kind in ("text_pdf", "photo")]
        assert len(documents) == len(good)
        # One case per client and tax year, plus the two earlier cases (tax year 2019).
        assert Case.objects.using(self.alias).count() == len({(e.client, e.tax_year) for e in good}) + len(KNOWN_BY_DIGITS)
        for number in Case.objects.using(self.alias).values_list("pk", flat=True):
            result = self.store.verify(number)
            assert result.problems == (), (number, result.problems)


def _finish(process: subprocess.Popen[str], timeout: float = 1200) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


@pytest.fixture(scope="module")
def mailbag(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Expected], Path, Path]:
    folder = tmp_path_factory.mktemp("mailbag") / "mail"
    expected, client_map = build(folder, total=200, photos=5)
    return expected, folder, client_map


def test_the_mailbag_on_sqlite_with_a_worker_killed(mailbag: Any, tmp_path: Path) -> None:
    expected, folder, client_map = mailbag
    assert len(expected) == 200
    assert sum(e.kind == "photo" for e in expected) == 5
    practice = Practice("sqlite", tmp_path)
    practice.known_clients()
    report = tmp_path / "report.csv"
    batch = practice.batch(folder, client_map, report, "--workers", "2")
    killed = practice.kill_a_busy_worker(wanted_done=40)
    code, out, err = _finish(batch)
    assert code == 0, err[-2000:]
    assert practice.retried_tasks(killed), "the killed worker's task was not run again"
    practice.check(expected, report)
    assert "done" in out
    assert "failed" in out

    # The same command again changes nothing.
    before = practice.counts()
    again = tmp_path / "again.csv"
    code, _, err = _finish(practice.batch(folder, client_map, again, "--workers", "1"))
    assert code == 0, err[-2000:]
    assert practice.counts() == before
    practice.check(expected, again)


def test_the_mailbag_on_postgresql_with_two_workers_one_killed(mailbag: Any, tmp_path: Path) -> None:
    expected, folder, client_map = mailbag
    practice = Practice("postgresql", tmp_path)
    practice.known_clients()
    report = tmp_path / "report.csv"
    batch = practice.batch(folder, client_map, report, "--workers", "0")
    workers = [practice.worker(), practice.worker()]
    try:
        killed = practice.kill_a_busy_worker(wanted_done=40)
        code, _, err = _finish(batch)
        assert code == 0, err[-2000:]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    assert sorted(w.returncode for w in workers) == [-signal.SIGKILL, 0]
    assert practice.retried_tasks(killed), "the killed worker's task was not run again"
    practice.check(expected, report)

    before = practice.counts()
    again = tmp_path / "again.csv"
    code, _, err = _finish(practice.batch(folder, client_map, again, "--workers", "1"))
    assert code == 0, err[-2000:]
    assert practice.counts() == before
    practice.check(expected, again)


def test_an_interrupted_batch_finishes_when_run_again(tmp_path: Path) -> None:
    expected, client_map = build(tmp_path / "mail", total=40, photos=0, seed=7)
    practice = Practice("sqlite", tmp_path)
    practice.known_clients()
    report = tmp_path / "report.csv"
    batch = practice.batch(tmp_path / "mail", client_map, report, "--workers", "1")
    end = time.monotonic() + 600
    while practice.done() < 5 and time.monotonic() < end and batch.poll() is None:
        time.sleep(0.1)
    batch.send_signal(signal.SIGINT)
    code, _, err = _finish(batch)
    assert code == 130, err[-2000:]
    assert "Run the same command again" in err
    left = 39 - practice.done()  # 40 files hold 39 different notices (one file is a copy of another)
    assert left > 0, "the batch finished before it could be interrupted"

    code, _, err = _finish(practice.batch(tmp_path / "mail", client_map, report, "--workers", "2"))
    assert code == 0, err[-2000:]
    practice.check(expected, report)
