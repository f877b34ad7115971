"""Export and import: the round trip gives an identical case; a bad archive writes nothing."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from case_harness import make_store

import privacy_scan
from balancedue.cases.archive import (
    JOURNAL,
    MANIFEST,
    export_case,
    fingerprint,
    import_archive,
)
from balancedue.cases.errors import CaseArchiveError, CaseConflictError
from balancedue.cases.records import (
    CaseStatus,
    ClientRecord,
    DocumentKind,
    JournalKind,
    NewCase,
    NewDeadline,
    NewDocument,
    TaxPeriodRecord,
)
from balancedue.reports.case_pdf import render_case_report

EXPORTED = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)


def _report(case_file: Any) -> bytes:
    return render_case_report(case_file, date(2025, 7, 1))


def _rich_case(store: Any) -> int:
    case = store.open_case(
        NewCase(
            client=ClientRecord("Avery Tester", ("12 Test Road", "Springfield, IL 62704"), "4821"),
            title="CP14, tax year 2024, Form 1040",
            date_received=date(2025, 6, 5),
            tax_year=2024,
            tax_periods=(TaxPeriodRecord("1040", date(2024, 12, 31), 2024, Decimal("1523.40")),),
            notice_codes=("CP14",),
            notice_id="CP14-20250602-00999",
            notice_date=date(2025, 6, 2),
            amount_due=Decimal("1523.40"),
            reply_address=("INTERNAL REVENUE SERVICE", "PO BOX 931000", "LOUISVILLE KY 40293-1000"),
            deadlines=(NewDeadline("Pay", date(2025, 6, 23), "soft", "printed on the notice", None, None, "IRS"),),
        ),
        NewDocument(b"%PDF-1.4 notice bytes", DocumentKind.NOTICE, "cp14.pdf", "application/pdf", "CP14 text ü"),
    )
    store.add_document(case.number, NewDocument(b"\x89PNG receipt", DocumentKind.MAIL_RECEIPT, "receipt.png"))
    store.append(case.number, JournalKind.CALL, {"agent": "R. Lee", "badge": "1000222333", "summary": "ok"})
    pay = store.append(case.number, JournalKind.PAYMENT, {"amount": "100.00", "paid_on": "2025-06-12"},
                       amount=Decimal("100.00"))
    store.correct(case.number, pay.sequence, "typo", {"amount": "110.00"})
    store.change_deadline(case.number, 1, date(2025, 7, 23), "agreed")
    store.set_status(case.number, CaseStatus.WAITING, "letter sent")
    return int(case.number)


@pytest.mark.parametrize(("source", "target"), [("sqlite", "fresh"), ("sqlite", "postgresql"), ("postgresql", "fresh")])
def test_export_then_import_on_a_fresh_database_gives_an_identical_case(
    tmp_path: Path, source: str, target: str
) -> None:
    origin = make_store(source, tmp_path / "origin-docs")
    number = _rich_case(origin)
    out = tmp_path / "case.zip"
    summary = export_case(origin, number, out, render_report=_report, exported_at=EXPORTED)
    before = origin.case_file(number)
    assert summary.fingerprint == fingerprint(before)

    fresh = make_store(target, tmp_path / "fresh-docs")
    result = import_archive(fresh, out)
    after = fresh.case_file(result.case.number)
    assert result.created
    assert fingerprint(after) == fingerprint(before)
    assert [e.hash for e in after.journal] == [e.hash for e in before.journal]
    assert [(d.sha256, d.size) for d in after.documents] == [(d.sha256, d.size) for d in before.documents]
    for document in after.documents:
        assert hashlib.sha256(fresh.documents.read(document.sha256)).hexdigest() == document.sha256
    assert after.case.uid == before.case.uid
    assert after.case.amount_due == Decimal("1523.40")
    assert after.journal[-2].corrects == before.journal[-2].corrects
    assert fresh.verify(result.case.number).ok

    # Importing it again changes nothing; a different case with the same id is refused.
    assert not import_archive(fresh, out).created
    fresh.append(result.case.number, JournalKind.NOTE, {"text": "more work here"})
    with pytest.raises(CaseConflictError, match="different content"):
        import_archive(fresh, out)


def test_the_same_case_exports_to_the_same_bytes(tmp_path: Path) -> None:
    store = make_store("sqlite", tmp_path / "docs")
    number = _rich_case(store)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    export_case(store, number, first, render_report=_report, exported_at=EXPORTED)
    export_case(store, number, second, render_report=_report, exported_at=EXPORTED)
    assert first.read_bytes() == second.read_bytes()


# --- archives that must be refused -------------------------------------------------------------


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write(path: Path, members: dict[str, bytes], *, link: str | None = None, duplicate: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = ((stat.S_IFLNK if name == link else stat.S_IFREG) | 0o600) << 16
            archive.writestr(info, data)
        if duplicate:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                archive.writestr(duplicate, members[duplicate])
    return path


def _reseal(members: dict[str, bytes], name: str) -> None:
    """Update the manifest's hash of ``name`` as a careful forger would."""
    manifest = json.loads(members[MANIFEST])
    manifest["members"][name] = hashlib.sha256(members[name]).hexdigest()
    members[MANIFEST] = json.dumps(manifest).encode()


@pytest.fixture
def good_archive(tmp_path: Path) -> Path:
    store = make_store("sqlite", tmp_path / "origin")
    number = _rich_case(store)
    out = tmp_path / "good.zip"
    export_case(store, number, out, render_report=_report, exported_at=EXPORTED)
    return out


def _doc_member(members: dict[str, bytes]) -> str:
    return next(name for name in members if name.startswith("documents/"))


def _tamper(kind: str, members: dict[str, bytes], tmp_path: Path) -> Path:
    target = tmp_path / f"bad-{kind}.zip"
    if kind == "dotdot":
        members["documents/../../evil"] = b"x"
    elif kind == "absolute":
        members["/etc/evil"] = b"x"
    elif kind == "backslash":
        members["documents\\evil"] = b"x"
    elif kind == "unknown-member":
        members["notes.txt"] = b"x"
    elif kind == "symlink":
        return _write(target, members, link=_doc_member(members))
    elif kind == "duplicate":
        return _write(target, members, duplicate=JOURNAL)
    elif kind == "document-bytes":
        name = _doc_member(members)
        members[name] = members[name][:-1] + bytes([members[name][-1] ^ 1])
    elif kind == "document-bytes-resealed":
        name = _doc_member(members)
        members[name] = members[name] + b"!"
        _reseal(members, name)
    elif kind == "journal-resealed":
        journal = json.loads(members[JOURNAL])
        journal[2]["payload"]["summary"] = "never happened"
        members[JOURNAL] = json.dumps(journal).encode()
        _reseal(members, JOURNAL)
    elif kind == "journal-truncated":
        journal = json.loads(members[JOURNAL])
        members[JOURNAL] = json.dumps(journal[:-1]).encode()
        _reseal(members, JOURNAL)
    elif kind == "missing-document":
        del members[_doc_member(members)]
    elif kind == "no-manifest":
        del members[MANIFEST]
    elif kind == "float-in-payload":
        journal = json.loads(members[JOURNAL])
        journal[0]["payload"]["amount"] = 1.5
        members[JOURNAL] = json.dumps(journal).encode()
        _reseal(members, JOURNAL)
    elif kind == "full-id":
        manifest = json.loads(members[MANIFEST])
        manifest["case"]["client"]["id_last4"] = "123456789"
        members[MANIFEST] = json.dumps(manifest).encode()
    if kind == "full-id":  # a hostile archive that holds a full id on purpose
        return privacy_scan.declare_input(_write(target, members))
    return _write(target, members)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("dotdot", "outside the archive"),
        ("absolute", "absolute path"),
        ("backslash", "backslashes"),
        ("unknown-member", "not a member a case archive has"),
        ("symlink", "symbolic link"),
        ("duplicate", "appears twice"),
        ("document-bytes", "was changed"),
        ("document-bytes-resealed", "not the document the case lists"),
        ("journal-resealed", "does not verify"),
        ("journal-truncated", "does not verify"),
        ("missing-document", "differ"),
        ("no-manifest", "no manifest.json"),
        ("float-in-payload", "float"),
        ("full-id", "id_last4"),
    ],
)
def test_a_bad_archive_is_refused_and_nothing_is_written(
    tmp_path: Path, good_archive: Path, kind: str, message: str
) -> None:
    bad = _tamper(kind, _members(good_archive), tmp_path)
    fresh = make_store("fresh", tmp_path / "fresh-docs")
    with pytest.raises(CaseArchiveError, match=message) as caught:
        import_archive(fresh, bad)
    assert "nothing was imported" in str(caught.value)
    assert fresh.list_cases(date(2025, 6, 1)) == []
    assert list(fresh.documents.files()) == []


def test_not_a_zip_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK but not really a zip")
    with pytest.raises(CaseArchiveError, match="not a zip"):
        import_archive(make_store("fresh", tmp_path / "docs"), fake)
