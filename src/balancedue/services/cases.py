"""User actions on cases: open one from a notice, add documents, log calls, mail and payments,
verify, export and import.

The case store (:mod:`balancedue.cases`) keeps the records; this module reads the files the user
gives, masks any full taxpayer id in free text, and turns command-line values into records.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from balancedue.cases.bootstrap import open_store
from balancedue.cases.errors import EntryNotFoundError
from balancedue.cases.records import (
    CORRECTABLE_CASE_FIELDS,
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
from balancedue.intake.models import FieldScalar, FieldValue, Notice, SourceKind
from balancedue.intake.values import mask_ids
from balancedue.services.notice_record import PAYLOAD_KEY, notice_from_payload, notice_payload

if TYPE_CHECKING:
    from balancedue.cases.archive import ExportSummary, ImportResult
    from balancedue.cases.store import CaseStore
    from balancedue.intake.given import Asker
    from balancedue.rules import RuleSet

# Reading a notice (the intake and advice stack), archives and notice deadlines are imported by
# the functions that use them, so that listing or showing cases starts without them.

log = logging.getLogger(__name__)

MAX_TEXT = 4000
"""Longest free text (a summary, a note, a reason) kept in one journal field."""

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


def clean_text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    """Free text as it is kept: trimmed, any full SSN/ITIN/EIN masked, within ``limit``."""
    text = (value or "").strip()
    if "\x00" in text:
        raise InputError(f"{field} holds a NUL character; remove it")
    control = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t"), None)
    if control is not None:
        raise InputError(f"{field} holds a control character (U+{ord(control):04X}); remove it")
    if required and not text:
        raise InputError(f"{field} is empty; say what it is")
    if len(text) > limit:
        raise InputError(f"{field} is {len(text):,} characters long; keep it under {limit:,}")
    return mask_ids(text) if text else None


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
    :func:`notice_corrections`): its deadlines, the notice file, and the reviewed notice kept in
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
        opened = dataclasses.replace(opened, warnings=(*opened.warnings, UNDATED_CASE_NOTE))
    return opened


UNDATED_CASE_NOTE = ("the notice date was not read: the case is open with the amount and the dates printed on the "
                     "notice; the deadlines counted from the notice date need it. Supply it with "
                     "--set notice_date=YYYY-MM-DD, or later with: balancedue case correct CASE 1 --reason TEXT "
                     "--set notice_date=YYYY-MM-DD")


# --- the notice as reviewed ---------------------------------------------------------------------

NOTICE_FIELDS_KEY = "notice_fields"
"""Key of a journal note's payload that holds the notice fields corrected by the user."""

DATE_FIELDS = frozenset({"notice_date", "tax_period_end", "pay_by_date", "respond_by_date"})
MONEY_FIELDS = frozenset({"amount_due", "tax", "penalties", "interest", "payments_and_credits"})
EDITABLE_FIELDS: tuple[str, ...] = (
    "notice_code",
    "notice_date",
    "tax_year",
    "tax_form",
    "amount_due",
    "pay_by_date",
    "respond_by_date",
    "tax",
    "penalties",
    "interest",
    "payments_and_credits",
    "taxpayer_id_last4",
    "notice_id",
    "reply_address",
)
"""The fields a person may correct after reading, in display order."""


def parse_field(name: str, text: str, *, required: bool = False) -> FieldScalar:
    """A corrected field's value from what the person typed (``required``: a blank text is an
    error, not an empty value)."""
    text = text.strip()
    if name in DATE_FIELDS:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
    if name in MONEY_FIELDS:
        return parse_money(text, name.replace("_", " "))
    if name == "tax_year":
        if not re.fullmatch(r"(19|20)\d\d", text):
            raise InputError(f"{text!r} is not a tax year; write the four digits, like 2024")
        return int(text)
    if name == "taxpayer_id_last4":
        if not re.fullmatch(r"\d{4}", text):
            raise InputError("give only the last four digits of the taxpayer id")
        return text
    if name == "notice_code":
        return text.upper().replace(" ", "")
    return clean_text(text, name.replace("_", " "), required=required, limit=400) or ""


def field_text(value: Any) -> str:
    """A field's value as typed and stored: a date in ISO form, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def notice_corrections(
    notice: Notice, submitted: Mapping[str, str]
) -> tuple[dict[str, FieldScalar | None], dict[str, str]]:
    """The fields the user changed, parsed, and the errors by field (empty when all is well)."""
    changed: dict[str, FieldScalar | None] = {}
    errors: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        if name not in submitted:
            continue
        text = submitted[name].strip()
        current = getattr(notice, name).value
        if text == field_text(current):
            continue
        if not text:
            changed[name] = None
            continue
        try:
            changed[name] = parse_field(name, text)
        except InputError as exc:
            errors[name] = exc.message
    return changed, errors


def apply_corrections(notice: Notice, changed: Mapping[str, FieldScalar | None]) -> Notice:
    """The notice with the user's values in place of what was read."""
    from balancedue.intake.given import GIVEN_PARSER

    updates: dict[str, FieldValue] = {}
    for name, value in changed.items():
        old: FieldValue = getattr(notice, name)
        updates[name] = dataclasses.replace(
            old, value=value, confidence=1.0, reason="corrected by the user", text_confidence=1.0,  # not law: certainty
            parser=GIVEN_PARSER,
        )
    return dataclasses.replace(notice, **updates) if updates else notice  # type: ignore[arg-type]


def reviewed_notice(case_file: CaseFile) -> Notice | None:
    """The case's notice as it was reviewed when the case was opened, without reading it again;
    None for a case opened before the journal kept it (see :func:`kept_notice`)."""
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    payload = opened.payload.get(PAYLOAD_KEY) if opened is not None else None
    if not isinstance(payload, dict):
        return None
    document = next((d for d in case_file.documents if d.kind == DocumentKind.NOTICE), None)
    notice = notice_from_payload(payload, document.text if document is not None else "")
    return apply_corrections(notice, _later_corrections(case_file))


def notice_values(case_file: CaseFile) -> dict[str, str]:
    """The case's notice fields as they stand (read, reviewed and corrected), as text to edit;
    from the journal, without reading the notice again (empty for a case that does not keep it)."""
    notice = reviewed_notice(case_file)
    if notice is None:
        return {}
    return {name: field_text(getattr(notice, name).value) for name in EDITABLE_FIELDS}


def _later_corrections(case_file: CaseFile) -> dict[str, FieldScalar | None]:
    """The notice fields corrected in the case since it was opened (corrections of its opening
    entry), the latest value of each."""
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    changed: dict[str, FieldScalar | None] = {}
    if opened is None:
        return changed
    for entry in case_file.journal:
        if entry.kind != JournalKind.CORRECTION or entry.payload.get("corrects") != opened.sequence:
            continue
        replacement = entry.payload.get("replacement")
        for name, text in (replacement.items() if isinstance(replacement, dict) else ()):
            if name in EDITABLE_FIELDS:
                changed[name] = None if text in (None, "") else parse_field(name, str(text))
    return changed


def kept_notice(case_file: CaseFile, rules: RuleSet) -> Notice | None:
    """The case's first notice: as reviewed (kept in the journal), or, for a case opened before
    the journal kept it, read again from the text kept with it, corrections applied."""
    found = reviewed_notice(case_file)
    if found is not None:
        return found
    document = next((d for d in case_file.documents if d.kind == DocumentKind.NOTICE and d.text.strip()), None)
    if document is None:
        return None
    from balancedue.services.read import read_pasted_notice

    notice = read_pasted_notice(document.text, rules=rules)
    if document.media_type.startswith("image/"):
        notice = dataclasses.replace(notice, source=SourceKind.IMAGE)
    changed: dict[str, FieldScalar | None] = {}
    for entry in case_file.journal:
        fields = entry.payload.get(NOTICE_FIELDS_KEY) if entry.kind == JournalKind.NOTE else None
        if isinstance(fields, dict):
            for name, text in fields.items():
                if name in EDITABLE_FIELDS:
                    changed[name] = None if text is None else parse_field(name, str(text))
    return apply_corrections(notice, {**changed, **_later_corrections(case_file)})


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


def correct_entry(ref: str, sequence: int, reason: str, changes: dict[str, str], rules: RuleSet) -> JournalRecord:
    """Record a correction of an entry: the new values and why; the old entry stays as it was.

    Correcting the opening entry's notice date, amount due or tax year also changes the case, and
    the deadlines counted from the notice date are re-dated (``rules`` computes them).
    """
    case_store = store()
    case_file = case_store.case_file(ref)
    old = next((e for e in case_file.journal if e.sequence == sequence), None)
    if old is None:
        raise EntryNotFoundError(f"case {case_file.case.number} has no journal entry #{sequence}")
    if not changes:
        raise InputError("a correction needs at least one --set FIELD=VALUE")
    replacement: dict[str, Any] = {}
    case_fields: dict[str, Any] = {}
    opening = old.kind == JournalKind.OPENED.value
    for field, value in changes.items():
        notice_field = opening and field in EDITABLE_FIELDS and PAYLOAD_KEY in old.payload
        if field not in old.payload and not notice_field:
            known = ", ".join(sorted(set(old.payload) - {PAYLOAD_KEY}))
            raise InputError(f"entry #{sequence} ({old.kind}) has no field {field!r}; its fields are {known}")
        if field in ("amount", "amount_due"):
            replacement[field] = format(parse_money(value, field), "f")
        elif field == "notice_date" and old.kind == JournalKind.OPENED.value:
            replacement[field] = _iso_date(value, field).isoformat()
        elif field == "tax_year" and old.kind == JournalKind.OPENED.value:
            replacement[field] = _year(value)
        elif notice_field:
            replacement[field] = field_text(parse_field(field, value.strip()))
        else:
            replacement[field] = clean_text(value, field)
        if old.kind == JournalKind.OPENED.value and field in CORRECTABLE_CASE_FIELDS:
            case_fields[field] = _case_value(field, replacement[field])
    printed = {f: _printed_date(replacement[f]) for f in PRINTED_DATES if opening and f in replacement}
    redate = _redated_deadlines(case_file, case_fields, rules, printed) if case_fields or printed else []
    return case_store.correct(
        case_file.case.number, sequence, clean_text(reason, "reason", required=True) or "", replacement,
        case_fields=case_fields, redate=redate,
    )


def correct_notice_field(ref: str, field: str, value: str, reason: str, rules: RuleSet) -> JournalRecord:
    """Correct one field of a case's notice after the case was opened (a correction of its opening
    entry, journaled with the old entry kept): the case page shows the corrected notice, and a
    corrected notice date re-dates the deadlines counted from it (see :func:`correct_entry`)."""
    if field not in EDITABLE_FIELDS:
        raise InputError(f"{field!r} is not a field of the notice; choose one of {', '.join(EDITABLE_FIELDS)}")
    if not value.strip():
        raise InputError(f"give the corrected {field.replace('_', ' ')}")
    case_file = store().case_file(ref)
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    if opened is None:
        raise InputError(f"case {case_file.case.number} has no opening entry to correct")
    if field not in opened.payload and PAYLOAD_KEY not in opened.payload:
        raise InputError(f"case {case_file.case.number} was opened before its notice was kept; "
                         f"correct it with: balancedue case correct {case_file.case.number} {opened.sequence} --set ...")
    return correct_entry(ref, opened.sequence, reason, {field: value.strip()}, rules)


def _iso_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{field} {value!r} is not a valid date; use the form YYYY-MM-DD") from None


def _year(value: str) -> int:
    if not re.fullmatch(r"(?:19|20)\d{2}", value.strip()):
        raise InputError(f"tax_year {value!r} is not a year such as 2023")
    return int(value)


def _case_value(field: str, value: Any) -> Any:
    if field == "notice_date":
        return date.fromisoformat(value)
    if field == "amount_due":
        return Decimal(value)
    return value


PRINTED_DATES = ("pay_by_date", "respond_by_date")
"""Dates printed on the notice that deadlines are taken from."""


def _printed_date(text: Any) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def _redated_deadlines(
    case_file: CaseFile, case_fields: Mapping[str, Any], rules: RuleSet, printed: Mapping[str, date | None]
) -> list[tuple[int, date]]:
    """Deadlines that move with a corrected notice date, or with a corrected date printed on the
    notice (pay by, respond by).

    Each deadline is worked out again from the notice as corrected; deadlines changed by hand
    keep their date.
    """
    old_date = case_file.case.notice_date
    notice_date = case_fields.get("notice_date") or old_date
    if notice_date is None or (notice_date == old_date and not printed):
        return []
    from balancedue.advice.deadlines import notice_deadlines
    notice = reviewed_notice(case_file)

    def printed_date(name: str) -> date | None:
        if name in printed:
            return printed[name]
        value = getattr(notice, name).value if notice is not None else None
        return value if isinstance(value, date) else None

    redate = []
    for deadline in case_file.deadlines:
        entry = rules.notices.find(deadline.notice_code or "")
        if entry is None or deadline.changed:
            continue
        found, _ = notice_deadlines(
            entry, notice_date=notice_date, pay_by=printed_date("pay_by_date"), respond_by=printed_date("respond_by_date"),
            amount_due=case_fields.get("amount_due", case_file.case.amount_due), today=notice_date, rules=rules,
        )
        same = next((d for d in found if d.what == deadline.what), None)
        if same is not None and same.due != deadline.due:
            redate.append((deadline.number, same.due))
    return redate


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
