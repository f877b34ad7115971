"""Uploaded files: kept in a private folder under the data folder while they are worked on.

A notice is staged (kept and read) until the user has reviewed its fields and opened the case;
a transcript, a letter or a calendar lives only as long as its request.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.services.read import Notice, read_notice

STAGED_KEEP_SECONDS = 3600
_STAGED_LIMIT = 64


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
    """The file name kept on disk: letters, digits, dot, dash and underscore; at most 100."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-100:] or default


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
        notice = read_notice(path, rules=rules)
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
    if staged is None or staged.owner != owner or not staged.path.exists():
        raise InputError("the uploaded notice is no longer waiting for review; upload it again")
    return staged


def discard(staged: StagedNotice) -> None:
    """The case is open: the staged copy goes."""
    with _staged_lock:
        _staged.pop(staged.token, None)
    shutil.rmtree(staged.path.parent, ignore_errors=True)
