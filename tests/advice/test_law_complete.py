"""The law behind the advice, item by item: postponements (IRC 7508A), Notice 2022-36, the
extension 90% rule, taxpayers abroad, IRC 7503 in the interest-free window, the computed CP504
rate cut-off, stages, routes, agreements, screenings and sources.

Every expected figure is worked out by hand in the comments, never taken from the engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from balancedue.advice.deadlines import notice_deadlines
from balancedue.advice.figures import engine_figure
from balancedue.advice.finances import AllowanceMethod, ExpenseCategory, read_finances
from balancedue.advice.offer import (
    Likelihood,
    financial_picture,
    screen_not_collectible,
    screen_offer,
)
from balancedue.advice.routes import rights_and_routes
from balancedue.advice.triage import TriageFacts, professional_help
from balancedue.engine import compute, parse_scenario
from balancedue.engine.accrual import grace_period_end
from balancedue.errors import InputError
from balancedue.rules import RuleSet, Verification


def scenario(**raw: Any) -> Any:
    return parse_scenario({"form": "1040", **raw})


# --- Item 2: IRC 7508A postponements and Notice 2022-36 --------------------------------------


def test_tax_year_2019_filed_by_the_postponed_date_has_no_failure_to_file(rules: RuleSet) -> None:
    # Notice 2020-23 (IRC 7508A): 2019 returns and payments due 2020-07-15. Filed 2020-07-14:
    # timely, so no IRC 6651(a)(1) addition; failure-to-pay counts from 2020-07-15, and by
    # 2020-07-31 one month (beginning 07-16) has begun: 1 x 0.5% x $5,000.00 = $25.00.
    account = scenario(tax_year=2019, events=[{"date": "2020-07-14", "type": "return_filed", "tax": "5000.00"}])
    statement = compute(account, date(2020, 7, 31), rules=rules)
    assert statement.return_due_date == date(2020, 7, 15)
    assert statement.failure_to_file == Decimal("0")
    assert statement.failure_to_pay == Decimal("25.00")


def test_tax_year_2020_filed_by_may_17_2021_has_no_failure_to_file(rules: RuleSet) -> None:
    # Notice 2021-21 (IRC 7508A): 2020 Form 1040 due 2021-05-17; filed that day: timely.
    account = scenario(tax_year=2020, events=[{"date": "2021-05-17", "type": "return_filed", "tax": "5000.00"}])
    statement = compute(account, date(2021, 5, 31), rules=rules)
    assert statement.return_due_date == date(2021, 5, 17)
    assert statement.failure_to_file == Decimal("0")


def test_notice_2022_36_waives_failure_to_file_for_returns_filed_by_september_30_2022(rules: RuleSet) -> None:
    # Filed 2022-03-01, ten months after the 2021-05-17 due date: IRC 6651(a)(1) would charge
    # the 25% maximum, but Notice 2022-36 waives it for 2020 returns filed by 2022-09-30.
    account = scenario(tax_year=2020, events=[{"date": "2022-03-01", "type": "return_filed", "tax": "5000.00"}])
    assert compute(account, date(2022, 3, 31), rules=rules).failure_to_file == Decimal("0")


def test_after_september_30_2022_the_failure_to_file_penalty_stands(rules: RuleSet) -> None:
    # Filed 2022-10-03, more than five months after 2021-05-17: 5 months x (5% less the 0.5%
    # failure-to-pay of the same months, IRC 6651(c)(1)) = 22.5% x $5,000.00 = $1,125.00, above the
    # minimum for a return more than 60 days late ($435 for 2020 returns, IRC 6651(a)).
    account = scenario(tax_year=2020, events=[{"date": "2022-10-03", "type": "return_filed", "tax": "5000.00"}])
    assert compute(account, date(2022, 10, 31), rules=rules).failure_to_file == Decimal("1125.00")


def test_a_scenario_names_a_disaster_postponement(rules: RuleSet) -> None:
    # IRC 7508A disaster relief (Texas winter storms, TX-2021-01): 2020 returns due 2021-06-15
    # in the covered area. Filed 2021-06-14: timely.
    account = scenario(tax_year=2020, postponement="tx-2021-01",
                       events=[{"date": "2021-06-14", "type": "return_filed", "tax": "5000.00"}])
    statement = compute(account, date(2021, 6, 30), rules=rules)
    assert statement.return_due_date == date(2021, 6, 15)
    assert statement.failure_to_file == Decimal("0")
    with pytest.raises(InputError, match="covers tax year 2020, not 2024"):
        compute(scenario(tax_year=2024, postponement="tx-2021-01",
                         events=[{"date": "2025-04-10", "type": "return_filed", "tax": "1.00"}]),
                date(2025, 5, 1), rules=rules)
    assert rules.notices.find("CP14C") is not None
    assert all(p.source.citation for p in rules.postponements)


# --- Item 3: Treas. Reg. 301.6651-1(c)(3)(i) and 1.6081-5 ------------------------------------


def _extension(withheld: str) -> Any:
    return scenario(tax_year=2023, extended_due_date="2024-10-15", events=[
        {"date": "2024-04-15", "type": "withholding", "amount": withheld},
        {"date": "2024-10-01", "type": "return_filed", "tax": "10000.00"},
        {"date": "2024-10-01", "type": "payment", "amount": str(Decimal("10000.00") - Decimal(withheld))},
    ])


def test_extension_with_90_percent_paid_has_no_failure_to_pay(rules: RuleSet) -> None:
    # Treas. Reg. 301.6651-1(c)(3)(i): $9,200.00 of $10,000.00 (92%) paid by 2024-04-15, the
    # $800.00 rest paid with the return filed 2024-10-01 within the extension: no failure-to-pay.
    assert compute(_extension("9200.00"), date(2024, 10, 1), rules=rules).failure_to_pay == Decimal("0")


def test_extension_with_85_percent_paid_keeps_the_failure_to_pay(rules: RuleSet) -> None:
    # 85% paid: the presumption does not apply. Months beginning 04-16, 05-16, 06-16, 07-16,
    # 08-16 and 09-16 began with $1,500.00 unpaid: 6 x 0.5% x $1,500.00 = $45.00 (IRC 6651(a)(2)).
    assert compute(_extension("8500.00"), date(2024, 10, 1), rules=rules).failure_to_pay == Decimal("45.00")


def test_taxpayer_abroad_files_and_pays_by_june_15_with_interest_from_april_15(rules: RuleSet) -> None:
    # Treas. Reg. 1.6081-5(a)(5): June 15, 2024 is a Saturday, so filing by Monday 2024-06-17 is
    # timely (IRC 7503); no failure-to-pay month has begun by 2024-06-14 counting from June 15.
    # Interest runs from 2024-04-15: 60 days at 8% (2024, a leap year):
    # $1,000.00 x ((1 + 0.08/366)^60 - 1) = $13.20.
    account = scenario(tax_year=2023, abroad=True,
                       events=[{"date": "2024-06-14", "type": "return_filed", "tax": "1000.00"}])
    statement = compute(account, date(2024, 6, 14), rules=rules)
    assert statement.failure_to_file == Decimal("0")
    assert statement.failure_to_pay == Decimal("0")
    assert statement.interest == Decimal("13.20")


# --- Item 4: one IRC 7503 function for the engine's window and the deadlines ----------------


def test_interest_free_window_ending_on_a_sunday_moves_to_monday_in_engine_and_deadlines(rules: RuleSet) -> None:
    # Notice 2025-05-18 + 21 days = Sunday 2025-06-08; IRC 7503 moves it to Monday 2025-06-09.
    notice = date(2025, 5, 18)
    assert grace_period_end(rules, notice, Decimal("4065.39")) == date(2025, 6, 9)
    entry = rules.notices.get("CP14")
    deadlines, _ = notice_deadlines(entry, notice_date=notice, pay_by=None, respond_by=None,
                                    amount_due=Decimal("4065.39"), today=notice, rules=rules)
    assert any(d.due == date(2025, 6, 9) and "21 calendar days" in d.what for d in deadlines)
    # The amount demanded on 05-18: tax $4,000.00 + failure-to-pay for the months beginning
    # 04-16 and 05-16 (2 x $20.00) + interest for 33 days at 7%:
    # $4,000.00 x ((1 + 0.07/365)^33 - 1) = $25.39; $4,065.39 in all. Paid on Monday 06-09 it
    # draws no interest after the notice (IRC 6601(e)(3)), and no new failure-to-pay month began.
    account = scenario(tax_year=2024, events=[
        {"date": "2025-04-14", "type": "withholding", "amount": "6000.00"},
        {"date": "2025-04-14", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-05-18", "type": "notice_and_demand"},
        {"date": "2025-06-09", "type": "payment", "amount": "4065.39"},
    ])
    assert compute(account, date(2025, 5, 18), rules=rules).balance == Decimal("4065.39")
    assert compute(account, date(2025, 6, 9), rules=rules).balance == Decimal("0.00")


# --- Item 6: CP504's 10 days under IRC 6651(d) ------------------------------------------------


def test_cp504_ten_days_is_a_computed_cut_off_not_a_hard_deadline(rules: RuleSet) -> None:
    # IRC 6651(d): 1% for each month beginning more than 10 days after the notice. Tax year 2023
    # (due 2024-04-15), notice 2025-09-15: day 10 is 2025-09-25, inside the failure-to-pay month
    # 09-16 to 10-15; the first month beginning after it starts 10-16, so the cut-off is 10-15.
    entry = rules.notices.get("CP504")
    assert not any(d.days_from_notice_date == 10 for d in entry.deadlines)
    deadlines, _ = notice_deadlines(entry, notice_date=date(2025, 9, 15), pay_by=None, respond_by=None,
                                    amount_due=Decimal("8250.00"), today=date(2025, 9, 20), rules=rules,
                                    payment_due=date(2024, 4, 15))
    cut = next(d for d in deadlines if "1% a month" in d.what)
    assert cut.tag.value == "computed"
    assert cut.due == date(2025, 10, 15)


# --- Item 14: the lien equivalent hearing, refund claims, TAS --------------------------------


def test_lien_equivalent_hearing_counts_from_the_five_business_day_period(rules: RuleSet) -> None:
    # Treas. Reg. 301.6320-1(i)(2): one year from the end of the five-business-day period after the
    # lien filing. The letter prints the CDP date 2025-08-14, which is 30 days after that period
    # ended (IRC 6320(a)(3)(B)): the period ended 2025-07-15, so the equivalent hearing runs to
    # 2026-07-15 (a Wednesday) - not to the letter date plus a year.
    entry = rules.notices.get("LTR3172")
    routes = rights_and_routes(entry, date(2025, 7, 10), date(2025, 8, 14), date(2025, 7, 20), rules)
    equivalent = next(r for r in routes if r.id == "equivalent_hearing")
    assert equivalent.deadline_date == date(2026, 7, 15)
    assert "301.6320-1(i)" in equivalent.source
    ids = {r.id for r in routes}
    assert {"cdp_hearing", "tax_court_cdp", "collection_appeals", "taxpayer_advocate", "refund_claim"} <= ids


def test_refund_claim_limit_of_irc_6511(rules: RuleSet) -> None:
    # IRC 6511(a): 3 years from filing or 2 years from payment. An on-time 2023 return (due
    # 2024-04-15) keeps the claim open at least until 2027-04-15 (a Thursday).
    routes = rights_and_routes(rules.notices.get("CP14"), date(2025, 6, 2), None, date(2025, 6, 10), rules,
                               tax_year=2023)
    claim = next(r for r in routes if r.id == "refund_claim")
    assert "2027-04-15" in claim.deadline
    assert "IRC 6511" in claim.source


def test_cp2000_says_pay_now_to_stop_interest_and_names_the_accuracy_penalty(rules: RuleSet) -> None:
    # IRC 6601(a) (interest from the original due date) and IRC 6662(a) (20% accuracy penalty).
    rights = " ".join(f"{r.name} {r.description}" for r in rules.notices.get("CP2000").rights)
    assert "stop interest" in rights.lower()
    assert "6662" in rights


# --- Items 12 and 13: triage by real criteria -------------------------------------------------


def test_a_small_single_year_bill_needs_no_professional(rules: RuleSet) -> None:
    # A $408.00 CP14, one year, no finances: no rule of triage.yaml fires (an offer is only
    # considered with finances that show it may fit).
    facts = TriageFacts(balance=engine_figure(Decimal("408.00"), date(2025, 6, 10)), notice_code="CP14")
    assert professional_help(facts, rules, date(2025, 6, 10)) == []


# --- Item 17: Collection Financial Standards complete or honest ------------------------------


def test_a_missing_housing_figure_is_asked_for_never_counted_as_zero(rules: RuleSet) -> None:
    # New London, Connecticut (Southeastern Connecticut Planning Region) is not in the 2026
    # county housing data and no housing amount is given: the screening must name the figure
    # instead of allowing $0 (IRM 5.15.1).
    finances = read_finances({"household": {"size": 3}, "state": "CT",
                              "county": "Southeastern Connecticut Planning Region",
                              "monthly_income": "5200.00"})
    picture = financial_picture(finances, rules, date(2026, 11, 27))
    assert any("housing_utilities" in item for item in picture.expenses.missing)
    verdict = screen_not_collectible(engine_figure(Decimal("9000.00"), date(2026, 11, 27)), picture)
    assert verdict.verdict.value == "maybe"
    assert any("figure needed" in reason.text for reason in verdict.reasons)


_MISSING_CASES = [
    # (category, date, finances): the edition in force on the date has no figure for the
    # category and the person gave none.
    pytest.param("food_clothing_misc", date(2025, 3, 1),
                 {"household": {"size": 4, "ages": [40, 38, 10, 7]}, "state": "IL", "county": "Cook",
                  "monthly_income": "7000.00", "expenses": {"housing_utilities": "2500.00"}},
                 id="national-2024"),  # the 2024 edition (in force until 2025-04-20) has no national table
    pytest.param("food_clothing_misc", date(2025, 6, 1),
                 {"household": {"size": 2, "ages": [70, 68]}, "state": "FL", "county": "Duval",
                  "monthly_income": "4000.00", "expenses": {"housing_utilities": "1500.00"}},
                 id="national-2025"),  # nor the 2025 edition's
    pytest.param("housing_utilities", date(2026, 11, 27),
                 {"household": {"size": 3}, "state": "CT", "county": "Northeastern Connecticut Planning Region",
                  "monthly_income": "5200.00"},
                 id="housing-2026-connecticut"),  # four Connecticut planning regions are not in the 2026 data
    pytest.param("vehicle_operating", date(2026, 11, 27),
                 {"household": {"size": 1}, "state": "CA", "county": "Los Angeles", "monthly_income": "5200.00",
                  "vehicles": 1, "expenses": {"housing_utilities": "2000.00"}},
                 id="operating-2026-west"),  # 2026 operating costs: not for the West region
    pytest.param("public_transportation", date(2025, 3, 1),
                 {"household": {"size": 1}, "state": "AL", "county": "Autauga", "monthly_income": "3000.00",
                  "vehicles": 0, "expenses": {"housing_utilities": "1200.00", "food_clothing_misc": "700.00"}},
                 id="public-transportation-2024"),  # no 2024 transportation table
]


@pytest.mark.parametrize(("category", "on", "raw"), _MISSING_CASES)
def test_a_figure_missing_from_the_edition_in_force_is_asked_for_never_counted_as_zero(
    rules: RuleSet, category: str, on: date, raw: dict[str, Any],
) -> None:
    picture = financial_picture(read_finances(raw), rules, on)
    field = f"finances.expenses.{category}"
    assert any(field in item for item in picture.expenses.missing)
    # Not counted: there is no line for it, so the total is only what is known.
    assert category not in {line.category.value for line in picture.expenses.lines}
    assert picture.expenses.total.amount == sum(line.allowed.amount for line in picture.expenses.lines)
    # The offer screening names the figure to give and does not say "likely".
    offer = screen_offer(engine_figure(Decimal("40000.00"), on), picture, rules, on)
    assert offer.likelihood is Likelihood.POSSIBLE
    assert any(field in reason.text and reason.text.startswith("figure needed") for reason in offer.reasons)
    # The hardship screening does not say "no" on figures that leave the expense out.
    hardship = screen_not_collectible(engine_figure(Decimal("40000.00"), on), picture)
    assert hardship.verdict.value != "no"
    if picture.disposable_income.amount > 0:
        assert any(field in reason.text for reason in hardship.reasons)


def test_a_household_without_a_vehicle_gets_the_public_transportation_standard_in_full(rules: RuleSet) -> None:
    # IRS Local Standards - Transportation: "Taxpayers with no vehicle are allowed the standard
    # amount monthly, per household, without questioning the amount actually spent."  2026
    # edition: $220 (Trustee Program republication), even when less is spent or nothing is given.
    raw = {"household": {"size": 1}, "state": "FL", "county": "Duval", "monthly_income": "3000.00",
           "vehicles": 0, "expenses": {"public_transportation": "60.00"}}
    picture = financial_picture(read_finances(raw), rules, date(2026, 11, 27))
    line = picture.expenses.line(ExpenseCategory.PUBLIC_TRANSPORTATION)
    assert line.allowed.amount == Decimal("220.00")
    assert line.method is AllowanceMethod.STANDARD_IN_FULL


# --- Item 19: primary sources where they exist -----------------------------------------------


def test_reinstatement_fee_by_date(rules: RuleSet) -> None:
    # 26 CFR 300.2(b) (T.D. 9798): $89 from 2017; $10 online from 2019-01-01 (Form 9465 instructions).
    before = rules.parameters.entry("fees.installment_agreement.reinstate_online", date(2018, 6, 1))
    after = rules.parameters.entry("fees.installment_agreement.reinstate_online", date(2020, 1, 1))
    assert (Decimal(before.value), before.source.verification) == (Decimal("89.00"), Verification.PRIMARY)
    assert Decimal(after.value) == Decimal("10.00")
    assert "9465" in after.source.citation
    description = rules.parameters.get("fees.installment_agreement.low_income_other").description
    assert "2018-04-10" in description  # IRC 6159(f)(2)(B) reimbursement only from then


def test_lien_equivalent_hearing_in_the_deadlines_too(rules: RuleSet) -> None:
    # The same rule in the Deadlines section: printed CDP date 2025-08-14 less 30 days is
    # 2025-07-15; twelve months later, 2026-07-15 (Treas. Reg. 301.6320-1(i)(2)).
    entry = rules.notices.get("LTR3172")
    deadlines, _ = notice_deadlines(entry, notice_date=date(2025, 7, 10), pay_by=None,
                                    respond_by=date(2025, 8, 14), amount_due=None, today=date(2025, 7, 20),
                                    rules=rules)
    equivalent = next(d for d in deadlines if d.what.startswith("Equivalent hearing"))
    assert equivalent.due == date(2026, 7, 15)
