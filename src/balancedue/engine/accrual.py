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
from decimal import Decimal

from balancedue.engine.interest import compound_factor, daily_factor_reference, rate_runs
from balancedue.engine.law import AccountLaw
from balancedue.engine.money import ONE, ZERO, quantize_cents
from balancedue.engine.penalties import MonthCharge
from balancedue.engine.statement import Line, LineKind

INTEREST_RULE = "IRC 6601(a); 6621(a)(2) rate; 6622(a) daily compounding"


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment as the interest pass sees it: when it counts and where it went."""

    when: date
    amount: Decimal
    to_tax: Decimal
    to_ftf: Decimal
    to_ftp: Decimal
    rest: Decimal
    index: int


@dataclass
class Accrual:
    """What the interest pass found."""

    total: Decimal = ZERO
    abated: Decimal = ZERO
    paid: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pulled: dict[int, date] = field(default_factory=dict)  # payment index -> notice date


@dataclass
class _Chunk:
    """Failure-to-pay demanded by one notice: the cumulative range [low, high) of charges."""

    notice: date
    low: Decimal
    high: Decimal
    bears_interest: bool


# Order of actions on the same day.
_START, _FTF, _PAY, _NOTICE, _LATE_PAY, _ABATE, _END = range(7)


@dataclass(order=True)
class _Action:
    day: date
    order: int
    seq: int
    kind: str = field(compare=False)
    payment: Payment | None = field(default=None, compare=False)
    amount: Decimal | None = field(default=None, compare=False)


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
    daily_reference: bool = False,
) -> Accrual:
    """Walk the account from ``due`` to ``as_of`` and accrue interest."""
    result = Accrual()
    if as_of <= due:
        return result
    actions: list[_Action] = [_Action(due, _START, 0, "start"), _Action(as_of, _END, 0, "end")]
    if ftf_amount > ZERO:
        actions.append(_Action(max(filing_due, due), _FTF, 0, "ftf"))
    for payment in payments:
        actions.append(_Action(max(payment.when, due), _PAY, payment.index, "pay", payment))
    for seq, notice in enumerate(notices):
        actions.append(_Action(max(notice, due), _NOTICE, seq, "notice"))
    for seq, (day, amount) in enumerate(interest_abatements):
        actions.append(_Action(max(day, due), _ABATE, seq, "abate", amount=amount))
    actions = sorted(a for a in actions if a.day <= as_of)

    tax = tax_total
    ftf = ZERO
    ftf_active = False
    ftp_paid = ZERO
    chunks: list[_Chunk] = []
    accrued = ZERO
    credit = ZERO

    def ftp_bearing() -> Decimal:
        return sum(
            (max(ZERO, c.high - max(c.low, ftp_paid)) for c in chunks if c.bears_interest), ZERO
        )

    def balance() -> Decimal:
        return tax + (ftf if ftf_active else ZERO) + ftp_bearing() + accrued - credit

    previous: date | None = None
    index = 0
    while index < len(actions):
        action = actions[index]
        if previous is not None and action.day > previous:
            amount = _accrue_segment(law, previous, action.day, balance(), result, daily_reference)
            accrued += amount
            result.total += amount
        previous = action.day
        if action.kind == "ftf":
            ftf_active = True
            ftf = ftf_amount
        elif action.kind == "pay" and action.payment is not None:
            paid = action.payment
            tax -= paid.to_tax
            ftf -= paid.to_ftf
            ftp_paid += paid.to_ftp
            take = min(paid.rest, accrued)
            accrued -= take
            result.paid += take
            credit += paid.rest - take
        elif action.kind == "notice":
            demanded_ftp = sum((c.amount for c in charges if c.start <= action.day), ZERO)
            low = chunks[-1].high if chunks else ZERO
            demanded = tax + (ftf if ftf_active else ZERO) + max(ZERO, demanded_ftp - ftp_paid) + accrued - credit
            window_end = _grace_end(law, action.day, demanded)
            if demanded_ftp > low:
                paid_in_time = sum(
                    (p.to_ftp for p in payments if p.when <= window_end), ZERO
                )
                chunks.append(_Chunk(action.day, low, demanded_ftp, paid_in_time < demanded_ftp))
            _pull_payments_within_grace(actions, index, action.day, window_end, demanded, result)
        elif action.kind == "abate":
            take = min(accrued, action.amount if action.amount is not None else accrued)
            accrued -= take
            result.abated += take
            result.lines.append(
                Line(LineKind.ABATEMENT, action.day, action.day, -take, "IRC 6404(e)/(h)", "abatement of interest",
                     note="interest abated")
            )
        index += 1
    return result


def _grace_end(law: AccountLaw, notice: date, demanded: Decimal) -> date:
    """Last day of the interest-free period after a notice and demand (IRC 6601(e)(3))."""
    threshold = law.value("interest.notice_demand.large_amount_threshold", notice)
    if demanded >= threshold:
        days = law.days("interest.notice_demand.grace_business_days_large", notice)
        return law.rules.calendar.add_business_days(notice, days)
    return notice + timedelta(days=law.days("interest.notice_demand.grace_days", notice))


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
    actions[index + 1 :] = sorted([*pending, *actions[index + 1 :]])
    result.notes.append(
        f"The amount demanded on {notice.isoformat()} was paid in full by {window_end.isoformat()}: "
        "no interest after the notice date on it (IRC 6601(e)(3))."
    )


def _accrue_segment(
    law: AccountLaw, start: date, end: date, base: Decimal, result: Accrual, daily_reference: bool
) -> Decimal:
    """Interest on ``base`` from the day after ``start`` through ``end``, rounded to the cent.

    One line per rate run and year; the lines add up exactly to the rounded amount.
    """
    if base <= ZERO:
        return ZERO
    rates = law.rules.rates
    runs = rate_runs(rates, start, end)
    factor = daily_factor_reference(rates, start, end) if daily_reference else compound_factor(runs)
    amount = quantize_cents(base * (factor - ONE))
    running = ONE
    allocated = ZERO
    for position, run in enumerate(runs):
        before = running
        running = running * run.factor()
        if position == len(runs) - 1:
            share = amount - allocated
        else:
            share = quantize_cents(base * (running - ONE)) - allocated
        allocated += share
        period = rates.period_on(run.first)
        best = min(period.sources, key=lambda s: s.verification.rank)
        result.lines.append(
            Line(
                kind=LineKind.INTEREST,
                start=run.first,
                end=run.last,
                amount=share,
                rule=INTEREST_RULE,
                source=f"{period.quarter} rate {period.rate_percent}%: {best.short()}",
                base=quantize_cents(base * before),
                rate=run.annual_rate,
                days=run.days,
                note=f"compounded daily, rate/{run.year_days}",
            )
        )
    return amount
