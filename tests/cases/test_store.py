"""The case store on SQLite and on PostgreSQL: cases, deadlines, documents, journal, reminders."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from case_harness import raw_sql

from balancedue.cases.errors import CaseNotFoundError, EntryNotFoundError
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

RECEIVED = date(2025, 6, 5)


def new_case(*deadlines: NewDeadline, name: str = "Avery Tester", amount: str | None = "1523.40") -> NewCase:
    return NewCase(
        client=ClientRecord(name, ("12 Test Road", "Springfield, IL 62704"), "4821"),
        title="CP14, tax year 2024",
        date_received=RECEIVED,
        tax_year=2024,
        tax_periods=(TaxPeriodRecord("1040", date(2024, 12, 31), 2024, Decimal("1523.40")),),
        notice_codes=("CP14",),
        notice_id="CP14-20250602-00999",
        notice_date=date(2025, 6, 2),
        amount_due=Decimal(amount) if amount else None,
        reply_address=("INTERNAL REVENUE SERVICE", "PO BOX 931000", "LOUISVILLE KY 40293-1000"),
        deadlines=deadlines,
    )


def deadline(what: str, due: date, tag: str = "soft") -> NewDeadline:
    return NewDeadline(what=what, due=due, tag=tag, basis="test", rule="test.rule", source="test")


def test_open_case_keeps_what_it_was_given(store: Any) -> None:
    notice = NewDocument(b"%PDF-1.4 a notice", DocumentKind.NOTICE, "cp14.pdf", "application/pdf", "Notice CP14")
    case = store.open_case(new_case(deadline("Pay", date(2025, 6, 23))), notice)
    again = store.get_case(case.number)
    assert again == case
    assert case.client == ClientRecord("Avery Tester", ("12 Test Road", "Springfield, IL 62704"), "4821")
    assert case.amount_due == Decimal("1523.40")
    assert case.tax_periods[0].amount == Decimal("1523.40")
    assert case.status is CaseStatus.OPEN
    case_file = store.case_file(case.number)
    assert [e.kind for e in case_file.journal] == [JournalKind.OPENED, JournalKind.DOCUMENT]
    assert [d.what for d in case_file.deadlines] == ["Pay"]
    (document,) = case_file.documents
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4 a notice").hexdigest()
    assert store.documents.read(document.sha256) == b"%PDF-1.4 a notice"
    assert case.journal_length == 2
    assert case.journal_head == case_file.journal[-1].hash


def test_cases_are_found_by_number_or_uid_prefix(store: Any) -> None:
    case = store.open_case(new_case())
    assert store.get_case(str(case.number)).uid == case.uid
    assert store.get_case(case.uid[:8]).number == case.number
    with pytest.raises(CaseNotFoundError):
        store.get_case("999")
    with pytest.raises(CaseNotFoundError):
        store.get_case("not-a-case")


def test_a_uid_prefix_made_of_digits_still_finds_its_case(store: Any) -> None:
    # About 2% of random hex uids start with eight decimal digits ((10/16)**8); such a prefix
    # names no case number here, so it is read as the start of a uid.
    from balancedue.cases.models import Case

    case = store.open_case(new_case())
    other = store.open_case(new_case())
    Case.objects.using(store.using).filter(pk=case.number).update(uid="40213377" + "ab" * 12)
    assert store.get_case("40213377").number == case.number
    assert store.get_case(str(other.number)).number == other.number  # a number still wins
    with pytest.raises(CaseNotFoundError):
        store.get_case("40213378")


def test_an_intake_hash_prefix_made_of_digits_finds_its_item(store: Any) -> None:
    # SHA-256 hex digests start with eight decimal digits about 2% of the time, like uids.
    from balancedue.cases.intake import IntakeStore

    intake = IntakeStore(store)
    digits_first = "40213377" + "c" * 56
    item, _ = intake.register(digits_first, "notice.pdf", "", date(2025, 6, 1))
    assert intake.find_item("40213377") == item
    assert intake.find_item(str(item.pk)) == item  # its number still finds it
    assert intake.find_item("40213378") is None


def test_one_client_row_per_taxpayer(store: Any) -> None:
    first = store.open_case(new_case())
    second = store.open_case(new_case())
    rows = raw_sql_for(store)("SELECT COUNT(*) FROM cases_client", ())
    assert rows[0][0] == 1
    assert first.client == second.client


def raw_sql_for(store: Any) -> Any:
    return raw_sql("sqlite" if store.using == "default" else "postgresql")


def test_list_shows_the_next_deadline_on_or_after_today(store: Any) -> None:
    a = store.open_case(new_case(deadline("Past", date(2025, 6, 1)), deadline("Soon", date(2025, 6, 20)),
                                 deadline("Later", date(2025, 7, 20))))
    b = store.open_case(new_case(name="Blake Tester"))
    summaries = {s.number: s for s in store.list_cases(date(2025, 6, 10))}
    assert (summaries[a.number].next_what, summaries[a.number].next_due) == ("Soon", date(2025, 6, 20))
    assert summaries[b.number].next_due is None
    on_the_day = {s.number: s for s in store.list_cases(date(2025, 6, 20))}
    assert on_the_day[a.number].next_what == "Soon"  # due today still counts
    closed = store.set_status(b.number, CaseStatus.CLOSED, "paid in full")
    assert [s.number for s in store.list_cases(date(2025, 6, 10), [CaseStatus.CLOSED])] == [closed.number]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # (days before the 2025-06-20 deadline) -> which reminder runs; the issue: 7 and 2 days before
        (date(2025, 6, 12), None),  # 8 days: no reminder yet
        (date(2025, 6, 13), 7),     # 7 days: the 7-day reminder starts
        (date(2025, 6, 17), 7),     # 3 days
        (date(2025, 6, 18), 2),     # 2 days: the 2-day reminder starts
        (date(2025, 6, 20), 2),     # the day itself
        (date(2025, 6, 21), None),  # passed
    ],
)
def test_reminders_run_from_seven_and_two_days_before(store: Any, today: date, expected: int | None) -> None:
    case = store.open_case(new_case(deadline("Respond", date(2025, 6, 20), "hard")))
    reminders = store.reminders(today)
    if expected is None:
        assert reminders == []
    else:
        (reminder,) = reminders
        assert (reminder.case_number, reminder.lead_days) == (case.number, expected)
        assert reminder.remind_on == date(2025, 6, 20) - timedelta(days=expected)


def test_reminders_skip_closed_cases(store: Any) -> None:
    case = store.open_case(new_case(deadline("Respond", date(2025, 6, 20))))
    store.set_status(case.number, CaseStatus.RESOLVED, "agreed")
    assert store.reminders(date(2025, 6, 18)) == []


def test_journal_chain_grows_and_verifies(store: Any) -> None:
    case = store.open_case(new_case())
    call = store.append(case.number, JournalKind.CALL, {"agent": "R. Lee", "badge": "1000222333", "summary": "asked"})
    pay = store.append(case.number, JournalKind.PAYMENT, {"amount": "100.00", "paid_on": "2025-06-12"},
                       amount=Decimal("100.00"))
    fix = store.correct(case.number, pay.sequence, "wrong amount", {"amount": "110.00"})
    assert [call.sequence, pay.sequence, fix.sequence] == [2, 3, 4]
    assert pay.prev_hash == call.hash
    assert fix.prev_hash == pay.hash
    assert fix.corrects == pay.sequence
    case_file = store.case_file(case.number)
    assert case_file.journal[2].payload == {"amount": "100.00", "paid_on": "2025-06-12"}  # the old entry stays
    assert case_file.journal[3].corrects == 3
    result = store.verify(case.number)
    assert result.ok, result.problems
    assert (result.entries_checked, result.documents_checked) == (4, 0)


def test_correcting_a_missing_entry_is_an_error(store: Any) -> None:
    case = store.open_case(new_case())
    with pytest.raises(EntryNotFoundError):
        store.correct(case.number, 9, "no such entry", {"x": "y"})


def test_journal_rows_cannot_be_changed_through_the_app(store: Any) -> None:
    from django.db import DatabaseError, transaction

    from balancedue.cases.models import AppendOnlyError, JournalEntry

    case = store.open_case(new_case())
    entry = JournalEntry.objects.using(store.using).get(case_id=case.number, sequence=1)
    entry.kind = "note"
    with pytest.raises(AppendOnlyError):
        entry.save(using=store.using)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    # A bulk update or delete bypasses the model; the database trigger still refuses it.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(using=store.using):
        JournalEntry.objects.using(store.using).filter(case_id=case.number).update(kind="note")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(using=store.using):
        JournalEntry.objects.using(store.using).filter(case_id=case.number).delete()
    assert store.verify(case.number).ok


def test_journal_refuses_a_float_payload(store: Any) -> None:
    case = store.open_case(new_case())
    with pytest.raises(ValueError, match="float"):
        store.append(case.number, JournalKind.NOTE, {"amount": 1.5})
    assert store.get_case(case.number).journal_length == 1


def test_changing_a_deadline_keeps_the_computed_date_and_journals_it(store: Any) -> None:
    case = store.open_case(new_case(deadline("Respond", date(2025, 6, 20), "hard")))
    changed = store.change_deadline(case.number, 1, date(2025, 7, 20), "30-day hold agreed by phone")
    assert changed.due == date(2025, 7, 20)
    assert changed.computed_due == date(2025, 6, 20)
    assert changed.changed
    last = store.case_file(case.number).journal[-1]
    assert last.kind == JournalKind.DEADLINE
    assert (last.payload["old_due"], last.payload["new_due"]) == ("2025-06-20", "2025-07-20")
    with pytest.raises(EntryNotFoundError):
        store.change_deadline(case.number, 7, date(2025, 7, 20), "no such deadline")


def test_a_document_is_kept_once_per_case(store: Any) -> None:
    case = store.open_case(new_case())
    first, created = store.add_document(case.number, NewDocument(b"receipt", DocumentKind.MAIL_RECEIPT, "r.jpg"))
    again, created_again = store.add_document(case.number, NewDocument(b"receipt", DocumentKind.MAIL_RECEIPT, "r2.jpg"))
    assert (created, created_again) == (True, False)
    assert again == first
    other = store.open_case(new_case(name="Blake Tester"))
    shared, created_other = store.add_document(other.number, NewDocument(b"receipt", DocumentKind.MAIL_RECEIPT, "r.jpg"))
    assert created_other
    assert shared.sha256 == first.sha256
    assert len(list(store.documents.files())) == 1


def test_a_later_notice_brings_its_code_and_deadlines(store: Any) -> None:
    case = store.open_case(new_case(deadline("Pay", date(2025, 6, 23))))
    store.add_document(
        case.number,
        NewDocument(b"%PDF-1.4 CP501", DocumentKind.NOTICE, "cp501.pdf"),
        notice_codes=["CP501"],
        deadlines=[deadline("Pay the reminder", date(2025, 7, 28))],
    )
    case_file = store.case_file(case.number)
    assert case_file.case.notice_codes == ("CP14", "CP501")
    assert [d.number for d in case_file.deadlines] == [1, 2]


def test_follow_up_deadline_comes_with_the_call(store: Any) -> None:
    case = store.open_case(new_case())
    entry = store.append(case.number, JournalKind.CALL, {"agent": "R. Lee"},
                         deadlines=[deadline("Follow up", date(2025, 7, 1), "follow-up")])
    assert entry.payload["deadlines"] == [{"number": 1, "due": "2025-07-01"}]
    assert [d.what for d in store.case_file(case.number).deadlines] == ["Follow up"]


def test_letter_documents_and_their_entry_are_one_step(store: Any) -> None:
    case = store.open_case(new_case())
    documents, entry = store.add_documents_with_entry(
        case.number,
        [NewDocument(b"%PDF letter", DocumentKind.CORRESPONDENCE, "letter.pdf"),
         NewDocument(b"PK docx", DocumentKind.CORRESPONDENCE, "letter.docx")],
        JournalKind.LETTER,
        {"letter_kind": "dispute", "enclosures": ["Notice copy"]},
    )
    assert [d.number for d in documents] == [1, 2]
    assert entry.payload["documents"] == [
        {"number": 1, "sha256": documents[0].sha256, "name": "letter.pdf"},
        {"number": 2, "sha256": documents[1].sha256, "name": "letter.docx"},
    ]
    assert store.verify(case.number).ok


def test_times_keep_their_microseconds(store: Any) -> None:
    moment = datetime(2025, 6, 10, 14, 3, 7, 123456, tzinfo=UTC)
    store.clock = lambda: moment
    case = store.open_case(new_case())
    assert store.case_file(case.number).journal[0].created_at == moment
    assert store.verify(case.number).ok


def test_money_is_exact_to_the_cent(store: Any) -> None:
    # The largest amount a 64-bit count of cents holds, and a negative one.
    for amount in ("92233720368547758.07", "-0.01", "0.00"):
        case = store.open_case(new_case(amount=amount))
        assert store.get_case(case.number).amount_due == Decimal(amount)


def test_a_cases_version_changes_with_every_write_and_is_seen_within_scope_only(store: Any) -> None:
    from balancedue.cases.versions import case_versions

    first = store.open_case(new_case(deadline("Pay", date(2025, 6, 23))))
    second = store.open_case(new_case(name="Blair Other"))
    versions = case_versions(store.using, None)
    assert sorted(versions) == [first.number, second.number]
    own = store.client_of_case(first.number)
    assert versions[first.number].client_id == own
    assert versions[second.number].client_id != own
    assert case_versions(store.using, frozenset({own})) == {first.number: versions[first.number]}
    assert case_versions(store.using, frozenset()) == {}
    assert case_versions(store.using, None, second.number) == {second.number: versions[second.number]}
    assert case_versions(store.using, frozenset({own}), second.number) == {}  # outside the scope
    assert case_versions(store.using, None, 999) == {}
    seen = {versions[first.number]}
    writes = [
        lambda: store.append(first.number, JournalKind.NOTE, {"text": "A note"}),
        lambda: store.change_deadline(first.number, 1, date(2025, 7, 15), "Agreed"),
        lambda: store.set_status(first.number, CaseStatus.WAITING, "Mailed"),
        lambda: store.add_document(first.number, NewDocument(b"receipt", DocumentKind.MAIL_RECEIPT, "r.jpg")),
    ]
    for write in writes:
        write()
        now = case_versions(store.using, None)
        assert now[first.number] not in seen  # every write gives a version not seen before
        assert now[second.number] == versions[second.number]  # the other case is untouched
        seen.add(now[first.number])
