"""The examples in docs/input-files.md are read by the real loaders, so the documentation
cannot drift from what the program accepts."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from balancedue.advice.finances import allowable_expenses, read_finances
from balancedue.advice.verification import parse_records
from balancedue.errors import InputError
from balancedue.rules import load_rules
from balancedue.services.estimated_tax import load_estimated_tax_input

DOC = Path(__file__).resolve().parents[2] / "docs" / "input-files.md"


def _example(section: str) -> dict[str, Any]:
    """The one ```json block under the ``## <section>`` heading."""
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    (body,) = [part for part in parts if part.startswith(section)]
    blocks = re.findall(r"```json\n(.*?)```", body, flags=re.DOTALL)
    assert len(blocks) == 1, f"{section}: expected one JSON example"
    loaded = json.loads(blocks[0])
    assert isinstance(loaded, dict)
    return loaded


def test_the_records_example_is_read() -> None:
    records = parse_records(_example("Records"))
    # The example: tax year 2024, tax on the return 10,000.00, filed 2025-04-14.
    assert records.tax_year == 2024
    assert records.tax_on_return == Decimal("10000.00")
    assert records.return_filed == date(2025, 4, 14)


def test_the_finances_example_is_read_and_screened() -> None:
    finances = read_finances(_example("Finances"))
    assert (finances.household_size, finances.state, finances.county, finances.vehicles) == (3, "FL", "Miami-Dade", 1)
    assert finances.monthly_income == Decimal("3900.00")
    # Miami-Dade on 2026-11-27: every standard the example needs is in the data (national,
    # health care, county housing, Miami operating costs), so nothing is missing.
    expenses = allowable_expenses(finances, load_rules(), date(2026, 11, 27))
    assert expenses.missing == ()


def test_the_estimated_tax_example_is_read() -> None:
    loaded = load_estimated_tax_input(_example("Estimated tax"), load_rules())
    assert loaded.tax_year == 2024
    # Four required installments of 1,529.00 as written in the example.
    assert loaded.required_installments == (Decimal("1529.00"),) * 4
    assert loaded.paid_in_full_date == date(2025, 4, 15)


def test_a_field_the_documentation_does_not_list_is_refused() -> None:
    example = _example("Finances")
    example["pets"] = 2
    with pytest.raises(InputError, match="pets"):
        read_finances(example)
