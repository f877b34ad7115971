"""Keeping full taxpayer ids out of every letter.

A letter names the taxpayer's id only by its last four digits ("SSN ending 1234").  Text that
looks like a whole SSN, ITIN or EIN (nine digits, bare or in the usual groups) is refused
rather than silently rewritten: the letter quotes the taxpayer's own words, and a changed word
in a letter to the IRS should be the taxpayer's decision.  Error messages show the suspect
number masked, never whole.
"""

from __future__ import annotations

import re

from balancedue.identifiers import find, masked_last_four
from balancedue.letters.context import IdKind

LAST_FOUR = re.compile(r"\d{4}")


def find_full_ids(text: str) -> list[str]:
    """Every run of text that looks like a complete taxpayer id, as found (any separator or
    prefix, see :mod:`balancedue.identifiers`)."""
    return find(text)


def mask_id(last4: str, kind: IdKind = IdKind.SSN) -> str:
    """``"1234"`` -> ``"XXX-XX-1234"`` (``"XX-XXX1234"`` for an EIN)."""
    return f"XX-XXX{last4}" if kind is IdKind.EIN else f"XXX-XX-{last4}"


def masked(found: str) -> str:
    """A suspect id as it may be shown in a message: all but the last four digits hidden."""
    return masked_last_four(found)


def id_reference(last4: str, kind: IdKind = IdKind.SSN) -> str:
    """``"SSN ending 1234"``: how a letter names the taxpayer's id."""
    return f"{kind.value} ending {last4}"
