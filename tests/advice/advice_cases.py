"""Fictional accounts and households for the advice tests, and a walker that finds uncited amounts."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.advice.figures import BalanceSeries, CitedAmount
from balancedue.engine import Scenario, Statement, compute, parse_scenario
from balancedue.rules import RuleSet

TODAY = date(2026, 11, 27)


def balance_due_scenario(tax: str, *, filed: str = "2026-04-10", notice: str = "2026-05-25") -> Scenario:
    """A fictional 2025 Form 1040 filed on time with ``tax`` unpaid, billed on CP14."""
    return parse_scenario({
        "form": "1040",
        "tax_year": 2025,
        "label": f"Fictional taxpayer owing {tax}",
        "events": [
            {"date": filed, "type": "return_filed", "tax": tax},
            {"date": notice, "type": "notice_and_demand"},
        ],
    })


def statement_of(scenario: Scenario, rules: RuleSet, on: date = TODAY) -> Statement:
    return compute(scenario, on, rules=rules)


# A fictional household in Miami-Dade County, Florida (every standard is in the data there).
MIAMI_HOUSEHOLD: dict[str, Any] = {
    "household": {"size": 2, "ages": [44, 41]},
    "state": "FL",
    "county": "Miami-Dade",
    "monthly_income": "6200.00",
    "vehicles": 1,
    "expenses": {
        "housing_utilities": "2400.00",
        "vehicle_ownership": "380.00",
        "vehicle_operating": "250.00",
        "health_insurance": "420.00",
        "current_taxes": "900.00",
    },
    "bank_balances": "2500.00",
    "assets": [{"description": "Car", "kind": "vehicle", "market_value": "12000.00", "loan": "9000.00"}],
}


def walk(value: object, path: str = "report") -> Iterator[tuple[str, object]]:
    """Every (path, value) inside dataclasses, tuples, lists and dicts, depth first."""
    yield path, value
    if isinstance(value, (CitedAmount, BalanceSeries)):
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from walk(getattr(value, item.name), f"{path}.{item.name}")
    elif isinstance(value, (tuple, list)):
        for index, inner in enumerate(value):
            yield from walk(inner, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from walk(inner, f"{path}[{key!r}]")


def uncited_amounts(report: object) -> list[str]:
    """Paths of Decimals not inside a CitedAmount or BalanceSeries, and of Figures without rule or source."""
    problems = []
    for path, value in walk(report):
        if isinstance(value, Decimal):
            problems.append(f"{path}: bare amount {value}")
        if isinstance(value, CitedAmount) and (not value.rule.strip() or not value.source.strip()):
            problems.append(f"{path}: figure without rule or source")
        if isinstance(value, BalanceSeries) and (not value.rule.strip() or not value.source.strip()):
            problems.append(f"{path}: series without rule or source")
    return problems
