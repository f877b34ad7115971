"""Verify a notice's figures: recompute them with the engine and say where and why they differ.

Three levels of evidence, best first:

1. **Records** (``--records``): the taxpayer's own return, withholding, estimated payments and
   payments with dates.  The account is rebuilt from them and recomputed as of the notice date.
2. **The notice alone**: the arithmetic of the notice is checked (tax - payments + penalties +
   interest = amount due), and its penalties and interest are recomputed under stated
   assumptions (return filed on time, credits deemed paid on the due date).  Differences are
   then explained as what the assumptions would have to be for the IRS figure to hold.
3. **Transcripts** (reconciled elsewhere) replace both when given.

Records that contradict the notice are not an error: the report shows the contradiction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from balancedue.advice.authority import implied_history
from balancedue.engine import Event, EventType, Scenario, Statement, build_scenario, compute
from balancedue.engine.dates import check_year_window
from balancedue.engine.money import ZERO, format_money, parse_money
from balancedue.engine.scenario import parse_iso_date
from balancedue.errors import InputError
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import Stage

TOLERANCE = Decimal("0.01")


class RecomputationBasis(StrEnum):
    """What the recomputation rests on."""

    TRANSCRIPTS = "transcripts"
    RECORDS = "records"
    ASSUMPTIONS = "notice_with_assumptions"
    NONE = "not_possible"


@dataclass(frozen=True, slots=True)
class RecordedAmount:
    """A payment or credit from the taxpayer's records."""

    date: date
    amount: Decimal
    what: str = ""


@dataclass(frozen=True, slots=True)
class Records:
    """The taxpayer's own records for one tax year (``--records FILE``)."""

    tax_year: int
    tax_on_return: Decimal
    return_filed: date | None = None
    extended_due_date: date | None = None
    withholding: tuple[RecordedAmount, ...] = ()
    estimated_payments: tuple[RecordedAmount, ...] = ()
    payments: tuple[RecordedAmount, ...] = ()


_RECORD_FIELDS = {
    "tax_year", "tax_on_return", "return_filed", "extended_due_date", "withholding",
    "estimated_payments", "payments",
}


def parse_records(raw: object) -> Records:
    """Validate a records mapping; one clear error naming the field."""
    if not isinstance(raw, Mapping):
        raise InputError("records must be an object with 'tax_year' and 'tax_on_return'")
    unknown = sorted(set(raw) - _RECORD_FIELDS)
    if unknown:
        raise InputError(f"records have unknown field {unknown[0]!r}")
    year = raw.get("tax_year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"records tax_year {year!r} must be a whole number such as 2023")
    check_year_window(year, "records tax_year")
    if "tax_on_return" not in raw:
        raise InputError("records need 'tax_on_return' (the total tax line of the return)")

    def amounts(key: str, dated: bool) -> tuple[RecordedAmount, ...]:
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise InputError(f"records {key} must be a list")
        found = []
        for index, item in enumerate(items):
            where = f"records {key}[{index}]"
            if not isinstance(item, Mapping):
                raise InputError(f"{where} must be an object with 'amount'")
            extra = sorted(set(item) - {"date", "amount", "what", "source", "method", "confirmation"})
            if extra:
                raise InputError(f"{where} has unknown field {extra[0]!r}")
            amount = parse_money(item.get("amount"), f"{where}.amount")
            if amount < ZERO:
                raise InputError(f"{where}.amount is negative")
            if dated and "date" not in item:
                raise InputError(f"{where} needs a 'date'")
            day = parse_iso_date(item["date"], f"{where}.date") if "date" in item else date(year + 1, 1, 1) - timedelta(days=1)
            label = str(item.get("what") or item.get("source") or item.get("method") or "")
            found.append(RecordedAmount(day, amount, label))
        return tuple(sorted(found, key=lambda d: d.date))

    tax = parse_money(raw["tax_on_return"], "records tax_on_return")
    return Records(
        tax_year=year,
        tax_on_return=tax,
        return_filed=parse_iso_date(raw["return_filed"], "records return_filed") if raw.get("return_filed") else None,
        extended_due_date=(
            parse_iso_date(raw["extended_due_date"], "records extended_due_date") if raw.get("extended_due_date") else None
        ),
        withholding=amounts("withholding", dated=False),
        estimated_payments=amounts("estimated_payments", dated=True),
        payments=amounts("payments", dated=True),
    )


@dataclass(frozen=True, slots=True)
class NoticeFigures:
    """The money figures read from the notice (``None`` when not printed or not read)."""

    tax_year: int | None
    notice_date: date | None
    pay_by: date | None
    amount_due: Decimal | None
    tax: Decimal | None
    penalties: Decimal | None
    interest: Decimal | None
    payments_and_credits: Decimal | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One figure: the notice's, ours, the difference and why it may differ."""

    item: str
    notice: Decimal | None
    recomputed: Decimal | None
    difference: Decimal | None
    matches: bool | None
    rule: str
    likely_reasons: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    verdict: str | None = None


@dataclass(frozen=True)
class NoticeVerification:
    """The verification section of the report."""

    basis: RecomputationBasis
    as_of: date | None
    comparisons: tuple[Comparison, ...]
    arithmetic_ok: bool | None
    assumptions: tuple[str, ...]
    contradictions: tuple[str, ...]
    statement: Statement | None = None
    scenario: Scenario | None = None
    summary: str = ""
    documents: tuple[str, ...] = field(default=())


REASONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tax": (
        (
            "the IRS changed the return (a math or clerical error, a missing form or schedule, "
            "a disallowed credit) - look for a CP11, CP12 or CP2000 that explains it",
            "a later assessment (audit or matching of W-2/1099 income) was added",
        ),
        ("a copy of the return as filed", "every W-2 and 1099 for the year", "any IRS notice explaining a change"),
    ),
    "payments_and_credits": (
        (
            "a payment or credit in your records has not been applied (unposted or misapplied payment)",
            "withholding on the return differs from what employers reported",
            "a refund from another year was offset against this balance, or this year's payment went to another year",
        ),
        (
            "proof of each payment: bank statement lines, Direct Pay or EFTPS confirmation numbers, cancelled checks",
            "W-2 and 1099 forms showing withholding",
        ),
    ),
    "penalties": (
        (
            "the return was treated as filed late (or without a valid extension) - failure-to-file applies",
            "payments were treated as late, or the failure-to-pay ran for more months",
            "an estimated-tax penalty (IRC 6654) is included with the other penalties",
            "an accuracy-related penalty (IRC 6662, 20% of the underpayment) proposed or assessed after a change to "
            "the return is included",
        ),
        ("proof of the filing date (e-file acknowledgment or certified-mail receipt)", "Form 4868 or its confirmation"),
    ),
    "interest": (
        (
            "interest follows any change in tax, penalties or payment dates",
            "the IRS may have computed interest to a date other than the notice date (for example the pay-by date)",
        ),
        ("ask the IRS for the detailed computation of penalties and interest (it mails one on request)",),
    ),
}


WITHOUT = {
    "tax": "a copy of the return as filed and any notice that changed it",
    "payments_and_credits": "proof of each payment and the W-2/1099 withholding",
    "penalties": "the filing date and the payment dates (your records or an account transcript)",
    "interest": "the payment dates, or the IRS's detailed computation (an account transcript shows it)",
    "amount_due": "your records (filing date, payment dates) or an account transcript",
}


def _compare(item: str, notice: Decimal | None, ours: Decimal | None, rule: str, *, evidence: bool = True) -> Comparison:
    """One figure against the recomputation.  Without evidence (no records, no transcripts) a
    difference that unknown facts can explain is "cannot be verified without ...", not "differs"."""
    if notice is None or ours is None:
        return Comparison(item, notice, ours, None, None, rule, verdict="cannot compare")
    difference = notice - ours
    matches = abs(difference) < TOLERANCE
    reasons, documents = REASONS.get(item, ((), ()))
    if matches:
        verdict = "matches"
    elif evidence:
        verdict = "differs"
    else:
        verdict = "cannot be verified without " + WITHOUT.get(item, "your records")
    return Comparison(
        item, notice, ours, difference, matches, rule,
        () if matches else reasons,
        () if matches else documents,
        verdict,
    )


def return_due_date(tax_year: int, rules: RuleSet) -> date:
    """The Form 1040 due date for a tax year, from the rules data (before IRC 7503), moved by a
    postponement that applies to every filer of that year (IRC 7508A; Notices 2020-23, 2021-21)."""
    first = date(tax_year + 1, 1, 1)
    month, day = rules.parameters.month_day("filing.form_1040.due_month_day", first)
    due = date(tax_year + 1, month, day)
    postponed = rules.postponements.federal(tax_year)
    return postponed.postponed_to if postponed is not None and postponed.postponed_to > due else due


def scenario_from_records(records: Records, notice_date: date | None, rules: RuleSet) -> Scenario:
    """The account as the taxpayer's records describe it."""
    events = [Event(item.date, EventType.WITHHOLDING, item.amount) for item in records.withholding]
    events += [Event(item.date, EventType.ESTIMATED_PAYMENT, item.amount) for item in records.estimated_payments]
    filed = records.return_filed or return_due_date(records.tax_year, rules)
    events.append(Event(filed, EventType.RETURN_FILED, records.tax_on_return))
    events += [Event(item.date, EventType.PAYMENT, item.amount) for item in records.payments]
    events.sort(key=lambda e: (e.date, e.type is not EventType.RETURN_FILED))
    return build_scenario(records.tax_year, events, as_of=notice_date or None,
                          extended_due_date=records.extended_due_date or None)


def verify_notice(
    figures: NoticeFigures,
    rules: RuleSet,
    records: Records | None = None,
    transcript_account: Scenario | None = None,
    transcript_notes: Sequence[str] = (),
    entry: NoticeEntry | None = None,
) -> NoticeVerification:
    """Recompute the notice's figures and explain each difference.

    ``transcript_account`` is the account rebuilt from the IRS account transcript of the
    notice's period; when given it is the best evidence and is used instead of the records.
    """
    contradictions: list[str] = []
    assumptions: list[str] = []
    arithmetic_ok = _adds_up(figures, contradictions)
    if figures.notice_date is None or figures.tax_year is None:
        return NoticeVerification(RecomputationBasis.NONE, None, (), arithmetic_ok, (), tuple(contradictions),
                            summary="The notice date or tax year was not read, so nothing can be recomputed.")
    as_of = figures.notice_date
    account = _account_to_recompute(figures, figures.tax_year, as_of, rules, records, transcript_account,
                                    transcript_notes, entry, assumptions, contradictions)
    if account is None:
        return NoticeVerification(RecomputationBasis.NONE, as_of, (), arithmetic_ok, (), tuple(contradictions),
                            summary="The tax on the notice was not read, so it cannot be recomputed.")
    scenario, basis = account
    statement = compute(scenario, as_of, rules=rules)
    evidence = basis is not RecomputationBasis.ASSUMPTIONS
    comparisons = _compare_figures(figures, statement, evidence)
    if basis is RecomputationBasis.RECORDS:
        for comparison in comparisons:
            if comparison.item in ("tax", "payments_and_credits") and comparison.matches is False:
                contradictions.append(
                    f"Your records and the notice disagree on {comparison.item.replace('_', ' ')}: "
                    f"notice {format_money(comparison.notice or ZERO)}, records {format_money(comparison.recomputed or ZERO)}."
                )
    mismatched = [c for c in comparisons if c.matches is False]
    documents: list[str] = []
    for comparison in mismatched:
        for document in comparison.documents:
            if document not in documents:
                documents.append(document)
    return NoticeVerification(
        basis=basis,
        as_of=as_of,
        comparisons=comparisons,
        arithmetic_ok=arithmetic_ok,
        assumptions=tuple(assumptions),
        contradictions=tuple(contradictions),
        statement=statement,
        scenario=scenario,
        summary=_summary(mismatched, evidence),
        documents=tuple(documents),
    )


def _adds_up(figures: NoticeFigures, contradictions: list[str]) -> bool | None:
    """Whether tax - payments + penalties + interest is the amount due (None: a figure is missing)."""
    parts = (figures.tax, figures.payments_and_credits, figures.penalties, figures.interest, figures.amount_due)
    if not all(p is not None for p in parts):
        return None
    tax, paid, penalties, interest, due = (p or ZERO for p in parts)
    arithmetic_ok = abs(tax - paid + penalties + interest - due) < TOLERANCE
    if not arithmetic_ok:
        contradictions.append(
            f"The notice's own figures do not add up: {format_money(tax)} - {format_money(paid)} + "
            f"{format_money(penalties)} + {format_money(interest)} is not {format_money(due)}; "
            "check the figures read from the notice."
        )
    return arithmetic_ok


def _account_to_recompute(
    figures: NoticeFigures,
    tax_year: int,
    as_of: date,
    rules: RuleSet,
    records: Records | None,
    transcript_account: Scenario | None,
    transcript_notes: Sequence[str],
    entry: NoticeEntry | None,
    assumptions: list[str],
    contradictions: list[str],
) -> tuple[Scenario, RecomputationBasis] | None:
    """The best account to recompute: the transcript's, the records', or the notice's own figures
    under stated assumptions; None when the notice's tax was not read either."""
    if transcript_account is not None:
        assumptions.extend(transcript_notes)
        if records is not None:
            assumptions.append("The account transcript was used; the records you gave were not needed.")
        return transcript_account, RecomputationBasis.TRANSCRIPTS
    if records is not None:
        if records.tax_year != tax_year:
            contradictions.append(
                f"Your records are for tax year {records.tax_year} but the notice is for {tax_year}."
            )
        if records.return_filed is None:
            assumptions.append("Your records give no filing date: the return is taken as filed on the due date.")
        return scenario_from_records(records, as_of, rules), RecomputationBasis.RECORDS
    if figures.tax is None:
        return None
    credits = figures.payments_and_credits or ZERO
    due_date = return_due_date(tax_year, rules)
    history = implied_history(entry, as_of, rules)
    if entry is not None and entry.stage is Stage.PROPOSED_CHANGE:
        # A proposed increase is tax not shown on the return: interest runs from the due date
        # (IRC 6601(a)), the failure-to-pay penalty only from 21 days after its notice and demand
        # (IRC 6651(a)(3)), never from the due date as for tax shown (6651(a)(2)).
        events = [
            Event(due_date, EventType.WITHHOLDING, credits),
            Event(due_date, EventType.RETURN_FILED, ZERO),
            Event(as_of, EventType.ADDITIONAL_TAX, figures.tax, notice_date=as_of),
        ]
        assumptions.append(
            "The proposed increase in tax is tax not shown on the return: interest on it runs from the due date "
            f"({due_date.isoformat()}, IRC 6601(a)); the failure-to-pay penalty runs only from 21 days after a notice "
            "and demand for it (IRC 6651(a)(3)), taken here as the notice date although the IRS has not yet assessed it."
        )
    else:
        events = [
            Event(due_date, EventType.WITHHOLDING, credits),
            Event(due_date, EventType.RETURN_FILED, figures.tax),
            *(Event(h.day, h.type) for h in history if h.day > due_date),
        ]
    scenario = build_scenario(tax_year, events, as_of=as_of)
    assumptions.extend(
        [
            "No records were given: this is a check under stated assumptions, not a correction. The return "
            "is taken as filed on time and every payment and credit on the notice as paid by the due date "
            f"({due_date.isoformat()}).",
            *(f"The notice's stage implies {h.why}." for h in history if h.day > due_date),
            "Penalties and interest are recomputed to the notice date.",
        ]
    )
    return scenario, RecomputationBasis.ASSUMPTIONS


def _compare_figures(figures: NoticeFigures, statement: Statement, evidence: bool) -> tuple[Comparison, ...]:
    return (
        _compare("tax", figures.tax, statement.tax, "IRC 6201 (assessment)", evidence=evidence),
        _compare("payments_and_credits", figures.payments_and_credits, statement.payments,
                 "IRC 6513(b); Rev. Proc. 2002-26", evidence=evidence),
        _compare("penalties", figures.penalties, statement.failure_to_file + statement.failure_to_pay,
                 "IRC 6651(a)(1), (a)(2)", evidence=evidence),
        _compare("interest", figures.interest, statement.interest, "IRC 6601, 6621, 6622", evidence=evidence),
        _compare("amount_due", figures.amount_due, statement.balance, "the balance on the notice date", evidence=evidence),
    )


def _summary(mismatched: Sequence[Comparison], evidence: bool) -> str:
    if not mismatched:
        return "The notice's figures match the recomputation."
    names = ", ".join(c.item.replace("_", " ") for c in mismatched)
    if not evidence:
        return (f"Under the stated assumptions the {names} cannot be verified without your records (filing date, "
                "payment dates) or an account transcript; the notice's amount is used for every figure to pay.")
    return f"The recomputation differs on: {names}. See the likely reasons and the documents to gather."
