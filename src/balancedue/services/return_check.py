"""User action: check a proposed change (CP2000, CP11/CP12/CP13) by re-running the return.

``balancedue analyze NOTICE --return FILE`` adds the check to the report; ``balancedue letter
cp2000_response CASE --return FILE`` writes the response form's answers, the statement and the
enclosure list from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.advice.report import Report, ReturnCheckSection, Step
from balancedue.advice.return_check import CREDIT_LAW, CREDIT_ROWS, ReturnCheck, check_return
from balancedue.advice.return_section import return_check_section
from balancedue.advice.return_summary import (
    ReturnSummary,
    parse_return_summary,
    return_from_transcript,
)
from balancedue.advice.tax_calculator import YearNotCoveredError
from balancedue.cases.records import CaseFile, DocumentKind
from balancedue.errors import InputError
from balancedue.intake.models import Notice
from balancedue.intake.pipeline import read_text
from balancedue.intake.return_transcript import ReturnTranscript, read_return_transcript
from balancedue.rules import RuleSet
from balancedue.services.documents import read_structured_file
from balancedue.services.transcripts import read_transcript_file

STRUCTURED = (".json", ".yaml", ".yml")


def _transcript(path: Path) -> ReturnTranscript:
    try:
        return read_return_transcript(read_transcript_file(path))
    except InputError as exc:
        raise InputError(f"{path.name}: {exc} (--return takes a return summary in JSON or YAML, or a tax return "
                         "transcript)") from None


def load_return_summary(path: Path) -> ReturnSummary:
    """The return summary file, validated (docs/return-summary.md).  A tax return transcript (PDF or
    text) may stand in for it, or be named by it (``return_transcript:``) for the return's figures."""
    if path.suffix.lower() not in STRUCTURED:
        raw: dict[str, Any] = {"return_transcript": str(path)}
        where = path
    else:
        loaded = read_structured_file(path, "return summary")
        if not isinstance(loaded, dict):
            raise InputError(f"return summary file {path.name!r} should hold a mapping with tax_year, filing_status and return")
        raw = dict(loaded)
        where = path.parent / str(raw["return_transcript"]) if raw.get("return_transcript") else path
    if raw.get("return_transcript"):
        transcript = _transcript(where)
        for key, value in (("tax_year", transcript.tax_year), ("filing_status", transcript.filing_status)):
            if key in raw and str(raw[key]) != str(value):
                raise InputError(f"return summary: {key} is {raw[key]} but the tax return transcript says {value}")
            raw[key] = value
        section, notes = return_from_transcript(transcript)
        given = raw.get("return") or {}
        if not isinstance(given, dict):
            raise InputError("return summary: return should be a mapping of the return's figures")
        raw["return"] = {**section, **given}
        raw["read_notes"] = notes
        raw["return_transcript"] = where.name
    return parse_return_summary(raw)


def _amount(notice: Notice, name: str) -> Decimal | None:
    value = notice.fields[name].value
    return value if isinstance(value, Decimal) else None


def check_against_notice(summary: ReturnSummary, notice: Notice | None, rules: RuleSet) -> ReturnCheck:
    """The check, with the money figures read from the notice where the summary leaves them out."""
    if notice is None:
        return check_return(summary, rules)
    year = notice.tax_year.value
    if isinstance(year, int) and year != summary.tax_year:
        raise InputError(f"the return summary is for tax year {summary.tax_year} but the notice is for {year}")
    # A CP2000's amount due is the proposed change with its penalty and interest; on a math-error
    # notice it is the account's balance after payments, which says nothing about the change.
    code = notice.notice_code.value
    proposal = isinstance(code, str) and code.upper().startswith("CP2000")
    return check_return(
        summary,
        rules,
        notice_tax=_amount(notice, "tax"),
        notice_penalty=_amount(notice, "penalties"),
        notice_interest=_amount(notice, "interest"),
        notice_amount_due=_amount(notice, "amount_due") if proposal else None,
    )


def section_for(summary: ReturnSummary, notice: Notice | None, rules: RuleSet) -> ReturnCheckSection:
    """The report section; a year the calculator does not cover is said plainly, not estimated."""
    try:
        return return_check_section(check_against_notice(summary, notice, rules))
    except YearNotCoveredError as exc:
        return ReturnCheckSection(
            tax_year=summary.tax_year, calculator="tenforty (Open Tax Solver)", summary=f"Not recomputed: {exc}.",
            answer="undetermined", runs=[], items=[], comparisons=[],
        )


ANSWER_WORDS = {"agree": "agree", "partly_agree": "partly agree", "disagree": "disagree"}


def with_return_check(report: Report, summary: ReturnSummary, notice: Notice, rules: RuleSet) -> Report:
    """The report with the return check and, when it reached an answer, a step to send it."""
    section = section_for(summary, notice, rules)
    steps = list(report.next_steps)
    if section.answer in ANSWER_WORDS:
        due = next((d.date for d in report.deadlines if not d.passed), None)
        enclosed = f" Enclose: {'; '.join(section.enclosures)}." if section.enclosures else ""
        at = next((n for n, step in enumerate(steps) if step.what.startswith("Decide how to pay")), max(len(steps) - 1, 0))
        steps.insert(
            at,
            Step(by=due, what=f"Answer the proposal on its response form: {ANSWER_WORDS[section.answer]}.",
                 detail="balancedue letter cp2000_response CASE --return FILE writes the statement from this "
                 f"recomputation.{enclosed}"),
        )
    return report.model_copy(update={"return_check": section, "next_steps": steps})


@dataclass(frozen=True)
class ResponseFields:
    """What a CP2000 response letter takes from the check."""

    items: tuple[str, ...]  # "ITEM|POSITION|EXPLANATION", as ``letter --item`` takes them
    facts: str
    enclosures: tuple[str, ...]


def response_fields(check: ReturnCheck) -> ResponseFields:
    """The response form's answers, the statement and the enclosures, from the check."""
    items = [f"{i.label}|{i.position.value}|{i.explanation()}" for i in check.items]
    for c in check.comparisons:
        if c.what not in CREDIT_ROWS or c.notice is None:
            continue
        name, law = c.what[0].upper() + c.what[1:], CREDIT_LAW[c.what]
        if c.matches:
            items.append(f"{name}|agree|{law} gives ${c.notice:,.2f}, as the notice says.")
        else:
            items.append(f"{name}|disagree|{law} gives ${c.recomputed or 0:,.2f} for the return as the notice changes it, "
                         f"not ${c.notice:,.2f}.")
    owed = next(c for c in check.comparisons if c.what.startswith("change in the amount owed"))
    change = owed.yours or Decimal("0")
    lead = f"I recomputed my {check.tax_year} return with the changes in your notice. With the facts set out above, "
    if change > 0:
        statement = lead + f"the tax I owe for {check.tax_year} (before penalty and interest) rises by ${change:,.2f}"
    elif change == 0:
        statement = lead + f"I owe no more tax for {check.tax_year} than my return shows"
    else:
        statement = lead + f"the tax I owe for {check.tax_year} is ${-change:,.2f} less than my return shows"
    if owed.notice is not None and change != owed.notice:
        statement += f", not the increase of ${owed.notice:,.2f} the notice proposes"
    paragraphs = [statement + "."]
    penalty = next((c for c in check.comparisons if c.what.startswith("accuracy")), None)
    if penalty is not None and penalty.yours is not None and penalty.notice is not None and penalty.yours < penalty.notice:
        paragraphs.append(
            f"The accuracy-related penalty should be ${penalty.yours:,.2f}, not ${penalty.notice:,.2f}: {penalty.letter_note}"
        )
    if any(c.what == "interest" and c.notice for c in check.comparisons) and owed.yours != owed.notice:
        paragraphs.append("Please figure the interest again on the revised amount.")
    return ResponseFields(tuple(items), "\n\n".join(paragraphs), check.enclosures)


def response_for_case(path: Path, case_file: CaseFile, rules: RuleSet) -> ResponseFields:
    """The response fields for a case's CP2000 from a return summary; the notice's figures (tax,
    penalty, interest, amount due) are read again from the notice kept in the case."""
    summary = load_return_summary(path)
    year = case_file.case.tax_year
    if year is not None and year != summary.tax_year:
        raise InputError(f"the return summary is for tax year {summary.tax_year} but the case is for {year}")
    kept = [d for d in case_file.documents if d.kind is DocumentKind.NOTICE and d.text.strip()]
    notice = read_text(kept[-1].text, name=kept[-1].name, rules=rules) if kept else None
    if notice is None:
        return response_fields(check_return(summary, rules, notice_amount_due=case_file.case.amount_due))
    return response_fields(check_against_notice(summary, notice, rules))
