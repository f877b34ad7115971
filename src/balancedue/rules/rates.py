"""The IRC 6621(a)(2) underpayment interest rate, one row per calendar quarter.

The table is loaded from ``data/underpayment_rates.csv`` and validated: every row is a whole
calendar quarter, rows are contiguous (no gap, no overlap), and every source key resolves in
``data/rate_sources.yaml``.  A look-up outside the table raises
:class:`~balancedue.errors.DateOutsideRulesError`; it never extrapolates.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from pydantic import Field, ValidationError

from balancedue.errors import DateOutsideRulesError, RulesDataError
from balancedue.rules.sources import FrozenModel, Source, Verification


class RateSourceFile(FrozenModel):
    """The parsed ``rate_sources.yaml``."""

    schema_version: int
    retrieved: date
    sources: dict[str, Source]


class RatePeriod(FrozenModel):
    """One calendar quarter and the underpayment rate in force in it."""

    start: date
    end: date
    rate_percent: Decimal = Field(ge=0, le=100)
    sources: tuple[Source, ...]
    source_keys: tuple[str, ...]

    @property
    def annual_rate(self) -> Decimal:
        """The rate as a fraction: 8 percent is ``Decimal("0.08")``."""
        return self.rate_percent / Decimal(100)

    @property
    def verification(self) -> Verification:
        """The best verification among this quarter's sources."""
        return min((s.verification for s in self.sources), key=lambda v: v.rank)

    @property
    def quarter(self) -> str:
        """``"2024Q1"`` style label."""
        return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"

    def contains(self, day: date) -> bool:
        """True when ``day`` falls in this quarter."""
        return self.start <= day <= self.end


def _quarter_end(start: date) -> date:
    month = start.month + 3
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


class RateTable:
    """Contiguous quarterly underpayment rates with date look-up."""

    def __init__(self, periods: Sequence[RatePeriod]) -> None:
        if not periods:
            raise RulesDataError("underpayment_rates.csv", "no rows")
        ordered = sorted(periods, key=lambda p: p.start)
        for period in ordered:
            if period.start.day != 1 or period.start.month not in (1, 4, 7, 10):
                raise RulesDataError(
                    "underpayment_rates.csv",
                    f"row {period.start} does not start a calendar quarter",
                )
            if period.end != _quarter_end(period.start):
                raise RulesDataError(
                    "underpayment_rates.csv",
                    f"row {period.start} ends {period.end}, expected {_quarter_end(period.start)}",
                )
        for before, after in itertools.pairwise(ordered):
            if after.start <= before.end:
                raise RulesDataError(
                    "underpayment_rates.csv", f"rows {before.quarter} and {after.quarter} overlap"
                )
            if after.start != before.end + timedelta(days=1):
                raise RulesDataError(
                    "underpayment_rates.csv",
                    f"gap between {before.end} and {after.start}: a quarter is missing",
                )
        self._periods: tuple[RatePeriod, ...] = tuple(ordered)
        self._starts = [p.start for p in ordered]
        self._ends = [p.end for p in ordered]
        self._annual = [p.annual_rate for p in ordered]
        self._labels: dict[date, str] = {}

    @property
    def periods(self) -> tuple[RatePeriod, ...]:
        """Every quarter, oldest first."""
        return self._periods

    @property
    def first_day(self) -> date:
        """The first day the table covers."""
        return self._periods[0].start

    @property
    def last_day(self) -> date:
        """The last day the table covers."""
        return self._periods[-1].end

    def __len__(self) -> int:
        return len(self._periods)

    def __iter__(self) -> Iterator[RatePeriod]:
        return iter(self._periods)

    def period_on(self, day: date) -> RatePeriod:
        """The quarter in force on ``day``; an error outside the table."""
        if day < self.first_day or day > self.last_day:
            raise DateOutsideRulesError(
                "underpayment interest rate", day, self.first_day, self.last_day
            )
        index = bisect.bisect_right(self._starts, day) - 1
        return self._periods[index]

    def label_on(self, day: date) -> str:
        """One line naming the rate in force on ``day`` and its best source."""
        text = self._labels.get(day)
        if text is None:
            period = self.period_on(day)
            # The best-verified source; among equals, the one listed last (the specific ruling).
            best = min(reversed(period.sources), key=lambda s: s.verification.rank)
            text = f"{period.quarter} rate {period.rate_percent}%: {best.short()}"
            if len(self._labels) < 100_000:
                self._labels[day] = text
        return text

    def rate_on(self, day: date) -> Decimal:
        """The annual underpayment rate (a fraction) in force on ``day``."""
        return self.period_on(day).annual_rate

    def periods_between(self, first: date, last: date) -> list[RatePeriod]:
        """Quarters that overlap the inclusive range ``first``..``last``."""
        if last < first:
            return []
        self.period_on(first)
        self.period_on(last)
        lo = bisect.bisect_right(self._starts, first) - 1
        hi = bisect.bisect_right(self._starts, last)
        return list(self._periods[lo:hi])

    def rate_changes_between(self, first: date, last: date) -> list[tuple[date, date, Decimal]]:
        """Maximal runs of one rate within ``first``..``last``: (from, to, annual rate).

        Quarters with the same rate are merged, which is how Form 2210 splits its lines.
        """
        runs: list[tuple[date, date, Decimal]] = []
        if last < first:
            return runs
        self.period_on(first)
        self.period_on(last)
        lo = bisect.bisect_right(self._starts, first) - 1
        hi = bisect.bisect_right(self._starts, last)
        one_day = timedelta(days=1)
        for index in range(lo, hi):
            start = max(first, self._starts[index])
            end = min(last, self._ends[index])
            rate = self._annual[index]
            if runs and runs[-1][2] == rate and runs[-1][1] + one_day == start:
                runs[-1] = (runs[-1][0], end, rate)
            else:
                runs.append((start, end, rate))
        return runs


def parse_rate_table(csv_text: str, sources: Mapping[str, Source]) -> RateTable:
    """Parse the CSV text of the rate table, resolving each row's source keys."""
    lines = [line for line in csv_text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    expected = ["start_date", "end_date", "rate_percent", "source"]
    if reader.fieldnames != expected:
        raise RulesDataError(
            "underpayment_rates.csv", f"columns must be {expected}, found {reader.fieldnames}"
        )
    periods: list[RatePeriod] = []
    for number, row in enumerate(reader, start=2):
        where = f"underpayment_rates.csv row {number}"
        try:
            keys = tuple(k.strip() for k in row["source"].split(";") if k.strip())
            if not keys:
                raise RulesDataError(where, "no source")
            unknown = [k for k in keys if k not in sources]
            if unknown:
                raise RulesDataError(where, f"unknown source key(s) {unknown}")
            periods.append(
                RatePeriod(
                    start=date.fromisoformat(row["start_date"]),
                    end=date.fromisoformat(row["end_date"]),
                    rate_percent=Decimal(row["rate_percent"]),
                    sources=tuple(sources[k] for k in keys),
                    source_keys=keys,
                )
            )
        except (ValueError, InvalidOperation, ValidationError) as exc:
            raise RulesDataError(where, str(exc).splitlines()[0]) from exc
    return RateTable(periods)
