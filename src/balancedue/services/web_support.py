"""User actions of the web app that the case store does not offer as such.

* Who may see what: every function that touches a case takes the requesting user and checks
  that the case's client is visible to that user (a superuser, and the single user of
  single-user mode, sees every client; a practice user sees the clients granted to them).  A
  case that is not visible is reported as not found, so case numbers cannot be probed.
* Opening a case in two steps: the notice is read once and its fields shown for review; the
  case is then opened from that reading with the user's corrections, which the journal keeps.
* The analysis of a case: the report of ``balancedue analyze`` rebuilt from the notice kept
  in the case (its text), with the corrections applied.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.advice import sections
from balancedue.advice.report import NoticeRead, Report
from balancedue.cases.errors import CaseNotFoundError
from balancedue.cases.records import (
    CaseFile,
    CaseSummary,
    ClientRecord,
    DocumentKind,
    JournalKind,
    NewCase,
    NewDocument,
    Reminder,
    TaxPeriodRecord,
)
from balancedue.engine.money import parse_money
from balancedue.errors import InputError
from balancedue.intake.models import FieldValue, Notice, SourceKind
from balancedue.letters import LetterKind
from balancedue.rules import RuleSet, load_rules
from balancedue.services import analyze as analyze_service
from balancedue.services import case_letters, cases
from balancedue.services.read import read_notice, read_pasted_notice

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
"""The fields the review page lets the user correct, in display order."""

STAGED_KEEP_SECONDS = 3600
_STAGED_LIMIT = 64


# --- who may see what -------------------------------------------------------------------------


def sees_everything(user: Any) -> bool:
    """The single user of single-user mode and practice staff with full rights see every client."""
    return bool(getattr(user, "is_superuser", False))


def visible_client_ids(user: Any) -> set[int] | None:
    """The ids of the clients ``user`` may see; ``None`` means every client."""
    if sees_everything(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_grants().objects.filter(user=user).values_list("client_id", flat=True))


def _grants() -> Any:
    """The web app's table of client grants (looked up by name: the web app sits above services)."""
    from django.apps import apps

    return apps.get_model("web", "ClientGrant")


def _client_of_case(number: int) -> int | None:
    from balancedue.cases.models import Case

    found = Case.objects.filter(pk=number).values_list("client_id", flat=True).first()
    return int(found) if found is not None else None


def case_number(user: Any, ref: str | int) -> int:
    """The number of a case that ``user`` may see; not found otherwise (even if it exists)."""
    text = str(ref).strip()
    if not text.isdigit():
        raise CaseNotFoundError(text)
    number = int(text)
    client = _client_of_case(number)
    allowed = visible_client_ids(user)
    if client is None or (allowed is not None and client not in allowed):
        raise CaseNotFoundError(text)
    return number


def grant_client(user: Any, client_id: int) -> None:
    """Let ``user`` see a client (done when the user opens a case for a new client)."""
    if sees_everything(user):
        return
    _grants().objects.get_or_create(user=user, client_id=client_id)


# --- the dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One case on the dashboard."""

    summary: CaseSummary
    amount_due: Decimal | None
    days_left: int | None
    urgency: str  # "overdue", "urgent" (within 7 days), "soon" (within 30), "later", "none"


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The user's open cases, most urgent first, the reminders and the total balance."""

    rows: tuple[DashboardRow, ...]
    reminders: tuple[Reminder, ...]
    total_due: Decimal
    closed: int


def _urgency(days_left: int | None) -> str:
    if days_left is None:
        return "none"
    if days_left < 0:
        return "overdue"
    if days_left <= 7:  # not law: the reminder lead time of the case store
        return "urgent"
    if days_left <= 30:  # not law: a display band
        return "soon"
    return "later"


def dashboard(user: Any, today: date) -> Dashboard:
    """The cases ``user`` may see, by urgency, with their next deadline and balance."""
    from balancedue.cases.models import Case

    listing = cases.list_cases(today)
    allowed = visible_client_ids(user)
    rows_of = Case.objects.all()
    if allowed is not None:
        rows_of = rows_of.filter(client_id__in=allowed)
    known = {pk: amount for pk, amount in rows_of.values_list("pk", "amount_due")}
    summaries = [s for s in listing.cases if s.number in known]
    active = [s for s in summaries if s.status.value in ("open", "waiting")]
    rows = []
    for summary in active:
        days = (summary.next_due - today).days if summary.next_due else None
        rows.append(DashboardRow(summary, known[summary.number], days, _urgency(days)))
    rows.sort(key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0, r.summary.number))
    reminders = tuple(r for r in listing.reminders if r.case_number in known)
    total = sum((r.amount_due for r in rows if r.amount_due is not None), Decimal(0))
    return Dashboard(tuple(rows), reminders, total, len(summaries) - len(active))


# --- reading a notice, then opening a case from it ---------------------------------------------


@dataclass(frozen=True, slots=True)
class StagedNotice:
    """An uploaded notice waiting for the user's review."""

    token: str
    name: str
    path: Path
    notice: Notice
    owner: int
    created: float


_staged: OrderedDict[str, StagedNotice] = OrderedDict()
_staged_lock = threading.Lock()


def uploads_dir() -> Path:
    from django.conf import settings

    folder = Path(settings.UPLOADS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _forget_old(now: float) -> None:
    with _staged_lock:
        for token in list(_staged):
            item = _staged[token]
            if now - item.created > STAGED_KEEP_SECONDS or len(_staged) > _STAGED_LIMIT:
                _staged.pop(token)
                shutil.rmtree(item.path.parent, ignore_errors=True)


def stage_notice(user: Any, name: str, chunks: Iterable[bytes], rules: RuleSet | None = None) -> StagedNotice:
    """Keep an uploaded notice in a private folder and read it (OCR for photos and scans)."""
    now = time.monotonic()
    _forget_old(now)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-100:] or "notice"
    folder = Path(tempfile.mkdtemp(prefix="staged-", dir=uploads_dir()))
    path = folder / safe
    with path.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    try:
        notice = read_notice(path, rules=rules or load_rules())
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    staged = StagedNotice(secrets.token_urlsafe(16), safe, path, notice, int(user.pk), now)
    with _staged_lock:
        _staged[staged.token] = staged
    return staged


def staged_notice(user: Any, token: str) -> StagedNotice:
    """The notice staged by ``user`` under ``token``."""
    with _staged_lock:
        staged = _staged.get(token)
    if staged is None or staged.owner != int(user.pk) or not staged.path.exists():
        raise InputError("the uploaded notice is no longer waiting for review; upload it again")
    return staged


def review_fields(notice: Notice) -> NoticeRead:
    """The fields read from the notice, with their confidence, as the report shows them."""
    return sections.notice_read(notice)


def _parse_field(name: str, text: str) -> Any:
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
    return cases.clean_text(text, name.replace("_", " "), limit=400)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def notice_corrections(notice: Notice, submitted: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields the user changed, parsed, and the errors by field (empty when all is well)."""
    changed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        if name not in submitted:
            continue
        text = submitted[name].strip()
        current = getattr(notice, name).value
        if text == _shown(current):
            continue
        if not text:
            changed[name] = None
            continue
        try:
            changed[name] = _parse_field(name, text)
        except InputError as exc:
            errors[name] = exc.message
    return changed, errors


def apply_corrections(notice: Notice, changed: Mapping[str, Any]) -> Notice:
    """The notice with the user's values in place of what was read."""
    updates: dict[str, FieldValue] = {}
    for name, value in changed.items():
        old: FieldValue = getattr(notice, name)
        updates[name] = dataclasses.replace(
            old, value=value, confidence=1.0, reason="corrected by the user", text_confidence=1.0  # not law: certainty
        )
    return dataclasses.replace(notice, **updates) if updates else notice  # type: ignore[arg-type]


def _payload_value(value: Any) -> str | None:
    return None if value is None else _shown(value)


def _client_taken(record: ClientRecord, user: Any) -> bool:
    """A practice user may not attach a case to a client of the same name that is not theirs."""
    allowed = visible_client_ids(user)
    if allowed is None:
        return False
    from balancedue.cases.models import Client

    found = Client.objects.filter(
        name=record.name, address="\n".join(record.address), id_last4=record.id_last4 or ""
    ).values_list("pk", flat=True)
    return any(pk not in allowed for pk in found)


def open_reviewed_case(
    user: Any,
    token: str,
    submitted: Mapping[str, str],
    *,
    today: date,
    client_name: str | None = None,
    client_address: str | None = None,
    rules: RuleSet | None = None,
) -> cases.OpenedCase:
    """Open the case of a staged notice with the user's corrections; the journal keeps them."""
    rules = rules or load_rules()
    staged = staged_notice(user, token)
    changed, errors = notice_corrections(staged.notice, submitted)
    if errors:
        name, message = next(iter(errors.items()))
        raise InputError(f"{name.replace('_', ' ')}: {message}")
    notice = apply_corrections(staged.notice, changed)
    deadlines, warnings = cases._notice_deadlines(notice, today, rules)
    value = notice.fields
    code, year, form = value["notice_code"].value, value["tax_year"].value, value["tax_form"].value
    last4 = value["taxpayer_id_last4"].value
    name = cases.clean_text(client_name, "client name", limit=200) or (
        f"Taxpayer ending {last4}" if isinstance(last4, str) else "Taxpayer"
    )
    address = tuple(
        filter(None, (cases.clean_text(line, "address line", limit=200) for line in (client_address or "").splitlines()))
    )
    client = ClientRecord(name=name, address=address, id_last4=last4 if isinstance(last4, str) and re.fullmatch(r"\d{4}", last4) else None)
    if _client_taken(client, user):
        raise InputError(f"client name {name!r} belongs to a client you cannot see; give another name or ask for a grant")
    reply = value["reply_address"].value
    notice_id = value["notice_id"].value
    new = NewCase(
        client=client,
        title=cases._title(code if isinstance(code, str) else None, year if isinstance(year, int) else None,
                           form if isinstance(form, str) else None),
        date_received=today,
        tax_year=year if isinstance(year, int) else None,
        tax_periods=tuple(TaxPeriodRecord(p.tax_form, p.tax_period_end, p.tax_year, p.amount) for p in notice.tax_periods),
        notice_codes=(code,) if isinstance(code, str) else (),
        notice_id=notice_id if isinstance(notice_id, str) else None,
        notice_date=value["notice_date"].value if isinstance(value["notice_date"].value, date) else None,
        amount_due=value["amount_due"].value if isinstance(value["amount_due"].value, Decimal) else None,
        reply_address=cases.address_lines(str(reply)) if reply else (),
        deadlines=tuple(deadlines),
    )
    with staged.path.open("rb") as stream:
        head = stream.read(4096)
    document = NewDocument(
        source=staged.path,
        kind=DocumentKind.NOTICE,
        name=staged.name,
        media_type=cases.media_type(head, staged.name),
        text=staged.notice.text.replace("\x00", ""),
    )
    case_store = cases.store()
    case = case_store.open_case(new, document)
    client_id = _client_of_case(case.number)
    if client_id is not None:
        grant_client(user, client_id)
    if changed:
        listed = "; ".join(
            f"{field.replace('_', ' ')}: {_shown(getattr(staged.notice, field).value) or '(not read)'} -> {_shown(v) or '(blank)'}"
            for field, v in changed.items()
        )
        case_store.append(
            case.number,
            JournalKind.NOTE,
            {
                "text": cases.clean_text(f"Corrected when the notice was reviewed: {listed}", "note") or "",
                NOTICE_FIELDS_KEY: {field: _payload_value(v) for field, v in changed.items()},
            },
        )
    with _staged_lock:
        _staged.pop(token, None)
    shutil.rmtree(staged.path.parent, ignore_errors=True)
    case_file = case_store.case_file(case.number)
    return cases.OpenedCase(case_file.case, case_file.deadlines, tuple([*warnings, *notice.warnings]))


# --- the case page ----------------------------------------------------------------------------


def analyze_notice(notice: Notice, today: date, rules: RuleSet | None = None) -> Report:
    """The report of ``balancedue analyze`` for a notice already read (no records or transcripts)."""
    return analyze_service.analyze_notice(notice, today, rules=rules)


def _kept_notice(case_file: CaseFile, rules: RuleSet) -> Notice | None:
    """The case's first notice, read again from the text kept with it, corrections applied."""
    document = next((d for d in case_file.documents if d.kind == DocumentKind.NOTICE and d.text.strip()), None)
    if document is None:
        return None
    notice = read_pasted_notice(document.text, rules=rules)
    if document.media_type.startswith("image/"):
        notice = dataclasses.replace(notice, source=SourceKind.IMAGE)
    changed: dict[str, Any] = {}
    for entry in case_file.journal:
        fields = entry.payload.get(NOTICE_FIELDS_KEY) if entry.kind == JournalKind.NOTE else None
        if isinstance(fields, dict):
            for name, text in fields.items():
                if name in EDITABLE_FIELDS:
                    changed[name] = None if text is None else _parse_field(name, str(text))
    return apply_corrections(notice, changed)


_reports: OrderedDict[tuple[int, str, date], Report | None] = OrderedDict()
_reports_lock = threading.Lock()
_REPORTS_KEPT = 32


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page shows."""

    case_file: CaseFile
    report: Report | None
    reminders: tuple[Reminder, ...]
    total_paid: Decimal
    letter_kinds: tuple[str, ...]


def case_report(case_file: CaseFile, today: date, rules: RuleSet | None = None) -> Report | None:
    """The analysis of the case's notice as of ``today`` (kept while the journal is unchanged)."""
    key = (case_file.case.number, case_file.case.journal_head, today)
    with _reports_lock:
        if key in _reports:
            return _reports[key]
    rules = rules or load_rules()
    notice = _kept_notice(case_file, rules)
    report = analyze_notice(notice, today, rules) if notice is not None else None
    with _reports_lock:
        _reports[key] = report
        while len(_reports) > _REPORTS_KEPT:
            _reports.popitem(last=False)
    return report


def case_view(user: Any, ref: str | int, today: date) -> CaseView:
    """The case file, its analysis and its reminders, for a case ``user`` may see."""
    number = case_number(user, ref)
    case_file = cases.show_case(str(number))
    return CaseView(
        case_file=case_file,
        report=case_report(case_file, today),
        reminders=tuple(cases.case_reminders(str(number), today)),
        total_paid=cases.total_paid(case_file),
        letter_kinds=tuple(kind.value for kind in LetterKind),
    )


def case_chart_svg(user: Any, ref: str | int, today: date) -> str | None:
    """The balance chart of the case's options as SVG, or None when there is nothing to draw."""
    from balancedue.reports.chart import balance_chart_svg

    number = case_number(user, ref)
    report = case_report(cases.show_case(str(number)), today)
    return balance_chart_svg(report) if report is not None else None


@dataclass(frozen=True, slots=True)
class FileDownload:
    """A file to send to the browser."""

    name: str
    media_type: str
    data: bytes


def case_document(user: Any, ref: str | int, document_number: int) -> FileDownload:
    """A document kept in a case."""
    number = case_number(user, ref)
    case_file = cases.show_case(str(number))
    document = next((d for d in case_file.documents if d.number == document_number), None)
    if document is None:
        raise CaseNotFoundError(f"{number} document {document_number}")
    return FileDownload(document.name, document.media_type, cases.store().documents.read(document.sha256))


def write_case_letter(
    user: Any, ref: str | int, kind: str, *, today: date, facts: str | None = None, enclosures: Sequence[str] = ()
) -> FileDownload:
    """Write a letter from the case (kept in the case, PDF and DOCX) and hand back its PDF."""
    number = case_number(user, ref)
    with tempfile.TemporaryDirectory(prefix="letter-", dir=uploads_dir()) as folder:
        request = case_letters.LetterRequest(kind=kind, today=today, facts=facts, enclosures=tuple(enclosures))
        written = case_letters.write_letter(str(number), request, Path(folder))
        pdf = written.files[0]
        return FileDownload(pdf.name, case_letters.PDF_TYPE, pdf.read_bytes())


def case_calendar(user: Any, ref: str | int) -> FileDownload:
    """The case's deadlines as an iCalendar file."""
    number = case_number(user, ref)
    with tempfile.TemporaryDirectory(prefix="calendar-", dir=uploads_dir()) as folder:
        out = Path(folder) / f"balancedue-case-{number}.ics"
        case_letters.write_calendar(out, str(number))
        return FileDownload(out.name, "text/calendar", out.read_bytes())


def log_case_call(user: Any, ref: str | int, **call: Any) -> None:
    """Record a call with the IRS in a case ``user`` may see."""
    number = case_number(user, ref)
    cases.log_call(str(number), **call)


def verify_visible_case(user: Any, ref: str | int) -> Any:
    """Check the journal chain and documents of a case ``user`` may see."""
    return cases.verify_case(str(case_number(user, ref)))


# --- the penalty and interest calculator ------------------------------------------------------


def penalty_statement(
    *,
    form: str,
    tax_year: int,
    filed_on: date,
    tax: Decimal,
    withholding: Decimal,
    paid_on: date | None,
    paid: Decimal | None,
    as_of: date,
    rules: RuleSet | None = None,
) -> Any:
    """Penalties and interest to ``as_of`` for a return filed on ``filed_on`` showing ``tax``,
    with withholding (deemed paid on the due date) and one later payment."""
    from balancedue.engine import parse_scenario
    from balancedue.services.compute import compute_statement

    events: list[dict[str, Any]] = []
    if withholding > 0:
        events.append({"date": filed_on.isoformat(), "type": "withholding", "amount": format(withholding, "f")})
    events.append({"date": filed_on.isoformat(), "type": "return_filed", "tax": format(tax, "f")})
    if paid_on is not None and paid is not None and paid > 0:
        if paid_on < filed_on:
            raise InputError("the payment date is before the filing date; give a payment made after filing")
        events.append({"date": paid_on.isoformat(), "type": "payment", "amount": format(paid, "f")})
    if as_of < filed_on:
        raise InputError(f"the 'as of' date {as_of.isoformat()} is before the filing date {filed_on.isoformat()}")
    scenario = parse_scenario({"form": form, "tax_year": tax_year, "as_of": as_of.isoformat(), "events": events})
    return compute_statement(scenario, as_of, rules=rules)


# --- transcripts ------------------------------------------------------------------------------


def analyze_transcript_upload(name: str, chunks: Iterable[bytes], as_of: date | None) -> Any:
    """Read an uploaded account transcript (PDF or text) and analyze it."""
    from balancedue.services import transcripts

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-100:] or "transcript.txt"
    with tempfile.TemporaryDirectory(prefix="transcript-", dir=uploads_dir()) as folder:
        path = Path(folder) / safe
        with path.open("wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        return transcripts.analyze_files([path], as_of=as_of)
