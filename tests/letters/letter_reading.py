"""Reading a rendered letter back: its PDF text and its DOCX paragraphs."""

from __future__ import annotations

import io
from functools import cache

import pdfplumber
from docx import Document
from letter_samples import SAMPLES

from balancedue.letters import LetterKind, RenderedLetter, render_letter
from balancedue.rules import load_rules

RULES = load_rules()


@cache
def rendered(kind: LetterKind) -> RenderedLetter:
    """The sample letter of ``kind``, rendered once per test run."""
    return render_letter(SAMPLES[kind], RULES)


def squash(text: str) -> str:
    """Whitespace (line breaks from wrapping included) folded to single spaces."""
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def docx_paragraphs(docx: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(docx)).paragraphs]


def docx_text(docx: bytes) -> str:
    return "\n".join(docx_paragraphs(docx))
