"""Legal holidays and business days for the IRC 7503 rule.

IRC 7503: when the last day for doing an act falls on a Saturday, Sunday or legal holiday, the
act is timely if done on the next day that is none of these.  "Legal holiday" includes a legal
holiday in the District of Columbia, so DC Emancipation Day (April 16) counts.  The holiday
list comes from the ``holidays`` package (United States, subdivision DC, observed days
included).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from balancedue.rules.sources import Source, Verification


@lru_cache(maxsize=1)
def irc_7503() -> Source:
    """The source of the business-day rule (built on first use, not at import)."""
    return Source(
        citation="IRC 7503 (time for performance of acts where last day falls on Saturday, Sunday, or legal holiday)",
        url="https://www.law.cornell.edu/uscode/text/26/7503",
        verification=Verification.PRIMARY,
        retrieved=date(2026, 11, 27),
    )


PRECOMPUTED_YEARS = range(2000, 2061)  # not law: the years whose holidays the compiled rules keep
"""Years whose holidays are worked out once, when the rules are compiled (others on demand)."""


def holiday_tables(years: Iterable[int]) -> dict[int, dict[date, str]]:
    """The legal holidays of each of ``years``, by year."""
    import holidays  # a large package, loaded only when the holidays are worked out

    tables: dict[int, dict[date, str]] = {year: {} for year in years}
    if tables:
        found = holidays.country_holidays("US", subdiv="DC", years=sorted(tables), observed=True)
        for day, name in found.items():
            if day.year in tables:
                tables[day.year][day] = str(name)
    return tables


@lru_cache(maxsize=256)
def _holidays_for_year(year: int) -> dict[date, str]:
    return holiday_tables([year])[year]


@dataclass(frozen=True)
class BusinessCalendar:
    """Saturdays, Sundays and federal plus District of Columbia legal holidays.

    ``known`` holds the holidays of years already worked out (the compiled rules keep
    ``PRECOMPUTED_YEARS``); any other year is worked out when first asked for.
    """

    source: Source = field(default_factory=irc_7503)
    known: Mapping[int, Mapping[date, str]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def with_years(cls, years: Iterable[int]) -> BusinessCalendar:
        """A calendar with the holidays of ``years`` worked out now."""
        return cls(known=holiday_tables(years))

    def holiday_name(self, day: date) -> str | None:
        """The legal holiday on ``day``, or ``None``."""
        table = self.known.get(day.year)
        if table is None:
            table = _holidays_for_year(day.year)
        return table.get(day)

    def is_business_day(self, day: date) -> bool:
        """True when ``day`` is not a Saturday, Sunday or legal holiday."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def next_business_day(self, day: date) -> date:
        """``day`` itself when it is a business day, else the next one (IRC 7503)."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, day: date, count: int) -> date:
        """The date ``count`` business days after ``day`` (``day`` itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        while count:
            day += timedelta(days=1)
            if self.is_business_day(day):
                count -= 1
        return day

    def why_not_business_day(self, day: date) -> str | None:
        """A short reason ("Saturday", "Emancipation Day") or ``None`` for a business day."""
        name = self.holiday_name(day)
        if name:
            return name
        if day.weekday() == 5:
            return "Saturday"
        if day.weekday() == 6:
            return "Sunday"
        return None


def next_business_day(day: date) -> date:
    """Module-level convenience: the IRC 7503 next business day on or after ``day``."""
    return BusinessCalendar().next_business_day(day)
