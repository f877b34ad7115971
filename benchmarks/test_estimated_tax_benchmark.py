"""How long one Form 2210 penalty computation takes (measured, never asserted)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from balancedue.engine.estimated_tax import (
    DatedAmount,
    EstimatedTaxInput,
    compute_estimated_tax_penalty,
)
from balancedue.rules import load_rules


def test_penalty_with_a_payment_every_two_weeks(benchmark: Any) -> None:
    rules = load_rules()
    start = date(2023, 1, 2)
    inp = EstimatedTaxInput(
        tax_year=2023,
        required_annual_payment=Decimal("48000.00"),
        withholding=Decimal("6000.00"),
        payments=tuple(
            DatedAmount(start + timedelta(weeks=2 * n), Decimal("1250.00")) for n in range(30)
        ),
    )
    result = benchmark(compute_estimated_tax_penalty, inp, rules)
    assert result.penalty >= 0
