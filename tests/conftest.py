"""Shared test set-up: any float mixed into Decimal arithmetic fails loudly."""

from __future__ import annotations

import decimal
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _trap_float_operations() -> Iterator[None]:
    """Mixing a float into Decimal code (comparison or construction) raises FloatOperation."""
    context = decimal.getcontext()
    previous = context.traps[decimal.FloatOperation]
    context.traps[decimal.FloatOperation] = True
    try:
        yield
    finally:
        context.traps[decimal.FloatOperation] = previous


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/golden/ from the current output (a deliberate change of report output)",
    )
