"""The case's rows as one JSON text: what an export writes and what the state digest seals.

The digest below was taken from the store as it sealed cases before export and digest shared one
function; a change to it would make every existing case fail ``case verify``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from balancedue.cases.archive import case_json
from balancedue.cases.integrity import case_data, state_digest
from balancedue.cases.records import (
    CaseFile,
    CaseRecord,
    CaseStatus,
    ClientRecord,
    DeadlineRecord,
    DocumentKind,
    DocumentRecord,
    TaxPeriodRecord,
)

CASE = CaseRecord(
    number=1,
    uid="c-0001",
    client=ClientRecord("Pat Example", ("1 Main St", "Springfield, IL 62701"), "6789"),
    title="CP14 2023",
    tax_year=2023,
    tax_periods=(TaxPeriodRecord("1040", date(2023, 12, 31), 2023, Decimal("1234.5")),),
    notice_codes=("CP14",),
    notice_id="N1",
    notice_date=date(2025, 5, 12),
    date_received=date(2025, 5, 20),
    status=CaseStatus.OPEN,
    amount_due=Decimal("1500.00"),
    reply_address=("IRS", "Kansas City, MO 64999"),
    created_at=datetime(2025, 5, 20, 12, 0, tzinfo=UTC),
    journal_length=2,
    journal_head="ab" * 32,
)
PAY = DeadlineRecord(1, "pay", date(2025, 6, 10), "pay", "notice", "interest", "IRC 6601(e)(3)", "IRC",
                     date(2025, 6, 2), "CP14", "moved")
REPLY = DeadlineRecord(2, "reply", date(2025, 6, 2), "reply", "21 days", None, None, "IRM", date(2025, 6, 2))
DOCUMENT = DocumentRecord(1, "cd" * 32, 10, DocumentKind.NOTICE, "n.pdf", "application/pdf",
                          datetime(2025, 5, 20, 12, 1, tzinfo=UTC), "text")


def test_the_rows_as_json_written_out_by_hand() -> None:
    data = case_data(CASE, [REPLY, PAY], [DOCUMENT])
    assert data["tax_periods"] == [
        {"tax_form": "1040", "period_end": "2023-12-31", "tax_year": 2023, "amount": "1234.50"}  # to the cent
    ]
    assert data["amount_due"] == "1500.00"
    assert data["created_at"].startswith("2025-05-20T12:00:00")
    assert [d["number"] for d in data["deadlines"]] == [2, 1]  # in the order given
    assert data["deadlines"][1] == {
        "number": 1, "what": "pay", "due": "2025-06-10", "computed_due": "2025-06-02", "tag": "pay",
        "basis": "notice", "consequence": "interest", "rule": "IRC 6601(e)(3)", "source": "IRC",
        "notice_code": "CP14", "changed_reason": "moved",
    }
    assert data["documents"][0]["kind"] == "notice"
    assert data["client"] == {"name": "Pat Example", "address": ["1 Main St", "Springfield, IL 62701"],
                              "id_last4": "6789"}


def test_the_digest_is_the_hash_of_the_rows_sorted_by_number() -> None:
    digest = state_digest(CASE, [REPLY, PAY], [DOCUMENT])
    sealed = case_data(CASE, [PAY, REPLY], [DOCUMENT])
    text = json.dumps(sealed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert digest == hashlib.sha256(text).hexdigest()
    assert digest == state_digest(CASE, [PAY, REPLY], [DOCUMENT])  # the order given does not matter


def test_the_digest_of_an_existing_case_is_unchanged() -> None:
    digest = state_digest(CASE, [REPLY, PAY], [DOCUMENT])
    assert digest == "da4543596deb38169e24d67042683827ef761ed124722dba8a1e694e0af253fe"


def test_a_changed_row_changes_the_digest() -> None:
    moved = DeadlineRecord(2, "reply", date(2025, 6, 3), "reply", "21 days", None, None, "IRM", date(2025, 6, 2))
    assert state_digest(CASE, [PAY, moved], [DOCUMENT]) != state_digest(CASE, [PAY, REPLY], [DOCUMENT])


def test_the_export_writes_the_same_rows_in_the_store_order() -> None:
    case_file = CaseFile(case=CASE, deadlines=(REPLY, PAY), documents=(DOCUMENT,), journal=())
    assert case_json(case_file) == case_data(CASE, [REPLY, PAY], [DOCUMENT])
