"""What the engine returns: totals on a date and one line per computation step.

The totals are worked out when the statement is made; the lines and the one-sentence reasons
that explain them are written out the first time someone reads them (most callers that project
many accounts read only the totals).  Either way they are the same lines and the same words.
"""

from __future__ import annotations

from collections.abc import Callable
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


class Explanation:
    """A statement's lines and reasons, written out on first use by ``build`` and then kept.

    ``build`` returns the lines and the reasons; it runs at most once.  Two explanations are
    equal when their lines and reasons are.
    """

    __slots__ = ("_build", "_lines", "_why")

    def __init__(self, build: Callable[[], tuple[tuple[Line, ...], dict[str, str]]] | None = None) -> None:
        self._build = build
        self._lines: tuple[Line, ...] = ()
        self._why: dict[str, str] = {}

    @classmethod
    def of(cls, lines: tuple[Line, ...] = (), why: dict[str, str] | None = None) -> Explanation:
        """An explanation already written out."""
        made = cls()
        made._lines, made._why = lines, why if why is not None else {}
        return made

    def _written(self) -> None:
        build = self._build
        if build is not None:
            self._lines, self._why = build()
            self._build = None

    @property
    def lines(self) -> tuple[Line, ...]:
        """One line per computation step, in date order."""
        self._written()
        return self._lines

    @property
    def why(self) -> dict[str, str]:
        """Each figure's reason in one sentence, keyed by the figure."""
        self._written()
        return self._why

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Explanation):
            return NotImplemented
        return (self.lines, self.why) == (other.lines, other.why)

    __hash__ = None  # type: ignore[assignment]  # equal by content, which is not hashable

    def __repr__(self) -> str:
        return f"Explanation(lines={self.lines!r}, why={self.why!r})"


@dataclass(frozen=True, slots=True)
class Statement:
    """An account recomputed as of one date.

    ``tax``, ``failure_to_file``, ``failure_to_pay`` and ``interest`` are the totals charged (net
    of abatements); ``payments`` is every payment and credit applied; ``balance`` is what is
    owed (negative: a credit).  ``lines`` and ``why`` explain them (``explanation``).
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
    explanation: Explanation = field(default_factory=Explanation.of)
    notes: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[Line, ...]:
        """One line per computation step, in date order (see :class:`Explanation`)."""
        return self.explanation.lines

    @property
    def why(self) -> dict[str, str]:
        """Each figure's reason in one sentence, keyed by ``failure_to_file``, ``failure_to_pay``
        and ``interest`` (see :class:`Explanation`)."""
        return self.explanation.why

    @property
    def penalties(self) -> Decimal:
        """Failure-to-file plus failure-to-pay."""
        return self.failure_to_file + self.failure_to_pay
