"""What the tool pages show (the calculator's statement, the scam check, the transcript reader),
worked out before the template sees it, like :mod:`balancedue.web.pages`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from balancedue import presentation
from balancedue.advice.report import RealSection
from balancedue.presentation import day as when
from balancedue.presentation import money


@dataclass(frozen=True)
class StatementLine:
    kind: str
    period: str
    base: str
    rate: str
    amount: str
    rule: str


@dataclass(frozen=True)
class StatementPage:
    as_of: str
    due: str
    rows: list[tuple[str, str]]
    lines: list[StatementLine]
    notes: list[str]


def statement_page(statement: Any) -> StatementPage:
    return StatementPage(
        as_of=when(statement.as_of),
        due=when(statement.return_due_date),
        rows=[
            ("Tax", money(statement.tax)),
            ("Failure-to-file penalty", money(statement.failure_to_file)),
            ("Failure-to-pay penalty", money(statement.failure_to_pay)),
            ("Interest", money(statement.interest)),
            ("Payments and credits", money(statement.payments)),
            ("Balance", money(statement.balance)),
        ],
        lines=[
            StatementLine(
                kind=presentation.words(line.kind.value),
                period=" to ".join(d.isoformat() for d in (line.start, line.end) if d),
                base=money(line.base),
                rate=str(line.rate) if line.rate is not None else "",
                amount=money(line.amount),
                rule=line.rule,
            )
            for line in statement.lines
        ],
        notes=list(statement.notes),
    )


@dataclass(frozen=True)
class ScamPage:
    label: str
    verdict: str
    real: RealSection
    what_not_to_do: list[str]
    channel: str | None = None


def scam_page(verdict: Any) -> ScamPage:
    return ScamPage(
        label=verdict.label,
        verdict=verdict.verdict.value,
        real=RealSection.model_validate(verdict.as_report_section()),
        what_not_to_do=list(verdict.what_not_to_do),
        channel=verdict.channel_line,
    )


@dataclass(frozen=True)
class TranscriptRow:
    period: str
    form: str
    balance: str
    reconciles: str
    csed: str
    fta: str


@dataclass(frozen=True)
class TranscriptPage:
    rows: list[TranscriptRow]
    warnings: list[str]
    details: list[str] = field(default_factory=list)


def transcript_page(report: Any) -> TranscriptPage:
    rows = []
    for period in report.periods:
        transcript = period.transcript
        latest = period.csed.latest
        rows.append(
            TranscriptRow(
                period=transcript.tax_period.isoformat(),
                form=transcript.form,
                balance=money(transcript.account_balance),
                reconciles=(
                    "" if period.reconciliation is None else "yes" if period.reconciliation.reconciled else "no"
                ),
                csed=when(latest.csed) if latest is not None else "",
                fta=str(period.fta.verdict.value).replace("_", " ") if period.fta is not None else "",
            )
        )
    from balancedue.services.case_transcripts import transcript_check_lines

    return TranscriptPage(rows, list(report.warnings), transcript_check_lines(report))
