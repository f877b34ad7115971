"""Field accuracy on the generated corpus, with the per-field table printed.

The ground truth comes from the generator (tests/fixtures/make_notices.py), which draws every
figure itself; the reader never sees it.  The corpus holds the classic layout and the layouts of
real text layers (labels above values, label and value blocks, repeated headers, distant
totals, en-dash negatives, flattened two-column headers, OCR confusions), and photos that
include a light page on a light surface.  Targets: at least 99% of fields exact on text, at
least 97% on photos, never a wrong value with high confidence, and values read with "high"
confidence right at least 99% of the time (the calibration table).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from notices.evaluate import Tally

from balancedue.intake import HIGH_CONFIDENCE, read_document
from balancedue.rules import load_rules

RULES = load_rules()

TEXT_PDF_TARGET = 0.99
PHOTO_TARGET = 0.97
HIGH_BAND_TARGET = 0.99


def _measure(corpus: tuple[Path, list[dict[str, Any]]], kinds: set[str], tag: str | None = None) -> Tally:
    folder, items = corpus
    tally = Tally()
    for item in items:
        if item["kind"] not in kinds or (tag is not None and tag not in item["tags"]):
            continue
        notice = read_document(folder / item["file"], rules=RULES)
        tally.add(item["file"], item["truth"], notice.fields, HIGH_CONFIDENCE)
        tally.add_periods(item["periods"], notice.tax_periods)
    return tally


def _report(tally: Tally, title: str) -> None:
    print()
    print(tally.table(title))
    print(tally.calibration(title))
    for miss in tally.misses:
        print(f"  miss: {miss}")


def test_text_pdfs_and_pasted_text(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    tally = _measure(corpus, {"text_pdf", "text"})
    _report(tally, "Text PDFs and pasted text")
    assert tally.fields_total >= 16 * 40
    assert not tally.confident_wrong, "\n".join(tally.confident_wrong)
    assert tally.accuracy >= TEXT_PDF_TARGET
    assert tally.periods_right == tally.periods_total
    assert tally.band_accuracy("high") >= HIGH_BAND_TARGET


def test_real_layout_families_on_text(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    tally = _measure(corpus, {"text_pdf", "text"}, tag="real_layout")
    _report(tally, "Real text-layer layouts (text PDFs and pasted text)")
    _, items = corpus
    families = {tag for item in items if "real_layout" in item["tags"] for tag in item["tags"]}
    assert families >= {
        "label_next_line", "label_block", "repeated_header", "distant_total", "en_dash", "flattened_header", "ocr_confusions",
    }
    assert tally.fields_total >= 16 * 40
    assert not tally.confident_wrong, "\n".join(tally.confident_wrong)
    assert tally.accuracy >= TEXT_PDF_TARGET


@pytest.mark.slow
def test_degraded_photos(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    tally = _measure(corpus, {"photo"})
    _report(tally, "Degraded photos (OCR)")
    assert tally.fields_total >= 16 * 20
    assert not tally.confident_wrong, "\n".join(tally.confident_wrong)
    assert tally.accuracy >= PHOTO_TARGET
    assert tally.band_accuracy("high") >= HIGH_BAND_TARGET
    light = _measure(corpus, {"photo"}, tag="light_surface")
    _report(light, "Light page on a light surface")
    assert light.fields_total >= 16 * 5
    assert not light.confident_wrong
    assert light.accuracy >= PHOTO_TARGET


def test_every_catalog_code_is_in_the_corpus(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    from balancedue.rules import load_rules

    _, items = corpus
    covered = {item["code"] for item in items if item["kind"] == "text_pdf"}
    assert set(load_rules().notices.codes) <= covered
