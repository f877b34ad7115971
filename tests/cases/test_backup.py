"""Backups: backup, wipe, restore gives the same cases, each verified - on SQLite and PostgreSQL.

A backup with a changed byte is refused before anything is written, and so is a restore into a
store that already holds cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from case_harness import POSTGRES_ALIAS, alias_of, flip_one_byte, make_store, raw_sql, sqlite_path

from balancedue.cases import backup as backup_service
from balancedue.cases.archive import fingerprint
from balancedue.cases.backup import BackupError, BackupToolError, backup_store, restore_store
from balancedue.cases.blobs import DocumentFolder
from balancedue.cases.records import (
    CaseStatus,
    ClientRecord,
    DocumentKind,
    JournalKind,
    NewCase,
    NewDeadline,
    NewDocument,
)
from balancedue.errors import InputError

CLI = Path(sys.executable).with_name("balancedue")


def _fill(store: Any) -> dict[int, str]:
    """Two fictional cases with documents, a call, a corrected payment and a moved deadline."""
    numbers = []
    for index, name in enumerate(("Avery Tester", "Blake Sample")):
        case = store.open_case(
            NewCase(
                client=ClientRecord(name, ("12 Test Road", "Springfield, IL 62704"), f"482{index}"),
                title=f"CP14, tax year 2024 ({index})",
                date_received=date(2025, 6, 5),
                tax_year=2024,
                notice_codes=("CP14",),
                amount_due=Decimal("1523.40"),
                deadlines=(NewDeadline("Pay", date(2025, 6, 23), "soft", "printed", None, None, "IRS"),),
            ),
            NewDocument(f"%PDF-1.4 notice {index}".encode(), DocumentKind.NOTICE, "cp14.pdf", "application/pdf"),
        )
        store.add_document(case.number, NewDocument(b"\x89PNG receipt " + bytes([index]), DocumentKind.MAIL_RECEIPT,
                                                    "receipt.png"))
        store.append(case.number, JournalKind.CALL, {"agent": "R. Lee", "badge": "1000222333", "summary": "ok"})
        pay = store.append(case.number, JournalKind.PAYMENT, {"amount": "100.00", "paid_on": "2025-06-12"},
                           amount=Decimal("100.00"))
        store.correct(case.number, pay.sequence, "typo", {"amount": "110.00"})
        store.change_deadline(case.number, 1, date(2025, 7, 23), "agreed")
        store.set_status(case.number, CaseStatus.WAITING, "letter sent")
        numbers.append(int(case.number))
    return {n: fingerprint(store.case_file(n)) for n in numbers}


def _wipe(backend: str) -> str:
    """A new machine: an empty database (no tables at all). Returns the alias to restore into."""
    from django.db import connections

    if backend == "sqlite":
        connections["fresh"].close()
        path = sqlite_path("fresh")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return "fresh"
    connections[POSTGRES_ALIAS].close()
    run = raw_sql("postgresql")
    run("DROP SCHEMA public CASCADE", ())
    run("CREATE SCHEMA public", ())
    return POSTGRES_ALIAS


def _migrate(alias: str) -> None:
    from django.core.management import call_command

    call_command("migrate", database=alias, interactive=False, verbosity=0)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_backup_wipe_restore_gives_the_same_verified_cases(tmp_path: Path, backend: str) -> None:
    origin = make_store(backend, tmp_path / "documents")
    before = _fill(origin)
    out = tmp_path / "backup.zip"
    summary = backup_store(out, using=alias_of(backend), documents_dir=tmp_path / "documents")
    assert (summary.cases, summary.documents) == (2, 4)
    assert out.stat().st_mode & 0o077 == 0

    target = _wipe(backend)
    new_documents = tmp_path / "new-machine" / "documents"
    try:
        restored = restore_store(out, using=target, documents_dir=new_documents)
    finally:
        if backend == "postgresql":
            _migrate(target)  # leave the shared test database with its tables whatever happened
    assert restored.documents == 4
    assert [v.case_number for v in restored.verifications] == sorted(before)
    assert all(v.ok for v in restored.verifications), [v.problems for v in restored.verifications]
    from balancedue.cases.store import CaseStore

    store = CaseStore(using=target, documents=DocumentFolder(new_documents))
    assert {n: fingerprint(store.case_file(n)) for n in before} == before
    assert all(store.verify(n).ok for n in before)


def _rewrite(source: Path, target: Path, change: dict[str, bytes]) -> None:
    """Copy a backup zip, replacing some members' bytes (the manifest as it was, unless named)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change.get(info.filename, old.read(info)))


def _document_member(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return next(n for n in archive.namelist() if n.startswith("documents/"))


def _assert_nothing_written(alias: str, documents: Path) -> None:
    assert not documents.exists() or not any(p.is_file() for p in documents.rglob("*"))
    if alias == "fresh":
        assert not sqlite_path("fresh").exists()


def test_a_changed_backup_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    origin = make_store("sqlite", tmp_path / "documents")
    _fill(origin)
    out = tmp_path / "backup.zip"
    backup_store(out, using="default", documents_dir=tmp_path / "documents")
    member = _document_member(out)
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        document = archive.read(member)

    changed_document = tmp_path / "changed-document.zip"
    _rewrite(out, changed_document, {member: document + b"!"})
    # the document and its manifest hash changed together: its name (its own SHA-256) still tells
    forged = dict(manifest, members={**manifest["members"], member: hashlib.sha256(document + b"!").hexdigest()})
    consistent = tmp_path / "changed-with-manifest.zip"
    _rewrite(out, consistent, {member: document + b"!", "manifest.json": json.dumps(forged).encode()})
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(out.read_bytes())
    flip_one_byte(flipped, flipped.stat().st_size // 3)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(out.read_bytes()[: out.stat().st_size // 2])

    for bad, reason in ((changed_document, "does not match its SHA-256"), (consistent, "does not match its own name"),
                        (flipped, None), (truncated, None)):
        target = _wipe("sqlite")
        new_documents = tmp_path / "new" / "documents"
        with pytest.raises(BackupError, match=reason) as raised:
            restore_store(bad, using=target, documents_dir=new_documents)
        assert "nothing was restored" in raised.value.message
        _assert_nothing_written(target, new_documents)


def test_restore_into_a_store_that_holds_cases_is_refused_unless_forced(tmp_path: Path) -> None:
    origin = make_store("sqlite", tmp_path / "documents")
    before = _fill(origin)
    out = tmp_path / "backup.zip"
    backup_store(out, using="default", documents_dir=tmp_path / "documents")
    origin.set_status(1, CaseStatus.RESOLVED, "paid")
    with pytest.raises(InputError, match="already holds cases"):
        restore_store(out, using="default", documents_dir=tmp_path / "documents")
    assert origin.get_case(1).status == CaseStatus.RESOLVED
    forced = restore_store(out, using="default", documents_dir=tmp_path / "documents", force=True)
    assert forced.ok
    assert {n: fingerprint(origin.case_file(n)) for n in before} == before


def test_a_backup_of_one_engine_is_not_restored_into_the_other(tmp_path: Path) -> None:
    origin = make_store("sqlite", tmp_path / "documents")
    _fill(origin)
    out = tmp_path / "backup.zip"
    backup_store(out, using="default", documents_dir=tmp_path / "documents")
    make_store("postgresql", tmp_path / "pg-documents")
    with pytest.raises(BackupError, match="holds a sqlite database"):
        restore_store(out, using=POSTGRES_ALIAS, documents_dir=tmp_path / "pg-documents")


def test_a_missing_pg_dump_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_service.shutil, "which", lambda name: None)
    with pytest.raises(BackupToolError, match="pg_dump was not found on PATH"):
        backup_service._pg_tool("pg_dump")


# --- the command line, machine to machine --------------------------------------------------------


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALANCEDUE_TEST_PAUSE_AT")}
    env["BALANCEDUE_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_backup_and_restore_onto_a_new_machines_empty_data_folder(tmp_path: Path) -> None:
    old, new = tmp_path / "old-machine", tmp_path / "new-machine"
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "Department of the Treasury\nInternal Revenue Service\nNotice CP14\nNotice date June 2, 2025\n"
        "Tax year 2024\nAmount due by June 23, 2025: $1,523.40\nBalance due\n",
        encoding="utf-8",
    )
    opened = _run(old, "case", "new", "--notice", str(notice), "--client", "Avery Tester", "--today", "2025-06-05")
    assert opened.returncode == 0, opened.stderr
    before = _run(old, "case", "show", "1", "--json").stdout
    out = tmp_path / "backup.zip"
    made = _run(old, "backup", str(out))
    assert made.returncode == 0, made.stderr

    restored = _run(new, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "case 1: verified" in restored.stdout
    assert _run(new, "case", "verify", "1").returncode == 0
    assert json.loads(_run(new, "case", "show", "1", "--json").stdout) == json.loads(before)

    again = _run(new, "restore", str(out))
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1
    assert "already holds cases" in again.stderr
