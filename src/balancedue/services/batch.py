"""Batch intake: a folder of notices (PDFs, photos, text) into the right clients' cases.

``balancedue batch`` finds the files, copies each into the document folder (so a worker on
another machine with the same document folder can read it), registers it by its SHA-256 and
enqueues one task per new notice (Django's Tasks interface, database backend).  Workers - started
by the batch itself, or ``balancedue worker`` processes on other machines - read each notice and
file it (see :mod:`balancedue.cases.intake`).  The same files again are the same run: nothing
already filed is done again, and what was left (a crash, Ctrl-C) is finished.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.cases.blobs import hash_file
from balancedue.errors import BalancedueError, InputError
from balancedue.intake.confidence import needs_review
from balancedue.intake.values import mask_ids
from balancedue.rules import RuleSet
from balancedue.services import cases
from balancedue.services.read import read_notice
from balancedue.services.text import clean_text

NOTICE_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif", ".gif", ".txt", ".text"})
MAX_ATTEMPTS = 3
"""A notice whose worker died this many times while reading it is reported as failed."""
POLL_SECONDS = 0.5  # not law: how often the progress bar is brought up to date


# --- finding the files --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BatchFile:
    """One file named by the batch, with the client the map gives it."""

    path: Path
    client: str | None
    error: str | None = None


def read_client_map(path: Path) -> dict[str, str]:
    """The client map: a CSV with the columns ``file`` (a file or folder name) and ``client``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"the client map {str(path)!r} cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"the client map {str(path)!r} is not UTF-8 text (save it as CSV UTF-8)") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    key = next((columns[c] for c in ("file", "folder", "path") if c in columns), None)
    if key is None or "client" not in columns:
        raise InputError(f"the client map {path.name} needs a header row with the columns file and client")
    found: dict[str, str] = {}
    for number, row in enumerate(reader, start=2):
        name, client = (row.get(key) or "").strip().rstrip("/"), (row.get(columns["client"]) or "").strip()
        if not name and not client:
            continue
        if not name or not client:
            raise InputError(f"the client map {path.name}, line {number}: give both a file (or folder) and a client")
        found[name] = clean_text(client, "client name", limit=200) or client
    return found


def client_for(path: Path, mapping: dict[str, str]) -> str | None:
    """The client the map gives a file: its own name first, then its nearest folder's."""
    if path.name in mapping:
        return mapping[path.name]
    for folder in path.parents:
        if folder.name in mapping:
            return mapping[folder.name]
        if str(folder) in mapping:
            return mapping[str(folder)]
    return None


def find_files(paths: Sequence[Path], mapping: dict[str, str]) -> list[BatchFile]:
    """The notice files named or inside the folders named, in a stable order."""
    found: list[BatchFile] = []
    seen: set[Path] = set()

    def add(path: Path, error: str | None = None) -> None:
        resolved = path.resolve()
        if resolved not in seen:
            seen.add(resolved)
            found.append(BatchFile(resolved, client_for(resolved, mapping), error))

    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not child.name.startswith(".") and child.suffix.lower() in NOTICE_SUFFIXES:
                    add(child)
        elif path.is_file():
            add(path, None if path.suffix.lower() in NOTICE_SUFFIXES else "not a PDF, photo or text file")
        else:
            raise InputError(f"{str(path)!r} does not exist")
    if not found:
        raise InputError("no PDF, photo or text files were found in " + ", ".join(repr(str(p)) for p in paths))
    return found


# --- the run ----------------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One line of the batch report."""

    file: str
    status: str
    client: str = ""
    case: int | None = None
    notice_code: str = ""
    amount_due: Decimal | None = None
    next_deadline: date | None = None
    review: list[str] = field(default_factory=list)
    reason: str = ""


@dataclass
class BatchReport:
    """What a batch did, file by file."""

    rows: list[ReportRow]
    counts: dict[str, int]

    def as_json(self) -> str:
        def plain(value: Any) -> Any:
            if isinstance(value, Decimal):
                return format(value, "f")
            if isinstance(value, date):
                return value.isoformat()
            return value

        rows = [{k: plain(v) for k, v in asdict(row).items()} for row in self.rows]
        return json.dumps({"counts": self.counts, "files": rows}, indent=1)

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["file", "status", "client", "case", "notice_code", "amount_due", "next_deadline", "review", "reason"])
        for r in self.rows:
            writer.writerow([
                r.file, r.status, r.client, r.case or "", r.notice_code,
                format(r.amount_due, "f") if r.amount_due is not None else "",
                r.next_deadline.isoformat() if r.next_deadline else "", " ".join(r.review), r.reason,
            ])
        return out.getvalue()


@dataclass
class Progress:
    """Counts of a running batch, for the progress bar."""

    total: int
    finished: int
    counts: dict[str, int]


def _intake() -> Any:
    store = cases.store()  # Django set up before the intake tables are imported
    from balancedue.cases.intake import IntakeStore

    return IntakeStore(store)


def _enqueue(sha256: str) -> str:
    cases.store()
    from balancedue.cases.intake import set_task
    from balancedue.cases.tasks import take_in_notice

    result = take_in_notice.enqueue(sha256)
    set_task(cases.store().using, sha256, str(result.id))
    return str(result.id)


def prepare(files: Sequence[BatchFile], today: date, *, retry_failed: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """Register every file (copying new ones into the document folder) and enqueue what is left.

    Returns the run's files (as recorded) and the hashes the run waits for.
    """
    intake = _intake()
    documents = intake.cases.documents
    recorded: list[dict[str, Any]] = []
    hashes: list[str] = []
    for item in files:
        entry: dict[str, Any] = {"path": str(item.path), "name": cases.document_name(item.path), "client": item.client}
        if item.error:
            recorded.append({**entry, "error": item.error})
            continue
        try:
            sha256, size = hash_file(item.path)
        except OSError as exc:
            recorded.append({**entry, "error": f"the file cannot be read ({exc.strerror})"})
            continue
        entry["sha256"] = sha256
        recorded.append(entry)
        if sha256 in hashes:
            continue
        hashes.append(sha256)
        known = intake.item(sha256)
        if known is not None and known.status == "done":
            continue
        if known is not None and known.status in ("failed", "needs_client") and not retry_failed:
            continue
        if size and (known is None or not documents.path_of(sha256).is_file()):
            documents.put_file(item.path)
        registered, created = intake.register(sha256, entry["name"], item.client or "", today)
        if not created:
            intake.requeue(sha256, item.client or registered.client_hint or "")
        if created or not _task_alive(registered.task_id):
            _enqueue(sha256)
    intake.run(recorded, today)
    return recorded, hashes


def _task_alive(task_id: str) -> bool:
    cases.store()
    from balancedue.cases.intake import live_tasks

    return bool(live_tasks(cases.store().using, [task_id]))


def requeue_lost(hashes: Sequence[str]) -> int:
    """Enqueue again every queued notice whose task is no longer waiting or running."""
    intake = _intake()
    from balancedue.cases.intake import live_tasks

    queued = [row for row in intake.items(hashes).values() if row.status == "queued"]
    alive = live_tasks(intake.using, [row.task_id for row in queued])
    lost = [row for row in queued if row.task_id not in alive]
    for row in lost:
        _enqueue(row.sha256)
    return len(lost)


def progress(hashes: Sequence[str]) -> Progress:
    counts = _intake().counts(hashes)
    finished = sum(n for status, n in counts.items() if status != "queued")
    return Progress(len(hashes), finished, counts)


def report(recorded: Sequence[dict[str, Any]], visible: Callable[[int], bool] | None = None) -> BatchReport:
    """The report of a run's files; a client ``visible`` refuses is left out."""
    intake = _intake()
    items = intake.items([f["sha256"] for f in recorded if f.get("sha256")])
    first: dict[str, str] = {}
    rows: list[ReportRow] = []
    counts: dict[str, int] = {}
    for entry in recorded:
        sha = entry.get("sha256")
        row = ReportRow(file=entry["path"], status="failed", client=entry.get("client") or "")
        item = items.get(sha) if sha else None
        if visible is not None and (item is None or item.case_id is None):
            continue  # a practice account sees only the files filed in its clients' cases
        if entry.get("error"):
            row.reason = entry["error"]
        elif sha in first:
            row.status, row.reason = "duplicate", f"the same notice as {first[sha]}"
        elif item is None:
            row.status, row.reason = "queued", "not yet taken in"
        else:
            client = item.case.client if item.case_id else None
            if visible is not None and (client is None or not visible(client.pk)):
                continue
            row.status, row.reason = item.status, item.reason
            row.client = client.name if client is not None else (item.client_hint or "")
            row.case, row.notice_code, row.amount_due = item.case_id, item.notice_code, item.amount_due
            row.next_deadline, row.review = item.next_due, list(item.review)
        if sha and sha not in first:
            first[sha] = Path(entry["path"]).name
        counts[row.status] = counts.get(row.status, 0) + 1
        rows.append(row)
    return BatchReport(rows, counts)


class BatchStalledError(BalancedueError):
    """The batch's own workers stopped before the batch was done."""


# --- workers ------------------------------------------------------------------------------------


def worker_command(*, until_idle: bool) -> list[str]:
    command = [sys.executable, "-c", "from balancedue.cli import main; main()", "worker"]
    return [*command, "--until-idle"] if until_idle else command


@dataclass
class Workers:
    """Worker processes started by the batch itself."""

    wanted: int
    log: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    started: int = 0

    def top_up(self) -> None:
        """Start workers until ``wanted`` run (a worker that died is replaced, a few times)."""
        self.processes = [p for p in self.processes if p.poll() is None]
        while len(self.processes) < self.wanted and self.started < self.wanted * (MAX_ATTEMPTS + 2):
            with self.log.open("ab") as log:
                self.processes.append(
                    subprocess.Popen(worker_command(until_idle=True), stdout=subprocess.DEVNULL, stderr=log)
                )
            self.started += 1

    def stop(self, timeout: float = 30) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        end = time.monotonic() + timeout
        for process in self.processes:
            try:
                process.wait(max(1 / 10, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    @property
    def exhausted(self) -> bool:
        """Every worker has stopped and none may be started again."""
        alive = any(p.poll() is None for p in self.processes)
        return not alive and self.started >= self.wanted * (MAX_ATTEMPTS + 2)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes if p.poll() is None]


def wait(
    hashes: Sequence[str], workers: Workers | None, on_progress: Callable[[Progress], None], *, timeout: float | None = None
) -> Progress:
    """Wait until every notice of the run is filed, failed or waiting for a client."""
    started = time.monotonic()
    last_check = started
    while True:
        state = progress(hashes)
        on_progress(state)
        if state.finished >= state.total:
            return state
        if timeout is not None and time.monotonic() - started > timeout:
            return state
        if time.monotonic() - last_check > 5:
            last_check = time.monotonic()
            requeue_lost(hashes)
        if workers is not None:
            workers.top_up()
            if workers.exhausted:
                raise BatchStalledError(
                    f"the workers keep stopping; see {workers.log} (run the same command again to finish the rest)"
                )
        time.sleep(POLL_SECONDS)


def data_dir() -> Path:
    cases.store()
    from balancedue.cases.intake import data_folder

    return Path(data_folder())


def uses_shared_database() -> bool:
    cases.store()
    from balancedue.cases.intake import shared_database

    return shared_database()


def run_worker(rules: RuleSet, *, worker_id: str, until_idle: bool, lease: float | None, max_tasks: int | None) -> None:
    """Run intake tasks in this process until stopped (or, ``until_idle``, until none is left)."""
    cases.store()
    from balancedue.cases.intake import lease_seconds
    from balancedue.cases.tasks import use_handler
    from balancedue.cases.worker import LeasedWorker

    use_handler(lambda sha256: file_notice(sha256, rules))
    worker = LeasedWorker(
        worker_id=worker_id, lease_seconds=lease or lease_seconds(), until_idle=until_idle, max_tasks=max_tasks
    )
    worker.configure_signals()
    worker.run()


# --- one notice (the task's body) ----------------------------------------------------------------


def file_notice(sha256: str, rules: RuleSet) -> str:
    """Read one registered notice and file it in its client's case; the outcome in one word."""
    intake = _intake()
    from balancedue.cases.intake import IntakeRefusedError, ReviewCandidate

    item = intake.start_attempt(sha256)
    if item is None:
        return "nothing to do"
    if item.attempts > MAX_ATTEMPTS:
        intake.fail(sha256, f"its worker stopped {MAX_ATTEMPTS} times while reading it; check the file and run it alone")
        return "failed"
    source = intake.cases.documents.path_of(sha256)
    folder = Path(tempfile.mkdtemp(prefix="intake-"))
    try:
        if not source.is_file():
            intake.fail(sha256, "its copy in the document folder is missing; run the batch again on this machine")
            return "failed"
        path = folder / (Path(item.name).name or "notice")
        shutil.copyfile(source, path)
        if path.stat().st_size == 0:
            raise InputError("the file is empty (0 bytes)")
        notice = read_notice(path, rules=rules)
        new, document, _warnings = cases.case_from_notice(
            notice, {}, cases.ClientDetails(name=item.client_hint or None), item.today,
            file=cases.NoticeFile(path, item.name), rules=rules,
        )
        review = [
            ReviewCandidate(name, _shown(value.value), value.confidence)
            for name, value in notice.fields.items()
            if needs_review(value.confidence, found=value.found)
        ]
        # The next deadline: the first still to come, else (every one passed) the last one missed.
        dues = sorted(d.due for d in new.deadlines)
        upcoming = [due for due in dues if due >= item.today]
        next_due = upcoming[0] if upcoming else (dues[-1] if dues else None)
        filed = intake.file_notice(sha256, new, document, text=notice.text, review=review, next_due=next_due)
        return str(filed.status)
    except BalancedueError as exc:
        intake.fail(sha256, mask_ids(exc.message).splitlines()[0] if exc.message else type(exc).__name__)
        return "failed"
    except IntakeRefusedError as exc:
        intake.fail(sha256, str(exc))
        return "failed"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return mask_ids(str(value))
