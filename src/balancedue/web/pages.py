"""What each page shows, worked out before the template sees it.

Templates only print these dataclasses: every money figure is already formatted, every date
already written out, every choice already made.  Records from the services go in; nothing from
the database goes to a template.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.forms import BoundField, Form
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString

from balancedue import presentation
from balancedue.advice.report import PayInFull, RealSection, Report, ReturnCheckSection
from balancedue.cases.records import CaseFile, JournalRecord
from balancedue.presentation import day as when
from balancedue.presentation import days_from_today as days_text
from balancedue.presentation import field_label, journal_title, money
from balancedue.services.casework import CaseView, Dashboard
from balancedue.services.notice_fields import EDITABLE_FIELDS
from balancedue.web.uploads import StagedNotice

NAV = (
    ("dashboard", "Cases"),
    ("desk", "Deadline desk"),
    ("review_queue", "To check"),
    ("new_case", "New case"),
    ("calculator", "Calculator"),
    ("transcripts", "Transcripts"),
    ("scam_check", "Scam check"),
)
"""The navigation: each page's URL name and label."""

SECTION_TITLES = {section.key: section.title for section in presentation.SECTIONS}


@functools.cache
def _nav_links(prefix: str) -> tuple[tuple[str, str, str], ...]:
    """(URL name, address, label) of each navigation link, under the script ``prefix``."""
    return tuple((name, reverse(name), label) for name, label in NAV)


@functools.cache
def _frame(prefix: str) -> dict[str, Any]:
    """What every page's frame links to, under the script ``prefix``: worked out once."""
    return {
        "nav": _nav_links(prefix),
        "home_url": reverse("dashboard"),
        "logout_url": reverse("logout"),
        "assets": SafeString(render_to_string("web/assets.html")),
    }


def site(request: HttpRequest) -> dict[str, Any]:
    """Context of every page: the mode, the navigation and the style and scripts (their addresses
    worked out once)."""
    match = getattr(request, "resolver_match", None)
    return {
        "practice_mode": settings.PRACTICE_MODE,
        "sections": SECTION_TITLES,
        "current_page": match.url_name if match is not None else None,
        **_frame(get_script_prefix()),
    }


# --- dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    number: int
    client: str
    title: str
    status: str
    next_what: str
    next_due: str
    days_left: str
    urgency: str
    amount_due: str
    pay_today: str = ""
    pay_note: str = ""


def pay_today_cell(pay: PayInFull | None, printed: Decimal | None, today: date) -> tuple[str, str]:
    """A list's "to pay today" cell: today's figure and how long it holds, or, for a case whose
    journal does not keep its notice, the amount printed on it, said so."""
    if pay is not None:
        return money(pay.amount.amount), pay_today_note(pay, today)
    if printed is not None:
        return money(printed), "printed on the notice; today's figure is not known"
    return "", ""


@dataclass(frozen=True)
class DashboardPage:
    rows: list[CaseRow]
    reminders: list[str]
    total_due: str
    closed: int
    today: str


def dashboard_page(board: Dashboard, today: date) -> DashboardPage:
    return DashboardPage(
        rows=[
            CaseRow(
                number=r.summary.number,
                client=r.summary.client_name,
                title=r.summary.title,
                status=r.summary.status.value,
                next_what=r.summary.next_what or "No deadline ahead",
                next_due=when(r.summary.next_due),
                days_left=presentation.due_in(r.days_left) if r.days_left is not None else "",
                urgency=r.urgency,
                amount_due=money(r.amount_due),
                pay_today=pay_today_cell(r.pay_today, r.amount_due, today)[0],
                pay_note=pay_today_cell(r.pay_today, r.amount_due, today)[1],
            )
            for r in board.rows
        ],
        reminders=[
            f"Case {r.case_number}: {r.what} is due {when(r.due)} ({presentation.due_in(r.days_left)})" for r in board.reminders
        ],
        total_due=money(board.total_due),
        closed=board.closed,
        today=when(today),
    )


# --- review of a read notice ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    field: BoundField
    label: str
    confidence: str
    level: str
    needs_review: bool
    source_text: str


@dataclass(frozen=True)
class ReviewPage:
    form: Form
    document: str
    source: str
    rows: list[ReviewRow]
    warnings: list[str]


def review_initial(staged: StagedNotice, client_name: str) -> dict[str, str]:
    values = {f.name: f.value or "" for f in _read(staged).fields}
    return {"token": staged.token, "client_name": client_name, **{n: values.get(n, "") for n in EDITABLE_FIELDS}}


def _read(staged: StagedNotice) -> Any:
    from balancedue.services.read import review_fields

    return review_fields(staged.notice)


def review_page(staged: StagedNotice, form: Form) -> ReviewPage:
    read = _read(staged)
    by_name = {f.name: f for f in read.fields}
    rows = []
    for name in EDITABLE_FIELDS:
        item = by_name.get(name)
        rows.append(
            ReviewRow(
                field=form[name],
                label=field_label(name),
                confidence=f"{round(item.confidence * 100)}%" if item and item.value is not None else "",
                level=item.confidence_level if item else "not found",
                needs_review=bool(item and item.needs_review),
                source_text=(item.source_text or "") if item else "",
            )
        )
    return ReviewPage(form=form, document=staged.name, source=read.source, rows=rows, warnings=list(read.warnings))


# --- the case page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineRow:
    number: int
    what: str
    due: str
    days_left: str
    passed: bool
    tag: str
    basis: str
    consequence: str
    source: str


@dataclass(frozen=True)
class OptionRow:
    title: str
    eligible: str
    monthly: str
    months: str
    total_cost: str
    extra_cost: str
    reasons: list[str]
    next_step: str


@dataclass(frozen=True)
class ComparisonRow:
    item: str
    notice: str
    recomputed: str
    difference: str
    verdict: str


@dataclass(frozen=True)
class JournalRow:
    sequence: int
    kind: str
    when: str
    title: str
    details: list[str]


@dataclass(frozen=True)
class NoticeFieldRow:
    label: str
    value: str
    confidence: str
    reason: str
    name: str = ""
    correctable: bool = False


@dataclass(frozen=True)
class DocumentRow:
    number: int
    name: str
    kind: str
    size: str
    added: str


@dataclass(frozen=True)
class RouteRow:
    """A right or a route (appeal, hearing, court), with its deadline."""

    title: str
    when: str
    how: str
    deadline: str
    due: str
    passed: bool
    tradeoffs: list[str]
    source: str


@dataclass(frozen=True)
class ReturnCheckFigureRow:
    item: str
    notice: str
    recomputed: str
    yours: str
    verdict: str
    note: str


@dataclass(frozen=True)
class ReturnCheckView:
    """The proposed changes re-run on the person's return (a CP2000 with a return given)."""

    tax_year: str
    summary: str
    figures: list[ReturnCheckFigureRow]
    items: list[str]
    notes: list[str]
    answer: str


@dataclass(frozen=True)
class FirstScreen:
    """The three answers at the top of a case: what this is, what to do by when, how much."""

    what: str
    next_what: str = ""
    next_due: str = ""
    next_days: str = ""
    overdue: bool = False
    passed: list[str] = field(default_factory=list)
    pay_today: str = ""
    pay_note: str = ""


@dataclass(frozen=True)
class CasePage:
    number: int
    title: str
    client: str
    status: str
    amount_due: str
    total_paid: str
    notice_date: str
    received: str
    what_title: str = ""
    what_meaning: str = ""
    what_next: str = ""
    rights: list[str] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    verification_summary: str = ""
    comparisons: list[ComparisonRow] = field(default_factory=list)
    to_gather: list[str] = field(default_factory=list)
    options: list[OptionRow] = field(default_factory=list)
    has_chart: bool = False
    chart_text: str = ""
    do_nothing: list[str] = field(default_factory=list)
    real: RealSection | None = None
    professional_advised: bool = False
    professional: list[str] = field(default_factory=list)
    notice_fields: list[NoticeFieldRow] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    journal: list[JournalRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    disclaimer: str = ""
    first: FirstScreen | None = None
    stand_title: str = ""
    stand: list[str] = field(default_factory=list)
    routes: list[RouteRow] = field(default_factory=list)
    return_check: ReturnCheckView | None = None


def _verdict(matches: bool | None) -> str:
    return "matches" if matches else "differs" if matches is False else "cannot compare"


_JOURNAL_DETAILS = ("summary", "outcome", "follow_up", "phone", "text", "reason", "started_at", "ended_at",
                    "confirmation", "enclosures", "what", "checks")


def _journal_row(entry: JournalRecord) -> JournalRow:
    payload = entry.payload
    details: list[str] = []
    for key in _JOURNAL_DETAILS:
        value = payload.get(key)
        if key == "checks" and isinstance(value, list):
            details.extend(str(v) for v in value)
            continue
        if value:
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            details.append(f"{presentation.PAYLOAD_LABELS.get(key) or presentation.words(key)}: {shown}")
    details.extend(presentation.redated_lines(payload))
    title = journal_title(entry)
    return JournalRow(entry.sequence, str(entry.kind), entry.created_at.strftime("%Y-%m-%d %H:%M UTC"), title, details)


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


_ANSWERS = {"agree": "agree", "partly_agree": "partly agree", "disagree": "disagree"}


def _return_check(section: ReturnCheckSection) -> ReturnCheckView:
    return ReturnCheckView(
        tax_year=str(section.tax_year),
        summary=section.summary,
        figures=[
            ReturnCheckFigureRow(c.item, money(c.notice.amount) if c.notice else "",
                                 money(c.recomputed.amount) if c.recomputed else "",
                                 money(c.yours.amount) if c.yours else "", _verdict(c.matches), c.note or "")
            for c in section.comparisons
        ],
        items=[
            f"{i.number}. Form {i.form} from {i.payer}: notice {money(i.irs_amount.amount)}, your facts "
            f"{money(i.your_amount.amount)}: {_ANSWERS.get(i.answer, presentation.words(i.answer))} ({i.verdict})"
            for i in section.items
        ],
        notes=[*section.notes, *(f"Send: {d}" for i in section.items for d in i.send)],
        answer=_ANSWERS.get(section.answer, presentation.words(section.answer)),
    )


def _report_parts(report: Report) -> dict[str, Any]:
    verification = report.verification
    stand = report.where_you_stand
    chart_lines = [
        f"{o.title}: {money(o.series[-1].balance)} by {when(o.series[-1].date)}" for o in report.options.options if o.series
    ]
    return {
        "what_title": report.what_this_is.title,
        "what_meaning": report.what_this_is.meaning,
        "what_next": report.what_this_is.what_happens_next or "",
        "rights": list(report.what_this_is.rights),
        "verification_summary": verification.summary,
        "comparisons": [
            ComparisonRow(
                field_label(c.item),
                money(c.notice.amount) if c.notice else "",
                money(c.recomputed.amount) if c.recomputed else "",
                money(c.difference.amount) if c.difference else "",
                _verdict(c.matches),
            )
            for c in verification.comparisons
        ],
        "to_gather": list(verification.documents_to_gather),
        "options": [
            OptionRow(
                title=o.title,
                eligible=o.eligible,
                monthly=money(o.monthly_payment.amount) if o.monthly_payment else "",
                months=str(o.months) if o.months else "",
                total_cost=money(o.total_cost.amount) if o.total_cost else "",
                extra_cost=money(o.total_interest_and_penalty.amount) if o.total_interest_and_penalty else "",
                reasons=list(o.reasons),
                next_step=o.next_step,
            )
            for o in report.options.options
        ],
        "has_chart": bool(chart_lines),
        "chart_text": "; ".join(chart_lines),
        "do_nothing": [
            *(f"In {p.days} days ({when(p.date)}): {money(p.balance.amount)}" for p in report.if_you_do_nothing.points),
            *report.if_you_do_nothing.notices_that_follow,
            *report.if_you_do_nothing.risks,
        ],
        "real": report.is_this_real,
        "professional_advised": report.professional.advised,
        "professional": [
            *(f.reason for f in report.professional.findings),
            *report.professional.taxpayer_advocate,
            *report.professional.low_income_clinic,
        ],
        "notice_fields": [
            NoticeFieldRow(
                field_label(f.name),
                "" if f.value is None else f.value,
                f.confidence_level,
                f.reason or "",
                name=f.name,
                correctable=f.name in EDITABLE_FIELDS,
            )
            for f in report.notice.fields
        ],
        "next_steps": [f"{when(s.by) + ': ' if s.by else ''}{s.what}" for s in report.next_steps],
        "disclaimer": report.disclaimer,
        "stand_title": f"the notice is {stand.notice_age_days} days old" if stand is not None else "",
        "stand": [
            *(f"Passed: {line}" for line in stand.passed),
            *(f"Most likely since: {line}" for line in stand.likely_since),
            *(f"Check first: {line}" for line in stand.check_first),
            *stand.today_figures,
        ] if stand is not None else [],
        "routes": [
            RouteRow(
                title=r.title, when=r.when, how=r.how.rstrip("."), deadline=r.deadline,
                due=when(r.deadline_date) if r.deadline_date else "", passed=bool(r.passed),
                tradeoffs=list(r.tradeoffs), source=r.source,
            )
            for r in report.rights_and_routes
        ],
        "return_check": _return_check(report.return_check) if report.return_check is not None else None,
    }


def pay_today_note(pay: PayInFull, today: date) -> str:
    """How long the figure to pay today holds: "holds today only" or "holds until June 23, 2025",
    and what it becomes next."""
    note = ("holds today only" if pay.holds_until <= today else f"holds until {when(pay.holds_until)}")
    if pay.amount.rule == presentation.PRINTED_ONLY_RULE:
        note = presentation.pay_holds(pay.amount.rule, pay.holds_until, today)
    if pay.next_date is not None and pay.next_amount is not None:
        note += f"; from {when(pay.next_date)}: {money(pay.next_amount.amount)}"
    return note


def _pay_today(report: Report | None, today: date) -> tuple[str, str]:
    """The one figure to pay in full today (the report's first figure), and how long it holds."""
    if report is None or report.pay_in_full_today is None:
        return "", ""
    pay = report.pay_in_full_today
    return money(pay.amount.amount), pay_today_note(pay, today)


def first_screen(case_file: CaseFile, report: Report | None, today: date) -> FirstScreen:
    """What to do by when and how much, from the case's deadlines and its analysis."""
    case = case_file.case
    what = report.what_this_is.title if report is not None else case.title
    open_deadlines = sorted(case_file.deadlines, key=lambda d: d.due)
    ahead = [d for d in open_deadlines if d.due >= today]
    passed = [d for d in open_deadlines if d.due < today]
    pay, note = _pay_today(report, today)
    if not pay and case.amount_due is not None:
        pay, note = money(case.amount_due), "the amount printed on the notice"
    nxt = ahead[0] if ahead else (passed[-1] if passed else None)
    return FirstScreen(
        what=what,
        next_what=nxt.what if nxt else "",
        next_due=when(nxt.due) if nxt else "",
        next_days=presentation.due_in((nxt.due - today).days) if nxt else "",
        overdue=bool(nxt and nxt.due < today),
        passed=[f"{d.what}: {when(d.due)} ({presentation.due_in((d.due - today).days)})" for d in passed],
        pay_today=pay,
        pay_note=note,
    )


def case_page(view: CaseView, today: date) -> CasePage:
    case_file: CaseFile = view.case_file
    case = case_file.case
    parts = _report_parts(view.report) if view.report is not None else {}
    return CasePage(
        first=first_screen(case_file, view.report, today),
        number=case.number,
        title=case.title,
        client=case.client.name,
        status=case.status.value,
        amount_due=money(case.amount_due),
        total_paid=money(view.total_paid),
        notice_date=when(case.notice_date),
        received=when(case.date_received),
        deadlines=[
            DeadlineRow(d.number, d.what, when(d.due), presentation.due_in((d.due - today).days), d.due < today,
                        d.tag, d.basis, d.consequence or "", d.source)
            for d in case_file.deadlines
        ],
        journal=[_journal_row(e) for e in reversed(case_file.journal)],
        documents=[
            DocumentRow(d.number, d.name, d.kind.value, _size(d.size), d.added_at.strftime("%Y-%m-%d"))
            for d in case_file.documents
        ],
        reminders=[f"{r.what} is due {when(r.due)} ({days_text(r.days_left)})" for r in view.reminders],
        **parts,
    )
