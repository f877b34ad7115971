"""Uploaded files: kept in a private folder under the data folder while they are worked on.

A notice is staged (kept and read) until the user has reviewed its fields and opened the case;
a transcript, a letter or a calendar lives only as long as its request.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from balancedue import errors
from balancedue.errors import BalancedueError, InputError
from balancedue.identifiers import mask
from balancedue.rules import RuleSet
from balancedue.services.read import Notice, read_notice

STAGED_KEEP_SECONDS = 3600
GONE = "the uploaded notice is no longer waiting for review; upload it again"
_STAGED_LIMIT = 64
READS_PER_WORKER = 20  # not law: the reading process starts afresh after this many documents


@dataclass(frozen=True, slots=True)
class StagedNotice:
    """An uploaded notice waiting for the user's review."""

    token: str
    name: str
    path: Path
    notice: Notice
    owner: int
    created: float


_staged: OrderedDict[str, StagedNotice] = OrderedDict()
_staged_lock = threading.Lock()


def uploads_dir() -> Path:
    """The private folder of uploads (created on first use)."""
    folder = Path(settings.UPLOADS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def safe_name(name: str, default: str) -> str:
    """The file name kept on disk: letters, digits, dot, dash and underscore; at most 100; a full
    taxpayer id in it masked ("Smith NNN-NN-6789 CP14.pdf", with digits, is kept as "Smith_XXX-XX-6789_CP14.pdf")."""
    return mask(re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-100:]) or default


@contextlib.contextmanager
def work_folder(prefix: str) -> Iterator[Path]:
    """A private folder under the uploads folder for the length of a request."""
    with tempfile.TemporaryDirectory(prefix=prefix, dir=uploads_dir()) as folder:
        yield Path(folder)


def save(folder: Path, name: str, chunks: Iterable[bytes]) -> Path:
    """Write an upload's chunks to ``folder/name``."""
    path = folder / name
    with path.open("wb") as stream:
        for chunk in chunks:
            stream.write(chunk)
    return path


def forget_all() -> None:
    """Drop every staged notice (tests start from nothing)."""
    with _staged_lock:
        _staged.clear()


def _forget_old(now: float) -> None:
    with _staged_lock:
        for token in list(_staged):
            item = _staged[token]
            if now - item.created > STAGED_KEEP_SECONDS or len(_staged) > _STAGED_LIMIT:
                _staged.pop(token)
                shutil.rmtree(item.path.parent, ignore_errors=True)


def stage_notice(owner: int, name: str, chunks: Iterable[bytes], rules: RuleSet) -> StagedNotice:
    """Keep an uploaded notice in a private folder and read it (OCR for photos and scans)."""
    now = time.monotonic()
    _forget_old(now)
    safe = safe_name(name, "notice")
    folder = Path(tempfile.mkdtemp(prefix="staged-", dir=uploads_dir()))
    path = save(folder, safe, chunks)
    try:
        notice = read_in_worker(path) if settings.READ_IN_WORKER else read_notice(path, rules=rules)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    staged = StagedNotice(secrets.token_urlsafe(16), safe, path, notice, owner, now)
    with _staged_lock:
        _staged[staged.token] = staged
    return staged


def staged_notice(owner: int, token: str) -> StagedNotice:
    """The notice staged by ``owner`` under ``token``."""
    with _staged_lock:
        staged = _staged.get(token)
    if (
        staged is None
        or staged.owner != owner
        or time.monotonic() - staged.created > STAGED_KEEP_SECONDS
        or not staged.path.exists()
    ):
        raise InputError(GONE)
    return staged


def claim(staged: StagedNotice) -> None:
    """Take the staged notice for opening its case: of two submissions of the same review (a
    double click, a form sent again), one gets it and the other is told it is gone."""
    with _staged_lock:
        if _staged.pop(staged.token, None) is None:
            raise InputError(GONE)


def release(staged: StagedNotice) -> None:
    """The case was not opened: the notice waits for its review again."""
    with _staged_lock:
        _staged.setdefault(staged.token, staged)


def max_request_body() -> int:
    """The largest request the server reads (an upload and its form); waitress refuses larger ones unread."""
    return int(settings.MAX_REQUEST_BODY_BYTES)


def remove_leftovers() -> int:
    """Remove uploads left by an earlier run of the server (none can be reviewed any more)."""
    folder = Path(settings.UPLOADS_DIR)
    if not folder.is_dir():
        return 0
    with _staged_lock:
        waiting = {item.path.parent for item in _staged.values()}
    removed = 0
    for child in folder.iterdir():
        if child in waiting:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
        removed += 1
    return removed


def discard(staged: StagedNotice) -> None:
    """The case is open: the staged copy goes."""
    with _staged_lock:
        _staged.pop(staged.token, None)
    shutil.rmtree(staged.path.parent, ignore_errors=True)


# --- reading in a separate process --------------------------------------------------------------
#
# Reading a photo loads the OCR models and works on page images of hundreds of megabytes; a
# long-running server that did it in its own process would keep that memory for good.  The
# server reads uploads in one worker process instead, which starts afresh after
# READS_PER_WORKER documents, so the server's own memory stays where it started.

_reader: ProcessPoolExecutor | None = None
_uses = 0
_reader_lock = threading.Lock()
_worker_rules: RuleSet | None = None


def _read_file(path: str) -> tuple[str, Notice | None, str]:
    """In the worker: the notice, or the name and message of the error the reader raised."""
    global _worker_rules
    from balancedue.context import build_context

    if _worker_rules is None:
        _worker_rules = build_context().rules
    try:
        return "ok", read_notice(Path(path), rules=_worker_rules), ""
    except BalancedueError as exc:
        return type(exc).__name__, None, exc.message


def _watch_parent(parent: int) -> None:
    """In the worker: leave as soon as the server that started it is gone (even killed)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _worker_start(parent: int) -> None:
    """In the worker, first: let go of the server's terminal and pipes (it prints nothing; its
    answers travel back through the pool), and end with the server."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _executor() -> ProcessPoolExecutor:
    """The reading pool: one process, replaced by a fresh one after READS_PER_WORKER uses.  (The
    pool's own max_tasks_per_child is not used: on Python 3.11 it can hang the pool's shutdown.)"""
    global _reader, _uses
    with _reader_lock:
        if _reader is not None and _uses >= READS_PER_WORKER:
            _reader.shutdown(wait=False)  # the old process ends once its last read is done
            _reader = None
        if _reader is None:
            _reader = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_start, initargs=(os.getpid(),),
            )
            _uses = 0
        _uses += 1
        return _reader


def read_in_worker(path: Path) -> Notice:
    """Read the notice at ``path`` in the reading process; its errors come back as they were."""
    global _reader
    try:
        status, notice, message = _executor().submit(_read_file, str(path)).result()
    except BrokenProcessPool:
        with _reader_lock:
            _reader = None
        raise InputError("reading the notice stopped before it ended (the reader ran out of memory?); "
                         "try a smaller photo or scan") from None
    if status == "ok" and notice is not None:
        return notice
    kind = getattr(errors, status, None)
    if not (isinstance(kind, type) and issubclass(kind, BalancedueError)):
        kind = BalancedueError
    error = kind.__new__(kind)  # the reader's own class, whatever its constructor takes
    BalancedueError.__init__(error, message)
    raise error


def start_reader() -> None:
    """Start the reading process ahead of the first upload (it loads the rules once)."""
    _executor().submit(_warm)


def _warm() -> None:
    global _worker_rules
    from balancedue.context import build_context

    if _worker_rules is None:
        _worker_rules = build_context().rules


def stop_reader() -> None:
    """Stop the reading process (the server is stopping)."""
    global _reader
    with _reader_lock:
        if _reader is not None:
            _reader.shutdown(wait=False, cancel_futures=True)
            _reader = None
