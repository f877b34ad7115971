"""Intake speed: median time per text PDF and per photo page, and the peak memory of an OCR run.

Targets from the issue (reported, never asserted): <= 0.3 s per text PDF, <= 5 s per photo page
on 2 cores.
"""

from __future__ import annotations

import resource
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import make_notices  # noqa: E402

from balancedue.intake import read_document  # noqa: E402
from balancedue.intake.ocr import warm_up  # noqa: E402
from balancedue.rules import load_rules  # noqa: E402

RULES = load_rules()


@pytest.fixture(scope="module")
def corpus() -> tuple[Path, list[dict[str, Any]]]:
    return make_notices.DEFAULT_OUTPUT, make_notices.build_corpus()


def _files(corpus: tuple[Path, list[dict[str, Any]]], kind: str, count: int) -> list[Path]:
    folder, items = corpus
    return [folder / i["file"] for i in items if i["kind"] == kind and "huge" not in i["tags"]][:count]


def test_text_pdf(benchmark: Any, capsys: Any, corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    files = _files(corpus, "text_pdf", 10)
    state = {"n": 0}

    def read_one() -> None:
        read_document(files[state["n"] % len(files)], rules=RULES)
        state["n"] += 1

    benchmark.pedantic(read_one, rounds=30, iterations=1, warmup_rounds=2)
    with capsys.disabled():
        print(f"\nmedian per text PDF: {benchmark.stats.stats.median:.3f} s (target <= 0.3 s)")


def test_photo_page(benchmark: Any, capsys: Any, corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    files = _files(corpus, "photo", 5)
    warm_up()
    state = {"n": 0}

    def read_one() -> None:
        read_document(files[state["n"] % len(files)], rules=RULES)
        state["n"] += 1

    benchmark.pedantic(read_one, rounds=5, iterations=1, warmup_rounds=0)
    with capsys.disabled():
        print(f"\nmedian per photo page: {benchmark.stats.stats.median:.2f} s (target <= 5 s on 2 cores)")


def test_ocr_peak_memory(benchmark: Any, capsys: Any, corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    photo = _files(corpus, "photo", 1)[0]
    warm_up()

    def read_traced() -> int:
        tracemalloc.start()
        read_document(photo, rules=RULES)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    peak = benchmark.pedantic(read_traced, rounds=1, iterations=1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    with capsys.disabled():
        print(f"\nOCR run: peak Python allocations {peak / 1e6:.0f} MB; process peak RSS {rss / 1024:.0f} MB")


def test_huge_photo(benchmark: Any, capsys: Any, corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, items = corpus
    huge = next(folder / i["file"] for i in items if "huge" in i["tags"])
    warm_up()
    benchmark.pedantic(lambda: read_document(huge, rules=RULES), rounds=1, iterations=1)
    with capsys.disabled():
        print(f"\n50-megapixel photo: {benchmark.stats.stats.median:.2f} s")
