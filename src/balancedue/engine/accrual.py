"""The interest pass of the ledger: daily-compounded interest between balance changes.

Given what the penalty pass decided (the tax, the failure-to-file addition, the monthly
failure-to-pay charges and where every payment went), this walks the account from the payment
due date to the as-of date.  Between two dates where the balance changes, the interest-bearing
balance is constant and its interest is ``balance * (factor - 1)`` with the exact compound
factor; the amount is rounded to the cent there, as the IRS rounds at each computation date.

What bears interest, and from when:

* unpaid tax, from the payment due date (IRC 6601(a); every assessment of the period);
* the failure-to-file addition, from the filing due date including extensions (6601(e)(2)(B));
* failure-to-pay, from the date of notice and demand, unless the amount demanded is paid within
  the grace period (6601(e)(2)(A)); each notice demands what accrued up to its date;
* accrued, unpaid interest (daily compounding, 6622(a)).

An amount demanded by a notice and paid in full within the grace period (21 calendar days, or
10 business days at or above the large-amount threshold) draws no interest after the notice
date (6601(e)(3)): those payments count from the notice date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from balancedue.engine.interest import (
    FACTOR_CONTEXT,
    FactoredRun,
    daily_factor_reference,
    factored_runs,
)
from balancedue.engine.law import MEMO_LIMIT, AccountLaw, rules_memo
from balancedue.engine.money import CENT, ONE, ZERO, quantize_cents
from balancedue.engine.penalties import MonthCharge
from balancedue.engine.statement import Line, LineKind
from balancedue.rules import RateTable, RuleSet

INTEREST_RULE = "IRC 6601(a); 6621(a)(2) rate; 6622(a) daily compounding"


@dataclass(slots=True)
class Payment:
    """A payment as the interest pass sees it: when it counts and where it went."""

    when: date
    amount: Decimal
    to_tax: Decimal
    to_ftf: Decimal
    to_ftp: Decimal
    rest: Decimal
    index: int


@dataclass(slots=True)
class InterestSegment:
    """Interest on ``base`` from the day after ``start`` through ``end``: ``amount``, rounded to
    the cent, over ``runs`` (its lines are written out from these when they are asked for)."""

    start: date
    end: date
    base: Decimal
    amount: Decimal
    runs: Sequence[FactoredRun]


@dataclass(slots=True)
class Accrual:
    """What the interest pass found.  ``entries`` are its steps in order: a segment of
    interest, or a line (a balance carried from a notice, an abatement of interest)."""

    total: Decimal = ZERO
    abated: Decimal = ZERO
    paid: Decimal = ZERO
    entries: list[InterestSegment | Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pulled: dict[int, date] = field(default_factory=dict)  # payment index -> notice date

    def lines(self, rates: RateTable) -> list[Line]:
        """One line per step, and per rate run and year of each segment of interest; the lines
        of a segment add up exactly to its rounded amount."""
        lines: list[Line] = []
        for entry in self.entries:
            if isinstance(entry, InterestSegment):
                _segment_lines(entry, rates, lines)
            else:
                lines.append(entry)
        return lines


@dataclass(slots=True)
class _Chunk:
    """Failure-to-pay demanded by one notice: the cumulative range [low, high) of charges."""

    notice: date
    low: Decimal
    high: Decimal
    bears_interest: bool


# Order of actions on the same day.
_START, _FTF, _PAY, _CARRY, _NOTICE, _LATE_PAY, _ABATE, _END = range(8)

NOTICE_BALANCE_RULE = "the amount printed on the notice (IRC 6303 notice and demand)"


def grace_period_end(rules: RuleSet, notice: date, demanded: Decimal, prefix: str = "interest.notice_demand") -> date:
    """Last day to pay an amount demanded on ``notice`` within the period the law allows after a
    notice and demand: 21 calendar days, or 10 business days at or above the large-amount
    threshold (IRC 6601(e)(3) for interest, 6651(a)(3) for the failure-to-pay penalty).  A
    last day on a Saturday, Sunday or legal holiday moves to the next business day (IRC 7503).

    The one function the engine's grace window and the report's deadlines both use.  The
    threshold and both last days are kept per rules data, prefix and notice date.
    """
    memo = rules_memo(rules, "grace_period_end")
    key = (prefix, notice)
    known: _Grace | None = memo.get(key)
    if known is None:
        known = _Grace(rules.parameters.decimal(f"{prefix}.large_amount_threshold", notice))
        if len(memo) < MEMO_LIMIT:
            memo[key] = known
    if demanded >= known.threshold:
        if known.large is None:
            days = rules.parameters.integer(f"{prefix}.grace_business_days_large", notice)
            known.large = rules.calendar.add_business_days(notice, days)
        return known.large
    if known.small is None:
        days = rules.parameters.integer(f"{prefix}.grace_days", notice)
        known.small = rules.calendar.next_business_day(notice + timedelta(days=days))
    return known.small


@dataclass(slots=True)
class _Grace:
    """The large-amount threshold on a notice date and the last day to pay below and above it."""

    threshold: Decimal
    small: date | None = None
    large: date | None = None


@dataclass(slots=True, eq=False)
class _Action:
    """A date where the balance may change; actions act in the order of :func:`_in_order`."""

    day: date
    order: int
    seq: int
    kind: str
    payment: Payment | None = None
    amount: Decimal | None = None


def _in_order(action: _Action) -> tuple[date, int, int]:
    return action.day, action.order, action.seq


def accrue_interest(
    *,
    law: AccountLaw,
    due: date,
    filing_due: date,
    as_of: date,
    tax_total: Decimal,
    ftf_amount: Decimal,
    charges: Sequence[MonthCharge],
    payments: Sequence[Payment],
    notices: Sequence[date],
    interest_abatements: Sequence[tuple[date, Decimal | None]],
    carried: Sequence[tuple[date, Decimal]] = (),
    daily_reference: bool = False,
) -> Accrual:
    """Walk the account from ``due`` to ``as_of`` and accrue interest."""
    if as_of <= due:
        return Accrual()
    actions = _actions(due, filing_due, as_of, ftf_amount, payments, notices, interest_abatements, carried)
    walk = _Walk(law, due, tax_total, ftf_amount, charges, payments, daily_reference)
    index = 0
    while index < len(actions):  # a notice may move later payments back to its date
        walk.take(actions, index)
        index += 1
    return walk.result


def _actions(
    due: date,
    filing_due: date,
    as_of: date,
    ftf_amount: Decimal,
    payments: Sequence[Payment],
    notices: Sequence[date],
    interest_abatements: Sequence[tuple[date, Decimal | None]],
    carried: Sequence[tuple[date, Decimal]],
) -> list[_Action]:
    """Every date where the interest-bearing balance may change, in the order they act."""
    actions: list[_Action] = [_Action(due, _START, 0, "start"), _Action(as_of, _END, 0, "end")]
    if ftf_amount > ZERO:
        actions.append(_Action(max(filing_due, due), _FTF, 0, "ftf"))
    for payment in payments:
        actions.append(_Action(max(payment.when, due), _PAY, payment.index, "pay", payment))
    for seq, notice in enumerate(notices):
        actions.append(_Action(max(notice, due), _NOTICE, seq, "notice"))
    for seq, (day, amount) in enumerate(interest_abatements):
        actions.append(_Action(max(day, due), _ABATE, seq, "abate", amount=amount))
    for seq, (day, amount) in enumerate(carried):
        actions.append(_Action(max(day, due), _CARRY, seq, "carry", amount=amount))
    return sorted((a for a in actions if a.day <= as_of), key=_in_order)


class _Walk:
    """The interest-bearing balance as the walk goes from date to date."""

    def __init__(self, law: AccountLaw, due: date, tax_total: Decimal, ftf_amount: Decimal,
                 charges: Sequence[MonthCharge], payments: Sequence[Payment], daily_reference: bool) -> None:
        self.law, self.charges, self.payments, self.daily_reference = law, charges, payments, daily_reference
        self.ftf_amount = ftf_amount
        self.result = Accrual()
        self.tax = tax_total
        self.ftf = ZERO
        self.ftf_active = False
        self.ftp_paid = ZERO
        self.chunks: list[_Chunk] = []
        self.accrued = ZERO
        self.credit = ZERO
        self.segment_start = due

    def ftp_bearing(self) -> Decimal:
        return sum(
            (max(ZERO, c.high - max(c.low, self.ftp_paid)) for c in self.chunks if c.bears_interest), ZERO
        )

    def balance(self) -> Decimal:
        return self.tax + (self.ftf if self.ftf_active else ZERO) + self.ftp_bearing() + self.accrued - self.credit

    def close_segment(self, day: date) -> None:
        """Accrue and round the interest since the last balance change, up to ``day``."""
        if day > self.segment_start:
            amount = _accrue_segment(self.law, self.segment_start, day, self.balance(), self.result,
                                     self.daily_reference)
            self.accrued += amount
            self.result.total += amount
        self.segment_start = day

    def take(self, actions: list[_Action], index: int) -> None:
        """Apply ``actions[index]``."""
        action = actions[index]
        if action.kind == "ftf":
            self.close_segment(action.day)
            self.ftf_active = True
            self.ftf = self.ftf_amount
        elif action.kind == "pay" and action.payment is not None and action.payment.amount > ZERO:
            self._pay(action.day, action.payment)
        elif action.kind == "notice":
            self._notice(actions, index)
        elif action.kind == "carry" and action.amount is not None:
            self._carry(action.day, action.amount)
        elif action.kind == "abate":
            self._abate(action.day, action.amount)
        elif action.kind == "end":
            self.close_segment(action.day)

    def _pay(self, day: date, paid: Payment) -> None:
        self.close_segment(day)
        self.tax -= paid.to_tax
        self.ftf -= paid.to_ftf
        self.ftp_paid += paid.to_ftp
        take = min(paid.rest, self.accrued)
        self.accrued -= take
        self.result.paid += take
        self.credit += paid.rest - take

    def _notice(self, actions: list[_Action], index: int) -> None:
        # A notice changes the balance only when it makes failure-to-pay bear interest; the
        # amount it demands includes the interest to its date, rounded as the notice would.
        day = actions[index].day
        pending = ZERO
        if day > self.segment_start:
            pending = _interest_between(self.law, self.segment_start, day, self.balance(), self.daily_reference)
        demanded_ftp = sum((c.amount_started_by(day) for c in self.charges), ZERO)
        low = self.chunks[-1].high if self.chunks else ZERO
        demanded = (
            self.tax + (self.ftf if self.ftf_active else ZERO) + max(ZERO, demanded_ftp - self.ftp_paid)
            + self.accrued + pending - self.credit
        )
        window_end = _grace_end(self.law, day, demanded)
        if demanded_ftp > low:
            paid_in_time = sum((p.to_ftp for p in self.payments if p.when <= window_end), ZERO)
            bears = paid_in_time < demanded_ftp
            if bears:
                self.close_segment(day)
            self.chunks.append(_Chunk(day, low, demanded_ftp, bears))
        _pull_payments_within_grace(actions, index, day, window_end, demanded, self.result)

    def _carry(self, day: date, amount: Decimal) -> None:
        # The part of a notice's balance that the events do not explain: carried as printed,
        # it bears interest from the notice date like accrued interest, never failure-to-pay.
        self.close_segment(day)
        self.accrued += amount
        self.result.total += amount
        self.result.entries.append(
            Line(LineKind.NOTICE_BALANCE, day, day, amount, NOTICE_BALANCE_RULE,
                     "the notice", note="the notice's balance less what the known events explain; "
                     "it bears interest from the notice date (IRC 6601(e)(2), 6622)")
        )

    def _abate(self, day: date, amount: Decimal | None) -> None:
        self.close_segment(day)
        take = min(self.accrued, amount if amount is not None else self.accrued)
        self.accrued -= take
        self.result.abated += take
        self.result.entries.append(
            Line(LineKind.ABATEMENT, day, day, -take, "IRC 6404(e)/(h)", "abatement of interest",
                     note="interest abated")
        )


def _grace_end(law: AccountLaw, notice: date, demanded: Decimal) -> date:
    """Last day of the interest-free period after a notice and demand (IRC 6601(e)(3), 7503)."""
    return grace_period_end(law.rules, notice, demanded)


def _pull_payments_within_grace(
    actions: list[_Action], index: int, notice: date, window_end: date, demanded: Decimal, result: Accrual
) -> None:
    """If payments within the grace period cover the amount demanded, count them from the notice."""
    if demanded <= ZERO:
        return
    pending = [
        a for a in actions[index + 1 :] if a.kind == "pay" and notice < a.day <= window_end and a.payment is not None
    ]
    if sum((a.payment.amount for a in pending if a.payment is not None), ZERO) < demanded:
        return
    for action in pending:
        actions.remove(action)
        action.day = notice
        action.order = _LATE_PAY
        if action.payment is not None:
            result.pulled[action.payment.index] = notice
    actions[index + 1 :] = sorted([*pending, *actions[index + 1 :]], key=_in_order)
    result.notes.append(
        f"The amount demanded on {notice.isoformat()} was paid in full by {window_end.isoformat()}: "
        "no interest after the notice date on it (IRC 6601(e)(3))."
    )


def _interest_between(
    law: AccountLaw, start: date, end: date, base: Decimal, daily_reference: bool
) -> Decimal:
    """Interest on ``base`` for the days after ``start`` through ``end``, rounded, not recorded."""
    if base <= ZERO:
        return ZERO
    rates = law.rules.rates
    if daily_reference:
        factor = daily_factor_reference(rates, start, end)
    else:
        factor = ONE
        for item in factored_runs(rates, start, end):
            factor = FACTOR_CONTEXT.multiply(factor, item.factor)
    return quantize_cents(base * (factor - ONE))


def _accrue_segment(
    law: AccountLaw, start: date, end: date, base: Decimal, result: Accrual, daily_reference: bool
) -> Decimal:
    """Interest on ``base`` from the day after ``start`` through ``end``, rounded to the cent and
    recorded as a segment of ``result``."""
    if base <= ZERO:
        return ZERO
    rates = law.rules.rates
    runs = factored_runs(rates, start, end)
    if daily_reference:
        factor = daily_factor_reference(rates, start, end)
    else:
        factor = ONE
        for item in runs:
            factor = FACTOR_CONTEXT.multiply(factor, item.factor)
    amount = quantize_cents(base * (factor - ONE))
    result.entries.append(InterestSegment(start, end, base, amount, runs))
    return amount


def _segment_lines(segment: InterestSegment, rates: RateTable, lines: list[Line]) -> None:
    """One line per rate run and year of ``segment``; the lines add up exactly to its amount."""
    base, amount, runs = segment.base, segment.amount, segment.runs
    running = ONE
    allocated = ZERO
    last = len(runs) - 1
    label_on = rates.label_on
    for position, (run, run_factor, days, year_days) in enumerate(runs):
        before = running
        running = running * run_factor
        if position == last:
            share = amount - allocated
        else:
            share = (base * (running - ONE)).quantize(CENT, ROUND_HALF_UP) - allocated
        allocated += share
        first = run.first
        lines.append(
            Line(
                LineKind.INTEREST,
                first,
                run.last,
                share,
                INTEREST_RULE,
                label_on(first),
                (base * before).quantize(CENT, ROUND_HALF_UP),
                run.annual_rate,
                days,
                None,
                f"compounded daily, rate/{year_days}",
            )
        )
