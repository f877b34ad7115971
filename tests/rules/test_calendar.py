"""IRC 7503: weekends and federal plus District of Columbia legal holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balancedue.rules import BusinessCalendar, next_business_day

CAL = BusinessCalendar()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 2022-04-15 was DC Emancipation Day observed (a Friday): returns were due Monday 2022-04-18.
        (date(2022, 4, 15), date(2022, 4, 18)),
        # 2023-04-15 was a Saturday; Monday 2023-04-17 was Emancipation Day observed: due 04-18.
        (date(2023, 4, 15), date(2023, 4, 18)),
        (date(2024, 4, 15), date(2024, 4, 15)),  # a Monday
        (date(2026, 7, 3), date(2026, 7, 6)),  # Independence Day observed (Friday), then a weekend
        (date(2025, 11, 27), date(2025, 11, 28)),  # Thanksgiving
        (date(2026, 4, 16), date(2026, 4, 17)),  # DC Emancipation Day on a Thursday
    ],
)
def test_next_business_day(day: date, expected: date) -> None:
    assert next_business_day(day) == expected


def test_holiday_names_and_weekends() -> None:
    assert CAL.why_not_business_day(date(2026, 4, 16)) == "Emancipation Day"
    assert CAL.why_not_business_day(date(2026, 11, 28)) == "Saturday"
    assert CAL.why_not_business_day(date(2026, 11, 30)) is None


def test_add_business_days_skips_weekends_and_holidays() -> None:
    # Ten business days from Friday 2026-11-20: skips two weekends and Thanksgiving (11-26).
    assert CAL.add_business_days(date(2026, 11, 20), 10) == date(2026, 12, 7)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
def test_next_business_day_properties(day: date) -> None:
    result = CAL.next_business_day(day)
    assert result >= day
    assert CAL.is_business_day(result)
    # Nothing in between is a business day, and the gap is short (no holiday run is long).
    span = (result - day).days
    assert span <= 5
    for offset in range(span):
        assert not CAL.is_business_day(day + timedelta(days=offset))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)), st.integers(0, 30))
def test_add_business_days_counts_exactly(day: date, count: int) -> None:
    result = CAL.add_business_days(day, count)
    business = sum(
        1
        for offset in range(1, (result - day).days + 1)
        if CAL.is_business_day(day + timedelta(days=offset))
    )
    assert business == count
    assert count == 0 or CAL.is_business_day(result)
