"""The deadline calendar: read back with icalendar, the dates, reminders and UIDs hold."""

from __future__ import annotations

import sys as _sys
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path as _Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from balancedue.errors import InputError
from balancedue.letters import CalendarDeadline, build_calendar, reminders_due, stable_uid

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids

STAMP = datetime(2025, 6, 10, 14, 30, tzinfo=UTC)
CDP = CalendarDeadline(
    uid="case-7-cdp", title="Ask for a CDP hearing (Form 12153)", due=date(2025, 6, 20),
    description="Letter 1058 dated 2025-05-20; IRC 6330(a)(3)(B).", tag="hard",
)
PAY = CalendarDeadline(uid="case-7-pay", title="Pay by date on CP14", due=date(2025, 6, 2), description="", tag="soft")


def _events(ics: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def test_one_all_day_event_per_deadline_soonest_first() -> None:
    ics = build_calendar([CDP, PAY], stamp=STAMP)
    events = _events(ics)
    assert [str(e["UID"]) for e in events] == ["case-7-pay@balancedue", "case-7-cdp@balancedue"]
    cdp = events[1]
    assert cdp.decoded("DTSTART") == date(2025, 6, 20)
    assert cdp["DTSTART"].params["VALUE"] == "DATE"
    assert cdp.decoded("DTEND") == date(2025, 6, 21)
    assert str(cdp["SUMMARY"]) == CDP.title
    assert str(cdp["DESCRIPTION"]) == CDP.description
    assert cdp.decoded("DTSTAMP") == STAMP
    assert b"CATEGORIES:hard" in ics
    assert "DESCRIPTION" not in events[0]


def test_calendar_header() -> None:
    calendar = Calendar.from_ical(build_calendar([CDP], name="Case 7", stamp=STAMP))
    assert str(calendar["PRODID"]) == "-//balancedue//IRS notice deadlines//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Case 7"


def test_reminders_seven_and_two_days_before_at_nine() -> None:
    event = _events(build_calendar([CDP], stamp=STAMP))[0]
    alarms = list(event.walk("VALARM"))
    # All-day event: the trigger counts from midnight of the due day, so 7 days before at
    # 09:00 is -7 days + 9 hours = -P6DT15H, and 2 days before at 09:00 is -P1DT15H.
    assert [alarm["TRIGGER"].to_ical() for alarm in alarms] == [b"-P6DT15H", b"-P1DT15H"]
    assert all(str(alarm["ACTION"]) == "DISPLAY" for alarm in alarms)
    assert "due in 7 days (2025-06-20)" in str(alarms[0]["DESCRIPTION"])
    fire = [datetime.combine(CDP.due, time()) + alarm.decoded("TRIGGER") for alarm in alarms]
    # Floating local times: an all-day event's alarm fires at 09:00 wherever the user is.
    assert fire == [datetime(2025, 6, 13, 9, 0), datetime(2025, 6, 18, 9, 0)]  # noqa: DTZ001


def test_other_reminder_days() -> None:
    event = _events(build_calendar([CDP], reminder_days=(1,), stamp=STAMP))[0]
    assert [alarm["TRIGGER"].to_ical() for alarm in event.walk("VALARM")] == [b"-PT15H"]


def test_same_input_same_bytes_and_uids() -> None:
    first = build_calendar([CDP, PAY], stamp=STAMP)
    assert build_calendar([PAY, CDP], stamp=STAMP) == first
    assert stable_uid("case", 7, "rights.cdp.request_days") == stable_uid("case", 7, "rights.cdp.request_days")
    assert stable_uid("case", 7, "a") != stable_uid("case", 7, "b")
    assert stable_uid("x").endswith("@balancedue")


def test_stamp_is_written_in_utc() -> None:
    chicago_summer = timezone(timedelta(hours=-5))
    event = _events(build_calendar([CDP], stamp=datetime(2025, 6, 10, 9, 30, tzinfo=chicago_summer)))[0]
    assert event.decoded("DTSTAMP") == datetime(2025, 6, 10, 14, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("events", "kwargs", "words"),
    [
        ([CDP], {"stamp": datetime(2025, 6, 10, 9, 30)}, "time zone"),  # noqa: DTZ001
        ([CDP, CDP], {"stamp": STAMP}, "used twice"),
        ([CalendarDeadline("u", " ", date(2025, 1, 1), "")], {"stamp": STAMP}, "title"),
        ([CDP], {"stamp": STAMP, "reminder_days": (7, 7)}, "reminder days"),
        ([CDP], {"stamp": STAMP, "reminder_days": (0,)}, "reminder days"),
        (
            [CalendarDeadline("u", f"Call about SSN {sample_ids.THIRD_SSN}", date(2025, 1, 1), "")],
            {"stamp": STAMP},
            "full taxpayer id",
        ),
    ],
)
def test_refusals(events: list[CalendarDeadline], kwargs: dict[str, object], words: str) -> None:
    with pytest.raises(InputError, match=words):
        build_calendar(events, **kwargs)  # type: ignore[arg-type]


def test_reminders_due_for_case_list() -> None:
    today = date(2025, 6, 13)
    later = CalendarDeadline("later", "Later", date(2025, 6, 21), "")
    past = CalendarDeadline("past", "Past", date(2025, 6, 12), "")
    due_today = CalendarDeadline("today", "Today", today, "")
    found = reminders_due([later, CDP, past, due_today], today)
    # 2025-06-20 is 7 days after 2025-06-13; 2025-06-21 is 8 days, past the first reminder.
    assert [(event.uid, left) for event, left in found] == [("today", 0), ("case-7-cdp", 7)]
    assert reminders_due([CDP], today, reminder_days=(2,)) == []
    assert reminders_due([CDP], today, reminder_days=()) == []


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2100, 12, 30)))
def test_any_deadline_date_round_trips(due: date) -> None:
    deadline = CalendarDeadline(uid="p", title="Deadline", due=due, description="")
    event = _events(build_calendar([deadline], stamp=STAMP))[0]
    assert event.decoded("DTSTART") == due
    assert event.decoded("DTEND") == due + timedelta(days=1)
    fires = [datetime.combine(due, time()) + alarm.decoded("TRIGGER") for alarm in event.walk("VALARM")]
    assert fires == [
        datetime.combine(due - timedelta(days=7), time(9)),
        datetime.combine(due - timedelta(days=2), time(9)),
    ]
