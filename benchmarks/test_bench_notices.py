"""How fast a notice card is found, as typed by a user (measured, never asserted)."""

from __future__ import annotations

from typing import Any

from balancedue.rules import load_rules


def test_bench_notice_lookup_by_alias(benchmark: Any) -> None:
    catalog = load_rules().notices
    entry = benchmark(catalog.get, "Letter 1058")
    assert entry.code.value == "LTR1058"


def test_bench_notice_suggestions_for_a_typo(benchmark: Any) -> None:
    catalog = load_rules().notices
    suggestions = benchmark(catalog.suggest, "CP5O4")
    assert suggestions
