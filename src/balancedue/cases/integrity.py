"""What ``case verify`` checks beyond the journal's chain: the case's own rows and the triggers.

**The case's rows.**  A case's details (client, title, amounts, dates, status), its deadlines and
its documents' rows (names and the text kept from them) are stored beside the journal, and a
change to them by hand (a deadline moved with SQL) does not touch the journal.  So every write
of the store ends by sealing them: :func:`state_digest` is the SHA-256 of a canonical JSON text
of all of them together with the journal's head (the hash of its last entry), kept in the case's
row.  ``verify`` computes it again; a row changed behind the store's back no longer matches.  As
for the chain, someone who can rewrite the database and knows this page can compute it again:
an export or a backup made before the change still shows it.

**The triggers.**  Migration ``0002`` adds database triggers that refuse to change or delete a
journal entry.  :func:`missing_triggers` names those that were dropped (or, on PostgreSQL,
disabled); :func:`restore_triggers` puts them back (``restore`` does, after every restore).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from balancedue.cases.chain import canonical_json, format_moment
from balancedue.cases.records import CaseRecord, DeadlineRecord, DocumentRecord

_CENT = Decimal("0.01")


def _money(value: Decimal | None) -> str | None:
    return format(value.quantize(_CENT), "f") if value is not None else None


def case_data(
    case: CaseRecord, deadlines: Sequence[DeadlineRecord], documents: Sequence[DocumentRecord]
) -> dict[str, Any]:
    """A case's rows (details, deadlines and documents, in the order given) as JSON-native data:
    what an export writes and what the state digest seals.  Amounts are written to the cent."""
    return {
        "uid": case.uid,
        "client": {"name": case.client.name, "address": list(case.client.address), "id_last4": case.client.id_last4},
        "title": case.title,
        "tax_year": case.tax_year,
        "tax_periods": [
            {
                "tax_form": p.tax_form,
                "period_end": p.period_end.isoformat() if p.period_end else None,
                "tax_year": p.tax_year,
                "amount": _money(p.amount),
            }
            for p in case.tax_periods
        ],
        "notice_codes": list(case.notice_codes),
        "notice_id": case.notice_id,
        "notice_date": case.notice_date.isoformat() if case.notice_date else None,
        "date_received": case.date_received.isoformat(),
        "status": case.status.value,
        "amount_due": _money(case.amount_due),
        "reply_address": list(case.reply_address),
        "created_at": format_moment(case.created_at),
        "journal_length": case.journal_length,
        "journal_head": case.journal_head,
        "deadlines": [
            {
                "number": d.number,
                "what": d.what,
                "due": d.due.isoformat(),
                "computed_due": d.computed_due.isoformat(),
                "tag": d.tag,
                "basis": d.basis,
                "consequence": d.consequence,
                "rule": d.rule,
                "source": d.source,
                "notice_code": d.notice_code,
                "changed_reason": d.changed_reason,
            }
            for d in deadlines
        ],
        "documents": [
            {
                "number": d.number,
                "sha256": d.sha256,
                "size": d.size,
                "kind": d.kind.value,
                "name": d.name,
                "media_type": d.media_type,
                "added_at": format_moment(d.added_at),
                "text": d.text,
            }
            for d in documents
        ],
    }


def state_digest(case: CaseRecord, deadlines: Sequence[DeadlineRecord], documents: Sequence[DocumentRecord]) -> str:
    """The digest that seals a case's rows to its journal (see the module's description)."""
    sealed = case_data(
        case, sorted(deadlines, key=lambda d: d.number), sorted(documents, key=lambda d: d.number)
    )
    return hashlib.sha256(canonical_json(sealed)).hexdigest()


SQLITE_TRIGGERS = ("cases_journal_no_update", "cases_journal_no_delete")
POSTGRESQL_TRIGGERS = ("cases_journal_no_change", "cases_journal_no_truncate")


def missing_triggers(connection: Any) -> list[str]:
    """The append-only triggers of the journal that are not in force on this connection."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_journalentry'")
            present = {name for (name,) in cursor.fetchall()}
            expected: tuple[str, ...] = SQLITE_TRIGGERS
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'cases_journalentry'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'"
            )
            present = {name for (name,) in cursor.fetchall()}
            expected = POSTGRESQL_TRIGGERS
        else:
            return []
    return [name for name in expected if name not in present]


def restore_triggers(connection: Any) -> list[str]:
    """Create (or enable) every missing append-only trigger; the names of those put back."""
    from importlib import import_module

    statements = import_module("balancedue.cases.migrations.0002_journal_append_only_triggers")
    missing = missing_triggers(connection)
    if not missing:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, statement in zip(SQLITE_TRIGGERS, statements.SQLITE_UP, strict=True):
                if name in missing:
                    cursor.execute(statement)
        elif connection.vendor == "postgresql":
            for statement in statements.POSTGRESQL_DOWN:
                cursor.execute(statement)
            for statement in statements.POSTGRESQL_UP:
                cursor.execute(statement)
    return missing
