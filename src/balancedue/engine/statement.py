"""What the engine returns: totals on a date and one line per computation step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class LineKind(StrEnum):
    """The kind of computation step a line records."""

    TAX = "tax"
    CREDIT = "credit"
    PAYMENT = "payment"
    FAILURE_TO_FILE = "failure_to_file"
    FAILURE_TO_FILE_REDUCTION = "failure_to_file_reduction"
    FAILURE_TO_FILE_MINIMUM = "failure_to_file_minimum"
    FAILURE_TO_PAY = "failure_to_pay"
    INTEREST = "interest"
    ABATEMENT = "abatement"
    NOTICE_BALANCE = "notice_balance"


@dataclass(frozen=True, slots=True)
class Line:
    """One step of the computation, with the rule and the source behind it.

    ``rate`` is the annual rate for interest lines and the monthly rate for penalty lines.
    ``base`` is the amount the rate was applied to.  ``amount`` is rounded to cents; the
    interest lines of one segment add up exactly to the interest rounded for that segment.
    """

    kind: LineKind
    start: date | None
    end: date | None
    amount: Decimal
    rule: str
    source: str
    base: Decimal | None = None
    rate: Decimal | None = None
    days: int | None = None
    months: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Unpaid:
    """What is still owed of each part of the balance."""

    tax: Decimal
    failure_to_file: Decimal
    failure_to_pay: Decimal
    interest: Decimal


@dataclass(frozen=True, slots=True)
class Statement:
    """An account recomputed as of one date.

    ``tax``, ``failure_to_file``, ``failure_to_pay`` and ``interest`` are the totals charged (net
    of abatements); ``payments`` is every payment and credit applied; ``balance`` is what is
    owed (negative: a credit).
    """

    as_of: date
    form: str
    tax_year: int
    return_due_date: date
    filing_due_date: date
    tax: Decimal
    failure_to_file: Decimal
    failure_to_pay: Decimal
    interest: Decimal
    payments: Decimal
    balance: Decimal
    unpaid: Unpaid
    lines: tuple[Line, ...]
    why: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def penalties(self) -> Decimal:
        """Failure-to-file plus failure-to-pay."""
        return self.failure_to_file + self.failure_to_pay
