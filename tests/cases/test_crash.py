"""``kill -9`` in the middle of ``case add-doc`` leaves the database and the document folder consistent.

The rule (see balancedue.cases.blobs): a document row exists only once its file is complete and
in place; a crash before the row commits leaves at most an orphan file, which ``case verify``
reports as harmless.  The command runs in a subprocess, which is stopped at each named point
(``BALANCEDUE_TEST_PAUSE_AT``) and also at random moments, then killed with SIGKILL.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from balancedue.cases.blobs import PAUSE_POINTS

CLI = Path(sys.executable).with_name("balancedue")
pytestmark = pytest.mark.slow


def _env(data_dir: Path, pause: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALANCEDUE_TEST_PAUSE_AT")}
    env["BALANCEDUE_DATA_DIR"] = str(data_dir)
    if pause:
        env["BALANCEDUE_TEST_PAUSE_AT"] = pause
    return env


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLI), *args], env=_env(data_dir), capture_output=True, text=True, timeout=120, check=False)


def _open_case(data_dir: Path, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "Department of the Treasury\nInternal Revenue Service\nNotice CP14\nNotice date June 2, 2025\n"
        "Tax year 2024\nAmount due by June 23, 2025: $1,523.40\nBalance due\n",
        encoding="utf-8",
    )
    result = _run(data_dir, "case", "new", "--notice", str(notice), "--client", "Avery Tester", "--today", "2025-06-05")
    assert result.returncode == 0, result.stderr


def _consistent(data_dir: Path) -> tuple[int, int]:
    """Every document row has its complete file; return (rows, orphan files)."""
    connection = sqlite3.connect(data_dir / "balancedue.sqlite3")
    try:
        rows = connection.execute("SELECT sha256, size FROM cases_document").fetchall()
    finally:
        connection.close()
    documents = data_dir / "documents"
    named = set()
    for sha, size in rows:
        path = documents / sha[:2] / sha[2:4] / sha
        assert path.is_file(), f"row {sha[:12]} has no file"
        data = path.read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (sha, size), f"row {sha[:12]} has a damaged file"
        named.add(sha)
    files = [p for p in documents.rglob("*") if p.is_file()]
    orphans = [p for p in files if p.name not in named]
    return len(rows), len(orphans)


def _kill_when_paused(data_dir: Path, document: Path, point: str) -> None:
    process = subprocess.Popen(
        [str(CLI), "case", "add-doc", "1", str(document), "--kind", "return"],
        env=_env(data_dir, point), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.strip() == f"paused at {point}", line
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_kill_at_each_step_of_add_doc_leaves_the_store_consistent(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _open_case(data_dir, tmp_path)
    assert _consistent(data_dir) == (1, 0)  # the notice
    document = tmp_path / "return.pdf"
    document.write_bytes(b"%PDF-1.4\n" + os.urandom(256 * 1024))
    expected_orphans = {
        "document-temp-written": 1,   # the flushed temporary file
        "document-in-place": 2,       # plus the file under its hash, which no row names
        "document-row-written": 2,    # the row was never committed
    }
    assert set(expected_orphans) == set(PAUSE_POINTS)
    for point in PAUSE_POINTS:
        _kill_when_paused(data_dir, document, point)
        assert _consistent(data_dir) == (1, expected_orphans[point]), point

    verify = _run(data_dir, "case", "verify", "1")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "belong to no case" in verify.stdout
    assert "harmless" in verify.stdout
    added = _run(data_dir, "case", "add-doc", "1", str(document), "--kind", "return")
    assert added.returncode == 0, added.stderr
    assert _consistent(data_dir) == (2, 1)  # the same bytes now have their row; the temp file stays an orphan


def test_kills_at_random_moments_leave_the_store_consistent(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _open_case(data_dir, tmp_path)
    rng = random.Random(20250610)

    def statement(number: int) -> Path:
        path = tmp_path / f"statement-{number}.pdf"
        path.write_bytes(b"%PDF-1.4\n" + rng.randbytes(24 * 1024 * 1024))
        return path

    # How long one add takes here, start to end; the kills fall in its last part, where the
    # bytes are copied and the row is written (the start is spent importing).
    started = time.monotonic()
    assert _run(data_dir, "case", "add-doc", "1", str(statement(0)), "--kind", "proof-of-payment").returncode == 0
    duration = time.monotonic() - started
    rows_before, _ = _consistent(data_dir)
    outcomes = []
    for attempt in range(1, 6):
        process = subprocess.Popen(
            [str(CLI), "case", "add-doc", "1", str(statement(attempt)), "--kind", "proof-of-payment"],
            env=_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(max(0.0, duration - 0.5), duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        rows, orphans = _consistent(data_dir)
        assert rows in (rows_before, rows_before + 1)
        outcomes.append((rows - rows_before, orphans))
        rows_before = rows
    print(f"add-doc takes {duration:.2f} s; kills gave (rows added, orphan files): {outcomes}")
    verify = _run(data_dir, "case", "verify", "1")
    assert verify.returncode == 0, verify.stdout + verify.stderr
