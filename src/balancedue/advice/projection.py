"""If you do nothing: the balance ahead, the notices that follow, lien, levy and passport risk.

Balances 30, 90, 180 and 365 days ahead come from the engine.  When the notice stream is known
(the notice code, and ideally its date), the notices that typically follow are listed with
estimated dates (the IRS allows about ``collection.notice_interval_days`` between notices), and
the projection assumes the notice of intent to levy (CP504) arrives on its estimated date if it
has not yet: from the month starting more than 10 days after it, the failure-to-pay rate is 1%
(IRC 6651(d)), which the engine applies.  Every estimated date is marked as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from balancedue.advice.figures import (
    ENGINE_RULE,
    BalanceSeries,
    CitedAmount,
    engine_figure,
    parameter_figure,
)
from balancedue.advice.simulation import PlanSimulator
from balancedue.engine import Event, EventType, Scenario
from balancedue.engine.dates import add_months
from balancedue.engine.money import format_money, format_rate
from balancedue.errors import DateOutsideRulesError
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import Stage

HORIZON_DAYS = (30, 90, 180, 365)
CHART_STEP_DAYS = 30


@dataclass(frozen=True, slots=True)
class ProjectedBalance:
    """The balance some days ahead if nothing is paid."""

    days: int
    on: date
    balance: CitedAmount


@dataclass(frozen=True, slots=True)
class ExpectedNotice:
    """A notice that typically follows, with its estimated date."""

    code: str
    title: str
    expected_on: date
    if_ignored: str
    rule: str
    source: str
    estimated: bool = True


@dataclass(frozen=True, slots=True)
class PassportCheck:
    """The balance against the seriously-delinquent-debt threshold (IRC 7345)."""

    balance: CitedAmount
    threshold: CitedAmount | None
    above: bool | None
    note: str


@dataclass(frozen=True, slots=True)
class StatuteEnd:
    """The collection statute expiration date (CSED) when known or estimated."""

    on: date
    estimated: bool
    days_left: int
    note: str


@dataclass(frozen=True)
class DoNothingProjection:
    """What happens if nothing is paid."""

    today: date
    balance_now: CitedAmount
    points: tuple[ProjectedBalance, ...]
    series: BalanceSeries
    notices: tuple[ExpectedNotice, ...]
    levy_notice_assumed_on: date | None
    lien_threshold: CitedAmount
    lien_risk: str
    levy_risk: str
    passport: PassportCheck
    statute_end: StatuteEnd | None
    notes: tuple[str, ...] = ()


def _followers(entry: NoticeEntry, rules: RuleSet) -> NoticeEntry | None:
    """The next notice of the stream: the lowest later sequence, else the first listed."""
    candidates = [rules.notices.get(code.value) for code in entry.next_notices]
    if not candidates:
        return None
    ranked = [c for c in candidates if c.sequence is not None and (entry.sequence is None or c.sequence > entry.sequence)]
    if ranked:
        return min(ranked, key=lambda c: c.sequence or 0)
    return candidates[0]


def expected_notices(notice_code: str | None, notice_date: date, rules: RuleSet, until: date) -> tuple[ExpectedNotice, ...]:
    """The notices that typically follow ``notice_code`` up to ``until``, with estimated dates."""
    if not notice_code:
        return ()
    entry = rules.notices.find(notice_code)
    if entry is None:
        return ()
    interval = parameter_figure(rules, "collection.notice_interval_days", notice_date)
    found: list[ExpectedNotice] = []
    seen = {entry.code.value}
    day = notice_date
    follower = _followers(entry, rules)
    while follower is not None and follower.code.value not in seen:
        day = day + timedelta(days=int(interval.amount))
        if day > until:
            break
        seen.add(follower.code.value)
        title, if_ignored = follower.title, follower.if_ignored
        if follower.stage is Stage.AFTER_HEARING_RIGHTS:
            # CP91/CP298 go only to people who receive Social Security benefits.
            title = f"{title} - only if you receive Social Security benefits"
            if_ignored = f"if you receive Social Security benefits: {if_ignored}"
        found.append(ExpectedNotice(follower.code.value, title, day, if_ignored, interval.rule, interval.source))
        follower = _followers(follower, rules)
    return tuple(found)


def _levy_risk(stage: Stage | None, notices: Sequence[ExpectedNotice], rules: RuleSet, on: date) -> str:
    if stage in (Stage.FINAL_NOTICE_CDP,):
        days = rules.parameters.integer("rights.cdp.request_days", on)
        return ("high: after the final notice the IRS may levy wages, bank accounts and other property once "
                f"the {days}-day hearing period passes, unless a hearing, an agreement or an offer is requested")
    if stage is Stage.LEVY_OR_OFFSET:
        return "a levy has been made: act now (release, post-levy hearing, agreement or hardship status)"
    if stage is Stage.OFFSET:
        return ("an offset is not a levy: a refund was applied to the debt (IRC 6402(a)); any rest still owed "
                "follows the balance-due notices, and future refunds will be applied too")
    if stage is Stage.AFTER_HEARING_RIGHTS:
        days = rules.parameters.integer("notices.cp91.response_days", on)
        return (f"high if you receive Social Security benefits: up to 15% of each payment can be levied (IRC 6331(h)) "
                f"once {days} days from the notice pass, unless you pay, arrange an agreement or appeal (CAP)")
    if stage in (Stage.INTENT_TO_LEVY, Stage.COLLECTION_CONTACT):
        return ("rising: the IRS may take a state tax refund now and sends the final notice with hearing "
                "rights before levying wages or bank accounts")
    final = next((n for n in notices if (e := rules.notices.find(n.code)) and e.stage is Stage.FINAL_NOTICE_CDP), None)
    if final is not None and final.expected_on < on:
        return (f"may already be high: the final notice with hearing rights was most likely sent around "
                f"{final.expected_on.isoformat()} (estimated); a levy can follow 30 days after it - check your IRS "
                "online account or an account transcript")
    if final is not None:
        return (f"low for now: a levy needs the final notice with hearing rights, expected around "
                f"{final.expected_on.isoformat()} if nothing is done")
    return "low for now: a levy needs a notice of intent to levy and a final notice with hearing rights first"


def project_do_nothing(
    scenario: Scenario,
    today: date,
    rules: RuleSet,
    *,
    notice_code: str | None = None,
    notice_date: date | None = None,
    csed: date | None = None,
    assessed_on: date | None = None,
    horizons: Sequence[int] = HORIZON_DAYS,
) -> DoNothingProjection:
    """The account if nothing is paid, from ``today`` to the last horizon."""
    last = max(horizons)
    sim = PlanSimulator(scenario, today, rules, last // CHART_STEP_DAYS + 2)
    until = today + timedelta(days=last)
    notices = expected_notices(notice_code, notice_date or today, rules, until)
    entry = rules.notices.find(notice_code) if notice_code else None
    stage = entry.stage if entry else None
    notes: list[str] = []
    levy_on: date | None = None
    has_levy_notice = any(e.type is EventType.LEVY_NOTICE for e in scenario.events)
    if not has_levy_notice:
        if stage is Stage.INTENT_TO_LEVY:
            levy_on = notice_date or today
        else:
            levy_on = next((n.expected_on for n in notices
                            if (e := rules.notices.find(n.code)) and e.stage is Stage.INTENT_TO_LEVY), None)
    extra = [Event(date=levy_on, type=EventType.LEVY_NOTICE)] if levy_on else []
    if levy_on:
        rate = parameter_figure(rules, "penalty.ftp.levy_notice_monthly_rate", levy_on)
        wait = rules.parameters.integer("penalty.ftp.levy_notice_days", levy_on)
        notes.append(f"assumes the notice of intent to levy on {levy_on.isoformat()} (estimated): the failure-to-pay "
                     f"rate rises to {format_rate(rate.amount)} a month from the month starting more than {wait} days "
                     f"later ({rate.source})")
    if sim.assumption:
        notes.append(sim.assumption)
    path = sim.path(list(horizons), extra)
    points = tuple(ProjectedBalance(days, on, engine_figure(amount, on, "if nothing is paid"))
                   for days, (on, amount) in zip(horizons, path, strict=True))
    chart_days = list(range(CHART_STEP_DAYS, last + 1, CHART_STEP_DAYS))
    chart = ((today, sim.start_balance), *sim.path(chart_days, extra))
    series = BalanceSeries(chart, ENGINE_RULE, "recomputed by the balancedue engine if nothing is paid",
                           "; ".join(notes))
    balance_now = engine_figure(sim.start_balance, today, "balance due today")
    lien_threshold = parameter_figure(rules, "collection.lien.filing_practice_threshold", today)
    if balance_now.amount >= lien_threshold.amount:
        lien_risk = (f"a lien already exists by law after notice and demand (IRC 6321); at {format_money(balance_now.amount)} "
                     "the IRS generally files a public notice of federal tax lien")
    else:
        lien_risk = (f"a lien exists by law after notice and demand (IRC 6321); below "
                     f"{format_money(lien_threshold.amount)} the IRS generally does not file a public notice")
    return DoNothingProjection(
        today=today,
        balance_now=balance_now,
        points=points,
        series=series,
        notices=notices,
        levy_notice_assumed_on=levy_on,
        lien_threshold=lien_threshold,
        lien_risk=lien_risk,
        levy_risk=_levy_risk(stage, notices, rules, today),
        passport=passport_check(balance_now, rules, today),
        statute_end=statute_end(today, rules, csed=csed, assessed_on=assessed_on),
        notes=tuple(notes),
    )


def passport_check(balance: CitedAmount, rules: RuleSet, on: date) -> PassportCheck:
    """The balance against the passport certification threshold in force on ``on``."""
    try:
        threshold = parameter_figure(rules, "collection.passport.seriously_delinquent_threshold", on)
    except DateOutsideRulesError:
        return PassportCheck(balance, None, None, "the threshold for this date is not in the data")
    above = balance.amount > threshold.amount
    note = ("above the threshold: the IRS can certify the debt once a lien was filed and hearing rights lapsed, "
            "or a levy was issued, unless an agreement, an offer or a hearing is pending" if above
            else "below the threshold")
    return PassportCheck(balance, threshold, above, note)


def statute_end(today: date, rules: RuleSet, *, csed: date | None = None,
                assessed_on: date | None = None) -> StatuteEnd | None:
    """The CSED as given, or estimated from the assessment date (suspensions extend it)."""
    if csed is not None:
        return StatuteEnd(csed, False, (csed - today).days, "from the account transcript or notice")
    if assessed_on is None:
        return None
    years = rules.parameters.integer("collection.csed.years", assessed_on)
    end = add_months(assessed_on, years * 12)
    return StatuteEnd(end, True, (end - today).days,
                      f"estimated: {years} years after assessment (IRC 6502); offers, hearings, bankruptcy and time "
                      "abroad suspend it")
