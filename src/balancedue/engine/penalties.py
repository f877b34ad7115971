"""Failure-to-file and failure-to-pay additions (IRC 6651), month by month.

* Failure to pay, 6651(a)(2) and (a)(3): a monthly rate on the tax unpaid at the beginning of each
  month or fraction of a month (6651(b)(2), (b)(3)); 0.5% normally, 0.25% for months in which an
  installment agreement is in effect for a timely filed individual return (6651(h)), 1% for
  months beginning more than 10 days after a notice of intent to levy (6651(d)); the monthly
  rates add up to at most 25% (the aggregate cap).  Each month's charge is rounded to the cent.
* Failure to file, 6651(a)(1): 5% of the net amount due (6651(b)(1)) for each month or fraction
  the return is late, at most 25%, reduced by the (a)(2) charge of each month both apply
  (6651(c)(1)), and for a return more than 60 days late at least the lesser of the minimum
  amount for the year or the net amount due (flush language of 6651(a)); the reduction may not
  take it below that minimum.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from balancedue.engine.dates import month_end, month_start, months_or_fraction
from balancedue.engine.law import AccountLaw
from balancedue.engine.money import ZERO, format_money, format_rate, quantize_cents


@dataclass(slots=True)
class MonthCharge:
    """Failure-to-pay for a run of consecutive months with one base and one rate.

    Months are numbered from ``anchor`` (month 1 begins the day after it).  ``per_month`` is the
    charge of each month of the run, rounded to the cent.
    """

    paragraph: str  # "(a)(2)" for tax shown on the return, "(a)(3)" for a later assessment
    piece: int  # 0: the return's tax; 1, 2, ...: later assessments in order
    anchor: date
    first_month: int
    months: int
    base: Decimal
    rate: Decimal
    per_month: Decimal
    rule: str
    source: str

    @property
    def last_month(self) -> int:
        """Number of the run's last month."""
        return self.first_month + self.months - 1

    @property
    def amount(self) -> Decimal:
        """The run's total charge."""
        return self.per_month * self.months

    @property
    def start(self) -> date:
        """First day of the run's first month."""
        return month_start(self.anchor, self.first_month)

    @property
    def end(self) -> date:
        """Last day of the run's last month."""
        return month_end(self.anchor, self.last_month)

    def started_by(self, day: date) -> int:
        """How many of the run's months have begun on or before ``day``."""
        begun = months_or_fraction(self.anchor, day)
        return max(0, min(self.months, begun - self.first_month + 1))

    def amount_started_by(self, day: date) -> Decimal:
        """The charge of the run's months that have begun on or before ``day``."""
        return self.per_month * self.started_by(day)

    def contains_month(self, number: int) -> bool:
        """True when month ``number`` is in the run."""
        return self.first_month <= number <= self.last_month


@dataclass(frozen=True, slots=True)
class AgreementSpan:
    """An installment agreement in effect from ``start`` to ``end`` (open when ``None``)."""

    start: date
    end: date | None

    def in_effect_on(self, day: date) -> bool:
        """True when the agreement is in effect on ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


class PaidTimeline:
    """Cumulative payments applied to one tax assessment, by date."""

    def __init__(self, items: Sequence[tuple[date, Decimal]]) -> None:
        ordered = sorted(items)
        self._dates = [d for d, _ in ordered]
        totals: list[Decimal] = []
        running = ZERO
        for _, amount in ordered:
            running += amount
            totals.append(running)
        self._totals = totals

    @property
    def dates(self) -> list[date]:
        """Dates of the payments, oldest first."""
        return self._dates

    def paid_before(self, day: date) -> Decimal:
        """Total applied strictly before ``day``."""
        index = bisect.bisect_left(self._dates, day)
        return self._totals[index - 1] if index else ZERO


@dataclass(slots=True)
class MonthlyRate:
    """The monthly failure-to-pay rate for a month, and why."""

    rate: Decimal
    rule: str
    source: str


def failure_to_pay_rate(
    month_begins: date,
    law: AccountLaw,
    agreements: Sequence[AgreementSpan],
    levy_notices: Sequence[date],
    timely_filed: bool,
) -> MonthlyRate:
    """The rate for the month that begins on ``month_begins``.

    An agreement counts for a month when it is in effect on the month's first day.  When an
    agreement and an earlier levy notice both apply, the agreement's 0.25% is used.
    """
    if timely_filed and any(a.in_effect_on(month_begins) for a in agreements):
        rule_id = "penalty.ftp.installment_agreement_monthly_rate"
        return MonthlyRate(law.value(rule_id, month_begins), "IRC 6651(h)", law.cite(rule_id, month_begins))
    for notice in levy_notices:
        wait = law.days("penalty.ftp.levy_notice_days", notice)
        if month_begins > notice + timedelta(days=wait):
            rule_id = "penalty.ftp.levy_notice_monthly_rate"
            return MonthlyRate(law.value(rule_id, month_begins), "IRC 6651(d)", law.cite(rule_id, month_begins))
    rule_id = "penalty.ftp.monthly_rate"
    return MonthlyRate(law.value(rule_id, month_begins), "", law.cite(rule_id, month_begins))


def _first_month_starting_after(anchor: date, day: date) -> int:
    """Number of the first month (counted from ``anchor``) that begins after ``day``."""
    return months_or_fraction(anchor, day) + 1


def _months_that_change(
    anchor: date,
    paid: PaidTimeline,
    law: AccountLaw,
    agreements: Sequence[AgreementSpan],
    levy_notices: Sequence[date],
) -> set[int]:
    """The months (counted from ``anchor``) whose base or rate may differ from the month before:
    the first, those after a payment, an agreement's start and end, and a levy notice's wait."""
    one_day = timedelta(days=1)
    changes = {1}
    for day in paid.dates:
        changes.add(_first_month_starting_after(anchor, day))
    for agreement in agreements:
        changes.add(_first_month_starting_after(anchor, agreement.start - one_day))
        if agreement.end is not None:
            changes.add(_first_month_starting_after(anchor, agreement.end))
    for notice in levy_notices:
        wait = law.days("penalty.ftp.levy_notice_days", notice)
        changes.add(_first_month_starting_after(anchor, notice + timedelta(days=wait)))
    return changes


def failure_to_pay_charges(
    *,
    paragraph: str,
    piece: int,
    amount: Decimal,
    anchor: date,
    through: date,
    paid: PaidTimeline,
    law: AccountLaw,
    agreements: Sequence[AgreementSpan],
    levy_notices: Sequence[date],
    timely_filed: bool,
    abated_through: date | None = None,
) -> list[MonthCharge]:
    """Charges for one assessment from ``anchor`` (exclusive) through ``through``, as runs.

    The base of a month is the amount less payments made before the month began (6651(b)(2):
    "paid on or before the beginning of such month"; (b)(3): "before the beginning").  A payment
    made on a month's first day is made during that month, which is a fraction of a month of
    failure, so it lowers only the next month's base; this keeps the month count the same as
    the "month or fraction thereof" count of 6651(a).  Months that begin on or before
    ``abated_through`` are abated (charged nothing, though they count toward the cap).

    Base and rate change only at payments, agreement starts and ends, levy notices and the
    abatement date, so months are handled in runs between those dates, not one by one.
    """
    total = months_or_fraction(anchor, through)
    if amount <= ZERO or total == 0:
        return []
    first_charged = 1 if abated_through is None else _first_month_starting_after(anchor, abated_through)
    changes = _months_that_change(anchor, paid, law, agreements, levy_notices) | {first_charged}
    bounds = [*sorted(k for k in changes if 1 <= k <= total), total + 1]
    cap = law.value("penalty.ftp.max_rate", anchor)
    used = ZERO
    runs: list[MonthCharge] = []
    for first, following in itertools.pairwise(bounds):
        if used >= cap:
            break
        begins = month_start(anchor, first)
        base = amount - paid.paid_before(begins)
        if base <= ZERO:
            break  # paid in full: no later month can be charged
        monthly = failure_to_pay_rate(begins, law, agreements, levy_notices, timely_filed)
        count = following - first
        whole = min(count, int((cap - used) / monthly.rate))
        pieces = [(first, whole, monthly.rate)] if whole else []
        leftover = cap - used - monthly.rate * whole
        if whole < count and leftover > ZERO:
            pieces.append((first + whole, 1, leftover))  # the month that reaches the cap
        for start_month, months, rate in pieces:
            used += rate * months
            if start_month + months - 1 < first_charged:
                continue
            if start_month < first_charged:
                months -= first_charged - start_month
                start_month = first_charged
            runs.append(
                MonthCharge(
                    paragraph=paragraph,
                    piece=piece,
                    anchor=anchor,
                    first_month=start_month,
                    months=months,
                    base=base,
                    rate=rate,
                    per_month=quantize_cents(base * rate),
                    rule=f"IRC 6651{paragraph}, (b)" + (f"; {monthly.rule}" if monthly.rule else ""),
                    source=monthly.source,
                )
            )
    return runs


@dataclass(slots=True)
class FailureToFile:
    """The failure-to-file addition and how it was reached (``why`` says it in one sentence)."""

    months: int
    base: Decimal
    rate: Decimal
    gross: Decimal
    reduction: Decimal
    minimum: Decimal | None
    amount: Decimal
    first_month_starts: date
    last_month_ends: date
    source: str
    minimum_source: str
    filing_due: date
    filed: date
    late_months: int
    minimum_applied: bool  # the minimum for a return more than 60 days late decided the amount

    @property
    def why(self) -> str:
        """How the addition was reached, in one sentence."""
        why = (
            f"Return due {self.filing_due.isoformat()} was filed {self.filed.isoformat()}: {self.late_months} "
            f"month(s) or part-months late. {format_rate(self.rate)} a month for {self.months} month(s) of the "
            f"{format_money(self.base)} not paid by the due date = {format_money(self.gross)}"
        )
        if self.reduction:
            why += f", less the failure-to-pay charged for the same months {format_money(self.reduction)}"
        if self.minimum is not None and self.minimum_applied:
            why += (
                f"; the return was more than 60 days late, so the minimum of {format_money(self.minimum)} "
                "applies (the lesser of the year's minimum and the amount due)"
            )
        if self.reduction or self.minimum is not None:
            why += f"; failure to file = {format_money(self.amount)}"
        return why + " (IRC 6651(a)(1), (b)(1), (c)(1))."


def failure_to_file(
    *,
    filing_due: date,
    filed: date,
    timely_through: date,
    original_due: date,
    net_amount_due: Decimal,
    law: AccountLaw,
    overlap_charge: Callable[[date], Decimal],
) -> FailureToFile | None:
    """The 6651(a)(1) addition for a return due ``filing_due`` and filed ``filed``.

    ``overlap_charge(day)`` returns the (a)(2) charge of the failure-to-pay month that contains
    ``day`` (zero when none).  ``None`` when the return was timely or nothing was due.
    """
    if filed <= timely_through or net_amount_due <= ZERO:
        return None
    rate_id = "penalty.ftf.monthly_rate"
    monthly = law.value(rate_id, filing_due)
    cap = law.value("penalty.ftf.max_rate", filing_due)
    late_months = months_or_fraction(filing_due, filed)
    months = min(late_months, int(cap / monthly))
    gross = net_amount_due * monthly * months
    reduction = sum((overlap_charge(month_start(filing_due, m)) for m in range(1, months + 1)), ZERO)
    amount = gross - reduction
    minimum: Decimal | None = None
    minimum_source = ""
    if (filed - filing_due).days > law.days("penalty.ftf.minimum_days_late", filing_due):
        floor_id = "penalty.ftf.minimum_amount"
        minimum = min(law.value(floor_id, original_due), net_amount_due)
        minimum_source = law.cite(floor_id, original_due)
        amount = max(amount, minimum)
    amount = quantize_cents(amount)
    minimum_applied = minimum is not None and amount == quantize_cents(minimum) and minimum > gross - reduction
    return FailureToFile(
        months=months,
        base=net_amount_due,
        rate=monthly,
        gross=quantize_cents(gross),
        reduction=reduction,
        minimum=minimum,
        amount=amount,
        first_month_starts=month_start(filing_due, 1),
        last_month_ends=month_end(filing_due, months),
        source=law.cite(rate_id, filing_due),
        minimum_source=minimum_source,
        filing_due=filing_due,
        filed=filed,
        late_months=late_months,
        minimum_applied=minimum_applied,
    )
