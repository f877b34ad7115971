"""Interest compounded daily (IRC 6621, 6622) on a constant balance, worked from the formula.

Each figure is balance x ((1 + rate / days in the year) ** days - 1), rounded half up to the cent,
figured apart from the engine (the float value is given in each comment)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balancedue.engine.interest import interest_on
from balancedue.rules import load_rules

RATES = load_rules().rates


@pytest.mark.parametrize(
    ("balance", "start", "end", "interest"),
    [
        # 2025 at 7% all year: 1000 x ((1 + 0.07/365) ** 365 - 1) = 72.50098... -> 72.50
        ("1000.00", date(2024, 12, 31), date(2025, 12, 31), "72.50"),
        # 90 days of 2025 at 7%: 1000 x ((1 + 0.07/365) ** 90 - 1) = 17.40841... -> 17.41
        ("1000.00", date(2024, 12, 31), date(2025, 3, 31), "17.41"),
        # 2024, a leap year, at 8% all year: 10000 x ((1 + 0.08/366) ** 366 - 1) = 832.77597... -> 832.78
        ("10000.00", date(2023, 12, 31), date(2024, 12, 31), "832.78"),
        # Nothing for no days.
        ("1000.00", date(2025, 3, 31), date(2025, 3, 31), "0.00"),
    ],
)
def test_interest_on_a_constant_balance(balance: str, start: date, end: date, interest: str) -> None:
    assert interest_on(Decimal(balance), RATES, start, end) == Decimal(interest)


def test_across_years_the_factors_multiply() -> None:
    # 2024-12-31 to 2025-01-01 is one day of 2025 at 7% on 10,000: 10000 x 0.07/365 = 1.9178 -> 1.92;
    # 2024-12-30 to 2024-12-31 is one day of 2024 at 8%: 10000 x 0.08/366 = 2.1858 -> 2.19.
    assert interest_on(Decimal("10000.00"), RATES, date(2024, 12, 31), date(2025, 1, 1)) == Decimal("1.92")
    assert interest_on(Decimal("10000.00"), RATES, date(2024, 12, 30), date(2024, 12, 31)) == Decimal("2.19")
    # Both days: 10000 x ((1 + 0.08/366)(1 + 0.07/365) - 1) = 4.1040... -> 4.10
    assert interest_on(Decimal("10000.00"), RATES, date(2024, 12, 30), date(2025, 1, 1)) == Decimal("4.10")


def test_runs_from_the_table_index_match_the_runs_built_from_the_rate_changes() -> None:
    # The index cuts the whole table's runs to a span; building the span's runs from its own rate
    # changes (split at each new year) is the plain way.  Spans of a day to fifteen years, from
    # every 17th day of the table, must give the same runs, rates and factors.
    from datetime import timedelta

    from balancedue.engine.interest import _runs, _with_factors, factored_runs

    start = RATES.first_day - timedelta(days=1)
    checked = 0
    while start < RATES.last_day:
        for length in (1, 2, 30, 91, 92, 365, 366, 400, 1000, 5500):
            end = start + timedelta(days=length)
            if end > RATES.last_day:
                continue
            indexed, plain = factored_runs(RATES, start, end), _with_factors(_runs(RATES, start, end))
            assert indexed == plain
            assert [str(item.run.annual_rate) for item in indexed] == [str(item.run.annual_rate) for item in plain]
            checked += 1
        start += timedelta(days=17)
    assert checked > 2000
