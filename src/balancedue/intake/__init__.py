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
from balancedue.intake.pipeline import read_document, read_text

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
