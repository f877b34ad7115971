"""Fixtures of the advice tests."""

from __future__ import annotations

import pytest

from balancedue.rules import RuleSet, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()
