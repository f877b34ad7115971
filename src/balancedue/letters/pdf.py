"""A letter as PDF: the blocks of :mod:`balancedue.letters.layout` set with ReportLab platypus."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from balancedue.letters.layout import Block, LetterLineKind

FONT_SIZE = 11  # not law: type size in points
LEADING = 14  # not law: line spacing in points
SIGNATURE_GAP = 2  # not law: blank lines that mark room for a signature
INDENT = 28  # not law: points; the lines under "Re:"
ITEM_INDENT = 22  # not law: points; the text of a numbered or dashed item
BULLET_INDENT = 4  # not law: points; the item's number or dash
HEAD_FROM_TOP = 44  # not law: points from the top edge to the running head
_BODY = ParagraphStyle("letter", fontName="Times-Roman", fontSize=FONT_SIZE, leading=LEADING)
_STYLES = {
    LetterLineKind.PLAIN: _BODY,
    LetterLineKind.HEADING: ParagraphStyle("heading", parent=_BODY, fontName="Times-Bold"),
    LetterLineKind.INDENTED: ParagraphStyle("indented", parent=_BODY, leftIndent=INDENT),
    LetterLineKind.ITEM: ParagraphStyle("item", parent=_BODY, leftIndent=ITEM_INDENT, bulletIndent=BULLET_INDENT),
}


def render_pdf(blocks: tuple[Block, ...], title: str, author: str, running_head: str) -> bytes:
    """The letter on US Letter pages with one-inch margins, as PDF bytes (same bytes each run).

    Pages after the first carry ``running_head`` and the page number at the top.
    """
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=LETTER, title=title, author=author, subject=title, creator="balancedue",
        leftMargin=inch, rightMargin=inch, topMargin=inch, bottomMargin=inch, invariant=True,
    )
    groups: list[list[Flowable]] = []
    for block in blocks:
        flowables: list[Flowable] = [Spacer(1, LEADING * block.gap_before)] if block.gap_before else []
        for line in block.lines:
            style = _STYLES[line.kind]
            bullet = line.marker if line.kind is LetterLineKind.ITEM else None
            flowables.append(Paragraph(escape(line.text), style, bulletText=bullet))
        if block.gap_before >= SIGNATURE_GAP and groups:
            groups[-1].extend(flowables)  # the signature stays on the page of its closing
        else:
            groups.append(flowables)
    story: list[Flowable] = [KeepTogether(group) for group in groups]
    def later_page(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Times-Roman", FONT_SIZE - 2)
        canvas.drawString(inch, LETTER[1] - HEAD_FROM_TOP, f"{running_head}, page {document.page}")
        canvas.restoreState()

    doc.build(story, onLaterPages=later_page)
    return buffer.getvalue()
