"""How fast the case store is (measured and printed, never asserted).

The issue's targets: ``case list`` with 10,000 cases under 0.5 s; adding a 5 MB document under
1 s.  Both run the command in-process (no interpreter start-up) on SQLite in a temporary folder.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cases"))

from case_harness import reset_database, setup_django

from benchmarks.case_fill import TODAY
from benchmarks.case_fill import fill as _fill

CASES = 10_000
DOCUMENT_BYTES = 5 * 1024 * 1024


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
