"""The case report: one printable summary of a case (client, deadlines, documents, journal).

It lays out what the case file holds and computes nothing but the display.  Only the last four
digits of the taxpayer id appear.  The PDF is reproducible: the same case gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from balancedue.cases.records import CaseFile
from balancedue.presentation import journal_line, money

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("case-body", parent=_STYLES["BodyText"], fontSize=9, leading=11.5)
_SMALL = ParagraphStyle("case-small", parent=_BODY, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"))
_H1 = ParagraphStyle("case-h1", parent=_STYLES["Heading1"], fontSize=15, spaceAfter=4)
_H2 = ParagraphStyle(
    "case-h2", parent=_STYLES["Heading2"], fontSize=11.5, spaceBefore=10, spaceAfter=4,
    textColor=colors.HexColor("#1f4e79"),
)
_TABLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cccccc")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
    ]
)
def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=[w * inch for w in widths], repeatRows=1)
    table.setStyle(_TABLE)
    return table


def render_case_report(case_file: CaseFile, today: date) -> bytes:
    """The case summary as PDF bytes."""
    case = case_file.case
    buffer = io.BytesIO()
    title = f"Case {case.uid[:8]}: {case.title}"
    doc = SimpleDocTemplate(
        buffer, pagesize=LETTER, title=title, author="balancedue", invariant=1,
        leftMargin=0.7 * inch, rightMargin=0.7 * inch, topMargin=0.7 * inch, bottomMargin=0.7 * inch,
    )
    client = case.client
    story: list[object] = [
        _p(f"balancedue case report, {today.isoformat()}", _SMALL),
        _p(title, _H1),
        _p(f"Taxpayer: {client.name}" + (f", id ending {client.id_last4}" if client.id_last4 else "")),
    ]
    if client.address:
        story.append(_p("Address: " + ", ".join(client.address)))
    facts = [
        f"Tax year: {case.tax_year}" if case.tax_year else "",
        f"Notices: {', '.join(case.notice_codes)}" if case.notice_codes else "",
        f"Notice number: {case.notice_id}" if case.notice_id else "",
        f"Notice date: {case.notice_date.isoformat()}" if case.notice_date else "",
        f"Received: {case.date_received.isoformat()}",
        f"Amount due on the notice: {money(case.amount_due)}" if case.amount_due is not None else "",
        f"Status: {case.status.value}",
    ]
    story.extend(_p(fact) for fact in facts if fact)
    for period in case.tax_periods:
        when = (
            f"period ending {period.period_end.isoformat()}" if period.period_end
            else f"tax year {period.tax_year}" if period.tax_year else "period not read"
        )
        story.append(_p(
            f"Tax period: Form {period.tax_form or '?'}, {when}"
            + (f", {money(period.amount)}" if period.amount is not None else "")
        ))

    story.append(_p("Deadlines", _H2))
    rows: list[list[object]] = [["#", "Date", "What", "Kind", "Why this date"]]
    for d in case_file.deadlines:
        basis = d.basis + (f". Changed by hand from {d.computed_due.isoformat()}: {d.changed_reason}" if d.changed else "")
        rows.append([str(d.number), d.due.isoformat(), _p(d.what), d.tag, _p(f"{basis}. {d.source}", _SMALL)])
    story.append(_table(rows, [0.3, 0.8, 3.0, 0.7, 2.3]) if len(rows) > 1 else _p("No deadlines."))

    story.append(_p("Documents", _H2))
    rows = [["#", "Kind", "Name", "Added", "Size", "SHA-256"]]
    for doc_record in case_file.documents:
        rows.append([
            str(doc_record.number), doc_record.kind.value, _p(doc_record.name),
            doc_record.added_at.date().isoformat(), f"{doc_record.size:,}", _p(doc_record.sha256, _SMALL),
        ])
    story.append(_table(rows, [0.3, 1.0, 1.9, 0.8, 0.7, 2.4]) if len(rows) > 1 else _p("No documents."))

    story.append(_p("Journal", _H2))
    rows = [["#", "When (UTC)", "Kind", "What"]]
    for entry in case_file.journal:
        rows.append([
            str(entry.sequence), entry.created_at.strftime("%Y-%m-%d %H:%M"), str(entry.kind), _p(journal_line(entry)),
        ])
    story.append(_table(rows, [0.3, 1.1, 0.8, 4.9]))
    story.append(_p(
        f"The journal has {len(case_file.journal)} entries, each sealed by a SHA-256 hash chained to the one "
        f"before it. Last hash: {case.journal_head}. `balancedue case verify` checks the chain and every "
        "document's bytes.",
        _SMALL,
    ))
    doc.build(story)
    return buffer.getvalue()
