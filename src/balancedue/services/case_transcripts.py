"""An IRS account transcript kept in a case: its figures recomputed, the detail journaled.

The transcript is read once, when it is attached; what the recomputation found (every stated
figure against the recomputed one, with the reason for each difference) is written into the
case's journal, so the case shows it without reading the transcript again.
"""

from __future__ import annotations

from datetime import date

from balancedue.cases.records import DocumentRecord, JournalKind, JournalRecord
from balancedue.engine.money import format_money
from balancedue.errors import BalancedueError
from balancedue.rules import RuleSet
from balancedue.services import cases, transcripts


def transcript_check_lines(report: transcripts.TranscriptReport) -> list[str]:
    """What the recomputation of each period found, one line a figure, in plain words."""
    lines: list[str] = []
    for period in report.periods:
        transcript = period.transcript
        head = f"Form {transcript.form}, period ending {transcript.tax_period.strftime('%B %-d, %Y')}"
        if transcript.account_balance is not None:
            lines.append(f"{head}: account balance on the transcript {format_money(transcript.account_balance)}")
        reconciliation = period.reconciliation
        if reconciliation is None or reconciliation.statement is None:
            lines.append(f"{head}: not recomputed (nothing this tool can recompute for this form or period)")
        else:
            verdict = "every figure agrees to the cent" if reconciliation.reconciled else "some figures differ"
            lines.append(f"{head}: recomputed as of {reconciliation.as_of.strftime('%B %-d, %Y')}: {verdict}")
            for diff in (*reconciliation.checks, *reconciliation.assessments):
                line = (f"{diff.item}: transcript {format_money(diff.stated)}, recomputed {format_money(diff.computed)}, "
                        f"difference {format_money(diff.difference)}")
                lines.append(f"{line} ({diff.explanation})" if diff.explanation else line)
            lines.extend(reconciliation.notes)
        ends = sorted(line.csed for line in period.csed.lines)
        if ends:
            span = ends[0].strftime("%B %-d, %Y")
            if ends[-1] != ends[0]:
                span += f" (the first assessment) to {ends[-1].strftime('%B %-d, %Y')} (the last)"
            lines.append(f"{head}: collection statute ends {span}")
        for unknown in period.unknown:
            lines.append(f"{head}: transaction code {unknown.code} is not in the code table; check it by hand")
    lines.extend(report.warnings)
    return lines


def record_transcript_check(ref: str, document: DocumentRecord, *, today: date, rules: RuleSet) -> JournalRecord:
    """Recompute a transcript already kept in case ``ref`` and journal what was found."""
    try:
        report = transcripts.analyze([(document.name, document.text)], as_of=today, rules=rules)
    except BalancedueError as exc:
        payload = {"text": f"{document.name} was kept, but not read as a transcript: {exc.message}",
                   "document": document.number}
        return cases.store().append(ref, JournalKind.NOTE, payload)
    payload = {
        "text": f"Transcript {document.name} checked",
        "document": document.number,
        "checks": transcript_check_lines(report),
    }
    return cases.store().append(ref, JournalKind.NOTE, payload)
