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
from typing import TYPE_CHECKING, Any

from balancedue.cases.blobs import Pause
from balancedue.cases.errors import StoreUnavailableError
from balancedue.cases.workdir import private_folder

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
        # The data folder and the document folder are the user's alone (0700), also when they
        # existed before with wider rights.
        private_folder(data_dir)
        private_folder(Path(settings.DOCUMENTS_DIR))
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
            _private_database_files(connections[alias])
    except DatabaseError as exc:
        raise StoreUnavailableError(f"the case database cannot be opened or updated: {_first_line(exc)}") from None
    _migrated.add(alias)


@contextlib.contextmanager
def work_folder(what: str) -> Iterator[Path]:
    """A private folder in the data folder for temporary copies (see :mod:`.workdir`)."""
    configure()
    from django.conf import settings

    from balancedue.cases.workdir import work_folder as private_work_folder

    with private_work_folder(Path(settings.DATA_DIR), what) as folder:
        yield folder


def _private_database_files(connection: Any) -> None:
    """The SQLite file and its WAL files readable and writable by the user alone (0600)."""
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()  # creates the file (and its WAL files) if it is new
    name = Path(str(connection.settings_dict["NAME"]))
    for path in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)


def _file_identity(name: object) -> tuple[int, int] | None:
    try:
        found = os.stat(str(name))
    except OSError:
        return None
    return found.st_dev, found.st_ino


def note_database_file(sender: object, connection: Any, **kwargs: Any) -> None:
    """On each new SQLite connection (Django's ``connection_created``): remember which file it opened."""
    if connection.vendor == "sqlite":
        connection.balancedue_file = _file_identity(connection.settings_dict["NAME"])


def close_replaced_databases(**kwargs: Any) -> None:
    """Close this thread's kept SQLite connections whose file was replaced since they opened it.

    The web app keeps its connections from one request to the next; ``restore`` puts a new
    database in place with one rename.  Run at the start of every request, this makes the next
    query open the file that is there now rather than read the one replaced (a stat per request).
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.vendor != "sqlite" or connection.connection is None:
            continue
        if getattr(connection, "balancedue_file", None) != _file_identity(connection.settings_dict["NAME"]):
            connection.close()


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
