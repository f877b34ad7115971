"""User actions on cases: open one from a notice, add documents, log calls, mail and payments,
verify, export and import.

The case store (:mod:`balancedue.cases`) keeps the records; this module reads the files the user
gives, masks any full taxpayer id in free text, and turns command-line values into records.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from balancedue.cases.bootstrap import open_store
from balancedue.cases.records import (
    CaseFile,
    CaseRecord,
    CaseStatus,
    CaseSummary,
    CaseVerification,
    ClientRecord,
    DeadlineRecord,
    DocumentKind,
    DocumentRecord,
    JournalKind,
    JournalRecord,
    NewCase,
    NewDeadline,
    NewDocument,
    Reminder,
    TaxPeriodRecord,
)
from balancedue.engine.money import parse_money
from balancedue.errors import BalancedueError, DocumentTooLargeError, EmptyDocumentError, InputError
from balancedue.intake.detect import MAX_DOCUMENT_BYTES, MAX_TEXT_BYTES, decode_text
from balancedue.intake.models import FieldScalar, Notice
from balancedue.intake.values import mask_ids
from balancedue.services.notice_fields import NOTICE_FIELDS_KEY, apply_corrections, field_text
from balancedue.services.notice_record import notice_payload
from balancedue.services.text import clean_text

if TYPE_CHECKING:
    from balancedue.cases.archive import ExportSummary, ImportResult
    from balancedue.cases.store import CaseStore
    from balancedue.intake.given import Asker
    from balancedue.rules import RuleSet

# Reading a notice (the intake and advice stack), archives and notice deadlines are imported by
# the functions that use them, so that listing or showing cases starts without them.

log = logging.getLogger(__name__)

FOLLOW_UP_TAG = "follow-up"

_MEDIA_TYPES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def store() -> CaseStore:
    """The case store of this machine (set up and migrated on first use)."""
    return open_store()


# --- input checks -----------------------------------------------------------------------------


def document_name(path: Path) -> str:
    """The file's name as kept: a full taxpayer id in it is masked, and it fits the column."""
    name = mask_ids(path.name).replace("\x00", "")
    return name if len(name) <= 255 else name[:120] + "..." + name[-120:]


def last_four(value: str | None) -> str | None:
    """The last four digits of a taxpayer id; refuses anything longer, so no full id is kept."""
    if value is None or not value.strip():
        return None
    digits = value.strip()
    if not re.fullmatch(r"\d{4}", digits):
        raise InputError(f"the taxpayer id must be given as its last four digits only, not {len(digits)} characters")
    return digits


def media_type(head: bytes, name: str) -> str:
    """The document's media type from its first bytes (its name only decides plain text)."""
    for signature, kind in _MEDIA_TYPES:
        if head.startswith(signature) or (signature == b"%PDF-" and signature in head[:1024]):
            return kind
    if head[4:8] == b"ftyp":
        return "image/heic"
    if name.lower().endswith((".txt", ".text", ".eml")) and b"\x00" not in head:
        return "text/plain"
    return "application/octet-stream"


def address_lines(text: str) -> tuple[str, ...]:
    """An address read as one line ("IRS, PO BOX 1, CITY ST 12345") split into its lines;
    a state and ZIP code stay on the line of their city."""
    lines: list[str] = []
    for part in (p.strip() for p in re.split(r"\n|, ", text)):
        if not part:
            continue
        if lines and re.fullmatch(r"[A-Z]{2}\s+\d{5}(?:-\d{4})?", part):
            lines[-1] = f"{lines[-1]}, {part}"
        else:
            lines.append(part)
    return tuple(lines)


def _check_file(path: Path) -> int:
    if not path.exists():
        raise InputError(f"{str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"{str(path)!r} is not a file")
    size = path.stat().st_size
    if size == 0:
        raise EmptyDocumentError(path.name, "the file is empty (0 bytes)")
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentTooLargeError(
            path.name, f"the file is {size // (1024 * 1024)} MB, more than the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit"
        )
    return size


def document_text(path: Path) -> tuple[str, list[str]]:
    """Text of a document without OCR: a PDF's text layer, or a text file; ids masked."""
    with path.open("rb") as stream:
        head = stream.read(4096)
    found = media_type(head, path.name)
    if found == "text/plain":
        if path.stat().st_size > MAX_TEXT_BYTES:
            return "", [f"{document_name(path)} is too large to keep its text (over {MAX_TEXT_BYTES // 1024 ** 2} MB); "
                        "the file itself is kept"]
        return mask_ids(decode_text(path.read_bytes(), strict=False)).replace("\x00", ""), []
    if found != "application/pdf":
        return "", []
    from balancedue.intake.pdf import read_pdf  # the PDF libraries load only when needed

    try:
        document, pages = read_pdf(path.read_bytes(), path.name)
    except BalancedueError as exc:
        return "", [f"no text was read from {path.name} ({exc.message})"]
    document.close()
    text = "\n\f\n".join("\n".join(line.text for line in lines) for lines, _, _ in pages.text_pages.values())
    notes = []
    if pages.scanned_pages:
        notes.append(f"{len(pages.scanned_pages)} page(s) of {path.name} have no text layer; their text was not kept")
    return text.replace("\x00", ""), notes


# --- opening a case ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OpenedCase:
    """A new case, its deadlines and what the reader could not settle."""

    case: CaseRecord
    deadlines: tuple[DeadlineRecord, ...]
    warnings: tuple[str, ...]


def _value(notice: Notice, name: str) -> Any:
    return notice.fields[name].value


def _notice_deadlines(notice: Notice, today: date, rules: RuleSet) -> tuple[list[NewDeadline], list[str]]:
    code = _value(notice, "notice_code")
    entry = rules.notices.find(code) if isinstance(code, str) else None
    if entry is None:
        return [], ["the notice code is unknown, so no deadline could be computed from it; add them by hand"]
    from balancedue.advice.deadlines import notice_deadlines

    found, warnings = notice_deadlines(
        entry,
        notice_date=_value(notice, "notice_date"),
        pay_by=_value(notice, "pay_by_date"),
        respond_by=_value(notice, "respond_by_date"),
        amount_due=_value(notice, "amount_due"),
        today=today,
        rules=rules,
    )
    deadlines = [
        NewDeadline(
            what=d.what,
            due=d.due,
            tag=d.tag.value,
            basis=d.basis,
            consequence=d.consequence,
            rule=d.rule,
            source=d.source,
            notice_code=entry.code.value,
        )
        for d in found
    ]
    return deadlines, warnings


def _title(code: str | None, year: int | None, form: str | None) -> str:
    parts = [code or "Notice"]
    if year:
        parts.append(f"tax year {year}")
    if form:
        parts.append(f"Form {form}")
    return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class ClientDetails:
    """Who the case is for, as the user gave it; blanks are filled from the notice."""

    name: str | None = None
    address: Sequence[str] = ()
    id_last4: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeFile:
    """The file the notice was read from, kept in the case under ``name``."""

    path: Path
    name: str


def open_case(
    notice: Notice,
    corrections: Mapping[str, FieldScalar | None],
    client: ClientDetails,
    today: date,
    *,
    file: NoticeFile,
    rules: RuleSet,
    received: date | None = None,
    scope: frozenset[int] | None = None,
) -> OpenedCase:
    """Open a case for a notice already read, with the user's corrections (already checked, see
    :func:`.notice_fields.notice_corrections`): its deadlines, the notice file, and the reviewed notice kept in
    the journal.  ``scope`` is the set of clients the user may see (``None``: every client); a
    case is not attached to a client of the same name outside it."""
    new, document, warnings = case_from_notice(
        notice, corrections, client, today, file=file, rules=rules, received=received
    )
    record, name = new.client, new.client.name
    case_store = store()
    if scope is not None and any(pk not in scope for pk in case_store.clients_like(record)):
        raise InputError(f"client name {name!r} belongs to a client you cannot see; give another name or ask for a grant")
    case = case_store.open_case(new, document)
    if corrections:
        listed = "; ".join(
            f"{field.replace('_', ' ')}: {field_text(getattr(notice, field).value) or '(not read)'} -> {field_text(v) or '(blank)'}"
            for field, v in corrections.items()
        )
        case_store.append(
            case.number,
            JournalKind.NOTE,
            {
                "text": clean_text(f"Corrected when the notice was reviewed: {listed}", "note") or "",
                NOTICE_FIELDS_KEY: {field: None if v is None else field_text(v) for field, v in corrections.items()},
            },
        )
    case_file = case_store.case_file(case.number)
    return OpenedCase(case_file.case, case_file.deadlines, tuple(warnings))


def case_from_notice(
    notice: Notice,
    corrections: Mapping[str, FieldScalar | None],
    client: ClientDetails,
    today: date,
    *,
    file: NoticeFile,
    rules: RuleSet,
    received: date | None = None,
) -> tuple[NewCase, NewDocument, list[str]]:
    """The case and the document a notice already read would open (``open_case`` opens them;
    batch intake files them in the client's case), and what could not be settled."""
    reviewed = apply_corrections(notice, corrections)
    deadlines, warnings = _notice_deadlines(reviewed, today, rules)
    code = _value(reviewed, "notice_code")
    year = _value(reviewed, "tax_year")
    form = _value(reviewed, "tax_form")
    last4 = last_four(client.id_last4) or _value(reviewed, "taxpayer_id_last4")
    name = clean_text(client.name, "client name", limit=200) or (
        f"Taxpayer ending {last4}" if isinstance(last4, str) else "Taxpayer"
    )
    record = ClientRecord(
        name=name,
        address=tuple(filter(None, (clean_text(line, "address line", limit=200) for line in client.address))),
        id_last4=last4 if isinstance(last4, str) and re.fullmatch(r"\d{4}", last4) else None,
    )
    reply = _value(reviewed, "reply_address")
    notice_id = _value(reviewed, "notice_id")
    notice_date = _value(reviewed, "notice_date")
    amount_due = _value(reviewed, "amount_due")
    new = NewCase(
        client=record,
        title=_title(code if isinstance(code, str) else None, year if isinstance(year, int) else None,
                     form if isinstance(form, str) else None),
        date_received=received or today,
        tax_year=year if isinstance(year, int) else None,
        tax_periods=tuple(
            TaxPeriodRecord(p.tax_form, p.tax_period_end, p.tax_year, p.amount) for p in reviewed.tax_periods
        ),
        notice_codes=(code,) if isinstance(code, str) else (),
        notice_id=notice_id if isinstance(notice_id, str) else None,
        notice_date=notice_date if isinstance(notice_date, date) else None,
        amount_due=amount_due if isinstance(amount_due, Decimal) else None,
        reply_address=address_lines(str(reply)) if reply else (),
        deadlines=tuple(deadlines),
        reviewed_notice=notice_payload(reviewed),
    )
    with file.path.open("rb") as stream:
        head = stream.read(4096)
    document = NewDocument(
        source=file.path,
        kind=DocumentKind.NOTICE,
        name=file.name,
        media_type=media_type(head, file.name),
        text=notice.text.replace("\x00", ""),
    )
    return new, document, [*warnings, *notice.warnings]


def open_case_from_file(
    path: Path,
    client: ClientDetails,
    today: date,
    *,
    rules: RuleSet,
    received: date | None = None,
    given: Mapping[str, str] | None = None,
    ask: Asker | None = None,
) -> OpenedCase:
    """Read the notice in ``path`` and open its case (``balancedue case new``).

    ``given`` holds values the person supplied for the notice's fields (``--set``); ``ask``
    asks for key fields that were not read (a terminal prompt).
    """
    _check_file(path)
    from balancedue.services.read import read_notice

    notice = read_notice(path, rules=rules, given=given, ask=ask)
    opened = open_case(notice, {}, client, today, file=NoticeFile(path, document_name(path)), rules=rules,
                       received=received)
    if opened.case.notice_date is None:
        # The case is open with what was read; the flag that dates the rest is named.
        opened = replace(opened, warnings=(*opened.warnings, UNDATED_CASE_NOTE))
    return opened


UNDATED_CASE_NOTE = ("the notice date was not read: the case is open with the amount and the dates printed on the "
                     "notice; the deadlines counted from the notice date need it. Supply it with "
                     "--set notice_date=YYYY-MM-DD, or later with: balancedue case correct CASE 1 --reason TEXT "
                     "--set notice_date=YYYY-MM-DD")


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseListing:
    """The case list and the reminders that are due."""

    cases: list[CaseSummary]
    reminders: list[Reminder]


def list_cases(today: date, statuses: Sequence[CaseStatus] = ()) -> CaseListing:
    """Every case with its next deadline, and the reminders (7 and 2 days before) now running."""
    case_store = store()
    return CaseListing(case_store.list_cases(today, statuses), case_store.reminders(today))


def show_case(ref: str) -> CaseFile:
    """Everything kept for a case."""
    return store().case_file(ref)


def case_reminders(ref: str, today: date) -> list[Reminder]:
    """The reminders now running for one case."""
    return store().reminders(today, ref=ref)


# --- adding to a case -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddedDocument:
    """A document added to a case (or found already there)."""

    case_number: int
    document: DocumentRecord
    created: bool
    notice_code: str | None
    new_deadlines: int
    warnings: tuple[str, ...]


def add_document(ref: str, path: Path, kind: DocumentKind, *, today: date, rules: RuleSet) -> AddedDocument:
    """Keep a copy of a file in the case; a notice is read and brings its code and deadlines."""
    _check_file(path)
    case_store = store()
    case = case_store.get_case(ref)
    warnings: list[str] = []
    code: str | None = None
    deadlines: list[NewDeadline] = []
    if kind is DocumentKind.NOTICE:
        from balancedue.services.read import read_notice

        try:
            notice = read_notice(path, rules=rules)
        except BalancedueError as exc:
            text, notes = document_text(path)
            warnings += [f"it was kept, but not read as a notice: {exc.message}", *notes]
        else:
            text = notice.text.replace("\x00", "")
            value = _value(notice, "notice_code")
            code = value if isinstance(value, str) else None
            if code and code not in case.notice_codes:
                deadlines, more = _notice_deadlines(notice, today, rules)
                warnings += more
    else:
        text, notes = document_text(path)
        warnings += notes
    with path.open("rb") as stream:
        head = stream.read(4096)
    record, created = case_store.add_document(
        case.number,
        NewDocument(source=path, kind=kind, name=document_name(path), media_type=media_type(head, path.name), text=text),
        notice_codes=[code] if code else [],
        deadlines=deadlines,
    )
    return AddedDocument(case.number, record, created, code, len(deadlines) if created else 0, tuple(warnings))


def log_call(
    ref: str,
    *,
    agent: str,
    badge: str,
    summary: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    phone: str | None = None,
    outcome: str | None = None,
    follow_up: date | None = None,
) -> JournalRecord:
    """Record a call with the IRS: who (name and badge number), when, what was said and agreed."""
    if ended_at is not None and ended_at < started_at:
        raise InputError(f"the call ends ({ended_at.isoformat()}) before it starts ({started_at.isoformat()})")
    payload = {
        "agent": clean_text(agent, "agent name", required=True, limit=200),
        "badge": clean_text(badge, "badge number", required=True, limit=40),
        "phone": clean_text(phone, "phone number", limit=40),
        "started_at": started_at.isoformat(timespec="minutes"),
        "ended_at": ended_at.isoformat(timespec="minutes") if ended_at else None,
        "summary": clean_text(summary, "summary", required=True),
        "outcome": clean_text(outcome, "outcome"),
        "follow_up": follow_up.isoformat() if follow_up else None,
    }
    follow = (
        [NewDeadline(what=f"Follow up on the call with {payload['agent']} (badge {payload['badge']})",
                     due=follow_up, tag=FOLLOW_UP_TAG, basis=f"agreed in the call of {started_at.date().isoformat()}")]
        if follow_up
        else []
    )
    return store().append(ref, JournalKind.CALL, payload, deadlines=follow)


def log_mail(
    ref: str,
    *,
    tracking: str,
    sent_on: date,
    enclosures: Sequence[str],
    to: str | None = None,
    what: str | None = None,
) -> JournalRecord:
    """Record something mailed: the certified-mail tracking number, the date and what was enclosed."""
    number = re.sub(r"\s+", "", tracking or "")
    if not re.fullmatch(r"[A-Za-z0-9]{8,40}", number):
        raise InputError(f"tracking number {tracking!r} is not one; give the letters and digits on the receipt")
    payload = {
        "tracking": number.upper(),
        "sent_on": sent_on.isoformat(),
        "to": clean_text(to, "address", limit=400),
        "what": clean_text(what, "what was sent", limit=400),
        "enclosures": [clean_text(item, "enclosure", required=True, limit=200) for item in enclosures],
    }
    return store().append(ref, JournalKind.MAIL, payload)


def add_payment(
    ref: str, *, paid_on: date, amount: str, channel: str, confirmation: str | None = None
) -> JournalRecord:
    """Record a payment: date, amount, how it was paid and its confirmation number."""
    value = parse_money(amount, "amount")
    if value <= 0:
        raise InputError(f"amount {amount!r} must be more than zero")
    payload = {
        "paid_on": paid_on.isoformat(),
        "amount": format(value, "f"),
        "channel": clean_text(channel, "channel", required=True, limit=100),
        "confirmation": clean_text(confirmation, "confirmation number", limit=100),
    }
    return store().append(ref, JournalKind.PAYMENT, payload, amount=value)


def add_note(ref: str, text: str) -> JournalRecord:
    """Record a note."""
    return store().append(ref, JournalKind.NOTE, {"text": clean_text(text, "note", required=True)})


def change_deadline(ref: str, number: int, due: date, reason: str) -> DeadlineRecord:
    """Move a deadline by hand (for example to the date an IRS employee agreed)."""
    return store().change_deadline(ref, number, due, clean_text(reason, "reason", required=True) or "")


def set_status(ref: str, status: CaseStatus, reason: str) -> CaseRecord:
    """Change a case's status."""
    return store().set_status(ref, status, clean_text(reason, "reason", required=True) or "")


# --- checking, export and import --------------------------------------------------------------


def verify_case(ref: str) -> CaseVerification:
    """Check the journal chain and re-hash every document of the case."""
    return store().verify(ref)


def repair_triggers() -> list[str]:
    """Put back the journal's append-only triggers where they were dropped; their names."""
    return store().repair_triggers()


def cleanup_documents() -> list[Path]:
    """Remove files left in the document folder by an interrupted add (older than an hour)."""
    return store().remove_orphans()


def case_report_pdf(ref: str, today: date) -> bytes:
    """The case summary as PDF bytes."""
    from balancedue.reports.case_pdf import render_case_report  # ReportLab loads only when needed

    return render_case_report(store().case_file(ref), today)


def export_case(ref: str, out: Path, *, today: date) -> ExportSummary:
    """Write the case, its documents, journal and a PDF report to a zip."""
    from balancedue.cases import archive
    from balancedue.reports.case_pdf import render_case_report

    return archive.export_case(
        store(), ref, out, render_report=lambda case_file: render_case_report(case_file, today),
        exported_at=datetime.now(UTC),
    )


def import_case(path: Path) -> ImportResult:
    """Bring in a case from a zip; everything is checked before anything is written."""
    from balancedue.cases import archive

    return archive.import_archive(store(), path)


def total_paid(case_file: CaseFile) -> Decimal:
    """What the journal's payments add up to, corrections applied."""
    corrected = {
        e.corrects: e.payload.get("replacement", {})
        for e in case_file.journal
        if e.kind == JournalKind.CORRECTION and e.corrects is not None
    }
    total = Decimal(0)
    for entry in case_file.journal:
        if entry.kind == JournalKind.PAYMENT:
            amount = corrected.get(entry.sequence, {}).get("amount", entry.payload.get("amount"))
            total += Decimal(str(amount))
    return total
