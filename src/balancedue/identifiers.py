"""The one place that recognises a full taxpayer id (SSN, ITIN or EIN) and masks it.

Every way text enters balancedue - a notice's text and OCR, a file's name (web upload and command
line), notes, call summaries, letter facts, finances, records, an imported case archive, an error
message - passes through :func:`mask` before it is kept, shown or logged, so a full number is
never stored, never sealed in a case's journal and never printed.  This module imports nothing of
balancedue, so every layer can use it.

What counts as a full id, wherever it stands in the text (glued to letters, an underscore or a
prefix such as ``SSN``, ``TIN``, ``ITIN`` or ``EIN``, at the start, the end or inside a word):

* three, two and four digits (SSN, ITIN) with a separator between the groups: ``NNN-NN-NNNN``;
* two and seven digits (EIN): ``12-3456789``;
* nine digits in a row: ``123456789``;
* after a label (``SSN``, ``TIN``, ``ITIN``, ``EIN``, "social security number", "employer
  identification number", "taxpayer identification number"), nine digits grouped any way:
  ``SSN 12345-6789``.

A separator is any dash (every Unicode dash, the minus sign, the soft hyphen), a dot, an
underscore, a slash, a middle dot, any space (also the no-break and the ideographic ones), an
invisible zero-width character, or a few of them together (``123 - 45 - 6789``).  Digits of any
script count (``１２３``).  The digits must not touch other digits, so a longer number (a
14-digit document locator, an amount with cents) is left alone; a ZIP+4 code (``12345-6789``)
is left alone unless a label stands before it.

The mask keeps the length and the separators and replaces every digit but the last four with
``X``: ``NNN-NN-6789`` becomes ``XXX-XX-6789``, ``12-3456789`` becomes ``XX-XXX6789``.  Offsets
into a masked text therefore stay valid.
"""

from __future__ import annotations

import re

DASHES = (
    "\u002d\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b"
    "\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead"
    "\u2212\u00ad\u2043\u02d7\u2796\ufe6a"
)
"""Every dash of Unicode (category Pd), the minus signs and the soft hyphen."""

MARKS = "._/\u00b7\u2022\u2024\u2027\u30fb\uff0e\uff3f\uff0f\u2219"
"""Other marks printed between digit groups: dots, underscores, slashes, middle dots."""

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
"""Zero-width characters, which a copied or crafted text may hold between digits."""

SEPARATORS = DASHES + MARKS
"""Every visible separator recognised between the groups of a number."""

_SPACE = rf"[\s{INVISIBLE}]"
_MARK = f"[{re.escape(SEPARATORS)}]"
# A separator: one to three spaces, or a mark with up to two spaces on each side.
_SEP = rf"(?:{_SPACE}{{1,3}}|{_SPACE}{{0,2}}{_MARK}{_SPACE}{{0,2}})"
_ANY_SEP = rf"{_SEP}?"
_D = r"\d"

_SHAPED = re.compile(
    rf"(?<!\d)(?:"
    rf"{_D}{{3}}{_SEP}{_D}{{2}}{_SEP}{_D}{{4}}"  # SSN / ITIN in groups
    rf"|{_D}{{2}}{_SEP}{_D}{{7}}"  # EIN
    rf"|{_D}{{9}}"  # any of them without separators
    rf")(?!\d)"
)

LABELS = (
    "ssn",
    "itin",
    "tin",
    "ein",
    "social security number",
    "social security no",
    "social security",
    "employer identification number",
    "employer id number",
    "taxpayer identification number",
    "taxpayer id number",
    "taxpayer id",
)
"""Words that announce a taxpayer id; after one, nine digits are an id however grouped."""

_LABEL = "|".join(r"[\s_\-]*".join(map(re.escape, label.split())) for label in sorted(LABELS, key=len, reverse=True))
_LABELLED = re.compile(
    rf"(?i)(?:{_LABEL})(?:[^\w]|_){{0,6}}(?<!\d)({_D}(?:{_ANY_SEP}{_D}){{8}})(?!\d)"
)


_DIGIT = re.compile(r"\d")


def _hide(found: str) -> str:
    """Every digit but the last four replaced by ``X``; separators stay."""
    positions = [index for index, char in enumerate(found) if char.isdecimal()]
    hidden = set(positions[:-4])
    return "".join("X" if index in hidden else char for index, char in enumerate(found))


def find(text: str) -> list[str]:
    """Every full id in ``text``, as it is written there (empty when there is none)."""
    found = [match.group(1) for match in _LABELLED.finditer(text)]
    found.extend(match.group() for match in _SHAPED.finditer(text))
    return found


def contains(text: str) -> bool:
    """Whether ``text`` holds a full SSN, ITIN or EIN."""
    return bool(_SHAPED.search(text) or _LABELLED.search(text))


def mask(text: str) -> str:
    """``text`` with every full SSN, ITIN or EIN cut to its last four digits, length kept."""
    if not _DIGIT.search(text):
        return text
    text = _LABELLED.sub(lambda m: m.group()[: m.start(1) - m.start()] + _hide(m.group(1)), text)
    return _SHAPED.sub(lambda m: _hide(m.group()), text)


HASH_KEYS = frozenset({"sha256", "hash", "prev_hash", "uid"})
"""Keys whose values are hexadecimal digests or ids, never text: a digest may hold nine decimal
digits in a row by chance, and masking it would break what it names."""


def mask_value(value: object, keep: frozenset[str] = HASH_KEYS) -> object:
    """``value`` with :func:`mask` applied to every string in it (lists, tuples and dicts, keys
    too), except the values of the keys in ``keep``."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_value(item, keep) for item in value]
    if isinstance(value, tuple):
        return tuple(mask_value(item, keep) for item in value)
    if isinstance(value, dict):
        return {
            (mask(key) if isinstance(key, str) else key): (item if key in keep else mask_value(item, keep))
            for key, item in value.items()
        }
    return value


def masked_last_four(found: str) -> str:
    """A suspect id as a message may show it: ``XXX-XX-6789``."""
    digits = [char for char in found if char.isdecimal()]
    return "XXX-XX-" + "".join(digits[-4:])
