"""Parsers of printed values: dates, amounts, phone numbers, taxpayer ids, masking."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids
from hypothesis import given
from hypothesis import strategies as st

from balancedue.intake.values import (
    last_four,
    mask_ids,
    normalize_form,
    parse_date,
    parse_money,
    parse_phone,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("June 10, 2024", date(2024, 6, 10)),
        ("Jun. 10, 2024", date(2024, 6, 10)),
        ("September 3,2023", date(2023, 9, 3)),
        ("06/10/2024", date(2024, 6, 10)),
        ("6/1/2024", date(2024, 6, 1)),
        ("2024-06-10", date(2024, 6, 10)),
        ("02/30/2024", None),  # no such day
        ("Smarch 3, 2024", None),
    ],
)
def test_dates_as_printed(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "repaired"),
    [
        ("$1,234.56", Decimal("1234.56"), False),
        ("$773.99", Decimal("773.99"), False),
        ("-$2,688.22", Decimal("-2688.22"), False),
        ("($50.00)", Decimal("-50.00"), False),
        ("S1,234.56", Decimal("1234.56"), True),      # OCR read $ as S
        ("$12.345.67", Decimal("12345.67"), True),    # OCR read the comma as a point
        ("$1,23.45", None, False),                     # malformed thousands group
    ],
)
def test_amounts_as_printed(text: str, value: Decimal | None, repaired: bool) -> None:
    parsed = parse_money(text)
    if value is None:
        assert parsed is None
    else:
        assert parsed == (value, repaired)


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amount_round_trip(amount: Decimal) -> None:
    printed = f"${amount:,.2f}"
    assert parse_money(printed) == (amount, False)


def test_phone_numbers() -> None:
    assert parse_phone("1-800-829-1040") == "800-829-1040"
    assert parse_phone("(800) 829.1040") == "800-829-1040"
    assert parse_phone("829-1040") is None


def test_last_four_and_forms() -> None:
    assert last_four("XXX-XX-1234") == "1234"
    assert last_four("XX-XXX9876") == "9876"
    assert normalize_form("1040sr") == "1040-SR"
    assert normalize_form("941") == "941"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"SSN {sample_ids.FULL_SSN}", "SSN XXX-XX-4321"),
        (f"SSN {sample_ids.FULL_SSN_SPACED}", "SSN XXX XX 4321"),
        ("EIN 00-1234567", "EIN XX-XXX4567"),
        (f"Social Security number: {sample_ids.FULL_SSN_PLAIN}", "Social Security number: XXXXX4321"),
        # Not ids: a phone number, a ZIP+4, an ISO date, a notice id
        ("800-829-1040 64999-0202 2024-06-10 CP14-20220906-29873", "800-829-1040 64999-0202 2024-06-10 CP14-20220906-29873"),
    ],
)
def test_full_ids_are_masked_keeping_length(text: str, masked: str) -> None:
    assert mask_ids(text) == masked
    assert len(mask_ids(text)) == len(text)
