"""The scenario file: what it accepts, and one clear line for each thing it refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from balancedue.engine.scenario import Component, EventType, parse_scenario
from balancedue.errors import InputError


def _scenario(*events: dict[str, Any], **top: Any) -> Any:
    return parse_scenario({"form": "1040", "tax_year": 2024, "events": list(events), **top})


def test_a_full_scenario_reads_into_typed_events() -> None:
    s = _scenario(
        {"date": "2025-04-15", "type": "return_filed", "tax": "1,234.50"},
        {"date": "2025-05-01", "type": "payment", "amount": "$100", "designation": "interest"},
        {"date": "2025-06-01", "type": "abatement", "of": "failure_to_pay"},
        {"date": "2025-07-01", "type": "installment_agreement", "end": "2025-12-31"},
        {"date": "2025-08-01", "type": "additional_tax", "amount": "50.00", "notice_date": "2025-08-15"},
        as_of="2025-12-31", extended_due_date="2025-10-15", abroad=True, label="sample",
    )
    filed, paid, abated, agreement, more = s.events
    assert (filed.type, filed.amount, filed.index) == (EventType.RETURN_FILED, Decimal("1234.50"), 0)
    assert (paid.amount, paid.designation) == (Decimal("100"), Component.INTEREST)
    assert (abated.target, abated.amount) == (Component.FAILURE_TO_PAY, None)
    assert agreement.end == date(2025, 12, 31)
    assert (more.notice_date, more.index) == (date(2025, 8, 15), 4)
    assert (s.as_of, s.extended_due_date, s.abroad, s.label) == (date(2025, 12, 31), date(2025, 10, 15), True, "sample")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be an object"),
        ({"form": "1040", "tax_year": 2024, "events": [], "colour": "red"}, "unknown field 'colour'"),
        ({"form": "1120", "tax_year": 2024, "events": []}, "form '1120' is not supported"),
        ({"form": "1040", "tax_year": "2024", "events": []}, "must be a whole number"),
        ({"form": "1040", "tax_year": True, "events": []}, "must be a whole number"),
        ({"form": "1040", "tax_year": 2024, "events": "none"}, "'events' must be a list"),
        ({"form": "1040", "tax_year": 2024, "events": [], "abroad": "yes"}, "abroad must be true or false"),
        ({"form": "1040", "tax_year": 2024, "events": [], "postponement": 7}, "postponement must be the id"),
        ({"form": "1040", "tax_year": 2024, "events": [], "return_due_date": "2025-04-15",
          "extended_due_date": "2025-04-01"}, "extended_due_date is before return_due_date"),
    ],
)
def test_a_bad_scenario_is_refused_in_one_line(raw: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_scenario(raw)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"date": "2025-04-15", "type": "refund"}, r"events\[0\].type 'refund' is not an event type"),
        ({"date": "2025-04-15", "type": "payment"}, r"needs 'amount'"),
        ({"type": "payment", "amount": "1"}, r"has no 'date'"),
        ({"date": "2025-04-15", "type": "payment", "amount": "1", "of": "tax"}, r"unknown field 'of'"),
        ({"date": "2025-04-15", "type": "payment", "amount": "-5"}, r"is negative"),
        ({"date": "2025-04-15", "type": "payment", "amount": 5.5}, r"not 5.5"),
        ({"date": "2025-04-15", "type": "payment", "amount": "1.005"}, r"events\[0\].amount"),
        ({"date": "15/04/2025", "type": "payment", "amount": "1"}, r"15/04/2025"),
        ({"date": "2025-04-15", "type": "payment", "amount": "1", "designation": "fees"}, r"must be tax, penalty"),
        ({"date": "2025-04-15", "type": "abatement", "of": "everything"}, r"must be tax, failure_to_file"),
        ({"date": "2025-04-15", "type": "installment_agreement", "end": "2025-01-01"}, r"is before its start"),
        ({"date": "2025-04-15", "type": "additional_tax", "amount": "1", "notice_date": "2025-04-01"},
         r"notice_date is before the assessment date"),
    ],
)
def test_a_bad_event_is_named_by_its_position(event: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        _scenario(event)


def test_events_must_be_in_date_order_and_hold_one_return() -> None:
    with pytest.raises(InputError, match=r"events\[1\] \(2025-04-01\) comes after events\[0\]"):
        _scenario({"date": "2025-05-01", "type": "payment", "amount": "1"},
                  {"date": "2025-04-01", "type": "payment", "amount": "1"})
    with pytest.raises(InputError, match="one return_filed"):
        _scenario({"date": "2025-04-15", "type": "return_filed", "tax": "1"},
                  {"date": "2025-05-15", "type": "return_filed", "tax": "2"})
