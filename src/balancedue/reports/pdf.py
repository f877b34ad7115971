"""The report as a printable PDF (ReportLab platypus does the layout)."""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from balancedue.advice.report import Figure, Report
from balancedue.presentation import (
    bill_words,
    days_left,
    field_label,
    heading,
    money,
    pay_holds,
    unread_key_fields,
)
from balancedue.reports.chart import balance_chart

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9, leading=11.5)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#555555"))
_H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=15, spaceAfter=4)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, spaceBefore=10, spaceAfter=4,
                     textColor=colors.HexColor("#1f4e79"))
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


def _money(figure: Figure | None) -> str:
    return money(Decimal(figure.amount)) if figure is not None else ""


def _table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=[w * inch for w in widths], repeatRows=1)
    table.setStyle(_TABLE)
    return table


def render_pdf(report: Report) -> bytes:
    """The whole report as PDF bytes."""
    buffer = io.BytesIO()
    title = f"{report.what_this_is.code or 'Notice'}: {report.what_this_is.title}"
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, title=title, author="balancedue",
                            leftMargin=0.7 * inch, rightMargin=0.7 * inch, topMargin=0.7 * inch, bottomMargin=0.7 * inch)
    story: list[object] = []
    for section in (_opening(report, title), _what_this_is(report), _deadlines(report), _verification(report),
                    _options(report), _if_you_do_nothing(report), _is_this_real(report), _professional(report),
                    _rights_and_routes(report), _next_steps(report), _notice(report)):
        story.extend(section)
    doc.build(story)
    return buffer.getvalue()


def _opening(report: Report, title: str) -> list[object]:
    """The date and title, the amount that pays in full today, and where the case stands."""
    story: list[object] = [
        _p(f"balancedue report, {report.today.isoformat()}", _SMALL),
        _p(title, _H1),
    ]
    pay = report.pay_in_full_today
    if pay is not None:
        holds = pay_holds(pay.amount.rule, pay.holds_until, report.today)
        story.append(_p(f"{heading('pay_in_full_today')}: {_money(pay.amount)} ({holds}). {pay.basis}."))
        if pay.next_date is not None and pay.next_amount is not None:
            story.append(_p(f"From {pay.next_date.isoformat()}: {_money(pay.next_amount)}.", _SMALL))
    elif unread := unread_key_fields(report.options.notes):
        story.append(_p(f"{heading('pay_in_full_today')}: not known. " + " ".join(unread)))
    stand = report.where_you_stand
    if stand is not None:
        story.append(_p(heading("where_you_stand"), _H2))
        for line in [*(f"Passed: {x}" for x in stand.passed), *(f"Most likely since: {x}" for x in stand.likely_since),
                     *(f"Check first: {x}" for x in stand.check_first), *stand.today_figures]:
            story.append(_p(line, _SMALL))
    return story


def _what_this_is(report: Report) -> list[object]:
    story: list[object] = [
        _p(report.disclaimer, _SMALL),
        _p(heading("what_this_is"), _H2),
        _p(report.what_this_is.meaning),
    ]
    w = report.what_this_is
    facts = [f"Stage: {w.stage}" if w.stage else "", f"How serious: {w.severity}" if w.severity else "",
             f"{bill_words(report).capitalize()}." if w.is_bill is not None else "",
             f"If ignored: {w.what_happens_next}" if w.what_happens_next else ""]
    story.extend(_p(fact) for fact in facts if fact)
    story.extend(_p(f"Right: {right}") for right in w.rights)
    story.append(_p("Sources: " + "; ".join(w.sources), _SMALL))
    return story


def _deadlines(report: Report) -> list[object]:
    story: list[object] = [_p(heading("deadlines"), _H2)]
    if report.where_you_stand is None:
        story.append(_p("First step: write today's date on the notice, the day you received it."))
    rows: list[list[object]] = [["Date", "Days left", "What", "Kind", "Why this date"]]
    for d in report.deadlines:
        rows.append([d.date.isoformat(), _p(days_left(d.days_left), _SMALL), _p(d.what + (f" If missed: {d.consequence}" if d.consequence else "")),
                     d.tag, _p(f"{d.basis}. {d.source}", _SMALL)])
    story.append(_table(rows, [0.8, 0.6, 2.9, 0.7, 2.1]))
    return story


def _verification(report: Report) -> list[object]:
    """The notice's figures against the recomputed ones, then the return check when there is one."""
    v = report.verification
    story: list[object] = [_p(heading("verification"), _H2)]
    story.append(_p(v.summary))
    rows: list[list[object]] = [["Item", "Notice", "Recomputed", "Difference", "Verdict"]]
    for c in v.comparisons:
        verdict = "matches" if c.matches else "differs" if c.matches is False else "cannot compare"
        rows.append([field_label(c.item), _money(c.notice), _money(c.recomputed), _money(c.difference),
                     _p(verdict + ("; " + "; ".join(c.likely_reasons) if c.likely_reasons else ""), _SMALL)])
    story.append(_table(rows, [1.2, 0.9, 0.9, 0.9, 3.2]))
    story.extend(_p("Assumption: " + a, _SMALL) for a in v.assumptions)
    story.extend(_p(c) for c in v.contradictions)
    if v.documents_to_gather:
        story.append(_p("Documents to gather: " + "; ".join(v.documents_to_gather)))
    if report.return_check is not None:
        # imported here: that module uses this one's helpers
        from balancedue.reports.return_check_pdf import return_check_story

        story.extend(return_check_story(report.return_check))
    return story


def _options(report: Report) -> list[object]:
    """The ways to pay, under the balance chart (kept on one page with the heading)."""
    story: list[object] = []
    chart = balance_chart(report)
    options_heading = [_p(heading("options"), _H2)]
    story.append(KeepTogether([*options_heading, chart]) if chart is not None else options_heading[0])
    rows: list[list[object]] = [["Option", "Eligible", "Fee", "Monthly", "Months", _p("Interest and penalties", _SMALL), "Total"]]
    for o in report.options.options:
        extra = "".join(f" {n}" for n in o.notes) + "".join(f" Trade-off: {t}." for t in o.tradeoffs)
        rows.append([_p(o.title + ". " + o.next_step + extra, _SMALL), _p(o.eligible + ("; " + "; ".join(o.reasons) if o.reasons else ""), _SMALL),
                     _money(o.setup_fee), _money(o.monthly_payment), "" if o.months is None else str(o.months),
                     _money(o.total_interest_and_penalty), _money(o.total_cost)])
    story.append(_table(rows, [1.8, 1.8, 0.6, 0.7, 0.5, 0.85, 0.85]))
    story.extend(_p(n, _SMALL) for n in report.options.notes)
    return story


def _if_you_do_nothing(report: Report) -> list[object]:
    n = report.if_you_do_nothing
    story: list[object] = [_p(heading("if_you_do_nothing"), _H2)]
    rows: list[list[object]] = [["After", "Date", "Balance"]]
    rows.extend([f"{p.days} days", p.date.isoformat(), _money(p.balance)] for p in n.points)
    story.append(_table(rows, [1.0, 1.0, 1.2]))
    story.extend(_p(line) for line in [*n.notices_that_follow, *n.risks])
    return story


def _is_this_real(report: Report) -> list[object]:
    r = report.is_this_real
    story: list[object] = [_p(heading("is_this_real"), _H2)]
    story.append(_p(f"{r.verdict}: {r.summary}"))
    story.extend(_p(f"- {s.title} ({s.source})", _SMALL) for s in r.signals)
    story.extend(_p(line, _SMALL) for line in r.how_to_verify)
    return story


def _professional(report: Report) -> list[object]:
    pro = report.professional
    story: list[object] = [_p(heading("professional"), _H2)]
    story.append(_p("Professional help is advised." if pro.advised else "Nothing here requires a professional."))
    story.extend(_p(f"- {f.reason} ({f.source})") for f in pro.findings)
    story.extend(_p(t, _SMALL) for t in [*pro.taxpayer_advocate, *pro.low_income_clinic])
    return story


def _rights_and_routes(report: Report) -> list[object]:
    story: list[object] = []
    if report.rights_and_routes:
        story.append(_p(heading("rights_and_routes"), _H2))
        for route in report.rights_and_routes:
            when = f" (by {route.deadline_date.isoformat()}{', passed' if route.passed else ''})" if route.deadline_date else ""
            story.append(_p(f"{route.title}{when}: {route.when}. How: {route.how.rstrip('.')}. Deadline: {route.deadline}."))
            story.extend(_p(f"Trade-off: {t}", _SMALL) for t in route.tradeoffs)
            story.append(_p(route.source, _SMALL))
    return story


def _next_steps(report: Report) -> list[object]:
    story: list[object] = [_p(heading("next_steps"), _H2)]
    for number, step in enumerate(report.next_steps, start=1):
        when = f"By {step.by.isoformat()}: " if step.by else ""
        story.append(_p(f"{number}. {when}{step.what}" + (f" - {step.detail}" if step.detail else "")))
    story.append(Spacer(1, 8))
    return story


def _notice(report: Report) -> list[object]:
    """The fields read from the notice, with how sure the reading is."""
    story: list[object] = [_p(heading("notice"), _H2)]
    rows: list[list[object]] = [["Field", "Value", "Confidence"]]
    for f in report.notice.fields:
        rows.append([field_label(f.name), _p(f.value if f.value is not None else "- " + (f.reason or ""), _SMALL),
                     f.confidence_level + (" (check it)" if f.needs_review else "")])
    story.append(_table(rows, [1.5, 4.0, 1.3]))
    return story
