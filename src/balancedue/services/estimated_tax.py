"""The estimated-tax penalty (IRC 6654) from a JSON or YAML description of the year.

The input is strict: unknown keys, floats for money, negative amounts, dates not written as
YYYY-MM-DD, the wrong number of installments, dates out of order and tax years the rules data
does not cover are refused with one line that names the field.  Example::

    {
      "tax_year": 2005,
      "required_installments": ["1529.00", "1529.00", "1529.00", "1529.00"],
      "withholding": "3228.00",
      "payments": [{"date": "2005-09-02", "amount": "1000.00"},
                   {"date": "2006-01-12", "amount": "1000.00"}],
      "paid_in_full_date": "2006-04-15"
    }

Give ``required_annual_payment`` instead of ``required_installments`` to split it equally;
``installment_due_dates`` (four dates) replaces the usual due dates; ``withholding_dates``
(a list like ``payments``) gives the dates tax was actually withheld.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.engine.estimated_tax import (
    DatedAmount,
    EstimatedTaxInput,
    EstimatedTaxResult,
    compute_estimated_tax_penalty,
    default_due_dates,
    penalty_end_date,
)
from balancedue.engine.money import ZERO, parse_money
from balancedue.errors import DateOutsideRulesError, InputError, InvalidDateError
from balancedue.rules import RuleSet
from balancedue.services.documents import read_structured_file
from balancedue.services.serialize import to_jsonable

KEYS = (
    "tax_year",
    "required_installments",
    "required_annual_payment",
    "installment_due_dates",
    "withholding",
    "withholding_dates",
    "payments",
    "paid_in_full_date",
)
DATED_KEYS = ("date", "amount")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_estimated_tax_input(
    mapping: Mapping[str, Any], rules: RuleSet
) -> EstimatedTaxInput:
    """Validate a mapping (parsed JSON or YAML) into an :class:`EstimatedTaxInput`."""
    if not isinstance(mapping, Mapping):
        raise InputError("the estimated-tax input must be a mapping of fields to values")
    unknown = [str(key) for key in mapping if key not in KEYS]
    if unknown:
        raise InputError(
            f"unknown field(s) {', '.join(repr(k) for k in unknown)}; "
            f"the fields are {', '.join(KEYS)}"
        )
    tax_year = _tax_year(mapping.get("tax_year"))
    try:
        count = len(default_due_dates(tax_year, rules))
        penalty_end_date(tax_year, rules)
    except DateOutsideRulesError as exc:
        raise InputError(f"tax_year {tax_year}: {exc.message}") from exc

    installments = mapping.get("required_installments")
    annual = mapping.get("required_annual_payment")
    if (installments is None) == (annual is None):
        raise InputError(
            "give either required_installments (one amount per due date) or "
            "required_annual_payment, not both or neither"
        )
    required: tuple[Decimal, ...] | None = None
    if installments is not None:
        required = tuple(
            _amount(value, f"required_installments[{i}]")
            for i, value in enumerate(_list(installments, "required_installments", count))
        )
    annual_amount = _amount(annual, "required_annual_payment") if annual is not None else None

    due_dates: tuple[date, ...] | None = None
    if mapping.get("installment_due_dates") is not None:
        raw_dates = _list(mapping["installment_due_dates"], "installment_due_dates", count)
        due_dates = tuple(
            _date(value, f"installment_due_dates[{i}]") for i, value in enumerate(raw_dates)
        )
        _in_order(due_dates, "installment_due_dates", strictly=True)
        _within_year(due_dates, tax_year, rules)

    withholding = ZERO
    if mapping.get("withholding") is not None:
        withholding = _amount(mapping["withholding"], "withholding")
    withholding_dates: tuple[DatedAmount, ...] | None = None
    if mapping.get("withholding_dates") is not None:
        withholding_dates = _dated_amounts(mapping["withholding_dates"], "withholding_dates")
        listed = sum((w.amount for w in withholding_dates), ZERO)
        if mapping.get("withholding") is not None and listed != withholding:
            raise InputError(
                f"withholding_dates add up to {listed}, not the withholding of {withholding}; "
                "make them agree or give only one of the two"
            )
        withholding = listed

    payments: tuple[DatedAmount, ...] = ()
    if mapping.get("payments") is not None:
        payments = _dated_amounts(mapping["payments"], "payments")

    paid_in_full: date | None = None
    if mapping.get("paid_in_full_date") is not None:
        paid_in_full = _date(mapping["paid_in_full_date"], "paid_in_full_date")
        if paid_in_full < date(tax_year, 1, 1):
            raise InputError(
                f"paid_in_full_date {paid_in_full.isoformat()} is before tax year {tax_year} began"
            )
        late = [p for p in payments if p.date > paid_in_full]
        if late:
            raise InputError(
                f"payments: {late[0].date.isoformat()} is after paid_in_full_date "
                f"{paid_in_full.isoformat()}; a payment cannot follow the date the balance "
                "was paid in full"
            )

    inp = EstimatedTaxInput(
        tax_year=tax_year,
        required_installments=required,
        required_annual_payment=annual_amount,
        installment_due_dates=due_dates,
        withholding=withholding,
        withholding_dates=withholding_dates,
        payments=payments,
        paid_in_full_date=paid_in_full,
    )
    _check_rate_coverage(inp, rules)
    return inp


def estimated_tax_penalty(
    source: str | Path | Mapping[str, Any], rules: RuleSet
) -> EstimatedTaxResult:
    """The IRC 6654 penalty for the year described by a JSON/YAML file or a mapping."""
    mapping = _read(Path(source)) if isinstance(source, (str, Path)) else source
    inp = load_estimated_tax_input(mapping, rules)
    try:
        return compute_estimated_tax_penalty(inp, rules)
    except DateOutsideRulesError as exc:
        raise InputError(f"tax_year {inp.tax_year}: {exc.message}") from exc


def _read(path: Path) -> Mapping[str, Any]:
    loaded = read_structured_file(path, "estimated-tax")
    if not isinstance(loaded, Mapping):
        raise InputError(
            f"estimated-tax file {str(path)!r} must hold a mapping of fields such as "
            '{"tax_year": 2005, ...}'
        )
    return loaded


def _tax_year(value: Any) -> int:
    if value is None:
        raise InputError("tax_year is missing; give the year as a number such as 2005")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"tax_year must be a year written as a number such as 2005, not {value!r}")
    if not date.min.year < value < date.max.year:
        raise InputError(f"tax_year {value} is not a usable year")
    return value


def _list(value: Any, field: str, count: int | None = None) -> Sequence[Any]:
    if not isinstance(value, list):
        raise InputError(f"{field} must be a list, not {type(value).__name__}")
    if count is not None and len(value) != count:
        raise InputError(
            f"{field} must list {count} entries, one per installment; found {len(value)}"
        )
    return value


def _amount(value: Any, field: str) -> Decimal:
    amount = parse_money(value, field)
    if amount < ZERO:
        raise InputError(f"{field} {value!r} is negative; amounts must be zero or more")
    return amount


def _date(value: Any, field: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidDateError(str(value), field)


def _dated_amounts(value: Any, field: str) -> tuple[DatedAmount, ...]:
    entries: list[DatedAmount] = []
    for index, entry in enumerate(_list(value, field)):
        where = f"{field}[{index}]"
        if not isinstance(entry, Mapping):
            raise InputError(
                f'{where} must be a mapping such as {{"date": "2005-09-02", "amount": "1000.00"}}'
            )
        unknown = [str(key) for key in entry if key not in DATED_KEYS]
        if unknown:
            raise InputError(
                f"{where}: unknown field(s) {', '.join(repr(k) for k in unknown)}; use date and amount"
            )
        missing = [key for key in DATED_KEYS if key not in entry]
        if missing:
            raise InputError(f"{where}: {' and '.join(missing)} missing")
        entries.append(
            DatedAmount(
                _date(entry["date"], f"{where}.date"), _amount(entry["amount"], f"{where}.amount")
            )
        )
    _in_order(tuple(e.date for e in entries), field, strictly=False)
    return tuple(entries)


def _in_order(dates: Sequence[date], field: str, *, strictly: bool) -> None:
    for index in range(1, len(dates)):
        before, after = dates[index - 1], dates[index]
        if after < before or (strictly and after == before):
            raise InputError(
                f"{field}[{index}] {after.isoformat()} comes before {before.isoformat()}; "
                "list the dates in order"
            )


def _within_year(due_dates: Sequence[date], tax_year: int, rules: RuleSet) -> None:
    first, last = date(tax_year, 1, 1), penalty_end_date(tax_year, rules)
    for index, due in enumerate(due_dates):
        if not first <= due <= last:
            raise InputError(
                f"installment_due_dates[{index}] {due.isoformat()} is not a due date for tax year "
                f"{tax_year}: due dates fall between {first.isoformat()} and {last.isoformat()}"
            )


def _check_rate_coverage(inp: EstimatedTaxInput, rules: RuleSet) -> None:
    """The rate table must cover the days the penalty can run (never extrapolated)."""
    due_dates = inp.installment_due_dates or default_due_dates(inp.tax_year, rules)
    end = penalty_end_date(inp.tax_year, rules)
    if due_dates[-1] > end:
        raise InputError(
            f"installment_due_dates: {due_dates[-1].isoformat()} is after {end.isoformat()}, "
            "the last day the penalty can run"
        )
    stop = min(inp.paid_in_full_date or end, end)
    first = due_dates[0]
    table = rules.rates
    if first < table.first_day or (stop > first and stop > table.last_day):
        raise InputError(
            f"tax_year {inp.tax_year}: the penalty can run from {first.isoformat()} to "
            f"{stop.isoformat()}, but the underpayment rates in the rules data cover "
            f"{table.first_day.isoformat()} to {table.last_day.isoformat()}"
        )


def estimated_tax_to_json(result: EstimatedTaxResult) -> dict[str, Any]:
    """The documented JSON shape: ``penalty`` and one entry per line, money and rates as strings."""
    return {
        "tax_year": result.tax_year,
        "penalty": to_jsonable(result.penalty),
        "penalty_stops": result.penalty_stops.isoformat(),
        "installments": to_jsonable(result.installments),
        "lines": [
            {
                "installment": line.installment,
                "underpayment": to_jsonable(line.underpayment),
                "from": line.from_date.isoformat(),
                "to": line.to_date.isoformat(),
                "days": line.days,
                "rate": to_jsonable(line.annual_rate),
                "days_in_year": line.days_in_year,
                "amount": to_jsonable(line.amount),
                "rule": line.citation,
                "source": "; ".join(source.short() for source in line.sources),
            }
            for line in result.lines
        ],
        "notes": list(result.notes),
    }
