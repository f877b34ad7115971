"""The reviewed notice as a journal payload, and back: read once, never re-read to show a page.

A case opened from a notice keeps, in its "opened" journal entry, every field as reviewed (with
the user's corrections), its confidence and the text it came from.  The case page rebuilds the
:class:`Notice` from that payload; the notice's own words come from the document kept with it.
Values are tagged by type (a date, an amount, a whole number, text); the journal holds no
floats, so confidences and boxes are kept as their decimal text.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.intake.models import (
    FIELD_NAMES,
    CatalogMatch,
    FieldValue,
    Notice,
    SourceKind,
    TaxPeriod,
)

PAYLOAD_KEY = "reviewed_notice"
"""Key of the "opened" journal entry's payload that holds the reviewed notice."""
VERSION = 1


def _scalar(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": format(value, "f")}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": repr(value)}
    return {"str": str(value).replace("\x00", "")}


def _unscalar(value: Any) -> Any:
    if value is None:
        return None
    (kind, text), = value.items()
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "decimal":
        return Decimal(text)
    if kind == "float":
        return float(text)
    return text  # "int", "bool" and "str" are kept as themselves


def _record(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        out[f.name] = [_scalar(v) for v in value] if isinstance(value, tuple) else _scalar(value)
    return out


def _unrecord(kind: type[Any], data: dict[str, Any]) -> Any:
    values = {}
    for name, value in data.items():
        values[name] = tuple(_unscalar(v) for v in value) if isinstance(value, list) else _unscalar(value)
    return kind(**values)


def notice_payload(notice: Notice) -> dict[str, Any]:
    """The notice as a journal payload (without its text, which the kept document holds)."""
    return {
        "version": VERSION,
        "document": notice.document,
        "source": notice.source.value,
        "page_count": notice.page_count,
        "parser": notice.parser,
        "says_not_a_bill": notice.says_not_a_bill,
        "warnings": list(notice.warnings),
        "fields": {name: _record(getattr(notice, name)) for name in FIELD_NAMES},
        "tax_periods": [_record(p) for p in notice.tax_periods],
        "catalog": _record(notice.catalog) if notice.catalog is not None else None,
    }


def notice_from_payload(payload: dict[str, Any], text: str) -> Notice:
    """The notice kept by :func:`notice_payload`, with the words of its kept document."""
    fields = {name: _unrecord(FieldValue, data) for name, data in payload["fields"].items()}
    return Notice(
        document=payload["document"],
        source=SourceKind(payload["source"]),
        page_count=payload["page_count"],
        tax_periods=tuple(_unrecord(TaxPeriod, p) for p in payload["tax_periods"]),
        catalog=_unrecord(CatalogMatch, payload["catalog"]) if payload["catalog"] is not None else None,
        says_not_a_bill=payload["says_not_a_bill"],
        warnings=tuple(payload["warnings"]),
        text=text,
        parser=payload["parser"],
        **fields,
    )
