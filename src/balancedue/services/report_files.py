"""Write reports, letters, calendars and case reports to files: never half-written, always 0600.

Each file is written to a temporary file with a fresh, unguessable name in the same folder
(``mkstemp``: created with ``O_EXCL``, so a planted file or symbolic link is never followed),
readable and writable by its owner only, flushed to disk and renamed over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from balancedue.advice.report import Report
from balancedue.errors import InputError
from balancedue.reports.html import render_html
from balancedue.reports.pdf import render_pdf


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, mode 0600 (see the module's description)."""
    _write_atomically(path, data)


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
