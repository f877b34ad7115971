"""Transcript throughput: periods parsed and reconciled per second (target: 500 a second or more).

Run with `make bench`.  Every generated transcript (tests/fixtures/make_transcripts.py) is parsed,
turned into engine events, recomputed as of its accrual date and checked assessment by assessment,
and its CSED computed.  Speed is printed, never asserted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from balancedue.engine.csed import transcript_csed
from balancedue.engine.transcript_ledger import accrual_date, build_ledger, reconcile
from balancedue.intake.transcripts import parse_transcripts
from balancedue.rules import load_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures"))
import make_transcripts

ROUNDS = 20


def _run(texts: list[str]) -> int:
    rules = load_rules()
    periods = 0
    for text in texts:
        for transcript in parse_transcripts(text).accounts:
            ledger = build_ledger(transcript, rules)
            reconcile(transcript, rules, ledger)
            day = accrual_date(transcript) or transcript.tax_period
            transcript_csed(transcript.transactions, rules, day)
            periods += 1
    return periods


def test_bench_transcripts_parsed_and_reconciled(benchmark: Any) -> None:
    texts = [fixture.text() for fixture in make_transcripts.fixtures()]
    _run(texts)  # warm the rules cache

    def run() -> tuple[int, float]:
        started = time.perf_counter()
        periods = sum(_run(texts) for _ in range(ROUNDS))
        return periods, time.perf_counter() - started

    periods, elapsed = benchmark.pedantic(run, rounds=1, iterations=1)
    rate = periods / elapsed
    benchmark.extra_info.update({"periods": periods, "periods_per_second": round(rate)})
    print(f"\ntranscripts: {periods} periods parsed, reconciled and CSED-checked in {elapsed:.2f} s "
          f"= {rate:,.0f} periods/s (target >= 500)")
