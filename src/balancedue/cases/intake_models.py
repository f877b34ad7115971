"""Tables of batch intake: each notice file once, the batches that named it, fields to review.

``IntakeItem`` is keyed by the notice's SHA-256: the same notice in two files, two batches or
two runs of a task is one row, and the row is written in the same transaction as the document it
put in a case, so a task that runs twice (its worker died after the commit) finds it done.
"""

from __future__ import annotations

from django.db import models

from balancedue.cases.fields import MoneyField


class IntakeStatus(models.TextChoices):  # type: ignore[misc]
    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"
    NEEDS_CLIENT = "needs_client"


class IntakeItem(models.Model):  # type: ignore[misc]
    """One notice taken in by a batch: where it went, or why it could not go anywhere."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=255, help_text="the file's name, any full id masked")
    client_hint = models.CharField(max_length=200, blank=True, default="", help_text="from the client map")
    status = models.CharField(max_length=16, choices=IntakeStatus.choices, default=IntakeStatus.QUEUED)
    reason = models.TextField(blank=True, default="")
    attempts = models.IntegerField(default=0)
    today = models.DateField()
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, related_name="intake_items")
    document_number = models.IntegerField(null=True)
    opened_case = models.BooleanField(default=False)
    notice_code = models.CharField(max_length=16, blank=True, default="")
    amount_due = MoneyField(null=True)
    next_due = models.DateField(null=True)
    id_last4 = models.CharField(max_length=4, blank=True, default="")
    review = models.JSONField(default=list, help_text="names of the fields read below high confidence")
    task_id = models.CharField(max_length=64, blank=True, default="", help_text="the task that files it")
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["status"], name="intake_status")]  # noqa: RUF012 - Django reads a list


class BatchRun(models.Model):  # type: ignore[misc]
    """One set of files given to ``balancedue batch``; the same files again are the same run."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    today = models.DateField()
    files = models.JSONField(default=list, help_text="[{path, name, sha256, client, error}] in order")


class ReviewField(models.Model):  # type: ignore[misc]
    """A field read below high confidence, waiting for a person to confirm or correct it."""

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="review_fields")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="review_fields")
    field = models.CharField(max_length=40)
    value = models.TextField(blank=True, default="")
    confidence = models.FloatField()
    status = models.CharField(max_length=16, default="open")  # open, confirmed, corrected
    resolution = models.TextField(blank=True, default="")
    resolved_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "field"], name="review_field_once_per_item")]  # noqa: RUF012
        indexes = [models.Index(fields=["status"], name="review_status")]  # noqa: RUF012 - Django reads a list


class WorkerBeat(models.Model):  # type: ignore[misc]
    """A worker's last sign of life; a task whose worker has gone quiet is run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255)
    pid = models.IntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    tasks_done = models.IntegerField(default=0)
