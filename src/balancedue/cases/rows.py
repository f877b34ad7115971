"""Database rows to plain records, and the JSON kept in a case's row (inside the app only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from balancedue.cases.models import Case, Client, Deadline, Document, JournalEntry
from balancedue.cases.records import (
    CaseRecord,
    CaseStatus,
    ClientRecord,
    DeadlineRecord,
    DocumentKind,
    DocumentRecord,
    JournalKind,
    JournalRecord,
    TaxPeriodRecord,
)


def address_lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.split("\n") if line)


def client_record(row: Client) -> ClientRecord:
    return ClientRecord(name=row.name, address=address_lines(row.address), id_last4=row.id_last4 or None)


def period_record(item: Mapping[str, Any]) -> TaxPeriodRecord:
    end = item.get("period_end")
    amount = item.get("amount")
    return TaxPeriodRecord(
        tax_form=item.get("tax_form"),
        period_end=date.fromisoformat(end) if end else None,
        tax_year=item.get("tax_year"),
        amount=Decimal(amount) if amount is not None else None,
    )


def period_json(period: TaxPeriodRecord) -> dict[str, Any]:
    return {
        "tax_form": period.tax_form,
        "period_end": period.period_end.isoformat() if period.period_end else None,
        "tax_year": period.tax_year,
        "amount": format(period.amount, "f") if period.amount is not None else None,
    }


def case_record(row: Case) -> CaseRecord:
    return CaseRecord(
        number=row.pk,
        uid=row.uid,
        client=client_record(row.client),
        title=row.title,
        tax_year=row.tax_year,
        tax_periods=tuple(period_record(item) for item in row.tax_periods),
        notice_codes=tuple(row.notice_codes),
        notice_id=row.notice_id or None,
        notice_date=row.notice_date,
        date_received=row.date_received,
        status=CaseStatus(row.status),
        amount_due=row.amount_due,
        reply_address=address_lines(row.reply_address),
        created_at=row.created_at,
        journal_length=row.journal_length,
        journal_head=row.journal_head,
    )


def deadline_record(row: Deadline) -> DeadlineRecord:
    return DeadlineRecord(
        number=row.number,
        what=row.what,
        due=row.due,
        tag=row.tag,
        basis=row.basis,
        consequence=row.consequence or None,
        rule=row.rule or None,
        source=row.source,
        computed_due=row.computed_due,
        notice_code=row.notice_code or None,
        changed_reason=row.changed_reason or None,
    )


def document_record(row: Document) -> DocumentRecord:
    return DocumentRecord(
        number=row.number,
        sha256=row.sha256,
        size=row.size,
        kind=DocumentKind(row.kind),
        name=row.name,
        media_type=row.media_type,
        added_at=row.added_at,
        text=row.text,
    )


def journal_record(row: JournalEntry, sequences: Mapping[int, int]) -> JournalRecord:
    return JournalRecord(
        sequence=row.sequence,
        created_at=row.created_at,
        kind=JournalKind(row.kind) if row.kind in JournalKind._value2member_map_ else row.kind,
        payload=row.payload,
        prev_hash=row.prev_hash,
        hash=row.hash,
        corrects=sequences.get(row.corrects_id) if row.corrects_id is not None else None,
    )


def sealed_amount(payload: Mapping[str, Any]) -> Decimal | None:
    """The amount a payment entry sealed in its payload."""
    value = payload.get("amount")
    return Decimal(value) if isinstance(value, str) else None

