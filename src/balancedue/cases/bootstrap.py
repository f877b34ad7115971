"""Start the case store on first use: configure Django, create the data folder, migrate.

The command line and the web app call :func:`open_store`.  The store's Django settings are
:mod:`balancedue.cases.settings`; the application context (:mod:`balancedue.context`) names the
settings of the whole application with :func:`use_settings` before the store is first opened.  Migrations run the first time a database is used, and
again only when a newer version brings new ones; a lock file keeps two processes from
migrating the same database at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from balancedue.cases.blobs import Pause
from balancedue.cases.errors import StoreUnavailableError

if TYPE_CHECKING:
    from balancedue.cases.store import CaseStore

SETTINGS_MODULE = "balancedue.cases.settings"
SUPPORTED_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")
PAUSE_SECONDS = 120

_migrated: set[str] = set()
_settings_module = SETTINGS_MODULE


def use_settings(module: str) -> None:
    """The Django settings module to start with (the store's own by default)."""
    global _settings_module
    _settings_module = module


def configure() -> None:
    """Set up Django with the balancedue settings (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", _settings_module)
    import django
    from django.apps import apps
    from django.conf import settings

    for alias, config in settings.DATABASES.items():
        if config.get("ENGINE") not in SUPPORTED_ENGINES:
            raise StoreUnavailableError(
                f"the database {alias!r} uses {config.get('ENGINE')!r}, which is not supported; set "
                "DATABASE_URL to a postgresql:// URL, or unset it to use the SQLite file in the data folder"
            )
    if not apps.ready:
        django.setup()


@contextlib.contextmanager
def _migration_lock(folder: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # no advisory locks on this system: migrate unguarded
        yield
        return
    with (folder / ".migrate.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_database(alias: str = "default") -> None:
    """Create the data folder and bring the database's tables up to date."""
    configure()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    if alias in _migrated:
        return
    data_dir = Path(settings.DATA_DIR)
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        Path(settings.DOCUMENTS_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailableError(
            f"the data folder {str(data_dir)!r} cannot be created ({exc.strerror}); "
            "set BALANCEDUE_DATA_DIR to a folder you can write"
        ) from None
    try:
        with _migration_lock(data_dir):
            executor = MigrationExecutor(connections[alias])
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                call_command("migrate", database=alias, interactive=False, verbosity=0)
    except DatabaseError as exc:
        raise StoreUnavailableError(f"the case database cannot be opened or updated: {_first_line(exc)}") from None
    _migrated.add(alias)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def pause_hook(points: tuple[str, ...]) -> Pause:
    """For the crash tests: a hook that stops the process at the named points until killed."""

    def pause(point: str) -> None:
        if point in points:
            sys.stderr.write(f"paused at {point}\n")
            sys.stderr.flush()
            time.sleep(PAUSE_SECONDS)

    return pause


def open_store(alias: str = "default") -> CaseStore:
    """The case store of the configured database and document folder, ready to use."""
    ensure_database(alias)
    from django.conf import settings

    from balancedue.cases.blobs import DocumentFolder, no_pause
    from balancedue.cases.store import CaseStore

    points = tuple(settings.BALANCEDUE_TEST_PAUSE_AT)
    pause = pause_hook(points) if points else no_pause
    return CaseStore(using=alias, documents=DocumentFolder(Path(settings.DOCUMENTS_DIR), pause=pause))
