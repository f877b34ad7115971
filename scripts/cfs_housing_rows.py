#!/usr/bin/env python3
"""Add county rows of the IRS housing and utilities standards to
src/balancedue/rules/data/collection_standards_housing.csv from a mechanical conversion of a
published table.

This is a maintainer's tool: it is not part of the package and the tests never run it.  It reads
one of two input shapes, adds one row per county for the edition named, and rewrites the CSV
(comment lines and existing rows kept).  Where the CSV already has a row for the same edition,
state and county, the figures must agree (a part sum must equal a published total) or the tool
stops and changes nothing.

Input shapes:

``irs-totals DIR``
    One tab-separated file per state, as scraped from the IRS's state pages
    (``https://www.irs.gov/businesses/small-businesses-self-employed/<state>-local-standards-housing-and-utilities``):
    a header line, then ``County<TAB>$1,500<TAB>...`` with the five published totals (1, 2, 3,
    4, 5 or more persons).  The file name is the state's name in lower case with hyphens
    (``new-york.tsv``; ``north.tsv`` is read as North Dakota, as the scrape named it).

``irs-county-csv FILE``
    A CSV file ``state,county,family_1,family_2,family_3,family_4,family_5_plus`` (the state's
    full name; one row per county) holding the IRS's published totals, as extracted from the
    IRS's all-states housing and utilities table.  A row whose county name was lost in the
    extraction (only "Region" or "Planning Region" left) is left out and reported.

``ust-split FILE``
    A JSON file ``{"county_overrides": [{"state": "AL", "county": "Autauga County",
    "utility": [..5..], "mortgage": [..5..]}, ...]}`` holding the U.S. Trustee Program's
    non-mortgage and mortgage/rent parts per county.

County FIPS codes are taken from a row of another edition for the same state and county when
the CSV has one, and otherwise from the Census Bureau's county list as shipped by the
``addfips`` package (``pip install addfips``; not a project dependency).

Usage::

    python scripts/cfs_housing_rows.py --edition cfs_2024 irs-totals /path/to/tsv-dir
    python scripts/cfs_housing_rows.py --edition cfs_2025 ust-split /path/to/housing.json
    python scripts/cfs_housing_rows.py --edition cfs_2026 irs-county-csv /path/to/housing.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent.parent / "src/balancedue/rules/data/collection_standards_housing.csv"
SIZES = range(1, 6)
HEADER = (
    "edition", "state", "county", "fips",
    *(f"non_mortgage_{n}" for n in SIZES),
    *(f"mortgage_rent_{n}" for n in SIZES),
    *(f"total_{n}" for n in SIZES),
)

STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "district-of-columbia": "DC",
    "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
    "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new-hampshire": "NH", "new-jersey": "NJ", "new-mexico": "NM", "new-york": "NY",
    "north-carolina": "NC", "north": "ND", "north-dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "puerto-rico": "PR", "rhode-island": "RI",
    "south-carolina": "SC", "south-dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT",
    "vermont": "VT", "virginia": "VA", "washington": "WA", "west-virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY",
}
STATE_NAMES = {
    "AK": "Alaska",
}


def money(text: str, where: str) -> str:
    cleaned = text.replace("$", "").replace(",", "").strip()
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise SystemExit(f"{where}: {text!r} is not a dollar amount")
    return f"{Decimal(cleaned):.2f}"


def display_name(county: str, state: str) -> str:
    """The county as the table prints it, without a trailing "County" (the CSV's convention)."""
    name = county.strip().lstrip("\ufeff")
    suffix = f", {STATE_NAMES.get(state, '')}"
    if state in STATE_NAMES and name.endswith(suffix):
        name = name[: -len(suffix)]
    if name.endswith(" County"):
        name = name[: -len(" County")]
    return name


# County-equivalents newer than the addfips list (Census Bureau codes: Alaska's 2019 split of
# Valdez-Cordova; Connecticut's planning regions, county-equivalents since 2022).
NEWER_FIPS = {
    ("AK", "Chugach Census Area"): "02063",
    ("AK", "Copper River Census Area"): "02066",
    ("CT", "Capitol Planning Region"): "09110",
    ("CT", "Greater Bridgeport Planning Region"): "09120",
    ("CT", "Lower Connecticut River Valley Planning Region"): "09130",
    ("CT", "Naugatuck Valley Planning Region"): "09140",
    ("CT", "Northeastern Connecticut Planning Region"): "09150",
    ("CT", "Northwest Hills Planning Region"): "09160",
    ("CT", "South Central Connecticut Planning Region"): "09170",
    ("CT", "Southeastern Connecticut Planning Region"): "09180",
    ("CT", "Western Connecticut Planning Region"): "09190",
}


def fips_for(state: str, county: str) -> str:
    if (state, county) in NEWER_FIPS:
        return NEWER_FIPS[(state, county)]
    try:
        import addfips
    except ImportError:  # pragma: no cover - maintainer tool
        raise SystemExit("pip install addfips (Census county codes) to run this tool") from None
    finder = addfips.AddFIPS()
    for candidate in (county, county.replace(" City", " city"), re.sub(r"^(La|De|Du|Le) ", r"\1", county),
                      re.sub(r"^(La|De|Du|Le)(?=[A-Z])", r"\1 ", county)):
        code = finder.get_county_fips(candidate, state)
        if code:
            return code
    raise SystemExit(f"no Census FIPS code found for {county}, {state}")


def read_irs_totals(folder: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.tsv")):
        state = STATES.get(path.stem)
        if state is None:
            raise SystemExit(f"{path.name}: unknown state file")
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        header = lines[0].split("\t")
        if not header[0].lstrip("\ufeff").startswith("County") or len(header) != 6:
            raise SystemExit(f"{path.name}: unexpected header {header!r}")
        for number, line in enumerate(lines[1:], start=2):
            cells = [cell.strip() for cell in line.split("\t")]
            if not any(cells) or cells[0].startswith("Table data has been extracted"):
                continue  # blank lines, and the scrape script's closing message
            if len(cells) != 6:
                raise SystemExit(f"{path.name} line {number}: {len(cells)} cells, not 6")
            county = display_name(cells[0], state)
            row = {"state": state, "county": county, "_name": cells[0].lstrip("\ufeff").removesuffix(", Alaska")}
            for size, cell in zip(SIZES, cells[1:], strict=True):
                row[f"total_{size}"] = money(cell, f"{path.name} {county}")
            rows.append(row)
    return rows


def read_irs_county_csv(path: Path) -> list[dict[str, str]]:
    by_name = {name.replace("-", " ").title().replace(" Of ", " of "): code for name, code in STATES.items()}
    by_name["North Dakota"] = "ND"
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, cells in enumerate(csv.DictReader(handle), start=2):
            state = by_name.get(cells["state"].strip())
            if state is None:
                raise SystemExit(f"{path.name} line {number}: unknown state {cells['state']!r}")
            name = cells["county"].strip()
            if re.fullmatch(r"(Planning )?Region", name):
                print(f"{path.name} line {number}: {name!r} in {state} has lost its name; left out", file=sys.stderr)  # noqa: T201
                continue
            county = display_name(name, state)
            row = {"state": state, "county": county, "_name": name.removesuffix(", Alaska")}
            columns = ("family_1", "family_2", "family_3", "family_4", "family_5_plus")
            for size, column in zip(SIZES, columns, strict=True):
                row[f"total_{size}"] = money(cells[column], f"{path.name} {county}")
            rows.append(row)
    return rows


def read_ust_split(path: Path) -> list[dict[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows: list[dict[str, str]] = []
    for entry in data["county_overrides"]:
        state = entry["state"]
        county = display_name(entry["county"], state)
        if len(entry["utility"]) != 5 or len(entry["mortgage"]) != 5:
            raise SystemExit(f"{county}, {state}: needs five amounts per part")
        row = {"state": state, "county": county, "_name": entry["county"]}
        for size, (part, rent) in enumerate(zip(entry["utility"], entry["mortgage"], strict=True), start=1):
            row[f"non_mortgage_{size}"] = money(str(part), f"{county} non-mortgage")
            row[f"mortgage_rent_{size}"] = money(str(rent), f"{county} mortgage/rent")
        rows.append(row)
    return rows


def key(state: str, county: str) -> tuple[str, str]:
    cleaned = re.sub(r"[\s\-.]+", " ", county.strip().lower())
    return state, re.sub(r"\s+", " ", cleaned).strip()


def check_agrees(old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
    merged = dict(old)
    for column, value in new.items():
        if column in {"state", "county", "_name"} or not value:
            continue
        if merged.get(column) and merged[column] != value:
            raise SystemExit(f"{old['county']}, {old['state']}: {column} {merged[column]} vs {value}")
        merged[column] = value
    for size in SIZES:
        parts = (merged.get(f"non_mortgage_{size}"), merged.get(f"mortgage_rent_{size}"))
        total = merged.get(f"total_{size}")
        if all(parts) and total and Decimal(parts[0]) + Decimal(parts[1]) != Decimal(total):  # type: ignore[arg-type]
            raise SystemExit(f"{old['county']}, {old['state']}: parts for {size} do not add up to {total}")
    return merged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edition", required=True)
    parser.add_argument("shape", choices=("irs-totals", "irs-county-csv", "ust-split"))
    parser.add_argument("source", type=Path)
    args = parser.parse_args()

    readers = {"irs-totals": read_irs_totals, "irs-county-csv": read_irs_county_csv, "ust-split": read_ust_split}
    new_rows = readers[args.shape](args.source)

    text = CSV_PATH.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.startswith("#")]
    body = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(body)
    existing = [{column: row.get(column) or "" for column in HEADER} for row in reader]
    index = {(row["edition"], *key(row["state"], row["county"])): position for position, row in enumerate(existing)}
    known_fips = {key(row["state"], row["county"]): row["fips"] for row in existing}

    added = merged = 0
    for row in new_rows:
        found = index.get((args.edition, *key(row["state"], row["county"])))
        if found is not None:
            existing[found] = check_agrees(existing[found], row)
            merged += 1
            continue
        complete = {column: "" for column in HEADER}
        complete.update(row)
        complete["edition"] = args.edition
        complete["fips"] = known_fips.get(key(row["state"], row["county"])) or fips_for(row["state"], row["_name"])
        index[(args.edition, *key(row["state"], row["county"]))] = len(existing)
        existing.append(complete)
        added += 1

    order = {edition: position for position, edition in enumerate(dict.fromkeys(r["edition"] for r in existing))}
    existing.sort(key=lambda r: (order[r["edition"]], r["state"], r["fips"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in existing:
        writer.writerow([row[column] for column in HEADER])
    CSV_PATH.write_text("\n".join(comments) + "\n" + out.getvalue(), encoding="utf-8")
    print(f"{args.edition}: {added} rows added, {merged} existing rows checked and completed", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()
