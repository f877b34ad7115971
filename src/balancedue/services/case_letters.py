"""Letters and calendars from a case.

``balancedue letter KIND CASE`` fills a letter from what the case knows (taxpayer, notice, tax
year, IRS reply address, amount), has :mod:`balancedue.letters` render it to PDF and DOCX,
writes both files, keeps them in the case as correspondence and records a ``letter`` entry with
its enclosures.  ``balancedue calendar`` turns deadlines into an iCalendar file with reminders
7 and 2 days before each one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from balancedue.cases.records import (
    REMINDER_DAYS,
    CaseFile,
    DocumentKind,
    DocumentRecord,
    JournalKind,
    JournalRecord,
    NewDocument,
)
from balancedue.errors import InputError
from balancedue.services.cases import clean_text, store

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _letters() -> Any:
    """The letter renderer (imported when first needed)."""
    import balancedue.letters as letters  # type: ignore[import-not-found, unused-ignore]

    return letters


def letter_kinds() -> list[str]:
    """The kinds of letter that can be written."""
    return [kind.value for kind in _letters().LetterKind]


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.part")
    with temp.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temp, path)


def letter_context(
    case_file: CaseFile,
    kind: str,
    *,
    today: date,
    facts: str | None = None,
    requests: Sequence[str] = (),
    enclosures: Sequence[str] = (),
    signature_name: str | None = None,
) -> Any:
    """What the letter needs, taken from the case; only the last four digits of the id."""
    letters = _letters()
    try:
        letter_kind = letters.LetterKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in letters.LetterKind)
        raise InputError(f"unknown letter kind {kind!r}; the kinds are {known}") from None
    case = case_file.case
    period = case.tax_periods[0] if case.tax_periods else None
    return letters.LetterContext(
        kind=letter_kind,
        today=today,
        taxpayer_name=case.client.name,
        taxpayer_address=tuple(case.client.address),
        taxpayer_id_last4=case.client.id_last4,
        tax_year=case.tax_year,
        tax_form=period.tax_form if period else None,
        notice_code=case.notice_codes[-1] if case.notice_codes else None,
        notice_date=case.notice_date,
        notice_id=case.notice_id,
        irs_address=tuple(case.reply_address),
        amount_due=case.amount_due,
        facts=clean_text(facts, "facts", limit=20_000) or "",
        requests=tuple(filter(None, (clean_text(r, "request", limit=1000) for r in requests))),
        enclosures=tuple(filter(None, (clean_text(e, "enclosure", limit=200) for e in enclosures))),
        signature_name=clean_text(signature_name, "signature name", limit=200) or case.client.name,
    )


@dataclass(frozen=True, slots=True)
class WrittenLetter:
    """A letter written from a case: the files, the stored documents and the journal entry."""

    case_number: int
    files: tuple[Path, ...]
    documents: tuple[DocumentRecord, ...]
    entry: JournalRecord
    text: str


def write_letter(
    ref: str,
    kind: str,
    *,
    today: date,
    out_dir: Path,
    facts: str | None = None,
    requests: Sequence[str] = (),
    enclosures: Sequence[str] = (),
    signature_name: str | None = None,
) -> WrittenLetter:
    """Render the letter, write its PDF and DOCX to ``out_dir`` and keep both in the case."""
    case_store = store()
    case_file = case_store.case_file(ref)
    context = letter_context(
        case_file, kind, today=today, facts=facts, requests=requests, enclosures=enclosures,
        signature_name=signature_name,
    )
    rendered = _letters().render_letter(context)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_path = out_dir / f"{rendered.filename_stem}.pdf"
    docx_path = out_dir / f"{rendered.filename_stem}.docx"
    _atomic_write(pdf_path, rendered.pdf)
    _atomic_write(docx_path, rendered.docx)
    documents, entry = case_store.add_documents_with_entry(
        case_file.case.number,
        [
            NewDocument(rendered.pdf, DocumentKind.CORRESPONDENCE, pdf_path.name, PDF_TYPE, rendered.text),
            NewDocument(rendered.docx, DocumentKind.CORRESPONDENCE, docx_path.name, DOCX_TYPE, ""),
        ],
        JournalKind.LETTER,
        {
            "letter_kind": str(context.kind.value),
            "written_on": today.isoformat(),
            "enclosures": list(context.enclosures),
            "requests": list(context.requests),
        },
    )
    return WrittenLetter(case_file.case.number, (pdf_path, docx_path), tuple(documents), entry, rendered.text)


@dataclass(frozen=True, slots=True)
class WrittenCalendar:
    """The calendar file and how many deadlines it holds."""

    path: Path
    events: int


def calendar_events(ref: str | None = None) -> list[Any]:
    """One calendar event per deadline of the case (or of every open case)."""
    from balancedue.letters.calendar import CalendarDeadline  # type: ignore[import-not-found, unused-ignore]

    events = []
    for case, deadline in store().deadlines(ref):
        details = [deadline.basis]
        if deadline.consequence:
            details.append(f"If missed: {deadline.consequence}")
        if deadline.source:
            details.append(f"Source: {deadline.source}")
        details.append(f"Case {case.number}: {case.title} (balancedue case show {case.number})")
        events.append(
            CalendarDeadline(
                uid=f"{case.uid}-{deadline.number}@balancedue",
                title=f"{deadline.what} - case {case.number}",
                due=deadline.due,
                description="\n".join(details),
            )
        )
    return events


def write_calendar(out: Path, ref: str | None = None) -> WrittenCalendar:
    """Write every deadline as an .ics file, with reminders 7 and 2 days before each."""
    from balancedue.letters.calendar import build_calendar  # type: ignore[import-not-found, unused-ignore]

    events = calendar_events(ref)
    if not events:
        raise InputError("there are no deadlines to put in a calendar" + (f" in case {ref}" if ref else " in open cases"))
    out.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(out, build_calendar(events, reminder_days=REMINDER_DAYS))
    return WrittenCalendar(out, len(events))
