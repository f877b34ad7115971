"""A case deadline as a calendar event, for one person's calendar and for a practice's feed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from balancedue.cases.records import CaseRecord, CaseStatus, ClientRecord, DeadlineRecord
from balancedue.services.deadline_events import deadline_event

CASE = CaseRecord(
    number=7, uid="c0ffee", client=ClientRecord(name="Rosa Example"), title="CP14 for 2023", tax_year=2023,
    tax_periods=(), notice_codes=("CP14",), notice_id=None, notice_date=date(2025, 6, 2),
    date_received=date(2025, 6, 5), status=CaseStatus.OPEN, amount_due=Decimal("4076.99"), reply_address=(),
    created_at=datetime(2025, 6, 5, tzinfo=UTC), journal_length=1, journal_head="0" * 64,
)
DEADLINE = DeadlineRecord(
    number=2, what="Pay the amount due", due=date(2025, 6, 23), tag="pay", basis="21 days from the notice date",
    consequence="interest and the failure-to-pay penalty keep running", rule="cp14_pay",
    source="IRC 6601(e)(3)", computed_due=date(2025, 6, 23),
)


def test_a_persons_calendar_names_the_case_command_and_the_source() -> None:
    event = deadline_event(CASE, DEADLINE)
    assert event.uid == "c0ffee-2@balancedue"
    assert event.title == "Pay the amount due (case 7)"
    assert event.due == date(2025, 6, 23)
    assert event.description.splitlines() == [
        "21 days from the notice date",
        "If missed: interest and the failure-to-pay penalty keep running",
        "Source: IRC 6601(e)(3)",
        "Case 7: CP14 for 2023 (balancedue case show 7)",
    ]


def test_a_practice_feed_names_the_client_and_keeps_the_source() -> None:
    event = deadline_event(CASE, DEADLINE, practice=True)
    assert event.title == "Pay the amount due (Rosa Example, case 7)"
    assert event.description.splitlines()[-2:] == ["Source: IRC 6601(e)(3)", "Case 7: CP14 for 2023 (Rosa Example)"]


def test_a_deadline_with_nothing_said_of_missing_it_has_no_such_line() -> None:
    quiet = DeadlineRecord(**{**{f: getattr(DEADLINE, f) for f in DeadlineRecord.__dataclass_fields__}, "consequence": None})
    assert not any(line.startswith("If missed") for line in deadline_event(CASE, quiet).description.splitlines())
