"""The IRS's own sample notices, read as a user would paste them, against what they print.

Seven text layers of official IRS sample notices (tests/fixtures/real_notices/, with their
provenance) and a truth file that lists the values printed on each.  Every printed field must
be read exactly, and a field the truth leaves out must come back as not found.  The per-field
table is printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from balancedue.intake import read_document
from balancedue.intake.confidence import band
from balancedue.rules import load_rules

RULES = load_rules()

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "real_notices"
TRUTH: dict[str, dict[str, Any]] = json.loads((FOLDER / "truth.json").read_text(encoding="utf-8"))
FIELDS = ("notice_code", "tax_year", "notice_date", "amount_due", "pay_by_date", "tax_form")


def _text(value: object) -> str | int | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return str(value) if not hasattr(value, "isoformat") else value.isoformat()  # type: ignore[attr-defined]


def _read(name: str) -> dict[str, str | int | None]:
    notice = read_document(FOLDER / name, rules=RULES)
    return {field: _text(getattr(notice, field).value) for field in FIELDS}


def test_calibration_on_the_real_samples() -> None:
    """Values read from the real samples, right per confidence band; "high" must be right."""
    tally: dict[str, list[int]] = {}
    for name, truth in sorted(TRUTH.items()):
        notice = read_document(FOLDER / name, rules=RULES)
        for field in FIELDS:
            read = getattr(notice, field)
            if not read.found:
                continue
            right = _text(read.value) == truth.get(field)
            counts = tally.setdefault(str(band(read.confidence)), [0, 0])
            counts[0] += right
            counts[1] += 1
    print()
    print(f"{'band':<10}{'right':>7}{'read':>6}")
    for name in ("high", "medium", "low"):
        right, read_count = tally.get(name, [0, 0])
        print(f"{name:<10}{right:>7}{read_count:>6}")
    right, read_count = tally.get("high", [0, 0])
    assert read_count >= 25  # 28 values are printed; CP161 prints two notice dates, so that one is low
    assert right == read_count


def test_the_fixtures_are_the_seven_samples() -> None:
    assert sorted(TRUTH) == sorted(p.name for p in FOLDER.glob("*.txt"))
    assert len(TRUTH) == 7


def test_every_printed_field_exact_and_nothing_invented() -> None:
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for name, truth in sorted(TRUTH.items()):
        read = _read(name)
        for field in FIELDS:
            expected = truth.get(field)
            total[field] += 1
            if read[field] == expected:
                right[field] += 1
            else:
                misses.append(f"{name}: {field} expected {expected!r}, read {read[field]!r}")
    print()
    print(f"{'field':<14}{'right':>7}{'of':>5}")
    for field in FIELDS:
        print(f"{field:<14}{right[field]:>7}{total[field]:>5}")
    print(f"{'all fields':<14}{sum(right.values()):>7}{sum(total.values()):>5}")
    for miss in misses:
        print("  miss:", miss)
    assert not misses


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_each_sample_is_read_as_an_irs_notice(name: str) -> None:
    notice = read_document(FOLDER / name, rules=RULES)
    assert notice.notice_code.found
