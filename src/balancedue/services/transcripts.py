"""User action of ``balancedue transcript``: read transcripts, reconcile, CSED and first-time abatement.

Files are read here (text, or a PDF's text layer through pdfplumber); everything else is done by
the pure parser (``intake.transcripts``), the ledger and CSED (``engine``) and the advice.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.advice.fta import (
    FtaResult,
    PeriodHistory,
    check_first_time_abatement,
    history_from_transcript,
    lookback_years,
)
from balancedue.engine.csed import CsedReport, transcript_csed
from balancedue.engine.money import ZERO
from balancedue.engine.scenario import EventType
from balancedue.engine.statement import Statement
from balancedue.engine.transcript_ledger import (
    Ledger,
    Reconciliation,
    accrual_date,
    build_ledger,
    project,
    reconcile,
)
from balancedue.errors import InputError
from balancedue.intake.transcripts import (
    AccountTranscript,
    NotATranscriptError,
    Transaction,
    WageAndIncomeTranscript,
    parse_transcripts,
)
from balancedue.rules import RuleSet
from balancedue.rules.transaction_codes import PenaltyKind
from balancedue.services.serialize import to_jsonable

REPORT_VERSION = "1"
MAX_TRANSCRIPT_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class PeriodReport:
    """Everything found for one form and tax period."""

    source: str
    transcript: AccountTranscript
    ledger: Ledger
    reconciliation: Reconciliation | None
    csed: CsedReport
    fta: FtaResult | None
    projection: Statement | None
    projection_date: date | None
    unknown: tuple[Transaction, ...]


@dataclass(frozen=True)
class WithholdingCheck:
    """Withholding reported by employers and payers against the withholding posted (TC 806)."""

    tax_year: int
    reported: Decimal
    posted: Decimal | None
    source: str

    @property
    def difference(self) -> Decimal | None:
        """Posted minus reported (``None`` without an account transcript for the year)."""
        return None if self.posted is None else self.posted - self.reported


@dataclass(frozen=True)
class TranscriptReport:
    """The report of every file given."""

    sources: tuple[str, ...]
    periods: tuple[PeriodReport, ...]
    income: tuple[WageAndIncomeTranscript, ...]
    withholding: tuple[WithholdingCheck, ...]
    warnings: tuple[str, ...]


def pdf_text(path: Path) -> str:
    """The text layer of a PDF, page after page."""
    import pdfplumber  # imported here: only PDFs need it

    from balancedue.intake.pdf import (
        MAX_PAGE_CONTENT_BYTES,
        MAX_PDF_PAGES,
        content_bytes,
        has_reference_loop,
    )

    try:
        pdf = pdfplumber.open(io.BytesIO(path.read_bytes()))
        if has_reference_loop(pdf.doc):  # checked before ``with``: closing would follow the loop too
            raise InputError(f"{path.name!r} is a damaged PDF (an object refers to itself)")
        with pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError(f"{path.name!r} has {len(pdf.pages)} pages, more than the {MAX_PDF_PAGES} a transcript could have")
            pages = []
            for number, page in enumerate(pdf.pages, start=1):
                if content_bytes(page.page_obj) > MAX_PAGE_CONTENT_BYTES:
                    raise InputError(f"{path.name!r} page {number} holds far more drawing instructions than any transcript")
                pages.append(page.extract_text() or "")
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # pdfminer and pdfplumber raise many kinds of error on damaged files
        raise InputError(f"{path.name!r} is not a readable PDF ({type(exc).__name__})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise InputError(f"{path.name!r} has no text layer (a scan?): save the transcript as text or a text PDF")
    return text


def read_transcript_file(path: Path) -> str:
    """The text of a transcript file (plain text, or the text layer of a PDF)."""
    if not path.exists():
        raise InputError(f"transcript file {str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"transcript path {str(path)!r} is not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"transcript file {path.name!r} is empty")
    if size > MAX_TRANSCRIPT_FILE_BYTES:
        raise InputError(f"transcript file {path.name!r} is {size:,} bytes; the limit is {MAX_TRANSCRIPT_FILE_BYTES:,}")
    with path.open("rb") as handle:
        head = handle.read(5)
    if head == b"%PDF-" or path.suffix.lower() == ".pdf":
        return pdf_text(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"transcript file {path.name!r} is neither UTF-8 text nor a PDF") from None


def analyze_files(paths: Sequence[Path], *, as_of: date | None = None, rules: RuleSet) -> TranscriptReport:
    """Read every file and analyze the transcripts in them."""
    documents = [(path.name, read_transcript_file(path)) for path in paths]
    return analyze(documents, as_of=as_of, rules=rules)


def analyze(documents: Sequence[tuple[str, str]], *, as_of: date | None = None, rules: RuleSet) -> TranscriptReport:
    """Parse, reconcile, compute the CSED and check first-time abatement for ``(name, text)`` pairs."""
    found: list[tuple[str, AccountTranscript]] = []
    income: list[WageAndIncomeTranscript] = []
    warnings: list[str] = []
    for name, text in documents:
        try:
            bundle = parse_transcripts(text)
        except NotATranscriptError as exc:
            raise NotATranscriptError(f"{name}: {exc.message}") from None
        except InputError as exc:
            raise InputError(f"{name}: {exc.message}") from None
        found.extend((name, account) for account in bundle.accounts)
        income.extend(bundle.income)
        warnings.extend(f"{name}: {w}" for w in bundle.warnings)
    staged = []
    for name, transcript in found:
        ledger = build_ledger(transcript, rules)
        reconciliation = reconcile(transcript, rules, ledger)
        day = accrual_date(transcript) or transcript.response_date or transcript.tax_period
        csed = transcript_csed(transcript.transactions, rules, day)
        projection = project(ledger, as_of, rules) if as_of is not None else None
        staged.append((name, transcript, ledger, reconciliation, csed, projection))
    histories = {id(t): _history(t, r, led, rules) for _, t, led, r, _, _ in staged}
    periods = []
    for name, transcript, ledger, reconciliation, csed, projection in staged:
        fta = None
        own = histories[id(transcript)]
        if any(p.kind in (PenaltyKind.FTF, PenaltyKind.FTP) and p.assessed > ZERO for p in own.penalties):
            others = [
                histories[id(t)]
                for _, t, _, _, _, _ in staged
                if t is not transcript and t.form == transcript.form and t.taxpayer_id == transcript.taxpayer_id
            ]
            fta = check_first_time_abatement(own, others, lookback_years(rules, transcript.tax_period))
        unknown = tuple(t for t in transcript.transactions if rules.transaction_codes.match(t.code, t.text) is None)
        periods.append(PeriodReport(name, transcript, ledger, reconciliation, csed, fta, projection, as_of, unknown))
    periods.sort(key=lambda p: (p.transcript.taxpayer_id or "", p.transcript.form, p.transcript.tax_period))
    return TranscriptReport(
        sources=tuple(name for name, _ in documents),
        periods=tuple(periods),
        income=tuple(income),
        withholding=tuple(_withholding_checks(income, [t for _, t in found])),
        warnings=tuple(warnings),
    )


def _history(transcript: AccountTranscript, reconciliation: Reconciliation | None, ledger: Ledger, rules: RuleSet) -> PeriodHistory:
    unpaid = ZERO
    if reconciliation is not None and reconciliation.statement is not None:
        unpaid = max(ZERO, reconciliation.statement.unpaid.tax)
    agreement = ledger.scenario is not None and any(
        e.type is EventType.INSTALLMENT_AGREEMENT and e.end is None for e in ledger.scenario.events
    )
    return history_from_transcript(
        transcript, rules, tax_unpaid=unpaid, agreement_in_effect=agreement, include_accrued=True
    )


def _withholding_checks(income: Sequence[WageAndIncomeTranscript], accounts: Sequence[AccountTranscript]) -> list[WithholdingCheck]:
    checks = []
    for wi in income:
        match = next(
            (
                a
                for a in accounts
                if a.tax_year == wi.tax_year and (wi.taxpayer_id is None or a.taxpayer_id in (None, wi.taxpayer_id))
            ),
            None,
        )
        posted = None
        if match is not None:
            posted = -sum((t.amount for t in match.transactions if t.code in ("806", "807")), ZERO)
        checks.append(WithholdingCheck(wi.tax_year, wi.federal_withholding, posted, "wage and income transcript"))
    return checks


def _difference_json(diff: Any) -> dict[str, Any]:
    return {
        "item": diff.item,
        "stated": to_jsonable(diff.stated),
        "computed": to_jsonable(diff.computed),
        "difference": to_jsonable(diff.difference),
        "explanation": diff.explanation,
    }


def period_to_json(period: PeriodReport, rules: RuleSet) -> dict[str, Any]:
    """The documented JSON shape of one period."""
    t = period.transcript
    catalog = rules.transaction_codes
    rec = period.reconciliation
    transactions = []
    for read in period.ledger.postings:
        posting = read.posting
        entry = read.entry
        transactions.append(
            {
                "code": posting.code,
                "explanation": posting.text,
                "date": posting.date.isoformat(),
                "amount": to_jsonable(posting.amount),
                "cycle": getattr(posting, "cycle", None),
                "catalog": entry.key if entry else None,
                "meaning": entry.meaning if entry else None,
                "use": read.use,
            }
        )
    return {
        "source": period.source,
        "kind": t.kind.value,
        "form": t.form,
        "tax_period": t.tax_period.isoformat(),
        "tax_year": t.tax_year,
        "taxpayer_id_last4": t.taxpayer_id,
        "request_date": to_jsonable(t.request_date),
        "response_date": to_jsonable(t.response_date),
        "tracking_number": t.tracking_number,
        "stated": {
            "account_balance": to_jsonable(t.account_balance),
            "accrued_interest": to_jsonable(t.accrued_interest),
            "accrued_interest_as_of": to_jsonable(t.accrued_interest_as_of),
            "accrued_penalty": to_jsonable(t.accrued_penalty),
            "accrued_penalty_as_of": to_jsonable(t.accrued_penalty_as_of),
            "balance_plus_accruals": to_jsonable(t.balance_plus_accruals),
        },
        "return": {
            "present": t.return_present,
            "lines": [{"label": r.label, "value": r.value} for r in t.return_lines],
        },
        "transactions": transactions,
        "unknown_codes": sorted({u.code for u in period.unknown}),
        "reconciliation": None
        if rec is None
        else {
            "as_of": rec.as_of.isoformat(),
            "reconciled": rec.reconciled,
            "computed_balance_plus_accruals": to_jsonable(rec.computed_balance),
            "carried_as_stated": to_jsonable(rec.carried),
            "checks": [_difference_json(d) for d in rec.checks],
            "assessments": [_difference_json(d) for d in rec.assessments],
            "notes": list(rec.notes),
        },
        "csed": {
            "assessments": [
                {
                    "code": line.assessment.code,
                    "what": line.assessment.title,
                    "assessed": line.assessment.date.isoformat(),
                    "amount": to_jsonable(line.assessment.amount),
                    "base_csed": line.base.isoformat(),
                    "days_added": line.days_added,
                    "csed": line.csed.isoformat(),
                    "reasons": list(line.reasons),
                }
                for line in period.csed.lines
            ],
            "tolling": [
                {
                    "kind": p.kind.value,
                    "start": p.start.isoformat(),
                    "end": to_jsonable(p.end),
                    "suspended_through": p.through.isoformat(),
                    "add_on": p.add_on,
                    "days": p.days,
                    "floor": to_jsonable(p.floor),
                    "open": p.open,
                    "citation": p.citation,
                    "postings": p.codes,
                }
                for p in period.csed.periods
            ],
            "notes": list(period.csed.notes),
            "citation": "IRC 6502(a)(1); IRM 5.1.19",
        },
        "first_time_abatement": None
        if period.fta is None
        else {
            "verdict": period.fta.verdict.value,
            "qualifies": period.fta.qualifies,
            "penalties": to_jsonable(period.fta.penalties),
            "reasons": list(period.fta.reasons),
            "citation": period.fta.citation,
        },
        "projection": None
        if period.projection is None
        else {
            "as_of": to_jsonable(period.projection_date),
            "tax": to_jsonable(period.projection.tax),
            "failure_to_file": to_jsonable(period.projection.failure_to_file),
            "failure_to_pay": to_jsonable(period.projection.failure_to_pay),
            "interest": to_jsonable(period.projection.interest),
            "balance": to_jsonable(period.projection.balance + period.ledger.totals.carried),
        },
        "warnings": list(t.warnings),
        "catalog_size": len(catalog),
    }


def report_to_json(report: TranscriptReport, rules: RuleSet) -> dict[str, Any]:
    """The documented JSON shape of a transcript report: money as strings."""
    return {
        "version": REPORT_VERSION,
        "sources": list(report.sources),
        "periods": [period_to_json(p, rules) for p in report.periods],
        "wage_and_income": [
            {
                "tax_year": wi.tax_year,
                "taxpayer_id_last4": wi.taxpayer_id,
                "documents": [
                    {
                        "form": d.form,
                        "payer": d.payer,
                        "payer_id_last4": d.payer_id,
                        "amounts": {label: to_jsonable(value) for label, value in d.amounts},
                        "federal_withholding": to_jsonable(d.withholding),
                    }
                    for d in wi.documents
                ],
            }
            for wi in report.income
        ],
        "withholding_checks": [
            {
                "tax_year": c.tax_year,
                "reported": to_jsonable(c.reported),
                "posted": to_jsonable(c.posted),
                "difference": to_jsonable(c.difference),
            }
            for c in report.withholding
        ],
        "warnings": list(report.warnings),
    }
