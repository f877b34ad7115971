"""Check a proposed change by re-running the return (CP2000, CP11/CP12/CP13).

The return summary (:mod:`.return_summary`, docs/return-summary.md) gives the return as filed and what the notice
proposes: the information returns the IRS added (form, payer, amount) and the credits it
changed, with the taxpayer's facts about each one (a basis, a corrected form, a nominee ...).
The return is recomputed as filed, with each proposed item alone, with every item as the IRS
counted it and with every item as the facts support; the difference is explained line by line
and each item gets an answer for the CP2000 response form: agree, partly agree or disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from balancedue.advice.return_summary import (
    FORM_FIELDS,
    Field1040,
    FiledReturn,
    Position,
    ProposedItem,
    ReturnSummary,
)
from balancedue.advice.tax_calculator import (
    CALCULATOR,
    CalculatorInput,
    FilingStatus,
    compute,
)
from balancedue.engine.money import quantize_cents
from balancedue.engine.return_math import (
    EarnedIncomeCredit,
    accuracy_penalty,
    child_tax_credit,
    ctc_phaseout_threshold,
    earned_income_credit,
    self_employment_tax,
    year_start,
)
from balancedue.errors import DateOutsideRulesError
from balancedue.rules import RuleSet

ZERO = Decimal("0")


# --- computation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figures:
    """The income side of a return, as the recomputation moves it."""

    wages: Decimal
    ss_wages: Decimal
    interest: Decimal
    dividends: Decimal
    qualified: Decimal
    short_term: Decimal
    long_term: Decimal
    business: Decimal
    other: Decimal
    adjustments: Decimal


@dataclass(frozen=True, slots=True)
class Computed:
    """One run of the return: the lines a proposed change moves."""

    agi: Decimal
    taxable_income: Decimal
    income_tax: Decimal
    se_tax: Decimal
    total_tax: Decimal  # income tax - nonrefundable credits + SE tax (line 24)
    eitc: Decimal
    owed: Decimal  # total tax - earned income credit - refundable child tax credit
    ctc: Decimal = ZERO  # child tax credit and credit for other dependents, both parts
    ctc_refundable: Decimal = ZERO  # the part not in total_tax (all of it when kept as claimed)


CREDIT_ROWS = ("earned income credit", "child tax credit")
CREDIT_LAW = {"earned income credit": "The EIC Table", "child tax credit": "Schedule 8812"}


class ItemVerdict(StrEnum):
    """What the recomputation says of one proposed item."""

    RIGHT = "right"
    OVERSTATED = "overstated"
    WRONG = "wrong"
    UNCHECKED = "unchecked"


@dataclass(frozen=True, slots=True)
class ItemCheck:
    """One proposed item, as the IRS counted it and as the facts support."""

    number: int
    item: ProposedItem
    line: Field1040
    irs_amount: Decimal
    your_amount: Decimal
    position: Position
    verdict: ItemVerdict
    findings: tuple[str, ...]
    send: tuple[str, ...]
    irs_effect: Computed  # the return with this item alone as the IRS counted it, minus as filed
    your_effect: Computed

    @property
    def label(self) -> str:
        """``"Form 1099-NEC from Acme Design LLC, $6,000.00"``."""
        return f"Form {self.item.form} from {self.item.payer}, ${self.item.amount:,.2f}"

    def explanation(self) -> str:
        """The statement for the response form."""
        return " ".join(self.findings)


@dataclass(frozen=True, slots=True)
class ReturnComparison:
    """One figure of the notice against the recomputation."""

    what: str
    notice: Decimal | None
    recomputed: Decimal | None
    yours: Decimal | None
    rule: str
    note: str = ""
    letter_note: str = ""  # the reason in the taxpayer's words, for the response letter

    @property
    def matches(self) -> bool | None:
        """Whether the notice's figure is the recomputation's, to the dollar the IRS prints."""
        if self.notice is None or self.recomputed is None:
            return None
        return abs(self.notice - self.recomputed) < Decimal("1")


@dataclass(frozen=True, slots=True)
class ReturnCheck:
    """The whole check."""

    tax_year: int
    status: FilingStatus
    filed: Computed  # as filed, with the credits as claimed
    as_proposed: Computed
    as_corrected: Computed
    items: tuple[ItemCheck, ...]
    comparisons: tuple[ReturnComparison, ...]
    notes: tuple[str, ...]
    summary: str
    calculator: str = CALCULATOR

    @property
    def position(self) -> Position:
        """The overall answer: agree, partly agree or disagree."""
        positions = {i.position for i in self.items}
        positions.update(c.position for c in self._credit_positions())
        if not positions or positions == {Position.AGREE}:
            return Position.AGREE
        if positions == {Position.DISAGREE}:
            return Position.DISAGREE
        return Position.PARTLY_AGREE

    def _credit_positions(self) -> tuple[_CreditAnswer, ...]:
        return tuple(
            _CreditAnswer(Position.AGREE if c.matches else Position.DISAGREE)
            for c in self.comparisons
            if c.what in CREDIT_ROWS and c.matches is not None
        )

    @property
    def enclosures(self) -> tuple[str, ...]:
        """Every document the answers rely on, once."""
        seen: dict[str, None] = {}
        for item in self.items:
            for document in item.send:
                seen.setdefault(document)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class _CreditAnswer:
    position: Position


def _figures(filed: FiledReturn, status: FilingStatus) -> Figures:
    ss = filed.social_security_wages
    if ss is None:
        ss = filed.wages if status is not FilingStatus.MARRIED_JOINT else ZERO
    return Figures(
        filed.wages, ss, filed.taxable_interest, filed.ordinary_dividends, filed.qualified_dividends,
        filed.short_term_gains, filed.long_term_gains, filed.business_profit, filed.other_income, filed.adjustments,
    )


def _line(item: ProposedItem) -> Field1040 | None:
    if item.income_type is not None:
        return item.income_type
    if item.form == "1099-B" and item.term == "long":
        return Field1040.LONG_TERM_GAIN
    return FORM_FIELDS.get(item.form)


def _add(figures: Figures, line: Field1040, amount: Decimal, item: ProposedItem) -> Figures:
    if line is Field1040.WAGES:
        return replace(figures, wages=figures.wages + amount, ss_wages=figures.ss_wages + amount)
    if line is Field1040.INTEREST:
        return replace(figures, interest=figures.interest + amount)
    if line is Field1040.DIVIDENDS:
        qualified = min(item.qualified or ZERO, amount)
        return replace(figures, dividends=figures.dividends + amount, qualified=figures.qualified + qualified)
    if line is Field1040.SHORT_TERM_GAIN:
        return replace(figures, short_term=figures.short_term + amount)
    if line is Field1040.LONG_TERM_GAIN:
        return replace(figures, long_term=figures.long_term + amount)
    if line is Field1040.BUSINESS:
        return replace(figures, business=figures.business + amount)
    return replace(figures, other=figures.other + amount)


class _Runner:
    """Runs the return for one taxpayer, recomputing the earned income credit when it is in play."""

    def __init__(self, summary: ReturnSummary, rules: RuleSet, eitc_in_play: bool) -> None:
        self.summary = summary
        self.rules = rules
        self.eitc_in_play = eitc_in_play
        self.eitc_note: str | None = None
        self.last_eitc: EarnedIncomeCredit | None = None
        filed = summary.return_
        self.ctc_in_play = filed.ctc_children is not None or filed.other_dependents > 0
        self.ctc_note: str | None = None
        self.part_ii_b = False

    def run(self, figures: Figures) -> Computed:
        filed = self.summary.return_
        year = self.summary.tax_year
        se = self_employment_tax(figures.business, figures.ss_wages, year, self.rules)
        schedule_1 = figures.business + figures.other - figures.adjustments - se.deduction
        result = compute(
            CalculatorInput(
                tax_year=year, status=self.summary.filing_status, wages=figures.wages,
                taxable_interest=figures.interest, ordinary_dividends=figures.dividends,
                qualified_dividends=figures.qualified, short_term_gains=figures.short_term,
                long_term_gains=figures.long_term, schedule_1_income=schedule_1,
                itemized_deductions=filed.itemized_deductions,
            )
        )
        nonrefundable = min(filed.other_credits, result.income_tax)
        earned = figures.wages + max(figures.business - se.deduction, ZERO)
        ctc = ctc_refundable = filed.child_tax_credit
        ctc_nonrefundable = ZERO
        if self.ctc_in_play and self.ctc_note is None:
            try:
                found = child_tax_credit(
                    children=filed.ctc_children or 0, other_dependents=filed.other_dependents, agi=result.agi,
                    earned_income=earned, tax_limit=result.income_tax - nonrefundable,
                    joint=self.summary.filing_status is FilingStatus.MARRIED_JOINT, tax_year=year, rules=self.rules,
                )
                ctc, ctc_nonrefundable, ctc_refundable = found.total, found.nonrefundable, found.refundable
                self.part_ii_b = self.part_ii_b or found.part_ii_b_possible
            except DateOutsideRulesError:
                self.ctc_note = (
                    f"The child tax credit for {year} is not in the rules data, so it is not recomputed: the credit "
                    "as claimed is kept in every computation."
                )
        total = result.income_tax - nonrefundable - ctc_nonrefundable + se.tax
        eitc = filed.earned_income_credit
        if self.eitc_in_play and self.eitc_note is None and filed.eitc_children is None:
            self.eitc_note = (
                "The number of qualifying children for the earned income credit is not known (a tax return "
                "transcript does not print it), so the credit is not recomputed: it is kept as claimed. Give "
                "`return: {eitc_children: N}` in the summary to recompute it."
            )
        if self.eitc_in_play and self.eitc_note is None and filed.eitc_children is not None:
            try:
                investment = figures.interest + figures.dividends + max(figures.short_term + figures.long_term, ZERO)
                credit = earned_income_credit(
                    earned_income=earned, agi=result.agi, children=filed.eitc_children,
                    joint=self.summary.filing_status is FilingStatus.MARRIED_JOINT,
                    investment_income=investment, tax_year=year, rules=self.rules,
                )
                eitc = credit.amount
                self.last_eitc = credit
            except DateOutsideRulesError:
                self.eitc_note = (
                    f"The earned income credit for {year} is not in the rules data, so it is not "
                    "recomputed: the credit as claimed is kept in every computation, and any change "
                    "the notice makes to it is not checked."
                )
        owed = total - eitc - ctc_refundable
        return Computed(result.agi, result.taxable_income, result.income_tax, se.tax, total, eitc, owed, ctc, ctc_refundable)


def _minus(a: Computed, b: Computed) -> Computed:
    return Computed(
        a.agi - b.agi, a.taxable_income - b.taxable_income, a.income_tax - b.income_tax, a.se_tax - b.se_tax,
        a.total_tax - b.total_tax, a.eitc - b.eitc, a.owed - b.owed, a.ctc - b.ctc, a.ctc_refundable - b.ctc_refundable,
    )


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _assess(item: ProposedItem, filed: FiledReturn, earlier: list[ProposedItem]) -> tuple[Decimal, Position, tuple[str, ...], tuple[str, ...]]:
    """The amount the facts support, the answer, the findings and what to send."""
    form, payer = f"Form {item.form}", item.payer
    findings: list[str] = []
    send: list[str] = []
    match = next(
        (r for r in filed.items if _norm(r.form) == _norm(item.form) and _norm(r.payer) == _norm(payer) and r.amount >= item.amount),
        None,
    )
    if item.already_reported or match is not None:
        where = item.already_reported or (match.where if match and match.where else "the return as filed")
        findings.append(f"The {form} from {payer} (${item.amount:,.2f}) is already reported on {where}; counting it again doubles it.")
        send.append(f"Copy of the {item.form} from {payer} and the page of the return that reports it ({where})")
        return ZERO, Position.DISAGREE, tuple(findings), tuple(send)
    twin = next((e for e in earlier if _norm(e.form) == _norm(item.form) and _norm(e.payer) == _norm(payer) and e.amount == item.amount), None)
    if item.duplicate:
        findings.append(f"This {form} from {payer} is the same payment as another form the notice lists; it is counted twice.")
        send.append(f"Copies of both {item.form} forms from {payer}, or a letter from the payer that only one payment was made")
        return ZERO, Position.DISAGREE, tuple(findings), tuple(send)
    if twin is not None:
        findings.append(f"The notice lists the {form} from {payer} for ${item.amount:,.2f} twice: check whether one is a duplicate or a corrected form.")
    if item.nominee:
        findings.append(
            f"The income on the {form} from {payer} belongs to someone else: it was received as a nominee and the "
            "owner reports it."
        )
        send.append(f"Copy of the {item.form} from {payer} and of the nominee {item.form} issued to the owner (with its Form 1096), or a statement naming the owner")
        return ZERO, Position.DISAGREE, tuple(findings), tuple(send)
    amount = item.amount
    if item.corrected_amount is not None:
        findings.append(f"The payer issued a corrected {form} for ${item.corrected_amount:,.2f} instead of ${item.amount:,.2f}.")
        send.append(f"Copy of the corrected {item.form} from {payer}")
        amount = item.corrected_amount
    if item.form == "1099-B":
        if item.basis is not None:
            reported = f" (the broker reported a basis of ${item.basis_reported:,.2f})" if item.basis_reported is not None else " (the broker reported no basis)"
            findings.append(
                f"The proceeds of ${amount:,.2f} on the {form} from {payer} are not all gain{reported}: the cost basis is "
                f"${item.basis:,.2f}, so the gain is ${amount - item.basis:,.2f}."
            )
            send.append(f"Proof of the cost basis of the sales on the {item.form} from {payer} (purchase confirmations or broker statements) and a Form 8949 listing each sale")
            amount -= item.basis
        elif item.basis_reported is None:
            findings.append(
                f"The {form} from {payer} reports proceeds without a basis, and the notice counts the whole ${amount:,.2f} as gain. "
                "If you paid for what you sold, send your basis."
            )
    if item.expenses is not None and _line(item) is Field1040.BUSINESS:
        findings.append(f"Business expenses of ${item.expenses:,.2f} reduce the ${amount:,.2f} to a net profit of ${amount - item.expenses:,.2f}.")
        send.append(f"A Schedule C for the income from {payer} and records of the ${item.expenses:,.2f} of expenses")
        amount -= item.expenses
    if amount == item.amount and not findings:
        findings.append(f"The {form} from {payer} is not on the return as filed; the notice adds it correctly.")
        return amount, Position.AGREE, tuple(findings), ()
    if amount == item.amount:
        return amount, Position.AGREE, tuple(findings), tuple(send)
    return amount, (Position.DISAGREE if amount <= ZERO else Position.PARTLY_AGREE), tuple(findings), tuple(send)


def check_return(summary: ReturnSummary, rules: RuleSet, *, notice_tax: Decimal | None = None,
                 notice_penalty: Decimal | None = None, notice_interest: Decimal | None = None,
                 notice_amount_due: Decimal | None = None) -> ReturnCheck:
    """Recompute the return as filed, with each proposed change, as proposed and as corrected."""
    proposal = summary.notice
    filed = summary.return_
    notes: list[str] = list(summary.read_notes)
    eitc_in_play = filed.earned_income_credit > ZERO or proposal.credits.earned_income_credit is not None
    runner = _Runner(summary, rules, eitc_in_play)
    base = _figures(filed, summary.filing_status)
    as_filed = runner.run(base)
    filed_eitc = runner.last_eitc
    if runner.eitc_note:
        notes.append(runner.eitc_note)
    if filed.total_tax is not None and abs(filed.total_tax - as_filed.total_tax) >= Decimal("1"):
        notes.append(
            f"The return's total tax (${filed.total_tax:,.2f}) is not what the recomputation gives for it "
            f"(${as_filed.total_tax:,.2f}): the summary may be missing a line the calculator needs (a credit, "
            "a deduction or another tax), so read the differences below with that in mind."
        )
    if filed.agi is not None and filed.agi != as_filed.agi:
        notes.append(
            f"The return's AGI (${filed.agi:,.2f}) is not what the recomputation gives for it (${as_filed.agi:,.2f}): "
            "an income line or an adjustment is missing from the summary."
        )
    irs = corrected = base
    checks: list[ItemCheck] = []
    earlier: list[ProposedItem] = []
    for number, item in enumerate(proposal.items, start=1):
        line = _line(item)
        if line is None:
            notes.append(
                f"Item {number} (Form {item.form} from {item.payer}) is a form the recomputation does not place on the "
                "return (such as SSA-1099 benefits); give its `income_type` if you know the line, otherwise check it by hand."
            )
            checks.append(ItemCheck(number, item, Field1040.OTHER, item.amount, item.amount, Position.AGREE, ItemVerdict.UNCHECKED,
                                    ("Not recomputed: the form's line is not known to the recomputation.",), (),
                                    _minus(as_filed, as_filed), _minus(as_filed, as_filed)))
            earlier.append(item)
            continue
        yours, position, findings, send = _assess(item, filed, earlier)
        earlier.append(item)
        irs = _add(irs, line, item.amount, item)
        corrected = _add(corrected, line, yours, item)
        irs_effect = _minus(runner.run(_add(base, line, item.amount, item)), as_filed)
        your_effect = _minus(runner.run(_add(base, line, yours, item)), as_filed)
        verdict = ItemVerdict.RIGHT if yours == item.amount else ItemVerdict.WRONG if yours <= ZERO else ItemVerdict.OVERSTATED
        checks.append(ItemCheck(number, item, line, item.amount, yours, position, verdict, findings, send, irs_effect, your_effect))
    as_proposed = runner.run(irs)
    as_corrected = runner.run(corrected)
    # What the return claimed is the base the notice's changes are measured from.
    before_ctc = as_filed.total_tax + as_filed.ctc - as_filed.ctc_refundable
    claimed = replace(as_filed, eitc=filed.earned_income_credit, ctc=filed.child_tax_credit,
                      owed=before_ctc - filed.earned_income_credit - filed.child_tax_credit)
    if runner.ctc_in_play and runner.ctc_note is None and as_filed.ctc != filed.child_tax_credit:
        notes.append(
            f"The return claimed a child tax credit (with the credit for other dependents) of "
            f"${filed.child_tax_credit:,.2f}; Schedule 8812 gives ${as_filed.ctc:,.2f} for the return as filed."
        )
    if runner.ctc_note:
        notes.append(runner.ctc_note)
    if runner.part_ii_b:
        notes.append(
            "With three or more children, Schedule 8812 Part II-B (social security taxes) can give a larger "
            "refundable child tax credit than the earned-income limit used here; it is not figured, so check it by hand."
        )
    comparisons = _comparisons(summary, rules, claimed, as_proposed, as_corrected, filed_eitc, runner,
                               notice_tax, notice_penalty, notice_interest, notice_amount_due, notes)
    _phaseout_notes(summary, rules, as_filed, as_proposed, notes)
    if filed.business_profit or any(c.line is Field1040.BUSINESS for c in checks):
        notes.append(
            "The qualified business income deduction (IRC 199A) is not figured: every run leaves it out. If the "
            "return or the notice allows one, the income tax on the business income is lower than shown; check "
            "that line by hand."
        )
    result = ReturnCheck(summary.tax_year, summary.filing_status, claimed, as_proposed, as_corrected,
                         tuple(checks), tuple(comparisons), tuple(notes), "")
    return replace(result, summary=_summary(result))


def _comparisons(summary: ReturnSummary, rules: RuleSet, filed: Computed, proposed: Computed, corrected: Computed,
                 filed_eitc: EarnedIncomeCredit | None, runner: _Runner, notice_tax: Decimal | None,
                 notice_penalty: Decimal | None, notice_interest: Decimal | None, notice_amount_due: Decimal | None,
                 notes: list[str]) -> list[ReturnComparison]:
    proposal = summary.notice
    year = summary.tax_year
    out: list[ReturnComparison] = []
    tax_notice = proposal.tax_increase if proposal.tax_increase is not None else notice_tax
    out.append(ReturnComparison("increase in tax", tax_notice, proposed.total_tax - filed.total_tax,
                          corrected.total_tax - filed.total_tax, "income tax and self-employment tax, recomputed"))
    if runner.eitc_in_play and runner.eitc_note is None:
        credit = proposal.credits.earned_income_credit
        out.append(ReturnComparison("earned income credit", credit if credit is not None else None, proposed.eitc, corrected.eitc,
                              filed_eitc.rule if filed_eitc else "IRC 32"))
        if filed_eitc is not None and filed_eitc.amount != summary.return_.earned_income_credit:
            notes.append(
                f"The return claimed an earned income credit of ${summary.return_.earned_income_credit:,.2f}; the EIC Table gives "
                f"${filed_eitc.amount:,.2f} for the return as filed ({filed_eitc.reason})."
            )
    if runner.ctc_in_play and runner.ctc_note is None:
        out.append(ReturnComparison("child tax credit", proposal.credits.child_tax_credit, proposed.ctc, corrected.ctc,
                              "IRC 24; Schedule 8812"))
    change_notice = None
    penalty_notice = proposal.penalty if proposal.penalty is not None else notice_penalty
    interest_notice = proposal.interest if proposal.interest is not None else notice_interest
    due_notice = proposal.amount_due if proposal.amount_due is not None else notice_amount_due
    if due_notice is not None:
        change_notice = due_notice - (penalty_notice or ZERO) - (interest_notice or ZERO)
    out.append(ReturnComparison("change in the amount owed (tax less credits)", change_notice, proposed.owed - filed.owed,
                          corrected.owed - filed.owed, "total tax less the earned income credit and the child tax credit as claimed"))
    if penalty_notice:
        correct_tax = max(proposed.owed, ZERO)
        irs_penalty = accuracy_penalty(proposed.owed - filed.owed, correct_tax, year, rules)
        your_tax = max(corrected.owed, ZERO)
        your_penalty = accuracy_penalty(corrected.owed - filed.owed, your_tax, year, rules)
        yours = your_penalty.penalty
        letter_note = (
            f"it is 20 percent of the underpayment of ${your_penalty.underpayment:,.2f} that remains (IRC 6662(a))."
        )
        note = (
            f"20% of the underpayment. As proposed the understatement is {'over' if irs_penalty.substantial else 'not over'} "
            f"the substantial-understatement threshold of ${irs_penalty.threshold:,.2f}."
        )
        if not your_penalty.substantial:
            yours = ZERO
            note += (
                f" As corrected it is ${your_penalty.underpayment:,.2f}, not over ${your_penalty.threshold:,.2f}, so a "
                "substantial-understatement penalty does not apply (a negligence penalty needs its own proof)."
            )
            letter_note = (
                f"with the changes above the understatement is ${your_penalty.underpayment:,.2f}, which is not more "
                f"than ${your_penalty.threshold:,.2f} (the greater of {_share(rules, year)} percent of the correct tax "
                f"and ${_floor(rules, year):,.2f}; "
                "IRC 6662(d)(1)(A)), so it is not a substantial understatement."
            )
        out.append(ReturnComparison("accuracy-related penalty (IRC 6662)", penalty_notice, irs_penalty.penalty, yours,
                              irs_penalty.rule, note, letter_note))
    if interest_notice:
        charged = change_notice if change_notice is not None else proposed.owed - filed.owed
        proposed_base = charged + (penalty_notice or ZERO)
        your_base = next((c.yours for c in out if c.what.startswith("accuracy")), ZERO) or ZERO
        your_base += corrected.owed - filed.owed
        your_interest: Decimal | None = None
        if proposed_base > ZERO:
            your_interest = quantize_cents(interest_notice * max(your_base, ZERO) / proposed_base)
        out.append(ReturnComparison(
            "interest", interest_notice, None, your_interest, "IRC 6601, 6621",
            "Interest runs from the return's due date on the same periods, so it scales with the amount it is "
            "charged on; the corrected figure is the notice's interest in that proportion, and the IRS figures the exact "
            "amount when it revises the notice.",
        ))
    return out


def _share(rules: RuleSet, year: int) -> str:
    share = rules.parameters.decimal("penalty.accuracy.understatement_share", year_start(year))
    return f"{share * 100:f}".rstrip("0").rstrip(".")


def _floor(rules: RuleSet, year: int) -> Decimal:
    return rules.parameters.decimal("penalty.accuracy.understatement_floor", year_start(year))


def _phaseout_notes(summary: ReturnSummary, rules: RuleSet, filed: Computed, proposed: Computed, notes: list[str]) -> None:
    if summary.return_.child_tax_credit <= ZERO or summary.return_.ctc_children is not None:
        return
    try:
        threshold = ctc_phaseout_threshold(summary.filing_status is FilingStatus.MARRIED_JOINT, summary.tax_year, rules)
    except DateOutsideRulesError:
        notes.append(f"The child tax credit phase-out for {summary.tax_year} is not in the rules data; the credit is kept as claimed.")
        return
    note = (
        "The child tax credit is kept as claimed; it is not recomputed (give `ctc_children` to recompute it). "
        "The increase in tax shown is before its nonrefundable part, so it can differ from the notice's line even "
        "when the change in the amount owed matches."
    )
    if proposed.agi > threshold:
        note += (
            f" With the proposed changes AGI (${proposed.agi:,.2f}) is over the phase-out threshold of ${threshold:,.2f} "
            "(IRC 24(b)), so the credit the notice allows may be smaller: check it by hand."
        )
    notes.append(note)


def _summary(check: ReturnCheck) -> str:
    increase = next(c for c in check.comparisons if c.what.startswith("change in the amount owed"))
    proposed = increase.recomputed or ZERO
    yours = increase.yours or ZERO
    head = (
        f"Recomputed with {check.calculator}: the notice's changes raise what you owe for {check.tax_year} by "
        f"${proposed:,.2f}; with the facts you gave, by ${yours:,.2f}."
    )
    if increase.notice is not None:
        head += (
            " The notice's figure is reproduced."
            if increase.matches
            else f" The notice says ${increase.notice:,.2f}: the recomputation of its own changes differs by ${increase.notice - proposed:,.2f}."
        )
    answer = {Position.AGREE: "agree", Position.DISAGREE: "disagree", Position.PARTLY_AGREE: "partly agree"}[check.position]
    return f"{head} Answer on the response form: {answer}."
