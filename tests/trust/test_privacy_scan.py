"""The privacy scan after the session can fail: a full id planted in each kind of output is found,
with its file and place, and a session that leaves one behind ends with a non-zero exit.

The planted files live in a folder outside the session's scanned area (the computer's own
temporary folder), removed after each test, so the session's own scan does not see them.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sample_ids import FULL_SSN, ITIN, OTHER_SSN

import privacy_scan

TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def outside() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="privacy-scan-test-", dir=privacy_scan.SYSTEM_TEMP))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _pdf(text: str) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=letter)
    page.drawString(72, 720, "Case report for Avery Tester")
    page.showPage()
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _docx(runs: list[str]) -> bytes:
    body = "".join(f"<w:r><w:rPr><w:b/></w:rPr><w:t>{run}</w:t></w:r>" for run in runs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document><w:body><w:p>{body}</w:p></w:body></w:document>')
        archive.writestr("docProps/core.xml", "<cp:revision>1</cp:revision><dcterms:created>2025-06-10T00:00:00Z"
                                              "</dcterms:created><cp:version>20250610</cp:version>")
    return buffer.getvalue()


def test_a_full_id_in_each_kind_of_output_is_found_with_its_place(outside: Path) -> None:
    spaced = FULL_SSN.replace("-", "\u2013")  # an en dash between the groups
    (outside / "report.pdf").write_bytes(_pdf(f"Taxpayer id {spaced}"))
    (outside / "letter.docx").write_bytes(_docx(["SSN ", OTHER_SSN[:3], "-", OTHER_SSN[4:]]))
    database = sqlite3.connect(outside / "store.sqlite3")
    database.execute("CREATE TABLE cases_journalentry (payload TEXT, sha256 TEXT)")
    database.execute("INSERT INTO cases_journalentry VALUES (?, ?)", (json.dumps({"text": f"called about {ITIN}"}), "a" * 64))
    database.commit()
    database.close()
    with zipfile.ZipFile(outside / "export.zip", "w") as archive:
        archive.writestr("case.json", json.dumps({"notes": [f"SSN{FULL_SSN.replace('-', '')}"]}))
    (outside / "page.html").write_text(f"<p>Hello <b>{FULL_SSN[:7]}</b>{FULL_SSN[7:]}</p>", encoding="utf-8")
    (outside / "calendar.ics").write_text(f"BEGIN:VEVENT\r\nDESCRIPTION:id {FULL_SSN[:5]}\r\n {FULL_SSN[5:]}\r\nEND:VEVENT\r\n")
    (outside / f"Smith {OTHER_SSN} CP14.txt").write_text("nothing inside", encoding="utf-8")

    result = privacy_scan.scan(outside, exempt=set())

    found = {(f.path, f.location.split(" (")[0]) for f in result.findings}
    assert ("report.pdf", "page 2 line 1") in found
    assert ("letter.docx!word/document.xml", "line 1") in found
    assert ("store.sqlite3", "cases_journalentry.payload") in found
    assert ("export.zip!case.json", "line 3") in found
    assert ("page.html", "line 1") in found
    assert ("calendar.ics", "line 2") in found
    assert (f"Smith {OTHER_SSN} CP14.txt", "file name") in found
    assert len(result.findings) == 7, [f.line() for f in result.findings]
    # The report shows the masked form only: the scan's own output keeps no full id.
    assert all(not privacy_scan.full_ids(f.line()) for f in result.findings)


def test_digests_dates_masked_ids_and_declared_inputs_are_not_findings(outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (outside / "chain.json").write_text(json.dumps({
        "sha256": "0123456789abcdef" * 4, "uid": "123e4567-e89b-12d3-a456-426614174000",
        "masked": "XXX-XX-4321", "when": "2025-06-10T12:34:56.123456+00:00", "amount": "1234567.89",
        "phone": "800-829-1040", "zip": "40293-1000",
    }), encoding="utf-8")
    (outside / "letter.docx").write_bytes(_docx(["Dear Avery"]))
    records = outside / "records"
    records.mkdir()
    monkeypatch.setenv(privacy_scan.AREA_ENV, str(records))
    given = outside / "input-with-full-id.txt"
    given.write_text(f"SSN {FULL_SSN}\n", encoding="utf-8")
    privacy_scan.declare_input(given)
    (outside / "stored-copy").write_bytes(given.read_bytes())  # a document kept as given: the same bytes
    (outside / "changed-copy.txt").write_text(f"SSN {FULL_SSN} (edited)\n", encoding="utf-8")

    result = privacy_scan.scan(outside)

    assert [(f.path, f.location) for f in result.findings] == [("changed-copy.txt", "line 1")], [
        f.line() for f in result.findings]
    assert sorted(result.exempt) == ["input-with-full-id.txt", "stored-copy"]


_PLANTING_TEST = '''
def test_writes_a_report(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.json").write_text('{{"taxpayer": "{value}"}}')
'''


def _session(outside: Path, value: str) -> subprocess.CompletedProcess[str]:
    project = outside / f"project-{value[:3]}"
    project.mkdir()
    (project / "conftest.py").write_text(
        f"import sys\nsys.path.insert(0, {str(TESTS)!r})\n"
        "from privacy_plugin import pytest_configure, pytest_sessionfinish, pytest_terminal_summary\n",
        encoding="utf-8",
    )
    (project / "test_plant.py").write_text(_PLANTING_TEST.format(value=value), encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(outside)}
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--basetemp",
         str(project / "tmp"), "test_plant.py"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def test_a_session_that_leaves_a_full_id_behind_fails(outside: Path) -> None:
    planted = _session(outside, FULL_SSN)
    assert planted.returncode == 1, planted.stdout[-3000:]
    assert "1 passed" in planted.stdout
    assert "privacy scan FAILED" in planted.stdout
    assert "test_writes_a_report0/out/report.json:line 2: a full taxpayer id (XXX-XX-4321)" in planted.stdout
    assert FULL_SSN not in planted.stdout
    clean = _session(outside, "XXX-XX-4321")
    assert clean.returncode == 0, clean.stdout[-3000:]
    assert "full ids found: 0" in clean.stdout
