"""Database tables of the case store.

Rows stay inside the app: :mod:`balancedue.cases.store` turns them into the records of
:mod:`balancedue.cases.records`.  Journal entries are append-only: the model refuses to update
or delete one, and database triggers (migration ``0002``) refuse it on SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from balancedue.cases.fields import MoneyField
from balancedue.cases.records import CaseStatus, DocumentKind, JournalKind


class Client(models.Model):  # type: ignore[misc]
    """A taxpayer.  Only the last four digits of the SSN, ITIN or EIN are ever kept."""

    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, default="", help_text="mailing address, one line per line")
    id_last4 = models.CharField(max_length=4, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # Never room for a full SSN, ITIN or EIN: at most the last four digits.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("id_last4"), 4), name="client_id_at_most_last_four"
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class Case(models.Model):  # type: ignore[misc]
    """One tax year and the notices about it."""

    uid = models.CharField(max_length=32, unique=True, help_text="stable id, the same after export and import")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200)
    tax_year = models.IntegerField(null=True)
    tax_periods = models.JSONField(default=list)
    notice_codes = models.JSONField(default=list)
    notice_id = models.CharField(max_length=64, blank=True, default="")
    notice_date = models.DateField(null=True)
    date_received = models.DateField()
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value) for s in CaseStatus], default=CaseStatus.OPEN.value
    )
    amount_due = MoneyField(null=True)
    reply_address = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    journal_length = models.IntegerField(default=0)
    journal_head = models.CharField(max_length=64)
    state_digest = models.CharField(
        max_length=64, blank=True, default="", help_text="seals the case's rows to its journal (cases.integrity)"
    )

    class Meta:
        indexes = [models.Index(fields=["status"], name="case_status")]

    def __str__(self) -> str:
        return f"case {self.pk}"


class Deadline(models.Model):  # type: ignore[misc]
    """A dated thing to do, with the rule it was computed by; the date can be changed by hand."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    number = models.IntegerField()
    what = models.TextField()
    due = models.DateField()
    computed_due = models.DateField()
    tag = models.CharField(max_length=16)
    basis = models.TextField()
    consequence = models.TextField(blank=True, default="")
    rule = models.CharField(max_length=120, blank=True, default="")
    source = models.TextField(blank=True, default="")
    notice_code = models.CharField(max_length=16, blank=True, default="")
    changed_reason = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="deadline_number_per_case")]
        indexes = [
            models.Index(fields=["case", "due"], name="deadline_case_due"),
            models.Index(fields=["due"], name="deadline_due"),
        ]


class Document(models.Model):  # type: ignore[misc]
    """A document of a case; its bytes are in the document folder under ``sha256``."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    number = models.IntegerField()
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    kind = models.CharField(max_length=24, choices=[(k.value, k.value) for k in DocumentKind])
    name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    text = models.TextField(blank=True, default="", help_text="text read from it, ids masked")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="document_number_per_case"),
            models.UniqueConstraint(fields=["case", "sha256"], name="document_once_per_case"),
        ]
        indexes = [models.Index(fields=["sha256"], name="document_sha256")]


class AppendOnlyError(Exception):
    """A journal entry cannot be changed or deleted; write a correction instead."""


class JournalEntry(models.Model):  # type: ignore[misc]
    """One entry of a case's journal, sealed by a hash chained to the entry before it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal")
    sequence = models.IntegerField()
    created_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=[(k.value, k.value) for k in JournalKind])
    payload = models.JSONField()
    amount = MoneyField(null=True, help_text="the payment's amount, also sealed in the payload")
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, related_name="corrections")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "sequence"], name="journal_sequence_per_case")]
        ordering = ["case_id", "sequence"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnlyError("journal entries are append-only; write a correction instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("journal entries are append-only; write a correction instead")


from balancedue.cases.intake_models import BatchRun, IntakeItem, ReviewField, WorkerBeat  # noqa: E402  (batch intake)

__all__ = ["AppendOnlyError", "BatchRun", "Case", "Client", "Deadline", "Document", "IntakeItem", "JournalEntry", "ReviewField", "WorkerBeat"]
