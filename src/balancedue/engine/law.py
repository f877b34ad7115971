"""The figures one account computation reads from the rules data, with their sources.

``AccountLaw`` looks each parameter up once, on the date it applies to, so that the ledger
never touches the rules data in its inner loops and every line can name its source.  The
look-ups are kept per rules data (the data is immutable), so every account computed with the
same rules shares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.rules import RuleSet, Source

MEMO_LIMIT = 100_000  # not law: look-ups kept per rules data, at most
_MEMOS: dict[int, tuple[RuleSet, dict[str, dict[Any, Any]]]] = {}


def rules_memo(rules: RuleSet, name: str) -> dict[Any, Any]:
    """A dictionary of look-ups named ``name`` that belongs to ``rules`` (kept while they are).

    Callers stop adding to it at :data:`MEMO_LIMIT` entries.
    """
    held = _MEMOS.get(id(rules))
    if held is None or held[0] is not rules:
        if len(_MEMOS) >= 8:  # not law: rules data sets kept at once (one in a running product)
            _MEMOS.clear()
        held = (rules, {})
        _MEMOS[id(rules)] = held
    memo = held[1].get(name)
    if memo is None:
        memo = held[1][name] = {}
    return memo


@dataclass
class AccountLaw:
    """Cached parameter look-ups for one account."""

    rules: RuleSet
    _cache: dict[tuple[str, date], tuple[Decimal, Source, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._cache = rules_memo(self.rules, "parameters")

    def value(self, rule_id: str, on: date) -> Decimal:
        """The numeric parameter ``rule_id`` in force on ``on``."""
        return self._entry(rule_id, on)[0]

    def entry(self, rule_id: str, on: date) -> tuple[Decimal, Source]:
        """The value and its source."""
        value, source, _ = self._entry(rule_id, on)
        return value, source

    def _entry(self, rule_id: str, on: date) -> tuple[Decimal, Source, str]:
        key = (rule_id, on)
        hit = self._cache.get(key)
        if hit is None:
            entry = self.rules.parameters.entry(rule_id, on)
            hit = (Decimal(entry.value), entry.source, entry.source.short())
            if len(self._cache) < MEMO_LIMIT:
                self._cache[key] = hit
        return hit

    def cite(self, rule_id: str, on: date) -> str:
        """Short citation of the parameter's source (with its verification when not primary)."""
        return self._entry(rule_id, on)[2]

    def days(self, rule_id: str, on: date) -> int:
        """A whole-number parameter (days, business days, months)."""
        return int(self.value(rule_id, on))

    def rate_source(self, day: date) -> str:
        """One line naming the underpayment rate in force on ``day`` and its best source."""
        return self.rules.rates.label_on(day)
