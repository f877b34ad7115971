"""The hash chain that makes the journal tamper-evident.

Each entry's ``hash`` is the SHA-256 of a canonical JSON text of the case's id (its ``uid``,
which stays the same on export and import), the entry's ``sequence``, ``kind``, ``payload``,
``created_at`` and ``prev_hash`` - the hash of the entry before it (:data:`GENESIS` for the
first).  Changing, removing or reordering any entry breaks every hash after it.

The canonical JSON has sorted keys, no spaces and UTF-8 text; payloads hold only strings,
integers, booleans, ``null``, lists and objects (money is a string), so the text is the same
whichever database stored it.  Someone who can rewrite the database can also recompute every
hash after a change; the case row's ``journal_head`` and the exported manifest keep the last
hash, so a copy made before the change shows it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from balancedue.cases.records import DocumentRecord, JournalKind, JournalRecord, Problem

GENESIS = "0" * 64
"""The ``prev_hash`` of a case's first entry."""


def canonical_json(value: Any) -> bytes:
    """The one byte string a JSON-native value hashes as."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8"
    )


def format_moment(moment: datetime) -> str:
    """A moment as hashed and exported: UTC, ISO 8601, to the microsecond."""
    if moment.tzinfo is None:
        raise ValueError("journal times must carry a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


MAX_PAYLOAD_DEPTH = 16
"""Lists and objects nested deeper than this are refused: the product writes at most three levels,
and a deeper payload (a 900-deep note in an archive) would break every later reading of the case."""


def check_payload(value: Any, where: str = "payload", depth: int = 0) -> None:
    """Refuse anything a payload cannot hold: floats, NUL characters, non-string keys, deep nesting."""
    if depth > MAX_PAYLOAD_DEPTH:
        raise ValueError(f"{where} is nested more than {MAX_PAYLOAD_DEPTH} levels deep")
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"{where} holds a NUL character")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_payload(item, f"{where}[{index}]", depth + 1)
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} has a key that is not text: {key!r}")
            check_payload(item, f"{where}.{key}", depth + 1)
        return
    raise ValueError(f"{where} holds a {type(value).__name__}; use text for money and dates")


def entry_hash(
    case_uid: str, sequence: int, kind: str, payload: Mapping[str, Any], created_at: datetime, prev_hash: str
) -> str:
    """The hash that seals one entry and, through ``prev_hash``, every entry before it."""
    sealed = {
        "case": case_uid,
        "sequence": sequence,
        "kind": kind,
        "payload": payload,
        "created_at": format_moment(created_at),
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(sealed)).hexdigest()


def describe(entry: JournalRecord) -> str:
    """``journal entry #3 (call, 2025-06-10)`` - how a problem names an entry."""
    return f"journal entry #{entry.sequence} ({entry.kind}, {entry.created_at.date().isoformat()})"


def check_chain(
    case_uid: str,
    entries: Sequence[JournalRecord],
    *,
    head: str | None = None,
    length: int | None = None,
) -> list[Problem]:
    """Every break in the chain, first one first: gaps, changed entries, broken links.

    ``head`` and ``length`` are what the case row (or the export manifest) says the last hash
    and the number of entries are; a journal cut short after its last copy shows there.
    """
    problems: list[Problem] = []
    previous = GENESIS
    expected_sequence = 1
    by_sequence = {entry.sequence: entry for entry in entries}
    for entry in sorted(entries, key=lambda e: e.sequence):
        if entry.sequence != expected_sequence:
            problems.append(
                Problem(
                    f"journal entry #{expected_sequence}",
                    f"is missing (the next entry is #{entry.sequence}); entries were removed",
                )
            )
        recomputed = entry_hash(case_uid, entry.sequence, entry.kind, entry.payload, entry.created_at, entry.prev_hash)
        if recomputed != entry.hash:
            problems.append(
                Problem(describe(entry), "was changed after it was written: its content no longer matches its hash")
            )
        elif entry.prev_hash != previous:
            problems.append(
                Problem(describe(entry), "does not follow the entry before it: the chain was broken or reordered")
            )
        if entry.kind == "correction" or entry.corrects is not None:
            target = by_sequence.get(entry.corrects) if entry.corrects is not None else None
            if entry.kind != "correction" or target is None or target.sequence >= entry.sequence:
                problems.append(Problem(describe(entry), f"points at entry #{entry.corrects}, which it cannot correct"))
            elif entry.payload.get("corrects") != entry.corrects:
                problems.append(Problem(describe(entry), "its 'corrects' column differs from its sealed content"))
        previous = entry.hash
        expected_sequence = entry.sequence + 1
    if length is not None and length != len(entries):
        problems.append(
            Problem("journal", f"has {len(entries)} entries but the case records {length}; entries were removed or added")
        )
    if head is not None and entries and head != previous:
        problems.append(Problem("journal", "its last hash differs from the one the case records; the end was rewritten"))
    return problems


def document_payload(record: DocumentRecord) -> dict[str, Any]:
    """What the journal seals about a document when it is added."""
    return {
        "number": record.number,
        "sha256": record.sha256,
        "size": record.size,
        "kind": record.kind.value,
        "name": record.name,
    }


def document_subject(record: DocumentRecord) -> str:
    """``document #2 (notice, cp14.pdf)`` - how a problem names a document."""
    return f"document #{record.number} ({record.kind.value}, {record.name})"


def check_sealed_documents(entries: Sequence[JournalRecord], documents: Sequence[DocumentRecord]) -> list[Problem]:
    """Documents whose row differs from what the journal sealed, and sealed ones with no row."""
    problems = []
    sealed = {str(e.payload.get("sha256")): e for e in entries if e.kind == JournalKind.DOCUMENT}
    for document in documents:
        entry = sealed.get(document.sha256)
        if entry is None or entry.payload != document_payload(document):
            problems.append(
                Problem(document_subject(document), "its row differs from what the journal sealed when it was added")
            )
    on_record = {d.sha256 for d in documents}
    for sha, entry in sealed.items():
        if sha not in on_record:
            problems.append(Problem(describe(entry), f"names document {sha[:12]}..., whose row is gone"))
    return problems
