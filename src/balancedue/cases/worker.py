"""The task worker: ``django-tasks-db``'s database worker with leases.

The database backend claims a task by marking it RUNNING under the worker's id; a worker that
dies (SIGKILL, a lost machine) would leave it RUNNING for ever.  Here every worker writes a sign
of life (:class:`~balancedue.cases.intake_models.WorkerBeat`) every few seconds from a
background thread, and before taking a task each worker gives back to the queue every RUNNING
task whose worker has been quiet for longer than the lease.  A task is therefore run at least
once; the intake task is idempotent (see :mod:`balancedue.cases.intake`), so it takes effect
exactly once.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from balancedue.cases.intake_models import WorkerBeat

QUEUE = "intake"


def _now() -> datetime:
    return datetime.now(UTC)


class LeasedWorker(Worker):
    """Runs tasks of the intake queue; gives back the tasks of workers gone quiet."""

    def __init__(
        self, *, worker_id: str, lease_seconds: float, interval: float = 0.5, until_idle: bool = False,
        max_tasks: int | None = None,
    ) -> None:
        super().__init__(
            queue_names=[QUEUE], interval=interval, batch=False, backend_name="default", startup_delay=False,
            max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=[],
        )
        self.lease_seconds = lease_seconds
        self.until_idle = until_idle
        self._stop_beat = threading.Event()

    # --- signs of life -----------------------------------------------------------------------

    def _beat(self) -> None:
        WorkerBeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "beat_at": _now(), "tasks_done": self._run_tasks},
            create_defaults={
                "host": socket.gethostname()[:255], "pid": os.getpid(), "started_at": _now(), "beat_at": _now(),
                "tasks_done": 0,
            },
        )

    def _beat_forever(self) -> None:
        pause = max(0.2, self.lease_seconds / 4)
        try:
            while not self._stop_beat.wait(pause):
                with contextlib.suppress(OperationalError):  # a busy SQLite file: the next beat will do
                    self._beat()
        finally:
            connection.close()

    # --- leases ------------------------------------------------------------------------------

    def give_back_lost_tasks(self) -> int:
        """Put back in the queue every running task whose worker has been quiet past the lease."""
        cutoff = _now() - timedelta(seconds=self.lease_seconds)
        alive = set(WorkerBeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
        given = 0
        running = DBTaskResult.objects.running().filter(backend_name=self.backend_name, queue_name=QUEUE)
        for task_id, worker_ids, started in running.values_list("id", "worker_ids", "started_at"):
            owner = worker_ids[-1] if worker_ids else None
            if owner in alive or (started is not None and started >= cutoff):
                continue
            given += DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
        return given

    def _idle(self) -> bool:
        tasks = DBTaskResult.objects.filter(backend_name=self.backend_name, queue_name=QUEUE)
        return not tasks.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()

    # --- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        self._beat()
        beat = threading.Thread(target=self._beat_forever, name="worker-beat", daemon=True)
        beat.start()
        try:
            self._loop()
        finally:
            self._stop_beat.set()
            beat.join(timeout=5)
            with contextlib.suppress(OperationalError):
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()

    def _take(self) -> Any:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name, queue_name=QUEUE)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
            except OperationalError as exc:
                if is_locked_database_exception(exc):
                    return None
                raise

    def _loop(self) -> None:
        while self.running:
            close_old_connections()
            try:
                self.give_back_lost_tasks()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
            task_result = self._take()
            if task_result is not None:
                self.run_task(task_result)
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                continue
            if self.until_idle and self._idle():
                return
            if self.running:
                time.sleep(self.interval)
