"""Properties of engine-simulated payment plans (hypothesis, kept small: each run calls the engine)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balancedue.advice.simulation import PlanSimulator
from balancedue.engine import parse_scenario
from balancedue.rules import load_rules

RULES = load_rules()
TODAY = date(2026, 11, 27)


def scenario(tax: Decimal, filed_late_days: int) -> object:
    filed = date(2026, 4, 15) + timedelta(days=filed_late_days)
    return parse_scenario({
        "form": "1040", "tax_year": 2025,
        "events": [
            {"date": filed.isoformat(), "type": "return_filed", "tax": str(tax)},
            {"date": (filed + timedelta(days=40)).isoformat(), "type": "notice_and_demand"},
        ],
    })


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tax=st.decimals(min_value=Decimal("500.00"), max_value=Decimal("60000.00"), places=2),
    late=st.integers(-10, 150),
    term=st.sampled_from([12, 36, 72]),
)
def test_minimum_payment_pays_within_the_term(tax: Decimal, late: int, term: int) -> None:
    sim = PlanSimulator(scenario(tax, late), TODAY, RULES, term)  # type: ignore[arg-type]
    payment = sim.minimum_payment(term)
    run = sim.simulate(payment, term)
    assert run.months is not None
    assert run.months <= term
    assert run.final_balance == 0
    assert payment * run.months >= run.total_paid >= run.start_balance
    assert sim.balance_after(payment - 1, term, True) > 0  # a dollar less does not pay in time
    assert run.payments[-1][1] <= payment


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tax=st.decimals(min_value=Decimal("500.00"), max_value=Decimal("60000.00"), places=2),
    share=st.integers(2, 60),
)
def test_any_sufficient_payment_reaches_zero(tax: Decimal, share: int) -> None:
    sim = PlanSimulator(scenario(tax, 0), TODAY, RULES, 120)  # type: ignore[arg-type]
    payment = (sim.start_balance / share).quantize(Decimal(1)) + 50
    run = sim.simulate(payment, 120)
    assert run.months is not None
    assert run.final_balance == 0
    assert run.total_paid >= run.start_balance
    balances = [b for _, b in run.series]
    assert balances == sorted(balances, reverse=True)
    assert balances[-1] == 0
