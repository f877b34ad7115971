"""User action: analyze a notice - read, verify, decide, act, protect - into one report."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from balancedue.advice import sections
from balancedue.advice.deadlines import notice_deadlines
from balancedue.advice.finances import Finances, read_finances
from balancedue.advice.fta import FtaOutcome
from balancedue.advice.payroll import is_payroll
from balancedue.advice.plan import build_decision_sections, pay_today_section
from balancedue.advice.report import PayInFull, RealSection, Report, RouteItem, Step
from balancedue.advice.routes import rights_and_routes
from balancedue.advice.standing import where_you_stand
from balancedue.advice.verification import (
    NoticeFigures,
    NoticeVerification,
    RecomputationBasis,
    Records,
    parse_records,
    return_due_date,
    verify_notice,
)
from balancedue.engine import Scenario
from balancedue.intake.given import GIVEN_PARSER, Asker
from balancedue.intake.models import Notice, SourceKind
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.scam_signals import Verdict
from balancedue.services.documents import read_structured_file
from balancedue.services.read import read_notice
from balancedue.services.scam import check_notice_text


@dataclass(frozen=True)
class AnalysisInputs:
    """Everything ``balancedue analyze`` was given."""

    notice: Path
    today: date
    records: Path | None = None
    transcripts: Sequence[Path] = ()
    finances: Path | None = None
    return_summary: Path | None = None
    given: Mapping[str, str] = field(default_factory=dict)  # --set FIELD=VALUE
    ask: Asker | None = None  # asks the person for key fields that were not read


def _decimal(notice: Notice, name: str) -> Decimal | None:
    value = notice.fields[name].value
    return value if isinstance(value, Decimal) else None


def _text(notice: Notice, name: str) -> str | None:
    field = notice.fields.get(name)
    value = field.value if field is not None else None
    return value if isinstance(value, str) else None


def _date(notice: Notice, name: str) -> date | None:
    value = notice.fields[name].value
    return value if isinstance(value, date) else None


_BALANCE_FOR_YEAR = re.compile(
    r"^\s*(?:remaining\s*balance|balance\s*remaining|amount\s*you\s*still\s*owe|remaining\s*amount\s*due)"
    r"\s*(?:for|on)\s*(?:tax\s*year\s*)?(?P<year>(?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
"""A balance printed for a year other than the notice's: a refund offset (CP49) names the refund's
year as its tax year and prints what is still owed "for 2022", the year the debt is for."""


def _balance_year(notice: Notice) -> int | None:
    """The tax year the amount due is for, when its label names one (``Remaining balance for 2022``)."""
    if notice.tax_year.parser == GIVEN_PARSER:  # the person's own correction wins
        return None
    match = _BALANCE_FOR_YEAR.match(notice.amount_due.source_text or "") if notice.amount_due.found else None
    return int(match.group("year")) if match else None


def figures_of(notice: Notice) -> NoticeFigures:
    """The money figures and dates read from the notice (the year of the balance, when printed)."""
    year = _balance_year(notice) or notice.tax_year.value
    return NoticeFigures(
        tax_year=year if isinstance(year, int) else None,
        notice_date=_date(notice, "notice_date"),
        pay_by=_date(notice, "pay_by_date"),
        amount_due=_decimal(notice, "amount_due"),
        tax=_decimal(notice, "tax"),
        penalties=_decimal(notice, "penalties"),
        interest=_decimal(notice, "interest"),
        payments_and_credits=_decimal(notice, "payments_and_credits"),
    )


def load_records(path: Path | None) -> Records | None:
    """The taxpayer's records file, validated."""
    return None if path is None else parse_records(read_structured_file(path, "records"))


def load_finances(path: Path | None) -> Finances | None:
    """The household finances file, validated."""
    return None if path is None else read_finances(read_structured_file(path, "finances"))


@dataclass(frozen=True)
class FtaFromTranscripts:
    """The first-time abatement verdict in the shape the options expect."""

    eligible: bool | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class TranscriptHistory:
    """What the transcripts say about the notice's period."""

    account: Scenario | None = None
    fta: FtaFromTranscripts | None = None
    csed: date | None = None
    years_owed: int = 0
    notes: tuple[str, ...] = ()


def transcript_history(paths: Sequence[Path], tax_year: int | None, rules: RuleSet) -> TranscriptHistory:
    """Read the transcripts and pick out the notice's period, its CSED and its FTA verdict."""
    if not paths:
        return TranscriptHistory()
    # The transcript reader and its ledger, only when transcripts are given.
    from balancedue.services import transcripts as transcripts_service

    report = transcripts_service.analyze_files(paths, rules=rules)
    owed = sum(1 for p in report.periods if p.transcript.account_balance and p.transcript.account_balance > 0)
    period = next((p for p in report.periods if tax_year is not None and p.transcript.tax_year == tax_year), None)
    if period is None:
        return TranscriptHistory(
            years_owed=owed,
            notes=(f"No account transcript for tax year {tax_year} was given; the transcripts were used for history only.",),
        )
    notes: list[str] = []
    if period.reconciliation is not None:
        notes.append(
            "The account transcript reconciles to the cent."
            if period.reconciliation.reconciled
            else "The account transcript does not fully reconcile: run `balancedue transcript` for the differences."
        )
    fta = None
    if period.fta is not None:
        decided = {FtaOutcome.QUALIFIES: True, FtaOutcome.UNCERTAIN: None, FtaOutcome.INCOMPLETE: None}
        fta = FtaFromTranscripts(decided.get(period.fta.verdict, False), (*period.fta.reasons, period.fta.citation))
    latest = period.csed.latest
    return TranscriptHistory(
        account=period.ledger.scenario,
        fta=fta,
        csed=latest.csed if latest is not None else None,
        years_owed=owed,
        notes=tuple(notes),
    )


def analyze(inputs: AnalysisInputs, rules: RuleSet) -> Report:
    """Read the notice and the user's files, then build every section of the report."""
    summary = None
    if inputs.return_summary is not None:
        # The return check brings the tax calculator (tenforty and polars): loaded only when asked for.
        from balancedue.services import return_check

        summary = return_check.load_return_summary(inputs.return_summary)
    notice = read_notice(inputs.notice, rules=rules, given=inputs.given, ask=inputs.ask)
    report = analyze_notice(
        notice,
        inputs.today,
        rules=rules,
        records=load_records(inputs.records),
        transcripts=inputs.transcripts,
        finances=load_finances(inputs.finances),
    )
    if summary is not None:
        from balancedue.services import return_check

        report = return_check.with_return_check(report, summary, notice, rules)
    return report


MISSING_FIELD_FLAGS = {
    "notice_code": ("notice code", "--set notice_code=CP14", "what the notice is and its deadlines"),
    "notice_date": ("notice date", "--set notice_date=YYYY-MM-DD", "the deadlines counted from it, the recomputation and the interest to today"),
    "tax_year": ("tax year", "--set tax_year=YYYY", "the recomputation and the options"),
    "amount_due": ("amount due", "--set amount_due=1234.56", "the figure to pay in full and the options"),
}


def _missing_key_fields(figures: NoticeFigures, code: str | None, period_end: date | None, *,
                        bill: bool = False, periods: int = 1) -> list[str]:
    """For each key field not read: what needs it and the exact flag that supplies it.  A notice
    that prints its tax period (a quarter of Form 941, say) instead of a tax year lacks nothing;
    only a bill needs its amount due."""
    absent = {
        "notice_code": code is None,
        "notice_date": figures.notice_date is None,
        "tax_year": figures.tax_year is None and period_end is None,
        "amount_due": bill and figures.amount_due is None,
    }
    notes = []
    for name, is_absent in absent.items():
        if is_absent:
            label, flag, needed_by = MISSING_FIELD_FLAGS[name]
            if name == "tax_year" and periods > 1:
                notes.append(f"The notice covers {periods} tax periods and its total is the figure to pay; the "
                             "recomputation and the options work one tax year at a time. For one year's options, "
                             f"supply it with {flag} and that year's amount with --set amount_due=1234.56.")
                continue
            notes.append(f"The {label} was not read from the notice; {needed_by} need it. Supply it with {flag}.")
    return notes


def _is_payroll(notice: Notice) -> bool:
    return is_payroll([p.tax_form for p in notice.tax_periods] + [_text(notice, "tax_form")])


def _verification(figures: NoticeFigures, entry: NoticeEntry | None, payroll: bool, rules: RuleSet,
                  records: Records | None, history: TranscriptHistory) -> NoticeVerification:
    if payroll:
        return NoticeVerification(
            RecomputationBasis.NONE, figures.notice_date, (), None, (), (),
            summary=("A payroll (employment) tax notice: its penalties and interest are not recomputed here (the engine "
                     "recomputes individual income tax); the printed amount is used. Check each deposit against the "
                     "EFTPS record."),
        )
    return verify_notice(
        figures, rules, records, transcript_account=history.account, transcript_notes=history.notes, entry=entry
    )


def pay_in_full_today(notice: Notice, today: date, *, rules: RuleSet) -> PayInFull | None:
    """The first figure of :func:`analyze_notice`'s report for a notice already read (no records,
    transcripts or finances, as a case page analyses it), without the rest of the report: what a
    list of cases shows beside each case."""
    code = notice.notice_code.value if isinstance(notice.notice_code.value, str) else None
    entry = rules.notices.find(code) if code else None
    figures = figures_of(notice)
    payroll = _is_payroll(notice)
    verification = _verification(figures, entry, payroll, rules, None, transcript_history((), figures.tax_year, rules))
    return pay_today_section(entry=entry, notice_date=figures.notice_date, verification=verification, today=today,
                             rules=rules, printed=figures.amount_due, tax_year=figures.tax_year, business_payroll=payroll,
                             pay_by=figures.pay_by)


def analyze_notice(
    notice: Notice,
    today: date,
    *,
    rules: RuleSet,
    records: Records | None = None,
    transcripts: Sequence[Path] = (),
    finances: Finances | None = None,
) -> Report:
    """Every section of the report for a notice already read (and, when given, the records,
    transcripts and finances already loaded)."""
    code = notice.notice_code.value if isinstance(notice.notice_code.value, str) else None
    entry = rules.notices.find(code) if code else None
    figures = figures_of(notice)
    deadlines, deadline_warnings = (
        notice_deadlines(
            entry,
            notice_date=figures.notice_date,
            pay_by=figures.pay_by,
            respond_by=_date(notice, "respond_by_date"),
            amount_due=figures.amount_due,
            today=today,
            rules=rules,
            payment_due=return_due_date(figures.tax_year, rules) if figures.tax_year is not None else None,
        )
        if entry is not None
        else ([], ["The notice code is unknown, so no deadline could be computed from it."])
    )
    history = transcript_history(transcripts, figures.tax_year, rules)
    payroll = _is_payroll(notice)
    verification = _verification(figures, entry, payroll, rules, records, history)
    verdict = check_notice_text(
        notice.text, today, from_ocr=notice.source in (SourceKind.IMAGE, SourceKind.SCANNED_PDF), rules=rules
    )
    real = RealSection.model_validate(verdict.as_report_section())
    plan = build_decision_sections(
        entry=entry,
        notice_date=figures.notice_date,
        tax_periods=len(notice.tax_periods),
        verification=verification,
        today=today,
        rules=rules,
        finances=finances,
        fta=history.fta,
        csed=history.csed,
        tax_years_owed=history.years_owed,
        printed=figures.amount_due,
        tax_year=figures.tax_year,
        business_payroll=payroll,
        pay_by=figures.pay_by,
    )
    missing = _missing_key_fields(figures, code, _date(notice, "tax_period_end"), bill=entry is not None and entry.is_bill,
                                  periods=len(notice.tax_periods))
    if missing:
        plan = replace(plan, options=plan.options.model_copy(update={"notes": [*plan.options.notes, *missing]}))
        if plan.pay_today is not None and figures.notice_date is None:
            plan = replace(plan, pay_today=plan.pay_today.model_copy(update={"notes": [*plan.pay_today.notes, *missing]}))
        deadline_warnings = [*deadline_warnings, *missing]
    read = sections.notice_read(notice)
    if deadline_warnings:
        read = read.model_copy(update={"warnings": [*read.warnings, *deadline_warnings]})
    notice_id = notice.notice_id.value if isinstance(notice.notice_id.value, str) else None
    steps = sections.next_steps(
        today=today,
        code=code,
        tax_year=figures.tax_year,
        notice_id=notice_id,
        deadlines=deadlines,
        verification=verification,
        options=plan.options.options,
        scam_suspected=verdict.verdict is not Verdict.CONSISTENT,
    )
    respond_by = _date(notice, "respond_by_date")
    routes = rights_and_routes(
        entry, figures.notice_date, respond_by or (figures.pay_by if entry and entry.stage.value == "lien" else None),
        today, rules, tax_year=figures.tax_year,
        levy_risk=entry is not None and entry.stage.value in ("intent_to_levy", "final_notice_cdp", "after_hearing_rights"),
    )
    route_items = [
        RouteItem(id=r.id, title=r.title, when=r.when, how=r.how, deadline=r.deadline, deadline_date=r.deadline_date,
                  passed=r.passed(today), court_review=r.court_review, tradeoffs=list(r.tradeoffs), source=r.source)
        for r in routes
    ]
    standing = where_you_stand(entry, figures.notice_date, deadlines, today, rules, tax_year=figures.tax_year,
                               pay=plan.pay_today)
    if standing is not None:
        steps = [
            Step(by=today, what="Check where the account stands today before acting on this notice's amounts.",
                 detail=" ".join(standing.check_first)),
            *(s for s in steps if not s.what.startswith("Write today's date")),
        ]
    return Report(
        today=today,
        pay_in_full_today=plan.pay_today,
        where_you_stand=standing,
        notice=read,
        what_this_is=sections.what_this_is(entry, code),
        deadlines=sections.deadline_items(deadlines),
        verification=sections.verification_section(verification),
        options=plan.options,
        if_you_do_nothing=plan.do_nothing,
        is_this_real=real,
        professional=plan.professional,
        rights_and_routes=route_items,
        next_steps=steps,
    )
