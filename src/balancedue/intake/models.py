"""Plain data passed between the intake steps and returned to the caller.

Every value is a frozen dataclass.  A :class:`FieldValue` always says where it came from (the
text, the page and, where known, the box on the page) and how sure the reader is; a field that
was not found has ``value=None`` and a ``reason``, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

BBox = tuple[float, float, float, float]
"""A box on a page, ``(x0, top, x1, bottom)`` in the page's own units (PDF points or pixels)."""

FieldScalar = str | int | date | Decimal


class SourceKind(StrEnum):
    """Where the text of a document came from."""

    TEXT_PDF = "text_pdf"        # the PDF's own text layer
    SCANNED_PDF = "scanned_pdf"  # PDF pages without text, read by OCR
    IMAGE = "image"              # a photo or scan, read by OCR
    TEXT = "text"                # plain text, pasted or typed


class Confidence(StrEnum):
    """How a confidence score reads to a person."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text on a page with its box and how sure the text source is of it."""

    text: str
    bbox: BBox
    confidence: float
    page: int


@dataclass(frozen=True, slots=True)
class PageLine:
    """One visual line of a page.

    ``text`` keeps the layout: pieces far apart on the page are joined by at least three spaces
    (a column break).  ``spans`` maps each segment to its ``(start, end)`` offsets in ``text``.
    """

    text: str
    page: int
    segments: tuple[Segment, ...]
    spans: tuple[tuple[int, int], ...]

    @property
    def bbox(self) -> BBox:
        return union_bbox(s.bbox for s in self.segments)

    def evidence(self, start: int, end: int) -> tuple[float, BBox | None]:
        """The lowest confidence and the box of the segments under ``text[start:end]``."""
        hits = [seg for seg, (a, b) in zip(self.segments, self.spans, strict=True) if a < end and start < b]
        if not hits:
            return 1, None
        return min(seg.confidence for seg in hits), union_bbox(seg.bbox for seg in hits)


@dataclass(frozen=True, slots=True)
class PageText:
    """The lines of one page, in reading order."""

    number: int
    lines: tuple[PageLine, ...]
    width: float
    height: float
    source: SourceKind
    rotation: int = 0       # degrees the page image was turned before reading
    skew: float = 0       # degrees of skew corrected


@dataclass(frozen=True, slots=True)
class DocumentText:
    """All the text of a document, page by page, before fields are read."""

    name: str
    source: SourceKind
    pages: tuple[PageText, ...]
    warnings: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[PageLine, ...]:
        return tuple(line for page in self.pages for line in page.lines)

    @property
    def text(self) -> str:
        return "\n\f\n".join("\n".join(line.text for line in page.lines) for page in self.pages)


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A value read from the notice, or ``None`` with the reason it is missing."""

    name: str
    value: FieldScalar | None
    confidence: float
    source_text: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    parser: str = ""
    reason: str | None = None
    text_confidence: float | None = None  # how well the text itself was read (OCR score; 1 for a text layer)

    @property
    def found(self) -> bool:
        return self.value is not None

    def with_confidence(self, confidence: float, reason: str | None = None) -> FieldValue:
        """A copy with another confidence (and, when given, the reason for the change)."""
        return replace(self, confidence=confidence, reason=reason if reason is not None else self.reason)


@dataclass(frozen=True, slots=True)
class TaxPeriod:
    """One tax period named on the notice, with the amount shown for it when there is one."""

    tax_form: str | None
    tax_period_end: date | None
    tax_year: int | None
    amount: Decimal | None
    confidence: float
    source_text: str
    page: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogMatch:
    """What the notice catalog says about the code that was read."""

    code: str
    title: str
    stage: str
    is_bill: bool


@dataclass(frozen=True, slots=True)
class Notice:
    """Everything read from one IRS notice."""

    document: str
    source: SourceKind
    page_count: int
    notice_code: FieldValue
    notice_date: FieldValue
    tax_year: FieldValue
    tax_period_end: FieldValue
    tax_form: FieldValue
    amount_due: FieldValue
    pay_by_date: FieldValue
    respond_by_date: FieldValue
    tax: FieldValue
    penalties: FieldValue
    interest: FieldValue
    payments_and_credits: FieldValue
    taxpayer_id_last4: FieldValue
    phone: FieldValue
    reply_address: FieldValue
    notice_id: FieldValue
    tax_periods: tuple[TaxPeriod, ...]
    catalog: CatalogMatch | None
    says_not_a_bill: bool
    warnings: tuple[str, ...]
    text: str = field(repr=False)
    parser: str = ""

    @property
    def fields(self) -> dict[str, FieldValue]:
        """The single-value fields by name, in the order they are shown."""
        return {name: getattr(self, name) for name in FIELD_NAMES}

    def needs_review(self, threshold: float) -> list[FieldValue]:
        """Fields that were found with a confidence below ``threshold``."""
        return [f for f in self.fields.values() if f.found and f.confidence < threshold]


FIELD_NAMES: tuple[str, ...] = (
    "notice_code",
    "notice_date",
    "tax_year",
    "tax_period_end",
    "tax_form",
    "amount_due",
    "pay_by_date",
    "respond_by_date",
    "tax",
    "penalties",
    "interest",
    "payments_and_credits",
    "taxpayer_id_last4",
    "phone",
    "reply_address",
    "notice_id",
)
"""Every single-value field a notice carries, in display order."""

BREAKDOWN_FIELDS: tuple[str, ...] = ("tax", "penalties", "interest", "payments_and_credits")


def union_bbox(boxes: Iterable[BBox]) -> BBox:
    """The smallest box holding every box in ``boxes``."""
    items = list(boxes)
    if not items:
        return (0, 0, 0, 0)
    return (
        min(b[0] for b in items),
        min(b[1] for b in items),
        max(b[2] for b in items),
        max(b[3] for b in items),
    )
