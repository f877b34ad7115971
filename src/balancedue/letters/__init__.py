"""Letters to the IRS and the deadline calendar.

Pure rendering: a :class:`LetterContext` (the facts of a case) becomes a letter in plain text,
PDF and an editable DOCX; a list of :class:`CalendarDeadline` becomes an iCalendar file.  No
file is written here and no clock is read: the caller passes the date and saves the bytes.
Letters never show more of a taxpayer id than its last four digits.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from balancedue.letters.calendar import (
        CalendarDeadline,
        build_calendar,
        reminder_trigger,
        reminders_due,
        stable_uid,
    )
    from balancedue.letters.compose import filename_stem, render_letter

# The renderers need ReportLab, python-docx and icalendar: they load when first used, so that
# reading a letter kind or a subject (the report, the web pages) does not load them.
_LAZY = {
    "CalendarDeadline": "calendar",
    "build_calendar": "calendar",
    "reminder_trigger": "calendar",
    "reminders_due": "calendar",
    "stable_uid": "calendar",
    "filename_stem": "compose",
    "render_letter": "compose",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


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
