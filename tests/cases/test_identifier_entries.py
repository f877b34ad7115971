"""No full taxpayer id kept, sealed or written, whichever way it came in.

The findings reproduced here: a file named ``Smith NNN-NN-NNNN CP14`` or ``CP14_NNN-NN-NNNN`` (digits in place of N); an
id written with an en dash, dots, a glued ``SSN``/``SSN_`` prefix in the kept text, a note, a call
summary, a deadline's reason, a letter's facts; a case archive holding full ids (imported
unmasked before); a store written to directly.  After each, the database, the journal, the export,
the case report and the import are scanned by ``tests/trust/pii.py`` (which knows nothing of the
masking) for every planted number in any form.
"""

from __future__ import annotations

import sys
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from case_harness import notice_pdf, sqlite_path

TRUST = Path(__file__).resolve().parents[1] / "trust"
if str(TRUST) not in sys.path:
    sys.path.insert(0, str(TRUST))

import pii  # noqa: E402

import privacy_scan  # noqa: E402
from balancedue.cases.records import (  # noqa: E402
    ClientRecord,
    DocumentKind,
    JournalKind,
    NewCase,
    NewDeadline,
    NewDocument,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids  # noqa: E402

TODAY = date(2025, 6, 10)
# Fictional numbers (area 900-999 is never issued as an SSN; 98 is not an EIN prefix in use here).
SSN, ITIN, EIN = "987654321", "912785432", "983456789"
PLANTED = [SSN, ITIN, EIN]
WRITTEN = [
    sample_ids.THIRD_SSN,
    "987\u201365\u20134321",  # en dashes
    "SSN987.65.4321",  # glued prefix, dots
    "SSN_987-65-4321",
    "TIN987654321",
    "912 78 5432",
    "ITIN912\u221278\u22125432",  # minus signs
    "EIN98-3456789",
    "98\u20103456789",  # Unicode hyphen
]
FREE_TEXT = "numbers: " + "; ".join(WRITTEN)


def _leaks(text: str, where: str) -> list[pii.Leak]:
    return pii.scan_text(text, where, PLANTED)


def _zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        parts = list(archive.namelist())
        for member in archive.namelist():
            if member.startswith("documents/"):
                continue  # the user's own files, kept byte for byte (docs/cases.md)
            data = archive.read(member)
            if not data.startswith(b"%PDF"):
                parts.append(data.decode("utf-8", "replace"))
    return "\n".join(parts)


def test_the_store_masks_whatever_calls_it(store: Any) -> None:
    case = store.open_case(
        NewCase(
            client=ClientRecord(f"Pat {WRITTEN[1]}", (f"1 Main St {WRITTEN[2]}",), "4321"),
            title=f"CP14 {WRITTEN[3]}",
            date_received=TODAY,
            notice_id=WRITTEN[0],
            reply_address=(WRITTEN[5],),
            deadlines=(NewDeadline(what=f"pay {WRITTEN[4]}", due=TODAY, tag="pay", basis=WRITTEN[6]),),
        ),
        NewDocument(b"%PDF-1.4 the notice", DocumentKind.NOTICE, f"Smith {WRITTEN[0]} CP14.pdf", text=FREE_TEXT),
    )
    store.append(case.number, JournalKind.NOTE, {"text": FREE_TEXT, "nested": [{"x": WRITTEN[7]}]})
    store.append(case.number, JournalKind.CALL, {"summary": FREE_TEXT, "agent": WRITTEN[8]})
    store.change_deadline(case.number, 1, date(2025, 7, 1), FREE_TEXT)
    store.set_status(case.number, case.status, FREE_TEXT)
    case_file = store.case_file(case.number)
    text = repr(case_file)
    # What is kept is still there, masked to the last four.
    assert "XXX\u2013XX\u20134321" in text
    assert "SSNXXX.XX.4321" in text
    assert case_file.documents[0].name == "Smith XXX-XX-4321 CP14.pdf"
    assert not _leaks(text + repr([d.text for d in case_file.documents]), "case file")
    assert store.verify(case.number).ok
    if store.using == "default":
        assert not _leaks(pii.sqlite_text(sqlite_path()), "database")


def _raw_archive(store: Any, folder: Path) -> Path:
    """An archive that holds full ids everywhere, its chain sealed over them (as another program
    could write it); the store itself would never keep them."""
    from balancedue.cases.archive import write_archive
    from balancedue.cases.chain import GENESIS, entry_hash

    case = store.open_case(
        NewCase(client=ClientRecord("Pat Example", (), "4321"), title="CP14", date_received=TODAY),
        NewDocument(b"%PDF-1.4 imported notice", DocumentKind.NOTICE, "cp14.pdf"),
    )
    store.append(case.number, JournalKind.NOTE, {"text": "placeholder"})
    case_file = store.case_file(case.number)
    uid = "ab" * 16
    journal, previous = [], GENESIS
    for entry in case_file.journal:
        payload = dict(entry.payload)
        if entry.kind == JournalKind.NOTE:
            payload["text"] = FREE_TEXT
        if entry.kind == JournalKind.OPENED:
            payload["client"] = f"Pat {WRITTEN[0]}"
        sealed = entry_hash(uid, entry.sequence, str(entry.kind), payload, entry.created_at, previous)
        journal.append(replace(entry, payload=payload, prev_hash=previous, hash=sealed))
        previous = sealed
    raw = replace(
        case_file,
        case=replace(case_file.case, uid=uid, client=ClientRecord(f"Pat {WRITTEN[0]}", (), "4321"),
                     title=f"CP14 {WRITTEN[1]}", journal_head=previous),
        journal=tuple(journal),
        documents=tuple(replace(d, text=FREE_TEXT) for d in case_file.documents),
        deadlines=(),
    )
    out = folder / "raw.zip"
    write_archive(raw, store.documents, out, report_pdf=b"%PDF-1.4 report", exported_at=datetime(2025, 6, 10, tzinfo=UTC))
    assert _leaks(_zip_text(out), "raw archive"), "the archive must hold the full numbers to test the import"
    return privacy_scan.declare_input(out)  # an input that holds full ids on purpose


def test_an_imported_archive_is_masked_and_sealed_again(store: Any, tmp_path: Path) -> None:
    from balancedue.cases.archive import import_archive

    archive = _raw_archive(store, tmp_path)
    result = import_archive(store, archive)
    assert result.created
    assert result.masked
    imported = store.case_file(result.case.number)
    assert not _leaks(repr(imported) + repr([d.text for d in imported.documents]), "imported case")
    assert imported.case.client.name == "Pat XXX-XX-4321"
    assert store.verify(result.case.number).ok
    # Importing the same archive again finds the case already here, not a conflict.
    again = import_archive(store, archive)
    assert not again.created


def test_a_deeply_nested_note_in_an_archive_is_refused(store: Any, tmp_path: Path) -> None:
    import pytest

    from balancedue.cases.archive import CaseArchiveError, import_archive, write_archive
    from balancedue.cases.chain import GENESIS, entry_hash

    case = store.open_case(NewCase(client=ClientRecord("Pat Example", (), "4321"), title="CP14", date_received=TODAY))
    case_file = store.case_file(case.number)
    deep: Any = "bottom"
    for _ in range(900):
        deep = {"note": deep}
    (opened,) = case_file.journal
    uid = "cd" * 16
    payload = {**opened.payload, "deep": deep}
    sealed = entry_hash(uid, 1, str(opened.kind), payload, opened.created_at, GENESIS)
    raw = replace(
        case_file,
        case=replace(case_file.case, uid=uid, journal_head=sealed),
        journal=(replace(opened, payload=payload, prev_hash=GENESIS, hash=sealed),),
    )
    out = tmp_path / "deep.zip"
    write_archive(raw, store.documents, out, report_pdf=b"%PDF-1.4", exported_at=datetime(2025, 6, 10, tzinfo=UTC))
    with pytest.raises(CaseArchiveError, match="nested more than"):
        import_archive(store, out)
    assert store.find_uid(uid) is None


def test_files_notes_calls_letters_and_exports_through_the_services(data_dir: Path, tmp_path: Path) -> None:
    from balancedue.rules import load_rules
    from balancedue.services import case_letters, cases

    rules = load_rules()
    pdf, _ = notice_pdf(tmp_path)
    named = tmp_path / f"Smith {sample_ids.THIRD_SSN} CP14.pdf"
    named.write_bytes(pdf.read_bytes())
    privacy_scan.declare_input(named)  # a full id in its name, on purpose
    client = cases.ClientDetails(name=f"Pat {WRITTEN[2]}", address=["1 Main St", "Springfield IL 62701"])
    opened = cases.open_case_from_file(named, client, TODAY, rules=rules)
    ref = str(opened.case.number)
    text_doc = tmp_path / "CP14_987\u201365\u20134321.txt"
    text_doc.write_text(FREE_TEXT, encoding="utf-8")
    privacy_scan.declare_input(text_doc)  # full ids in its name and text, on purpose
    cases.add_document(ref, text_doc, DocumentKind.CORRESPONDENCE, today=TODAY, rules=rules)
    cases.add_note(ref, FREE_TEXT)
    cases.log_call(ref, agent="A. Agent", badge="1000123", summary=FREE_TEXT, outcome=FREE_TEXT,
                   started_at=datetime(2025, 6, 10, 9, 0, tzinfo=UTC))
    cases.change_deadline(ref, 1, date(2025, 7, 1), FREE_TEXT)
    letters = tmp_path / "letters"
    letters.mkdir()
    # The letter's font prints Latin-1 and the en dash only: the facts use the forms it can print.
    facts = "; ".join([*WRITTEN[:6], WRITTEN[7]])
    written = case_letters.write_letter(ref, case_letters.LetterRequest(kind="dispute", today=TODAY, facts=facts),
                                        letters, rules)
    export = tmp_path / "case.zip"
    cases.export_case(ref, export, today=TODAY)
    report = cases.case_report_pdf(ref, TODAY)

    case_file = cases.show_case(ref)
    assert {d.name for d in case_file.documents} >= {"Smith XXX-XX-4321 CP14.pdf", "CP14_XXX\u2013XX\u20134321.txt"}
    leaks = _leaks(pii.sqlite_text(sqlite_path()), "database")
    leaks += _leaks(_zip_text(export), "export")
    report_file = tmp_path / "report.pdf"
    report_file.write_bytes(report)
    leaks += _leaks(pii.file_text(report_file), "case report")
    for path in written.files:
        leaks += pii.scan_file(path, PLANTED) if path.suffix == ".pdf" else _leaks(_zip_text(path), path.name)
    assert not leaks, "\n".join(map(str, leaks[:10]))
    assert cases.verify_case(ref).ok


def test_an_archive_that_inflates_a_hundredfold_is_refused(store: Any, tmp_path: Path) -> None:
    import hashlib

    import pytest

    from balancedue.cases.archive import CaseArchiveError, import_archive, write_archive

    # A real document of 20 MB of zeros: about 20 KB once deflated (a ratio near 1,000).
    zeros = b"\0" * (20 * 1024 * 1024)
    case = store.open_case(
        NewCase(client=ClientRecord("Pat Example", (), "4321"), title="CP14", date_received=TODAY),
        NewDocument(zeros, DocumentKind.NOTICE, "zeros.pdf"),
    )
    out = tmp_path / "bomb.zip"
    write_archive(store.case_file(case.number), store.documents, out, report_pdf=b"%PDF-1.4",
                  exported_at=datetime(2025, 6, 10, tzinfo=UTC))
    member = "documents/" + hashlib.sha256(zeros).hexdigest()
    with zipfile.ZipFile(out) as archive:
        info = archive.getinfo(member)
    assert info.compress_type == zipfile.ZIP_STORED
    assert import_archive(store, out).created is False  # our own export imports (here: already present)
    # write_archive stores documents as they are; a hostile one deflates them.
    bomb = tmp_path / "deflated.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
    with pytest.raises(CaseArchiveError, match="decompression bomb"):
        import_archive(store, bomb)
