"""Step 1 of the pipeline: what kind of document is this?

The kind is decided from the first bytes (the file's signature), never from its name, so a
PNG called ``notice.pdf`` is still read as a picture.
"""

from __future__ import annotations

from enum import StrEnum

from balancedue.errors import DocumentTooLargeError, EmptyDocumentError, UnreadableDocumentError

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
"""Larger files are refused: no IRS notice, even photographed, comes near this size."""

MAX_TEXT_BYTES = 2 * 1024 * 1024
"""The largest notice read as text: a notice is a few pages (tens of kilobytes); a text of
megabytes is not one, and reading it would take minutes and gigabytes."""

TEXT_SNIFF_BYTES = 4096
"""How much of a file is looked at to decide whether it is plain text."""

MIN_PRINTABLE_SHARE = 95 / 100
"""Share of printable characters a file must have to count as plain text."""


class FileKind(StrEnum):
    """The kinds of input the pipeline can read."""

    PDF = "pdf"
    IMAGE = "image"
    HEIF = "heif"
    TEXT = "text"


_IMAGE_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",          # JPEG
    b"II*\x00",               # TIFF, little-endian
    b"MM\x00*",               # TIFF, big-endian
    b"GIF87a",
    b"GIF89a",
    b"BM",                    # BMP
)
_HEIF_BRANDS: tuple[bytes, ...] = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif")


def detect_kind(data: bytes, name: str) -> FileKind:
    """The kind of ``data``; an error naming ``name`` when it is empty, too large or unknown."""
    if not data:
        raise EmptyDocumentError(name, "the file is empty (0 bytes)", "check that it was saved or downloaded completely")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLargeError(
            name,
            f"the file is {len(data) // (1024 * 1024)} MB, more than the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit",
            "save the notice as a smaller PDF or photo",
        )
    head = data[:1024]
    if b"%PDF-" in head:
        return FileKind.PDF
    if any(data.startswith(sig) for sig in _IMAGE_SIGNATURES):
        return FileKind.IMAGE
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        return FileKind.IMAGE
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return FileKind.HEIF
    if _looks_like_text(data[:TEXT_SNIFF_BYTES]):
        return FileKind.TEXT
    raise UnreadableDocumentError(
        name, "not a PDF, an image (PNG, JPEG, TIFF, HEIC) or a text file", "scan or photograph the notice again"
    )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    text = decode_text(head, strict=False)
    if not text.strip():
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\r\n\t\f")
    return printable / len(text) >= MIN_PRINTABLE_SHARE


def decode_text(data: bytes, strict: bool = True) -> str:
    """Text from bytes: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", errors="strict" if strict else "replace")
