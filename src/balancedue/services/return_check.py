"""User action: check a proposed change (CP2000, CP11/CP12/CP13) by re-running the return.

``balancedue analyze NOTICE --return FILE`` adds the check to the report; ``balancedue letter
cp2000_response CASE --return FILE`` writes the response form's answers, the statement and the
enclosure list from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from balancedue.advice.report import ReturnCheckSection
from balancedue.advice.return_check import (
    CREDIT_LAW,
    CREDIT_ROWS,
    ReturnCheck,
    ReturnSummary,
    check_return,
    parse_return_summary,
)
from balancedue.advice.return_section import return_check_section
from balancedue.advice.tax_calculator import YearNotCoveredError
from balancedue.cases.records import CaseFile, DocumentKind
from balancedue.errors import InputError
from balancedue.intake.models import Notice
from balancedue.intake.pipeline import read_text
from balancedue.rules import RuleSet, load_rules
from balancedue.services.documents import read_structured_file


def load_return_summary(path: Path) -> ReturnSummary:
    """The return summary file, validated (docs/return-summary.md)."""
    raw = read_structured_file(path, "return summary")
    if not isinstance(raw, dict):
        raise InputError(f"return summary file {path.name!r} should hold a mapping with tax_year, filing_status and return")
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
    return check_return(
        summary,
        rules,
        notice_tax=_amount(notice, "tax"),
        notice_penalty=_amount(notice, "penalties"),
        notice_interest=_amount(notice, "interest"),
        notice_amount_due=_amount(notice, "amount_due"),
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
    statement = (
        f"I recomputed my {check.tax_year} return with the changes in your notice. With the facts set out above, "
        f"the tax I owe for {check.tax_year} (before penalty and interest) changes by ${owed.yours or 0:,.2f}"
    )
    if owed.notice is not None and owed.yours != owed.notice:
        statement += f", not by the ${owed.notice:,.2f} the notice proposes"
    paragraphs = [statement + "."]
    penalty = next((c for c in check.comparisons if c.what.startswith("accuracy")), None)
    if penalty is not None and penalty.yours is not None and penalty.notice is not None and penalty.yours < penalty.notice:
        paragraphs.append(
            f"The accuracy-related penalty should be ${penalty.yours:,.2f}, not ${penalty.notice:,.2f}: {penalty.letter_note}"
        )
    if any(c.what == "interest" and c.notice for c in check.comparisons) and owed.yours != owed.notice:
        paragraphs.append("Please figure the interest again on the revised amount.")
    return ResponseFields(tuple(items), "\n\n".join(paragraphs), check.enclosures)


def response_for_case(path: Path, case_file: CaseFile, rules: RuleSet | None = None) -> ResponseFields:
    """The response fields for a case's CP2000 from a return summary; the notice's figures (tax,
    penalty, interest, amount due) are read again from the notice kept in the case."""
    rules = rules or load_rules()
    summary = load_return_summary(path)
    year = case_file.case.tax_year
    if year is not None and year != summary.tax_year:
        raise InputError(f"the return summary is for tax year {summary.tax_year} but the case is for {year}")
    kept = [d for d in case_file.documents if d.kind is DocumentKind.NOTICE and d.text.strip()]
    notice = read_text(kept[-1].text, name=kept[-1].name, rules=rules) if kept else None
    if notice is None:
        return response_fields(check_return(summary, rules, notice_amount_due=case_file.case.amount_due))
    return response_fields(check_against_notice(summary, notice, rules))
