"""Money primitives: explicit rounding, strict parsing, formatting."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balancedue.engine.money import format_money, format_rate, parse_money, quantize_cents
from balancedue.errors import InputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("185.797", "185.80"),
    ],
)
def test_quantize_rounds_half_up_by_default(raw: str, expected: str) -> None:
    assert quantize_cents(Decimal(raw)) == Decimal(expected)


def test_quantize_can_name_another_mode() -> None:
    assert quantize_cents(Decimal("0.025"), ROUND_HALF_EVEN) == Decimal("0.02")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("$10", "10.00"),
        ("(12.50)", "-12.50"),
        (" 7.1 ", "7.10"),
        (42, "42.00"),
    ],
)
def test_parse_money_accepts_printed_forms(raw: object, expected: str) -> None:
    assert parse_money(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", [1.5, "abc", "1.005", "NaN", "Infinity", None, True])
def test_parse_money_refuses_bad_input(raw: object) -> None:
    with pytest.raises(InputError):
        parse_money(raw, "payment amount")


def test_parse_money_names_the_field() -> None:
    with pytest.raises(InputError, match="payment amount"):
        parse_money("twelve", "payment amount")


def test_format_money_and_rate() -> None:
    assert format_money(Decimal("-1234.5")) == "-$1,234.50"
    assert format_money(Decimal("0")) == "$0.00"
    assert format_rate(Decimal("0.005")) == "0.5%"
    assert format_rate(Decimal("0.08")) == "8%"


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=6
    )
)
def test_quantize_is_idempotent_and_close(value: Decimal) -> None:
    once = quantize_cents(value)
    assert quantize_cents(once) == once
    assert abs(once - value) <= Decimal("0.005")


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=2
    )
)
def test_money_survives_text_round_trip(value: Decimal) -> None:
    assert parse_money(format(value, "f")) == value
