"""Tax-law parameters as data: rates, caps, thresholds, fees and day counts.

Each parameter (``penalty.ftf.monthly_rate``, ``fees.installment_agreement.online_direct_debit``
...) is a list of values, each with the dates it is in force and its :class:`Source`.  The
values of one parameter must be contiguous: no overlap and no gap.  A look-up on a date that no
value covers is an error, never an extrapolation.

Values are written as strings in the YAML (``"0.005"``, never ``0.005``) so that no float is ever
involved.  ``unit`` says how to read the value:

* ``rate``        - a fraction (``"0.05"`` is 5 percent), at most 1;
* ``percent``     - a percentage that may exceed 100 (``"250"`` is 250 percent);
* ``usd``         - dollars and cents;
* ``days``, ``business_days``, ``months``, ``years``, ``count`` - whole numbers;
* ``month_day``   - a recurring calendar date ``"MM-DD"`` (a due date).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from balancedue.errors import DateOutsideRulesError, RulesDataError, UnknownRuleError
from balancedue.rules.sources import FrozenModel, Source

RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"
_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


class Unit(StrEnum):
    """How a parameter value is read."""

    RATE = "rate"
    USD = "usd"
    DAYS = "days"
    BUSINESS_DAYS = "business_days"
    MONTHS = "months"
    YEARS = "years"
    COUNT = "count"
    MONTH_DAY = "month_day"
    PERCENT = "percent"

    @property
    def is_whole_number(self) -> bool:
        """Units whose values must be whole numbers."""
        return self in {Unit.DAYS, Unit.BUSINESS_DAYS, Unit.MONTHS, Unit.YEARS, Unit.COUNT}


class ParameterValue(FrozenModel):
    """One value of a parameter and the dates it is in force (both inclusive)."""

    value: str
    effective_from: date
    effective_to: date | None = None
    source: Source
    rounding: str | None = None
    note: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _value_is_text(cls, raw: Any) -> Any:
        if isinstance(raw, float):
            raise ValueError(f"write the value {raw!r} as a quoted string, never a float")
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
        return raw

    @model_validator(mode="after")
    def _dates_in_order(self) -> ParameterValue:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(
                f"effective_to {self.effective_to} is before effective_from {self.effective_from}"
            )
        return self

    def covers(self, day: date) -> bool:
        """True when this value is in force on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def decimal(self) -> Decimal:
        """The value as a Decimal (numeric units only)."""
        return Decimal(self.value)


class Parameter(FrozenModel):
    """A named tax-law parameter and its values over time."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=3)
    description: str = Field(min_length=3)
    unit: Unit
    values: tuple[ParameterValue, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _values_are_well_formed(self) -> Parameter:
        for entry in self.values:
            if self.unit is Unit.MONTH_DAY:
                if not _MONTH_DAY.match(entry.value):
                    raise ValueError(f"{self.id}: {entry.value!r} is not MM-DD")
                continue
            try:
                number = Decimal(entry.value)
            except InvalidOperation as exc:
                raise ValueError(f"{self.id}: {entry.value!r} is not a number") from exc
            if not number.is_finite() or number < 0:
                raise ValueError(
                    f"{self.id}: {entry.value!r} must be a finite, non-negative number"
                )
            if self.unit.is_whole_number and number != number.to_integral_value():
                raise ValueError(
                    f"{self.id}: {entry.value!r} must be a whole number of {self.unit}"
                )
            if self.unit is Unit.RATE and number > 1:
                raise ValueError(f"{self.id}: rate {entry.value!r} must be a fraction (0.05 is 5%)")
        ordered = sorted(self.values, key=lambda v: v.effective_from)
        if list(ordered) != list(self.values):
            raise ValueError(f"{self.id}: values must be listed oldest first")
        for before, after in itertools.pairwise(ordered):
            if before.effective_to is None:
                raise ValueError(
                    f"{self.id}: value from {before.effective_from} is open-ended but not last"
                )
            if after.effective_from <= before.effective_to:
                raise ValueError(
                    f"{self.id}: values from {before.effective_from} and {after.effective_from} overlap"
                )
            if after.effective_from != before.effective_to + timedelta(days=1):
                raise ValueError(
                    f"{self.id}: gap between {before.effective_to} and {after.effective_from}"
                )
        return self

    @property
    def first_day(self) -> date:
        """The first day any value is in force."""
        return self.values[0].effective_from

    @property
    def last_day(self) -> date | None:
        """The last day covered, or ``None`` when the newest value is open-ended."""
        return self.values[-1].effective_to

    def entry_on(self, day: date) -> ParameterValue:
        """The value in force on ``day``; an error when none is."""
        for entry in self.values:
            if entry.covers(day):
                return entry
        raise DateOutsideRulesError(
            f"value of {self.id}", day, self.first_day, self.last_day or date.max
        )


class ParameterFile(FrozenModel):
    """The parsed ``parameters.yaml``."""

    schema_version: int
    renamed: dict[str, str] = Field(default_factory=dict)
    parameters: tuple[Parameter, ...]


class ParameterSet:
    """All parameters, looked up by id and date."""

    def __init__(self, data: ParameterFile) -> None:
        by_id: dict[str, Parameter] = {}
        for parameter in data.parameters:
            if parameter.id in by_id:
                raise RulesDataError(
                    "parameters.yaml", f"parameter {parameter.id!r} is defined twice"
                )
            by_id[parameter.id] = parameter
        for old, new in data.renamed.items():
            if new not in by_id:
                raise RulesDataError("parameters.yaml", f"rename {old!r} -> {new!r} points nowhere")
        self._by_id = by_id
        self._renamed = dict(data.renamed)
        self._memo: dict[tuple[str, date], ParameterValue] = {}

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Parameter:
        """The parameter called ``rule_id``; a clear error for an unknown or renamed id."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownRuleError(rule_id, self._renamed.get(rule_id)) from None

    def entry(self, rule_id: str, on: date) -> ParameterValue:
        """The value of ``rule_id`` in force on ``on``, with its source (memoized: data is immutable)."""
        key = (rule_id, on)
        found = self._memo.get(key)
        if found is None:
            found = self.get(rule_id).entry_on(on)
            if len(self._memo) < 100_000:
                self._memo[key] = found
        return found

    def decimal(self, rule_id: str, on: date) -> Decimal:
        """A numeric parameter on a date, as a Decimal."""
        parameter = self.get(rule_id)
        if parameter.unit is Unit.MONTH_DAY:
            raise RulesDataError("parameters.yaml", f"{rule_id} is a month_day, not a number")
        return parameter.entry_on(on).decimal

    def integer(self, rule_id: str, on: date) -> int:
        """A whole-number parameter (days, months, count) on a date."""
        parameter = self.get(rule_id)
        if not parameter.unit.is_whole_number:
            raise RulesDataError(
                "parameters.yaml", f"{rule_id} is in {parameter.unit}, not a whole number"
            )
        return int(parameter.entry_on(on).decimal)

    def month_day(self, rule_id: str, on: date) -> tuple[int, int]:
        """A ``month_day`` parameter on a date, as (month, day)."""
        parameter = self.get(rule_id)
        if parameter.unit is not Unit.MONTH_DAY:
            raise RulesDataError(
                "parameters.yaml", f"{rule_id} is in {parameter.unit}, not a month_day"
            )
        month, day = parameter.entry_on(on).value.split("-")
        return int(month), int(day)

    def source(self, rule_id: str, on: date) -> Source:
        """The source of the value of ``rule_id`` in force on ``on``."""
        return self.entry(rule_id, on).source


def parse_parameters(raw: Mapping[str, Any]) -> ParameterSet:
    """Validate the mapping loaded from ``parameters.yaml``."""
    try:
        data = ParameterFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("parameters.yaml", f"{where}: {first['msg']}") from exc
    return ParameterSet(data)
