"""Encrypted case exports: a finished export zip sealed with a passphrase.

File layout (``.bdx``)::

    magic (8 bytes) | header length (2 bytes, big-endian) | header (JSON, UTF-8) | ciphertext+tag

The header names the format version, the key-derivation function and its parameters (scrypt,
n=2**15, r=8, p=1, a random 16-byte salt), the cipher (AES-256-GCM) and its random 12-byte
nonce.  Everything before the ciphertext - magic, length and header - is the associated data,
so a change to any byte of the file, header included, makes decryption fail.  A wrong
passphrase and a changed file cannot be told apart, and the error says so.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from balancedue.errors import InputError

MAGIC = b"BDXCASE\x00"
FORMAT_VERSION = 1
KDF_NAME = "scrypt"
SCRYPT_N = 2**15  # not law: scrypt cost (OWASP minimum for interactive use)
SCRYPT_R = 8  # not law: scrypt block size
SCRYPT_P = 1  # not law: scrypt parallelism
SCRYPT_MAX_N = 2**20  # not law: refuse headers asking for more work than this (a hostile file)
SALT_BYTES = 16  # not law: salt length
NONCE_BYTES = 12  # not law: the AES-GCM nonce length
KEY_BYTES = 32  # not law: AES-256
LENGTH_BYTES = 2  # not law: the header length field
MAX_HEADER_BYTES = 1024  # not law: a header is a few hundred bytes
CIPHER_NAME = "AES-256-GCM"
MAX_ENCRYPTED_BYTES = 4 * 1024 * 1024 * 1024  # not law: the export size limit of case import
TAG_BYTES = 16  # not law: the AES-GCM tag, after the ciphertext
STREAM_CHUNK = 1024 * 1024  # not law: how much is encrypted or decrypted at a time
MIN_PASSPHRASE_CHARS = 8  # not law: a floor, not a strength meter
TAMPERED = "wrong passphrase, or the file was changed"


class EncryptedArchiveError(InputError):
    """An encrypted export that cannot be opened: wrong passphrase, changed or damaged."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name}: {problem}; nothing was imported")
        self.problem = problem


def is_encrypted(path: Path) -> bool:
    """Whether the file starts with the encrypted-export magic."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def check_passphrase(passphrase: str) -> str:
    """The passphrase, if long enough to protect an export."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise InputError(f"the passphrase is too short; use at least {MIN_PASSPHRASE_CHARS} characters")
    return passphrase


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=KEY_BYTES, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _prefix(salt: bytes, nonce: bytes) -> bytes:
    """The magic, the header's length and the header: the associated data of the cipher."""
    header = json.dumps(
        {
            "version": FORMAT_VERSION,
            "kdf": {"name": KDF_NAME, "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": salt.hex()},
            "cipher": {"name": CIPHER_NAME, "nonce": nonce.hex()},
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    return MAGIC + len(header).to_bytes(LENGTH_BYTES, "big") + header


def encrypt_bytes(plain: bytes, passphrase: str) -> bytes:
    """Seal ``plain`` with a key derived from ``passphrase``: header and ciphertext."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    prefix = _prefix(salt, nonce)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return prefix + AESGCM(key).encrypt(nonce, plain, prefix)


def _header(name: str, data: bytes) -> tuple[dict[str, Any], int]:
    if not data.startswith(MAGIC):
        raise EncryptedArchiveError(name, "not an encrypted balancedue export")
    start = len(MAGIC) + LENGTH_BYTES
    if len(data) < start:
        raise EncryptedArchiveError(name, TAMPERED)
    length = int.from_bytes(data[len(MAGIC):start], "big")
    if length > MAX_HEADER_BYTES or len(data) < start + length:
        raise EncryptedArchiveError(name, TAMPERED)
    try:
        header = json.loads(data[start:start + length].decode("utf-8"))
        kdf, cipher = header["kdf"], header["cipher"]
        valid = (
            header["version"] == FORMAT_VERSION
            and kdf["name"] == KDF_NAME
            and cipher["name"] == CIPHER_NAME
            and all(type(kdf[k]) is int and kdf[k] >= 1 for k in ("n", "r", "p"))
            and kdf["n"] <= SCRYPT_MAX_N
            and kdf["r"] * kdf["p"] <= SCRYPT_R * SCRYPT_P
            and len(bytes.fromhex(kdf["salt"])) == SALT_BYTES
            and len(bytes.fromhex(cipher["nonce"])) == NONCE_BYTES
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        valid = False
    if not valid:
        raise EncryptedArchiveError(name, TAMPERED)
    return header, start + length


def decrypt_bytes(data: bytes, passphrase: str, name: str = "the file") -> bytes:
    """The sealed bytes, if the passphrase is right and no byte changed."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header, body = _header(name, data)
    kdf = header["kdf"]
    try:
        key = _derive(passphrase, bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
        return AESGCM(key).decrypt(bytes.fromhex(header["cipher"]["nonce"]), data[body:], data[:body])
    except (InvalidTag, ValueError, MemoryError):
        raise EncryptedArchiveError(name, TAMPERED) from None


def encrypt_file(source: Path, out: Path, passphrase: str) -> None:
    """Write ``source`` sealed to ``out`` (mode 0600, written whole then renamed), a megabyte at a
    time; the file is the same as :func:`encrypt_bytes` would make."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    check_passphrase(passphrase)
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    prefix = _prefix(salt, nonce)
    key = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encryptor = Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(prefix)
    temp = out.with_name(f".{out.name}.{secrets.token_hex(8)}.part")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream, source.open("rb") as plain:
            stream.write(prefix)
            while chunk := plain.read(STREAM_CHUNK):
                stream.write(encryptor.update(chunk))
            stream.write(encryptor.finalize())
            stream.write(encryptor.tag)
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def decrypt_file_to(source: Path, target: Path, passphrase: str) -> None:
    """Decrypt ``source`` into the new file ``target`` (0600) a megabyte at a time.

    Memory stays flat whatever the size.  The tag is checked at the end: if the passphrase is
    wrong or a byte changed, ``target`` is removed before the error is raised, so nothing
    unchecked is ever used (the caller keeps ``target`` in a private folder meanwhile).
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    name = source.name
    try:
        size = source.stat().st_size
        if size > MAX_ENCRYPTED_BYTES:
            raise EncryptedArchiveError(name, "larger than any export balancedue writes")
        with source.open("rb") as stream:
            head = stream.read(len(MAGIC) + LENGTH_BYTES + MAX_HEADER_BYTES)
            header, body = _header(name, head)
            if size < body + TAG_BYTES:
                raise EncryptedArchiveError(name, TAMPERED)
            stream.seek(size - TAG_BYTES)
            tag = stream.read(TAG_BYTES)
            kdf = header["kdf"]
            try:
                key = _derive(passphrase, bytes.fromhex(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
            except (ValueError, MemoryError):
                raise EncryptedArchiveError(name, TAMPERED) from None
            nonce = bytes.fromhex(header["cipher"]["nonce"])
            decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
            decryptor.authenticate_additional_data(head[:body])
            stream.seek(body)
            left = size - TAG_BYTES - body
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            try:
                with os.fdopen(descriptor, "wb") as out:
                    while left > 0:
                        chunk = stream.read(min(STREAM_CHUNK, left))
                        if not chunk:
                            raise EncryptedArchiveError(name, TAMPERED)
                        left -= len(chunk)
                        out.write(decryptor.update(chunk))
                    try:
                        out.write(decryptor.finalize())
                    except InvalidTag:
                        raise EncryptedArchiveError(name, TAMPERED) from None
            except BaseException:
                target.unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
