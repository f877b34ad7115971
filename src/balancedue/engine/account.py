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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Context, Decimal, getcontext, localcontext
from functools import partial

from balancedue.engine.account_lines import ftf_lines, ftp_lines, why_texts
from balancedue.engine.accrual import Accrual, Payment, accrue_interest, grace_period_end
from balancedue.engine.allocation import AppliedPayment, TaxPiece, allocate
from balancedue.engine.dates import months_or_fraction
from balancedue.engine.law import MEMO_LIMIT, AccountLaw, rules_memo
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
from balancedue.engine.statement import Explanation, Line, LineKind, Statement, Unpaid
from balancedue.errors import InputError
from balancedue.rules import RuleSet

MAX_ALLOCATION_ROUNDS = 6
_ByType = Mapping[EventType, Sequence[Event]]  # an account's events by type, each in date order
_KIND_ORDER = {kind: position for position, kind in enumerate(LineKind)}
_PAYMENT_TYPES = frozenset((EventType.PAYMENT, EventType.CREDIT, EventType.WITHHOLDING, EventType.ESTIMATED_PAYMENT))


@dataclass(frozen=True, slots=True)
class _Dates:
    due: date  # payment due date: interest runs from it (IRC 6601(a))
    filing_due: date
    due_ok: date
    filing_ok: date
    ftp_due: date  # failure-to-pay counts from it (later than ``due`` abroad or under the 90% rule)
    why: tuple[str, ...] = ()


@dataclass(slots=True)
class _Account:
    """What the penalty pass needs to know about the account as of one date."""

    pieces: Sequence[TaxPiece]
    pays: Sequence[AppliedPayment]
    dates: _Dates
    as_of: date
    law: AccountLaw
    agreements: Sequence[AgreementSpan]
    levies: Sequence[date]
    filed_on: date | None
    timely_filed: bool
    ftp_abatements: Sequence[Event] = ()
    ftf_abatements: Sequence[Event] = ()


def _due_dates(scenario: Scenario, rules: RuleSet) -> _Dates:
    """The payment, filing and failure-to-pay due dates: April 15 (IRC 6072(a), 6151(a)), or the
    date a postponement moved it to (IRC 7508A), or June 15 for filing and the failure-to-pay
    penalty of a taxpayer abroad (Treas. Reg. 1.6081-5(a)(5)-(6); interest still runs from the
    regular date).  Kept per rules data: many accounts share a tax year and its due dates."""
    key = (scenario.tax_year, scenario.return_due_date, scenario.extended_due_date, scenario.postponement,
           scenario.abroad)
    memo = rules_memo(rules, "due_dates")
    dates = memo.get(key)
    if dates is None:
        dates = _work_out_due_dates(scenario, rules)
        if len(memo) < MEMO_LIMIT:
            memo[key] = dates
    return dates


def _work_out_due_dates(scenario: Scenario, rules: RuleSet) -> _Dates:
    why: list[str] = []
    due = scenario.return_due_date
    abroad_due: date | None = None
    if due is None:
        first_of_year = date(scenario.tax_year + 1, 1, 1)
        rules.rates.period_on(first_of_year)  # a tax year before the rate table: a clear error
        month, day = rules.parameters.month_day("filing.form_1040.due_month_day", first_of_year)
        due = date(scenario.tax_year + 1, month, day)
        postponed = rules.postponements.for_year(scenario.tax_year, scenario.postponement)
        if postponed is not None and postponed.postponed_to > due:
            why.append(f"{postponed.title}: due {postponed.postponed_to.isoformat()} ({postponed.source.short()}).")
            due = postponed.postponed_to
        elif scenario.abroad:
            month, day = rules.parameters.month_day("filing.form_1040.abroad_due_month_day", first_of_year)
            abroad_due = date(scenario.tax_year + 1, month, day)
            why.append(
                f"Abroad on the due date: filing and the failure-to-pay penalty run from {abroad_due.isoformat()}, "
                f"interest from {due.isoformat()} ({rules.parameters.source('filing.form_1040.abroad_due_month_day', first_of_year).short()})."
            )
    elif scenario.postponement is not None:
        rules.postponements.get(scenario.postponement)  # a clear error for an unknown id
    filing_due = scenario.extended_due_date or abroad_due or due
    calendar = rules.calendar
    ftp_due = abroad_due or due
    return _Dates(due, filing_due, calendar.next_business_day(due), calendar.next_business_day(filing_due),
                  ftp_due, tuple(why))


def _extension_ninety_percent(scenario: Scenario, dates: _Dates, filed: Event | None, pays: Sequence[AppliedPayment],
                              rules: RuleSet) -> str | None:
    """Treas. Reg. 301.6651-1(c)(3)(i): with an automatic extension, when the balance due shown on
    a return filed within the extension is at most 10% of the tax shown and is paid with the
    return, there is no failure-to-pay penalty for the extension period.  The reason, or None."""
    if scenario.extended_due_date is None or filed is None or filed.date > dates.filing_ok:
        return None
    tax = filed.amount or ZERO
    if tax <= ZERO:
        return None
    share = rules.parameters.decimal("penalty.ftp.extension_reasonable_cause_max_share", dates.due)
    timely = sum((p.amount for p in pays if p.when <= dates.due), ZERO)
    balance = tax - timely
    if balance > tax * share:
        return None
    paid_with_return = sum((p.amount for p in pays if dates.due < p.actual <= filed.date), ZERO)
    if paid_with_return < balance:
        return None
    source = rules.parameters.source("penalty.ftp.extension_reasonable_cause_max_share", dates.due).short()
    return (f"At least {share * 100:.0f}% of the tax was paid by {dates.due.isoformat()} and the rest with the return "
            f"filed within the extension: no failure-to-pay for the extension period ({source}).")


def _ftp_charges(account: _Account, abated_through: date | None) -> list[MonthCharge]:
    law, pieces, pays, dates = account.law, account.pieces, account.pays, account.dates
    charges: list[MonthCharge] = []
    for piece in pieces:
        paid = PaidTimeline([(p.when, amt) for p in pays for idx, amt in p.to_tax if idx == piece.index])
        if piece.index == 0:
            anchor, paragraph = dates.ftp_due, "(a)(2)"
        else:
            notice = piece.notice or piece.assessed
            anchor = grace_period_end(law.rules, notice, piece.amount, "penalty.ftp.notice_demand")
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


@dataclass(slots=True)
class _Settled:
    charges: list[MonthCharge]
    ftf: FailureToFile | None
    ftf_amount: Decimal


def _settle(account: _Account) -> _Settled:
    """Penalties and payment allocation, repeated until the tax allocation stops changing.

    Failure-to-pay depends on the tax unpaid at each month's start, and (through designated
    payments that overflow) the tax paid can depend on the penalties: a few rounds settle it.
    """
    pieces, pays, dates, law = account.pieces, account.pays, account.dates, account.law
    ftp_abatements, ftf_abatements = account.ftp_abatements, account.ftf_abatements
    abated_through = max((e.date for e in ftp_abatements if e.amount is None), default=None)
    tax_total = sum((p.amount for p in pieces), ZERO)
    timely_credits = sum((p.amount for p in pays if p.when <= dates.due), ZERO)
    charges: list[MonthCharge] = []
    ftf_result: FailureToFile | None = None
    ftf_amount = ZERO
    allocate(pays, pieces, ZERO, dates.filing_due, [])  # first guess: tax only
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
        allocate(pays, pieces, ftf_amount, dates.filing_due, charges)
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
    as_of = _as_of_date(scenario, as_of)
    dates = _due_dates(scenario, rules)
    _check_rate_table(rules, dates, as_of)
    notes: list[str] = []
    events = _events_through(scenario, as_of, notes)
    by_type: dict[EventType, list[Event]] = {}
    for event in events:
        by_type.setdefault(event.type, []).append(event)
    filed = by_type[EventType.RETURN_FILED][0] if EventType.RETURN_FILED in by_type else None
    pieces = _tax_pieces(by_type, filed, dates)
    if filed is None:
        notes.append("No return is filed as of this date: failure-to-file cannot be computed until it is.")
    lines = _abate_tax(by_type, pieces)
    tax_total = sum((p.amount for p in pieces), ZERO)
    pays = _payments(events, dates)
    notes.extend(dates.why)
    account = _account(scenario, by_type, pieces, pays, dates, filed, as_of, AccountLaw(rules), notes)
    settled, accrual = _settle_with_interest(account, by_type, tax_total, daily_reference)
    notes.extend(accrual.notes)
    explanation = Explanation(partial(_explain, lines, account, settled, accrual, getcontext().copy()))
    return _statement(scenario, account, settled, accrual, tax_total, explanation, notes)


def _explain(
    abatements: Sequence[Line], account: _Account, settled: _Settled, accrual: Accrual, context: Context
) -> tuple[tuple[Line, ...], dict[str, str]]:
    """The statement's lines in date order and its reasons, in the arithmetic context the
    figures were worked out in."""
    dates = account.dates
    with localcontext(context):
        lines = [*abatements, *_tax_lines(account.pieces, dates), *_payment_lines(account.pays)]
        if settled.ftf is not None:
            lines.extend(ftf_lines(settled.ftf, settled.ftf_amount))
        lines.extend(ftp_lines(settled.charges))
        lines.extend(accrual.lines(account.law.rules.rates))
        due = dates.due
        lines.sort(key=lambda line: (line.start or due, _KIND_ORDER[line.kind]))
        why = why_texts(settled.ftf, settled.ftf_amount, settled.charges, accrual.total, dates.due, dates.filing_due)
    return tuple(lines), why


def _as_of_date(scenario: Scenario, as_of: date | None) -> date:
    when = as_of or scenario.as_of
    if when is None:
        raise InputError("no as-of date: give --as-of DATE or an 'as_of' field in the scenario")
    return when


def _check_rate_table(rules: RuleSet, dates: _Dates, as_of: date) -> None:
    rules.rates.period_on(dates.due)  # a clear error for a due date before the rate table
    if as_of > dates.due:
        rules.rates.period_on(as_of)  # and for an as-of date past it


def _events_through(scenario: Scenario, as_of: date, notes: list[str]) -> list[Event]:
    """The events on or before ``as_of``; a note says how many later ones are left out."""
    events = [e for e in scenario.events if e.date <= as_of]
    if len(events) < len(scenario.events):
        notes.append(f"{len(scenario.events) - len(events)} event(s) after {as_of.isoformat()} are not counted.")
    return events


def _tax_pieces(by_type: _ByType, filed: Event | None, dates: _Dates) -> list[TaxPiece]:
    """The return's tax (piece 0, nothing until it is filed) and each later assessment."""
    pieces = [TaxPiece(0, filed.date if filed else dates.due, filed.amount or ZERO if filed else ZERO, None)]
    for event in by_type.get(EventType.ADDITIONAL_TAX, ()):
        pieces.append(TaxPiece(len(pieces), event.date, event.amount or ZERO, event.notice_date or event.date))
    return pieces


def _abate_tax(by_type: _ByType, pieces: Sequence[TaxPiece]) -> list[Line]:
    """Tax abatements (IRC 6404(a)), newest assessment first; they act from the start."""
    lines: list[Line] = []
    for event in by_type.get(EventType.ABATEMENT, ()):
        if event.target is Component.TAX:
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
    return lines


def _payments(events: Sequence[Event], dates: _Dates) -> list[AppliedPayment]:
    """Payments and credits, each with the date it counts from (IRC 6513(b), 7503)."""
    pays: list[AppliedPayment] = []
    for event in events:
        if event.type not in _PAYMENT_TYPES:
            continue
        counts_from = event.date
        if event.type is EventType.WITHHOLDING or event.date <= dates.due_ok:
            counts_from = dates.due
        pays.append(AppliedPayment(event.index, event.type, event.date, counts_from, event.amount or ZERO, event.designation))
    return pays


def _account(
    scenario: Scenario,
    by_type: _ByType,
    pieces: Sequence[TaxPiece],
    pays: Sequence[AppliedPayment],
    dates: _Dates,
    filed: Event | None,
    as_of: date,
    law: AccountLaw,
    notes: list[str],
) -> _Account:
    """What the penalty pass needs: the 90% extension rule, agreements, levies, abatements and
    a failure-to-file waiver (each decision written in ``notes``)."""
    ninety = _extension_ninety_percent(scenario, dates, filed, pays, law.rules)
    if ninety is not None:
        dates = replace(dates, ftp_due=max(dates.ftp_due, dates.filing_due))
        notes.append(ninety)
    agreements = [AgreementSpan(e.date, e.end) for e in by_type.get(EventType.INSTALLMENT_AGREEMENT, ())]
    levies = [e.date for e in by_type.get(EventType.LEVY_NOTICE, ())]
    timely_filed = filed is not None and filed.date <= dates.filing_ok
    abatements = by_type.get(EventType.ABATEMENT, ())
    ftp_abatements = [e for e in abatements if e.target is Component.FAILURE_TO_PAY]
    ftf_abatements = [e for e in abatements if e.target is Component.FAILURE_TO_FILE]
    waiver = law.rules.postponements.ftf_relief(scenario.tax_year, filed.date if filed is not None else None)
    if waiver is not None and filed is not None and filed.date > dates.filing_ok:
        ftf_abatements.append(Event(date=filed.date, type=EventType.ABATEMENT, target=Component.FAILURE_TO_FILE))
        notes.append(f"{waiver.title}: the return was filed by {waiver.filed_on_or_before.isoformat()}, so no "
                     f"failure-to-file penalty ({waiver.source.short()}).")
    return _Account(
        pieces, pays, dates, as_of, law, agreements, levies, filed.date if filed is not None else None, timely_filed,
        ftp_abatements, ftf_abatements,
    )


def _settle_with_interest(
    account: _Account, by_type: _ByType, tax_total: Decimal, daily_reference: bool
) -> tuple[_Settled, Accrual]:
    """Penalties, allocation and interest, repeated until the payments that the grace period
    pulls back to the notice date (IRC 6601(e)(3)) stop changing."""
    pieces, pays, dates = account.pieces, account.pays, account.dates
    carried = [(e.date, e.amount or ZERO) for e in by_type.get(EventType.NOTICE_BALANCE, ())]
    notices = sorted(
        {e.date for e in by_type.get(EventType.NOTICE_AND_DEMAND, ())}
        | {piece.notice for piece in pieces[1:] if piece.notice is not None}
    )
    interest_abatements = [
        (e.date, e.amount) for e in by_type.get(EventType.ABATEMENT, ()) if e.target is Component.INTEREST
    ]
    pulled: dict[int, date] = {}
    for _ in range(MAX_ALLOCATION_ROUNDS):
        for pay in pays:
            pay.applied_on = pulled.get(pay.index)
        settled = _settle(account)
        accrual = accrue_interest(
            law=account.law,
            due=dates.due,
            filing_due=dates.filing_due,
            as_of=account.as_of,
            tax_total=tax_total,
            ftf_amount=settled.ftf_amount,
            charges=settled.charges,
            payments=[Payment(p.when, p.amount, p.tax_total, p.to_ftf, p.to_ftp, p.rest, p.index) for p in pays],
            notices=notices,
            interest_abatements=interest_abatements,
            carried=carried,
            daily_reference=daily_reference,
        )
        if accrual.pulled == pulled:
            break
        pulled = accrual.pulled
    return settled, accrual


def _statement(
    scenario: Scenario,
    account: _Account,
    settled: _Settled,
    accrual: Accrual,
    tax_total: Decimal,
    explanation: Explanation,
    notes: Sequence[str],
) -> Statement:
    """The totals, what is still unpaid of each, and their explanation, as one statement."""
    pays, dates = account.pays, account.dates
    ftp_total = sum((c.amount for c in settled.charges), ZERO)
    interest_net = accrual.total - accrual.abated
    payments_total = sum((p.amount for p in pays), ZERO)
    unpaid = Unpaid(
        tax=tax_total - sum((p.tax_total for p in pays), ZERO),
        failure_to_file=settled.ftf_amount - sum((p.to_ftf for p in pays), ZERO),
        failure_to_pay=ftp_total - sum((p.to_ftp for p in pays), ZERO),
        interest=interest_net - accrual.paid,
    )
    return Statement(
        as_of=account.as_of,
        form=scenario.form,
        tax_year=scenario.tax_year,
        return_due_date=dates.due,
        filing_due_date=dates.filing_due,
        tax=tax_total,
        failure_to_file=settled.ftf_amount,
        failure_to_pay=ftp_total,
        interest=interest_net,
        payments=payments_total,
        balance=tax_total + settled.ftf_amount + ftp_total + interest_net - payments_total,
        unpaid=unpaid,
        explanation=explanation,
        notes=tuple(notes),
    )


def _charge_containing(charges: Sequence[MonthCharge], day: date) -> Decimal:
    """The (a)(2) charge of the failure-to-pay month that contains ``day``."""
    for run in charges:
        if run.piece == 0 and run.contains_month(months_or_fraction(run.anchor, day)):
            return run.per_month
    return ZERO


def _tax_lines(pieces: Sequence[TaxPiece], dates: _Dates) -> list[Line]:
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


def _payment_lines(pays: Sequence[AppliedPayment]) -> list[Line]:
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
