"""Every stated or derived figure in the worked examples file, reproduced to the cent.

The file (tests/fixtures/pi_examples.json) lists each example with its source: IRM 20.2.14
figures and exhibits, IRC 6651 arithmetic, Form 2210 instructions and rate releases.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from balancedue.engine import compute, parse_scenario
from balancedue.engine.dates import days_between
from balancedue.engine.interest import SuppliedRates, interest_factor, interest_on
from balancedue.engine.money import quantize_cents
from balancedue.rules import load_rules

RULES = load_rules()

EXAMPLES_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "pi_examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(EXAMPLES_FILE.read_text())["examples"]


def _examples(kind: str) -> list[Any]:
    return [pytest.param(e, id=e["id"]) for e in EXAMPLES if e["kind"] == kind]


def test_every_worked_example_is_there() -> None:
    """The fixture (tests/fixtures/pi_examples.json) holds the seven published worked examples."""
    assert len(EXAMPLES) >= 7


@pytest.mark.parametrize("example", _examples("account"))
def test_account_examples(example: dict[str, Any]) -> None:
    statement = compute(parse_scenario(example["input"]), rules=RULES)
    for key, expected in example["expected"].items():
        assert getattr(statement, key) == Decimal(expected), key


@pytest.mark.parametrize("example", _examples("interest_segments"))
def test_irm_daily_compounding_segments(example: dict[str, Any]) -> None:
    """IRM 20.2.14 Figure 20.2.14-8: three segments, interest added to the balance each time."""
    rates = load_rules().rates
    balance = Decimal(example["input"]["principal_from_2013-03-15"])
    start = date(2013, 3, 15)
    for segment in example["expected"]["segments"]:
        if "event" in segment:
            debit = example["input"]["debit_on_2013-07-17"]
            balance += Decimal(str(debit["refund_of_overpayment"])) + Decimal(str(debit["refund_interest"]))
            assert balance == Decimal(str(segment["balance"]))
            continue
        end = date.fromisoformat(segment["to"])
        assert date.fromisoformat(segment["from"]) == start + timedelta(days=1)
        assert quantize_cents(balance) == Decimal(str(segment["principal"]))
        factor = interest_factor(rates, start, end)
        printed = Decimal(str(segment["factor"]))  # as many digits as the figure prints
        assert factor.quantize(printed) == printed
        interest = interest_on(balance, rates, start, end)
        assert interest == Decimal(str(segment["interest"]))
        balance += interest
        assert balance == Decimal(str(segment["balance"]))
        start = end


@pytest.mark.parametrize("example", _examples("interest_factor_with_supplied_rates"))
def test_irm_multi_rate_leap_year_factor(example: dict[str, Any]) -> None:
    """IRM 20.2.14 Exhibit 20.2.14-7: seven rate changes and the 2008 leap year in one factor."""
    data = example["input"]
    quarters = []
    for label, percent in data["rate_schedule_corporate_overpayment_percent"].items():
        year, quarter = int(label[:4]), int(label[-1])
        first = date(year, 3 * quarter - 2, 1)
        last = (date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - timedelta(days=1)
        quarters.append((first, last, Decimal(percent) / 100))
    regular = SuppliedRates(quarters)
    gatt = SuppliedRates([(f, t, r - Decimal("0.015")) for f, t, r in quarters])  # FST + 0.5
    start = date.fromisoformat(data["interest_start_exclusive"])
    end = date.fromisoformat(data["interest_end_inclusive"])
    expected = example["expected"]
    assert round(interest_factor(regular, start, end), 9) == Decimal(str(expected["factor_regular"]))
    assert round(interest_factor(gatt, start, end), 9) == Decimal(str(expected["factor_gatt"]))
    regular_interest = interest_on(Decimal(data["principal_regular"]), regular, start, end)
    gatt_interest = interest_on(Decimal(data["principal_gatt"]), gatt, start, end)
    assert regular_interest == Decimal(str(expected["interest_regular"]))
    assert gatt_interest == Decimal(str(expected["interest_gatt"]))
    # The exhibit rounds the total of the unrounded parts (2,347.5847 + 15,511.0523), not the
    # sum of the rounded parts (which is one cent lower).
    total = quantize_cents(
        Decimal(data["principal_regular"]) * interest_factor(regular, start, end)
        + Decimal(data["principal_gatt"]) * interest_factor(gatt, start, end)
    )
    assert total == Decimal(str(expected["total_interest"]))


@pytest.mark.parametrize("example", _examples("estimated_tax_days"))
def test_form_2210_day_counts(example: dict[str, Any]) -> None:
    """Form 2210 instructions (2008): days from the due date to each payment."""
    due = date.fromisoformat(example["input"]["due_date"])
    first, second = (date.fromisoformat(p["date"]) for p in example["input"]["payments"])
    expected = example["expected"]
    assert days_between(due, first) == expected["days_first_part"]
    assert days_between(due, second) == expected["days_second_part"]
    assert days_between(due, date(2008, 6, 30)) == expected["table2_days_4/15_to_6/30/08"]
    remaining = example["input"]["underpayment_col_a"] - example["input"]["payments"][0]["amount"]
    assert remaining == expected["remaining_underpayment_after_4/30"]


@pytest.mark.parametrize("example", _examples("rate"))
def test_rate_spot_checks(example: dict[str, Any]) -> None:
    rates = load_rules().rates
    for day, percent in example["expected"]["underpayment_rate_percent"].items():
        assert rates.period_on(date.fromisoformat(day)).rate_percent == Decimal(percent), day


@pytest.mark.parametrize("example", _examples("parameter"))
def test_minimum_failure_to_file_by_year(example: dict[str, Any]) -> None:
    parameters = load_rules().parameters
    for year, dollars in example["expected"]["minimum_dollars"].items():
        value = parameters.decimal("penalty.ftf.minimum_amount", date(int(year), 4, 15))
        assert value == Decimal(dollars), year
