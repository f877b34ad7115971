"""Pure computation: money, interest, penalties, ledgers, deadlines.

No I/O, no clock, no environment: every function takes its dates and its rule set as arguments.
``compute(scenario, as_of)`` recomputes an account and explains every cent.
"""

from __future__ import annotations

from balancedue.engine.statement import Line, LineKind, Statement, Unpaid

TYPE_CHECKING = False
if TYPE_CHECKING:
    from balancedue.engine.account import compute
    from balancedue.engine.scenario import (
        Event,
        EventType,
        Scenario,
        build_scenario,
        parse_scenario,
    )

_LAZY = {"compute": "account", "Event": "scenario", "EventType": "scenario", "Scenario": "scenario",
         "build_scenario": "scenario", "parse_scenario": "scenario"}


def __getattr__(name: str) -> object:
    """The ledger and the scenario parser, imported on first use, so that a module that needs only
    ``engine.money`` or ``engine.dates`` (the case list, the desk) does not load the whole engine."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'balancedue.engine' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"balancedue.engine.{module}"), name)


__all__ = [
    "Event",
    "EventType",
    "Line",
    "LineKind",
    "Scenario",
    "Statement",
    "Unpaid",
    "build_scenario",
    "compute",
    "parse_scenario",
]
