"""The document folder (content-addressed, atomic) and the money field (cents in, Decimal out)."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balancedue.cases.blobs import ORPHAN_MIN_AGE_SECONDS, DocumentFolder, hash_file
from balancedue.cases.fields import from_cents, to_cents


def test_documents_live_under_their_sha256(tmp_path: Path) -> None:
    folder = DocumentFolder(tmp_path)
    data = b"the notice"
    digest = hashlib.sha256(data).hexdigest()
    blob = folder.put_bytes(data)
    assert blob.sha256 == digest
    assert blob.size == len(data)
    assert blob.path == tmp_path / digest[:2] / digest[2:4] / digest
    assert blob.path.read_bytes() == data
    assert stat.S_IMODE(blob.path.stat().st_mode) == 0o600
    assert not any((tmp_path / "tmp").iterdir())  # no temporary file left behind


def test_a_large_file_is_copied_in_pieces(tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3 * 1024 * 1024 + 17))
    blob = DocumentFolder(tmp_path / "docs").put_file(source)
    assert hash_file(blob.path) == (hashlib.sha256(source.read_bytes()).hexdigest(), source.stat().st_size)


def test_a_damaged_copy_is_replaced_by_good_bytes(tmp_path: Path) -> None:
    folder = DocumentFolder(tmp_path)
    blob = folder.put_bytes(b"original")
    blob.path.write_bytes(b"damaged!")
    assert folder.check(blob.sha256, blob.size) is not None
    folder.put_bytes(b"original")
    assert folder.check(blob.sha256, blob.size) is None


def test_check_names_what_is_wrong(tmp_path: Path) -> None:
    folder = DocumentFolder(tmp_path)
    blob = folder.put_bytes(b"abc")
    assert folder.check(blob.sha256, 3) is None
    assert "size" in (folder.check(blob.sha256, 4) or "")
    blob.path.unlink()
    assert "missing" in (folder.check(blob.sha256, 3) or "")


def test_orphans_are_removed_only_when_old(tmp_path: Path) -> None:
    folder = DocumentFolder(tmp_path)
    kept = folder.put_bytes(b"kept")
    orphan = folder.put_bytes(b"orphan")
    assert folder.orphans({kept.sha256}) == [orphan.path]
    assert folder.remove_orphans({kept.sha256}) == []  # too young: may be an add in progress
    later = time.time() + ORPHAN_MIN_AGE_SECONDS + 1
    assert folder.remove_orphans({kept.sha256}, now=later) == [orphan.path]
    assert kept.path.exists()
    assert not orphan.path.exists()


def test_a_path_needs_a_real_hash(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a SHA-256"):
        DocumentFolder(tmp_path).path_of("../../etc/passwd")


@given(st.integers(min_value=-(2**63), max_value=2**63 - 1))
def test_cents_round_trip(cents: int) -> None:
    amount = from_cents(cents)
    assert amount.as_tuple().exponent == -2
    assert to_cents(amount) == cents


@pytest.mark.parametrize(
    ("given_amount", "cents"),
    [("1234.56", 123456), (Decimal("0.1"), 10), (7, 700), ("-0.01", -1), (Decimal("1E+2"), 10000)],
)
def test_amounts_become_whole_cents(given_amount: object, cents: int) -> None:
    assert to_cents(given_amount) == cents  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["1.005", "abc", "NaN", "Infinity"])
def test_fractions_of_a_cent_and_non_numbers_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match=r"fraction of a cent|not an amount"):
        to_cents(bad)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        to_cents(0.1)  # type: ignore[arg-type]
