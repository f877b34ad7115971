"""The document folder: every document's bytes, stored once under their SHA-256.

A document with hash ``abcd1234...`` lives at ``<folder>/ab/cd/abcd1234...``.  Files are
written so that a crash (even ``kill -9``) at any moment leaves the store consistent:

1. the bytes go to a new file in ``<folder>/tmp/``, are hashed on the way, and are flushed to
   disk (``fsync``);
2. the file is renamed to its final name (atomic) and the folder is flushed;
3. only then does the database transaction insert the document's row and its journal entry.

So a row always points at a complete file.  A crash before step 3 commits leaves at most an
*orphan* - a temporary file, or a complete file that no row names.  Orphans are harmless: no
case refers to them, ``case verify`` counts them, and ``case cleanup`` removes those older than
an hour (younger ones may belong to a document being added right now).

The crash tests stop the process at the points named in :data:`PAUSE_POINTS` (set through
``BALANCEDUE_TEST_PAUSE_AT``, read by the settings) and kill it there.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024
TEMP_FOLDER = "tmp"
SHA256_NAME = re.compile(r"[0-9a-f]{64}")
ORPHAN_MIN_AGE_SECONDS = 3600
"""Orphans younger than this may belong to a document being added right now; cleanup keeps them."""

PAUSE_TEMP_WRITTEN = "document-temp-written"
PAUSE_IN_PLACE = "document-in-place"
PAUSE_ROW_WRITTEN = "document-row-written"
PAUSE_POINTS = (PAUSE_TEMP_WRITTEN, PAUSE_IN_PLACE, PAUSE_ROW_WRITTEN)
"""Where the crash tests may stop the store: after the temporary file is flushed, after it is
renamed into place, and after the row is written but before the transaction commits."""

Pause = Callable[[str], None]


def no_pause(point: str) -> None:
    """The normal case: never stop."""


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """A document's bytes in the folder."""

    sha256: str
    size: int
    path: Path


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (a rename is durable only after this)."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:  # not on every system
        return
    descriptor = os.open(folder, os.O_RDONLY | flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def hash_stream(stream: BinaryIO) -> tuple[str, int]:
    """SHA-256 and size of everything left in ``stream``."""
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 and size of a file."""
    with path.open("rb") as stream:
        return hash_stream(stream)


class DocumentFolder:
    """Content-addressed, crash-safe storage of document bytes."""

    def __init__(self, root: Path, pause: Pause = no_pause) -> None:
        self.root = root
        self.pause = pause

    def path_of(self, sha256: str) -> Path:
        """Where the document with this hash is kept."""
        if not SHA256_NAME.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hash: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def _make_folder(self, folder: Path) -> None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    @contextlib.contextmanager
    def _temporary(self) -> Iterator[tuple[Path, BinaryIO]]:
        folder = self.root / TEMP_FOLDER
        self._make_folder(folder)
        path = folder / f"{secrets.token_hex(8)}.part"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                yield path, stream
        except BaseException:
            path.unlink(missing_ok=True)
            raise

    def put_stream(self, source: BinaryIO) -> StoredBlob:
        """Copy ``source`` into the folder; return where it is (the same file if already there)."""
        digest = hashlib.sha256()
        size = 0
        with self._temporary() as (temp, stream):
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                stream.write(chunk)
                size += len(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        sha256 = digest.hexdigest()
        self.pause(PAUSE_TEMP_WRITTEN)
        final = self.path_of(sha256)
        if final.is_file() and hash_file(final) == (sha256, size):
            temp.unlink()
        else:  # new, or a damaged copy that the good bytes now replace
            self._make_folder(final.parent)
            os.replace(temp, final)
            _fsync_folder(final.parent)
        self.pause(PAUSE_IN_PLACE)
        return StoredBlob(sha256, size, final)

    def put_file(self, path: Path) -> StoredBlob:
        """Copy the file at ``path`` into the folder."""
        with path.open("rb") as source:
            return self.put_stream(source)

    def put_bytes(self, data: bytes) -> StoredBlob:
        """Store ``data``."""
        import io

        return self.put_stream(io.BytesIO(data))

    def read(self, sha256: str) -> bytes:
        """The bytes of a stored document."""
        return self.path_of(sha256).read_bytes()

    def check(self, sha256: str, size: int) -> str | None:
        """``None`` when the stored file is there with the right bytes, else what is wrong."""
        path = self.path_of(sha256)
        if not path.is_file():
            return "its file is missing from the document folder"
        actual, actual_size = hash_file(path)
        if actual != sha256:
            return f"its bytes were changed (SHA-256 is now {actual[:12]}..., {actual_size:,} bytes)"
        if actual_size != size:
            return f"its size is {actual_size:,} bytes, not the {size:,} recorded"
        return None

    def files(self) -> Iterator[Path]:
        """Every stored document file and every temporary file."""
        if not self.root.is_dir():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and (SHA256_NAME.fullmatch(path.name) or path.parent.name == TEMP_FOLDER):
                yield path

    def orphans(self, referenced: set[str]) -> list[Path]:
        """Files that no document row names: left by a crash before the row was committed."""
        return sorted(path for path in self.files() if path.name not in referenced)

    def remove_orphans(self, referenced: set[str], now: float | None = None) -> list[Path]:
        """Delete orphans older than :data:`ORPHAN_MIN_AGE_SECONDS`; return what was deleted."""
        now = time.time() if now is None else now
        removed = []
        for path in self.orphans(referenced):
            if now - path.stat().st_mtime >= ORPHAN_MIN_AGE_SECONDS:
                path.unlink(missing_ok=True)
                removed.append(path)
        return removed
