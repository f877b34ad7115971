"""Step 5: is this an IRS notice, and which parser reads it?

A parser says how well it fits a document through ``score()``; the pipeline picks the best.
The verdict "not an IRS notice" comes from here: a document without IRS markings is refused
rather than given invented fields.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from balancedue.intake.fields import PARSER, ReadFields, read_fields
from balancedue.intake.models import DocumentText, PageLine
from balancedue.intake.values import CODE
from balancedue.rules.notices import NoticeCatalog

MIN_TEXT_CHARS = 40
"""A document with less readable text than this is taken as a picture, not a letter."""

MIN_IRS_SCORE = 5
"""Points of IRS markings a document needs to be read as an IRS notice."""

_MARKERS: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"internal\s*revenue\s*service", re.IGNORECASE), 3),
    (re.compile(r"department\s*of\s*(?:the\s*)?treasury", re.IGNORECASE), 2),
    (re.compile(r"\birs\.gov\b", re.IGNORECASE), 2),
    (re.compile(r"\bIRS\b"), 1),
    (re.compile(r"united\s*states\s*treasury", re.IGNORECASE), 1),
    (re.compile(r"\bForm\s*(?:1040|941|940|1120|1065|12153|9465|433)", re.IGNORECASE), 1),
)
_CODE = re.compile(CODE, re.IGNORECASE)
_HEADER_NUMBER = re.compile(
    rf"(?:^|\s{{3}})(?:Notice|Letter)(?:\s*(?:number|no\.?))?[\s:]*(?:{CODE}|\d{{2,5}}[A-Z]{{0,2}})\s*$",
    re.MULTILINE,
)
_REVISION_FOOTER = re.compile(rf"(?:{CODE})\s*\(\s*Rev\.?\s*\d", re.IGNORECASE)
REVISION_FOOTER_POINTS = 2
"""Points for the form footer every IRS notice page prints, ``CP2000 (Rev. 11-2004)``: with the
code it makes a page without the letterhead (a later page, a cropped scan) readable."""

HEADER_NUMBER_POINTS = 2
"""Points for a ``Notice <number>`` / ``Letter <number>`` header line whose code is not in the catalog."""


@runtime_checkable
class NoticeParser(Protocol):
    """Reads the fields of one family of documents."""

    name: str
    version: str

    def score(self, text: DocumentText, catalog: NoticeCatalog) -> int:
        """How well this parser fits the document; 0 when it cannot read it."""
        ...

    def parse(self, text: DocumentText, catalog: NoticeCatalog, ocr: bool) -> ReadFields:
        """The fields of the document."""
        ...


class IrsLayoutParser:
    """CP and LT notices and numbered IRS letters."""

    name: str = PARSER.split("/")[0]
    version: str = PARSER.split("/")[1]

    def score(self, text: DocumentText, catalog: NoticeCatalog) -> int:
        return irs_score(text.lines, catalog)

    def parse(self, text: DocumentText, catalog: NoticeCatalog, ocr: bool) -> ReadFields:
        return read_fields(text.lines, catalog, ocr=ocr)


PARSERS: tuple[NoticeParser, ...] = (IrsLayoutParser(),)
"""The parsers tried, best score first."""


def irs_score(lines: Sequence[PageLine], catalog: NoticeCatalog) -> int:
    """Points for IRS markings: the agency's name, the Treasury, irs.gov, a catalog code."""
    text = "\n".join(line.text for line in lines)
    score = sum(points for pattern, points in _MARKERS if pattern.search(text))
    if any(catalog.find(match.group(0)) is not None for match in _CODE.finditer(text)):
        score += 3
    elif _HEADER_NUMBER.search(text):
        score += HEADER_NUMBER_POINTS  # a notice or letter number the catalog does not know yet
    if _REVISION_FOOTER.search(text):
        score += REVISION_FOOTER_POINTS
    return score


def choose_parser(text: DocumentText, catalog: NoticeCatalog) -> tuple[NoticeParser | None, str]:
    """The parser that fits best, or ``None`` with the reason no parser fits."""
    chars = sum(len(line.text.strip()) for line in text.lines)
    if chars < MIN_TEXT_CHARS:
        return None, "no text could be read; it looks like a picture rather than a letter"
    scored = sorted(((parser.score(text, catalog), parser) for parser in PARSERS), key=lambda item: -item[0])
    best_score, best = scored[0]
    if best_score < MIN_IRS_SCORE:
        return None, "it has no IRS markings such as 'Internal Revenue Service' or a notice code like CP14"
    return best, ""
