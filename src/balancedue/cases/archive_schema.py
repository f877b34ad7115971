"""What an exported case archive must look like: its manifest and journal, checked field by
field before anything is written (cases/archive.py reads and writes the archives)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from balancedue.cases.records import (
    CaseFile,
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

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
_MONEY = r"^-?\d+\.\d{2}$"
_SHA = r"^[0-9a-f]{64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class _Client(_Strict):
    name: str = Field(min_length=1, max_length=200)
    address: list[str] = Field(default_factory=list, max_length=10)
    id_last4: str | None = Field(default=None, pattern=r"^\d{4}$")


class _Period(_Strict):
    tax_form: str | None = Field(default=None, max_length=20)
    period_end: date | None = None
    tax_year: int | None = None
    amount: str | None = Field(default=None, pattern=_MONEY)


class _Deadline(_Strict):
    number: int = Field(ge=1)
    what: str = Field(max_length=2000)
    due: date
    computed_due: date
    tag: str = Field(max_length=16)
    basis: str = Field(max_length=2000)
    consequence: str | None = Field(default=None, max_length=4000)
    rule: str | None = Field(default=None, max_length=120)
    source: str = Field(max_length=2000)
    notice_code: str | None = Field(default=None, max_length=16)
    changed_reason: str | None = Field(default=None, max_length=4000)


class _Document(_Strict):
    number: int = Field(ge=1)
    sha256: str = Field(pattern=_SHA)
    size: int = Field(ge=0, le=MAX_DOCUMENT_BYTES)
    kind: DocumentKind
    name: str = Field(min_length=1, max_length=255)
    media_type: str = Field(max_length=100)
    added_at: AwareDatetime
    text: str = ""


class _Case(_Strict):
    uid: str = Field(pattern=r"^[0-9a-f]{32}$")
    title: str = Field(max_length=200)
    client: _Client
    tax_year: int | None = None
    tax_periods: list[_Period] = Field(default_factory=list)
    notice_codes: list[str] = Field(default_factory=list)
    notice_id: str | None = Field(default=None, max_length=64)
    notice_date: date | None = None
    date_received: date
    status: CaseStatus
    amount_due: str | None = Field(default=None, pattern=_MONEY)
    reply_address: list[str] = Field(default_factory=list)
    created_at: AwareDatetime
    journal_length: int = Field(ge=0)
    journal_head: str = Field(pattern=_SHA)
    deadlines: list[_Deadline] = Field(default_factory=list)
    documents: list[_Document] = Field(default_factory=list)


class ArchiveManifest(_Strict):
    format: str
    version: int
    exported_at: AwareDatetime
    case: _Case
    members: dict[str, str]
    fingerprint: str = Field(pattern=_SHA)


class ArchiveEntry(_Strict):
    sequence: int = Field(ge=1)
    created_at: AwareDatetime
    kind: str = Field(max_length=16)
    payload: dict[str, Any]
    prev_hash: str = Field(pattern=_SHA)
    hash: str = Field(pattern=_SHA)
    corrects: int | None = None


def case_file_from(case: _Case, entries: Sequence[ArchiveEntry]) -> CaseFile:
    record = CaseRecord(
        number=0,
        uid=case.uid,
        client=ClientRecord(case.client.name, tuple(case.client.address), case.client.id_last4),
        title=case.title,
        tax_year=case.tax_year,
        tax_periods=tuple(
            TaxPeriodRecord(p.tax_form, p.period_end, p.tax_year, Decimal(p.amount) if p.amount else None)
            for p in case.tax_periods
        ),
        notice_codes=tuple(case.notice_codes),
        notice_id=case.notice_id,
        notice_date=case.notice_date,
        date_received=case.date_received,
        status=case.status,
        amount_due=Decimal(case.amount_due) if case.amount_due is not None else None,
        reply_address=tuple(case.reply_address),
        created_at=case.created_at,
        journal_length=case.journal_length,
        journal_head=case.journal_head,
    )
    return CaseFile(
        case=record,
        deadlines=tuple(DeadlineRecord(**d.model_dump()) for d in case.deadlines),
        documents=tuple(DocumentRecord(**d.model_dump()) for d in case.documents),
        journal=tuple(
            JournalRecord(
                sequence=e.sequence,
                created_at=e.created_at,
                kind=JournalKind(e.kind) if e.kind in JournalKind._value2member_map_ else e.kind,  # type: ignore[arg-type]
                payload=e.payload,
                prev_hash=e.prev_hash,
                hash=e.hash,
                corrects=e.corrects,
            )
            for e in entries
        ),
    )
