"""Candidates: every place a field's value could have come from, and how they are weighed.

A field rule finds candidates in the lines (a label and the value next to it).  Candidates that
agree on the same value back each other up; candidates that disagree make the field uncertain.
Thresholds are named here; they describe how sure the reader is, they are not tax law.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from balancedue.intake.confidence import HIGH as HIGH_CONFIDENCE
from balancedue.intake.confidence import REVIEW as REVIEW_CONFIDENCE
from balancedue.intake.models import FieldScalar, FieldValue, PageLine

__all__ = ["HIGH_CONFIDENCE", "REVIEW_CONFIDENCE"]

OCR_SINGLE_SOURCE_CAP = 88 / 100
"""An OCR reading seen once, with nothing to check it against, stays below HIGH_CONFIDENCE."""

CONFLICT_CAP = 50 / 100
"""Confidence of a field when strong candidates disagree on its value."""

FAILED_CHECK_CAP = 45 / 100
"""Confidence of a field whose value fails a consistency check."""

REPAIRED_FACTOR = 92 / 100
"""Applied when a value needed repairs of typical OCR slips (``S`` for ``$``, ``.`` for ``,``)."""

MAX_CONFIDENCE = 999 / 1000

SOURCE_TEXT_LIMIT = 160


@dataclass(frozen=True, slots=True)
class Candidate:
    """A value found in a line by one rule."""

    value: FieldScalar
    weight: float
    line: PageLine
    start: int
    end: int
    repaired: bool = False

    @property
    def source_confidence(self) -> float:
        return self.line.evidence(self.start, self.end)[0]

    @property
    def confidence(self) -> float:
        factor = REPAIRED_FACTOR if self.repaired else 1
        return self.source_confidence * self.weight * factor


@dataclass(frozen=True, slots=True)
class Rule:
    """A pattern with a named group ``v`` for the value, and how much a match is worth."""

    pattern: re.Pattern[str]
    weight: float


def rule(pattern: str, weight: float = 1) -> Rule:
    return Rule(re.compile(pattern, re.IGNORECASE), weight)


Parser = Callable[[str], tuple[FieldScalar, bool] | None]


def find_candidates(lines: Iterable[PageLine], rules: Sequence[Rule], parse: Parser) -> list[Candidate]:
    """Every value the rules find in the lines, parsed; unparseable matches are dropped."""
    found: list[Candidate] = []
    for line in lines:
        for item in rules:
            for match in item.pattern.finditer(line.text):
                parsed = parse(match.group("v"))
                if parsed is None:
                    continue
                value, repaired = parsed
                found.append(Candidate(value, item.weight, line, match.start(), match.end(), repaired))
    return found


def source_text(line: PageLine, start: int = 0, end: int | None = None) -> str:
    """The text a value came from: the column cells of ``line`` under ``[start, end)``."""
    stop = len(line.text) if end is None else end
    pieces = [m for m in re.finditer(r"\S+(?: \S+)*", line.text) if m.start() < stop and start < m.end()]
    text = " ".join(" ".join(m.group(0).split()) for m in pieces) if pieces else " ".join(line.text.split())
    return text if len(text) <= SOURCE_TEXT_LIMIT else text[: SOURCE_TEXT_LIMIT - 1] + "…"


def combine(confidences: Iterable[float]) -> float:
    """Confidence of independent sightings that agree: 1 - product of the doubts."""
    doubt: float = 1
    for value in confidences:
        doubt *= 1 - max(0, min(1, value))
    return min(MAX_CONFIDENCE, 1 - doubt)


def missing(name: str, reason: str, parser: str) -> FieldValue:
    return FieldValue(name=name, value=None, confidence=0, parser=parser, reason=reason)


def resolve(
    name: str, candidates: Sequence[Candidate], *, ocr: bool, parser: str, not_found: str
) -> tuple[FieldValue, list[str]]:
    """The best-supported value among the candidates, with warnings about disagreements."""
    if not candidates:
        return missing(name, not_found, parser), []
    support: dict[FieldScalar, list[Candidate]] = {}
    for candidate in candidates:
        support.setdefault(candidate.value, []).append(candidate)

    def strength(items: list[Candidate]) -> tuple[float, float]:
        best = max(c.weight for c in items)
        return best, sum(c.confidence for c in items)

    ranked = sorted(support.items(), key=lambda kv: strength(kv[1]), reverse=True)
    value, backing = ranked[0]
    best = max(backing, key=lambda c: (c.weight, c.confidence))
    by_line: dict[int, float] = {}
    for c in backing:
        by_line[id(c.line)] = max(by_line.get(id(c.line), 0), c.confidence)
    if len(by_line) >= 2:
        confidence = combine(by_line.values())
    else:
        confidence = best.confidence
        if ocr:
            confidence = min(confidence, OCR_SINGLE_SOURCE_CAP)
    warnings: list[str] = []
    reason = None
    rivals = [v for v, items in ranked[1:] if max(c.weight for c in items) >= best.weight * 95 / 100]
    if rivals:
        confidence = min(confidence, CONFLICT_CAP)
        shown = ", ".join(str(v) for v in rivals[:3])
        reason = f"the notice also shows {shown}"
        warnings.append(f"{name}: the notice shows different values ({value}, {shown}); check which is right")
    _, bbox = best.line.evidence(best.start, best.end)
    return (
        FieldValue(
            name=name,
            value=value,
            confidence=round(min(MAX_CONFIDENCE, confidence), 4),
            source_text=source_text(best.line, best.start, best.end),
            page=best.line.page,
            bbox=bbox,
            parser=parser,
            reason=reason,
            text_confidence=round(best.source_confidence, 4),
        ),
        warnings,
    )
