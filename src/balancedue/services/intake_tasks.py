"""The tasks of batch intake, on Django's Tasks interface (``django-tasks``, database backend).

Imported once Django is configured (the task decorator checks the backend); workers import it
by the task's path.
"""

from __future__ import annotations

from django_tasks import task

from balancedue.cases.worker import QUEUE


@task(queue_name=QUEUE)
def take_in_notice(sha256: str) -> str:
    """Read one notice of a batch and file it in its client's case (idempotent: see cases.intake)."""
    from balancedue.services import batch

    return batch.file_notice(sha256)
