"""Payments applied to an account: tax oldest assessment first, then penalties, then interest,
unless a payment carries a written designation (Rev. Proc. 2002-26)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from balancedue.engine.dates import month_start, months_or_fraction
from balancedue.engine.money import ZERO
from balancedue.engine.penalties import MonthCharge
from balancedue.engine.scenario import Component, EventType


@dataclass(slots=True)
class TaxPiece:
    """One tax assessment: the return's tax (index 0) or a later one."""

    index: int
    assessed: date
    amount: Decimal
    notice: date | None


@dataclass(slots=True)
class AppliedPayment:
    """A payment or credit, with where it went."""

    index: int
    kind: EventType
    actual: date
    when: date  # the date it counts from (due date when timely)
    amount: Decimal
    designation: Component | None
    to_tax: list[tuple[int, Decimal]] = field(default_factory=list)
    to_ftf: Decimal = ZERO
    to_ftp: Decimal = ZERO
    rest: Decimal = ZERO  # to interest, then a credit
    applied_on: date | None = None  # the notice date, when paid in full within its grace period

    @property
    def tax_total(self) -> Decimal:
        return sum((amount for _, amount in self.to_tax), ZERO)


class _Allocator:
    """Applies payments in date order: designation first, then tax (oldest first), penalties."""

    def __init__(self, pieces: Sequence[TaxPiece], ftf: Decimal, filing_due: date, charges: Sequence[MonthCharge]):
        self.pieces = pieces
        self.unpaid = {p.index: p.amount for p in pieces}
        self.ftf_left = ftf
        self.filing_due = filing_due
        # Charges by the day their first month begins: a payment only owes the runs begun by then.
        self.charges = sorted(charges, key=lambda c: c.start)
        self.starts = [c.start for c in self.charges]
        self.ftp_paid = ZERO
        # Payments come in date order, so the runs begun are kept as the days go by: those with
        # every month begun are summed once; only the others are counted month by month.
        self._day: date | None = None
        self._next = 0
        self._active: list[tuple[date, MonthCharge]] = []  # (the day its last month begins, run)
        self._complete = ZERO

    def ftp_started_by(self, day: date) -> Decimal:
        """Failure-to-pay of every month begun on or before ``day``."""
        if self._day is not None and day < self._day:
            return self._partial(self.charges[: bisect.bisect_right(self.starts, day)], day)
        self._day = day
        while self._next < len(self.charges) and self.starts[self._next] <= day:
            charge = self.charges[self._next]
            self._next += 1
            self._active.append((month_start(charge.anchor, charge.last_month), charge))
        still: list[tuple[date, MonthCharge]] = []
        for last_begins, charge in self._active:
            if last_begins <= day:
                self._complete += charge.amount
            else:
                still.append((last_begins, charge))
        self._active = still
        return self._complete + self._partial([charge for _, charge in still], day)

    @staticmethod
    def _partial(charges: Sequence[MonthCharge], day: date) -> Decimal:
        counted: dict[date, int] = {}  # months begun by ``day``, per anchor
        total = ZERO
        for charge in charges:
            months = counted.get(charge.anchor)
            if months is None:
                months = counted[charge.anchor] = months_or_fraction(charge.anchor, day)
            total += charge.per_month * max(0, min(charge.months, months - charge.first_month + 1))
        return total

    def to_penalties(self, pay: AppliedPayment, money: Decimal) -> Decimal:
        on = pay.applied_on or pay.when
        ftf_due = self.ftf_left if on > self.filing_due else ZERO
        take = min(money, ftf_due)
        pay.to_ftf += take
        self.ftf_left -= take
        money -= take
        ftp_due = self.ftp_started_by(on) - self.ftp_paid
        take = min(money, ftp_due)
        pay.to_ftp += take
        self.ftp_paid += take
        return money - take

    def to_tax(self, pay: AppliedPayment, money: Decimal) -> Decimal:
        for piece in self.pieces:
            take = min(money, self.unpaid[piece.index])
            if take > ZERO:
                pay.to_tax.append((piece.index, take))
                self.unpaid[piece.index] -= take
                money -= take
        return money

    def apply(self, pay: AppliedPayment) -> None:
        pay.to_tax, pay.to_ftf, pay.to_ftp, pay.rest = [], ZERO, ZERO, ZERO
        left = pay.amount
        if pay.designation is Component.INTEREST:
            pay.rest = left  # settled in the interest pass; any excess becomes a credit
            return
        if pay.designation is Component.PENALTY:
            left = self.to_penalties(pay, left)
        left = self.to_tax(pay, left)
        pay.rest = self.to_penalties(pay, left)


def allocate(
    pays: Sequence[AppliedPayment],
    pieces: Sequence[TaxPiece],
    ftf: Decimal,
    filing_due: date,
    charges: Sequence[MonthCharge],
) -> None:
    """Apply every payment (Rev. Proc. 2002-26 order unless designated)."""
    allocator = _Allocator(pieces, ftf, filing_due, charges)
    for pay in sorted(pays, key=lambda p: (p.applied_on or p.when, p.index)):
        allocator.apply(pay)
