"""The one model field for money: whole cents in an integer column, Decimal in Python.

The same column type (a 64-bit integer) on SQLite and PostgreSQL, so no amount depends on the
database's decimal arithmetic or its float conversions.  Amounts with fractions of a cent and
floats are refused rather than rounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

CENTS_PER_DOLLAR = 100
ONE_CENT = Decimal("0.01")


def to_cents(value: Decimal | int | str) -> int:
    """Whole cents of an amount; a fraction of a cent or a float is an error."""
    if isinstance(value, float):
        raise TypeError("money must be a Decimal, an int or text, never a float")
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money")
    cents = amount * CENTS_PER_DOLLAR
    if cents != cents.to_integral_value():
        raise ValueError(f"{value!r} has a fraction of a cent")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """The Decimal amount of a number of cents, always with two decimal places."""
    return (Decimal(cents) / CENTS_PER_DOLLAR).quantize(ONE_CENT)


class MoneyField(models.BigIntegerField):  # type: ignore[misc]
    """An amount of money kept as whole cents; reads back as a two-place Decimal."""

    description = "An amount of money in whole cents"

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else from_cents(int(value))

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return from_cents(to_cents(value))
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc)) from None

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        return to_cents(value)
