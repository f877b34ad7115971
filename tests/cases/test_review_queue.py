"""The review queue of batch intake: confirm, correct (journaled, deadlines moved) and assign."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from balancedue.errors import InputError

NOTICE = (
    "Department of the Treasury\nInternal Revenue Service\nNotice CP14\nNotice date June 2, 2025\n"
    "Tax year 2024\nTaxpayer ID number: XXX-XX-4821\nAmount due by June 23, 2025: $1,523.40\nBalance due\n"
)
TODAY = date(2025, 6, 10)


def _rules() -> Any:
    from balancedue.rules import load_rules

    return load_rules()


def _take_in(data_dir: Path, client: str = "") -> str:
    """Register a text notice as a batch does and file it in this process; its hash."""
    from balancedue.cases.blobs import hash_file
    from balancedue.services import batch

    path = data_dir / "cp14.txt"
    path.write_text(NOTICE, encoding="utf-8")
    sha, _ = hash_file(path)
    intake = batch._intake()
    intake.cases.documents.put_file(path)
    intake.register(sha, path.name, client, TODAY)
    batch.file_notice(sha, _rules())
    return sha


def test_a_notice_without_a_client_waits_then_is_assigned(data_dir: Path) -> None:
    from balancedue.services import review

    sha = _take_in(data_dir)
    queue = review.review_queue()
    assert [n.id_last4 for n in queue.needs_client] == ["4821"]
    where = review.assign(str(queue.needs_client[0].number), "Avery Tester", _rules())
    assert where == "case 1"
    assert review.review_queue().needs_client == ()
    with pytest.raises(InputError):
        review.assign(sha[:12], "Someone Else", _rules())  # already filed


def _field_to_check(sha: str, field: str, value: str) -> int:
    """A field read below high confidence, as the batch records one."""
    from balancedue.cases.models import IntakeItem, ReviewField

    item = IntakeItem.objects.get(sha256=sha)
    return int(ReviewField.objects.create(item=item, case_id=item.case_id, field=field, value=value, confidence=0.7).pk)


def test_correcting_the_pay_by_date_moves_its_deadline_and_is_journaled(data_dir: Path) -> None:
    from balancedue.services import cases, review

    sha = _take_in(data_dir, client="Avery Tester")
    before = {d.what: d.due for d in cases.show_case("1").deadlines}
    # Read from the notice: pay by June 23, 2025, and 21 days after the June 2 notice date (also June 23).
    assert date(2025, 6, 23) in before.values()
    number = _field_to_check(sha, "pay_by_date", "2025-06-23")
    done = review.correct(number, "2025-06-30", reason="the notice says June 30", today=TODAY, rules=_rules())
    assert done.old == "2025-06-23"
    assert done.new == "2025-06-30"
    assert len(done.moved) == 1
    assert done.moved[0].endswith("2025-06-23 -> 2025-06-30")
    after = cases.show_case("1")
    moved = [d for d in after.deadlines if d.due == date(2025, 6, 30)]
    assert len(moved) == 1
    assert "corrected" in (moved[0].changed_reason or "")
    kinds = [e.kind for e in after.journal]
    assert kinds[-2:] == ["note", "deadline"]
    assert after.journal[-2].payload["notice_fields"] == {"pay_by_date": "2025-06-30"}
    assert review.review_queue().fields == ()
    assert cases.verify_case("1").problems == ()
    with pytest.raises(InputError):
        review.correct(number, "2025-07-01", reason="again", today=TODAY, rules=_rules())


def test_confirming_a_field_keeps_the_dates_and_says_so_in_the_journal(data_dir: Path) -> None:
    from balancedue.services import cases, review

    sha = _take_in(data_dir, client="Avery Tester")
    number = _field_to_check(sha, "amount_due", "1523.40")
    dues = [d.due for d in cases.show_case("1").deadlines]
    review.confirm(number)
    after = cases.show_case("1")
    assert [d.due for d in after.deadlines] == dues
    assert "is right" in after.journal[-1].payload["text"]
    with pytest.raises(InputError):
        review.correct(number, "abc", reason="x", today=TODAY, rules=_rules())


def test_a_wrong_value_is_refused_with_one_clear_line(data_dir: Path) -> None:
    from balancedue.services import review

    sha = _take_in(data_dir, client="Avery Tester")
    number = _field_to_check(sha, "notice_date", "2025-06-02")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        review.correct(number, "June 3", reason="x", today=TODAY, rules=_rules())
    assert len(review.review_queue().fields) == 1
