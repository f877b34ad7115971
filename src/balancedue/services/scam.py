"""User action: "is this really the IRS?" for a text, a file, a phone number or a link.

Text files (``.txt``, ``.md``) and saved e-mails (``.eml``) are read here.  Letters saved as
PDF or photographed go through the notice reader (``balancedue.intake``), found by
:func:`notice_reader`; where it is not installed, such files get a clear error that says how to
check the letter anyway.  Text read by OCR is flagged so that spelling-based signals are skipped.
"""

from __future__ import annotations

import email
import html
import re
from collections.abc import Callable
from datetime import date
from email import policy
from email.message import EmailMessage
from pathlib import Path

from balancedue.advice.scam import ScamVerdict, check_message, check_phone, check_url
from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.rules.scam_signals import InputKind, Verdict

__all__ = [
    "InputKind",
    "ScamVerdict",
    "Verdict",
    "check_notice_text",
    "decode_text",
    "read_email",
    "read_file",
    "scam_check",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
EMAIL_SUFFIXES = frozenset({".eml"})
MAX_FILE_BYTES = 10 * 1024 * 1024

DocumentReader = Callable[[Path], tuple[str, bool]]
"""Reads a PDF or photo: the text, and whether it was read by OCR (from a scan or photo)."""

_TAG = re.compile(r"<[^>]{0,2000}>")


def decode_text(data: bytes, what: str) -> str:
    """Bytes of a text file -> text; empty or binary input is a clear :class:`InputError`."""
    if not data.strip():
        raise InputError(f"nothing to check: {what} is empty")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            f"{what} looks like a binary file, not text; give a .txt or .eml file or the words"
        )
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputError(
        f"{what} is not readable text (it is not UTF-8); save it as UTF-8 text and try again"
    )


def read_email(data: bytes, what: str) -> str:
    """The headers that matter (From, Reply-To, Subject) and the text of a saved e-mail."""
    decode_text(data, what)  # empty or binary files fail here with the usual message
    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default always gives one
        raise InputError(f"{what} is not an e-mail message")
    lines = [
        f"{name}: {message[name]}" for name in ("From", "Reply-To", "Subject") if message[name]
    ]
    body = message.get_body(preferencelist=("plain", "html"))
    content = ""
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, ValueError):
            content = ""
        if body.get_content_type() == "text/html":
            content = html.unescape(_TAG.sub(" ", content))
    names = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    if names:
        lines.append("Attached file: " + ", ".join(str(n) for n in names))
    text = "\n".join([*lines, "", content]).strip()
    if not content.strip() and not lines:
        raise InputError(f"nothing to check: {what} has no text")
    return text


def read_file(path: Path, rules: RuleSet) -> tuple[str, InputKind | None, bool]:
    """The text of a letter or message file, the kind it implies (``.eml`` -> message), and
    whether it was read by the notice reader (a scan or photo: spelling is not reliable)."""
    if not path.exists():
        raise InputError(f"file {str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"{str(path)!r} is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"file {path.name!r} is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
    suffix = path.suffix.lower()
    what = f"file {path.name!r}"
    if suffix in EMAIL_SUFFIXES:
        return read_email(path.read_bytes(), what), InputKind.MESSAGE, False
    if suffix in TEXT_SUFFIXES or suffix == "":
        return decode_text(path.read_bytes(), what), None, False
    reader = notice_reader(rules)
    if reader is not None:
        text, scanned = reader(path)
        return text, InputKind.LETTER, scanned
    raise InputError(
        f"{what}: reading PDF or photographed letters needs the notice reader, which is not "
        "available in this version; paste the letter's words as TEXT or save them in a .txt file"
    )


def notice_reader(rules: RuleSet) -> DocumentReader | None:
    """The notice reader for PDFs and photos, or ``None`` where it is not installed."""
    try:
        from balancedue.intake import SourceKind, read_document  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    scanned_sources = {SourceKind.SCANNED_PDF, SourceKind.IMAGE}

    def read(path: Path) -> tuple[str, bool]:
        notice = read_document(path, rules=rules)
        return str(notice.text), notice.source in scanned_sources

    return read


def scam_check(
    *,
    text: str | None = None,
    file: Path | None = None,
    phone: str | None = None,
    url: str | None = None,
    kind: InputKind | None = None,
    today: date,
    rules: RuleSet,
) -> ScamVerdict:
    """Check exactly one of: a text, a file, a phone number or a link."""
    given = [
        name
        for name, value in (("TEXT", text), ("--file", file), ("--phone", phone), ("--url", url))
        if value is not None
    ]
    if len(given) != 1:
        raise InputError(
            "give exactly one thing to check: TEXT, --file, --phone or --url"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if phone is not None:
        return check_phone(phone, rules, as_of=today)
    if url is not None:
        return check_url(url, rules, as_of=today)
    if file is not None:
        content, implied, scanned = read_file(file, rules)
        return check_message(content, rules, kind=kind or implied, as_of=today, from_ocr=scanned)
    assert text is not None
    return check_message(text, rules, kind=kind, as_of=today)


def check_notice_text(
    text: str, today: date, *, from_ocr: bool, rules: RuleSet
) -> ScamVerdict:
    """The "Is this real?" section of an analysis: the scam check of a notice's text.

    ``from_ocr``: the text came from a scan or photo (spelling-based signals are skipped).
    """
    return check_message(
        text, rules, kind=InputKind.LETTER, as_of=today, from_ocr=from_ocr
    )
