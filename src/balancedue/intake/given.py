"""Values the person supplies for a notice's fields (``--set FIELD=VALUE``, prompts, corrections).

A value given by the person replaces what was read (or fills a field that was not read).  It is
parsed with the same parsers as a printed value, so ``--set notice_date="March 4, 2019"`` and
``--set notice_date=2019-03-04`` give the same date, and it is marked as given: its ``parser`` is
`GIVEN_PARSER` and its reason says so.  A value that cannot be parsed is an input error naming
the field and the form expected; nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from balancedue.errors import InputError
from balancedue.intake.models import FIELD_NAMES, CatalogMatch, FieldScalar, FieldValue, Notice
from balancedue.intake.values import normalize_form, parse_date, parse_money, parse_phone
from balancedue.rules.notices import NoticeCatalog, normalize_code

GIVEN_PARSER = "given"
"""The ``parser`` of a field whose value the person supplied."""

GIVEN_CONFIDENCE = 1.0  # not law: certainty of a value the person typed
"""A value the person typed is taken as they gave it."""

KEY_FIELDS: tuple[str, ...] = ("notice_code", "notice_date", "tax_year", "amount_due")
"""The fields asked for when they are missing or not read with high confidence."""

_DATES = frozenset({"notice_date", "pay_by_date", "respond_by_date", "tax_period_end"})
_MONEY = frozenset({"amount_due", "tax", "penalties", "interest", "payments_and_credits"})

EXPECTED = {
    "notice_code": "a notice or letter number such as CP14, LT11 or Letter 1058",
    "tax_year": "a year such as 2023",
    "tax_form": "a form number such as 1040 or 941",
    "taxpayer_id_last4": "the last four digits of the SSN, ITIN or EIN",
    "phone": "a ten-digit telephone number",
    "reply_address": "the IRS address, one line",
    "notice_id": "the notice id as printed",
    **dict.fromkeys(_DATES, "a date such as 2024-06-10 or June 10, 2024"),
    **dict.fromkeys(_MONEY, "an amount such as 1,234.56"),
}


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["notice_date=2024-06-10", ...]`` as a mapping; an input error for a malformed item."""
    given: dict[str, str] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip().lower().replace("-", "_").replace(" ", "_")
        if not sep or not raw.strip():
            raise InputError(f"--set {item!r}: write it as FIELD=VALUE, for example --set notice_date=2024-06-10")
        if name not in FIELD_NAMES:
            raise InputError(f"--set {item!r}: unknown field {name!r}; the fields are {', '.join(FIELD_NAMES)}")
        given[name] = raw.strip()
    return given


def parse_given(name: str, raw: str, catalog: NoticeCatalog) -> FieldScalar:
    """The value of field ``name`` typed as ``raw``; an input error naming what is expected."""
    value = _parse(name, raw.strip(), catalog)
    if value is None:
        raise InputError(f"{name}: {raw!r} is not {EXPECTED.get(name, 'a value')}")
    return value


def _parse(name: str, raw: str, catalog: NoticeCatalog) -> FieldScalar | None:
    if name in _DATES:
        return parse_date(raw)
    if name in _MONEY:
        parsed = parse_money(raw if re.search(r"[.,]\d{2}$", raw) else raw + ".00")
        return abs(parsed[0]) if parsed is not None else None
    if name == "tax_year":
        return int(raw) if re.fullmatch(r"(?:19|20)\d{2}", raw) else None
    if name == "notice_code":
        entry = catalog.find(raw)
        code = entry.code.value if entry is not None else normalize_code(raw)
        return code if re.fullmatch(r"(?:CP|LT|LTR)\d{1,5}[A-Z]{0,2}", code) else None
    if name == "tax_form":
        form = normalize_form(raw.removeprefix("Form").removeprefix("form"))
        return form if re.fullmatch(r"\d{3,4}(?:-[A-Z]{1,2})?", form) else None
    if name == "taxpayer_id_last4":
        return raw if re.fullmatch(r"\d{4}", raw) else None
    if name == "phone":
        return parse_phone(raw)
    return raw or None


def given_field(name: str, value: FieldScalar, raw: str) -> FieldValue:
    """A field holding a value the person supplied."""
    return FieldValue(
        name=name,
        value=value,
        confidence=GIVEN_CONFIDENCE,
        source_text=f"given: {raw}",
        parser=GIVEN_PARSER,
        reason="given by the user",
    )


def is_given(field: FieldValue) -> bool:
    """Whether the person supplied this value."""
    return field.parser == GIVEN_PARSER


def apply_given(notice: Notice, given: Mapping[str, str], catalog: NoticeCatalog) -> Notice:
    """``notice`` with the supplied values in place of what was read (each parsed and marked)."""
    if not given:
        return notice
    changes: dict[str, object] = {}
    for name, raw in given.items():
        changes[name] = given_field(name, parse_given(name, raw, catalog), raw)
    updated = replace(notice, **changes)  # type: ignore[arg-type]
    code = updated.notice_code
    if "notice_code" in given and isinstance(code.value, str):
        entry = catalog.find(code.value)
        catalog_match = CatalogMatch(entry.code.value, entry.title, entry.stage.value, entry.is_bill) if entry else None
        updated = replace(updated, catalog=catalog_match)
    kept = tuple(w for w in notice.warnings if not any(w.startswith(f"{name}:") for name in given))
    notes = tuple(f"{name}: {raw} given by the user" for name, raw in given.items())
    return replace(updated, warnings=kept + notes)


def fields_to_ask(notice: Notice, high: float) -> list[FieldValue]:
    """Key fields that are missing or not read with high confidence (and not already given)."""
    return [
        notice.fields[name]
        for name in KEY_FIELDS
        if not is_given(notice.fields[name]) and (not notice.fields[name].found or notice.fields[name].confidence < high)
    ]


Asker = Callable[[Notice], Mapping[str, str]]
"""Asks the person for values (a terminal prompt); returns ``{field: typed value}``."""


def ask_and_apply(notice: Notice, ask: Asker | None, catalog: NoticeCatalog) -> Notice:
    """``notice`` with what ``ask`` returns applied (nothing when there is no asker)."""
    if ask is None:
        return notice
    return apply_given(notice, ask(notice), catalog)
