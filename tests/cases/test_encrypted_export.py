"""Encrypted case export: the round trip gives the same case; a wrong passphrase, a changed byte
or a cut-off file is refused with one clear line and nothing is imported."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from case_harness import notice_pdf, reset_database
from typer.testing import CliRunner

from balancedue.cases import crypto
from balancedue.cases.crypto import TAMPERED, EncryptedArchiveError, decrypt_bytes, encrypt_bytes
from balancedue.cli import app
from balancedue.errors import InputError

runner = CliRunner()
PASSPHRASE = "correct horse battery staple"
PLAIN = b"PK\x03\x04 a stand-in for an export zip " + bytes(range(256))


def _sealed() -> bytes:
    return encrypt_bytes(PLAIN, PASSPHRASE)


def _header(sealed: bytes) -> dict[str, Any]:
    start = len(crypto.MAGIC) + crypto.LENGTH_BYTES
    length = int.from_bytes(sealed[len(crypto.MAGIC):start], "big")
    header: dict[str, Any] = json.loads(sealed[start:start + length])
    return header


def test_round_trip_gives_the_same_bytes() -> None:
    sealed = _sealed()
    assert PLAIN not in sealed
    assert decrypt_bytes(sealed, PASSPHRASE) == PLAIN


def test_the_header_names_a_standard_kdf_and_cipher_with_fresh_salt_and_nonce() -> None:
    first, second = _header(_sealed()), _header(_sealed())
    # scrypt n=2**15, r=8, p=1 and AES-256-GCM: the parameters the format documents (docs/security.md)
    assert first["kdf"] | {"salt": ""} == {"name": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": ""}
    assert first["cipher"]["name"] == "AES-256-GCM"
    assert len(bytes.fromhex(first["kdf"]["salt"])) == 16
    assert len(bytes.fromhex(first["cipher"]["nonce"])) == 12
    assert first["kdf"]["salt"] != second["kdf"]["salt"]
    assert first["cipher"]["nonce"] != second["cipher"]["nonce"]


def test_a_wrong_passphrase_is_refused() -> None:
    with pytest.raises(EncryptedArchiveError, match=TAMPERED):
        decrypt_bytes(_sealed(), PASSPHRASE + "!")


def test_every_changed_byte_is_refused() -> None:
    sealed = _sealed()
    header_end = len(sealed) - len(PLAIN) - 16  # the GCM tag is 16 bytes
    # one byte in each part: magic, length, header (JSON), ciphertext, tag - and a sample of others
    offsets = {0, len(crypto.MAGIC), len(crypto.MAGIC) + 5, header_end - 3, header_end, len(sealed) - 1}
    offsets |= {secrets.randbelow(len(sealed)) for _ in range(20)}
    for offset in sorted(offsets):
        changed = bytearray(sealed)
        changed[offset] ^= 0x01
        with pytest.raises(EncryptedArchiveError) as raised:
            decrypt_bytes(bytes(changed), PASSPHRASE)
        assert "\n" not in raised.value.message, offset


@pytest.mark.parametrize("keep", [0, 5, 9, 40, -1, -17])
def test_a_truncated_file_is_refused(keep: int) -> None:
    sealed = _sealed()
    with pytest.raises(EncryptedArchiveError):
        decrypt_bytes(sealed[:keep], PASSPHRASE)


def test_a_header_asking_for_huge_work_is_refused_before_deriving() -> None:
    sealed = _sealed()
    header = _header(sealed)
    header["kdf"]["n"] = 2**30
    raw = json.dumps(header).encode()
    forged = crypto.MAGIC + len(raw).to_bytes(2, "big") + raw + b"\x00" * 64
    with pytest.raises(EncryptedArchiveError, match=TAMPERED):
        decrypt_bytes(forged, PASSPHRASE)


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(InputError, match="too short"):
        crypto.check_passphrase("short")


# --- the command line -------------------------------------------------------------------------------


def _case(*args: str, stdin: str | None = None) -> Any:
    return runner.invoke(app, ["case", *args], input=stdin)


def _open(data_dir: Path) -> None:
    path, _ = notice_pdf(data_dir / "in")
    result = _case("new", "--notice", str(path), "--client", "Avery Tester", "--today", "2025-06-05")
    assert result.exit_code == 0, result.output


def test_encrypted_export_and_import_on_a_fresh_store(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings

    _open(data_dir)
    _case("log-call", "1", "--agent", "R. Lee", "--badge", "1000222333", "--summary", "Asked for time")
    before = json.loads(_case("show", "1", "--json").stdout)
    out = data_dir / "case-1.bdx"
    exported = _case("export", "1", str(out), "--encrypt", "--today", "2025-06-20",
                     stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert exported.exit_code == 0, exported.output
    assert PASSPHRASE not in exported.output
    assert out.read_bytes().startswith(crypto.MAGIC)
    assert out.stat().st_mode & 0o077 == 0
    assert not list(data_dir.glob("*.zip"))
    assert not list(data_dir.glob(".*.part"))

    reset_database("default")  # a fresh database and document folder
    monkeypatch.setattr(settings, "DOCUMENTS_DIR", data_dir / "fresh-documents")
    wrong = data_dir / "wrong.txt"
    wrong.write_text("not the passphrase\n", encoding="utf-8")
    refused = _case("import", str(out), "--passphrase-file", str(wrong))
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [f"balancedue: error: case-1.bdx: {TAMPERED}; nothing was imported"]
    assert "No cases yet" in _case("list").stdout

    imported = _case("import", str(out), stdin=f"{PASSPHRASE}\n")
    assert imported.exit_code == 0, imported.output
    assert json.loads(_case("show", "1", "--json").stdout) == before
    assert _case("verify", "1").exit_code == 0


def test_a_changed_encrypted_export_is_refused_and_nothing_imported(data_dir: Path) -> None:
    _open(data_dir)
    secret = data_dir / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    out = data_dir / "case-1.bdx"
    assert _case("export", "1", str(out), "--encrypt", "--passphrase-file", str(secret)).exit_code == 0
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x80
    out.write_bytes(bytes(data))
    reset_database("default")
    refused = _case("import", str(out), "--passphrase-file", str(secret))
    assert refused.exit_code == 2
    assert TAMPERED in refused.output
    assert "Traceback" not in refused.output
    assert "No cases yet" in _case("list").stdout
