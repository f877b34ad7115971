"""Properties of the account engine on random scenarios (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancedue.engine import compute, parse_scenario
from balancedue.engine.interest import FACTOR_CONTEXT, interest_factor, interest_on
from balancedue.engine.money import quantize_cents
from balancedue.rules import load_rules

RULES = load_rules()
LAST_DAY = RULES.rates.last_day
CENT = Decimal("0.01")

money = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("250000.00"), places=2)


@st.composite
def scenarios(draw: st.DrawFn, notices: bool = True) -> dict[str, Any]:
    year = draw(st.integers(2012, 2024))
    due = date(year + 1, 4, 15)
    tax = draw(money)
    events: list[dict[str, Any]] = []
    if draw(st.booleans()):
        events.append({"date": date(year, 12, 31).isoformat(), "type": "withholding",
                       "amount": str(draw(st.decimals(min_value=0, max_value=tax, places=2)))})
    filed = due + timedelta(days=draw(st.integers(-30, 500)))
    events.append({"date": filed.isoformat(), "type": "return_filed", "tax": str(tax)})
    cursor = filed
    for _ in range(draw(st.integers(0, 4))):
        cursor += timedelta(days=draw(st.integers(1, 200)))
        # An additional assessment comes with its own notice and demand, so it counts as a notice here.
        kind = draw(st.sampled_from(
            ["payment", "payment", "credit", "installment_agreement", "levy_notice"]
            + (["notice_and_demand", "additional_tax"] if notices else [])
        ))
        event: dict[str, Any] = {"date": cursor.isoformat(), "type": kind}
        if kind in ("payment", "credit"):
            event["amount"] = str(draw(st.decimals(min_value=1, max_value=tax + 1, places=2)))
        if kind == "additional_tax":
            event["amount"] = str(draw(st.decimals(min_value=1, max_value=50000, places=2)))
        events.append(event)
    as_of = min(LAST_DAY, cursor + timedelta(days=draw(st.integers(0, 700))))
    extension = draw(st.booleans())
    raw: dict[str, Any] = {"form": "1040", "tax_year": year, "events": events, "as_of": as_of.isoformat()}
    if extension:
        raw["extended_due_date"] = date(year + 1, 10, 15).isoformat()
    return raw


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_closed_form_equals_day_by_day_reference(raw: dict[str, Any]) -> None:
    scenario = parse_scenario(raw)
    closed = compute(scenario, rules=RULES)
    daily = compute(scenario, rules=RULES, daily_reference=True)
    assert (closed.interest, closed.balance) == (daily.interest, daily.balance)


@SETTINGS
@given(scenarios())
def test_penalties_never_exceed_their_caps(raw: dict[str, Any]) -> None:
    st_ = compute(parse_scenario(raw), rules=RULES)
    assert st_.failure_to_pay <= quantize_cents(st_.tax * Decimal("0.25")) + CENT * 60
    minimum = RULES.parameters.decimal("penalty.ftf.minimum_amount", st_.return_due_date)
    assert st_.failure_to_file <= max(quantize_cents(st_.tax * Decimal("0.25")), minimum)
    assert st_.failure_to_file >= 0
    assert st_.failure_to_pay >= 0


@SETTINGS
@given(scenarios(), st.integers(1, 400))
def test_balance_never_falls_without_a_payment(raw: dict[str, Any], extra: int) -> None:
    scenario = parse_scenario(raw)
    first = compute(scenario, rules=RULES)
    later_day = min(LAST_DAY, first.as_of + timedelta(days=extra))
    later = compute(scenario, later_day, rules=RULES)
    # Events after the first as-of date that lower the balance are payments and credits only.
    lowering = [e for e in scenario.events if e.date > first.as_of and e.type.value in ("payment", "credit")]
    if not lowering:
        assert later.balance >= first.balance
        assert later.interest >= first.interest
        assert later.failure_to_pay >= first.failure_to_pay


@SETTINGS
@given(scenarios(notices=False), st.integers(25, 300))
def test_paying_everything_leaves_nothing_the_next_day(raw: dict[str, Any], offset: int) -> None:
    # Without notices: a balance paid within a notice's grace period draws no interest after the
    # notice date (IRC 6601(e)(3)), so paying the day's figure then rightly leaves a small credit.
    scenario = parse_scenario(raw)
    pay_day = min(LAST_DAY - timedelta(days=1), max(scenario.events[-1].date, date(scenario.tax_year + 1, 4, 15))
                  + timedelta(days=offset))
    if pay_day <= scenario.events[-1].date:
        return  # no room left in the rate table after the last event
    owed = compute(scenario, pay_day, rules=RULES)
    if owed.balance <= 0:
        return
    paid = dict(raw)
    paid["events"] = [*raw["events"], {"date": pay_day.isoformat(), "type": "payment", "amount": str(owed.balance)}]
    after = compute(parse_scenario(paid), pay_day + timedelta(days=1), rules=RULES)
    assert after.balance == 0


@SETTINGS
@given(scenarios(), st.integers(1, 600))
def test_splitting_a_period_at_an_arbitrary_date_changes_no_figure(raw: dict[str, Any], offset: int) -> None:
    scenario = parse_scenario(raw)
    split_day = date(scenario.tax_year + 1, 4, 16) + timedelta(days=offset)
    base = compute(scenario, rules=RULES)
    if split_day >= base.as_of:
        return
    events = sorted([*raw["events"], {"date": split_day.isoformat(), "type": "payment", "amount": "0.00"}],
                    key=lambda e: e["date"])
    split = compute(parse_scenario({**raw, "events": events}), rules=RULES)
    assert (split.tax, split.failure_to_file, split.failure_to_pay) == (base.tax, base.failure_to_file, base.failure_to_pay)
    # A date where nothing changes is not a computation date: no rounding, no figure moves.
    assert (split.interest, split.balance) == (base.interest, base.balance)


dates = st.dates(min_value=date(1990, 1, 1), max_value=LAST_DAY)


@SETTINGS
@given(dates, dates, dates, money)
def test_interest_chains_across_periods(a: date, b: date, c: date, balance: Decimal) -> None:
    a, b, c = sorted((a, b, c))
    rates = RULES.rates
    with localcontext(FACTOR_CONTEXT):
        whole = interest_factor(rates, a, c)
        chained = (1 + interest_factor(rates, a, b)) * (1 + interest_factor(rates, b, c)) - 1
        assert abs(whole - chained) < Decimal("1e-30")
    # With the IRS's rounding at the split date, the two ways differ by the rounding at the split
    # (half a cent, compounded to the end) and the rounding of the two totals (a cent).
    first = interest_on(balance, rates, a, b)
    second = interest_on(balance + first, rates, b, c)
    assert abs((first + second) - interest_on(balance, rates, a, c)) <= CENT + _half_cent_compounded(b, c)


def _half_cent_compounded(start: date, end: date) -> Decimal:
    return Decimal("0.005") * (1 + interest_factor(RULES.rates, start, end))
