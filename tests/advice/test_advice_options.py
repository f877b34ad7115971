"""Payment options for the issue's cases: $8,000, $45,000 and $120,000 balances, an offer in
compromise with finances, first-time abatement from a supplied verdict, hardship status and the
low-income fee rules.

Expected fees and limits come from the rules data and are restated here with their sources;
plan figures are checked against an independent run of the engine built in the test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from advice_cases import (
    MIAMI_HOUSEHOLD,
    TODAY,
    balance_due_scenario,
    statement_of,
    uncited_amounts,
)

from balancedue.advice.figures import EligibilityVerdict
from balancedue.advice.finances import read_finances
from balancedue.advice.offer import Likelihood
from balancedue.advice.option_types import OptionFacts, OptionId, OptionsReport, comparison_rows
from balancedue.advice.options import agreement_fees, compare_options
from balancedue.advice.simulation import rules_for_projection
from balancedue.engine import compute, parse_scenario
from balancedue.engine.dates import add_months
from balancedue.engine.statement import LineKind
from balancedue.rules import RuleSet

FACTS = OptionFacts(all_returns_filed=True, compliant_prior_years=True, notice_code="CP14")


def report_for(tax: str, rules: RuleSet, **kwargs: object) -> OptionsReport:
    scenario = balance_due_scenario(tax)
    facts = kwargs.pop("facts", FACTS)
    return compare_options(scenario, statement_of(scenario, rules), TODAY, rules, facts=facts, **kwargs)  # type: ignore[arg-type]


def plan_balance(tax: str, monthly: Decimal, count: int, rules: RuleSet) -> tuple[Decimal, list[Decimal]]:
    """The engine's balance after ``count`` payments, built here independently of the simulator."""
    events: list[dict[str, object]] = [
        {"date": "2026-04-10", "type": "return_filed", "tax": tax},
        {"date": "2026-05-25", "type": "notice_and_demand"},
        {"date": TODAY.isoformat(), "type": "installment_agreement"},
    ]
    dates = [add_months(TODAY, k) for k in range(1, count + 1)]
    events += [{"date": d.isoformat(), "type": "payment", "amount": str(monthly)} for d in dates]
    extended = rules_for_projection(rules, dates[-1]).rules  # the last published rate carried forward
    statement = compute(parse_scenario({"form": "1040", "tax_year": 2025, "events": events}), dates[-1], rules=extended)
    rates = [line.rate for line in statement.lines if line.kind is LineKind.FAILURE_TO_PAY and line.start and line.start > TODAY]
    return statement.balance, [r for r in rates if r is not None]


# --- $8,000: guaranteed agreement ---------------------------------------------------------------


def test_8000_guaranteed_agreement_is_open(rules: RuleSet) -> None:
    report = report_for("8000.00", rules)
    option = report.option(OptionId.GUARANTEED_AGREEMENT)
    assert option.eligibility.verdict is EligibilityVerdict.YES
    assert "plans.guaranteed.max_tax" in {r.rule for r in option.eligibility.reasons}
    # IRC 6159(c)(4): paid within 36 months.
    assert option.months is not None
    assert option.months <= 36
    # Online direct-debit user fee from 2024-07-01: $22 (IRM 5.14.1.2(10); practitioner pages).
    assert option.setup_fee is not None
    assert option.setup_fee.amount == Decimal("22.00")


def test_8000_guaranteed_payment_is_the_smallest_whole_dollar_that_pays_in_36_months(rules: RuleSet) -> None:
    option = report_for("8000.00", rules).option(OptionId.GUARANTEED_AGREEMENT)
    assert option.monthly_payment is not None
    payment = option.monthly_payment.amount
    assert payment == payment.to_integral_value()
    paid, rates = plan_balance("8000.00", payment, 36, rules)
    short, _ = plan_balance("8000.00", payment - 1, 36, rules)
    assert paid <= 0 < short
    # IRC 6651(h): 0.25% a month once the agreement is in effect (a timely filed return).
    assert rates
    assert set(rates) == {Decimal("0.0025")}


def test_8000_plan_totals_are_consistent(rules: RuleSet) -> None:
    report = report_for("8000.00", rules)
    option = report.option(OptionId.GUARANTEED_AGREEMENT)
    assert option.total_interest_and_penalty is not None
    assert option.total_cost is not None
    assert option.setup_fee is not None
    assert option.monthly_payment is not None
    assert option.months is not None
    paid = option.total_cost.amount - option.setup_fee.amount
    assert paid == report.balance.amount + option.total_interest_and_penalty.amount
    assert option.monthly_payment.amount * option.months >= paid
    assert option.series is not None
    assert option.series.points[-1][1] == 0
    assert option.series.points[0] == (TODAY, report.balance.amount)


def test_pay_in_full_costs_todays_balance_and_lists_official_channels(rules: RuleSet) -> None:
    report = report_for("8000.00", rules)
    option = report.option(OptionId.PAY_IN_FULL)
    assert option.total_cost is not None
    assert option.total_cost.amount == statement_of(balance_due_scenario("8000.00"), rules).balance
    assert {c.id for c in option.channels} == {c.id for c in rules.contacts.payment_channels}


def test_short_term_plan_costs_more_than_paying_now_and_less_than_nothing(rules: RuleSet) -> None:
    report = report_for("8000.00", rules)
    option = report.option(OptionId.SHORT_TERM_PLAN)
    assert option.eligibility.verdict is EligibilityVerdict.YES  # below the $100,000 online limit (secondary source)
    assert option.setup_fee is not None
    assert option.setup_fee.amount == 0
    assert option.total_interest_and_penalty is not None
    assert option.total_interest_and_penalty.amount > 0


# --- $45,000: streamlined, direct debit -------------------------------------------------------


def test_45000_streamlined_requires_direct_debit(rules: RuleSet) -> None:
    report = report_for("45000.00", rules)
    streamlined = report.option(OptionId.STREAMLINED_AGREEMENT)
    assert streamlined.eligibility.verdict is EligibilityVerdict.YES
    assert "plans.streamlined.direct_debit_above" in {r.rule for r in streamlined.eligibility.reasons}
    assert all(not c.available for c in streamlined.fee_choices if not c.direct_debit)
    assert any(c.available for c in streamlined.fee_choices if c.direct_debit)
    assert streamlined.months is not None
    assert streamlined.months <= 72
    assert report.option(OptionId.GUARANTEED_AGREEMENT).eligibility.verdict is EligibilityVerdict.NO  # tax > $10,000
    assert report.option(OptionId.NON_STREAMLINED_AGREEMENT).eligibility.verdict is EligibilityVerdict.NO


def test_45000_streamlined_plan_pays_off_with_the_engine(rules: RuleSet) -> None:
    option = report_for("45000.00", rules).option(OptionId.STREAMLINED_AGREEMENT)
    assert option.monthly_payment is not None
    assert option.months is not None
    paid, _ = plan_balance("45000.00", option.monthly_payment.amount, 72, rules)
    assert paid <= 0


# --- $120,000: non-streamlined --------------------------------------------------------------


def test_120000_needs_a_non_streamlined_agreement(rules: RuleSet) -> None:
    report = report_for("120000.00", rules)
    assert report.option(OptionId.STREAMLINED_AGREEMENT).eligibility.verdict is EligibilityVerdict.NO
    assert report.option(OptionId.GUARANTEED_AGREEMENT).eligibility.verdict is EligibilityVerdict.NO
    option = report.option(OptionId.NON_STREAMLINED_AGREEMENT)
    # IRM 5.14.1.4: between $50,000 and $250,000 no financial statement is needed; with every
    # return filed (as these facts say) the agreement is open.
    assert option.eligibility.verdict is EligibilityVerdict.YES
    assert any("without a financial statement" in r.text for r in option.eligibility.reasons)
    # Above $50,000 the agreement is not set up online: the phone/mail direct-debit fee, $107
    # (26 CFR 300.1, T.D. 9798), is the cheapest.
    assert all(not c.available for c in option.fee_choices if c.channel == "online")
    assert option.setup_fee is not None
    assert option.setup_fee.amount == Decimal("107.00")
    assert option.months is not None
    assert option.total_cost is not None


# --- Offer in compromise with finances ---------------------------------------------------------


def test_offer_in_compromise_from_finances(rules: RuleSet) -> None:
    report = report_for("120000.00", rules, finances=read_finances(MIAMI_HOUSEHOLD))
    option = report.option(OptionId.OFFER_IN_COMPROMISE)
    offer = option.offer
    assert offer is not None
    assert offer.rcp_lump is not None
    assert offer.rcp_periodic is not None
    # By hand, 2026 standards (U.S. Trustee republication): national standard for 2 = 1,558;
    # health 2 x 90 = 180; housing 2,400 actual (Miami-Dade standard 809 + 2,097 = 2,906);
    # ownership 380 actual (standard 703); operating 250 actual (Miami MSA 423); health
    # insurance 420; taxes 900.  Allowed 6,088; disposable income 6,200 - 6,088 = 112.
    # Equity: car 12,000 x 80% - 9,000 = 600, plus bank 2,500 = 3,100.
    assert report.finances is not None
    assert report.finances.expenses.total.amount == Decimal("6088.00")
    assert report.finances.disposable_income.amount == Decimal("112.00")
    assert report.finances.equity.total.amount == Decimal("3100.00")
    assert offer.rcp_lump.amount == Decimal("4444.00")  # 3,100 + 112 x 12 (Form 656-B)
    assert offer.rcp_periodic.amount == Decimal("5788.00")  # 3,100 + 112 x 24
    assert offer.lump_sum_initial_payment is not None
    assert offer.lump_sum_initial_payment.amount == Decimal("888.80")  # 20% (IRC 7122(c)(1)(A))
    assert offer.application_fee.amount == Decimal("205.00")  # 26 CFR 300.3(b)(1)
    assert offer.likelihood is Likelihood.LIKELY
    assert option.eligibility.verdict is EligibilityVerdict.YES


def test_offer_is_unlikely_when_equity_pays_the_balance(rules: RuleSet) -> None:
    rich = dict(MIAMI_HOUSEHOLD, bank_balances="20000.00")
    report = report_for("8000.00", rules, finances=read_finances(rich))
    offer = report.option(OptionId.OFFER_IN_COMPROMISE).offer
    assert offer is not None
    assert offer.likelihood is Likelihood.UNLIKELY


def test_offer_without_finances_asks_for_them(rules: RuleSet) -> None:
    option = report_for("45000.00", rules).option(OptionId.OFFER_IN_COMPROMISE)
    assert option.eligibility.verdict is EligibilityVerdict.MAYBE
    assert "input.finances" in {r.rule for r in option.eligibility.reasons}


# --- First-time abatement ------------------------------------------------------------------------


@dataclass(frozen=True)
class TranscriptVerdict:
    """Stands in for the transcript reader's verdict (same two attributes)."""

    eligible: bool | None
    reasons: Sequence[str]


def late_filer() -> tuple[object, object]:
    scenario = parse_scenario({
        "form": "1040", "tax_year": 2025, "label": "Fictional late filer",
        "events": [
            {"date": "2026-07-20", "type": "return_filed", "tax": "6000.00"},
            {"date": "2026-08-24", "type": "notice_and_demand"},
        ],
    })
    return scenario, None


def test_first_time_abatement_from_a_supplied_verdict(rules: RuleSet) -> None:
    scenario, _ = late_filer()
    statement = statement_of(scenario, rules)  # type: ignore[arg-type]
    verdict = TranscriptVerdict(True, ["no penalties in tax years 2022-2024", "all returns filed"])
    report = compare_options(scenario, statement, TODAY, rules, facts=OptionFacts(fta=verdict))  # type: ignore[arg-type]
    option = report.option(OptionId.FIRST_TIME_ABATEMENT)
    assert option.eligibility.verdict is EligibilityVerdict.YES
    assert [r.text for r in option.eligibility.reasons] == list(verdict.reasons)
    assert option.relief is not None
    penalties = statement.failure_to_file + statement.failure_to_pay
    assert option.relief.penalties.amount == penalties > 0
    # Abating the penalties removes them and the interest they drew: at least the penalties,
    # at most penalties plus all interest.
    assert penalties <= option.relief.savings.amount <= penalties + statement.interest


def test_first_time_abatement_without_transcripts_lists_the_questions(rules: RuleSet) -> None:
    scenario, _ = late_filer()
    report = compare_options(scenario, statement_of(scenario, rules), TODAY, rules)  # type: ignore[arg-type]
    option = report.option(OptionId.FIRST_TIME_ABATEMENT)
    assert option.eligibility.verdict is EligibilityVerdict.MAYBE
    assert {q.id for q in option.questions} >= {"fta.clean_history", "fta.filed", "fta.paid_or_arranged"}
    assert any("3 tax years" in q.text for q in option.questions)  # IRM 20.1.1.3.3.2.1: three years


# --- Hardship and low income ------------------------------------------------------------------

LOW_INCOME_HOUSEHOLD = {
    "household": {"size": 3, "ages": [38, 10, 7]},
    "state": "TX",
    "county": "Travis",
    "monthly_income": "3000.00",
    "annual_agi": "36000.00",
    "expenses": {"housing_utilities": "1700.00", "health_insurance": "150.00"},
    "bank_balances": "0",
}


def test_currently_not_collectible_when_nothing_is_left(rules: RuleSet) -> None:
    report = report_for("8000.00", rules, finances=read_finances(LOW_INCOME_HOUSEHOLD))
    option = report.option(OptionId.CURRENTLY_NOT_COLLECTIBLE)
    # 1,857 (national, 3) + 270 (3 x 90) + 1,700 + 150 + 220 (public transportation: no
    # vehicle, so the standard in full) = 4,197 > 3,000 income.
    assert report.finances is not None
    assert report.finances.disposable_income.amount == Decimal("-1197.00")
    assert option.eligibility.verdict is EligibilityVerdict.YES
    assert option.series is not None
    assert [b for _, b in option.series.points] == sorted(b for _, b in option.series.points)


def test_low_income_fee_rules(rules: RuleSet) -> None:
    # 250% of the 2026 guideline for 3 (15,960 + 2 x 5,680 = 27,320) is 68,300 >= AGI 36,000.
    report = report_for("8000.00", rules, finances=read_finances(LOW_INCOME_HOUSEHOLD))
    assert report.finances is not None
    assert report.finances.low_income.is_low_income
    assert report.finances.low_income.threshold.amount == Decimal("68300.00")
    fees = {(c.channel, c.direct_debit): c.fee.amount for c in report.option(OptionId.GUARANTEED_AGREEMENT).fee_choices}
    assert fees[("online", True)] == 0  # IRC 6159(f)(2)(A): waived with direct debit
    assert fees[("online", False)] == Decimal("43.00")  # 26 CFR 300.1(b)(2), reimbursable
    offer = report.option(OptionId.OFFER_IN_COMPROMISE).offer
    assert offer is not None
    assert offer.application_fee.amount == 0



@pytest.mark.parametrize(("day", "direct_debit_fee", "refunded"), [
    # IRC 6159(f)(2) applies to agreements entered into on or after 2018-04-10 (P.L. 115-123
    # sec. 41105(b): 60 days after 2018-02-09). Before that, 26 CFR 300.1(b)(2): $43 whatever
    # the payment method, and nothing paid back.
    (date(2018, 4, 9), Decimal("43.00"), False),
    (date(2018, 4, 10), Decimal("0.00"), True),
])
def test_low_income_fee_is_waived_or_paid_back_only_for_agreements_from_2018_04_10(
        rules: RuleSet, day: date, direct_debit_fee: Decimal, refunded: bool) -> None:
    choices = {(c.channel, c.direct_debit): c.fee for c in agreement_fees(
        rules, day, online_allowed=True, direct_debit_required=False, low_income=True)}
    assert choices[("online", True)].amount == direct_debit_fee
    other = choices[("online", False)]
    assert other.amount == Decimal("43.00")
    assert ("reimbursed" in other.note) is refunded

# --- Disputes and citations -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "present", "absent"),
    [
        ("CP14", {"call_or_write", "audit_reconsideration"}, {"cdp_hearing", "collection_appeals"}),
        ("LT11", {"cdp_hearing", "equivalent_hearing", "collection_appeals"}, {"proposed_change_response"}),
        ("CP2000", {"proposed_change_response"}, {"call_or_write", "cdp_hearing"}),
        ("CP3219A", {"tax_court_deficiency"}, {"proposed_change_response"}),
        ("CP11", {"math_error_abatement", "call_or_write"}, {"cdp_hearing"}),
    ],
)
def test_dispute_routes_follow_the_notice_stage(rules: RuleSet, code: str, present: set[str], absent: set[str]) -> None:
    report = report_for("8000.00", rules, facts=OptionFacts(notice_code=code))
    ids = {route.id for route in report.option(OptionId.DISPUTE).routes}
    assert present <= ids
    assert not absent & ids


def test_cdp_route_states_the_30_day_deadline(rules: RuleSet) -> None:
    report = report_for("8000.00", rules, facts=OptionFacts(notice_code="LT11"))
    route = next(r for r in report.option(OptionId.DISPUTE).routes if r.id == "cdp_hearing")
    assert route.deadline_rule == "rights.cdp.request_days"
    assert "30 days" in route.deadline  # IRC 6330(a)(3)(B)


@pytest.mark.parametrize("tax", ["8000.00", "45000.00", "120000.00"])
def test_every_amount_carries_a_rule_and_a_source(rules: RuleSet, tax: str) -> None:
    report = report_for(tax, rules, finances=read_finances(MIAMI_HOUSEHOLD))
    assert uncited_amounts(report) == []
    assert all(option.next_step for option in report.options)
    assert [o.id for o in report.options] == list(OptionId)


def test_comparison_rows_follow_the_options(rules: RuleSet) -> None:
    report = report_for("45000.00", rules)
    rows = comparison_rows(report)
    assert [r.id for r in rows] == [o.id for o in report.options]
    streamlined = next(r for r in rows if r.id is OptionId.STREAMLINED_AGREEMENT)
    assert streamlined.monthly_payment == report.option(OptionId.STREAMLINED_AGREEMENT).monthly_payment
    assert uncited_amounts(rows) == []


def test_nothing_owed_closes_every_payment_option(rules: RuleSet) -> None:
    scenario = parse_scenario({"form": "1040", "tax_year": 2025, "events": [
        {"date": "2026-04-10", "type": "return_filed", "tax": "5000.00"},
        {"date": "2026-04-10", "type": "payment", "amount": "5000.00"},
    ]})
    report = compare_options(scenario, statement_of(scenario, rules), TODAY, rules)
    assert report.balance.amount == 0
    assert [o.id for o in report.options] == list(OptionId)
    assert all(o.eligibility.verdict is EligibilityVerdict.NO for o in report.options if o.id is not OptionId.DISPUTE)


def test_statement_on_another_day_does_not_change_todays_balance(rules: RuleSet) -> None:
    scenario = balance_due_scenario("8000.00")
    old = statement_of(scenario, rules, date(2026, 6, 1))
    report = compare_options(scenario, old, TODAY, rules, facts=FACTS)
    assert report.balance.amount == statement_of(scenario, rules).balance
