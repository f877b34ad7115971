"""Document intake: read an IRS notice from a PDF, a photo or scan, or pasted text.

Pure of the web framework and of the network: it reads the file it is given and nothing else.
:func:`read_document` is the one entry point for files and bytes, :func:`read_text` for text.
"""

from __future__ import annotations

from balancedue.intake.candidates import HIGH_CONFIDENCE, REVIEW_CONFIDENCE
from balancedue.intake.models import (
    FIELD_NAMES,
    CatalogMatch,
    FieldValue,
    Notice,
    SourceKind,
    TaxPeriod,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from balancedue.intake.pipeline import read_document, read_text


def __getattr__(name: str) -> object:
    """Load the reading pipeline (image and OCR libraries) only when it is first used, so that
    commands that never read a document start quickly."""
    if name in ("read_document", "read_text"):
        from balancedue.intake import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'balancedue.intake' has no attribute {name!r}")


__all__ = [
    "FIELD_NAMES",
    "HIGH_CONFIDENCE",
    "REVIEW_CONFIDENCE",
    "CatalogMatch",
    "FieldValue",
    "Notice",
    "SourceKind",
    "TaxPeriod",
    "read_document",
    "read_text",
]
