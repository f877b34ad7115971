"""User actions on the rules data: check it, look up a rate, show a notice card."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from balancedue.rules import NoticeEntry, RuleSet, Source, Verification, validate_bundled_rules


@dataclass(frozen=True)
class RateAnswer:
    """The underpayment rate in force on a date, with where it comes from."""

    date: dt.date
    rate_percent: Decimal
    annual_rate: Decimal
    quarter: str
    period_start: dt.date
    period_end: dt.date
    citation: str
    verification: Verification
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class WeakSource:
    """One figure that is not on a primary source: what it is, how it was seen, and why."""

    item: str
    verification: Verification
    reason: str

    def line(self) -> str:
        """The figure and its verification, as ``rules check`` lists it."""
        return f"{self.item} [{self.verification.value}]"


_SEEN_AS = {
    Verification.MIRROR: "the official text was read only through a copy",
    Verification.SECONDARY: "only secondary sources were found",
    Verification.UNVERIFIED: "cited by others, not seen",
}


def _reason(verification: Verification, citations: list[str], *notes: str | None) -> str:
    """Why a figure stays below primary: the first note in the data that says so, else how and
    where it was seen."""
    for note in notes:
        if note:
            return " ".join(note.split())
    return f"{_SEEN_AS[verification]}: {'; '.join(citations)}"


@dataclass(frozen=True)
class RulesReport:
    """What ``rules check`` found: counts, coverage and figures that still need a primary source."""

    ok: bool
    notices: int
    parameters: int
    parameter_values: int
    rate_quarters: int
    first_quarter: str
    last_quarter: str
    rates_cover_today: bool
    today: dt.date
    verification: dict[str, int]
    needs_primary_source: tuple[str, ...]
    problems: tuple[str, ...]
    weak_sources: tuple[WeakSource, ...] = ()
    official_phones: int = 0
    scam_signals: int = 0
    standards_editions: int = 0
    triage_rules: int = 0


def rate_on(day: dt.date, rules: RuleSet) -> RateAnswer:
    """The IRC 6621(a)(2) underpayment rate in force on ``day``."""
    period = rules.rates.period_on(day)
    return RateAnswer(
        date=day,
        rate_percent=period.rate_percent,
        annual_rate=period.annual_rate,
        quarter=period.quarter,
        period_start=period.start,
        period_end=period.end,
        citation="IRC 6621(a)(2); IRC 6621(b) (rate set quarterly)",
        verification=period.verification,
        sources=period.sources,
    )


def notice_card(code: str, rules: RuleSet) -> NoticeEntry:
    """The catalog entry for a notice code or alias; an error with suggestions when unknown."""
    return rules.notices.get(code)


def check_bundled_rules(today: dt.date) -> RulesReport:
    """:func:`check_rules` on the bundled data parsed and validated from its files now (never
    from the compiled cache that other commands read)."""
    return check_rules(today, validate_bundled_rules())


def check_rules(today: dt.date, rules: RuleSet) -> RulesReport:
    """Validate every rules file (by loading it) and report counts, coverage and weak sources."""
    verification: Counter[str] = Counter()
    weak: list[WeakSource] = []
    values = 0
    for parameter in rules.parameters:
        for entry in parameter.values:
            values += 1
            source = entry.source
            verification[source.verification.value] += 1
            if source.verification is not Verification.PRIMARY:
                weak.append(WeakSource(
                    f"{parameter.id} from {entry.effective_from.isoformat()}",
                    source.verification,
                    _reason(source.verification, [source.citation], source.note, entry.note),
                ))
    dated_rules = [("postponement", item.id, item.source) for item in rules.postponements]
    dated_rules += [("penalty relief", item.id, item.source) for item in rules.postponements.relief]
    for kind, rule_id, source in dated_rules:
        verification[source.verification.value] += 1
        if source.verification is not Verification.PRIMARY:
            weak.append(WeakSource(
                f"{kind} {rule_id}", source.verification,
                _reason(source.verification, [source.citation], source.note),
            ))
    for period in rules.rates:
        verification[period.verification.value] += 1
        if period.verification in (Verification.SECONDARY, Verification.UNVERIFIED):
            best = [s for s in period.sources if s.verification is period.verification]
            weak.append(WeakSource(
                f"underpayment rate {period.quarter}", period.verification,
                _reason(period.verification, [s.citation for s in best],
                        *(s.note for s in period.sources)),
            ))
    problems: list[str] = []
    covers_today = rules.rates.first_day <= today <= rules.rates.last_day
    if not covers_today:
        problems.append(
            f"the underpayment rate table ends {rules.rates.last_day.isoformat()}, before today "
            f"({today.isoformat()}); add the newer quarters (docs/updating-rules.md)"
        )
    for notice in rules.notices:
        for deadline in notice.deadlines:
            if deadline.rule and deadline.rule not in rules.parameters:
                problems.append(
                    f"notice {notice.code}: deadline rule {deadline.rule!r} is not a parameter"
                )
        for right in notice.rights:
            if right.rule and right.rule not in rules.parameters:
                problems.append(
                    f"notice {notice.code}: right rule {right.rule!r} is not a parameter"
                )
    return RulesReport(
        ok=not problems,
        notices=len(rules.notices),
        parameters=len(rules.parameters),
        parameter_values=values,
        rate_quarters=len(rules.rates),
        first_quarter=rules.rates.periods[0].quarter,
        last_quarter=rules.rates.periods[-1].quarter,
        rates_cover_today=covers_today,
        today=today,
        verification=dict(sorted(verification.items())),
        needs_primary_source=tuple(item.line() for item in weak),
        weak_sources=tuple(weak),
        problems=tuple(problems),
        official_phones=len(rules.contacts.phones),
        scam_signals=len(rules.scam_signals),
        standards_editions=len(rules.collection_standards.editions),
        triage_rules=len(rules.triage.professional),
    )
