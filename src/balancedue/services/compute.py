"""User actions of ``balancedue compute``: recompute an account, project it, explain it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from balancedue.engine import Event, EventType, Scenario, build_scenario, compute, parse_scenario
from balancedue.engine import Statement as Statement  # the computed account, for the interfaces
from balancedue.engine.dates import add_months
from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.services.documents import read_structured_file
from balancedue.services.serialize import to_jsonable

REPORT_VERSION = "1"


class ProjectionStep(StrEnum):
    """How far apart the dates of a projection are."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


MAX_PROJECTION_POINTS = 1200


def load_scenario(path: Path) -> Scenario:
    """Read and validate a scenario file (JSON or YAML)."""
    raw = read_structured_file(path, "scenario")
    year = raw.get("tax_year") if isinstance(raw, dict) else None
    if isinstance(year, str) and year.isascii() and year.isdigit() and len(year) <= 4:
        raw = {**raw, "tax_year": int(year)}
    return parse_scenario(raw)


def compute_statement(scenario: Scenario, as_of: date | None, rules: RuleSet) -> Statement:
    """The account as of ``as_of`` (or the scenario's own as-of date)."""
    return compute(scenario, as_of, rules=rules)


@dataclass(frozen=True)
class ProjectionRow:
    """The balance on one date of a projection."""

    date: date
    tax: Any
    failure_to_file: Any
    failure_to_pay: Any
    interest: Any
    balance: Any


def projection_dates(start: date, until: date, step: ProjectionStep) -> list[date]:
    """``start``, then every step, ending exactly on ``until``."""
    if until < start:
        raise InputError(f"--project {until.isoformat()} is before the as-of date {start.isoformat()}")
    points = [start]
    index = 1
    while True:
        if step is ProjectionStep.DAY:
            nxt = start + timedelta(days=index)
        elif step is ProjectionStep.WEEK:
            nxt = start + timedelta(weeks=index)
        elif step is ProjectionStep.MONTH:
            nxt = add_months(start, index)
        else:
            nxt = add_months(start, 3 * index)
        if nxt >= until:
            break
        points.append(nxt)
        index += 1
        if len(points) > MAX_PROJECTION_POINTS:
            raise InputError(
                f"a projection to {until.isoformat()} by {step.value} has more than {MAX_PROJECTION_POINTS} points; "
                "use a longer --step"
            )
    if points[-1] != until:
        points.append(until)
    return points


def project(scenario: Scenario, as_of: date, until: date, step: ProjectionStep, rules: RuleSet) -> list[ProjectionRow]:
    """How the balance grows from ``as_of`` to ``until`` if nothing else happens."""
    points = []
    for day in projection_dates(as_of, until, step):
        statement = compute(scenario, day, rules=rules)
        points.append(
            ProjectionRow(
                day,
                statement.tax,
                statement.failure_to_file,
                statement.failure_to_pay,
                statement.interest,
                statement.balance,
            )
        )
    return points


def statement_to_json(statement: Statement) -> dict[str, Any]:
    """The documented JSON shape of a statement: money as strings, one entry per line."""
    return {
        "version": REPORT_VERSION,
        "form": statement.form,
        "tax_year": statement.tax_year,
        "as_of": statement.as_of.isoformat(),
        "return_due_date": statement.return_due_date.isoformat(),
        "filing_due_date": statement.filing_due_date.isoformat(),
        "tax": to_jsonable(statement.tax),
        "failure_to_file": to_jsonable(statement.failure_to_file),
        "failure_to_pay": to_jsonable(statement.failure_to_pay),
        "interest": to_jsonable(statement.interest),
        "payments": to_jsonable(statement.payments),
        "balance": to_jsonable(statement.balance),
        "unpaid": to_jsonable(statement.unpaid),
        "why": dict(statement.why),
        "notes": list(statement.notes),
        "lines": [
            {
                "kind": line.kind.value,
                "period": {
                    "from": line.start.isoformat() if line.start else None,
                    "to": line.end.isoformat() if line.end else None,
                },
                "base": to_jsonable(line.base),
                "rate": to_jsonable(line.rate),
                "days": line.days,
                "months": line.months,
                "amount": to_jsonable(line.amount),
                "rule": line.rule,
                "source": line.source,
                "note": line.note,
            }
            for line in statement.lines
        ],
    }


def penalty_statement(
    *,
    form: str,
    tax_year: int,
    filed_on: date,
    tax: Decimal,
    withholding: Decimal,
    paid_on: date | None,
    paid: Decimal | None,
    as_of: date,
    rules: RuleSet,
) -> Statement:
    """Penalties and interest to ``as_of`` for a return filed on ``filed_on`` showing ``tax``,
    with withholding (deemed paid on the due date) and one later payment (the web calculator)."""
    events: list[Event] = []
    if withholding > 0:
        events.append(Event(filed_on, EventType.WITHHOLDING, withholding))
    events.append(Event(filed_on, EventType.RETURN_FILED, tax))
    if paid_on is not None and paid is not None and paid > 0:
        if paid_on < filed_on:
            raise InputError("the payment date is before the filing date; give a payment made after filing")
        events.append(Event(paid_on, EventType.PAYMENT, paid))
    if as_of < filed_on:
        raise InputError(f"the 'as of' date {as_of.isoformat()} is before the filing date {filed_on.isoformat()}")
    scenario = build_scenario(tax_year, events, form=form, as_of=as_of)
    return compute_statement(scenario, as_of, rules=rules)
