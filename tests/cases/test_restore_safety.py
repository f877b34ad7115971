"""Restore checks what a backup carries, survives being killed, and leaves no plain copy behind;
every output file and the store's folder are the user's alone.

Findings reproduced: ``restore`` accepted a backup whose database was changed and whose manifest
was computed again; a dropped trigger stayed dropped after ``restore``; a restore killed half-way
left a store a rerun refused without ``--force``; plain copies stayed in ``/tmp`` after a killed
export or backup; exports, letters, case reports and calendars were written 0644, the SQLite file
0644 in an existing 0755 folder; the export's temporary name was predictable and followed
through a symbolic link.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from case_harness import make_store, notice_pdf, sqlite_path

from balancedue.cases import backup as backup_service
from balancedue.cases.backup import BackupError, backup_store, restore_store
from balancedue.cases.records import (
    CaseStatus,
    ClientRecord,
    DocumentKind,
    NewCase,
    NewDeadline,
    NewDocument,
)

CLI = Path(sys.executable).with_name("balancedue")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_case(store: Any) -> int:
    case = store.open_case(
        NewCase(
            client=ClientRecord("Avery Tester", ("1 Main St",), "4821"), title="CP14", date_received=date(2025, 6, 5),
            deadlines=(NewDeadline(what="pay", due=date(2025, 6, 23), tag="pay", basis="printed"),),
        ),
        NewDocument(b"%PDF-1.4 the notice", DocumentKind.NOTICE, "cp14.pdf"),
    )
    return int(case.number)


def _wipe_fresh() -> str:
    from django.db import connections

    connections["fresh"].close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path('fresh')}{suffix}").unlink(missing_ok=True)
    return "fresh"


def _altered_backup(source: Path, target: Path, work: Path, sql: str) -> None:
    """The backup with its database changed by ``sql`` and its manifest computed again to match."""
    with zipfile.ZipFile(source) as old:
        database = work / "db.sqlite3"
        database.write_bytes(old.read("database.sqlite3"))
        connection = sqlite3.connect(database)
        connection.execute(sql)
        connection.commit()
        connection.close()
        data = database.read_bytes()
        manifest = json.loads(old.read("manifest.json"))
        manifest["members"]["database.sqlite3"] = hashlib.sha256(data).hexdigest()
        with zipfile.ZipFile(target, "w") as new:
            for info in old.infolist():
                if info.filename == "database.sqlite3":
                    new.writestr(info.filename, data)
                elif info.filename == "manifest.json":
                    new.writestr(info.filename, json.dumps(manifest))
                else:
                    new.writestr(info.filename, old.read(info))


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE cases_deadline SET due = '2030-01-01'",
        "UPDATE cases_client SET name = 'Someone Else'",
        "DROP TRIGGER cases_journal_no_update",  # not a change of content: restored and put back
    ],
)
def test_a_backup_is_checked_against_the_chains_it_carries(tmp_path: Path, sql: str) -> None:
    origin = make_store("sqlite", tmp_path / "documents")
    _one_case(origin)
    out = tmp_path / "backup.zip"
    backup_store(out, using="default", documents_dir=tmp_path / "documents")
    altered = tmp_path / "altered.zip"
    _altered_backup(out, altered, tmp_path, sql)
    target = _wipe_fresh()
    if sql.startswith("DROP TRIGGER"):
        restored = restore_store(altered, using=target, documents_dir=tmp_path / "new" / "documents")
        assert restored.ok
        from django.db import connections

        from balancedue.cases.integrity import missing_triggers

        assert missing_triggers(connections[target]) == []
        return
    with pytest.raises(BackupError, match="does not verify") as raised:
        restore_store(altered, using=target, documents_dir=tmp_path / "new" / "documents")
    assert "edited outside balancedue" in raised.value.message
    assert not sqlite_path("fresh").exists()
    assert not list(sqlite_path("fresh").parent.glob("*.restoring*"))


def test_a_restore_stopped_before_its_swap_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = make_store("sqlite", tmp_path / "documents")
    number = _one_case(origin)
    out = tmp_path / "backup.zip"
    backup_store(out, using="default", documents_dir=tmp_path / "documents")
    origin.set_status(number, CaseStatus.RESOLVED, "paid")

    def killed(name: str, verifications: Any) -> None:
        raise KeyboardInterrupt  # as a signal would, after the staged copy is written and verified

    monkeypatch.setattr(backup_service, "_refuse_unverified", killed)
    with pytest.raises(KeyboardInterrupt):
        restore_store(out, using="default", documents_dir=tmp_path / "documents", force=True)
    assert origin.get_case(number).status == CaseStatus.RESOLVED
    assert origin.verify(number).ok
    assert not list(sqlite_path().parent.glob("*.restoring*"))

    # Into an empty store: a rerun after the interruption needs no --force (the documents already
    # put in place belong to no case yet).
    target = _wipe_fresh()
    new_documents = tmp_path / "new" / "documents"
    with pytest.raises(KeyboardInterrupt):
        restore_store(out, using=target, documents_dir=new_documents)
    assert not sqlite_path("fresh").exists()
    monkeypatch.undo()
    assert restore_store(out, using=target, documents_dir=new_documents).ok


def _run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALANCEDUE_TEST_PAUSE_AT")}
    env["BALANCEDUE_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True, timeout=180, check=False)


def test_outputs_and_the_store_are_private_and_no_work_copy_is_left(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    # A work folder of a process that was killed (no process has this id): removed by the next run.
    abandoned = data / "tmp" / "export-4194305-abcd1234"
    abandoned.mkdir(parents=True)
    (abandoned / "case.zip").write_bytes(b"a plain copy")
    pdf, _ = notice_pdf(tmp_path)
    opened = _run(data, "case", "new", "--notice", str(pdf), "--client", "Avery Tester", "--address", "1 Main St",
                  "--address", "Springfield IL 62701", "--today", "2025-06-05")
    assert opened.returncode == 0, opened.stderr
    assert _mode(data) == 0o700
    assert _mode(data / "balancedue.sqlite3") == 0o600
    assert _mode(data / "documents") == 0o700

    out = tmp_path / "out"
    out.mkdir()
    # A symbolic link where the old export wrote its temporary file: never followed.
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (out / ".case.zip.part").symlink_to(victim)
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text("a long enough passphrase 1\n", encoding="utf-8")
    commands = [
        ["case", "export", "1", str(out / "case.zip")],
        ["case", "export", "1", str(out / "case.bdx"), "--encrypt", "--passphrase-file", str(passphrase)],
        ["case", "report", "1", str(out / "report.pdf")],
        ["letter", "dispute", "1", "--out", str(out), "--today", "2025-06-10", "--facts", "The tax was paid."],
        ["calendar", "1", str(out / "deadlines.ics")],
        ["backup", str(out / "backup.zip")],
    ]
    for command in commands:
        done = _run(data, *command)
        assert done.returncode == 0, (command, done.stderr)
    written = [p for p in out.iterdir() if not p.is_symlink()]
    assert {p.suffix for p in written} >= {".zip", ".bdx", ".pdf", ".docx", ".ics"}
    for path in written:
        assert _mode(path) == 0o600, path
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert not abandoned.exists()
    assert list((data / "tmp").iterdir()) == []
