"""An account as a series of dated events, and the strict reader of scenario mappings.

A scenario describes one tax form and period the way an IRS account transcript does: the
return and the tax it showed, withholding and payments, later assessments, notices, agreements
and abatements.  A scenario typed by hand, a notice plus the taxpayer's records, and an imported
transcript all become a :class:`Scenario`.

Reading is strict: unknown fields or event types, floats for money, negative amounts, dates
that are not ``YYYY-MM-DD`` and events out of date order are refused with one line that names
the problem.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from balancedue.engine.dates import check_date_window, check_year_window
from balancedue.engine.money import ZERO, parse_money
from balancedue.errors import InputError, InvalidDateError


class EventType(StrEnum):
    """Every kind of event a scenario may hold."""

    RETURN_FILED = "return_filed"
    WITHHOLDING = "withholding"
    ESTIMATED_PAYMENT = "estimated_payment"
    PAYMENT = "payment"
    CREDIT = "credit"
    ADDITIONAL_TAX = "additional_tax"
    ABATEMENT = "abatement"
    NOTICE_AND_DEMAND = "notice_and_demand"
    INSTALLMENT_AGREEMENT = "installment_agreement"
    LEVY_NOTICE = "levy_notice"
    NOTICE_BALANCE = "notice_balance"


class Component(StrEnum):
    """Parts of a balance that payments and abatements can be aimed at."""

    TAX = "tax"
    PENALTY = "penalty"
    FAILURE_TO_FILE = "failure_to_file"
    FAILURE_TO_PAY = "failure_to_pay"
    INTEREST = "interest"


PAYMENT_DESIGNATIONS = (Component.TAX, Component.PENALTY, Component.INTEREST)
ABATEMENT_TARGETS = (Component.TAX, Component.FAILURE_TO_FILE, Component.FAILURE_TO_PAY, Component.INTEREST)


@dataclass(frozen=True, slots=True)
class Event:
    """One dated event on the account.

    ``amount`` is the money the event moves (``tax`` for a filed return).  ``designation`` is a
    payment's written direction, ``target`` an abatement's object, ``end`` an installment
    agreement's end, ``notice_date`` the notice-and-demand date of an additional assessment.
    ``index`` is the event's position in the scenario (for error messages and stable order).
    """

    date: dt.date
    type: EventType
    amount: Decimal | None = None
    designation: Component | None = None
    target: Component | None = None
    end: dt.date | None = None
    notice_date: dt.date | None = None
    index: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    """One account (form and tax period) and its events, oldest first."""

    form: str
    tax_year: int
    events: tuple[Event, ...]
    return_due_date: date | None = None
    extended_due_date: date | None = None
    as_of: date | None = None
    label: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    postponement: str | None = None
    abroad: bool = False


_TOP_FIELDS = {
    "form", "tax_year", "return_due_date", "extended_due_date", "as_of", "events", "label", "postponement", "abroad",
}
_EVENT_FIELDS: dict[EventType, tuple[set[str], set[str]]] = {
    # type: (required fields besides date and type, optional fields)
    EventType.RETURN_FILED: ({"tax"}, set()),
    EventType.WITHHOLDING: ({"amount"}, set()),
    EventType.ESTIMATED_PAYMENT: ({"amount"}, set()),
    EventType.PAYMENT: ({"amount"}, {"designation"}),
    EventType.CREDIT: ({"amount"}, set()),
    EventType.ADDITIONAL_TAX: ({"amount"}, {"notice_date"}),
    EventType.ABATEMENT: ({"of"}, {"amount"}),
    EventType.NOTICE_AND_DEMAND: (set(), set()),
    EventType.INSTALLMENT_AGREEMENT: (set(), {"end"}),
    EventType.LEVY_NOTICE: (set(), set()),
    EventType.NOTICE_BALANCE: ({"amount"}, set()),
}
SUPPORTED_FORMS = ("1040",)


def parse_iso_date(value: object, field_name: str) -> date:
    """A ``YYYY-MM-DD`` date from scenario data (a YAML date object is accepted as is)."""
    if isinstance(value, date):
        return check_date_window(value, field_name)
    if not isinstance(value, str) or len(value) != 10:
        raise InvalidDateError(str(value), field_name)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidDateError(value, field_name) from None
    return check_date_window(day, field_name)


def _non_negative_money(value: object, field_name: str) -> Decimal:
    amount = parse_money(value, field_name)
    if amount < ZERO:
        raise InputError(f"{field_name} is negative ({value}); amounts are written as positive numbers")
    return amount


def _parse_event(raw: object, index: int) -> Event:
    where = f"events[{index}]"
    if not isinstance(raw, Mapping):
        raise InputError(f"{where} must be an object with 'date' and 'type'")
    kind = raw.get("type")
    try:
        event_type = EventType(str(kind))
    except ValueError:
        known = ", ".join(t.value for t in EventType)
        raise InputError(f"{where}.type {kind!r} is not an event type; use one of: {known}") from None
    required, optional = _EVENT_FIELDS[event_type]
    allowed = {"date", "type"} | required | optional
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InputError(f"{where} ({event_type.value}) has unknown field {unknown[0]!r}")
    if "date" not in raw:
        raise InputError(f"{where} ({event_type.value}) has no 'date'")
    missing = sorted(required - set(raw))
    if missing:
        raise InputError(f"{where} ({event_type.value}) needs '{missing[0]}'")
    day = parse_iso_date(raw["date"], f"{where}.date")
    amount: Decimal | None = None
    if "tax" in raw:
        amount = _non_negative_money(raw["tax"], f"{where}.tax")
    if raw.get("amount") is not None:
        amount = _non_negative_money(raw["amount"], f"{where}.amount")
    designation = None
    if raw.get("designation") is not None:
        try:
            designation = Component(str(raw["designation"]))
        except ValueError:
            designation = None
        if designation not in PAYMENT_DESIGNATIONS:
            raise InputError(f"{where}.designation {raw['designation']!r} must be tax, penalty or interest")
    target = None
    if event_type is EventType.ABATEMENT:
        try:
            target = Component(str(raw["of"]))
        except ValueError:
            target = None
        if target not in ABATEMENT_TARGETS:
            raise InputError(
                f"{where}.of {raw['of']!r} must be tax, failure_to_file, failure_to_pay or interest"
            )
    end = None
    if raw.get("end") is not None:
        end = parse_iso_date(raw["end"], f"{where}.end")
        if end < day:
            raise InputError(f"{where}.end {end.isoformat()} is before its start {day.isoformat()}")
    notice_date = None
    if raw.get("notice_date") is not None:
        notice_date = parse_iso_date(raw["notice_date"], f"{where}.notice_date")
        if notice_date < day:
            raise InputError(f"{where}.notice_date is before the assessment date")
    return Event(
        date=day,
        type=event_type,
        amount=amount,
        designation=designation,
        target=target,
        end=end,
        notice_date=notice_date,
        index=index,
    )


def _check_events(events: Sequence[Event]) -> None:
    """Events in date order, and at most one filed return."""
    for before, after in itertools.pairwise(events):
        if after.date < before.date:
            raise InputError(
                f"events are out of date order: events[{after.index}] ({after.date.isoformat()}) "
                f"comes after events[{before.index}] ({before.date.isoformat()})"
            )
    filed = [e for e in events if e.type is EventType.RETURN_FILED]
    if len(filed) > 1:
        raise InputError("a scenario may hold one return_filed event; use additional_tax for later changes")


def build_scenario(
    tax_year: int,
    events: Sequence[Event],
    *,
    form: str = "1040",
    as_of: date | None = None,
    extended_due_date: date | None = None,
) -> Scenario:
    """A scenario from typed events (numbered in the order given), held to the same checks as a
    scenario file: dates in the window, amounts in cents and not negative, events in date
    order, one filed return.  :func:`parse_scenario` is for the files a person writes."""
    if form not in SUPPORTED_FORMS:
        raise InputError(f"form {form!r} is not supported yet; supported: {', '.join(SUPPORTED_FORMS)}")
    check_year_window(tax_year, "tax_year")
    numbered: list[Event] = []
    for index, event in enumerate(events):
        where = f"events[{index}]"
        check_date_window(event.date, f"{where}.date")
        if event.amount is not None:
            _non_negative_money(event.amount, f"{where}.{'tax' if event.type is EventType.RETURN_FILED else 'amount'}")
        numbered.append(replace(event, index=index))
    _check_events(numbered)
    if as_of is not None:
        check_date_window(as_of, "as_of")
    if extended_due_date is not None:
        check_date_window(extended_due_date, "extended_due_date")
    return Scenario(
        form=form, tax_year=tax_year, events=tuple(numbered), as_of=as_of, extended_due_date=extended_due_date
    )


def parse_scenario(raw: object) -> Scenario:
    """Validate a scenario mapping (from JSON or YAML) and build a :class:`Scenario`."""
    if not isinstance(raw, Mapping):
        raise InputError("a scenario must be an object with 'form', 'tax_year' and 'events'")
    unknown = sorted(set(raw) - _TOP_FIELDS)
    if unknown:
        raise InputError(f"scenario has unknown field {unknown[0]!r}")
    form = str(raw.get("form", "1040"))
    if form not in SUPPORTED_FORMS:
        raise InputError(f"form {form!r} is not supported yet; supported: {', '.join(SUPPORTED_FORMS)}")
    year = raw.get("tax_year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise InputError(f"tax_year {year!r} must be a whole number such as 2023")
    check_year_window(year, "tax_year")
    events_raw = raw.get("events")
    if not isinstance(events_raw, Sequence) or isinstance(events_raw, (str, bytes)):
        raise InputError("scenario 'events' must be a list")
    events = tuple(_parse_event(item, i) for i, item in enumerate(events_raw))
    _check_events(events)
    due = parse_iso_date(raw["return_due_date"], "return_due_date") if raw.get("return_due_date") else None
    extended = (
        parse_iso_date(raw["extended_due_date"], "extended_due_date") if raw.get("extended_due_date") else None
    )
    as_of = parse_iso_date(raw["as_of"], "as_of") if raw.get("as_of") else None
    if due and extended and extended < due:
        raise InputError("extended_due_date is before return_due_date")
    label = raw.get("label")
    postponement = raw.get("postponement")
    if postponement is not None and not isinstance(postponement, str):
        raise InputError("postponement must be the id of a disaster postponement, such as 'tx-2021-01'")
    abroad = raw.get("abroad", False)
    if not isinstance(abroad, bool):
        raise InputError("abroad must be true or false")
    return Scenario(
        form=form,
        tax_year=year,
        events=events,
        return_due_date=due,
        extended_due_date=extended,
        as_of=as_of,
        label=str(label) if label is not None else None,
        postponement=postponement,
        abroad=abroad,
    )
