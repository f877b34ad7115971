"""The parts of a Form 1040 that a proposed change moves and that the income-tax calculator
does not figure: self-employment tax (Schedule SE), the earned income credit (IRC 32, the EIC
Table method) and the accuracy-related penalty (IRC 6662).

Every rate, amount and threshold is read from the rules data for the tax year; a year the data
does not cover raises :class:`~balancedue.errors.DateOutsideRulesError`, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from balancedue.engine.money import quantize_cents
from balancedue.rules import RuleSet

ZERO = Decimal("0")
DOLLAR = Decimal("1")
TWO = Decimal("2")  # not law: half of a table line, to find its middle
MAX_EITC_CHILDREN = 3  # not law: IRC 32(b)(1) has columns for 0, 1, 2 and "3 or more" children
PART_II_B_CHILDREN = 3  # not law: Schedule 8812 Part II-B is for three or more qualifying children


def year_start(tax_year: int) -> date:
    """The day the rules data is read on for a tax year's figures."""
    return date(tax_year, 1, 1)


@dataclass(frozen=True, slots=True)
class SelfEmploymentTax:
    """Schedule SE, line by line."""

    profit: Decimal
    net_earnings: Decimal
    social_security_base: Decimal
    social_security: Decimal
    medicare: Decimal
    tax: Decimal
    deduction: Decimal  # the half deducted in figuring AGI
    rule: str


def self_employment_tax(profit: Decimal, social_security_wages: Decimal, tax_year: int, rules: RuleSet) -> SelfEmploymentTax:
    """Self-employment tax on a year's net profit (IRC 1401, 1402), and its deductible half."""
    on = year_start(tax_year)
    p = rules.parameters
    net = quantize_cents(max(profit, ZERO) * p.decimal("se_tax.net_earnings_factor", on))
    rule = "IRC 1401, 1402; Schedule SE"
    if net < p.decimal("se_tax.minimum_net_earnings", on):
        return SelfEmploymentTax(profit, net, ZERO, ZERO, ZERO, ZERO, ZERO, rule + " (net earnings under the minimum)")
    room = max(p.decimal("se_tax.social_security_wage_base", on) - social_security_wages, ZERO)
    base = min(net, room)
    social = quantize_cents(base * p.decimal("se_tax.social_security_rate", on))
    medicare = quantize_cents(net * p.decimal("se_tax.medicare_rate", on))
    tax = social + medicare
    deduction = quantize_cents(tax * p.decimal("se_tax.deductible_share", on))
    return SelfEmploymentTax(profit, net, base, social, medicare, tax, deduction, rule)


@dataclass(frozen=True, slots=True)
class EarnedIncomeCredit:
    """The credit and how it was found."""

    amount: Decimal
    children: int
    looked_up: tuple[tuple[str, Decimal, Decimal], ...]  # (what, amount looked up, credit at it)
    reason: str
    rule: str


def _children_key(children: int) -> str:
    return f"children_{min(max(children, 0), MAX_EITC_CHILDREN)}"


def _table_credit(amount: Decimal, key: str, joint: bool, on: date, rules: RuleSet) -> Decimal:
    """The credit the EIC Table prints on the line holding ``amount``: figured at the middle of
    the line and rounded to the whole dollar (Publication 596)."""
    p = rules.parameters
    if amount <= ZERO:
        return ZERO
    band = p.decimal("eitc.table_band", on)
    middle = (amount / band).to_integral_value(ROUND_FLOOR) * band + band / TWO
    rate = p.decimal(f"eitc.credit_rate.{key}", on)
    maximum = (rate * p.decimal(f"eitc.earned_income_amount.{key}", on)).quantize(DOLLAR, ROUND_HALF_UP)
    start = p.decimal(f"eitc.phaseout_start{'_joint' if joint else ''}.{key}", on)
    credit = min(rate * middle, maximum) - p.decimal(f"eitc.phaseout_rate.{key}", on) * max(middle - start, ZERO)
    return max(credit, ZERO).quantize(DOLLAR, ROUND_HALF_UP)


def earned_income_credit(
    *,
    earned_income: Decimal,
    agi: Decimal,
    children: int,
    joint: bool,
    investment_income: Decimal,
    tax_year: int,
    rules: RuleSet,
) -> EarnedIncomeCredit:
    """The earned income credit by the EIC Worksheet: the table credit at earned income, and, when
    AGI differs and reaches the phase-out amount, the smaller of that and the credit at AGI
    (IRC 32(a)(2)).  Eligibility other than income (age, residency, valid numbers) is taken as
    the return claimed it."""
    on = year_start(tax_year)
    p = rules.parameters
    key = _children_key(children)
    rule = f"IRC 32; EIC Table, {children if children < MAX_EITC_CHILDREN else '3 or more'} qualifying children"
    limit = p.decimal("eitc.investment_income_limit", on)
    if investment_income > limit:
        return EarnedIncomeCredit(
            ZERO, children, (), f"investment income ${investment_income:,.2f} is over the ${limit:,.2f} limit (IRC 32(i))", rule
        )
    at_earned = _table_credit(earned_income, key, joint, on, rules)
    looked = [("earned income", earned_income, at_earned)]
    credit = at_earned
    start = p.decimal(f"eitc.phaseout_start{'_joint' if joint else ''}.{key}", on)
    if agi != earned_income and agi >= start:
        at_agi = _table_credit(agi, key, joint, on, rules)
        looked.append(("AGI", agi, at_agi))
        credit = min(credit, at_agi)
    reason = "the smaller of the credits at earned income and at AGI" if len(looked) > 1 else "the credit at earned income"
    return EarnedIncomeCredit(credit, children, tuple(looked), reason, rule)


@dataclass(frozen=True, slots=True)
class AccuracyPenalty:
    """IRC 6662 on an underpayment, and whether the understatement is substantial."""

    underpayment: Decimal
    penalty: Decimal
    threshold: Decimal
    substantial: bool
    rule: str


def accuracy_penalty(underpayment: Decimal, correct_tax: Decimal, tax_year: int, rules: RuleSet) -> AccuracyPenalty:
    """20 percent of the underpayment (IRC 6662(a)); substantial when the understatement exceeds
    the greater of 10 percent of the correct tax and $5,000 (IRC 6662(d)(1)(A))."""
    on = year_start(tax_year)
    p = rules.parameters
    base = max(underpayment, ZERO)
    threshold = max(
        quantize_cents(max(correct_tax, ZERO) * p.decimal("penalty.accuracy.understatement_share", on)),
        p.decimal("penalty.accuracy.understatement_floor", on),
    )
    penalty = quantize_cents(base * p.decimal("penalty.accuracy.rate", on))
    return AccuracyPenalty(base, penalty, threshold, base > threshold, "IRC 6662(a), (d)(1)(A)")


def ctc_phaseout_threshold(joint: bool, tax_year: int, rules: RuleSet) -> Decimal:
    """The modified AGI above which the child tax credit starts to phase out (IRC 24(b))."""
    return rules.parameters.decimal("ctc.phaseout_threshold_joint" if joint else "ctc.phaseout_threshold", year_start(tax_year))


@dataclass(frozen=True, slots=True)
class ChildTaxCredit:
    """Schedule 8812: the credit after the phase-out, its nonrefundable part and the refundable
    additional child tax credit."""

    before_phaseout: Decimal
    reduction: Decimal
    credit: Decimal  # after the phase-out
    nonrefundable: Decimal  # limited to the tax
    refundable: Decimal  # the additional child tax credit
    rule: str
    part_ii_b_possible: bool = False  # Schedule 8812 Part II-B might give more; it is not figured

    @property
    def total(self) -> Decimal:
        """What the credit takes off what is owed."""
        return self.nonrefundable + self.refundable


def child_tax_credit(
    *,
    children: int,
    other_dependents: int,
    agi: Decimal,
    earned_income: Decimal,
    tax_limit: Decimal,
    joint: bool,
    tax_year: int,
    rules: RuleSet,
) -> ChildTaxCredit:
    """The child tax credit and credit for other dependents (IRC 24), Schedule 8812 Parts I and
    II-A: the phase-out of $50 per $1,000 (or fraction) of modified AGI (taken as AGI) over the
    threshold, the nonrefundable part up to ``tax_limit`` (Credit Limit Worksheet A), and the
    refundable part: the smaller of what is left of the children's credit, the per-child cap and
    15 percent of earned income over $2,500."""
    on = year_start(tax_year)
    p = rules.parameters
    per_child = p.decimal("ctc.amount_per_child", on)
    full = per_child * children + p.decimal("ctc.amount_other_dependent", on) * other_dependents
    over = max(agi - ctc_phaseout_threshold(joint, tax_year, rules), ZERO)
    steps = (over / p.decimal("ctc.phaseout_step", on)).to_integral_value(ROUND_CEILING)
    reduction = min(steps * p.decimal("ctc.phaseout_per_step", on), full)
    credit = full - reduction
    nonrefundable = min(credit, max(tax_limit, ZERO))
    left = credit - nonrefundable
    cap = p.decimal("ctc.refundable_per_child", on) * children
    by_earnings = quantize_cents(
        max(earned_income - p.decimal("ctc.earned_income_floor", on), ZERO) * p.decimal("ctc.refundable_rate", on)
    )
    refundable = min(left, cap, by_earnings)
    # Part II-B (three or more children: social security taxes over the earned income credit) can
    # only raise the refundable part when the earnings limit is what holds it down.
    part_ii_b = children >= PART_II_B_CHILDREN and by_earnings < min(left, cap)
    return ChildTaxCredit(full, reduction, credit, nonrefundable, refundable, "IRC 24; Schedule 8812 Parts I and II-A",
                          part_ii_b)
