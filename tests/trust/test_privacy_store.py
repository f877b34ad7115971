"""No full SSN, ITIN or EIN in what the case store keeps or shows: database, export, backup, web pages.

Cases are opened from documents full of fictional numbers (``tests/fixtures/make_pii.py``); a
call, a note and a letter carry numbers in their free text.  Then every row of every SQLite
table, every member of the case export and of the backup, and every web page (logged in) are
scanned with :mod:`pii`.  Only the uploaded documents themselves may keep a full number: they
are the user's own files, stored byte for byte (docs/cases.md); members equal to an input file
are skipped, everything else (extracted text, journal, file names) is scanned.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import make_pii
import pii

import privacy_scan

WEB_TESTS = Path(__file__).resolve().parents[1] / "web"
if str(WEB_TESTS) not in sys.path:
    sys.path.insert(0, str(WEB_TESTS))

from web_harness import make_user, web  # noqa: E402

__all__ = ["web"]

TODAY = date(2025, 6, 10)


def _zip_leaks(path: Path, planted: list[str], inputs: set[str]) -> list[pii.Leak]:
    leaks = pii.scan_text("\n".join(zipfile.ZipFile(path).namelist()), f"{path.name} member names", planted)
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as work:
        for member in archive.namelist():
            data = archive.read(member)
            if hashlib.sha256(data).hexdigest() in inputs:
                continue  # the user's own uploaded document, kept byte for byte
            target = Path(work) / "member"
            target.write_bytes(data)
            leaks.extend(pii.scan_text(pii.file_text(target), f"{path.name}:{member}", planted))
    return leaks


def test_no_full_number_in_the_store_exports_backups_or_pages(web: Any, tmp_path: Path) -> None:
    from django.test import Client

    from balancedue.cases import backup
    from balancedue.cases.records import DocumentKind
    from balancedue.rules import load_rules
    from balancedue.services import cases

    documents = make_pii.build(tmp_path / "inputs")
    privacy_scan.declare_inputs(tmp_path / "inputs")  # full ids on purpose: the inputs, not outputs
    files = documents.files
    numbers = documents.numbers
    say = make_pii.fictional_numbers(make_pii.random.Random(2))
    free_text = f"My SSN is {say['ssn_000']} and the EIN {next(v for k, v in say.items() if 'ein' in k)}."

    rules = load_rules()
    opened = cases.open_case_from_file(
        files["notice.pdf"], cases.ClientDetails("Pat Example", ["1 Main St", "Springfield IL 62701"]), TODAY, rules=rules
    )
    ref = str(opened.case.number)
    cases.open_case_from_file(files["notice.txt"], cases.ClientDetails(), TODAY, rules=rules)
    cases.add_document(ref, files["transcript.txt"], DocumentKind.CORRESPONDENCE, today=TODAY, rules=rules)
    cases.log_call(
        ref, agent="A. Agent", badge="1000123", summary=free_text, outcome=free_text,
        started_at=datetime(2025, 6, 10, 9, 0, tzinfo=UTC),
    )
    cases.add_note(ref, free_text)

    owner = make_user("owner", superuser=True)
    client = Client()
    client.force_login(owner)
    letter = client.post(f"/cases/{ref}/letters", {"kind": "dispute", "facts": free_text})
    assert letter.status_code in (200, 302), letter.content[:2000]

    pages = {url: client.get(url) for url in ("/", f"/cases/{ref}", f"/cases/{ref}/calendar.ics", "/cases/2")}
    leaks: list[pii.Leak] = []
    for url, response in pages.items():
        assert response.status_code == 200, (url, response.status_code)
        leaks.extend(pii.scan_text(response.content.decode("utf-8", "replace"), f"page {url}", numbers))

    export = tmp_path / "out" / "case.zip"
    export.parent.mkdir()
    cases.export_case(ref, export, today=TODAY)
    backup_file = tmp_path / "out" / "backup.zip"
    backup.backup_store(backup_file, documents_dir=web.DOCUMENTS_DIR)

    inputs = {hashlib.sha256(path.read_bytes()).hexdigest() for path in files.values()}
    database = pii.sqlite_text(Path(web.DATABASES["default"]["NAME"]))
    # The scan reads what it should: the free text, the extracted text and the letter are there.
    assert database.count("My SSN is") >= 2
    assert "Pat Example" in database
    assert "My SSN is" in pages[f"/cases/{ref}"].content.decode()
    assert any("backup" in n or n.endswith((".sqlite3", ".json")) for n in zipfile.ZipFile(backup_file).namelist())
    leaks.extend(pii.scan_text(database, "database", numbers))
    leaks.extend(_zip_leaks(export, numbers, inputs))
    leaks.extend(_zip_leaks(backup_file, numbers, inputs))
    assert not leaks, "\n".join(str(leak) for leak in leaks[:20])
