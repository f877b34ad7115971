"""Months or fractions of months (Treas. Reg. 301.6651-1) and days in a year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balancedue.engine.dates import (
    add_months,
    days_between,
    days_in_year,
    month_end,
    months_or_fraction,
)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        # Treas. Reg. 301.6651-1: due April 15, filed July 20 -> 3 whole months + a fraction = 4.
        (date(2025, 4, 15), date(2025, 7, 20), 4),
        (date(2025, 4, 15), date(2025, 7, 15), 3),
        (date(2025, 4, 15), date(2025, 7, 16), 4),
        (date(2025, 4, 15), date(2025, 4, 16), 1),
        (date(2025, 4, 15), date(2025, 4, 15), 0),
        (date(2025, 4, 15), date(2025, 4, 1), 0),
        # Month-end due dates: the month ends on the last day of a shorter month.
        (date(2025, 1, 31), date(2025, 2, 28), 1),
        (date(2025, 1, 31), date(2025, 3, 1), 2),
        (date(2024, 1, 31), date(2024, 2, 29), 1),
        (date(2024, 4, 15), date(2029, 4, 15), 60),
    ],
)
def test_months_or_fraction(start: date, end: date, months: int) -> None:
    assert months_or_fraction(start, end) == months


def test_add_months_clamps() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 2) == date(2024, 2, 15)
    assert add_months(date(2023, 3, 31), -1) == date(2023, 2, 28)


def test_days_in_year_and_between() -> None:
    assert days_in_year(2024) == 366
    assert days_in_year(2100) == 365
    assert days_in_year(2000) == 366
    # Interest on a 2025-04-15 balance through 2025-07-20 runs 96 days (ex-ftf-ftp-4-months).
    assert days_between(date(2025, 4, 15), date(2025, 7, 20)) == 96


dates = st.dates(min_value=date(1983, 1, 1), max_value=date(2060, 12, 31))


@given(dates, dates)
def test_months_is_the_least_covering_count(start: date, end: date) -> None:
    months = months_or_fraction(start, end)
    if end <= start:
        assert months == 0
        return
    assert months >= 1
    assert month_end(start, months) >= end
    assert month_end(start, months - 1) < end


@given(dates, dates, st.integers(0, 400))
def test_months_is_monotonic(start: date, end: date, extra: int) -> None:
    assert months_or_fraction(start, end + timedelta(days=extra)) >= months_or_fraction(start, end)


@given(dates, st.integers(1, 600))
def test_exact_month_boundaries(start: date, k: int) -> None:
    boundary = month_end(start, k)
    assert months_or_fraction(start, boundary) == k
    assert months_or_fraction(start, boundary + timedelta(days=1)) == k + 1
