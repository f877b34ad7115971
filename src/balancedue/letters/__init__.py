"""Letters to the IRS and the deadline calendar.

Pure rendering: a :class:`LetterContext` (the facts of a case) becomes a letter in plain text,
PDF and an editable DOCX; a list of :class:`CalendarDeadline` becomes an iCalendar file.  No
file is written here and no clock is read: the caller passes the date and saves the bytes.
Letters never show more of a taxpayer id than its last four digits.
"""

from __future__ import annotations

from balancedue.letters.calendar import (
    CalendarDeadline,
    build_calendar,
    reminder_trigger,
    reminders_due,
    stable_uid,
)
from balancedue.letters.compose import filename_stem, render_letter
from balancedue.letters.context import (
    Cp2000Position,
    HearingReason,
    IdKind,
    LetterContext,
    LetterKind,
    ReliefBasis,
    RenderedLetter,
)
from balancedue.letters.identifiers import find_full_ids, mask_id

__all__ = [
    "CalendarDeadline",
    "Cp2000Position",
    "HearingReason",
    "IdKind",
    "LetterContext",
    "LetterKind",
    "ReliefBasis",
    "RenderedLetter",
    "build_calendar",
    "filename_stem",
    "find_full_ids",
    "mask_id",
    "reminder_trigger",
    "reminders_due",
    "render_letter",
    "stable_uid",
]
