"""Find full taxpayer identification numbers (SSN, ITIN, EIN) in anything the program wrote.

Reusable for every surface: command output, logs, reports (PDF, HTML, JSON), exported files,
database rows, web pages.  Two checks:

* every planted number (the digits of the numbers put in the test documents) in any of the ways
  it could be printed: ``NNN-NN-NNNN``, ``NNNNNNNNN``, ``NNN NN NNNN``, ``NN-NNNNNNN``;
* any nine-digit number shaped like an SSN/ITIN (``ddd-dd-dddd``) or an EIN (``dd-ddddddd``),
  planted or not;
* every planted number with anything but digits between its digits (``123–45–6789``,
  ``123.45.6789``, ``SSN_123 45 6789``) and in digits of any script (``１２３``): the text is
  normalised (NFKC) first.  This check knows nothing of how the product masks.

A number masked to its last four (``XXX-XX-6789``, ``...6789``) is not a leak.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SHAPED = re.compile(r"(?<![\w-])(?:\d{3}-\d{2}-\d{4}|\d{2}-\d{7})(?![\w-])")


@dataclass(frozen=True)
class Leak:
    """One full number found, where, and the text around it."""

    where: str
    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.number!r} in ...{self.context}..."


def printed_forms(digits: str) -> list[str]:
    """The ways a nine-digit number can be printed."""
    return [
        digits,
        f"{digits[:3]}-{digits[3:5]}-{digits[5:]}",
        f"{digits[:3]} {digits[3:5]} {digits[5:]}",
        f"{digits[:2]}-{digits[2:]}",
    ]


def scan_text(text: str, where: str, planted: Iterable[str] = ()) -> list[Leak]:
    """Every full number in ``text``."""
    leaks: list[Leak] = []
    planted = list(planted)
    normal = unicodedata.normalize("NFKC", text)
    for digits in planted:
        spread = r"\D{0,4}".join(digits)
        for match in re.finditer(rf"(?<!\d){spread}(?!\d)", normal):
            leaks.append(Leak(where, match.group(), _around(normal, match.start(), match.end())))
        for form in printed_forms(digits):
            for match in re.finditer(rf"(?<!\d){re.escape(form)}(?!\d)", text):
                leaks.append(Leak(where, form, _around(text, match.start(), match.end())))
    for match in SHAPED.finditer(text):
        if not any(leak.context.find(match.group()) >= 0 and leak.number == match.group() for leak in leaks):
            leaks.append(Leak(where, match.group(), _around(text, match.start(), match.end())))
    return leaks


def _around(text: str, start: int, end: int) -> str:
    return text[max(0, start - 40) : end + 40].replace("\n", " ")


def file_text(path: Path) -> str:
    """What a person or a program could read from the file."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            pages = "\n".join(page.extract_text() or "" for page in pdf.pages)
        return pages + "\n" + data.decode("latin-1")  # the text layer and any uncompressed strings
    if data.startswith(b"SQLite format 3"):
        return sqlite_text(path)
    return data.decode("utf-8", errors="replace")


def sqlite_text(path: Path) -> str:
    """Every cell of every table of an SQLite database, as text."""
    rows: list[str] = []
    # closing(): a connection left open keeps the WAL files, which a test resetting the database removes.
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        tables = [name for (name,) in db.execute("select name from sqlite_master where type = 'table'")]
        for table in tables:
            for row in db.execute(f'select * from "{table}"'):
                rows.append(" | ".join(str(cell) for cell in row))
    return "\n".join(rows)


def scan_file(path: Path, planted: Iterable[str] = ()) -> list[Leak]:
    return scan_text(file_text(path), str(path), planted)


def scan_tree(folder: Path, planted: Iterable[str] = (), skip: Iterable[Path] = ()) -> list[Leak]:
    """Every file under ``folder`` except those in ``skip`` (the inputs themselves)."""
    skipped = {p.resolve() for p in skip}
    leaks: list[Leak] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.resolve() not in skipped:
            leaks.extend(scan_file(path, planted))
    return leaks
