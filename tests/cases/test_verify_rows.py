"""``case verify`` covers every stored record, not only the journal (cases.integrity).

Findings reproduced: a deadline moved, the amount due, the client's name or the kept notice text
changed with SQL still "verified"; a dropped append-only trigger went unnoticed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from case_harness import raw_sql

from balancedue.cases.records import (
    ClientRecord,
    DocumentKind,
    JournalKind,
    NewCase,
    NewDeadline,
    NewDocument,
)

EDITED = "edited outside balancedue"


def _case(store: Any) -> int:
    case = store.open_case(
        NewCase(
            client=ClientRecord("Avery Tester", ("1 Main St",), "4821"),
            title="CP14",
            date_received=date(2025, 6, 5),
            amount_due=__import__("decimal").Decimal("1523.40"),
            deadlines=(NewDeadline(what="pay", due=date(2025, 6, 23), tag="pay", basis="the notice"),),
        ),
        NewDocument(b"%PDF-1.4 the notice", DocumentKind.NOTICE, "cp14.pdf", text="Amount due $1,523.40"),
    )
    store.append(case.number, JournalKind.NOTE, {"text": "called"})
    assert store.verify(case.number).ok
    return int(case.number)


def _backend(store: Any) -> str:
    return "sqlite" if store.using == "default" else "postgresql"


@pytest.mark.parametrize(
    ("statement", "what"),
    [
        ("UPDATE cases_deadline SET due = '2026-01-01' WHERE case_id = ?", "a deadline's date"),
        ("UPDATE cases_case SET amount_due = 1 WHERE id = ?", "the amount due"),
        ("UPDATE cases_client SET name = 'Someone Else' WHERE id = (SELECT client_id FROM cases_case WHERE id = ?)",
         "the client's name"),
        ("UPDATE cases_document SET text = 'Amount due $0.00' WHERE case_id = ?", "the kept notice text"),
        ("UPDATE cases_document SET name = 'other.pdf' WHERE case_id = ?", "a document's name"),
        ("UPDATE cases_case SET status = 'closed' WHERE id = ?", "the status"),
        ("DELETE FROM cases_deadline WHERE case_id = ?", "a deadline removed"),
    ],
)
def test_a_row_changed_behind_the_stores_back_is_named(store: Any, statement: str, what: str) -> None:
    number = _case(store)
    raw_sql(_backend(store))(statement, (number,))
    result = store.verify(number)
    assert not result.ok, what
    assert any(EDITED in p.message for p in result.problems), (what, result.problems)


def test_changes_made_through_the_store_keep_verifying(store: Any) -> None:
    number = _case(store)
    store.change_deadline(number, 1, date(2025, 7, 1), "agreed on the phone")
    store.add_document(number, NewDocument(b"a letter", DocumentKind.CORRESPONDENCE, "letter.txt", text="hello"))
    store.set_status(number, __import__("balancedue.cases.records", fromlist=["CaseStatus"]).CaseStatus.WAITING, "sent")
    store.correct(number, 2, "typo", {"text": "called twice"})
    assert store.verify(number).ok


def test_a_dropped_trigger_is_named_and_put_back(store: Any) -> None:
    number = _case(store)
    run = raw_sql(_backend(store))
    if _backend(store) == "sqlite":
        run("DROP TRIGGER cases_journal_no_update", ())
    else:
        run("ALTER TABLE cases_journalentry DISABLE TRIGGER cases_journal_no_change", ())
    result = store.verify(number)
    assert [p.subject for p in result.problems] == ["database"]
    assert "trigger" in result.problems[0].message
    assert store.repair_triggers()
    assert store.verify(number).ok
    assert store.repair_triggers() == []
    with pytest.raises(Exception, match="append-only"):
        run("UPDATE cases_journalentry SET kind = 'note' WHERE case_id = ?", (number,))
