"""Working a case from the web app: the dashboard, the case page, letters, calls, checks.

Every function takes the scope of the person asking as data: the set of client ids they may
see, or ``None`` for every client.  A case outside the scope is answered exactly like one that
does not exist.  Nothing here knows of requests, uploads or accounts: ``balancedue.web`` turns
a logged-in user into a scope and stages uploaded files.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.advice.report import PayInFull, Report
from balancedue.cases.errors import CaseNotFoundError
from balancedue.cases.records import CaseFile, CaseSummary, CaseVerification, CaseVersion, Reminder
from balancedue.letters import LetterKind
from balancedue.rules import RuleSet
from balancedue.services import analyze as analyze_service
from balancedue.services import case_letters, cases, notice_fields

Scope = frozenset[int] | None
"""The client ids a person may see; ``None`` means every client."""

LETTER_KINDS: tuple[str, ...] = tuple(kind.value for kind in LetterKind)
"""The letters that can be written from a case."""


def case_number(scope: Scope, ref: str | int) -> int:
    """The number of a case within ``scope``; not found otherwise (even if it exists)."""
    text = str(ref).strip()
    if not text.isdigit():
        raise CaseNotFoundError(text)
    number = int(text)
    client = cases.store().client_of_case(number)
    if client is None or (scope is not None and client not in scope):
        raise CaseNotFoundError(text)
    return number


# --- the dashboard ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One case on the dashboard."""

    summary: CaseSummary
    amount_due: Decimal | None
    days_left: int | None
    urgency: str  # "overdue", "urgent" (within 7 days), "soon" (within 30), "later", "none"
    pay_today: PayInFull | None = None


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


def _versions(scope: Scope, number: int | None = None) -> dict[int, CaseVersion]:
    """The version of each case within ``scope`` (or of case ``number``): see ``cases.versions``."""
    store = cases.store()
    from balancedue.cases.versions import case_versions  # Django's models: once the store is open

    return case_versions(store.using, scope, number)


Versions = tuple[tuple[int, str, str], ...]
"""Which state of each case a page is worked out from: (number, journal head, state digest)."""


def dashboard_versions(scope: Scope) -> Versions:
    """What the dashboard of ``scope`` is worked out from, besides the day and the rules: the
    cases within ``scope`` and the state each is in (one query).  Equal versions, equal day and
    equal rules give the same dashboard."""
    found = _versions(scope)
    return tuple((number, v.journal_head, v.state_digest) for number, v in sorted(found.items()))


def dashboard(scope: Scope, today: date, rules: RuleSet) -> Dashboard:
    """The cases within ``scope``, by urgency, with their next deadline, the amount printed on
    the notice and the amount to pay in full today."""
    listing = cases.list_cases(today)
    known = cases.store().amounts_due(scope)
    heads = {number: v.journal_head for number, v in _versions(scope).items()}
    summaries = [s for s in listing.cases if s.number in known and s.number in heads]
    active = [s for s in summaries if s.status.value in ("open", "waiting")]
    rows = []
    for summary in active:
        days = (summary.next_due - today).days if summary.next_due else None
        pay = pay_today_of(summary.number, heads[summary.number], today, rules)
        rows.append(DashboardRow(summary, known[summary.number], days, _urgency(days), pay))
    rows.sort(key=lambda r: (r.days_left is None, r.days_left if r.days_left is not None else 0, r.summary.number))
    reminders = tuple(r for r in listing.reminders if r.case_number in known)
    total = sum((r.amount_due for r in rows if r.amount_due is not None), Decimal(0))
    return Dashboard(tuple(rows), reminders, total, len(summaries) - len(active))


# --- the case page ----------------------------------------------------------------------------

_reports: OrderedDict[tuple[int, str, date], Report | None] = OrderedDict()
_reports_lock = threading.Lock()
_REPORTS_KEPT = 32
_pay_figures: OrderedDict[tuple[int, str, date], PayInFull | None] = OrderedDict()
_PAY_FIGURES_KEPT = 4096


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page shows."""

    case_file: CaseFile
    report: Report | None
    reminders: tuple[Reminder, ...]
    total_paid: Decimal
    letter_kinds: tuple[str, ...]


def forget_reports() -> None:
    """Drop the kept analyses (tests start from nothing)."""
    with _reports_lock:
        _reports.clear()


def case_report(case_file: CaseFile, today: date, rules: RuleSet) -> Report | None:
    """The analysis of the case's notice as of ``today`` (kept while the journal is unchanged)."""
    key = (case_file.case.number, case_file.case.journal_head, today)
    with _reports_lock:
        if key in _reports:
            return _reports[key]
    notice = notice_fields.kept_notice(case_file, rules)
    report = analyze_service.analyze_notice(notice, today, rules=rules) if notice is not None else None
    with _reports_lock:
        _reports[key] = report
        while len(_reports) > _REPORTS_KEPT:
            _reports.popitem(last=False)
    return report


def pay_today(case_file: CaseFile, today: date, rules: RuleSet) -> PayInFull | None:
    """The amount to pay in full today for a case (the first figure of its analysis), from its
    notice as reviewed and corrected, never read again: the kept analysis when there is one,
    otherwise that figure alone (a few milliseconds, against a second or so for the whole
    analysis with its options).  None for a case whose journal does not keep its notice."""
    key = (case_file.case.number, case_file.case.journal_head, today)
    with _reports_lock:
        if key in _reports:
            report = _reports[key]
            return report.pay_in_full_today if report is not None else None
        if key in _pay_figures:
            _pay_figures.move_to_end(key)
            return _pay_figures[key]
    notice = notice_fields.reviewed_notice(case_file)
    figure = analyze_service.pay_in_full_today(notice, today, rules=rules) if notice is not None else None
    with _reports_lock:
        _pay_figures[key] = figure
        while len(_pay_figures) > _PAY_FIGURES_KEPT:
            _pay_figures.popitem(last=False)
    return figure


def pay_today_of(number: int, journal_head: str, today: date, rules: RuleSet) -> PayInFull | None:
    """:func:`pay_today` for a list row, which knows the case only by its number and the head of
    its journal: a figure already worked out for that journal and day is given again without
    reading the case (any change to the case moves the head, so the figure cannot be stale)."""
    key = (number, journal_head, today)
    with _reports_lock:
        if key in _pay_figures:
            _pay_figures.move_to_end(key)
            return _pay_figures[key]
        report = _reports.get(key)
        if key in _reports:
            return report.pay_in_full_today if report is not None else None
    return pay_today(cases.show_case(str(number)), today, rules)


def case_version(scope: Scope, ref: str | int) -> Versions:
    """What the page of a case within ``scope`` is worked out from, besides the day and the rules:
    its number and the state it is in (one query); not found outside ``scope``, as
    :func:`case_number`."""
    text = str(ref).strip()
    if not text.isdigit():
        raise CaseNotFoundError(text)
    found = _versions(scope, int(text)).get(int(text))
    if found is None:
        raise CaseNotFoundError(text)
    return ((int(text), found.journal_head, found.state_digest),)


def case_view(scope: Scope, ref: str | int, today: date, rules: RuleSet) -> CaseView:
    """The case file, its analysis and its reminders, for a case within ``scope``."""
    number = case_number(scope, ref)
    case_file = cases.show_case(str(number))
    return CaseView(
        case_file=case_file,
        report=case_report(case_file, today, rules),
        reminders=tuple(cases.case_reminders(str(number), today)),
        total_paid=cases.total_paid(case_file),
        letter_kinds=LETTER_KINDS,
    )


def case_chart_svg(scope: Scope, ref: str | int, today: date, rules: RuleSet) -> str | None:
    """The balance chart of the case's options as SVG, or None when there is nothing to draw."""
    from balancedue.reports.chart import balance_chart_svg

    number = case_number(scope, ref)
    report = case_report(cases.show_case(str(number)), today, rules)
    return balance_chart_svg(report) if report is not None else None


@dataclass(frozen=True, slots=True)
class FileDownload:
    """A file to hand to the person."""

    name: str
    media_type: str
    data: bytes


def case_document(scope: Scope, ref: str | int, document_number: int) -> FileDownload:
    """A document kept in a case."""
    number = case_number(scope, ref)
    case_file = cases.show_case(str(number))
    document = next((d for d in case_file.documents if d.number == document_number), None)
    if document is None:
        raise CaseNotFoundError(f"{number} document {document_number}")
    return FileDownload(document.name, document.media_type, cases.store().documents.read(document.sha256))


def write_case_letter(
    scope: Scope, ref: str | int, kind: str, *, today: date, facts: str | None, work: Path, rules: RuleSet,
    enclosures: Sequence[str] = (),
) -> FileDownload:
    """Write a letter from the case (kept in the case, PDF and DOCX) in the folder ``work`` and
    hand back its PDF."""
    number = case_number(scope, ref)
    request = case_letters.LetterRequest(kind=kind, today=today, facts=facts, enclosures=tuple(enclosures))
    written = case_letters.write_letter(str(number), request, work, rules)
    pdf = written.files[0]
    return FileDownload(pdf.name, case_letters.PDF_TYPE, pdf.read_bytes())


def case_calendar(scope: Scope, ref: str | int, work: Path) -> FileDownload:
    """The case's deadlines as an iCalendar file (written in the folder ``work``)."""
    number = case_number(scope, ref)
    out = work / f"balancedue-case-{number}.ics"
    case_letters.write_calendar(out, str(number))
    return FileDownload(out.name, "text/calendar", out.read_bytes())


def log_case_call(scope: Scope, ref: str | int, **call: Any) -> None:
    """Record a call with the IRS in a case within ``scope``."""
    cases.log_call(str(case_number(scope, ref)), **call)


def verify_case(scope: Scope, ref: str | int) -> CaseVerification:
    """Check the journal chain and documents of a case within ``scope``."""
    return cases.verify_case(str(case_number(scope, ref)))
