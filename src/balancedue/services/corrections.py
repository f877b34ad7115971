"""Corrections of a case's journal: an entry's values replaced (the old entry kept), one field of
the notice corrected after the case was opened, and the deadlines re-dated from the corrected
notice."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from balancedue.cases.errors import EntryNotFoundError
from balancedue.cases.records import CORRECTABLE_CASE_FIELDS, CaseFile, JournalKind, JournalRecord
from balancedue.engine.money import parse_money
from balancedue.errors import InputError
from balancedue.services.cases import store
from balancedue.services.notice_fields import (
    EDITABLE_FIELDS,
    field_text,
    parse_field,
    reviewed_notice,
)
from balancedue.services.notice_record import PAYLOAD_KEY
from balancedue.services.text import clean_text

if TYPE_CHECKING:
    from balancedue.rules import RuleSet


def correct_entry(ref: str, sequence: int, reason: str, changes: dict[str, str], rules: RuleSet) -> JournalRecord:
    """Record a correction of an entry: the new values and why; the old entry stays as it was.

    Correcting the opening entry's notice date, amount due or tax year also changes the case, and
    the deadlines counted from the notice date are re-dated (``rules`` computes them).
    """
    case_store = store()
    case_file = case_store.case_file(ref)
    old = next((e for e in case_file.journal if e.sequence == sequence), None)
    if old is None:
        raise EntryNotFoundError(f"case {case_file.case.number} has no journal entry #{sequence}")
    if not changes:
        raise InputError("a correction needs at least one --set FIELD=VALUE")
    replacement: dict[str, Any] = {}
    case_fields: dict[str, Any] = {}
    opening = old.kind == JournalKind.OPENED.value
    for field, value in changes.items():
        notice_field = opening and field in EDITABLE_FIELDS and PAYLOAD_KEY in old.payload
        if field not in old.payload and not notice_field:
            known = ", ".join(sorted(set(old.payload) - {PAYLOAD_KEY}))
            raise InputError(f"entry #{sequence} ({old.kind}) has no field {field!r}; its fields are {known}")
        if field in ("amount", "amount_due"):
            replacement[field] = format(parse_money(value, field), "f")
        elif field == "notice_date" and old.kind == JournalKind.OPENED.value:
            replacement[field] = _iso_date(value, field).isoformat()
        elif field == "tax_year" and old.kind == JournalKind.OPENED.value:
            replacement[field] = _year(value)
        elif notice_field:
            replacement[field] = field_text(parse_field(field, value.strip()))
        else:
            replacement[field] = clean_text(value, field)
        if old.kind == JournalKind.OPENED.value and field in CORRECTABLE_CASE_FIELDS:
            case_fields[field] = _case_value(field, replacement[field])
    printed = {f: _printed_date(replacement[f]) for f in PRINTED_DATES if opening and f in replacement}
    redate = _redated_deadlines(case_file, case_fields, rules, printed) if case_fields or printed else []
    return case_store.correct(
        case_file.case.number, sequence, clean_text(reason, "reason", required=True) or "", replacement,
        case_fields=case_fields, redate=redate,
    )


def correct_notice_field(ref: str, field: str, value: str, reason: str, rules: RuleSet) -> JournalRecord:
    """Correct one field of a case's notice after the case was opened (a correction of its opening
    entry, journaled with the old entry kept): the case page shows the corrected notice, and a
    corrected notice date re-dates the deadlines counted from it (see :func:`correct_entry`)."""
    if field not in EDITABLE_FIELDS:
        raise InputError(f"{field!r} is not a field of the notice; choose one of {', '.join(EDITABLE_FIELDS)}")
    if not value.strip():
        raise InputError(f"give the corrected {field.replace('_', ' ')}")
    case_file = store().case_file(ref)
    opened = next((e for e in case_file.journal if e.kind == JournalKind.OPENED), None)
    if opened is None:
        raise InputError(f"case {case_file.case.number} has no opening entry to correct")
    if field not in opened.payload and PAYLOAD_KEY not in opened.payload:
        raise InputError(f"case {case_file.case.number} was opened before its notice was kept; "
                         f"correct it with: balancedue case correct {case_file.case.number} {opened.sequence} --set ...")
    return correct_entry(ref, opened.sequence, reason, {field: value.strip()}, rules)


def _iso_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{field} {value!r} is not a valid date; use the form YYYY-MM-DD") from None


def _year(value: str) -> int:
    if not re.fullmatch(r"(?:19|20)\d{2}", value.strip()):
        raise InputError(f"tax_year {value!r} is not a year such as 2023")
    return int(value)


def _case_value(field: str, value: Any) -> Any:
    if field == "notice_date":
        return date.fromisoformat(value)
    if field == "amount_due":
        return Decimal(value)
    return value


PRINTED_DATES = ("pay_by_date", "respond_by_date")
"""Dates printed on the notice that deadlines are taken from."""


def _printed_date(text: Any) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def _redated_deadlines(
    case_file: CaseFile, case_fields: Mapping[str, Any], rules: RuleSet, printed: Mapping[str, date | None]
) -> list[tuple[int, date]]:
    """Deadlines that move with a corrected notice date, or with a corrected date printed on the
    notice (pay by, respond by).

    Each deadline is worked out again from the notice as corrected; deadlines changed by hand
    keep their date.
    """
    old_date = case_file.case.notice_date
    notice_date = case_fields.get("notice_date") or old_date
    if notice_date is None or (notice_date == old_date and not printed):
        return []
    from balancedue.advice.deadlines import notice_deadlines
    notice = reviewed_notice(case_file)

    def printed_date(name: str) -> date | None:
        if name in printed:
            return printed[name]
        value = getattr(notice, name).value if notice is not None else None
        return value if isinstance(value, date) else None

    redate = []
    for deadline in case_file.deadlines:
        entry = rules.notices.find(deadline.notice_code or "")
        if entry is None or deadline.changed:
            continue
        found, _ = notice_deadlines(
            entry, notice_date=notice_date, pay_by=printed_date("pay_by_date"), respond_by=printed_date("respond_by_date"),
            amount_due=case_fields.get("amount_due", case_file.case.amount_due), today=notice_date, rules=rules,
        )
        same = next((d for d in found if d.what == deadline.what), None)
        if same is not None and same.due != deadline.due:
            redate.append((deadline.number, same.due))
    return redate
