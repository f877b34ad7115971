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
    weak: list[str] = []
    values = 0
    for parameter in rules.parameters:
        for entry in parameter.values:
            values += 1
            verification[entry.source.verification.value] += 1
            if entry.source.verification is not Verification.PRIMARY:
                weak.append(f"{parameter.id} from {entry.effective_from.isoformat()} "
                            f"[{entry.source.verification.value}]")
    for postponement in rules.postponements:
        verification[postponement.source.verification.value] += 1
        if postponement.source.verification is not Verification.PRIMARY:
            weak.append(f"postponement {postponement.id} [{postponement.source.verification.value}]")
    for relief in rules.postponements.relief:
        verification[relief.source.verification.value] += 1
        if relief.source.verification is not Verification.PRIMARY:
            weak.append(f"penalty relief {relief.id} [{relief.source.verification.value}]")
    for period in rules.rates:
        verification[period.verification.value] += 1
        if period.verification in (Verification.SECONDARY, Verification.UNVERIFIED):
            weak.append(f"underpayment rate {period.quarter} [{period.verification.value}]")
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
        needs_primary_source=tuple(weak),
        problems=tuple(problems),
        official_phones=len(rules.contacts.phones),
        scam_signals=len(rules.scam_signals),
        standards_editions=len(rules.collection_standards.editions),
        triage_rules=len(rules.triage.professional),
    )
