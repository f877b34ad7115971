"""Batch intake and the deadline desk, measured and printed (never asserted).

* A mailbag of BALANCEDUE_BENCH_NOTICES notices (default 1,000: 900 text PDFs and 100 photos,
  BALANCEDUE_BENCH_PHOTOS) through ``balancedue batch`` on SQLite with 1 and with 2 workers:
  notices per minute, the 2-worker/1-worker ratio and the peak memory (VmHWM) of each worker.
  The issue's target: the 1,000 in under 10 minutes with 2 workers.
* ``case list --due-within 7`` and the desk page with 10,000 cases: mean time of the command,
  and p50/p95 of the page (target: at most 0.5 s and p95 at most 200 ms).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "cases"))

from case_harness import reset_database, setup_django

from benchmarks.test_bench_cases import CASES, TODAY, _fill

CLI = Path(sys.executable).with_name("balancedue")
NOTICES = int(os.environ.get("BALANCEDUE_BENCH_NOTICES") or 1000)
PHOTOS = int(os.environ.get("BALANCEDUE_BENCH_PHOTOS") or NOTICES // 10)


def _peak_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _run_batch(folder: Path, client_map: Path, data: Path, workers: int) -> dict[str, Any]:
    import sqlite3

    if data.exists():
        shutil.rmtree(data)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(data)
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(CLI), "batch", str(folder), "--client-map", str(client_map), "--today", "2025-06-10", "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    peaks: dict[int, int] = {}
    while process.poll() is None:
        try:
            connection = sqlite3.connect(data / "balancedue.sqlite3", timeout=1)
            pids = [pid for (pid,) in connection.execute("SELECT pid FROM cases_workerbeat")]
            connection.close()
        except sqlite3.Error:
            pids = []
        for pid in pids:
            peaks[pid] = max(peaks.get(pid, 0), _peak_kib(pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    connection = sqlite3.connect(data / "balancedue.sqlite3")
    counts = dict(connection.execute("SELECT status, COUNT(*) FROM cases_intakeitem GROUP BY status").fetchall())
    connection.close()
    return {"seconds": seconds, "counts": counts, "peak_mib": [round(v / 1024) for v in peaks.values()], "exit": process.returncode}


def test_bench_a_mailbag_with_one_and_two_workers(benchmark: Any, tmp_path: Path) -> None:
    from batch_corpus import build

    expected, client_map = build(tmp_path / "mail", total=NOTICES, photos=PHOTOS)
    figures = {}
    results = {}

    def both() -> None:
        for workers in (1, 2):
            results[workers] = _run_batch(tmp_path / "mail", client_map, tmp_path / f"data-{workers}", workers)

    benchmark.pedantic(both, rounds=1, iterations=1)
    for workers in (1, 2):
        result = results[workers]
        per_minute = len(expected) / result["seconds"] * 60
        figures[workers] = per_minute
        print(
            f"\nbatch of {len(expected)} files ({PHOTOS} photos), {workers} worker(s): {result['seconds']:.1f} s, "
            f"{per_minute:.0f} notices/min, outcomes {result['counts']}, peak memory per worker (MiB) {result['peak_mib']}, "
            f"exit {result['exit']}"
        )
    print(f"2-worker/1-worker ratio: {figures[2] / figures[1]:.2f}")


@pytest.fixture(scope="module")
def ten_thousand_cases() -> None:
    setup_django()
    reset_database("default")
    _fill(CASES)


def test_bench_case_list_due_within_seven_days(benchmark: Any, ten_thousand_cases: None) -> None:
    from typer.testing import CliRunner

    from balancedue.cli import app

    runner = CliRunner()
    result = benchmark.pedantic(
        runner.invoke, args=(app, ["case", "list", "--due-within", "7", "--today", TODAY.isoformat()]),
        rounds=5, iterations=1, warmup_rounds=1,
    )
    assert result.exit_code == 0, result.output
    print(f"\ncase list --due-within 7, {CASES:,} cases: {benchmark.stats.stats.mean:.3f} s (target at most 0.5 s)")


def test_bench_the_desk_page(benchmark: Any, ten_thousand_cases: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    monkeypatch.setattr(settings, "ALLOWED_HOSTS", [*settings.ALLOWED_HOSTS, "testserver"])
    monkeypatch.setattr(settings, "WEB_TODAY", TODAY.isoformat())
    user, _ = get_user_model().objects.get_or_create(username="bench-owner", defaults={"is_superuser": True})
    browser = Client()
    browser.force_login(user)
    assert browser.get("/desk").status_code == 200
    latencies: list[float] = []

    def one() -> None:
        started = time.perf_counter()
        response = browser.get("/desk")
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200

    benchmark.pedantic(one, rounds=20, iterations=1)
    latencies.sort()
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95) - 1]
    print(f"\ndesk page, {CASES:,} open cases (first page of 100): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
          f"(target p95 at most 200 ms)")
