"""Encrypted case export and import: ``case export --encrypt`` and ``case import`` of a ``.bdx``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from balancedue.cases import bootstrap, crypto
from balancedue.cases.archive import ExportSummary, ImportResult
from balancedue.errors import InputError
from balancedue.services import cases as case_service

MAX_PASSPHRASE_FILE_BYTES = 4096  # not law: a passphrase is a line


def read_passphrase_file(path: Path) -> str:
    """The passphrase in the first line of ``path``."""
    try:
        if path.stat().st_size > MAX_PASSPHRASE_FILE_BYTES:
            raise InputError(f"{path.name}: too large for a passphrase file (one line expected)")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"the passphrase file {path.name!r} cannot be read ({type(exc).__name__})") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise InputError(f"the passphrase file {path.name!r} is empty; put the passphrase on its first line")
    return lines[0]


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an encrypted export."""
    return crypto.is_encrypted(path)


def export_encrypted(ref: str, out: Path, passphrase: str, *, today: date) -> ExportSummary:
    """Export the case as a zip, then seal it with the passphrase; no plain copy is left."""
    crypto.check_passphrase(passphrase)
    out = out.resolve()
    with bootstrap.work_folder("export") as work:
        plain = work / "case.zip"
        summary = case_service.export_case(ref, plain, today=today)
        crypto.encrypt_file(plain, out, passphrase)
    return replace(summary, path=out)


def import_encrypted(path: Path, passphrase: str) -> ImportResult:
    """Open the sealed export (refusing a wrong passphrase or any changed byte), then import it."""
    with bootstrap.work_folder("import") as work:
        unsealed = work / path.with_suffix(".zip").name
        crypto.decrypt_file_to(path, unsealed, passphrase)  # streamed: memory stays flat
        return case_service.import_case(unsealed)
