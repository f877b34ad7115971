"""The journal's hash chain, without a database."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balancedue.cases.chain import GENESIS, canonical_json, check_chain, check_payload, entry_hash
from balancedue.cases.records import JournalKind, JournalRecord

CASE = "0123456789abcdef0123456789abcdef"
START = datetime(2025, 6, 10, 9, 30, 0, 250000, tzinfo=UTC)


def test_the_hash_is_sha256_of_the_documented_canonical_text() -> None:
    # The text is written out by hand from the rule in chain.py: sorted keys, no spaces, UTF-8.
    text = (
        '{"case":"0123456789abcdef0123456789abcdef","created_at":"2025-06-10T09:30:00.250000+00:00",'
        '"kind":"note","payload":{"text":"café"},"prev_hash":"' + GENESIS + '","sequence":1}'
    )
    expected = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry_hash(CASE, 1, "note", {"text": "café"}, START, GENESIS) == expected


def test_the_same_moment_in_another_zone_hashes_the_same() -> None:
    from zoneinfo import ZoneInfo

    local = START.astimezone(ZoneInfo("America/Chicago"))
    assert entry_hash(CASE, 1, "note", {}, local, GENESIS) == entry_hash(CASE, 1, "note", {}, START, GENESIS)


def _chain(payloads: list[dict[str, object]]) -> list[JournalRecord]:
    entries = []
    prev = GENESIS
    for index, payload in enumerate(payloads, start=1):
        moment = START + timedelta(minutes=index)
        sealed = entry_hash(CASE, index, "note", payload, moment, prev)
        entries.append(JournalRecord(index, moment, JournalKind.NOTE, payload, prev, sealed))
        prev = sealed
    return entries


def test_an_intact_chain_has_no_problem() -> None:
    entries = _chain([{"text": "a"}, {"text": "b"}, {"text": "c"}])
    assert check_chain(CASE, entries, head=entries[-1].hash, length=3) == []


def test_a_chain_checked_under_another_case_id_fails() -> None:
    entries = _chain([{"text": "a"}])
    assert check_chain("f" * 32, entries)


def test_swapped_entries_are_found() -> None:
    a, b, c = _chain([{"text": "a"}, {"text": "b"}, {"text": "c"}])
    swapped = [a, replace(c, sequence=2), replace(b, sequence=3)]
    assert check_chain(CASE, swapped)


def test_a_rewritten_end_is_found_through_the_recorded_head() -> None:
    entries = _chain([{"text": "a"}, {"text": "b"}])
    head = entries[-1].hash
    rewritten = _chain([{"text": "a"}, {"text": "forged"}])  # hashes recomputed, chain consistent
    assert check_chain(CASE, rewritten) == []
    problems = check_chain(CASE, rewritten, head=head, length=2)
    assert [p.subject for p in problems] == ["journal"]


def test_a_correction_must_point_back() -> None:
    entries = _chain([{"text": "a"}])
    moment = START + timedelta(hours=1)
    payload = {"corrects": 5, "reason": "x", "replacement": {}}
    sealed = entry_hash(CASE, 2, "correction", payload, moment, entries[0].hash)
    forward = JournalRecord(2, moment, JournalKind.CORRECTION, payload, entries[0].hash, sealed, corrects=5)
    assert "cannot correct" in str(check_chain(CASE, [*entries, forward])[0])


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(max_size=20), min_size=1, max_size=8),
    data=st.data(),
)
def test_any_single_change_to_any_entry_is_found(texts: list[str], data: st.DataObject) -> None:
    entries = _chain([{"text": t} for t in texts])
    index = data.draw(st.integers(0, len(entries) - 1))
    what = data.draw(st.sampled_from(["payload", "kind", "created_at", "prev_hash", "hash"]))
    old = entries[index]
    if what == "payload":
        changed = replace(old, payload={"text": old.payload["text"] + "!"})
    elif what == "kind":
        changed = replace(old, kind=JournalKind.CALL)
    elif what == "created_at":
        changed = replace(old, created_at=old.created_at + timedelta(microseconds=1))
    elif what == "prev_hash":
        changed = replace(old, prev_hash="f" * 64)
    else:
        changed = replace(old, hash="e" * 64)
    entries[index] = changed
    assert check_chain(CASE, entries, head=_chain([{"text": t} for t in texts])[-1].hash, length=len(texts))


@pytest.mark.parametrize("bad", [1.5, {"x": [float("nan")]}, {1: "a"}, {"a": "b\x00"}, {"d": object()}])
def test_payloads_hold_only_json_native_exact_values(bad: object) -> None:
    with pytest.raises(ValueError, match="payload"):
        check_payload(bad)


def test_canonical_json_refuses_nan() -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": float("inf")})
