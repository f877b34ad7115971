"""If you do nothing, and when to call a professional."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from advice_cases import (
    MIAMI_HOUSEHOLD,
    TODAY,
    balance_due_scenario,
    statement_of,
    uncited_amounts,
)

from balancedue.advice.figures import engine_figure
from balancedue.advice.finances import read_finances
from balancedue.advice.projection import project_do_nothing
from balancedue.advice.simulation import rules_for_projection
from balancedue.advice.triage import HelpFrom, TriageFacts, professional_help
from balancedue.rules import RuleSet, Verification

# --- Projection ---------------------------------------------------------------------------------


def test_balance_grows_when_nothing_is_paid(rules: RuleSet) -> None:
    projection = project_do_nothing(balance_due_scenario("45000.00"), TODAY, rules)
    assert [p.days for p in projection.points] == [30, 90, 180, 365]
    amounts = [projection.balance_now.amount, *(p.balance.amount for p in projection.points)]
    assert amounts == sorted(amounts)
    assert amounts[0] < amounts[-1]
    assert projection.points[0].on == TODAY + timedelta(days=30)
    assert uncited_amounts(projection) == []


def test_notices_that_follow_a_cp14(rules: RuleSet) -> None:
    # Notice stream CP14 -> CP501 -> CP503 -> CP504 -> LT11, about 35 days apart (TIGTA 2011-30-112).
    projection = project_do_nothing(balance_due_scenario("45000.00"), TODAY, rules,
                                    notice_code="CP14", notice_date=date(2026, 11, 20))
    codes = [n.code for n in projection.notices]
    assert codes[:4] == ["CP501", "CP503", "CP504", "LT11"]
    assert projection.notices[0].expected_on == date(2026, 11, 20) + timedelta(days=35)
    assert projection.levy_notice_assumed_on == projection.notices[2].expected_on


def test_the_levy_notice_raises_the_projection(rules: RuleSet) -> None:
    scenario = balance_due_scenario("45000.00")
    horizons = (10, 30)
    plain = project_do_nothing(scenario, TODAY, rules, horizons=horizons)
    with_stream = project_do_nothing(scenario, TODAY, rules, notice_code="CP504", notice_date=TODAY, horizons=horizons)
    assert with_stream.levy_notice_assumed_on == TODAY
    # IRC 6651(d): 1% for months beginning more than 10 days after the notice.  The account's
    # failure-to-pay months begin on the 16th (due April 15), so 2026-12-07 is still at 0.5%;
    # the month beginning 2026-12-16 costs 0.5% more of the $45,000 unpaid tax: $225.00.
    assert with_stream.points[0].balance.amount == plain.points[0].balance.amount
    assert with_stream.points[1].balance.amount - plain.points[1].balance.amount == Decimal("225.00")


def test_lien_passport_and_statute(rules: RuleSet) -> None:
    projection = project_do_nothing(balance_due_scenario("120000.00"), TODAY, rules,
                                    notice_code="LT11", notice_date=TODAY, assessed_on=date(2026, 5, 18))
    assert "generally files a public notice" in projection.lien_risk  # at or above $10,000 (practice)
    assert projection.levy_risk.startswith("high")
    assert projection.passport.above is True  # above $66,000 (2026 figure, secondary sources)
    assert projection.passport.threshold is not None
    assert projection.passport.threshold.amount == Decimal("66000.00")
    assert projection.statute_end is not None
    assert projection.statute_end.estimated
    assert projection.statute_end.on == date(2036, 5, 18)  # 10 years after assessment (IRC 6502)


def test_given_csed_is_used_as_is(rules: RuleSet) -> None:
    projection = project_do_nothing(balance_due_scenario("8000.00"), TODAY, rules, csed=date(2030, 1, 2))
    assert projection.statute_end is not None
    assert not projection.statute_end.estimated
    assert projection.passport.above is False


def test_rates_past_the_table_are_an_unverified_assumption(rules: RuleSet) -> None:
    last = rules.rates.periods[-1]
    extended = rules_for_projection(rules, rules.rates.last_day + timedelta(days=400))
    assert extended.assumption is not None
    added = [p for p in extended.rules.rates.periods if p.start > rules.rates.last_day]
    assert len(added) >= 4
    assert all(p.rate_percent == last.rate_percent for p in added)
    assert all(p.verification is Verification.UNVERIFIED for p in added)
    assert rules_for_projection(rules, rules.rates.last_day).assumption is None


# --- Triage --------------------------------------------------------------------------------------


def facts_for(tax: str, rules: RuleSet, **kwargs: object) -> TriageFacts:
    statement = statement_of(balance_due_scenario(tax), rules)
    return TriageFacts(balance=engine_figure(statement.balance, TODAY), **kwargs)  # type: ignore[arg-type]


def fired(facts: TriageFacts, rules: RuleSet, **kwargs: object) -> set[str]:
    return {f.rule for f in professional_help(facts, rules, TODAY, **kwargs)}  # type: ignore[arg-type]


def test_120000_balance_is_not_large_but_above_the_passport_threshold(rules: RuleSet) -> None:
    # IRM 5.14.1.4: up to $250,000 an agreement needs no financial statement, so $120,000 alone
    # is no reason for a professional; the passport threshold (IRC 7345) still fires.
    findings = professional_help(facts_for("120000.00", rules), rules, TODAY)
    assert "triage.large_balance" not in {f.rule for f in findings}
    assert "triage.passport" in {f.rule for f in findings}
    assert uncited_amounts(findings) == []


def test_300000_balance_advises_a_professional(rules: RuleSet) -> None:
    findings = professional_help(facts_for("300000.00", rules), rules, TODAY)
    large = next(f for f in findings if f.rule == "triage.large_balance")
    assert large.help_from is HelpFrom.PROFESSIONAL
    assert [f.amount for f in large.figures][1] == Decimal("250000.00")  # IRM 5.14.1.4 limit


def test_8000_single_year_needs_no_professional(rules: RuleSet) -> None:
    assert fired(facts_for("8000.00", rules), rules) == set()


def test_each_fact_fires_its_rule(rules: RuleSet) -> None:
    found = fired(facts_for("8000.00", rules, tax_years=3, identity_theft_signs=True, levy_or_lien_started=True,
                            offer_in_compromise_considered=True, business_trust_fund_taxes=True,
                            unfiled_returns=True, bankruptcy=True, notice_code="LT11"), rules)
    assert found >= {
        "triage.several_years", "triage.identity_theft", "triage.enforcement_started", "triage.final_notice",
        "triage.offer_in_compromise", "triage.trust_fund_taxes", "triage.unfiled_returns", "triage.bankruptcy",
    }


def test_taxpayer_advocate_criteria(rules: RuleSet) -> None:
    assert not any(f.help_from is HelpFrom.TAXPAYER_ADVOCATE
                   for f in professional_help(facts_for("8000.00", rules, days_waiting_on_irs=30), rules, TODAY))
    findings = professional_help(facts_for("8000.00", rules, days_waiting_on_irs=31, economic_harm=True), rules, TODAY)
    tas = next(f for f in findings if f.help_from is HelpFrom.TAXPAYER_ADVOCATE)
    assert "tas.account_delay" in tas.rule
    assert "tas.economic_harm" in tas.rule
    assert "Form 911" in tas.how_to_ask


def test_low_income_clinic(rules: RuleSet) -> None:
    low = read_finances({"household": {"size": 3}, "state": "TX", "monthly_income": "3000.00", "annual_agi": "36000.00"})
    findings = professional_help(facts_for("8000.00", rules), rules, TODAY, finances=low)
    clinic = next(f for f in findings if f.help_from is HelpFrom.LOW_INCOME_CLINIC)
    assert "within 50000.00" in clinic.detail  # IRC 7463(a) small-case limit
    assert uncited_amounts(clinic) == []
    above = professional_help(facts_for("120000.00", rules), rules, TODAY, finances=low)
    clinic_above = next(f for f in above if f.help_from is HelpFrom.LOW_INCOME_CLINIC)
    assert "above" in clinic_above.detail
    comfortable = read_finances(MIAMI_HOUSEHOLD)
    assert not any(f.help_from is HelpFrom.LOW_INCOME_CLINIC
                   for f in professional_help(facts_for("8000.00", rules), rules, TODAY, finances=comfortable))
