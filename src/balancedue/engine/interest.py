"""Interest compounded daily (IRC 6601, 6621, 6622), in closed form per rate period.

For a balance ``B`` from the day after ``start`` through ``end``, the interest is
``B * (product of daily factors - 1)``, each day's factor being ``1 + rate / 365`` (``/ 366`` for a
day in a leap year) with the rate in force that day.  Within one run of equal rate in one
calendar year the product is ``(1 + rate / days_in_year) ** days``, so a period costs one
power per rate run and year, never a loop over days.  ``daily_factor_reference`` is the
day-by-day loop, kept to check the closed form and to measure it against.

The IRS rounds interest to the cent at each computation date, not at each rate change (IRM
20.2.14, Figure 20.2.14-8 and Exhibit 20.2.14-7): factors are kept at full precision here and
the ledger rounds where the balance changes.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Context, Decimal, localcontext
from functools import lru_cache
from typing import NamedTuple, Protocol, cast

from balancedue.engine.dates import days_in_year
from balancedue.engine.money import ONE, quantize_cents
from balancedue.rules import RateTable

# Working precision for factors: far beyond a cent on any balance the IRS could bill.
FACTOR_CONTEXT = Context(prec=40)


class RateSchedule(Protocol):
    """Anything that lists runs of one annual rate: ``(first day, last day, rate)``."""

    def rate_changes_between(self, first: date, last: date) -> list[tuple[date, date, Decimal]]:
        """Runs of one rate covering ``first``..``last`` (inclusive)."""
        ...


@dataclass(frozen=True, slots=True)
class RateRun:
    """Days ``first``..``last`` (inclusive) at one annual rate within one calendar year."""

    first: date
    last: date
    annual_rate: Decimal

    @property
    def days(self) -> int:
        """Number of days in the run."""
        return (self.last - self.first).days + 1

    @property
    def year_days(self) -> int:
        """365 or 366: the divisor of the daily rate."""
        return days_in_year(self.first.year)

    def factor(self) -> Decimal:
        """``(1 + rate / year_days) ** days`` at full working precision."""
        return _power(self.annual_rate, self.year_days, self.days)


@lru_cache(maxsize=8192)
def _power(annual_rate: Decimal, year_days: int, days: int) -> Decimal:
    """The compound factor of ``days`` days at ``annual_rate`` (runs repeat: full quarters, years)."""
    with localcontext(FACTOR_CONTEXT):
        return (ONE + annual_rate / year_days) ** days


def rate_runs(schedule: RateSchedule, start: date, end: date) -> list[RateRun]:
    """Runs of one rate and one calendar year covering the day after ``start`` through ``end``.

    For the rules' rate table the runs are found in an index of the whole table; other
    schedules' runs are kept per schedule and span (a plan's months come back again and again).
    """
    return [item.run for item in factored_runs(schedule, start, end)]


class FactoredRun(NamedTuple):
    """A run, its compound factor ``(1 + rate / year_days) ** days``, its days and divisor."""

    run: RateRun
    factor: Decimal
    days: int
    year_days: int


def factored_runs(schedule: RateSchedule, start: date, end: date) -> Sequence[FactoredRun]:
    """:func:`rate_runs` with each run's factor, as the ledger multiplies them."""
    if end <= start:
        return ()
    if isinstance(schedule, RateTable):
        index = _run_index(schedule)
        if index is not None:
            found = index.between(start + timedelta(days=1), end)
            if found is not None:
                return found
    try:
        return _cached_runs(cast(Hashable, schedule), start, end)
    except TypeError:  # a schedule that cannot be a dictionary key
        return _with_factors(_runs(schedule, start, end))


@lru_cache(maxsize=16384)
def _cached_runs(schedule: Hashable, start: date, end: date) -> tuple[FactoredRun, ...]:
    return _with_factors(_runs(cast(RateSchedule, schedule), start, end))


def _with_factors(runs: Sequence[RateRun]) -> tuple[FactoredRun, ...]:
    return tuple(_factored(run) for run in runs)


def _factored(run: RateRun) -> FactoredRun:
    days, year_days = run.days, run.year_days
    return FactoredRun(run, _power(run.annual_rate, year_days, days), days, year_days)


def _runs(schedule: RateSchedule, start: date, end: date) -> tuple[RateRun, ...]:
    runs: list[RateRun] = []
    for first, last, rate in schedule.rate_changes_between(start + timedelta(days=1), end):
        cursor = first
        while cursor <= last:
            year_last = min(last, date(cursor.year, 12, 31))
            runs.append(RateRun(cursor, year_last, rate))
            cursor = year_last + timedelta(days=1)
    return tuple(runs)


class _RunIndex:
    """Every run of one rate within one calendar year over a whole rate table, found by bisection.

    A span's runs are the table's runs that overlap it, the first and last cut to the span: the
    same runs :func:`_runs` builds from the rate changes inside the span, without building them
    again for every span.
    """

    def __init__(self, table: RateTable) -> None:
        self.first_day, self.last_day = table.first_day, table.last_day
        self.runs = _with_factors(_runs(table, self.first_day - timedelta(days=1), self.last_day))
        self.firsts = [item.run.first for item in self.runs]

    def between(self, first: date, last: date) -> tuple[FactoredRun, ...] | None:
        """The runs covering ``first``..``last``; None outside the table (the caller's error)."""
        if first < self.first_day or last > self.last_day:
            return None
        low = bisect.bisect_right(self.firsts, first) - 1
        high = bisect.bisect_right(self.firsts, last) - 1
        runs = self.runs
        if low == high:
            return (_cut(runs[low], first, last),)
        return (_cut(runs[low], first, runs[low].run.last), *runs[low + 1 : high], _cut(runs[high], runs[high].run.first, last))


def _cut(item: FactoredRun, first: date, last: date) -> FactoredRun:
    run = item.run
    if run.first == first and run.last == last:
        return item
    return _factored(RateRun(first, last, run.annual_rate))


@lru_cache(maxsize=8)
def _run_index(table: RateTable) -> _RunIndex | None:
    """The index of ``table``, or None when equal rates of neighbouring quarters are written
    differently (a merged run then carries the last quarter's figure, as the span finds it)."""
    periods = table.periods
    for before, after in itertools.pairwise(periods):
        if before.annual_rate == after.annual_rate and before.annual_rate.as_tuple() != after.annual_rate.as_tuple():
            return None
    return _RunIndex(table)


def compound_factor(runs: Sequence[RateRun]) -> Decimal:
    """Product of the daily factors over ``runs`` (1 when there are none)."""
    result = ONE
    for run in runs:
        result = FACTOR_CONTEXT.multiply(result, run.factor())
    return result


def interest_factor(schedule: RateSchedule, start: date, end: date) -> Decimal:
    """``compound_factor - 1`` for the day after ``start`` through ``end``."""
    with localcontext(FACTOR_CONTEXT):
        return compound_factor(rate_runs(schedule, start, end)) - ONE


def daily_factor_reference(schedule: RateSchedule, start: date, end: date) -> Decimal:
    """The same product, one day at a time, looking each day's rate up on its own.

    This is the plain day-by-day loop the closed form is checked and measured against: no
    runs, no powers, one rate look-up and one multiplication per day.
    """
    result = ONE
    day = start + timedelta(days=1)
    one_day = timedelta(days=1)
    with localcontext(FACTOR_CONTEXT):
        while day <= end:
            ((_, _, rate),) = schedule.rate_changes_between(day, day)
            result *= ONE + rate / days_in_year(day.year)
            day += one_day
    return result


class SuppliedRates:
    """A rate schedule given as quarters, e.g. an IRM exhibit's own rates (for checks)."""

    def __init__(self, quarters: Sequence[tuple[date, date, Decimal]]) -> None:
        self._quarters = sorted(quarters)

    def rate_changes_between(self, first: date, last: date) -> list[tuple[date, date, Decimal]]:
        """Runs of one rate covering ``first``..``last``, merged where the rate repeats."""
        runs: list[tuple[date, date, Decimal]] = []
        for q_first, q_last, rate in self._quarters:
            lo, hi = max(first, q_first), min(last, q_last)
            if lo > hi:
                continue
            if runs and runs[-1][2] == rate and runs[-1][1] + timedelta(days=1) == lo:
                runs[-1] = (runs[-1][0], hi, rate)
            else:
                runs.append((lo, hi, rate))
        if not runs or runs[0][0] != first or runs[-1][1] != last:
            raise ValueError("the supplied rates do not cover the period")
        return runs


def interest_on(balance: Decimal, schedule: RateSchedule, start: date, end: date) -> Decimal:
    """Interest on a constant ``balance`` from the day after ``start`` through ``end``, in cents.

    The IRS computes one such amount between two computation dates and rounds it to the cent
    (ROUND_HALF_UP); the next period then accrues on the balance plus this interest.
    """
    return quantize_cents(balance * interest_factor(schedule, start, end))
