"""Pure computation: money, interest, penalties, ledgers, deadlines.

No I/O, no clock, no environment: every function takes its dates and its rule set as arguments.
``compute(scenario, as_of)`` recomputes an account and explains every cent.
"""

from __future__ import annotations

from balancedue.engine.account import compute
from balancedue.engine.scenario import Event, EventType, Scenario, build_scenario, parse_scenario
from balancedue.engine.statement import Line, LineKind, Statement, Unpaid

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
