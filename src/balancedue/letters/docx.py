"""A letter as an editable Word document: the blocks of :mod:`balancedue.letters.layout` set
with python-docx, one paragraph per line, so the taxpayer can change any word before printing."""

from __future__ import annotations

import io
from datetime import date, datetime

from docx import Document
from docx.shared import Inches, Pt

from balancedue.letters.layout import Block, LetterLineKind

FONT_NAME = "Times New Roman"
FONT_SIZE = 11  # not law: type size in points
LINE_GAP = 12  # not law: points of space for one blank line
ITEM_INDENT = 0.3  # not law: inches


def render_docx(blocks: tuple[Block, ...], title: str, author: str, when: date) -> bytes:
    """The letter as DOCX bytes; ``when`` (the letter date) is written as its creation date."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT_NAME
    style.font.size = Pt(FONT_SIZE)
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(1)
        section.top_margin = section.bottom_margin = Inches(1)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.created = properties.modified = datetime(when.year, when.month, when.day)  # noqa: DTZ001
    properties.revision = 1
    for block in blocks:
        for index, line in enumerate(block.lines):
            paragraph = document.add_paragraph()
            layout = paragraph.paragraph_format
            layout.space_after = Pt(0)
            layout.space_before = Pt(LINE_GAP * block.gap_before if index == 0 else 0)
            if line.kind is LetterLineKind.ITEM:
                layout.left_indent = Inches(ITEM_INDENT)
                layout.first_line_indent = Inches(-ITEM_INDENT)
                paragraph.add_run(f"{line.marker} {line.text}")
            elif line.kind is LetterLineKind.INDENTED:
                layout.left_indent = Inches(ITEM_INDENT * 2)
                paragraph.add_run(line.text)
            else:
                paragraph.add_run(line.text).bold = line.kind is LetterLineKind.HEADING
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
