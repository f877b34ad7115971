"""Encrypted exports are sealed and opened a megabyte at a time.

Finding reproduced: a 1.5 GB encrypted import peaked at 4.8 GB of memory (the file, the plain
copy and the zip were all held at once).  Here a 24 MB export is opened with Python's allocations
traced: the peak stays a few megabytes.  The file format is unchanged: what the streaming writer
seals, the one-shot reader opens, and the other way round.
"""

from __future__ import annotations

import os
import stat
import tracemalloc
from pathlib import Path

import pytest

from balancedue.cases import crypto

PASSPHRASE = "a long enough passphrase 1"


def test_a_large_export_is_opened_in_flat_memory(tmp_path: Path) -> None:
    plain = tmp_path / "case.zip"
    plain.write_bytes(os.urandom(24 * 1024 * 1024))
    sealed = tmp_path / "case.bdx"
    crypto.encrypt_file(plain, sealed, PASSPHRASE)
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    opened = tmp_path / "opened.zip"
    tracemalloc.start()
    try:
        crypto.decrypt_file_to(sealed, opened, PASSPHRASE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # the whole file is 24 MB; a few chunks at a time
    assert opened.read_bytes() == plain.read_bytes()
    assert stat.S_IMODE(opened.stat().st_mode) == 0o600


def test_the_format_is_the_one_shot_format(tmp_path: Path) -> None:
    data = os.urandom(100_000)
    plain = tmp_path / "case.zip"
    plain.write_bytes(data)
    streamed = tmp_path / "streamed.bdx"
    crypto.encrypt_file(plain, streamed, PASSPHRASE)
    assert crypto.decrypt_bytes(streamed.read_bytes(), PASSPHRASE) == data
    one_shot = tmp_path / "one-shot.bdx"
    one_shot.write_bytes(crypto.encrypt_bytes(data, PASSPHRASE))
    crypto.decrypt_file_to(one_shot, tmp_path / "out.zip", PASSPHRASE)
    assert (tmp_path / "out.zip").read_bytes() == data


@pytest.mark.parametrize("damage", ["byte", "tag", "cut", "passphrase"])
def test_a_changed_file_leaves_no_plain_copy(tmp_path: Path, damage: str) -> None:
    plain = tmp_path / "case.zip"
    plain.write_bytes(os.urandom(3 * 1024 * 1024 + 5))
    sealed = tmp_path / "case.bdx"
    crypto.encrypt_file(plain, sealed, PASSPHRASE)
    data = bytearray(sealed.read_bytes())
    passphrase = PASSPHRASE
    if damage == "byte":
        data[len(data) // 2] ^= 1
    elif damage == "tag":
        data[-1] ^= 1
    elif damage == "cut":
        del data[-1000:]
    else:
        passphrase = "another long passphrase 2"
    sealed.write_bytes(bytes(data))
    target = tmp_path / "opened.zip"
    with pytest.raises(crypto.EncryptedArchiveError, match="wrong passphrase, or the file was changed"):
        crypto.decrypt_file_to(sealed, target, passphrase)
    assert not target.exists()
