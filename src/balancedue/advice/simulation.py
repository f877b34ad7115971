"""Payment plans simulated with the engine: the engine, not this module, charges the interest and
the failure-to-pay penalty (0.25% a month while an installment agreement is in effect, IRC
6651(h); 0.5% otherwise).

A plan is the account's scenario plus an ``installment_agreement`` event on the day the plan
starts and one ``payment`` event a month.  :func:`simulate_plan` finds how many payments pay the
balance off (the engine is run as of each candidate last payment; the balance falls month by
month, so a bisection finds the first month it reaches zero) and trims the last payment so the
balance ends at exactly zero.  :func:`minimum_payment` finds the smallest whole-dollar payment
that pays within a term.

Projections past the last published underpayment rate carry that rate forward (the IRS resets
it each quarter); the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from balancedue.advice.figures import whole_dollars_up
from balancedue.engine import Event, EventType, Scenario, Statement, compute
from balancedue.engine.dates import add_months
from balancedue.engine.money import ZERO
from balancedue.rules import RatePeriod, RateTable, RuleSet, Source, Verification

SERIES_POINTS = 24  # most points of a chart line (plus the start and the end)
MAX_SEARCH_ROUNDS = 12


@dataclass(frozen=True)
class ProjectionRules:
    """Rules for a projection to ``until`` and, when the rate table had to be extended, why."""

    rules: RuleSet
    assumption: str | None


def rules_for_projection(rules: RuleSet, until: date) -> ProjectionRules:
    """``rules`` with the underpayment rate table carried forward to ``until`` if it ends before.

    The added quarters repeat the last published rate and cite that assumption (unverified).
    """
    table = rules.rates
    if until <= table.last_day:
        return ProjectionRules(rules, None)
    last = table.periods[-1]
    assumption = (
        f"underpayment rate after {table.last_day.isoformat()} assumed to stay at the last published "
        f"rate ({last.quarter}, {last.rate_percent}%); the IRS resets it every quarter"
    )
    source = Source(
        citation=f"Projection assumption: the {last.quarter} rate of {last.rate_percent}% continues",
        verification=Verification.UNVERIFIED,
        note=assumption,
    )
    periods = list(table.periods)
    start = table.last_day + timedelta(days=1)
    while start <= until:
        end = add_months(start, 3) - timedelta(days=1)
        periods.append(RatePeriod(start=start, end=end, rate_percent=last.rate_percent,
                                  sources=(source,), source_keys=("ASSUMED",)))
        start = end + timedelta(days=1)
    return ProjectionRules(replace(rules, rates=RateTable(periods)), assumption)


def with_events(scenario: Scenario, extra: Sequence[Event]) -> Scenario:
    """The scenario with ``extra`` events merged in date order (existing events first on a tie)."""
    tagged = [(e.date, 0, i, e) for i, e in enumerate(scenario.events)]
    tagged += [(e.date, 1, i, e) for i, e in enumerate(extra)]
    ordered = [item[3] for item in sorted(tagged, key=lambda t: (t[0], t[1], t[2]))]
    return replace(scenario, events=tuple(replace(e, index=i) for i, e in enumerate(ordered)))


def payment_event(day: date, amount: Decimal) -> Event:
    """A plain payment (no written designation)."""
    return Event(date=day, type=EventType.PAYMENT, amount=amount)


def agreement_event(day: date) -> Event:
    """An installment agreement in effect from ``day`` (no end)."""
    return Event(date=day, type=EventType.INSTALLMENT_AGREEMENT)


def payment_dates(first: date, count: int) -> list[date]:
    """``count`` monthly dates starting with ``first`` (same day of the month, clamped)."""
    return [add_months(first, k) for k in range(count)]


@dataclass(frozen=True)
class PlanRun:
    """A simulated plan.

    ``months`` is ``None`` when ``max_months`` payments do not pay the balance; ``remaining`` is
    then what is left after the last of them.  ``payments`` lists the schedule (the last payment
    trimmed to what is due).  ``series`` is the balance after payments on sampled payment dates,
    starting with today's balance.
    """

    start: date
    start_balance: Decimal
    monthly_payment: Decimal
    payments: tuple[tuple[date, Decimal], ...]
    months: int | None
    total_paid: Decimal
    final_balance: Decimal
    remaining: Decimal
    series: tuple[tuple[date, Decimal], ...]
    agreement: bool
    assumption: str | None


class PlanSimulator:
    """Runs one account's plans with the engine; caches the rules extended for the horizon."""

    def __init__(self, scenario: Scenario, today: date, rules: RuleSet, horizon_months: int) -> None:
        self.scenario = scenario
        self.today = today
        self.horizon = add_months(today, horizon_months + 1)
        projected = rules_for_projection(rules, self.horizon)
        self.rules = projected.rules
        self.base_rules = rules
        self.assumption = projected.assumption
        self._after: dict[tuple[Decimal, int, bool], Decimal] = {}
        self.start_balance = self.balance(scenario, today)

    def statement(self, scenario: Scenario, as_of: date) -> Statement:
        """The engine's statement of ``scenario`` as of ``as_of``."""
        return compute(scenario, as_of, rules=self.rules)

    def balance(self, scenario: Scenario, as_of: date) -> Decimal:
        """The balance of ``scenario`` as of ``as_of``."""
        return self.statement(scenario, as_of).balance

    def _plan(self, amounts: Sequence[tuple[date, Decimal]], agreement: bool) -> Scenario:
        events = [payment_event(day, amount) for day, amount in amounts]
        if agreement:
            events.insert(0, agreement_event(self.today))
        return with_events(self.scenario, events)

    def balance_after(self, monthly: Decimal, count: int, agreement: bool) -> Decimal:
        """The balance right after the ``count``-th monthly payment of ``monthly``.

        The searches for a payment and for a term ask for the same plan more than once; each is
        run by the engine only the first time.
        """
        key = (monthly, count, agreement)
        if key not in self._after:
            dates = payment_dates(add_months(self.today, 1), count)
            plan = self._plan([(day, monthly) for day in dates], agreement)
            self._after[key] = self.balance(plan, dates[-1])
        return self._after[key]

    def simulate(self, monthly: Decimal, max_months: int, *, agreement: bool = True) -> PlanRun:
        """Pay ``monthly`` each month from one month after today until the balance is paid."""
        first = add_months(self.today, 1)
        start = self.start_balance
        if start <= ZERO or monthly <= ZERO:
            return PlanRun(self.today, start, monthly, (), 0 if start <= ZERO else None, ZERO,
                           start, max(start, ZERO), ((self.today, start),), agreement, self.assumption)
        after_max = self.balance_after(monthly, max_months, agreement)
        if after_max > ZERO:
            dates = payment_dates(first, max_months)
            schedule = tuple((day, monthly) for day in dates)
            series = self._series(schedule, agreement)
            return PlanRun(self.today, start, monthly, schedule, None, monthly * max_months,
                           after_max, after_max, series, agreement, self.assumption)
        low, high, high_balance = 0, max_months, after_max  # balance after `low` payments is > 0
        while high - low > 1:
            middle = (low + high) // 2
            left = self.balance_after(monthly, middle, agreement)
            if left <= ZERO:
                high, high_balance = middle, left
            else:
                low = middle
        dates = payment_dates(first, high)
        last = monthly + high_balance  # high_balance <= 0 is the overpayment of the last month
        schedule = (*tuple((day, monthly) for day in dates[:-1]), (dates[-1], last))
        plan = self._plan(schedule, agreement)
        final = self.balance(plan, dates[-1])
        series = self._series(schedule, agreement, plan)
        total = sum((amount for _, amount in schedule), ZERO)
        return PlanRun(self.today, start, monthly, schedule, high, total, final, ZERO, series,
                       agreement, self.assumption)

    def _series(self, schedule: Sequence[tuple[date, Decimal]], agreement: bool,
                plan: Scenario | None = None) -> tuple[tuple[date, Decimal], ...]:
        plan = plan or self._plan(schedule, agreement)
        count = len(schedule)
        stride = max(1, -(-count // SERIES_POINTS))
        picks = list(range(stride - 1, count, stride))
        if count and picks[-1] != count - 1:
            picks.append(count - 1)
        points = [(self.today, self.start_balance)]
        points += [(schedule[i][0], self.balance(plan, schedule[i][0])) for i in picks]
        return tuple(points)

    def minimum_payment(self, term_months: int, *, agreement: bool = True) -> Decimal:
        """The smallest whole-dollar monthly payment that pays the balance within ``term_months``.

        Starts from the balance divided by the term (rounded up to the dollar), which cannot be
        too much by more than the interest and penalty; raises it by the shortfall the engine
        reports until the plan pays off, then bisects down to the smallest whole dollar.
        """
        start = self.start_balance
        if start <= ZERO:
            return ZERO
        base = whole_dollars_up(start / term_months)
        low = base - 1  # paying less than balance / term cannot pay the balance
        candidate = base
        for _ in range(MAX_SEARCH_ROUNDS):
            left = self.balance_after(candidate, term_months, agreement)
            if left <= ZERO:
                break
            low = candidate
            candidate += max((left / term_months).quantize(Decimal(1), rounding=ROUND_CEILING), Decimal(1))
        high = candidate
        while high - low > 1:
            middle = (low + high) // 2
            if self.balance_after(middle, term_months, agreement) <= ZERO:
                high = middle
            else:
                low = middle
        return whole_dollars_up(high)

    def path(self, days: Sequence[int], extra: Sequence[Event] = ()) -> tuple[tuple[date, Decimal], ...]:
        """Balances ``days`` after today with nothing paid (``extra`` events assumed)."""
        scenario = with_events(self.scenario, extra) if extra else self.scenario
        return tuple((self.today + timedelta(days=d), self.balance(scenario, self.today + timedelta(days=d)))
                     for d in days)


def months_until(start: date, end: date) -> int:
    """Whole monthly payment dates from one month after ``start`` up to ``end`` (at least 0)."""
    count = 0
    while add_months(start, count + 1) <= end:
        count += 1
    return count
