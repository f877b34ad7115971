"""Legal holidays and business days for the IRC 7503 rule.

IRC 7503: when the last day for doing an act falls on a Saturday, Sunday or legal holiday, the
act is timely if done on the next day that is none of these.  "Legal holiday" includes a legal
holiday in the District of Columbia, so DC Emancipation Day (April 16) counts.  The holiday
list comes from the ``holidays`` package (United States, subdivision DC, observed days
included).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays

from balancedue.rules.sources import Source, Verification

IRC_7503 = Source(
    citation="IRC 7503 (time for performance of acts where last day falls on Saturday, Sunday, or legal holiday)",
    url="https://www.law.cornell.edu/uscode/text/26/7503",
    verification=Verification.PRIMARY,
    retrieved=date(2026, 11, 27),
)


@lru_cache(maxsize=256)
def _holidays_for_year(year: int) -> dict[date, str]:
    table = holidays.country_holidays("US", subdiv="DC", years=[year], observed=True)
    return {day: str(name) for day, name in table.items()}


@dataclass(frozen=True)
class BusinessCalendar:
    """Saturdays, Sundays and federal plus District of Columbia legal holidays."""

    source: Source = field(default=IRC_7503)

    def holiday_name(self, day: date) -> str | None:
        """The legal holiday on ``day``, or ``None``."""
        return _holidays_for_year(day.year).get(day)

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
