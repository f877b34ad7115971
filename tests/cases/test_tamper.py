"""Changes made behind the store's back - in the database or the document folder - are found."""

from __future__ import annotations

from datetime import date
from typing import Any

from case_harness import flip_one_byte, raw_sql, tamper_journal_entry

from balancedue.cases.records import ClientRecord, DocumentKind, JournalKind, NewCase, NewDocument


def _case_with_history(store: Any) -> tuple[int, str]:
    case = store.open_case(
        NewCase(client=ClientRecord("Avery Tester", (), "4821"), title="CP14", date_received=date(2025, 6, 5)),
        NewDocument(b"%PDF-1.4 the notice's bytes", DocumentKind.NOTICE, "cp14.pdf"),
    )
    store.append(case.number, JournalKind.CALL, {"agent": "R. Lee", "badge": "1000222333", "summary": "asked for time"})
    store.append(case.number, JournalKind.NOTE, {"text": "sent the letter"})
    sha = store.case_file(case.number).documents[0].sha256
    return case.number, sha


def _backend(store: Any) -> str:
    return "sqlite" if store.using == "default" else "postgresql"


def test_one_byte_of_a_document_and_one_journal_row_are_both_named(store: Any) -> None:
    number, sha = _case_with_history(store)
    assert store.verify(number).ok
    flip_one_byte(store.documents.path_of(sha), offset=5)
    tamper_journal_entry(_backend(store), number, 3, "summary", "never called")
    result = store.verify(number)
    subjects = [p.subject for p in result.problems]
    assert not result.ok
    assert subjects[0].startswith("journal entry #3 (call"), subjects
    assert "no longer matches its hash" in result.problems[0].message
    document = [p for p in result.problems if p.subject == "document #1 (notice, cp14.pdf)"]
    assert len(document) == 1
    assert "bytes were changed" in document[0].message


def test_a_deleted_entry_is_named(store: Any) -> None:
    number, _ = _case_with_history(store)
    run = raw_sql(_backend(store))
    if _backend(store) == "sqlite":
        run("DROP TRIGGER cases_journal_no_delete", ())
    else:
        run("ALTER TABLE cases_journalentry DISABLE TRIGGER USER", ())
    run("DELETE FROM cases_journalentry WHERE case_id = ? AND sequence = 3", (number,))
    problems = [str(p) for p in store.verify(number).problems]
    assert any("journal entry #3: is missing" in p for p in problems), problems


def test_a_journal_cut_short_is_named(store: Any) -> None:
    number, _ = _case_with_history(store)
    run = raw_sql(_backend(store))
    if _backend(store) == "sqlite":
        run("DROP TRIGGER cases_journal_no_delete", ())
    else:
        run("ALTER TABLE cases_journalentry DISABLE TRIGGER USER", ())
    run("DELETE FROM cases_journalentry WHERE case_id = ? AND sequence = 4", (number,))
    problems = [str(p) for p in store.verify(number).problems]
    assert any("has 3 entries but the case records 4" in p for p in problems), problems


def test_a_document_row_pointed_elsewhere_is_named(store: Any) -> None:
    number, _sha = _case_with_history(store)
    other = store.documents.put_bytes(b"a forged notice")
    raw_sql(_backend(store))("UPDATE cases_document SET sha256 = ?, size = ? WHERE case_id = ?",
                             (other.sha256, other.size, number))
    problems = [str(p) for p in store.verify(number).problems]
    assert any("differs from what the journal sealed" in p for p in problems), problems


def test_a_missing_file_is_named(store: Any) -> None:
    number, sha = _case_with_history(store)
    store.documents.path_of(sha).unlink()
    problems = [str(p) for p in store.verify(number).problems]
    assert problems == ["document #1 (notice, cp14.pdf): its file is missing from the document folder"]


def test_a_payment_amount_changed_in_its_column_is_named(store: Any) -> None:
    from decimal import Decimal

    number, _ = _case_with_history(store)
    store.append(number, JournalKind.PAYMENT, {"amount": "250.00", "paid_on": "2025-06-12"}, amount=Decimal("250.00"))
    run = raw_sql(_backend(store))
    if _backend(store) == "sqlite":
        run("DROP TRIGGER cases_journal_no_update", ())
    else:
        run("ALTER TABLE cases_journalentry DISABLE TRIGGER USER", ())
    run("UPDATE cases_journalentry SET amount = 2500 WHERE case_id = ? AND sequence = 5", (number,))
    problems = [str(p) for p in store.verify(number).problems]
    assert any("amount column differs" in p for p in problems), problems
