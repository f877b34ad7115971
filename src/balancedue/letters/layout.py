"""The shape of a rendered letter: blocks of lines, shared by the text, PDF and DOCX forms.

A template writes one logical line per line (a paragraph is one long line) and separates
blocks with a blank line; two or more blank lines in a row leave room, as for a signature.
Lines are read as:

* an *item*: ``1. text`` or ``- text``, set with a hanging indent;
* an *indented* line: starts with spaces, set indented (the lines under "Re:");
* a *heading*: the "Re:" line, set in bold where the format allows;
* a plain line otherwise.

The plain-text form wraps long lines at :data:`TEXT_WIDTH` columns; the PDF and DOCX forms
let the page wrap them, so the same words appear in all three.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from enum import StrEnum

TEXT_WIDTH = 78  # not law: the column width of the plain-text letter
INDENT = "    "
ITEM = re.compile(r"^(?P<marker>\d+\.|-)\s+(?P<text>.*)$")


class LetterLineKind(StrEnum):
    """How one line of a letter is set."""

    PLAIN = "plain"
    HEADING = "heading"
    INDENTED = "indented"
    ITEM = "item"


@dataclass(frozen=True, slots=True)
class LetterLine:
    """One logical line: its kind, its list marker (items only) and its words."""

    kind: LetterLineKind
    text: str
    marker: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """Lines set together; ``gap_before`` is the number of blank lines above it."""

    lines: tuple[LetterLine, ...]
    gap_before: int = 1


def _line(raw: str) -> LetterLine:
    if raw.startswith((" ", "\t")):
        return LetterLine(LetterLineKind.INDENTED, raw.strip())
    match = ITEM.match(raw)
    if match:
        return LetterLine(LetterLineKind.ITEM, match["text"].strip(), match["marker"])
    if raw.startswith("Re:"):
        return LetterLine(LetterLineKind.HEADING, raw.strip())
    return LetterLine(LetterLineKind.PLAIN, raw.strip())


def parse_blocks(raw: str) -> tuple[Block, ...]:
    """The blocks of a rendered template (see the module note for the conventions)."""
    blocks: list[Block] = []
    current: list[LetterLine] = []
    blanks = 0
    gap = 0
    for raw_line in raw.splitlines():
        if not raw_line.strip():
            if current:
                blocks.append(Block(tuple(current), gap_before=gap))
                current = []
                blanks = 0
            blanks += 1
            continue
        if not current:
            gap = max(blanks, 1) if blocks else 0
            blanks = 0
        current.append(_line(raw_line.rstrip()))
    if current:
        blocks.append(Block(tuple(current), gap_before=gap))
    return tuple(blocks)


def _wrap(line: LetterLine) -> list[str]:
    if line.kind is LetterLineKind.ITEM:
        lead = f"{line.marker} "
        return textwrap.wrap(
            line.text, TEXT_WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead),
            break_on_hyphens=False,
        ) or [lead.rstrip()]
    if line.kind is LetterLineKind.INDENTED:
        return textwrap.wrap(
            line.text, TEXT_WIDTH, initial_indent=INDENT, subsequent_indent=INDENT * 2,
            break_on_hyphens=False,
        )
    return textwrap.wrap(line.text, TEXT_WIDTH, break_on_hyphens=False)


def format_text(blocks: tuple[Block, ...]) -> str:
    """The letter as plain text, wrapped at :data:`TEXT_WIDTH` columns, ending in a newline."""
    out: list[str] = []
    for block in blocks:
        out.extend([""] * block.gap_before)
        for line in block.lines:
            out.extend(_wrap(line))
    return "\n".join(out) + "\n"
