"""The task of batch intake, on Django's Tasks interface (``django-tasks``, database backend).

The task only names the notice (its hash); what filing it means is given by the process that
runs the worker (``balancedue worker``), through :func:`use_handler`: the store knows nothing of
reading notices.
"""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import task

from balancedue.cases.worker import QUEUE

_handler: Callable[[str], str] | None = None


def use_handler(handler: Callable[[str], str]) -> None:
    """What ``take_in_notice`` does with a notice's hash in this process."""
    global _handler
    _handler = handler


@task(queue_name=QUEUE)
def take_in_notice(sha256: str) -> str:
    """Read one notice of a batch and file it in its client's case (idempotent: see cases.intake)."""
    if _handler is None:
        raise RuntimeError("this process cannot file notices; run the tasks with `balancedue worker`")
    return _handler(sha256)
