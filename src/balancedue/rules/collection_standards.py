"""IRS Collection Financial Standards (allowable living expenses) as dated, sourced data.

The IRS compares a taxpayer's expenses with these standards when it decides what the taxpayer
can pay (IRM 5.15.1; Forms 433-A, 433-A (OIC), 433-F):

* National Standards for food, clothing and other items, by household size;
* National Standards for out-of-pocket health care, per person, by age band;
* Local Standards for housing and utilities, by county and household size;
* Local Standards for transportation: ownership cost per vehicle (nationwide), operating cost
  by Census region or metropolitan area, and a nationwide public-transportation amount.

The standards are republished each spring.  The data holds *editions*; each edition holds only
the tables that could be sourced.  Every look-up answers ``None`` when no edition in force on
the date has the table (or the county, or the state's region): the caller then uses the
taxpayer's actual figure and says so.  A figure from an edition past its ``review_after`` date
is returned with ``stale=True``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from balancedue.errors import RulesDataError
from balancedue.rules.sources import FrozenModel, Source

_MONEY = re.compile(r"^\d+\.\d{2}$")
_STATE = r"^[A-Z]{2}$"
HOUSEHOLD_COLUMNS = 5  # housing tables: 1, 2, 3, 4 and "5 or more" persons


def _money(value: Any, where: str) -> Decimal:
    if not isinstance(value, str) or not _MONEY.match(value):
        raise ValueError(f"{where}: {value!r} must be a quoted amount such as \"123.00\"")
    return Decimal(value)


def county_key(name: str) -> str:
    """``"Miami-Dade County"`` and ``"miami dade"`` -> ``"miami dade"`` (for matching only).

    The designations the tables print after a name are dropped (County, Parish, Borough, Census
    Area, Municipality, Municipio, City and Borough, Planning Region), but not "city": Virginia's
    independent cities and Baltimore and St. Louis cities are different places from the counties
    of the same name."""
    cleaned = re.sub(r"[\s\-.]+", " ", name.strip().lower())
    cleaned = re.sub(r"\b(city and borough|census area|planning region|municipality|municipio)\b", "", cleaned)
    cleaned = re.sub(r"\b(county|parish|borough)\b", "", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip()


_OWN_DESIGNATION = re.compile(
    r"(?i)\b(parish|borough|census area|municipality|municipio|planning region|city|district of columbia)$"
)


def county_label(name: str) -> str:
    """The county's name as a reader expects it: ``"Cook"`` -> ``"Cook County"``, but
    ``"Acadia Parish"`` and ``"Alexandria city"`` as printed."""
    return name if _OWN_DESIGNATION.search(name.strip()) else f"{name} County"


class NationalItem(FrozenModel):
    """One line of the food, clothing and other items standard."""

    item: str = Field(min_length=3)
    by_household_size: dict[int, str]


class NationalTable(FrozenModel):
    """Food, clothing and other items, by household size (1 to 4, then per extra person)."""

    by_household_size: dict[int, str]
    each_additional_person: str
    items: tuple[NationalItem, ...] = ()
    source: Source

    @model_validator(mode="after")
    def _well_formed(self) -> NationalTable:
        sizes = sorted(self.by_household_size)
        if sizes != list(range(1, len(sizes) + 1)) or not sizes:
            raise ValueError(f"national standards need household sizes 1..n, found {sizes}")
        for size, value in self.by_household_size.items():
            _money(value, f"national size {size}")
        _money(self.each_additional_person, "national each_additional_person")
        for item in self.items:
            if sorted(item.by_household_size) != sizes:
                raise ValueError(f"national item {item.item!r} does not cover sizes {sizes}")
        if self.items:
            for size in sizes:
                total = sum(
                    (_money(i.by_household_size[size], i.item) for i in self.items), Decimal(0)
                )
                if total != Decimal(self.by_household_size[size]):
                    raise ValueError(
                        f"national items for {size} person(s) add up to {total}, "
                        f"not the total {self.by_household_size[size]}"
                    )
        return self


class HealthCareTable(FrozenModel):
    """Out-of-pocket health care, per person per month, by age band."""

    under_65: str
    age_65_and_older: str
    older_from_age: int = Field(ge=1, le=120, description="first age of the older band")
    source: Source

    @model_validator(mode="after")
    def _amounts(self) -> HealthCareTable:
        _money(self.under_65, "health_care under_65")
        _money(self.age_65_and_older, "health_care age_65_and_older")
        return self


class OperatingRegion(FrozenModel):
    """Vehicle operating cost of one Census region (for the states listed)."""

    id: str = Field(pattern=r"^[a-z_]+$")
    name: str = Field(min_length=3)
    states: tuple[str, ...] = Field(min_length=1)
    one_vehicle: str
    two_vehicles: str

    @field_validator("states")
    @classmethod
    def _state_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for state in value:
            if not re.match(_STATE, state):
                raise ValueError(f"state {state!r} must be a two-letter code")
        return value


class MetroArea(FrozenModel):
    """Vehicle operating cost of one metropolitan statistical area (overrides its region)."""

    name: str = Field(min_length=3)
    state: str = Field(pattern=_STATE)
    counties: tuple[str, ...] = Field(min_length=1)
    one_vehicle: str
    two_vehicles: str


class OperatingCosts(FrozenModel):
    """Regions and metropolitan areas with their operating costs."""

    regions: tuple[OperatingRegion, ...] = ()
    metro_areas: tuple[MetroArea, ...] = ()


class TransportationTable(FrozenModel):
    """Ownership (per vehicle, nationwide), operating and public-transportation standards."""

    ownership_per_vehicle: str | None = None
    max_vehicles: int = Field(ge=1, le=10)
    public_transportation: str | None = None
    operating: OperatingCosts = Field(default_factory=OperatingCosts)
    source: Source

    @model_validator(mode="after")
    def _amounts(self) -> TransportationTable:
        if self.ownership_per_vehicle is not None:
            _money(self.ownership_per_vehicle, "ownership_per_vehicle")
        if self.public_transportation is not None:
            _money(self.public_transportation, "public_transportation")
        for region in self.operating.regions:
            _money(region.one_vehicle, f"region {region.id}")
            _money(region.two_vehicles, f"region {region.id}")
        for metro in self.operating.metro_areas:
            _money(metro.one_vehicle, f"metro area {metro.name}")
            _money(metro.two_vehicles, f"metro area {metro.name}")
        return self


class CountyHousing(FrozenModel):
    """Housing and utilities of one county, 1 to 5+ persons.

    The IRS publishes one total per county and household size.  The U.S. Trustee Program
    republishes it split into a non-mortgage part and a mortgage or rent part.  A row holds the
    two parts, the totals, or both (then each total must equal the sum of its parts)."""

    state: str = Field(pattern=_STATE)
    county: str = Field(min_length=2)
    fips: str = Field(pattern=r"^\d{5}$")
    non_mortgage: tuple[str, ...] | None = None
    mortgage_rent: tuple[str, ...] | None = None
    totals: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _columns(self) -> CountyHousing:
        where = f"{self.county}, {self.state}"
        if (self.non_mortgage is None) != (self.mortgage_rent is None):
            raise ValueError(f"{where}: give both the non-mortgage and the mortgage/rent parts, or neither")
        if self.non_mortgage is None and self.totals is None:
            raise ValueError(f"{where}: needs the two parts or the totals")
        for name, values in (("non_mortgage", self.non_mortgage), ("mortgage_rent", self.mortgage_rent),
                             ("total", self.totals)):
            if values is None:
                continue
            if len(values) != HOUSEHOLD_COLUMNS:
                raise ValueError(f"{where}: {name} needs {HOUSEHOLD_COLUMNS} amounts (1 to 5+ persons)")
            for value in values:
                _money(value, f"{self.county} {name}")
        if self.totals is not None and self.non_mortgage is not None and self.mortgage_rent is not None:
            for column in range(HOUSEHOLD_COLUMNS):
                parts = Decimal(self.non_mortgage[column]) + Decimal(self.mortgage_rent[column])
                if parts != Decimal(self.totals[column]):
                    raise ValueError(
                        f"{where}: the parts for {column + 1} person(s) add up to {parts}, "
                        f"not the total {self.totals[column]}"
                    )
        return self

    def total(self, household_size: int) -> Decimal:
        """The IRS standard for a household of ``household_size`` persons (5 or more: the last column)."""
        column = min(max(household_size, 1), HOUSEHOLD_COLUMNS) - 1
        if self.totals is not None:
            return Decimal(self.totals[column])
        if self.non_mortgage is None or self.mortgage_rent is None:  # not reached: checked at load
            raise ValueError(f"{self.county}, {self.state}: no housing amounts")
        return Decimal(self.non_mortgage[column]) + Decimal(self.mortgage_rent[column])


class HousingTable(FrozenModel):
    """Housing and utilities for the counties in the data."""

    note: str | None = None
    counties: tuple[CountyHousing, ...] = Field(min_length=1)
    source: Source


class StandardsEdition(FrozenModel):
    """One year's standards: the tables that could be sourced, and when they apply."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=3)
    effective_from: date
    review_after: date
    note: str | None = None
    national: NationalTable | None = None
    health_care: HealthCareTable | None = None
    transportation: TransportationTable | None = None
    housing: HousingTable | None = None

    @model_validator(mode="after")
    def _dates(self) -> StandardsEdition:
        if self.review_after <= self.effective_from:
            raise ValueError(f"{self.id}: review_after must be after effective_from")
        return self


class StandardsFile(FrozenModel):
    """The parsed ``collection_standards.yaml``."""

    schema_version: int
    editions: tuple[StandardsEdition, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class StandardAmount:
    """A monthly allowance from the standards, with where it comes from.

    ``rule`` names the table (``collection_standards.cfs_2026.housing``); ``stale`` is true when
    the edition is past its ``review_after`` date and may have been replaced.
    """

    amount: Decimal
    rule: str
    source: Source
    detail: str
    stale: bool = False


class CollectionStandards:
    """Editions of the standards, looked up by date."""

    def __init__(self, data: StandardsFile) -> None:
        ordered = sorted(data.editions, key=lambda e: e.effective_from)
        if list(ordered) != list(data.editions):
            raise RulesDataError("collection_standards.yaml", "editions must be listed oldest first")
        for before, after in itertools.pairwise(ordered):
            if before.effective_from == after.effective_from:
                raise RulesDataError(
                    "collection_standards.yaml", f"{before.id} and {after.id} start the same day"
                )
        ids = [e.id for e in ordered]
        if len(set(ids)) != len(ids):
            raise RulesDataError("collection_standards.yaml", "edition ids must be unique")
        self._editions = tuple(ordered)
        self._counties: dict[str, dict[tuple[str, str], CountyHousing]] = {
            edition.id: {(entry.state, county_key(entry.county)): entry for entry in edition.housing.counties}
            for edition in ordered
            if edition.housing is not None
        }

    @property
    def editions(self) -> tuple[StandardsEdition, ...]:
        """Every edition, oldest first."""
        return self._editions

    def edition_on(self, on: date) -> StandardsEdition | None:
        """The edition in force on ``on`` (the newest that has started), or ``None``."""
        current = None
        for edition in self._editions:
            if edition.effective_from <= on:
                current = edition
        return current

    def _amount(self, edition: StandardsEdition, table: str, amount: Decimal, source: Source,
                detail: str, on: date) -> StandardAmount:
        return StandardAmount(
            amount=amount,
            rule=f"collection_standards.{edition.id}.{table}",
            source=source,
            detail=detail,
            stale=on > edition.review_after,
        )

    def national(self, household_size: int, on: date) -> StandardAmount | None:
        """Food, clothing and other items for the household, allowed in full."""
        edition = self.edition_on(on)
        if edition is None or edition.national is None or household_size < 1:
            return None
        table = edition.national
        largest = max(table.by_household_size)
        if household_size <= largest:
            amount = Decimal(table.by_household_size[household_size])
        else:
            extra = household_size - largest
            amount = Decimal(table.by_household_size[largest]) + extra * Decimal(
                table.each_additional_person
            )
        return self._amount(
            edition, "national", amount, table.source, f"household of {household_size}", on
        )

    def health_care(self, ages: Sequence[int], on: date) -> StandardAmount | None:
        """Out-of-pocket health care for every person in the household, by age band."""
        edition = self.edition_on(on)
        if edition is None or edition.health_care is None or not ages:
            return None
        table = edition.health_care
        older = sum(1 for age in ages if age >= table.older_from_age)
        younger = len(ages) - older
        amount = younger * Decimal(table.under_65) + older * Decimal(table.age_65_and_older)
        detail = (
            f"{younger} under {table.older_from_age} at {table.under_65}, "
            f"{older} aged {table.older_from_age} or older at {table.age_65_and_older}"
        )
        return self._amount(edition, "health_care", amount, table.source, detail, on)

    def housing(self, state: str, county: str | None, household_size: int, on: date) -> StandardAmount | None:
        """Housing and utilities for the county and household; ``None`` when not in the data."""
        edition = self.edition_on(on)
        if edition is None or edition.housing is None or not county:
            return None
        entry = self._counties.get(edition.id, {}).get((state.upper(), county_key(county)))
        if entry is None:
            return None
        size = min(max(household_size, 1), HOUSEHOLD_COLUMNS)
        label = f"{size}+" if size == HOUSEHOLD_COLUMNS else str(size)
        return self._amount(
            edition,
            "housing",
            entry.total(household_size),
            edition.housing.source,
            f"{county_label(entry.county)}, {entry.state}, household of {label}",
            on,
        )

    def vehicle_ownership(self, vehicles: int, on: date) -> StandardAmount | None:
        """Ownership (loan or lease) allowance for up to the standard's number of vehicles."""
        edition = self.edition_on(on)
        if edition is None or edition.transportation is None or vehicles < 1:
            return None
        table = edition.transportation
        if table.ownership_per_vehicle is None:
            return None
        counted = min(vehicles, table.max_vehicles)
        amount = counted * Decimal(table.ownership_per_vehicle)
        return self._amount(
            edition, "transportation.ownership", amount, table.source,
            f"{counted} vehicle(s) at {table.ownership_per_vehicle} each", on,
        )

    def vehicle_operating(self, state: str, county: str | None, vehicles: int, on: date) -> StandardAmount | None:
        """Operating cost for the metropolitan area (or else the region) of the county."""
        edition = self.edition_on(on)
        if edition is None or edition.transportation is None or vehicles < 1:
            return None
        table = edition.transportation
        two = min(vehicles, table.max_vehicles) >= 2
        state = state.upper()
        if county:
            key = county_key(county)
            for metro in table.operating.metro_areas:
                if metro.state == state and key in {county_key(c) for c in metro.counties}:
                    value = metro.two_vehicles if two else metro.one_vehicle
                    return self._amount(
                        edition, "transportation.operating", Decimal(value), table.source,
                        f"{metro.name} metropolitan area, {'two vehicles' if two else 'one vehicle'}", on,
                    )
        for region in table.operating.regions:
            if state in region.states:
                value = region.two_vehicles if two else region.one_vehicle
                return self._amount(
                    edition, "transportation.operating", Decimal(value), table.source,
                    f"{region.name}, {'two vehicles' if two else 'one vehicle'}", on,
                )
        return None

    def public_transportation(self, on: date) -> StandardAmount | None:
        """The nationwide public-transportation allowance."""
        edition = self.edition_on(on)
        if edition is None or edition.transportation is None:
            return None
        table = edition.transportation
        if table.public_transportation is None:
            return None
        return self._amount(
            edition, "transportation.public", Decimal(table.public_transportation), table.source,
            "nationwide", on,
        )


HOUSING_CSV = "collection_standards_housing.csv"
_HOUSING_COLUMNS = (
    "edition", "state", "county", "fips",
    *(f"non_mortgage_{n}" for n in range(1, HOUSEHOLD_COLUMNS + 1)),
    *(f"mortgage_rent_{n}" for n in range(1, HOUSEHOLD_COLUMNS + 1)),
    *(f"total_{n}" for n in range(1, HOUSEHOLD_COLUMNS + 1)),
)


def _optional_columns(values: Mapping[str, str], prefix: str) -> tuple[str, ...] | None:
    """The five cells ``prefix1..5``, or ``None`` when all are empty (a partly empty group is
    kept, so that validation names it)."""
    cells = tuple(values[f"{prefix}{n}"] for n in range(1, HOUSEHOLD_COLUMNS + 1))
    return None if not any(cells) else cells


def parse_housing_csv(text: str) -> dict[str, list[dict[str, Any]]]:
    """The county rows of ``collection_standards_housing.csv``, grouped by edition id.

    Lines starting with ``#`` are comments; the first other line is the header, which must name
    exactly the expected columns.  Each row becomes the mapping :class:`CountyHousing` validates."""
    import csv

    body = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        raise RulesDataError(HOUSING_CSV, "no header line")
    reader = csv.reader(body)
    header = tuple(next(reader))
    if header != _HOUSING_COLUMNS:
        raise RulesDataError(HOUSING_CSV, f"header must be {','.join(_HOUSING_COLUMNS)}")
    grouped: dict[str, list[dict[str, Any]]] = {}
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(reader, start=2):
        if len(row) != len(header):
            raise RulesDataError(HOUSING_CSV, f"data row {number - 1}: {len(row)} columns, not {len(header)}")
        values = dict(zip(header, (cell.strip() for cell in row), strict=True))
        key = (values["edition"], values["state"], county_key(values["county"]))
        if key in seen:
            raise RulesDataError(HOUSING_CSV, f"{values['county']}, {values['state']} is listed twice for {values['edition']}")
        seen.add(key)
        grouped.setdefault(values["edition"], []).append(
            {
                "state": values["state"],
                "county": values["county"],
                "fips": values["fips"],
                "non_mortgage": _optional_columns(values, "non_mortgage_"),
                "mortgage_rent": _optional_columns(values, "mortgage_rent_"),
                "totals": _optional_columns(values, "total_"),
            }
        )
    return grouped


def _with_counties(raw: Mapping[str, Any], housing_csv: str) -> dict[str, Any]:
    """``raw`` with each edition's housing counties taken from the CSV text."""
    grouped = parse_housing_csv(housing_csv)
    merged = dict(raw)
    editions = raw.get("editions")
    if not isinstance(editions, list):
        return merged
    known: set[str] = set()
    updated: list[Any] = []
    for edition in editions:
        if not isinstance(edition, dict):
            updated.append(edition)
            continue
        known.add(str(edition.get("id")))
        housing = edition.get("housing")
        rows = grouped.get(str(edition.get("id")), [])
        if isinstance(housing, dict):
            if "counties" in housing:
                raise RulesDataError("collection_standards.yaml", f"{edition.get('id')}: counties belong in {HOUSING_CSV}")
            edition = {**edition, "housing": {**housing, "counties": rows}}
        elif rows:
            raise RulesDataError(HOUSING_CSV, f"{edition.get('id')} has county rows but no housing source in collection_standards.yaml")
        updated.append(edition)
    unknown = sorted(set(grouped) - known)
    if unknown:
        raise RulesDataError(HOUSING_CSV, f"rows for an unknown edition: {', '.join(unknown)}")
    merged["editions"] = updated
    return merged


def parse_collection_standards(raw: Mapping[str, Any], housing_csv: str | None = None) -> CollectionStandards:
    """Validate the mapping loaded from ``collection_standards.yaml`` with the county rows of
    ``collection_standards_housing.csv`` (``housing_csv``, its text)."""
    if housing_csv is not None:
        raw = _with_counties(raw, housing_csv)
    try:
        data = StandardsFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("collection_standards.yaml", f"{where}: {first['msg']}") from exc
    return CollectionStandards(data)
