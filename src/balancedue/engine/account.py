"""Recompute an account (tax, failure-to-file, failure-to-pay, interest) as of a date.

The computation follows the order the law imposes:

1. Tax: the tax shown on the return plus later assessments, less tax abatements (which act
   from the start, as if the tax had never been owed).  Withholding is deemed paid on the due
   date (IRC 6513(b)); a payment made by the next business day after a due date that falls on a
   weekend or legal holiday counts as made on the due date (IRC 7503).
2. Payments are applied to tax, then penalties, then interest, unless a payment carries a
   written designation (Rev. Proc. 2002-26).  Tax is settled oldest assessment first.
3. Failure to pay (6651(a)(2), (a)(3)) month by month on the tax unpaid at each month's start,
   then failure to file (6651(a)(1)) with the (c)(1) reduction and the minimum.  Abatements of a
   penalty remove it, and with it the interest it drew.
4. Interest compounded daily (6601, 6621, 6622) on unpaid tax from the payment due date, on
   the failure-to-file addition from the filing due date including extensions
   (6601(e)(2)(B)), on failure-to-pay from notice and demand unless paid within the grace period
   (6601(e)(2)(A)), and on accrued interest.  An amount demanded and paid in full within the
   grace period draws no interest after the notice date (6601(e)(3)).  Interest is rounded to the
   cent at each date where the balance changes; across rate changes the factor is exact.

Decisions where the law or the IRS's practice is not settled are written in ``notes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from balancedue.engine.accrual import Payment, accrue_interest
from balancedue.engine.dates import months_or_fraction
from balancedue.engine.law import AccountLaw
from balancedue.engine.money import ZERO, format_money
from balancedue.engine.penalties import (
    AgreementSpan,
    FailureToFile,
    MonthCharge,
    PaidTimeline,
    failure_to_file,
    failure_to_pay_charges,
)
from balancedue.engine.scenario import Component, Event, EventType, Scenario
from balancedue.engine.statement import Line, LineKind, Statement, Unpaid
from balancedue.errors import InputError
from balancedue.rules import RuleSet

MAX_ALLOCATION_ROUNDS = 6
_KIND_ORDER = {kind: position for position, kind in enumerate(LineKind)}


@dataclass
class _Piece:
    """One tax assessment: the return's tax (index 0) or a later one."""

    index: int
    assessed: date
    amount: Decimal
    notice: date | None


@dataclass
class _Pay:
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


@dataclass(frozen=True)
class _Dates:
    due: date
    filing_due: date
    due_ok: date
    filing_ok: date


@dataclass(frozen=True)
class _Account:
    """What the penalty pass needs to know about the account as of one date."""

    pieces: Sequence[_Piece]
    pays: Sequence[_Pay]
    dates: _Dates
    as_of: date
    law: AccountLaw
    agreements: Sequence[AgreementSpan]
    levies: Sequence[date]
    filed_on: date | None
    timely_filed: bool


def _due_dates(scenario: Scenario, rules: RuleSet) -> _Dates:
    due = scenario.return_due_date
    if due is None:
        first_of_year = date(scenario.tax_year + 1, 1, 1)
        rules.rates.period_on(first_of_year)  # a tax year before the rate table: a clear error
        month, day = rules.parameters.month_day("filing.form_1040.due_month_day", first_of_year)
        due = date(scenario.tax_year + 1, month, day)
    filing_due = scenario.extended_due_date or due
    calendar = rules.calendar
    return _Dates(due, filing_due, calendar.next_business_day(due), calendar.next_business_day(filing_due))


class _Allocator:
    """Applies payments in date order: designation first, then tax (oldest first), penalties."""

    def __init__(self, pieces: Sequence[_Piece], ftf: Decimal, filing_due: date, charges: Sequence[MonthCharge]):
        self.pieces = pieces
        self.unpaid = {p.index: p.amount for p in pieces}
        self.ftf_left = ftf
        self.filing_due = filing_due
        self.charges = charges
        self.ftp_paid = ZERO

    def to_penalties(self, pay: _Pay, money: Decimal) -> Decimal:
        on = pay.applied_on or pay.when
        ftf_due = self.ftf_left if on > self.filing_due else ZERO
        take = min(money, ftf_due)
        pay.to_ftf += take
        self.ftf_left -= take
        money -= take
        ftp_due = sum((c.amount_started_by(on) for c in self.charges), ZERO) - self.ftp_paid
        take = min(money, ftp_due)
        pay.to_ftp += take
        self.ftp_paid += take
        return money - take

    def to_tax(self, pay: _Pay, money: Decimal) -> Decimal:
        for piece in self.pieces:
            take = min(money, self.unpaid[piece.index])
            if take > ZERO:
                pay.to_tax.append((piece.index, take))
                self.unpaid[piece.index] -= take
                money -= take
        return money

    def apply(self, pay: _Pay) -> None:
        pay.to_tax, pay.to_ftf, pay.to_ftp, pay.rest = [], ZERO, ZERO, ZERO
        left = pay.amount
        if pay.designation is Component.INTEREST:
            pay.rest = left  # settled in the interest pass; any excess becomes a credit
            return
        if pay.designation is Component.PENALTY:
            left = self.to_penalties(pay, left)
        left = self.to_tax(pay, left)
        pay.rest = self.to_penalties(pay, left)


def _allocate(
    pays: Sequence[_Pay],
    pieces: Sequence[_Piece],
    ftf: Decimal,
    filing_due: date,
    charges: Sequence[MonthCharge],
) -> None:
    """Apply every payment (Rev. Proc. 2002-26 order unless designated)."""
    allocator = _Allocator(pieces, ftf, filing_due, charges)
    for pay in sorted(pays, key=lambda p: (p.applied_on or p.when, p.index)):
        allocator.apply(pay)


def _ftp_charges(account: _Account, abated_through: date | None) -> list[MonthCharge]:
    law, pieces, pays, dates = account.law, account.pieces, account.pays, account.dates
    charges: list[MonthCharge] = []
    calendar = law.rules.calendar
    for piece in pieces:
        paid = PaidTimeline([(p.when, amt) for p in pays for idx, amt in p.to_tax if idx == piece.index])
        if piece.index == 0:
            anchor, paragraph = dates.due, "(a)(2)"
        else:
            notice = piece.notice or piece.assessed
            threshold = law.value("penalty.ftp.notice_demand.large_amount_threshold", notice)
            if piece.amount >= threshold:
                anchor = calendar.add_business_days(
                    notice, law.days("penalty.ftp.notice_demand.grace_business_days_large", notice)
                )
            else:
                anchor = notice + timedelta(days=law.days("penalty.ftp.notice_demand.grace_days", notice))
            paragraph = "(a)(3)"
        charges.extend(
            failure_to_pay_charges(
                paragraph=paragraph,
                piece=piece.index,
                amount=piece.amount,
                anchor=anchor,
                through=account.as_of,
                paid=paid,
                law=law,
                agreements=account.agreements,
                levy_notices=account.levies,
                timely_filed=account.timely_filed,
                abated_through=abated_through,
            )
        )
    charges.sort(key=lambda c: (c.start, c.piece))
    return charges


def _reduce_charges(charges: list[MonthCharge], amount: Decimal) -> list[MonthCharge]:
    """Abate ``amount`` of failure-to-pay, oldest month first."""
    kept: list[MonthCharge] = []
    for run in charges:
        if amount <= ZERO:
            kept.append(run)
            continue
        whole = min(run.months, int(amount / run.per_month)) if run.per_month > ZERO else run.months
        amount -= run.per_month * whole
        rest = run.months - whole
        if rest and amount > ZERO:
            kept.append(replace(run, first_month=run.first_month + whole, months=1, per_month=run.per_month - amount))
            amount = ZERO
            whole += 1
            rest -= 1
        if rest:
            kept.append(replace(run, first_month=run.first_month + whole, months=rest))
    return kept


@dataclass(frozen=True)
class _Settled:
    charges: list[MonthCharge]
    ftf: FailureToFile | None
    ftf_amount: Decimal


def _settle(account: _Account, ftp_abatements: Sequence[Event], ftf_abatements: Sequence[Event]) -> _Settled:
    """Penalties and payment allocation, repeated until the tax allocation stops changing.

    Failure-to-pay depends on the tax unpaid at each month's start, and (through designated
    payments that overflow) the tax paid can depend on the penalties: a few rounds settle it.
    """
    pieces, pays, dates, law = account.pieces, account.pays, account.dates, account.law
    abated_through = max((e.date for e in ftp_abatements if e.amount is None), default=None)
    tax_total = sum((p.amount for p in pieces), ZERO)
    timely_credits = sum((p.amount for p in pays if p.when <= dates.due), ZERO)
    charges: list[MonthCharge] = []
    ftf_result: FailureToFile | None = None
    ftf_amount = ZERO
    _allocate(pays, pieces, ZERO, dates.filing_due, [])  # first guess: tax only
    previous = [list(p.to_tax) for p in pays]  # without designations this is already final
    for _ in range(MAX_ALLOCATION_ROUNDS):
        charges = _ftp_charges(account, abated_through)
        for event in ftp_abatements:
            if event.amount is not None:
                charges = _reduce_charges(charges, event.amount)
        ftf_result = None
        if account.filed_on is not None:
            ftf_result = failure_to_file(
                filing_due=dates.filing_due,
                filed=account.filed_on,
                timely_through=dates.filing_ok,
                original_due=dates.due,
                net_amount_due=max(ZERO, tax_total - timely_credits),
                law=law,
                overlap_charge=partial(_charge_containing, charges),
            )
        ftf_amount = ftf_result.amount if ftf_result else ZERO
        for event in ftf_abatements:
            ftf_amount -= min(ftf_amount, event.amount if event.amount is not None else ftf_amount)
        _allocate(pays, pieces, ftf_amount, dates.filing_due, charges)
        current = [list(p.to_tax) for p in pays]
        if current == previous:
            break
        previous = current
    return _Settled(charges, ftf_result, ftf_amount)


def compute(
    scenario: Scenario,
    as_of: date | None = None,
    *,
    rules: RuleSet,
    daily_reference: bool = False,
) -> Statement:
    """The account of ``scenario`` recomputed as of ``as_of`` (default: the scenario's own).

    ``daily_reference=True`` multiplies interest factors one day at a time instead of in closed
    form: the slow reference the closed form is checked against.
    """
    law = AccountLaw(rules)
    when = as_of or scenario.as_of
    if when is None:
        raise InputError("no as-of date: give --as-of DATE or an 'as_of' field in the scenario")
    as_of = when
    dates = _due_dates(scenario, rules)
    rules.rates.period_on(dates.due)  # a clear error for a due date before the rate table
    if as_of > dates.due:
        rules.rates.period_on(as_of)  # and for an as-of date past it
    notes: list[str] = []
    events = [e for e in scenario.events if e.date <= as_of]
    if len(events) < len(scenario.events):
        notes.append(f"{len(scenario.events) - len(events)} event(s) after {as_of.isoformat()} are not counted.")

    filed = next((e for e in events if e.type is EventType.RETURN_FILED), None)
    pieces = [_Piece(0, filed.date if filed else dates.due, filed.amount or ZERO if filed else ZERO, None)]
    for event in events:
        if event.type is EventType.ADDITIONAL_TAX:
            pieces.append(_Piece(len(pieces), event.date, event.amount or ZERO, event.notice_date or event.date))
    if filed is None:
        notes.append("No return is filed as of this date: failure-to-file cannot be computed until it is.")
    lines: list[Line] = []
    for event in events:
        if event.type is EventType.ABATEMENT and event.target is Component.TAX:
            left = event.amount if event.amount is not None else sum((p.amount for p in pieces), ZERO)
            abated = ZERO
            for piece in reversed(pieces):
                take = min(left, piece.amount)
                piece.amount -= take
                left -= take
                abated += take
            lines.append(
                Line(LineKind.ABATEMENT, event.date, event.date, -abated, "IRC 6404(a)", "abatement of tax",
                     note="tax abated; interest and penalties on it are removed from the start")
            )
    tax_total = sum((p.amount for p in pieces), ZERO)

    pays: list[_Pay] = []
    for event in events:
        if event.type not in (EventType.PAYMENT, EventType.CREDIT, EventType.WITHHOLDING, EventType.ESTIMATED_PAYMENT):
            continue
        counts_from = event.date
        if event.type is EventType.WITHHOLDING or event.date <= dates.due_ok:
            counts_from = dates.due
        pays.append(_Pay(event.index, event.type, event.date, counts_from, event.amount or ZERO, event.designation))

    agreements = [
        AgreementSpan(e.date, e.end) for e in events if e.type is EventType.INSTALLMENT_AGREEMENT
    ]
    levies = [e.date for e in events if e.type is EventType.LEVY_NOTICE]
    timely_filed = filed is not None and filed.date <= dates.filing_ok
    ftp_abatements = [e for e in events if e.type is EventType.ABATEMENT and e.target is Component.FAILURE_TO_PAY]
    ftf_abatements = [e for e in events if e.type is EventType.ABATEMENT and e.target is Component.FAILURE_TO_FILE]

    notices = sorted(
        {e.date for e in events if e.type is EventType.NOTICE_AND_DEMAND}
        | {piece.notice for piece in pieces[1:] if piece.notice is not None}
    )
    interest_abatements = [
        (e.date, e.amount) for e in events if e.type is EventType.ABATEMENT and e.target is Component.INTEREST
    ]
    account = _Account(
        pieces, pays, dates, as_of, law, agreements, levies, filed.date if filed is not None else None, timely_filed
    )
    pulled: dict[int, date] = {}
    for _ in range(MAX_ALLOCATION_ROUNDS):
        for pay in pays:
            pay.applied_on = pulled.get(pay.index)
        settled = _settle(account, ftp_abatements, ftf_abatements)
        charges, ftf_result, ftf_amount = settled.charges, settled.ftf, settled.ftf_amount
        ftp_total = sum((c.amount for c in charges), ZERO)
        accrual = accrue_interest(
            law=law,
            due=dates.due,
            filing_due=dates.filing_due,
            as_of=as_of,
            tax_total=tax_total,
            ftf_amount=ftf_amount,
            charges=charges,
            payments=[Payment(p.when, p.amount, p.tax_total, p.to_ftf, p.to_ftp, p.rest, p.index) for p in pays],
            notices=notices,
            interest_abatements=interest_abatements,
            daily_reference=daily_reference,
        )
        if accrual.pulled == pulled:
            break
        pulled = accrual.pulled
    interest_total, interest_abated, interest_paid = accrual.total, accrual.abated, accrual.paid
    notes.extend(accrual.notes)
    lines.extend(_tax_lines(pieces, dates))
    lines.extend(_payment_lines(pays))
    if ftf_result is not None:
        lines.extend(_ftf_lines(ftf_result, ftf_amount))
    lines.extend(_ftp_lines(charges))
    lines.extend(accrual.lines)
    lines.sort(key=lambda line: (line.start or dates.due, _KIND_ORDER[line.kind]))

    interest_net = interest_total - interest_abated
    payments_total = sum((p.amount for p in pays), ZERO)
    balance = tax_total + ftf_amount + ftp_total + interest_net - payments_total
    unpaid = Unpaid(
        tax=tax_total - sum((p.tax_total for p in pays), ZERO),
        failure_to_file=ftf_amount - sum((p.to_ftf for p in pays), ZERO),
        failure_to_pay=ftp_total - sum((p.to_ftp for p in pays), ZERO),
        interest=interest_net - interest_paid,
    )
    why = _why(ftf_result, ftf_amount, charges, interest_total, dates)
    return Statement(
        as_of=as_of,
        form=scenario.form,
        tax_year=scenario.tax_year,
        return_due_date=dates.due,
        filing_due_date=dates.filing_due,
        tax=tax_total,
        failure_to_file=ftf_amount,
        failure_to_pay=ftp_total,
        interest=interest_net,
        payments=payments_total,
        balance=balance,
        unpaid=unpaid,
        lines=tuple(lines),
        why=why,
        notes=tuple(notes),
    )


def _charge_containing(charges: Sequence[MonthCharge], day: date) -> Decimal:
    """The (a)(2) charge of the failure-to-pay month that contains ``day``."""
    for run in charges:
        if run.piece == 0 and run.contains_month(months_or_fraction(run.anchor, day)):
            return run.per_month
    return ZERO

def _tax_lines(pieces: Sequence[_Piece], dates: _Dates) -> list[Line]:
    lines = []
    for piece in pieces:
        if piece.amount <= ZERO:
            continue
        what = "tax shown on the return" if piece.index == 0 else f"additional assessment #{piece.index}"
        lines.append(
            Line(
                LineKind.TAX,
                piece.assessed,
                piece.assessed,
                piece.amount,
                "IRC 6201 (assessment); IRC 6151(a) (due with the return)",
                "scenario",
                note=f"{what}; interest on it runs from {dates.due.isoformat()} (IRC 6601(a))",
            )
        )
    return lines


def _payment_lines(pays: Sequence[_Pay]) -> list[Line]:
    lines = []
    for pay in pays:
        parts = [f"tax {format_money(pay.tax_total)}"]
        if pay.to_ftf or pay.to_ftp:
            parts.append(f"penalties {format_money(pay.to_ftf + pay.to_ftp)}")
        if pay.rest:
            parts.append(f"interest or credit {format_money(pay.rest)}")
        if pay.kind in (EventType.WITHHOLDING, EventType.ESTIMATED_PAYMENT) and pay.when != pay.actual:
            rule = "IRC 6513(b) (deemed paid on the due date)"
        elif pay.when != pay.actual:
            rule = "IRC 7503 (timely on the next business day)"
        else:
            rule = "Rev. Proc. 2002-26 (tax, then penalties, then interest)"
        if pay.designation is not None:
            rule = f"designated to {pay.designation.value} (Rev. Proc. 2002-26 sec. 3.01)"
        kind = LineKind.PAYMENT if pay.kind is EventType.PAYMENT else LineKind.CREDIT
        lines.append(
            Line(kind, pay.actual, pay.when, -pay.amount, rule, "scenario", note="applied to " + ", ".join(parts))
        )
    return lines


def _ftf_lines(result: FailureToFile, final: Decimal) -> list[Line]:
    rule = "IRC 6651(a)(1), (b)(1)"
    lines = [
        Line(
            LineKind.FAILURE_TO_FILE,
            result.first_month_starts,
            result.last_month_ends,
            result.gross,
            rule,
            result.source,
            base=result.base,
            rate=result.rate,
            months=result.months,
        )
    ]
    if result.reduction:
        lines.append(
            Line(
                LineKind.FAILURE_TO_FILE_REDUCTION,
                result.first_month_starts,
                result.last_month_ends,
                -result.reduction,
                "IRC 6651(c)(1)",
                "reduced by the failure-to-pay charged for the same months",
            )
        )
    adjustment = result.amount - (result.gross - result.reduction)
    if adjustment:
        lines.append(
            Line(
                LineKind.FAILURE_TO_FILE_MINIMUM,
                result.first_month_starts,
                result.last_month_ends,
                adjustment,
                "IRC 6651(a) (minimum for a return more than 60 days late); 6651(c)(1) second sentence",
                result.minimum_source,
                base=result.minimum,
            )
        )
    if final != result.amount:
        lines.append(
            Line(
                LineKind.ABATEMENT,
                result.last_month_ends,
                result.last_month_ends,
                final - result.amount,
                "IRC 6651(a) reasonable cause / administrative waiver",
                "abatement of failure to file",
                note="the interest it drew is removed from the start",
            )
        )
    return lines


def _ftp_lines(charges: Sequence[MonthCharge]) -> list[Line]:
    return [
        Line(
            LineKind.FAILURE_TO_PAY,
            run.start,
            run.end,
            run.amount,
            run.rule,
            run.source,
            base=run.base,
            rate=run.rate,
            months=run.months,
            note=f"months {run.first_month}-{run.last_month}" if run.months > 1 else f"month {run.first_month}",
        )
        for run in charges
    ]


def _why(
    ftf: FailureToFile | None,
    ftf_amount: Decimal,
    charges: Sequence[MonthCharge],
    interest: Decimal,
    dates: _Dates,
) -> dict[str, str]:
    why: dict[str, str] = {}
    if ftf is not None:
        text = ftf.why
        if ftf_amount != ftf.amount:
            text += f" Abated to {format_money(ftf_amount)}."
        why["failure_to_file"] = text
    if charges:
        rates = sorted({c.rate for c in charges})
        total = sum((c.amount for c in charges), ZERO)
        why["failure_to_pay"] = (
            f"{sum(c.months for c in charges)} month(s) or part-months with tax unpaid at the month's start, "
            f"at {', '.join(str(r * 100).rstrip('0').rstrip('.') + '%' for r in rates)} a month of the "
            f"unpaid tax = {format_money(total)} (IRC 6651(a)(2)/(a)(3), (b), (d), (h); at most 25% in all)."
        )
    if interest:
        why["interest"] = (
            f"Underpayment interest compounded daily from {dates.due.isoformat()} on unpaid tax, "
            f"from {dates.filing_due.isoformat()} on the failure-to-file addition, and from notice and "
            f"demand on failure-to-pay, at the rate of each quarter = {format_money(interest)} "
            "(IRC 6601, 6621(a)(2), 6622)."
        )
    return why
