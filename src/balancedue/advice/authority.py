"""The notice is the authority until evidence says otherwise.

Without records or transcripts the tool does not know when the return was filed, what was paid
when, or which notices came before.  The amount printed on the notice is then the best evidence
of the balance on the notice date, and every figure to pay starts from it:

* :func:`implied_history` - what the notice's place in the collection sequence says happened
  before it (a CP501 or later follows an earlier notice and demand; a CP504 or later notice
  follows a notice of intent to levy, so failure-to-pay is 1% a month, IRC 6651(d)).  Dates
  are estimates from the typical interval between notices.
* :func:`anchor_to_notice` - the rebuilt account plus the part of the printed balance it does not
  explain, carried as printed from the notice date (it bears interest, never failure-to-pay).
* :func:`pay_in_full_today` - the one figure to pay today and the date it holds until: inside the
  interest-free period after notice and demand (IRC 6601(e)(3), 7503) the printed amount itself.
  Whether a reminder or later notice carries that period is read from the catalog
  (``interest_free_periods`` in ``notices.yaml``); where its sources do not settle it, the
  report says what it assumes and what paying would take if the IRS charges interest after
  the notice date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from balancedue.advice.simulation import with_events
from balancedue.engine import Event, EventType, Scenario, compute
from balancedue.engine.accrual import grace_period_end
from balancedue.engine.money import ZERO, format_money
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import InterestFreeBasis, Stage

INTERVAL = "collection.notice_interval_days"
FIRST_BILL_SEQUENCE = 1
LEVY_NOTICE_SEQUENCE = 4  # CP504 in the catalog's sequence numbering
UNSETTLED_BASIS = "; assumed for a notice that follows an earlier notice and demand (see the note)"


@dataclass(frozen=True, slots=True)
class ImpliedEvent:
    """An event the notice's stage implies, with its estimated date and why."""

    day: date
    type: EventType
    why: str


def implied_history(entry: NoticeEntry | None, notice_date: date, rules: RuleSet) -> tuple[ImpliedEvent, ...]:
    """Earlier notices that the notice's place in the sequence implies (estimated dates)."""
    if entry is None or entry.sequence is None:
        return ()
    interval = rules.parameters.integer(INTERVAL, notice_date)
    source = rules.parameters.source(INTERVAL, notice_date).short()
    found: list[ImpliedEvent] = []
    if entry.sequence > FIRST_BILL_SEQUENCE:
        first = notice_date - timedelta(days=interval * (entry.sequence - FIRST_BILL_SEQUENCE))
        found.append(ImpliedEvent(first, EventType.NOTICE_AND_DEMAND,
                                  f"a {entry.code.value} follows a first bill (notice and demand), "
                                  f"taken as dated about {first.isoformat()} ({source})"))
    if entry.sequence > LEVY_NOTICE_SEQUENCE or entry.stage is Stage.FINAL_NOTICE_CDP:
        levy = notice_date - timedelta(days=interval * max(1, entry.sequence - LEVY_NOTICE_SEQUENCE))
        found.append(ImpliedEvent(levy, EventType.LEVY_NOTICE,
                                  f"a {entry.code.value} follows a notice of intent to levy (CP504), taken as dated "
                                  f"about {levy.isoformat()}: failure-to-pay at 1% a month from the month starting "
                                  "more than 10 days later (IRC 6651(d))"))
    return tuple(found)


@dataclass(frozen=True)
class Anchored:
    """The account the options start from, and how it was tied to the notice."""

    scenario: Scenario
    difference: Decimal
    note: str | None


def anchor_to_notice(scenario: Scenario, printed: Decimal | None, notice_date: date | None,
                     rules: RuleSet) -> Anchored:
    """``scenario`` plus the part of the printed balance its events do not explain.

    A positive difference is carried as printed from the notice date (it bears interest like
    accrued interest and no failure-to-pay); a negative one is taken as a credit on that date.
    """
    if printed is None or notice_date is None:
        return Anchored(scenario, ZERO, None)
    recomputed = compute(scenario, notice_date, rules=rules).balance
    difference = printed - recomputed
    if difference == ZERO:
        return Anchored(scenario, ZERO, None)
    if difference > ZERO:
        event = Event(date=notice_date, type=EventType.NOTICE_BALANCE, amount=difference)
        note = (f"The options start from the {format_money(printed)} printed on the notice: "
                f"{format_money(difference)} of it is not explained without your records (for example a late "
                "filing date or an earlier payment date), so it is carried as printed from the notice date, "
                "bearing interest.")
    else:
        event = Event(date=notice_date, type=EventType.CREDIT, amount=-difference)
        note = (f"The options start from the {format_money(printed)} printed on the notice, "
                f"{format_money(-difference)} less than the recomputation under the stated assumptions.")
    return Anchored(with_events(scenario, [event]), difference, note)


@dataclass(frozen=True)
class PayToday:
    """The amount that pays the account in full if paid today, and until when it holds."""

    amount: Decimal
    holds_until: date
    basis: str
    next_date: date | None = None
    next_amount: Decimal | None = None
    notes: tuple[str, ...] = ()


def _balance(scenario: Scenario, on: date, rules: RuleSet) -> Decimal:
    return compute(scenario, on, rules=rules).balance


def _left_if_paid(scenario: Scenario, rules: RuleSet, amount: Decimal, day: date) -> Decimal:
    paid = with_events(scenario, [Event(date=day, type=EventType.PAYMENT, amount=amount)])
    return _balance(paid, day, rules)


def _month_started_note(scenario: Scenario, rules: RuleSet, demanded: Decimal, first: date, last: date) -> str | None:
    """What paying the amount billed leaves of failure-to-pay for a month begun after the notice.

    IRC 6601(e)(3) forgives interest, not the failure-to-pay penalty of IRC 6651(a)(2), which
    grows by a month at each month's start.  When a month has already begun on ``first`` (today),
    paying sooner cannot avoid it; otherwise the note names the last day that does."""
    if first > last:
        return None
    left_now = _left_if_paid(scenario, rules, demanded, first)
    if left_now > ZERO:
        return (f"Paid today, the amount billed leaves {format_money(left_now)} of failure-to-pay for a month that began "
                "after the notice date (IRC 6651(a)(2)); the IRS may bill it later.")
    left = _left_if_paid(scenario, rules, demanded, last)
    if left <= ZERO:
        return None
    safe = first
    day = first + timedelta(days=1)
    while day <= last and _left_if_paid(scenario, rules, demanded, day) <= ZERO:
        safe, day = day, day + timedelta(days=1)
    return (f"Paid on {last.isoformat()}, the amount billed leaves {format_money(left)} of failure-to-pay for a month "
            f"that starts before then (IRC 6651(a)(2)); the IRS may bill it later. Paying by {safe.isoformat()} "
            "avoids it.")


def interest_free_note(basis: InterestFreeBasis, notice_date: date, last_day: date, demanded: Decimal,
                       without_period: Decimal) -> str:
    """What the report says when the catalog's sources do not settle whether the amount billed
    holds through the interest-free period: the assumption, its sources and the other figure."""
    sources = "; ".join(source.short() for source in basis.sources)
    extra = without_period - demanded
    other = (f" If the IRS charges interest after the notice date on it, paying on {last_day.isoformat()} takes "
             f"{format_money(without_period)} ({format_money(extra)} of interest and penalty since "
             f"{notice_date.isoformat()}); a later notice would bill what is left." if extra > ZERO else "")
    return f"{basis.assumption}{other} (Sources: {sources}.)"


def pay_in_full_today(scenario: Scenario, today: date, rules: RuleSet, *, notice_date: date | None,
                      is_bill: bool, printed: Decimal | None = None, printed_until: date | None = None,
                      interest_free: InterestFreeBasis | None = None) -> PayToday:
    """The one figure to pay: inside the interest-free window the amount demanded, else today's balance.

    ``printed_until`` is a later pay-by date printed on a notice sent during a disaster
    postponement (CP14C, IRC 7508A): the amount billed holds until then.  ``interest_free`` is
    the catalog's answer for the notice (None: a notice and demand)."""
    window = interest_free is None or interest_free.applies
    unsettled = interest_free is not None and not interest_free.settled
    if is_bill and notice_date is not None and window:  # a notice dated after --today is inside its window too
        demanded = printed if printed is not None else _balance(scenario, notice_date, rules)
        window_end = grace_period_end(rules, notice_date, demanded)
        if printed_until is not None and printed_until > window_end:
            window_end = printed_until
        if today <= window_end and demanded > ZERO:
            after = window_end + timedelta(days=1)
            notes: list[str] = []
            note = _month_started_note(scenario, rules, demanded, max(today, notice_date), window_end)
            if note is not None:
                notes.append(note)
            if unsettled and interest_free is not None:
                notes.append(interest_free_note(interest_free, notice_date, window_end, demanded,
                                                _balance(scenario, window_end, rules)))
            return PayToday(
                amount=demanded,
                holds_until=window_end,
                basis=(f"the amount billed on {notice_date.isoformat()}: paid in full by {window_end.isoformat()} it "
                       "draws no more interest (IRC 6601(e)(3); IRC 7503 for a last day on a weekend or holiday)"
                       + (UNSETTLED_BASIS if unsettled else "")),
                next_date=after,
                next_amount=_balance(scenario, after, rules),
                notes=tuple(notes),
            )
    amount = _balance(scenario, today, rules)
    tomorrow = today + timedelta(days=1)
    return PayToday(
        amount=amount,
        holds_until=today,
        basis="the balance today, with interest and penalties to today (interest grows daily, IRC 6622)",
        next_date=tomorrow,
        next_amount=_balance(scenario, tomorrow, rules),
        notes=(interest_free.assumption,) if is_bill and interest_free is not None and not window else (),
    )
