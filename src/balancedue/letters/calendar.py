"""Deadlines as an iCalendar file, with reminders before each one.

Each deadline becomes one all-day event with a display alarm at 09:00 a set number of days
before (7 and 2 by default).  For an all-day event the alarm trigger counts from midnight at
the start of the day, so "7 days before at 09:00" is written ``-P6DT15H``.  The output depends
only on the arguments: events are sorted, their UIDs are the caller's (or :func:`stable_uid`),
and the DTSTAMP is passed in rather than read from a clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from icalendar import Alarm, Calendar, Event

from balancedue.errors import InputError
from balancedue.letters.validation import refuse_full_ids

PRODID = "-//balancedue//IRS notice deadlines//EN"
UID_DOMAIN = "balancedue"
REMINDER_TIME = time(9, 0)  # not law: when the reminder shows on its day
DEFAULT_REMINDER_DAYS = (7, 2)  # not law: how many days ahead the reminders show


@dataclass(frozen=True)
class CalendarDeadline:
    """One dated thing to do, as it goes into the calendar."""

    uid: str  # stable across runs: the same deadline keeps the same uid
    title: str
    due: date
    description: str
    tag: str = ""  # "hard", "soft", "estimated"...: written as the event's category


def stable_uid(*parts: object) -> str:
    """A UID that is the same every time for the same parts (a case id, a rule id, a date)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()
    return f"{digest[:24]}@{UID_DOMAIN}"


def reminder_trigger(days_before: int, at: time = REMINDER_TIME) -> timedelta:
    """The alarm offset from the start of an all-day event for ``days_before`` days at ``at``."""
    return -timedelta(days=days_before) + timedelta(hours=at.hour, minutes=at.minute)


def _check(events: Sequence[CalendarDeadline], reminder_days: Sequence[int]) -> None:
    if any(days < 1 for days in reminder_days) or len(set(reminder_days)) != len(reminder_days):
        raise InputError(f"reminder days {tuple(reminder_days)} must be different whole days, 1 or more")
    seen: set[str] = set()
    for event in events:
        if not event.uid.strip() or not event.title.strip():
            raise InputError(f"calendar deadline due {event.due.isoformat()} needs a uid and a title")
        if event.uid in seen:
            raise InputError(f"calendar deadline uid {event.uid!r} is used twice; each deadline needs its own")
        seen.add(event.uid)
        refuse_full_ids(f"{event.title}\n{event.description}", f"calendar deadline {event.uid!r}")


def _uid(uid: str) -> str:
    return uid if "@" in uid else f"{uid}@{UID_DOMAIN}"


def build_calendar(
    events: Iterable[CalendarDeadline],
    reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS,
    name: str = "balancedue deadlines",
    *,
    stamp: datetime,
) -> bytes:
    """An iCalendar (RFC 5545) file with one all-day event and its reminders per deadline.

    ``stamp`` is written as every event's DTSTAMP (the time the file is made); it must carry a
    time zone and is written in UTC.
    """
    if stamp.tzinfo is None or stamp.utcoffset() is None:
        raise InputError("calendar stamp must carry a time zone (for example UTC)")
    ordered = sorted(events, key=lambda e: (e.due, e.uid))
    _check(ordered, reminder_days)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    utc_stamp = stamp.astimezone(UTC)
    for deadline in ordered:
        event = Event()
        event.add("uid", _uid(deadline.uid))
        event.add("dtstamp", utc_stamp)
        event.add("dtstart", deadline.due)
        event.add("dtend", deadline.due + timedelta(days=1))
        event.add("summary", deadline.title)
        if deadline.description:
            event.add("description", deadline.description)
        if deadline.tag:
            event.add("categories", [deadline.tag])
        event.add("transp", "TRANSPARENT")
        for days in sorted(reminder_days, reverse=True):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{deadline.title}: due in {days} days ({deadline.due.isoformat()})")
            alarm.add("trigger", reminder_trigger(days))
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def reminders_due(
    events: Iterable[CalendarDeadline],
    today: date,
    reminder_days: Sequence[int] = DEFAULT_REMINDER_DAYS,
) -> list[tuple[CalendarDeadline, int]]:
    """Deadlines whose first reminder has come and whose day has not passed, with the days left.

    Soonest first; a deadline due today has 0 days left.
    """
    if not reminder_days:
        return []
    horizon = max(reminder_days)
    due = [(event, (event.due - today).days) for event in events]
    return sorted(
        ((event, left) for event, left in due if 0 <= left <= horizon),
        key=lambda pair: (pair[0].due, pair[0].uid),
    )
