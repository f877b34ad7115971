"""Money: ``Decimal`` amounts and the one place where they are rounded to cents.

Amounts are built from ``str`` or ``int`` (never ``float``).  Rounding happens only where the
law or the IRS form rounds, and always names its mode: the default here is ROUND_HALF_UP,
the way IRS computations and forms round to the cent, not Python's default half-even.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from balancedue.errors import InputError

ZERO = Decimal(0)
CENT = Decimal("0.01")
ONE = Decimal(1)
HUNDRED = Decimal(100)

MAX_AMOUNT = Decimal("999999999999999.99")  # not law: the largest amount read from input
"""Largest amount read from input: far above any balance, and small enough that every cent
stays exact in the arithmetic (an amount with 30 digits cannot even be rounded to cents)."""


def quantize_cents(amount: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    """``amount`` rounded to whole cents with the named rounding mode."""
    return amount.quantize(CENT, rounding=rounding)


def truncate_cents(amount: Decimal) -> Decimal:
    """``amount`` cut to whole cents toward zero."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def parse_money(text: object, field: str = "amount") -> Decimal:
    """A money amount from user input: a string like ``"1,234.56"`` or ``"$10"``, or an int.

    Floats are refused: they cannot hold cents exactly.  More than two decimals is refused too,
    since no IRS figure carries fractions of a cent.
    """
    if isinstance(text, (bool, float)):
        raise InputError(f'{field} must be written as a string such as "1234.56", not {text!r}')
    if isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, Decimal):
        value = text
    elif isinstance(text, str):
        cleaned = text.strip().replace(",", "").replace("$", "")
        negative = cleaned.startswith("(") and cleaned.endswith(")")
        if negative:
            cleaned = "-" + cleaned[1:-1]
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise InputError(
                f'{field} {text!r} is not an amount; use a form such as "1234.56"'
            ) from None
    else:
        raise InputError(f'{field} must be an amount such as "1234.56", not {type(text).__name__}')
    if not value.is_finite():
        raise InputError(f"{field} {text!r} is not a finite amount")
    if abs(value) > MAX_AMOUNT:
        raise InputError(f"{field} is too large to be an amount (the limit is {MAX_AMOUNT:,})")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise InputError(f"{field} {text!r} has fractions of a cent")
    return value.quantize(CENT)


def format_money(amount: Decimal) -> str:
    """``Decimal("-1234.5")`` -> ``"-$1,234.50"`` (for terminals and letters, not for data)."""
    cents = quantize_cents(amount)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def format_rate(rate: Decimal) -> str:
    """A fraction as a percentage without trailing zeros: ``Decimal("0.005")`` -> ``"0.5%"``."""
    percent = (rate * HUNDRED).normalize()
    text = format(percent, "f")
    return f"{text}%"
