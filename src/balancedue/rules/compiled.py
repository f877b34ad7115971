"""A compiled cache of the validated rules data, so a start does not re-parse every YAML file.

The first process that loads the bundled rules parses and validates them as usual, then keeps
the result in the user's cache folder (``platformdirs``, for example ``~/.cache/balancedue``;
``BALANCEDUE_CACHE_DIR`` names another).
The file's name is a hash of everything the result depends on: the bytes of every data file,
the source of the ``rules`` package that parses them, and the Python, pydantic and holidays
versions (the business-day calendar keeps the holidays of the years around now).  Editing a data file, or installing another version, changes the hash, so the data is
validated again and a new cache is written; an old cache is never read for new data.

The cache is written atomically (a temporary file, then a rename), checked against a hash of
its own bytes when read, and only read when it belongs to the current user and nobody else can
write it.  Anything wrong with it - missing, damaged, unreadable, from another version - and
the rules are simply loaded from the data files again.  Set ``BALANCEDUE_RULES_CACHE=off`` to
use no cache at all.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

MAGIC = b"balancedue-rules-cache 1\n"
DIGEST_BYTES = 32
ENV_SWITCH = "BALANCEDUE_RULES_CACHE"
CACHE_DIR_VARIABLE = "BALANCEDUE_CACHE_DIR"

T = TypeVar("T")


def cache_dir() -> Path:
    """The folder of the compiled rules: ``rules`` in ``BALANCEDUE_CACHE_DIR`` when set, else in
    the user's cache folder."""
    given = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    if given:
        return Path(given) / "rules"
    import platformdirs

    return Path(platformdirs.user_cache_dir("balancedue", appauthor=False)) / "rules"


def enabled() -> bool:
    """False when ``BALANCEDUE_RULES_CACHE`` is ``off`` (or ``0``, ``no``, ``false``)."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() not in ("off", "0", "no", "false")


def fingerprint(data: resources.abc.Traversable) -> str:
    """A hash of the data files, the code that parses them and the versions that shape the result."""
    from importlib.metadata import version

    import pydantic

    digest = hashlib.sha256()
    versions = f"pydantic {pydantic.VERSION} holidays {version('holidays')}"
    digest.update(f"{MAGIC!r} {sys.version} {versions}\n".encode())
    code = Path(__file__).resolve().parent
    for label, folder, pattern in (("data", data, None), ("code", code, ".py")):
        entries = sorted(
            (entry for entry in folder.iterdir() if entry.is_file() and (pattern is None or entry.name.endswith(pattern))),
            key=lambda entry: entry.name,
        )
        for entry in entries:
            content = entry.read_bytes()
            digest.update(f"{label}/{entry.name} {len(content)}\n".encode())
            digest.update(content)
    return digest.hexdigest()


def _safe_to_read(path: Path) -> bool:
    """The file is ours and only we can change it (POSIX); other systems rely on their ACLs."""
    if not hasattr(os, "geteuid"):
        return True
    for item in (path, path.parent):
        info = item.stat()
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _read(path: Path) -> object | None:
    try:
        if not _safe_to_read(path):
            log.warning("the rules cache %s is writable by others; it is ignored", path)
            return None
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.debug("rules cache unreadable: %s", exc)
        return None
    head = len(MAGIC)
    if raw[:head] != MAGIC or len(raw) < head + DIGEST_BYTES:
        log.debug("rules cache %s has no valid header", path)
        return None
    payload = raw[head + DIGEST_BYTES :]
    if hashlib.sha256(payload).digest() != raw[head : head + DIGEST_BYTES]:
        log.debug("rules cache %s is damaged", path)
        return None
    try:
        loaded: object = pickle.loads(payload)  # our own file, its hash and owner checked above
        return loaded
    except Exception as exc:  # any unpickling failure means "rebuild"
        log.debug("rules cache %s cannot be loaded: %s", path, type(exc).__name__)
        return None


def _write(path: Path, value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(MAGIC + hashlib.sha256(payload).digest() + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in path.parent.glob("*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full disk: work without a cache
        log.debug("rules cache not written: %s", exc)


def load_or_build(data: resources.abc.Traversable, build: Callable[[], T], kind: type[T]) -> T:
    """The compiled rules for ``data`` from the cache, or ``build()`` them and keep the result."""
    if not enabled():
        return build()
    try:
        path = cache_dir() / f"{fingerprint(data)}.pickle"
    except OSError as exc:
        log.debug("rules cache not used: %s", exc)
        return build()
    cached = _read(path)
    if isinstance(cached, kind):
        return cached
    built = build()
    _write(path, built)
    return built
