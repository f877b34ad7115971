"""How fast the case store is (measured and printed, never asserted).

The issue's targets: ``case list`` with 10,000 cases under 0.5 s; adding a 5 MB document under
1 s.  Both run the command in-process (no interpreter start-up) on SQLite in a temporary folder.
"""

from __future__ import annotations

import io
import os
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cases"))

from case_harness import reset_database, setup_django

CASES = 10_000
TODAY = date(2025, 6, 10)
DOCUMENT_BYTES = 5 * 1024 * 1024


def _fill(count: int) -> None:
    """``count`` cases with three deadlines and a sealed 'opened' entry each, in one transaction."""
    from django.db import transaction

    from balancedue.cases.chain import GENESIS, entry_hash
    from balancedue.cases.models import Case, Client, Deadline, JournalEntry

    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    with transaction.atomic():
        clients = Client.objects.bulk_create(
            [Client(name=f"Taxpayer {n:05d}", address="", id_last4=f"{n % 10000:04d}", created_at=now)
             for n in range(count)]
        )
        cases = []
        for n, client in enumerate(clients):
            uid = uuid.UUID(int=n + 1).hex
            payload = {"title": f"CP14 {n}"}
            sealed = entry_hash(uid, 1, "opened", payload, now, GENESIS)
            cases.append(Case(uid=uid, client=client, title=f"CP14, tax year 2024 ({n})", tax_year=2024,
                              notice_codes=["CP14"], date_received=TODAY, status="open",
                              amount_due=Decimal("1523.40"), created_at=now, journal_length=1,
                              journal_head=sealed))
        cases = Case.objects.bulk_create(cases)
        Deadline.objects.bulk_create(
            [Deadline(case=case, number=k + 1, what=f"Deadline {k + 1}", due=TODAY + timedelta(days=(i % 60) + 20 * k),
                      computed_due=TODAY + timedelta(days=(i % 60) + 20 * k), tag="soft", basis="bench")
             for i, case in enumerate(cases) for k in range(3)],
            batch_size=5000,
        )
        JournalEntry.objects.bulk_create(
            [JournalEntry(case=case, sequence=1, created_at=now, kind="opened", payload={"title": f"CP14 {i}"},
                          prev_hash=GENESIS, hash=case.journal_head) for i, case in enumerate(cases)],
            batch_size=5000,
        )


@pytest.fixture(scope="module")
def filled() -> None:
    setup_django()
    reset_database("default")
    _fill(CASES)


def test_bench_case_list_with_ten_thousand_cases(benchmark: Any, filled: None) -> None:
    from typer.testing import CliRunner

    from balancedue.cli import app

    runner = CliRunner()
    result = benchmark.pedantic(
        runner.invoke, args=(app, ["case", "list", "--today", TODAY.isoformat()]), rounds=5, iterations=1,
        warmup_rounds=1,
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) > CASES
    mean = benchmark.stats.stats.mean
    print(f"\ncase list, {CASES:,} cases: {mean:.3f} s (target under 0.5 s)")


def test_bench_case_list_as_a_process(benchmark: Any, filled: None) -> None:
    """The same list as a new process: interpreter and imports included (compare ``--version``)."""
    import subprocess

    from case_harness import sqlite_path

    cli = str(Path(sys.executable).with_name("balancedue"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BALANCEDUE_DATA_DIR"] = str(sqlite_path().parent)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([cli, *args], env=env, capture_output=True, check=True)

    import time

    started = time.perf_counter()
    run("--version")
    start_up = time.perf_counter() - started
    benchmark.pedantic(run, args=("case", "list", "--today", TODAY.isoformat()), rounds=3, iterations=1)
    mean = benchmark.stats.stats.mean
    print(f"\ncase list as a process, {CASES:,} cases: {mean:.3f} s (of which start-up, as for --version: {start_up:.3f} s)")


def _pdf_of_about(size: int) -> bytes:
    """A one-page 'scanned' PDF whose page is an incompressible picture of about ``size`` bytes."""
    from PIL import Image
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    side = int((size / 3 / 1.25) ** 0.5)  # the PDF stores the picture in ASCII85: a quarter larger
    picture = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER)
    canvas.drawImage(ImageReader(picture), 36, 36, width=540, height=540)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_bench_add_a_five_megabyte_document(benchmark: Any, filled: None, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings
    from typer.testing import CliRunner

    from balancedue.cli import app

    monkeypatch.setattr(settings, "DOCUMENTS_DIR", tmp_path / "documents")
    base = _pdf_of_about(DOCUMENT_BYTES)
    runner = CliRunner()
    counter = iter(range(1_000))

    def new_file() -> tuple[tuple[Any, ...], dict[str, Any]]:
        path = tmp_path / f"statement-{next(counter)}.pdf"
        path.write_bytes(base + b"\n%" + os.urandom(16).hex().encode())  # distinct bytes each round
        return (app, ["case", "add-doc", "1", str(path), "--kind", "proof-of-payment"]), {}

    result = benchmark.pedantic(runner.invoke, setup=new_file, rounds=5, iterations=1)
    assert result.exit_code == 0, result.output
    mean = benchmark.stats.stats.mean
    print(f"\ncase add-doc, {len(base) / 2**20:.1f} MB PDF: {mean:.3f} s (target under 1 s)")
