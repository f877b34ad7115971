"""The collection statute expiration date (CSED) of each assessment, with its suspensions.

The IRS may collect a tax by levy or in court within 10 years after it is assessed (IRC
6502(a)(1)); each assessment (the return's tax, a later assessment, each penalty and interest
assessment) has its own date (IRM 5.1.19.2.1).  The period is suspended ("tolled") while:

* an offer in compromise is pending, and 30 days after a rejection (6331(k)(1), (k)(3));
* an installment agreement request is pending, and 30 days after a rejection or termination, but
  not while an agreement is in effect (6331(k)(2), (k)(3));
* a timely collection due process hearing is pending; the period never ends before the 90th day
  after the determination (6330(e)(1));
* a bankruptcy stay lasts, and 6 months after (6503(h)(2));
* a claim for relief from joint liability is pending, and 60 days after (6015(e)(2));
* the taxpayer is outside the United States for 6 months or more; the period never ends before 6
  months after the return (6503(c));
* combat-zone service lasts, and 180 days after (7508(a)); a military deferment lasts, and 270
  days after (SCRA, unverified).

Suspensions that overlap run concurrently: the days are counted once (IRM 5.1.19.3.7.4(4)(b)).
A suspension counts for an assessment only from the assessment date on, and only if it begins
before the period (as extended so far) has run out.

Counting: a suspension covers every day from its first day through its last day (both counted),
and its add-on runs from the day after the event ends.  Whether the IRS counts the first day the
same way is not confirmed; the choice moves a CSED by one day at most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from balancedue.engine.dates import add_months
from balancedue.rules import RuleSet
from balancedue.rules.transaction_codes import CsedRole, TollingKind

_ONE_DAY = timedelta(days=1)
_WAIVER_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")

# Add-on after the event ends when the ending code names none, and floors, by kind.
_DEFAULT_ADD: dict[TollingKind, str] = {
    TollingKind.BANKRUPTCY: "collection.csed.tolling.bankruptcy_months",
    TollingKind.INNOCENT_SPOUSE: "collection.csed.tolling.innocent_spouse_days",
    TollingKind.COMBAT_ZONE: "collection.csed.tolling.combat_zone_days",
    TollingKind.MILITARY_DEFERMENT: "collection.csed.tolling.military_deferment_days",
}
_FLOOR: dict[TollingKind, str] = {
    TollingKind.CDP: "collection.csed.tolling.cdp_minimum_days",
    TollingKind.OUTSIDE_US: "collection.csed.tolling.outside_us_minimum_months",
}
CITATIONS: dict[TollingKind, str] = {
    TollingKind.OFFER: "IRC 6331(k)(1), (k)(3); IRM 5.1.19.3.4",
    TollingKind.INSTALLMENT_AGREEMENT: "IRC 6331(k)(2), (k)(3); IRM 5.1.19.3.5",
    TollingKind.CDP: "IRC 6330(e)(1); IRM 5.1.19.3.3",
    TollingKind.BANKRUPTCY: "IRC 6503(h); IRM 5.1.19.3.1",
    TollingKind.INNOCENT_SPOUSE: "IRC 6015(e)(2); IRM 5.1.19.3.6",
    TollingKind.OUTSIDE_US: "IRC 6503(c); IRM 5.1.19.3.7",
    TollingKind.COMBAT_ZONE: "IRC 7508(a); IRM 5.1.19.3.8",
    TollingKind.MILITARY_DEFERMENT: "50 U.S.C. 4000(c) (SCRA sec. 510); IRM 5.1.19.3.9",
}


class CodedPosting(Protocol):
    """What the CSED reads of a transaction line."""

    @property
    def code(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def action_code(self) -> str | None: ...
    @property
    def closing_code(self) -> str | None: ...
    @property
    def text(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Assessment:
    """One assessment that carries its own collection period."""

    code: str
    date: date
    amount: Decimal
    title: str = ""


@dataclass(frozen=True, slots=True)
class TollingEvent:
    """A suspension event: its kind, first day and last day (``None`` while it is still open).

    ``add_rule`` names the parameter of the time added after it ends (``None``: the kind's
    default); ``codes`` says which postings it came from.
    """

    kind: TollingKind
    start: date
    end: date | None
    add_rule: str | None = None
    codes: str = ""


@dataclass(frozen=True, slots=True)
class TollingPeriod:
    """A suspension as counted: from ``start`` through ``through`` (end plus add-on)."""

    kind: TollingKind
    start: date
    end: date | None
    through: date
    add_on: str
    days: int
    floor: date | None
    citation: str
    codes: str = ""
    open: bool = False


@dataclass(frozen=True, slots=True)
class CsedLine:
    """The collection statute of one assessment."""

    assessment: Assessment
    base: date
    csed: date
    days_added: int
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class CsedReport:
    """Every assessment's CSED and the suspensions that moved it."""

    lines: tuple[CsedLine, ...]
    periods: tuple[TollingPeriod, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def latest(self) -> CsedLine | None:
        """The assessment the IRS can collect longest."""
        return max(self.lines, key=lambda line: line.csed, default=None)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (February 29 becomes February 28)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _after(rules: RuleSet, rule_id: str, day: date) -> date:
    """``day`` moved forward by the parameter's days or months."""
    parameter = rules.parameters.get(rule_id)
    count = rules.parameters.integer(rule_id, day)
    if parameter.unit.value == "months":
        return add_months(day, count)
    return day + timedelta(days=count)


def tolling_periods(events: Sequence[TollingEvent], rules: RuleSet, as_of: date) -> list[TollingPeriod]:
    """Each event as a counted suspension (add-ons and floors from the rules data)."""
    periods = []
    for event in events:
        open_event = event.end is None or event.end > as_of
        end = as_of if open_event else event.end
        assert end is not None
        rule = event.add_rule or _DEFAULT_ADD.get(event.kind)
        through = end
        add_on = "none"
        if rule is not None and not open_event:
            through = _after(rules, rule, end)
            count = rules.parameters.get(rule)
            add_on = f"{rules.parameters.integer(rule, end)} {count.unit.value} ({rules.parameters.source(rule, end).short()})"
        floor = None
        if event.kind in _FLOOR and not open_event:
            floor = _after(rules, _FLOOR[event.kind], end)
        if event.kind is TollingKind.OUTSIDE_US and not open_event:
            minimum = rules.parameters.integer("collection.csed.tolling.outside_us_min_absence_months", event.start)
            if add_months(event.start, minimum) > end + _ONE_DAY:
                continue  # an absence shorter than 6 months does not suspend (6503(c))
        periods.append(
            TollingPeriod(
                kind=event.kind,
                start=event.start,
                end=None if open_event else event.end,
                through=through,
                add_on=add_on,
                days=(through - event.start).days + 1,
                floor=floor,
                citation=CITATIONS.get(event.kind, ""),
                codes=event.codes,
                open=open_event,
            )
        )
    return periods


def _merged(periods: Sequence[TollingPeriod], since: date) -> list[tuple[date, date]]:
    """Union of the suspension spans from ``since`` on (overlaps counted once)."""
    spans = sorted((max(p.start, since), p.through) for p in periods if p.through >= since)
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def collection_statute(
    assessments: Sequence[Assessment],
    events: Sequence[TollingEvent],
    rules: RuleSet,
    as_of: date,
    waiver: date | None = None,
    notes: Sequence[str] = (),
) -> CsedReport:
    """The CSED of every assessment, moved by the suspensions and floors that apply to it."""
    periods = tolling_periods(events, rules, as_of)
    lines = []
    for assessment in assessments:
        years = rules.parameters.integer("collection.csed.years", assessment.date)
        base = add_years(assessment.date, years)
        csed = base
        reasons = []
        for start, end in _merged(periods, assessment.date):
            if start > csed:
                break
            days = (end - start).days + 1
            csed += timedelta(days=days)
            reasons.append(f"{days} day(s) suspended {start.isoformat()} to {end.isoformat()}")
        for period in periods:
            if period.floor is not None and period.start >= assessment.date and period.floor > csed:
                csed = period.floor
                reasons.append(f"not before {period.floor.isoformat()} ({period.citation})")
        if waiver is not None and waiver > csed:
            csed = waiver
            reasons.append(f"extended by waiver to {waiver.isoformat()} (IRC 6502(a)(2); TC 550)")
        lines.append(CsedLine(assessment, base, csed, (csed - base).days, tuple(reasons)))
    return CsedReport(tuple(lines), tuple(periods), tuple(notes))


def events_from_postings(postings: Sequence[CodedPosting], rules: RuleSet) -> tuple[list[Assessment], list[TollingEvent], date | None, list[str]]:
    """Assessments, suspension events and any waiver date read from transcript postings."""
    catalog = rules.transaction_codes
    assessments: list[Assessment] = []
    events: list[TollingEvent] = []
    open_events: list[TollingEvent] = []
    notes: list[str] = []
    waiver: date | None = None
    for posting in sorted(postings, key=lambda p: p.date):
        entry = catalog.match(posting.code, posting.text, action_code=posting.action_code, closing_code=posting.closing_code)
        if entry is None or entry.csed is None:
            continue
        role, kind = entry.csed.role, entry.csed.kind
        label = f"TC {entry.key} {posting.date.isoformat()}"
        if role is CsedRole.NEW_ASSESSMENT:
            if posting.amount > 0:
                assessments.append(Assessment(posting.code, posting.date, posting.amount, entry.title))
        elif role is CsedRole.TOLLING_START and kind is not None:
            open_events.append(TollingEvent(kind, posting.date, None, None, label))
        elif role in (CsedRole.TOLLING_END, CsedRole.TOLLING_CANCEL) and kind is not None:
            match = next((e for e in reversed(open_events) if kind.closes(e.kind)), None)
            if match is None:
                notes.append(f"{label} ends a suspension whose start is not on this transcript; not counted")
                continue
            open_events.remove(match)
            if role is CsedRole.TOLLING_CANCEL:
                notes.append(f"{label}: the {match.kind.value} event of {match.start.isoformat()} was posted in error")
                continue
            events.append(replace(match, end=posting.date, add_rule=entry.csed.add, codes=f"{match.codes}; {label}"))
        elif role is CsedRole.TOLLING_POINT and kind is not None:
            events.append(TollingEvent(kind, posting.date, posting.date, entry.csed.add, label))
        elif role is CsedRole.EXTENSION:
            found = _WAIVER_DATE.search(posting.text)
            if found:
                waiver = date(int(found[3]), int(found[1]), int(found[2]))
            else:
                notes.append(f"{label}: a waiver extends the CSED but its date is not printed; ask for the IRS's CSED")
        elif role is CsedRole.WRITE_OFF:
            notes.append(f"{label}: the IRS wrote off the balance at the end of the collection period")
    for event in open_events:
        notes.append(f"the {event.kind.value} suspension from {event.start.isoformat()} is still open: the CSED keeps moving")
        events.append(event)
    if any(e.kind is TollingKind.BANKRUPTCY for e in events):
        notes.append(
            "TC 520 is read as a bankruptcy unless its closing code or wording says otherwise (cc 76/77: collection "
            "due process); other legal actions do not suspend the period the same way - confirm with the IRS"
        )
    return assessments, events, waiver, notes


def transcript_csed(postings: Sequence[CodedPosting], rules: RuleSet, as_of: date) -> CsedReport:
    """The CSED report of one transcript's postings."""
    assessments, events, waiver, notes = events_from_postings(postings, rules)
    return collection_statute(assessments, events, rules, as_of, waiver, notes)
