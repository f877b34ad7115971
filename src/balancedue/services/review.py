"""The review queue of batch intake: fields read below high confidence, notices without a client.

A field is confirmed or corrected; either way the case's journal keeps it (a correction as a note
whose ``notice_fields`` the case page applies, like a correction made when a notice is opened on
the web).  A corrected date, code or amount moves the deadlines computed from the notice: each
move is a journal entry of its own, with the reason.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from balancedue.cases.errors import EntryNotFoundError
from balancedue.cases.records import DocumentKind, JournalKind
from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.services import cases
from balancedue.services.notice_fields import NOTICE_FIELDS_KEY, field_text, parse_field
from balancedue.services.read import read_pasted_notice
from balancedue.services.text import clean_text

DEADLINE_FIELDS = frozenset({"notice_code", "notice_date", "pay_by_date", "respond_by_date", "amount_due"})


@dataclass(frozen=True, slots=True)
class FieldToCheck:
    number: int
    case_number: int
    client: str
    client_id: int
    field: str
    value: str
    confidence: float


@dataclass(frozen=True, slots=True)
class NoticeWithoutClient:
    number: int
    name: str
    notice_code: str
    id_last4: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    fields: tuple[FieldToCheck, ...]
    needs_client: tuple[NoticeWithoutClient, ...]


@dataclass(frozen=True, slots=True)
class Reviewed:
    case_number: int
    field: str
    value: str
    old: str = ""
    new: str = ""
    moved: tuple[str, ...] = ()


def _intake() -> Any:
    store = cases.store()  # Django set up before the intake tables are imported
    from balancedue.cases.intake import IntakeStore

    return IntakeStore(store)


def review_queue(client_ids: set[int] | None = None) -> ReviewQueue:
    """Open fields (of the clients in ``client_ids``, or all) and the notices waiting for a client."""
    intake = _intake()
    fields = tuple(
        FieldToCheck(r.pk, r.case_id, r.case.client.name, r.case.client_id, r.field, r.value, r.confidence)
        for r in intake.open_reviews(client_ids)
    )
    waiting = tuple(
        NoticeWithoutClient(i.pk, i.name, i.notice_code, i.id_last4, i.reason)
        for i in intake.waiting(["needs_client"])
    ) if client_ids is None else ()
    return ReviewQueue(fields, waiting)


def field_case(number: int) -> int | None:
    """The case a field to check belongs to (``None`` when there is no such field)."""
    row = _intake().review(number)
    return int(row.case_id) if row is not None else None


def _open_field(number: int) -> Any:
    row = _intake().review(number)
    if row is None:
        raise EntryNotFoundError(f"no field #{number} to review; `balancedue review list` shows them")
    if row.status != "open":
        raise InputError(f"field #{number} was already {row.status} ({row.resolution})")
    return row


def confirm(number: int) -> Reviewed:
    """The value read is right: the journal says so and the field leaves the queue."""
    row = _open_field(number)
    text = f"Checked against the notice: {row.field.replace('_', ' ')} {row.value!r} is right"
    cases.store().append(row.case_id, JournalKind.NOTE, {"text": clean_text(text, "note") or ""})
    _intake().resolve_review(number, "confirmed", row.value)
    return Reviewed(row.case_id, row.field, row.value)


def correct(number: int, text: str, *, reason: str, today: date, rules: RuleSet) -> Reviewed:
    """Keep the right value; the journal keeps both, and the notice's deadlines move with it."""
    row = _open_field(number)
    value = parse_field(row.field, text, required=True)
    why = clean_text(reason, "reason", required=True) or ""
    store = cases.store()
    note = f"Corrected after batch intake: {row.field.replace('_', ' ')}: {row.value or '(not read)'} -> {field_text(value)} ({why})"
    store.append(
        row.case_id, JournalKind.NOTE,
        {"text": clean_text(note, "note") or "", NOTICE_FIELDS_KEY: {row.field: field_text(value)}},
    )
    moved: list[str] = []
    if row.field in DEADLINE_FIELDS:
        moved = _redate(row, value, today, why, rules)
    _intake().resolve_review(number, "corrected", field_text(value))
    return Reviewed(row.case_id, row.field, field_text(value), row.value, field_text(value), tuple(moved))


def _redate(row: Any, value: Any, today: date, reason: str, rules: RuleSet) -> list[str]:
    """Compute the notice's deadlines again with the corrected value; move those that changed."""
    store = cases.store()
    case_file = store.case_file(row.case_id)
    document = next(
        (d for d in case_file.documents if d.number == row.item.document_number and d.kind == DocumentKind.NOTICE), None
    )
    if document is None or not document.text.strip():
        return []
    notice = read_pasted_notice(document.text, rules=rules)
    corrected = {
        r.field: parse_field(r.field, r.resolution, required=True)
        for r in row.item.review_fields.filter(status="corrected")
        if r.pk != row.pk
    }
    corrected[row.field] = value
    updates = {
        name: dataclasses.replace(getattr(notice, name), value=v, confidence=1.0)  # not law: a person's certainty
        for name, v in corrected.items()
        if hasattr(notice, name)
    }
    notice = dataclasses.replace(notice, **updates)
    fresh, _ = cases._notice_deadlines(notice, row.item.today or today, rules)
    code = corrected.get("notice_code") or row.item.notice_code
    moved = []
    for deadline in case_file.deadlines:
        if deadline.notice_code not in (code, row.item.notice_code):
            continue
        match = next((d for d in fresh if (d.rule or d.what) == (deadline.rule or deadline.what)), None)
        if match is not None and match.due != deadline.due:
            store.change_deadline(row.case_id, deadline.number, match.due, f"{row.field.replace('_', ' ')} corrected: {reason}")
            moved.append(f"{deadline.what}: {deadline.due.isoformat()} -> {match.due.isoformat()}")
    return moved


def assign(ref: str, client: str, rules: RuleSet) -> str:
    """File a notice that waits for a client in ``client``'s case, now; the outcome."""
    from balancedue.services import batch

    name = clean_text(client, "client name", required=True, limit=200) or ""
    intake = _intake()
    item = intake.find_item(ref)
    if item is None:
        raise EntryNotFoundError(f"no notice {ref!r} waits for a client; `balancedue review list` shows them")
    if item.status != "needs_client":
        raise InputError(f"notice {ref} is {item.status.replace('_', ' ')}, not waiting for a client")
    intake.requeue(item.sha256, name)
    outcome = batch.file_notice(item.sha256, rules)
    after = intake.item(item.sha256)
    if outcome != "done" or after is None:
        raise InputError(f"notice {ref} could not be filed: {after.reason if after else outcome}")
    return f"case {after.case_id}"
