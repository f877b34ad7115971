"""Postponed due dates (IRC 7508A) and blanket penalty relief, as data.

A *federal* postponement moves the Form 1040 due date of a tax year for everyone (the COVID-19
years 2019 and 2020); a *disaster* postponement only for taxpayers in the covered area, so it is
applied only when a scenario names it.  A relief entry (Notice 2022-36) waives a penalty when
its condition holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, model_validator

from balancedue.errors import InputError, RulesDataError
from balancedue.rules.sources import FrozenModel, Source


class PostponementKind(StrEnum):
    """Who a postponement applies to."""

    FEDERAL = "federal"
    DISASTER = "disaster"


class Postponement(FrozenModel):
    """One postponement of the filing and payment due date."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    kind: PostponementKind
    title: str
    tax_years: tuple[int, ...] = Field(min_length=1)
    original_due: date
    postponed_to: date
    covers: tuple[str, ...]
    area: str
    source: Source

    @model_validator(mode="after")
    def _later(self) -> Postponement:
        if self.postponed_to <= self.original_due:
            raise ValueError(f"{self.id}: postponed_to must be after original_due")
        return self


class PenaltyRelief(FrozenModel):
    """A blanket waiver of a penalty for some tax years when a condition holds."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    penalty: str
    tax_years: tuple[int, ...] = Field(min_length=1)
    filed_on_or_before: date
    excludes: str = ""
    source: Source


class _File(FrozenModel):
    schema_version: int
    postponements: tuple[Postponement, ...] = ()
    penalty_relief: tuple[PenaltyRelief, ...] = ()


class Postponements:
    """The postponement and relief tables."""

    def __init__(self, postponements: tuple[Postponement, ...] = (), relief: tuple[PenaltyRelief, ...] = ()) -> None:
        self._items = {p.id: p for p in postponements}
        self.relief = relief

    def __iter__(self) -> Iterator[Postponement]:
        return iter(self._items.values())

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def get(self, postponement_id: str) -> Postponement:
        """A postponement by id; a clear error naming the known ids otherwise."""
        try:
            return self._items[postponement_id]
        except KeyError:
            known = ", ".join(sorted(self._items))
            raise InputError(f"postponement {postponement_id!r} is not in the data; known: {known}") from None

    def federal(self, tax_year: int) -> Postponement | None:
        """The postponement that applies to every Form 1040 filer for ``tax_year``, if any."""
        return next(
            (p for p in self._items.values() if p.kind is PostponementKind.FEDERAL and tax_year in p.tax_years), None
        )

    def for_year(self, tax_year: int, named: str | None = None) -> Postponement | None:
        """The postponement in force for ``tax_year``: a named disaster one wins over the federal one
        when it ends later."""
        federal = self.federal(tax_year)
        if named is None:
            return federal
        chosen = self.get(named)
        if tax_year not in chosen.tax_years:
            years = ", ".join(str(y) for y in chosen.tax_years)
            raise InputError(f"postponement {named!r} covers tax year {years}, not {tax_year}")
        if federal is not None and federal.postponed_to > chosen.postponed_to:
            return federal
        return chosen

    def ftf_relief(self, tax_year: int, filed: date | None) -> PenaltyRelief | None:
        """The blanket failure-to-file waiver that covers a return filed on ``filed``, if any."""
        if filed is None:
            return None
        return next(
            (r for r in self.relief
             if r.penalty == "failure_to_file" and tax_year in r.tax_years and filed <= r.filed_on_or_before),
            None,
        )


def parse_postponements(raw: Mapping[str, Any]) -> Postponements:
    """Validate ``postponements.yaml``."""
    try:
        data = _File.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RulesDataError("postponements.yaml", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}") from exc
    ids = [p.id for p in data.postponements]
    if len(ids) != len(set(ids)):
        raise RulesDataError("postponements.yaml", "duplicate postponement id")
    return Postponements(data.postponements, data.penalty_relief)
