"""Write reports to files without ever leaving a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from balancedue.advice.report import Report
from balancedue.errors import InputError
from balancedue.reports.html import render_html
from balancedue.reports.pdf import render_pdf


def _write_atomically(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}") from None


def write_pdf(report: Report, path: Path) -> None:
    """The report as a PDF file."""
    _write_atomically(path, render_pdf(report))


def write_html(report: Report, path: Path) -> None:
    """The report as a self-contained HTML file."""
    _write_atomically(path, render_html(report).encode("utf-8"))
