"""The notice as reviewed: the fields a person may correct, how a typed value is read, and the
notice of a case with every correction applied (kept in the case's journal)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from balancedue.cases.records import CaseFile, DocumentKind, JournalKind
from balancedue.engine.money import parse_money
from balancedue.errors import InputError
from balancedue.intake.models import FieldScalar, FieldValue, Notice, SourceKind
from balancedue.services.notice_record import PAYLOAD_KEY, notice_from_payload
from balancedue.services.text import clean_text

if TYPE_CHECKING:
    from balancedue.rules import RuleSet

# Reading a notice again (the intake stack) is imported by the function that does it, so that
# listing or showing cases starts without it.

NOTICE_FIELDS_KEY = "notice_fields"
"""Key of a journal note's payload that holds the notice fields corrected by the user."""

DATE_FIELDS = frozenset({"notice_date", "tax_period_end", "pay_by_date", "respond_by_date"})
MONEY_FIELDS = frozenset({"amount_due", "tax", "penalties", "interest", "payments_and_credits"})
EDITABLE_FIELDS: tuple[str, ...] = (
    "notice_code",
    "notice_date",
    "tax_year",
    "tax_form",
    "amount_due",
    "pay_by_date",
    "respond_by_date",
    "tax",
    "penalties",
    "interest",
    "payments_and_credits",
    "taxpayer_id_last4",
    "notice_id",
    "reply_address",
)
"""The fields a person may correct after reading, in display order."""


def parse_field(name: str, text: str, *, required: bool = False) -> FieldScalar:
    """A corrected field's value from what the person typed (``required``: a blank text is an
    error, not an empty value)."""
    text = text.strip()
    if name in DATE_FIELDS:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None
    if name in MONEY_FIELDS:
        return parse_money(text, name.replace("_", " "))
    if name == "tax_year":
        if not re.fullmatch(r"(19|20)\d\d", text):
            raise InputError(f"{text!r} is not a tax year; write the four digits, like 2024")
        return int(text)
    if name == "taxpayer_id_last4":
        if not re.fullmatch(r"\d{4}", text):
            raise InputError("give only the last four digits of the taxpayer id")
        return text
    if name == "notice_code":
        return text.upper().replace(" ", "")
    return clean_text(text, name.replace("_", " "), required=required, limit=400) or ""


def field_text(value: Any) -> str:
    """A field's value as typed and stored: a date in ISO form, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def notice_corrections(
    notice: Notice, submitted: Mapping[str, str]
) -> tuple[dict[str, FieldScalar | None], dict[str, str]]:
    """The fields the user changed, parsed, and the errors by field (empty when all is well)."""
    changed: dict[str, FieldScalar | None] = {}
    errors: dict[str, str] = {}
    for name in EDITABLE_FIELDS:
        if name not in submitted:
            continue
        text = submitted[name].strip()
        current = getattr(notice, name).value
        if text == field_text(current):
            continue
        if not text:
            changed[name] = None
            continue
        try:
            changed[name] = parse_field(name, text)
        except InputError as exc:
            errors[name] = exc.message
    return changed, errors


def apply_corrections(notice: Notice, changed: Mapping[str, FieldScalar | None]) -> Notice:
    """The notice with the user's values in place of what was read."""
    from balancedue.intake.given import GIVEN_PARSER

    updates: dict[str, FieldValue] = {}
    for name, value in changed.items():
        old: FieldValue = getattr(notice, name)
        updates[name] = dataclasses.replace(
            old, value=value, confidence=1.0, reason="corrected by the user", text_confidence=1.0,  # not law: certainty
            parser=GIVEN_PARSER,
        )
    return dataclasses.replace(notice, **updates) if updates else notice  # type: ignore[arg-type]


def reviewed_notice(case_file: CaseFile) -> Notice | None:
    """The case's notice as it was reviewed when the case was opened, without reading it again;
    None for a case opened before the journal kept it (see :func:`kept_notice`)."""
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    payload = opened.payload.get(PAYLOAD_KEY) if opened is not None else None
    if not isinstance(payload, dict):
        return None
    document = next((d for d in case_file.documents if d.kind == DocumentKind.NOTICE), None)
    notice = notice_from_payload(payload, document.text if document is not None else "")
    return apply_corrections(notice, _later_corrections(case_file))


def notice_values(case_file: CaseFile) -> dict[str, str]:
    """The case's notice fields as they stand (read, reviewed and corrected), as text to edit;
    from the journal, without reading the notice again (empty for a case that does not keep it)."""
    notice = reviewed_notice(case_file)
    if notice is None:
        return {}
    return {name: field_text(getattr(notice, name).value) for name in EDITABLE_FIELDS}


def _later_corrections(case_file: CaseFile) -> dict[str, FieldScalar | None]:
    """The notice fields corrected in the case since it was opened (corrections of its opening
    entry), the latest value of each."""
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    changed: dict[str, FieldScalar | None] = {}
    if opened is None:
        return changed
    for entry in case_file.journal:
        if entry.kind != JournalKind.CORRECTION or entry.payload.get("corrects") != opened.sequence:
            continue
        replacement = entry.payload.get("replacement")
        for name, text in (replacement.items() if isinstance(replacement, dict) else ()):
            if name in EDITABLE_FIELDS:
                changed[name] = None if text in (None, "") else parse_field(name, str(text))
    return changed


def kept_notice(case_file: CaseFile, rules: RuleSet) -> Notice | None:
    """The case's first notice: as reviewed (kept in the journal), or, for a case opened before
    the journal kept it, read again from the text kept with it, corrections applied."""
    found = reviewed_notice(case_file)
    if found is not None:
        return found
    document = next((d for d in case_file.documents if d.kind == DocumentKind.NOTICE and d.text.strip()), None)
    if document is None:
        return None
    from balancedue.services.read import read_pasted_notice

    notice = read_pasted_notice(document.text, rules=rules)
    if document.media_type.startswith("image/"):
        notice = dataclasses.replace(notice, source=SourceKind.IMAGE)
    changed: dict[str, FieldScalar | None] = {}
    for entry in case_file.journal:
        fields = entry.payload.get(NOTICE_FIELDS_KEY) if entry.kind == JournalKind.NOTE else None
        if isinstance(fields, dict):
            for name, text in fields.items():
                if name in EDITABLE_FIELDS:
                    changed[name] = None if text is None else parse_field(name, str(text))
    return apply_corrections(notice, {**changed, **_later_corrections(case_file)})
