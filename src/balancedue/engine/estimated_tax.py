"""The IRC 6654 addition for underpaid estimated tax, figured the way Form 2210 Part IV does.

The regular method (Form 2210, Part IV) works one required installment at a time:

* Section A: each installment's underpayment is the required installment less what was paid
  by its due date, after earlier underpayments have been paid off.  A payment always goes to
  the earliest unpaid installment first, whatever the payer designated (IRC 6654(b)(3)); an
  overpayment of one installment carries forward to the next.  Withholding counts as paid in
  equal parts on the due dates unless the actual dates are given (IRC 6654(g)).
* Section B: each underpayment runs from its due date to the date it is paid, or to the
  15th day of the 4th month after the tax year if that is earlier (IRC 6654(b)(2)), at the
  IRC 6621 underpayment rate, as simple interest (IRC 6622(b): no daily compounding).

Lines follow the form: one line per underpayment portion and rate period.  A rate period ends
where the rate changes, or where the divisor changes between a 365-day and a 366-day year;
quarters with the same rate share one period, except on forms that give every calendar quarter
its own period (the 2011 worksheet does; the 2005, 2007 and 2010 forms do not), which the rules
data records per tax year.  Within a rate period a portion paid during the period gets its own
line (days to the payment date); what is still unpaid at the period's end is one line (days to
the period's end).  Days are counted from the day after the line's start date through its end
date ("the number of days from 4/15 to 6/15" is 61).  Each line is
``underpayment x days / days-in-year x rate``, rounded to the cent (half up), and the penalty
is the sum of the rounded lines.  Publication 505 (Rev. February 2006), Figure 4-B, and
Publication 505 (2008), Figure 4-C, are reproduced to the cent this way.

For the 6654 addition only, the rate of the 3rd month after the tax year also covers the first
15 days of the 4th month (IRC 6621(b)(2)(B)): April 1-15 keeps the January-March rate.

Weekend and holiday due dates (IRC 7503): a payment made after a due date that fell on a
Saturday, Sunday or legal holiday, but no later than the next business day, is treated as made
on the due date.  A payment made later still counts its days from the nominal due date, as
the form prints it.

Not covered here: the exceptions of IRC 6654(e) (tax after withholding under the threshold,
no liability in the prior year), waivers, the January 31 filing rule of IRC 6654(h), and the
Schedule AI computation itself (annualized installments are taken as given).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from balancedue.engine.dates import add_months, days_in_year
from balancedue.engine.money import ZERO, quantize_cents, truncate_cents
from balancedue.errors import InputError, RulesDataError
from balancedue.rules.loader import RuleSet
from balancedue.rules.rates import RatePeriod
from balancedue.rules.sources import Source

DUE_DATE_RULE = "estimated_tax.installment_{number}.due_month_day"
INSTALLMENT_FRACTION_RULE = "estimated_tax.installment_fraction"
PENALTY_END_RULE = "estimated_tax.penalty_end_month_day"
EXTENSION_MONTH_RULE = "estimated_tax.q1_rate_extension_month"
EXTENSION_DAYS_RULE = "estimated_tax.q1_rate_extension_days"
QUARTERLY_LAYOUT_RULE = "estimated_tax.form2210.quarterly_rate_periods"

LINE_CITATION = (
    "IRC 6654(a)-(b); Form 2210 Part IV Section B: underpayment x days / days in year x rate "
    "(IRC 6621(a)(2)), simple interest (IRC 6622(b))"
)
EXTENSION_CITATION = (
    "IRC 6621(b)(2)(B): the rate of the 3rd month after the tax year also covers days 1-15 "
    "of the 4th month"
)
NOT_APPLIED_NOTE = (
    "Not applied: the exceptions of IRC 6654(e) (small balance after withholding, no prior-year "
    "liability), waivers, and the January 31 filing rule of IRC 6654(h)."
)


@dataclass(frozen=True)
class DatedAmount:
    """An amount paid (or withheld) on a date."""

    date: date
    amount: Decimal


@dataclass(frozen=True)
class EstimatedTaxInput:
    """What Form 2210 Part IV needs.

    Give either ``required_installments`` (one per due date; the annualized amounts of
    Schedule AI, line 25, go here) or ``required_annual_payment`` (Form 2210 line 9, split in
    equal installments).  ``installment_due_dates`` defaults to the dates in the rules data.
    ``withholding`` is deemed paid in equal parts on the due dates unless
    ``withholding_dates`` gives the actual dates.  ``paid_in_full_date`` is when whatever was
    still unpaid got paid (an installment falling due after it counts as paid on time); the
    penalty never runs past the 15th day of the 4th month after the tax year in any case.
    """

    tax_year: int
    required_installments: tuple[Decimal, ...] | None = None
    required_annual_payment: Decimal | None = None
    installment_due_dates: tuple[date, ...] | None = None
    withholding: Decimal = ZERO
    withholding_dates: tuple[DatedAmount, ...] | None = None
    payments: tuple[DatedAmount, ...] = ()
    paid_in_full_date: date | None = None


@dataclass(frozen=True)
class InstallmentResult:
    """Form 2210 Part IV Section A for one installment."""

    number: int
    due_date: date
    timely_through: date
    required: Decimal
    paid_by_due_date: Decimal
    underpayment: Decimal
    overpayment: Decimal


@dataclass(frozen=True)
class PenaltyLine:
    """One line of Section B: an underpayment portion over one rate period.

    The interest runs for the ``days`` days after ``from_date`` through ``to_date``.
    """

    installment: int
    due_date: date
    underpayment: Decimal
    from_date: date
    to_date: date
    days: int
    annual_rate: Decimal
    days_in_year: int
    amount: Decimal
    citation: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class EstimatedTaxResult:
    """The penalty (sum of the rounded lines), with the lines and installments behind it."""

    tax_year: int
    penalty: Decimal
    penalty_stops: date
    installments: tuple[InstallmentResult, ...]
    lines: tuple[PenaltyLine, ...]
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _RatePiece:
    start: date
    end: date
    annual_rate: Decimal
    days_in_year: int
    extended: bool
    sources: tuple[Source, ...]
    quarter: date


@dataclass
class _Open:
    """An installment's underpayment not yet paid off."""

    index: int
    remaining: Decimal


@dataclass(frozen=True)
class _Credit:
    effective: date
    amount: Decimal


def default_due_dates(tax_year: int, rules: RuleSet) -> tuple[date, ...]:
    """The installment due dates of the rules data for a calendar tax year, in order.

    The year rolls over when a month-day comes before the previous one (January 15 of the
    following year).
    """
    on = date(tax_year, 1, 1)
    dates: list[date] = []
    number = 1
    year = tax_year
    while DUE_DATE_RULE.format(number=number) in rules.parameters:
        month, day = rules.parameters.month_day(DUE_DATE_RULE.format(number=number), on)
        candidate = date(year, month, day)
        if dates and candidate <= dates[-1]:
            year += 1
            candidate = date(year, month, day)
        dates.append(candidate)
        number += 1
    return tuple(dates)


def penalty_end_date(tax_year: int, rules: RuleSet) -> date:
    """The 15th day of the 4th month after the tax year: the penalty never runs past it."""
    month, day = rules.parameters.month_day(PENALTY_END_RULE, date(tax_year, 1, 1))
    return date(tax_year + 1, month, day)


def split_equally(
    total: Decimal, parts: int, fraction: Decimal | None = None
) -> tuple[Decimal, ...]:
    """``total x fraction`` (default ``total / parts``) cut to whole cents for each part; the
    last part takes the rest.

    The parts always add up to ``total`` exactly, and none is negative.
    """
    exact = total * fraction if fraction is not None else total / parts
    share = truncate_cents(exact)
    head = [share] * (parts - 1)
    return (*head, total - sum(head, ZERO))


def compute_estimated_tax_penalty(inp: EstimatedTaxInput, rules: RuleSet) -> EstimatedTaxResult:
    """The IRC 6654 addition by the Form 2210 Part IV regular method."""
    due_dates = inp.installment_due_dates or default_due_dates(inp.tax_year, rules)
    _check_due_dates(due_dates)
    required = _required_installments(inp, len(due_dates), rules)
    end_of_penalty = penalty_end_date(inp.tax_year, rules)
    if due_dates[-1] > end_of_penalty:
        raise InputError(
            f"installment_due_dates: {due_dates[-1].isoformat()} is after the date the penalty "
            f"stops ({end_of_penalty.isoformat()})"
        )
    stop = min(inp.paid_in_full_date or end_of_penalty, end_of_penalty)
    timely = tuple(rules.calendar.next_business_day(due) for due in due_dates)
    notes: list[str] = []
    credits = _credits(inp, due_dates, timely, notes)

    summaries, paid = _figure_underpayments(due_dates, timely, required, credits, stop)
    lines = _penalty_lines(due_dates, paid, stop, inp.tax_year, rules)
    notes.append(NOT_APPLIED_NOTE)
    return EstimatedTaxResult(
        tax_year=inp.tax_year,
        penalty=sum((line.amount for line in lines), ZERO),
        penalty_stops=stop,
        installments=summaries,
        lines=tuple(lines),
        notes=tuple(notes),
    )


def _figure_underpayments(
    due_dates: Sequence[date],
    timely: Sequence[date],
    required: Sequence[Decimal],
    credits: Sequence[_Credit],
    stop: date,
) -> tuple[tuple[InstallmentResult, ...], list[list[tuple[date, Decimal]]]]:
    """Form 2210 Part IV Section A, and when (and how much of) each underpayment was paid.

    Returns the installment summaries and, per installment, the portions of its underpayment
    as (date paid, amount); what is still unpaid at ``stop`` is paid on ``stop``.
    """
    open_items: list[_Open] = []
    paid: list[list[tuple[date, Decimal]]] = [[] for _ in due_dates]
    carried = ZERO
    summaries: list[InstallmentResult] = []
    pending = [c for c in credits if c.effective <= stop]
    cursor = 0
    for index, due in enumerate(due_dates):
        while cursor < len(pending) and pending[cursor].effective <= due:
            carried = _apply(pending[cursor], carried, open_items, paid)
            cursor += 1
        if due > stop:
            # The balance was paid in full before this installment fell due.
            summaries.append(
                InstallmentResult(
                    index + 1, due, timely[index], required[index], required[index], ZERO, ZERO
                )
            )
            continue
        on_time = min(carried, required[index])
        short = required[index] - on_time
        carried -= on_time
        if short > ZERO:
            open_items.append(_Open(index, short))
        summaries.append(
            InstallmentResult(
                index + 1, due, timely[index], required[index], on_time, short, carried
            )
        )
    for credit in pending[cursor:]:
        carried = _apply(credit, carried, open_items, paid)
    for item in open_items:
        paid[item.index].append((stop, item.remaining))
    return tuple(summaries), paid


def _check_due_dates(due_dates: Sequence[date]) -> None:
    if not due_dates:
        raise InputError("installment_due_dates: at least one due date is needed")
    for before, after in itertools.pairwise(due_dates):
        if after <= before:
            raise InputError(
                f"installment_due_dates: {after.isoformat()} is not after {before.isoformat()}; "
                "list the due dates in order"
            )


def _required_installments(
    inp: EstimatedTaxInput, count: int, rules: RuleSet
) -> tuple[Decimal, ...]:
    if (inp.required_installments is None) == (inp.required_annual_payment is None):
        raise InputError(
            "give either required_installments or required_annual_payment, not both or neither"
        )
    if inp.required_installments is not None:
        if len(inp.required_installments) != count:
            raise InputError(
                f"required_installments: {len(inp.required_installments)} amounts for "
                f"{count} due dates; give one amount per due date"
            )
        if any(amount < ZERO for amount in inp.required_installments):
            raise InputError("required_installments: amounts must not be negative")
        return inp.required_installments
    annual = inp.required_annual_payment
    assert annual is not None
    if annual < ZERO:
        raise InputError("required_annual_payment must not be negative")
    fraction = rules.parameters.decimal(INSTALLMENT_FRACTION_RULE, date(inp.tax_year, 1, 1))
    return split_equally(annual, count, fraction)


def _credits(
    inp: EstimatedTaxInput,
    due_dates: Sequence[date],
    timely: Sequence[date],
    notes: list[str],
) -> list[_Credit]:
    """Every payment and withholding amount with the date it counts as paid, in date order."""
    credits: list[_Credit] = []
    if inp.withholding < ZERO or any(w.amount < ZERO for w in inp.withholding_dates or ()):
        raise InputError("withholding must not be negative")
    if inp.withholding_dates is not None:
        credits.extend(_Credit(w.date, w.amount) for w in inp.withholding_dates)
    elif inp.withholding > ZERO:
        parts = split_equally(inp.withholding, len(due_dates))
        credits.extend(_Credit(due, part) for due, part in zip(due_dates, parts, strict=True))
    for payment in inp.payments:
        if payment.amount < ZERO:
            raise InputError(
                f"payment of {payment.date.isoformat()}: the amount must not be negative"
            )
        effective = payment.date
        for due, last_timely in zip(due_dates, timely, strict=True):
            if due < payment.date <= last_timely:
                effective = due
                notes.append(
                    f"The payment of {payment.amount} on {payment.date.isoformat()} counts as made "
                    f"on the due date {due.isoformat()}: the due date was not a business day and "
                    "the payment was made by the next business day (IRC 7503)."
                )
        credits.append(_Credit(effective, payment.amount))
    credits.sort(key=lambda c: c.effective)
    return credits


def _apply(
    credit: _Credit,
    carried: Decimal,
    open_items: list[_Open],
    paid: list[list[tuple[date, Decimal]]],
) -> Decimal:
    """Pay the earliest open underpayments first (IRC 6654(b)(3)); return the new carry."""
    left = credit.amount
    while left > ZERO and open_items:
        item = open_items[0]
        used = min(left, item.remaining)
        paid[item.index].append((credit.effective, used))
        item.remaining -= used
        left -= used
        if item.remaining == ZERO:
            open_items.pop(0)
    return carried + left


def _penalty_lines(
    due_dates: Sequence[date],
    paid: Sequence[Sequence[tuple[date, Decimal]]],
    stop: date,
    tax_year: int,
    rules: RuleSet,
) -> list[PenaltyLine]:
    underpaid = [index for index, portions in enumerate(paid) if portions]
    if not underpaid:
        return []
    first_day = due_dates[underpaid[0]] + timedelta(days=1)
    if first_day > stop:
        return []
    pieces = rate_pieces(first_day, stop, tax_year, rules)
    lines: list[PenaltyLine] = []
    for index in underpaid:
        lines.extend(_lines_for_installment(index + 1, due_dates[index], paid[index], pieces))
    return lines


def _lines_for_installment(
    number: int,
    due: date,
    portions: Sequence[tuple[date, Decimal]],
    pieces: Sequence[_RatePiece],
) -> Iterable[PenaltyLine]:
    for piece in pieces:
        if piece.end <= due:
            continue
        start = max(due, piece.start - timedelta(days=1))
        paid_within: dict[date, Decimal] = {}
        through = ZERO
        for paid_on, amount in portions:
            if paid_on <= start:
                continue
            if paid_on <= piece.end:
                paid_within[paid_on] = paid_within.get(paid_on, ZERO) + amount
            else:
                through += amount
        ends = [(paid_on, paid_within[paid_on]) for paid_on in sorted(paid_within)]
        if through > ZERO:
            ends.append((piece.end, through))
        for end, amount in ends:
            if amount == ZERO:
                continue
            days = (end - start).days
            citation = LINE_CITATION + ("; " + EXTENSION_CITATION if piece.extended else "")
            yield PenaltyLine(
                installment=number,
                due_date=due,
                underpayment=amount,
                from_date=start,
                to_date=end,
                days=days,
                annual_rate=piece.annual_rate,
                days_in_year=piece.days_in_year,
                amount=quantize_cents(amount * days * piece.annual_rate / piece.days_in_year),
                citation=citation,
                sources=piece.sources,
            )


def rate_pieces(first: date, last: date, tax_year: int, rules: RuleSet) -> list[_RatePiece]:
    """The Form 2210 rate periods covering the charged days ``first``..``last``.

    Quarters with equal rates share one period, unless the form of that tax year gives every
    quarter its own (``estimated_tax.form2210.quarterly_rate_periods``); the 6621(b)(2)(B)
    days keep the rate of the 3rd month after the tax year and belong to that quarter's
    period; a period is split at a year end only where the divisor changes (365 or 366).
    """
    ext_start, ext_end = extension_window(tax_year, rules)
    per_quarter = _quarterly_layout(tax_year, rules)
    raw: list[_RatePiece] = []
    for period in rules.rates.periods_between(first, last):
        span = (max(first, period.start), min(last, period.end))
        for start, end in _cut(*span, ext_start, ext_end):
            if ext_start <= start <= ext_end:
                kept: RatePeriod = rules.rates.period_on(ext_start - timedelta(days=1))
                extension_source = rules.parameters.source(EXTENSION_DAYS_RULE, ext_start)
                piece = _RatePiece(
                    start,
                    end,
                    kept.annual_rate,
                    days_in_year(start.year),
                    True,
                    (*kept.sources, extension_source),
                    kept.start,
                )
            else:
                piece = _RatePiece(
                    start,
                    end,
                    period.annual_rate,
                    days_in_year(start.year),
                    False,
                    period.sources,
                    period.start,
                )
            raw.append(piece)
    merged: list[_RatePiece] = []
    for piece in raw:
        previous = merged[-1] if merged else None
        if previous is not None and _share_a_period(previous, piece, per_quarter):
            merged[-1] = _RatePiece(
                previous.start,
                piece.end,
                piece.annual_rate,
                piece.days_in_year,
                previous.extended or piece.extended,
                _unique((*previous.sources, *piece.sources)),
                previous.quarter,
            )
        else:
            merged.append(piece)
    return merged


def _share_a_period(previous: _RatePiece, piece: _RatePiece, per_quarter: bool) -> bool:
    same_terms = (previous.annual_rate, previous.days_in_year) == (
        piece.annual_rate,
        piece.days_in_year,
    )
    return same_terms and (not per_quarter or previous.quarter == piece.quarter)


def _quarterly_layout(tax_year: int, rules: RuleSet) -> bool:
    value = rules.parameters.integer(QUARTERLY_LAYOUT_RULE, date(tax_year, 1, 1))
    if value not in (0, 1):
        raise RulesDataError(
            "parameters.yaml", f"{QUARTERLY_LAYOUT_RULE} must be 0 or 1, not {value}"
        )
    return value == 1


def extension_window(tax_year: int, rules: RuleSet) -> tuple[date, date]:
    """First and last day that keep the rate of the 3rd month after the tax year.

    IRC 6621(b)(2)(B): for a calendar year, April 1-15 of the following year.
    """
    after_year = date(tax_year + 1, 1, 1)
    month = rules.parameters.integer(EXTENSION_MONTH_RULE, after_year)
    start = add_months(date(tax_year, 12, 1), month)
    days = rules.parameters.integer(EXTENSION_DAYS_RULE, start)
    return start, start + timedelta(days=days - 1)


def _cut(start: date, end: date, ext_start: date, ext_end: date) -> list[tuple[date, date]]:
    """Split ``start``..``end`` at the extension window's edges and at every January 1."""
    cuts = {ext_start, ext_end + timedelta(days=1)}
    cuts.update(date(year, 1, 1) for year in range(start.year + 1, end.year + 1))
    pieces: list[tuple[date, date]] = []
    cursor = start
    for cut in sorted(c for c in cuts if start < c <= end):
        pieces.append((cursor, cut - timedelta(days=1)))
        cursor = cut
    pieces.append((cursor, end))
    return pieces


def _unique(sources: Iterable[Source]) -> tuple[Source, ...]:
    seen: list[Source] = []
    for source in sources:
        if source not in seen:
            seen.append(source)
    return tuple(seen)
