"""One way to write money, rates, dates, days and names for a person, whatever the screen."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balancedue import presentation


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("-1234.5"), "-$1,234.50"), ("1234567.891", "$1,234,567.89"), (Decimal("0"), "$0.00"), (None, ""), ("", "")],
)
def test_money(value: Decimal | str | None, shown: str) -> None:
    assert presentation.money(value) == shown


def test_rates_and_dates() -> None:
    assert presentation.rate(Decimal("0.005")) == "0.5%"
    assert presentation.rate(Decimal("0.0025")) == "0.25%"
    assert presentation.rate(None) == ""
    assert presentation.day(date(2025, 6, 2)) == "June 2, 2025"
    assert presentation.day(None) == ""


@pytest.mark.parametrize(
    ("days", "ago", "due"),
    [
        (-3, "3 days ago", "overdue by 3 days"),
        (-1, "1 day ago", "overdue by 1 day"),
        (0, "today", "today"),
        (1, "in 1 day", "in 1 day"),
        (14, "in 14 days", "in 14 days"),
    ],
)
def test_days(days: int, ago: str, due: str) -> None:
    assert presentation.days_from_today(days) == ago
    assert presentation.due_in(days) == due


def test_internal_names_in_plain_words() -> None:
    assert presentation.words("intent_to_levy") == "Intent to levy"
    assert presentation.words("cdp_hearing") == "CDP hearing"
    assert presentation.words("irs_fta_check") == "IRS FTA check"
    assert presentation.words("") == ""
    assert presentation.field_label("taxpayer_id_last4") == "Last four digits of the taxpayer ID"
    assert presentation.field_label("something_else") == "Something else"
    assert presentation.letter_label("not_a_letter_kind") == "Not a letter kind"
