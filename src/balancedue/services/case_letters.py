"""Letters and calendars from a case.

``balancedue letter KIND CASE`` fills a :class:`~balancedue.letters.LetterContext` from what the
case knows (taxpayer, notice, tax year, IRS reply address, amount), renders it to PDF and DOCX,
writes both files, keeps them in the case as correspondence and records a ``letter`` entry with
its enclosures - all in one step of the store.  ``balancedue calendar`` turns deadlines into an
iCalendar file with reminders 7 and 2 days before each one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from balancedue.cases.records import (
    REMINDER_DAYS,
    CaseFile,
    DocumentKind,
    DocumentRecord,
    JournalKind,
    JournalRecord,
    NewDocument,
)
from balancedue.engine.money import parse_money
from balancedue.errors import InputError
from balancedue.letters import (
    CalendarDeadline,
    IdKind,
    LetterContext,
    LetterKind,
    ReliefBasis,
    build_calendar,
    render_letter,
)
from balancedue.rules import RuleSet
from balancedue.services import return_check
from balancedue.services.cases import store
from balancedue.services.deadline_events import deadline_event
from balancedue.services.report_files import write_private
from balancedue.services.text import clean_text

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CDP_RULE = re.compile(r"cdp[._]request_days$")
"""Rule ids of the Collection Due Process request period (as in the notice catalog)."""


def _choice(enum: type[LetterKind] | type[ReliefBasis] | type[IdKind], value: str, what: str) -> str:
    try:
        return str(enum(value).value)
    except ValueError:
        known = ", ".join(member.value for member in enum)
        raise InputError(f"unknown {what} {value!r}; use one of {known}") from None


@dataclass(frozen=True)
class LetterRequest:
    """What the person writing the letter adds to what the case knows."""

    kind: str
    today: date
    facts: str | None = None
    requests: Sequence[str] = ()
    enclosures: Sequence[str] = ()
    signature_name: str | None = None
    phone: str | None = None
    id_kind: str | None = None
    relief_basis: str | None = None
    penalties: Sequence[str] = ()
    hearing_reasons: Sequence[str] = ()
    monthly_payment: str | None = None
    payment_day: int | None = None
    first_payment: date | None = None
    direct_debit: bool | None = None
    cp2000_items: Sequence[str] = field(default_factory=tuple)  # "ITEM|POSITION|EXPLANATION"
    return_summary: Path | None = None  # cp2000_response: answers, statement and enclosures from a return check


def _texts(values: Sequence[str], what: str, limit: int = 1000) -> tuple[str, ...]:
    return tuple(filter(None, (clean_text(v, what, limit=limit) for v in values)))


def _cp2000_items(values: Sequence[str]) -> tuple[tuple[str, str, str], ...]:
    items = []
    for value in values:
        parts = [part.strip() for part in value.split("|")]
        if len(parts) not in (2, 3):
            raise InputError(f"CP2000 item {value!r} is not ITEM|POSITION|EXPLANATION")
        item, position, explanation = (*parts, "")[:3]
        items.append((clean_text(item, "CP2000 item") or "", position, clean_text(explanation, "explanation") or ""))
    return tuple(items)


def _default_enclosures(case_file: CaseFile) -> tuple[str, ...]:
    case = case_file.case
    if not case.notice_codes:
        return ()
    day = case.notice_date
    dated = f" dated {day:%B} {day.day}, {day.year}" if day else ""
    return (f"Copy of notice {case.notice_codes[-1]}{dated}",)


def _from_return_check(case_file: CaseFile, request: LetterRequest, rules: RuleSet) -> LetterRequest:
    """A CP2000 response written from the return check: the answers, the statement, the enclosures."""
    if request.kind != LetterKind.CP2000_RESPONSE.value or request.return_summary is None:
        raise InputError("--return is used with the cp2000_response letter")
    found = return_check.response_for_case(request.return_summary, case_file, rules)
    facts = "\n\n".join(filter(None, (found.facts, request.facts)))
    enclosures = (*(request.enclosures or _default_enclosures(case_file)), *found.enclosures)
    return replace(request, cp2000_items=request.cp2000_items or found.items, facts=facts, enclosures=enclosures)


def letter_context(case_file: CaseFile, request: LetterRequest) -> LetterContext:
    """What the letter needs, taken from the case; only the last four digits of the id."""
    kind = LetterKind(_choice(LetterKind, request.kind, "letter kind"))
    case = case_file.case
    period = case.tax_periods[0] if case.tax_periods else None
    enclosures = _texts(request.enclosures, "enclosure", 200) or _default_enclosures(case_file)
    cdp_deadline = next((d.due for d in case_file.deadlines if d.rule and CDP_RULE.search(d.rule)), None)
    monthly = parse_money(request.monthly_payment, "monthly payment") if request.monthly_payment is not None else None
    optional: dict[str, object] = {
        "taxpayer_phone": clean_text(request.phone, "phone", limit=40),
        "penalties": _texts(request.penalties, "penalty", 200),
        "hearing_reasons": tuple(request.hearing_reasons),
        "tax_periods": tuple(
            f"Form {p.tax_form or '?'}, period ending {p.period_end.isoformat()}"
            for p in case.tax_periods
            if p.period_end is not None
        ),
        "cdp_deadline": cdp_deadline,
        "proposed_monthly_payment": monthly,
        "payment_day": request.payment_day,
        "first_payment_date": request.first_payment,
        "direct_debit": request.direct_debit,
        "cp2000_items": _cp2000_items(request.cp2000_items),
    }
    if request.id_kind:
        optional["id_kind"] = IdKind(_choice(IdKind, request.id_kind.upper(), "id kind"))
    if request.relief_basis:
        optional["relief_basis"] = ReliefBasis(_choice(ReliefBasis, request.relief_basis, "relief basis"))
    return LetterContext(
        kind=kind,
        today=request.today,
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
        facts=clean_text(request.facts, "facts", limit=20_000) or "",
        requests=_texts(request.requests, "request"),
        enclosures=enclosures,
        signature_name=clean_text(request.signature_name, "signature name", limit=200) or case.client.name,
        **optional,  # type: ignore[arg-type]
    )


@dataclass(frozen=True, slots=True)
class WrittenLetter:
    """A letter written from a case: the files, the stored documents and the journal entry."""

    case_number: int
    files: tuple[Path, ...]
    documents: tuple[DocumentRecord, ...]
    entry: JournalRecord
    text: str


def _atomic_write(path: Path, data: bytes) -> None:
    write_private(path, data)


def write_letter(ref: str, request: LetterRequest, out_dir: Path, rules: RuleSet) -> WrittenLetter:
    """Render the letter, write its PDF and DOCX to ``out_dir`` and keep both in the case."""
    case_store = store()
    case_file = case_store.case_file(ref)
    if request.return_summary is not None:
        request = _from_return_check(case_file, request, rules)
    context = letter_context(case_file, request)
    rendered = render_letter(context, rules)
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
            "letter_kind": context.kind.value,
            "written_on": request.today.isoformat(),
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


def calendar_events(ref: str | None = None) -> list[CalendarDeadline]:
    """One calendar event per deadline of the case (or of every open case)."""
    return [deadline_event(case, deadline) for case, deadline in store().deadlines(ref)]


def write_calendar(out: Path, ref: str | None = None, *, stamp: datetime | None = None) -> WrittenCalendar:
    """Write every deadline as an .ics file, with reminders 7 and 2 days before each."""
    events = calendar_events(ref)
    if not events:
        raise InputError("there are no deadlines to put in a calendar" + (f" in case {ref}" if ref else " in open cases"))
    out.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(out, build_calendar(events, reminder_days=REMINDER_DAYS, stamp=stamp or datetime.now(UTC)))
    return WrittenCalendar(out, len(events))

