"""Turn positioned pieces of text (PDF words, OCR boxes) into lines that keep the page layout.

The same code serves the PDF text layer and OCR, so the field reader sees one kind of text:
lines in reading order, where pieces far apart on the page are joined by a run of at least
three spaces (``COLUMN_GAP``), which marks a column break.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from balancedue.intake.models import PageLine, Segment
from balancedue.intake.values import mask_ids

COLUMN_GAP = "   "
"""Text placed between two pieces of a line that stand in different columns."""

MIN_COLUMN_GAP_CHARS = 8 / 5
"""A gap wider than this many average character widths is a column break, not a space."""

MAX_PAD_SPACES = 40
"""The widest run of spaces used to show a column break."""

_CELL_SPLIT = re.compile(r" {3,}")


@dataclass(frozen=True, slots=True)
class Cell:
    """A column cell of a line: its text and its offsets in the line."""

    text: str
    start: int
    end: int


def build_lines(segments: Iterable[Segment]) -> tuple[PageLine, ...]:
    """Group segments into lines, top to bottom, each line left to right."""
    items = [replace(s, text=mask_ids(" ".join(s.text.split()))) for s in segments if s.text.strip()]
    if not items:
        return ()
    heights = [max(1, s.bbox[3] - s.bbox[1]) for s in items]
    typical = statistics.median(heights)
    items.sort(key=lambda s: ((s.bbox[1] + s.bbox[3]) / 2, s.bbox[0]))
    groups: list[list[Segment]] = []
    centers: list[float] = []
    for seg in items:
        center = (seg.bbox[1] + seg.bbox[3]) / 2
        if groups and abs(center - centers[-1]) <= typical * 1 / 2:
            groups[-1].append(seg)
            count = len(groups[-1])
            centers[-1] = centers[-1] + (center - centers[-1]) / count
        else:
            groups.append([seg])
            centers.append(center)
    return tuple(_join(group) for group in groups)


def _char_width(group: Sequence[Segment]) -> float:
    widths = [
        (s.bbox[2] - s.bbox[0]) / len(s.text) for s in group if len(s.text.strip()) >= 2 and s.bbox[2] > s.bbox[0]
    ]
    if not widths:
        return max(1, statistics.median(s.bbox[3] - s.bbox[1] for s in group) * 1 / 2)
    return max(1 / 2, statistics.median(widths))


def _join(group: list[Segment]) -> PageLine:
    group.sort(key=lambda s: s.bbox[0])
    char_w = _char_width(group)
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    previous: Segment | None = None
    for seg in group:
        text = seg.text
        if previous is not None:
            gap = seg.bbox[0] - previous.bbox[2]
            if gap > MIN_COLUMN_GAP_CHARS * char_w:
                pad = " " * min(MAX_PAD_SPACES, max(len(COLUMN_GAP), round(gap / char_w)))
            else:
                pad = " "
            parts.append(pad)
            offset += len(pad)
        spans.append((offset, offset + len(text)))
        parts.append(text)
        offset += len(text)
        previous = seg
    return PageLine(text=mask_ids("".join(parts)), page=group[0].page, segments=tuple(group), spans=tuple(spans))


def lines_from_plain_text(text: str, page: int = 1) -> tuple[PageLine, ...]:
    """Lines of pasted or typed text; tabs and runs of three spaces count as column breaks.

    Each column cell becomes a segment whose box is its character offsets, so cells line up
    in columns the way words on a page do.
    """
    lines: list[PageLine] = []
    for row, raw in enumerate(text.splitlines()):
        cleaned = mask_ids(raw.replace("\t", COLUMN_GAP).rstrip())
        if not cleaned.strip():
            continue
        pieces = [m for m in re.finditer(r"\S+(?: \S+)*", cleaned)]
        segments = tuple(
            Segment(text=m.group(0), bbox=(float(m.start()), float(row), float(m.end()), float(row + 1)), confidence=1, page=page)
            for m in pieces
        )
        spans = tuple((m.start(), m.end()) for m in pieces)
        lines.append(PageLine(text=cleaned, page=page, segments=segments, spans=spans))
    return tuple(lines)


def cells(line: PageLine) -> list[Cell]:
    """The column cells of a line, split at column breaks."""
    found: list[Cell] = []
    start = 0
    text = line.text
    for match in _CELL_SPLIT.finditer(text):
        if text[start : match.start()].strip():
            found.append(Cell(text[start : match.start()].strip(), start + _lead(text[start : match.start()]), match.start()))
        start = match.end()
    if text[start:].strip():
        found.append(Cell(text[start:].strip(), start + _lead(text[start:]), len(text.rstrip())))
    return found


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())
