"""Backups of the whole case store: the database and every document, checked by hashes.

``backup`` writes one zip:

* ``manifest.json`` - format and version, the database engine, the SHA-256 and size of every
  other member;
* ``database.sqlite3`` - a consistent copy taken with SQLite's online backup API (the store may
  be in use), or ``database.pgdump`` - ``pg_dump --format=custom`` of the PostgreSQL database;
* ``documents/<sha256>`` - every stored document, named by its own hash.

``restore`` reads the archive, checks every member against the manifest and every document
against its name before it writes anything, and refuses a store that already holds cases (unless
forced).  It then puts the documents in the folder (named by their hashes, so a file already
there is the same file), and, for SQLite, writes the database to a staged file beside the live
one, brings its tables up to date, puts back the journal's append-only triggers, and runs ``case
verify`` on every case of the staged copy - the chains and rows it carries, not only the
manifest's hashes, which anyone altering a backup can recompute.  Only a backup whose every case
verifies replaces the live database, in one rename: a restore killed at any point leaves the old
store as it was (and the documents, which belong to no case until the swap, are orphans that
``case cleanup`` removes).  PostgreSQL is restored in one transaction (``pg_restore
--single-transaction``) and then verified the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast

from balancedue.cases import bootstrap
from balancedue.cases.blobs import CHUNK, SHA256_NAME, TEMP_FOLDER, DocumentFolder
from balancedue.cases.records import CaseVerification
from balancedue.errors import BalancedueError, InputError

FORMAT = "balancedue-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
DOCUMENTS = "documents/"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # not law: a manifest lists hashes only
MAX_MEMBERS = 1_000_000  # not law: refuse absurd archives before reading them
PG_TIMEOUT_SECONDS = 3600  # not law: pg_dump / pg_restore of a large store


class BackupError(InputError):
    """A backup archive that cannot be restored: damaged, altered, or not a backup."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}; nothing was restored")


class BackupToolError(BalancedueError):
    """pg_dump or pg_restore is missing or failed."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds."""

    path: Path
    engine: str
    documents: int
    cases: int


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """What a restore put in place, and the verification of every case."""

    engine: str
    documents: int
    verifications: tuple[CaseVerification, ...]

    @property
    def ok(self) -> bool:
        return all(v.ok for v in self.verifications)


# --- where the store is ---------------------------------------------------------------------------


def _database(using: str) -> dict[str, Any]:
    bootstrap.configure()
    from django.conf import settings

    return dict(settings.DATABASES[using])


def _engine(config: dict[str, Any]) -> str:
    return POSTGRESQL if "postgresql" in str(config.get("ENGINE", "")) else SQLITE


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    """libpq settings for pg_dump/pg_restore, passed in the environment (never on the command line)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                      ("NAME", "PGDATABASE")):
        if config.get(key):
            env[name] = str(config[key])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupToolError(
            f"{name} was not found on PATH; it comes with the PostgreSQL client tools "
            "(Debian/Ubuntu: apt install postgresql-client)"
        )
    return found


def _run_pg(command: list[str], config: dict[str, Any]) -> None:
    try:
        done = subprocess.run(command, env=_pg_env(config), capture_output=True, text=True,
                              timeout=PG_TIMEOUT_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupToolError(f"{Path(command[0]).name} could not run: {exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        raise BackupToolError(f"{Path(command[0]).name} failed: {lines[0] if lines else done.returncode}")


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _document_files(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("??/??/*")):
        if path.is_file() and SHA256_NAME.fullmatch(path.name) and path.parent.parent.parent == folder:
            yield path


def _case_numbers(using: str) -> list[int]:
    from balancedue.cases.models import Case

    return list(Case.objects.using(using).order_by("pk").values_list("pk", flat=True))


# --- backup -----------------------------------------------------------------------------------------


def _dump_database(config: dict[str, Any], using: str, target: Path) -> str:
    if _engine(config) == POSTGRESQL:
        _run_pg([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)],
                config)
        return POSTGRES_MEMBER
    from django.db import connections

    connections[using].close()
    source = sqlite3.connect(str(config["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return SQLITE_MEMBER


def backup_store(out: Path, *, using: str = "default", documents_dir: Path | None = None) -> BackupSummary:
    """Write the database and every document of the store to one checked zip."""
    bootstrap.ensure_database(using)
    from django.conf import settings

    folder = documents_dir or Path(settings.DOCUMENTS_DIR)
    config = _database(using)
    cases = len(_case_numbers(using))
    out = out.resolve()
    with bootstrap.work_folder("backup") as work:
        dump = work / "database"
        member = _dump_database(config, using, dump)
        members: dict[str, str] = {member: _sha256_file(dump)}
        documents = list(_document_files(folder))
        temp = out.with_name(f".{out.name}.{secrets.token_hex(8)}.part")
        descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as stream:
                with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                    archive.write(dump, member)
                    for path in documents:
                        name = DOCUMENTS + path.name
                        members[name] = _sha256_file(path)
                        archive.write(path, name)
                    manifest = {
                        "format": FORMAT, "version": FORMAT_VERSION, "engine": _engine(config),
                        "created_at": datetime.now(UTC).isoformat(), "cases": cases, "members": members,
                    }
                    archive.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
                stream.flush()
                os.fsync(stream.fileno())
            temp.replace(out)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    return BackupSummary(out, _engine(config), len(documents), cases)


# --- restore ----------------------------------------------------------------------------------------


def _read_manifest(name: str, archive: zipfile.ZipFile) -> dict[str, str]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BackupError(name, "too many members")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise BackupError(name, "a member name appears twice")
    if MANIFEST not in names:
        raise BackupError(name, "no manifest.json: not a balancedue backup")
    info = archive.getinfo(MANIFEST)
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError(name, "manifest.json is too large")
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
        members = manifest["members"]
        valid = manifest["format"] == FORMAT and manifest["version"] == FORMAT_VERSION and isinstance(members, dict)
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise BackupError(name, f"manifest.json cannot be read ({type(exc).__name__})") from None
    if not valid:
        raise BackupError(name, "manifest.json is not a balancedue backup manifest of a version this reads")
    databases = [m for m in members if m in (SQLITE_MEMBER, POSTGRES_MEMBER)]
    documents = [m for m in members if m not in databases]
    if len(databases) != 1 or any(
        not (isinstance(m, str) and m.startswith(DOCUMENTS) and SHA256_NAME.fullmatch(m[len(DOCUMENTS):]))
        for m in documents
    ) or any(not (isinstance(h, str) and SHA256_NAME.fullmatch(h)) for h in members.values()):
        raise BackupError(name, "manifest.json lists members this does not read")
    if set(names) - {MANIFEST} != set(members):
        raise BackupError(name, "the members differ from those listed in manifest.json")
    for info in infos:
        if info.is_dir() or (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise BackupError(name, f"{info.filename!r} is not a plain file")
    return dict(members)


def _check_hashes(name: str, archive: zipfile.ZipFile, members: dict[str, str]) -> None:
    for member, expected in sorted(members.items()):
        digest = hashlib.sha256()
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BackupError(name, f"{member} cannot be read ({type(exc).__name__})") from None
        if digest.hexdigest() != expected:
            raise BackupError(name, f"{member} does not match its SHA-256 in manifest.json (the backup was changed)")
        if member.startswith(DOCUMENTS) and expected != member[len(DOCUMENTS):]:
            raise BackupError(name, f"{member} does not match its own name (the document was changed)")


def _store_is_empty(using: str, config: dict[str, Any], folder: Path) -> bool:
    # Documents without cases (left by a restore that was killed before its swap) are no reason to
    # refuse: documents are named by their hashes, so restoring never replaces one.
    if _engine(config) == SQLITE and not Path(str(config["NAME"])).exists():
        return True
    from django.db import connections

    if "cases_case" not in connections[using].introspection.table_names():
        return True
    return not _case_numbers(using)


STAGING_ALIAS = "balancedue-restore-staging"
STAGED_SUFFIX = ".restoring"


def _stage_sqlite(archive: zipfile.ZipFile, member: str, target: Path) -> Path:
    """The backup's database written beside ``target`` under a fresh name (0600, O_EXCL)."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for leftover in target.parent.glob(f".{target.name}.*{STAGED_SUFFIX}*"):
        leftover.unlink(missing_ok=True)  # from a restore that was killed
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}{STAGED_SUFFIX}")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with archive.open(member) as source, os.fdopen(descriptor, "wb") as stream:
            shutil.copyfileobj(source, stream, CHUNK)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _verified(using: str, documents: DocumentFolder, name: str) -> tuple[CaseVerification, ...]:
    """Bring the database ``using`` up to date, put back its triggers and verify every case."""
    from django.core.management import call_command
    from django.db import DatabaseError, connections

    from balancedue.cases.integrity import restore_triggers
    from balancedue.cases.store import CaseStore

    try:
        call_command("migrate", database=using, interactive=False, verbosity=0)  # a backup from an older version
        restore_triggers(connections[using])
        store = CaseStore(using=using, documents=documents)
        return tuple(store.verify(number) for number in _case_numbers(using))
    except DatabaseError as exc:
        raise BackupError(name, f"its database cannot be read ({str(exc).splitlines()[0] if str(exc) else exc})") from None


def _refuse_unverified(name: str, verifications: tuple[CaseVerification, ...]) -> None:
    for verification in verifications:
        if not verification.ok:
            raise BackupError(
                name, f"case {verification.case_number} in it does not verify ({verification.problems[0]})"
            )


def _restore_sqlite(
    archive: zipfile.ZipFile, member: str, using: str, config: dict[str, Any], documents: DocumentFolder, name: str
) -> tuple[CaseVerification, ...]:
    from django.db import connections

    target = Path(str(config["NAME"]))
    staged = _stage_sqlite(archive, member, target)
    try:
        connections.settings[STAGING_ALIAS] = {**connections.settings[using], "NAME": staged}
        try:
            verifications = _verified(STAGING_ALIAS, documents, name)
            _refuse_unverified(name, verifications)
        finally:
            if STAGING_ALIAS in connections:
                connections[STAGING_ALIAS].close()
                del connections[STAGING_ALIAS]
            connections.settings.pop(STAGING_ALIAS, None)
        for suffix in ("-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)  # closed cleanly: everything is in the file
        connections[using].close()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        staged.replace(target)
    except BaseException:
        for path in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
            path.unlink(missing_ok=True)
        raise
    return verifications


def _restore_postgres(
    archive: zipfile.ZipFile, member: str, using: str, config: dict[str, Any], work: Path
) -> None:
    from django.db import connections

    connections[using].close()
    dump = work / "database.pgdump"
    with archive.open(member) as source, dump.open("wb") as stream:
        shutil.copyfileobj(source, stream, CHUNK)
    _run_pg([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", "--exit-on-error", "--dbname", str(config.get("NAME", "")), str(dump)], config)


def restore_store(
    source: Path, *, using: str = "default", documents_dir: Path | None = None, force: bool = False
) -> RestoreSummary:
    """Restore a backup into an empty store (or over one, when forced) and verify every case."""
    bootstrap.configure()
    from django.conf import settings

    folder = documents_dir or Path(settings.DOCUMENTS_DIR)
    config = _database(using)
    name = source.name
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(name, f"not a readable zip ({type(exc).__name__})") from None
    with archive, bootstrap.work_folder("restore") as work:
        members = _read_manifest(name, archive)
        member = SQLITE_MEMBER if SQLITE_MEMBER in members else POSTGRES_MEMBER
        engine = SQLITE if member == SQLITE_MEMBER else POSTGRESQL
        if engine != _engine(config):
            raise BackupError(
                name, f"it holds a {engine} database but the store here uses {_engine(config)}; "
                "set or unset DATABASE_URL to match"
            )
        _check_hashes(name, archive, members)
        if not force and not _store_is_empty(using, config, folder):
            raise InputError(
                f"the case store here already holds cases ({folder.parent}); restore into an "
                "empty data folder (BALANCEDUE_DATA_DIR) and database, or add --force to replace them"
            )
        documents = DocumentFolder(folder)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        count = 0
        for doc in sorted(m for m in members if m.startswith(DOCUMENTS)):
            with archive.open(doc) as stream:
                stored = documents.put_stream(cast(BinaryIO, stream))
            if stored.sha256 != doc[len(DOCUMENTS):]:
                raise BackupError(name, f"{doc} changed while it was restored")
            count += 1
        shutil.rmtree(folder / TEMP_FOLDER, ignore_errors=True)
        if engine == SQLITE:
            verifications = _restore_sqlite(archive, member, using, config, documents, name)
        else:
            _restore_postgres(archive, member, using, config, Path(work))
            verifications = _verified(using, documents, name)
    return RestoreSummary(engine, count, verifications)
