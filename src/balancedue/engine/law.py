"""The figures one account computation reads from the rules data, with their sources.

``AccountLaw`` looks each parameter up once, on the date it applies to, so that the ledger
never touches the rules data in its inner loops and every line can name its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from balancedue.rules import RuleSet, Source


@dataclass
class AccountLaw:
    """Cached parameter look-ups for one account."""

    rules: RuleSet
    _cache: dict[tuple[str, date], tuple[Decimal, Source]] = field(default_factory=dict)

    def value(self, rule_id: str, on: date) -> Decimal:
        """The numeric parameter ``rule_id`` in force on ``on``."""
        return self.entry(rule_id, on)[0]

    def entry(self, rule_id: str, on: date) -> tuple[Decimal, Source]:
        """The value and its source."""
        key = (rule_id, on)
        hit = self._cache.get(key)
        if hit is None:
            entry = self.rules.parameters.entry(rule_id, on)
            hit = (entry.decimal, entry.source)
            self._cache[key] = hit
        return hit

    def cite(self, rule_id: str, on: date) -> str:
        """Short citation of the parameter's source (with its verification when not primary)."""
        return self.entry(rule_id, on)[1].short()

    def days(self, rule_id: str, on: date) -> int:
        """A whole-number parameter (days, business days, months)."""
        return int(self.value(rule_id, on))
