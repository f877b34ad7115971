"""Self-employment tax, the EIC Table and IRC 6662, figures derived by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from balancedue.engine.return_math import (
    accuracy_penalty,
    child_tax_credit,
    earned_income_credit,
    self_employment_tax,
)
from balancedue.errors import DateOutsideRulesError
from balancedue.rules import RuleSet, load_rules

D = Decimal


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def test_self_employment_tax_stops_social_security_at_the_wage_base(rules: RuleSet) -> None:
    # 2024 base 168,600. Wages 160,000 leave 8,600 of room. Profit 20,000: net earnings 18,470.00;
    # social security 12.4% x 8,600 = 1,066.40; Medicare 2.9% x 18,470 = 535.63; tax 1,602.03;
    # half 801.015 -> 801.02.
    se = self_employment_tax(D("20000.00"), D("160000.00"), 2024, rules)
    assert (se.net_earnings, se.social_security_base, se.social_security, se.medicare) == (
        D("18470.00"), D("8600.00"), D("1066.40"), D("535.63"))
    assert (se.tax, se.deduction) == (D("1602.03"), D("801.02"))


def test_no_self_employment_tax_under_400_of_net_earnings(rules: RuleSet) -> None:
    # 430 x 0.9235 = 397.11 < 400; 440 x 0.9235 = 406.34 -> 12.4% 50.39 + 2.9% 11.78 = 62.17.
    assert self_employment_tax(D("430.00"), D("0"), 2024, rules).tax == 0
    assert self_employment_tax(D("440.00"), D("0"), 2024, rules).tax == D("62.17")


def eic(earned: str, agi: str | None = None, children: int = 1, joint: bool = False, investment: str = "0",
        year: int = 2024, rules: RuleSet | None = None) -> Decimal:
    return earned_income_credit(
        earned_income=D(earned), agi=D(agi or earned), children=children, joint=joint,
        investment_income=D(investment), tax_year=year, rules=rules or load_rules(),
    ).amount


def test_the_eic_table_is_figured_at_the_middle_of_each_line(rules: RuleSet) -> None:
    # 2024, one child, 34%: 2,400-2,450 -> 34% x 2,425 = 824.50 -> 825; 2,449.99 is the same line.
    assert eic("2400.00", rules=rules) == eic("2449.99", rules=rules) == D("825")
    # Plateau: 34% x 12,390 = 4,212.60 -> maximum 4,213.
    assert eic("15000.00", rules=rules) == D("4213")
    # Three or more children: 45% x 17,400 = 7,830; a fifth child changes nothing.
    assert eic("20000.00", children=5, rules=rules) == D("7830")
    # 2023, no children, 7.65% up to 7,840 (maximum 599.76 -> 600); phase-out above 9,800:
    # 15,000 -> middle 15,025: 600 - 7.65% x 5,225 = 600 - 399.71 = 200.29 -> 200.
    assert eic("15000.00", children=0, year=2023, rules=rules) == D("200")


def test_joint_returns_start_the_phase_out_later(rules: RuleSet) -> None:
    # 2024, one child, 35,000: middle 35,025.
    # Not joint: 4,213 - 15.98% x (35,025 - 22,720) = 4,213 - 1,966.339 = 2,246.66 -> 2,247.
    # Joint: 4,213 - 15.98% x (35,025 - 29,640) = 4,213 - 860.523 = 3,352.48 -> 3,352.
    assert eic("35000.00", rules=rules) == D("2247")
    assert eic("35000.00", joint=True, rules=rules) == D("3352")


def test_investment_income_over_the_limit_ends_the_credit(rules: RuleSet) -> None:
    # 2024 limit 11,600 (IRC 32(i)).
    assert eic("20000.00", investment="11600.00", rules=rules) == D("4213")
    assert eic("20000.00", investment="11600.01", rules=rules) == 0


def test_a_year_without_eic_data_is_refused_not_guessed(rules: RuleSet) -> None:
    with pytest.raises(DateOutsideRulesError):
        eic("20000.00", year=2021, rules=rules)


def test_accuracy_penalty_and_the_substantial_understatement_test(rules: RuleSet) -> None:
    # 20% x 6,428 = 1,285.60; threshold max(10% x 11,647 = 1,164.70, 5,000) = 5,000.
    big = accuracy_penalty(D("6428.00"), D("11647.00"), 2024, rules)
    assert (big.penalty, big.threshold, big.substantial) == (D("1285.60"), D("5000.00"), True)
    # Correct tax 80,000: threshold 8,000; an understatement of 7,000 is not substantial.
    small = accuracy_penalty(D("7000.00"), D("80000.00"), 2024, rules)
    assert (small.penalty, small.threshold, small.substantial) == (D("1400.00"), D("8000.00"), False)


def test_child_tax_credit_refundable_part_is_held_to_15_percent_of_earnings(rules: RuleSet) -> None:
    # 2024, two children, no tax: credit 2 x 2,000 = 4,000, nonrefundable 0; refundable: the smaller
    # of 4,000 left, 2 x 1,700 = 3,400 and 15% x (20,000 - 2,500) = 2,625.00.
    found = child_tax_credit(children=2, other_dependents=0, agi=D("20000.00"), earned_income=D("20000.00"),
                             tax_limit=D("0"), joint=False, tax_year=2024, rules=rules)
    assert (found.credit, found.nonrefundable, found.refundable, found.total) == (
        D("4000.00"), D("0"), D("2625.00"), D("2625.00"))


def test_child_tax_credit_phase_out_counts_each_started_thousand(rules: RuleSet) -> None:
    # Joint, two children and one other dependent: 4,000 + 500 = 4,500. AGI 410,500 is 10,500 over
    # 400,000: 11 steps (a fraction counts) x $50 = 550; credit 3,950, all nonrefundable under a
    # large tax.
    found = child_tax_credit(children=2, other_dependents=1, agi=D("410500.00"), earned_income=D("410500.00"),
                             tax_limit=D("90000.00"), joint=True, tax_year=2024, rules=rules)
    assert (found.reduction, found.credit, found.nonrefundable, found.refundable) == (
        D("550.00"), D("3950.00"), D("3950.00"), D("0"))


def test_child_tax_credit_before_2022_is_not_in_the_data(rules: RuleSet) -> None:
    with pytest.raises(DateOutsideRulesError):
        child_tax_credit(children=1, other_dependents=0, agi=D("30000.00"), earned_income=D("30000.00"),
                         tax_limit=D("0"), joint=False, tax_year=2021, rules=rules)
