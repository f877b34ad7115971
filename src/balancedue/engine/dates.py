"""Time as the IRS counts it: months or fractions of months, days in a year.

``months_or_fraction(start, end)`` follows Treas. Reg. 301.6651-1: a month runs from the day
after the due date to the same-numbered day of the next month, and any part of a month counts
as a whole one.  Due April 15, filed July 20 is four months (April 16-May 15, May 16-June 15,
June 16-July 15, and the fraction July 16-20).  When the next month has no such day (a due date
on the 31st), the month ends on that month's last day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

from balancedue.errors import InputError

EARLIEST_DATE = date(1900, 1, 1)  # not law: the first date read from input
LATEST_DATE = date(2199, 12, 31)  # not law: the last date read from input
"""Dates read from input must fall in this window: wider than any tax account, and far enough
from the calendar's end (9999-12-31) that counting forward the longest periods the law counts
(a ten-year collection statute and its suspensions) never runs off it."""

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """28 to 31."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month - 1]


@lru_cache(maxsize=8192)
def add_months(anchor: date, months: int) -> date:
    """The same day ``months`` later, clamped to the last day of a shorter month."""
    index = anchor.month - 1 + months
    year = anchor.year + index // 12
    month = index % 12 + 1
    day = anchor.day
    if day > 28:
        day = min(day, days_in_month(year, month))
    return date(year, month, day)


@lru_cache(maxsize=8192)
def month_end(anchor: date, k: int) -> date:
    """Last day of the ``k``-th month (1-based) counted from ``anchor``."""
    return add_months(anchor, k)


@lru_cache(maxsize=8192)
def month_start(anchor: date, k: int) -> date:
    """First day of the ``k``-th month (1-based) counted from ``anchor``."""
    return add_months(anchor, k - 1) + timedelta(days=1)


def months_or_fraction(start: date, end: date) -> int:
    """Months or fractions of a month from the day after ``start`` through ``end``.

    Zero when ``end`` is on or before ``start``.
    """
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # month_end(start, months) is in the month of ``end``, on the day of ``start`` (or that month's
    # last day when shorter); month ``months - 1`` ends a month earlier, before ``end``.  So the
    # answer is ``months`` when that day is not before ``end``, else one more.
    day = start.day
    if day > 28:
        day = min(day, days_in_month(end.year, end.month))
    return months if months >= 1 and day >= end.day else months + 1


def days_in_year(year: int) -> int:
    """366 for a leap year, else 365 (the daily-compounding divisor, IRC 6622)."""
    return 366 if calendar.isleap(year) else 365


def days_between(start: date, end: date) -> int:
    """Days from the day after ``start`` through ``end`` (zero when ``end`` <= ``start``)."""
    return max(0, (end - start).days)


def in_date_window(day: date) -> bool:
    """Whether ``day`` is one this tool works with (see :data:`EARLIEST_DATE`)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def check_date_window(day: date, field: str) -> date:
    """``day``, or a clear error naming ``field`` when it is outside the window."""
    if not in_date_window(day):
        raise InputError(
            f"{field} {day.isoformat()} is outside the dates this tool works with "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
        )
    return day


def check_year_window(year: int, field: str) -> int:
    """``year`` (a tax year), or a clear error naming ``field`` when it is outside the window."""
    if not EARLIEST_DATE.year <= year < LATEST_DATE.year:
        raise InputError(
            f"{field} {year} is outside the years this tool works with "
            f"({EARLIEST_DATE.year} to {LATEST_DATE.year - 1})"
        )
    return year
