"""Free text as the user types it, checked and masked before it is kept."""

from __future__ import annotations

import unicodedata

from balancedue.errors import InputError
from balancedue.intake.values import mask_ids

MAX_TEXT = 4000
"""Longest free text (a summary, a note, a reason) kept in one journal field."""


def clean_text(value: str | None, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    """Free text as it is kept: trimmed, any full SSN/ITIN/EIN masked, within ``limit``."""
    text = (value or "").strip()
    if "\x00" in text:
        raise InputError(f"{field} holds a NUL character; remove it")
    control = next((c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t"), None)
    if control is not None:
        raise InputError(f"{field} holds a control character (U+{ord(control):04X}); remove it")
    if required and not text:
        raise InputError(f"{field} is empty; say what it is")
    if len(text) > limit:
        raise InputError(f"{field} is {len(text):,} characters long; keep it under {limit:,}")
    return mask_ids(text) if text else None
