"""Build the report sections that come straight from the notice, the catalog and the engine:
what was read, what this is, the deadlines, the verification and the next steps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from balancedue.advice.deadlines import NoticeDeadline
from balancedue.advice.report import (
    ComparisonItem,
    DeadlineItem,
    EngineLine,
    Figure,
    NoticeField,
    NoticeRead,
    OptionItem,
    Step,
    VerificationSection,
    WhatThisIs,
)
from balancedue.advice.verification import NoticeVerification
from balancedue.intake.confidence import band, needs_review
from balancedue.intake.models import Notice
from balancedue.rules import NoticeEntry
from balancedue.rules.notices import Stage


def _level(confidence: float) -> str:
    if confidence <= 0:
        return "not found"
    return str(band(confidence))


def notice_read(notice: Notice) -> NoticeRead:
    """The fields read from the document, with confidence and the text each came from."""
    fields = []
    for name, value in notice.fields.items():
        shown = None if value.value is None else (
            value.value.isoformat() if isinstance(value.value, date) else str(value.value)
        )
        fields.append(
            NoticeField(
                name=name,
                value=shown,
                confidence=round(value.confidence, 2),
                confidence_level=_level(value.confidence) if value.found else "not found",
                source_text=value.source_text,
                reason=value.reason,
                needs_review=needs_review(value.confidence, found=value.found),
            )
        )
    periods = [
        " ".join(
            part
            for part in (
                p.tax_form and f"Form {p.tax_form}",
                p.tax_year and f"tax year {p.tax_year}",
                p.tax_period_end and f"period ending {p.tax_period_end.isoformat()}",
                p.amount is not None and f"${p.amount:,.2f}",
            )
            if part
        )
        for p in notice.tax_periods
    ]
    return NoticeRead(
        document=notice.document,
        source=notice.source.value,
        pages=notice.page_count,
        fields=fields,
        tax_periods=periods,
        warnings=list(notice.warnings),
    )


STAGE_WORDS = {
    Stage.FINAL_NOTICE_CDP: "final notice of intent to levy, with hearing rights (no levy yet)",
    Stage.AFTER_HEARING_RIGHTS: "notice of intent to levy after the hearing notice (no levy yet)",
}
"""Stages whose catalog name is not plain words: a notice of intent is not a levy (IRC 6330(a), 6331(d))."""


def what_this_is(entry: NoticeEntry | None, code_read: str | None) -> WhatThisIs:
    """Section 1: the catalog card, or a plain statement that the code is unknown."""
    if entry is None:
        return WhatThisIs(
            code=code_read,
            title="Notice code not recognised",
            meaning=(
                "The code on this letter was not read or is not in the catalog of IRS balance-due notices. "
                "Check the code in the top right corner of the notice and look it up on IRS.gov "
                "('Understanding your IRS notice or letter')."
            ),
        )
    return WhatThisIs(
        code=entry.code.value,
        title=entry.title,
        meaning=entry.meaning,
        recipient=entry.recipient,
        stage=STAGE_WORDS.get(entry.stage, entry.stage.value.replace("_", " ")),
        sequence=entry.sequence,
        severity=entry.severity.value,
        is_bill=entry.is_bill,
        what_happens_next=entry.if_ignored,
        next_notices=[c.value for c in entry.next_notices],
        rights=[f"{r.name}: {r.description}" for r in entry.rights],
        sources=[s.short() + (f" <{s.url}>" if s.url else "") for s in entry.sources],
    )


def deadline_items(deadlines: Sequence[NoticeDeadline]) -> list[DeadlineItem]:
    """Section 2."""
    return [
        DeadlineItem(
            what=d.what,
            date=d.due,
            days_left=d.days_left,
            tag=d.tag.value,
            basis=d.basis,
            consequence=d.consequence,
            rule=d.rule,
            source=d.source,
            passed=d.passed,
        )
        for d in deadlines
    ]


def _figure(amount: Decimal | None, rule: str, source: str) -> Figure | None:
    return None if amount is None else Figure.of(amount, rule=rule, source=source)


def verification_section(v: NoticeVerification) -> VerificationSection:
    """Section 3, with the engine lines behind the recomputation."""
    comparisons = [
        ComparisonItem(
            item=c.item,
            notice=_figure(c.notice, c.rule, "the notice"),
            recomputed=_figure(c.recomputed, c.rule, f"balancedue engine, {v.basis.value.replace('_', ' ')}"),
            difference=_figure(c.difference, "notice minus recomputation", "this report"),
            matches=c.matches,
            verdict=c.verdict,
            likely_reasons=list(c.likely_reasons),
            documents=list(c.documents),
        )
        for c in v.comparisons
    ]
    lines = []
    if v.statement is not None:
        for line in v.statement.lines:
            lines.append(
                EngineLine(
                    kind=line.kind.value,
                    period_from=line.start,
                    period_to=line.end,
                    base=None if line.base is None else f"{line.base:.2f}",
                    rate=None if line.rate is None else format(line.rate, "f"),
                    days=line.days,
                    months=line.months,
                    amount=Figure.of(line.amount, rule=line.rule, source=line.source),
                )
            )
    return VerificationSection(
        basis=v.basis.value,
        as_of=v.as_of,
        summary=v.summary,
        arithmetic_ok=v.arithmetic_ok,
        comparisons=comparisons,
        assumptions=list(v.assumptions),
        contradictions=list(v.contradictions),
        documents_to_gather=list(v.documents),
        engine_lines=lines,
    )


def next_steps(
    *,
    today: date,
    code: str | None,
    tax_year: int | None,
    notice_id: str | None,
    deadlines: Sequence[NoticeDeadline],
    verification: NoticeVerification,
    options: Sequence[OptionItem],
    scam_suspected: bool,
) -> list[Step]:
    """Section 8: a dated checklist."""
    folder = f"{tax_year or 'tax year'} - {code or 'notice'}" + (f" - {notice_id}" if notice_id else "")
    steps = [
        Step(by=today, what="Write today's date on the notice (the day you received it) and keep the envelope."),
        Step(by=today, what=f"Open a case folder named '{folder}' and put the notice in it.",
             detail="Keep copies, never originals, of everything you send; note every call (date, agent name, badge number)."),
    ]
    if scam_suspected:
        steps.insert(0, Step(by=today, what="Do not pay or call any number on this letter until you have checked it is real.",
                             detail="Call the IRS at the number on IRS.gov or check your IRS online account."))
    if verification.documents:
        steps.append(Step(by=today + timedelta(days=7), what="Gather the documents that can explain the differences.",
                          detail="; ".join(verification.documents)))
    upcoming = [d for d in deadlines if not d.passed]
    for d in upcoming[:4]:
        steps.append(Step(by=d.due, what=d.what, detail=d.basis))
    chosen = next((o for o in options if o.eligible == "yes" and o.kind in ("plan", "pay")), None)
    if chosen is not None:
        steps.append(Step(by=upcoming[0].due if upcoming else None, what=f"Decide how to pay: {chosen.title}.", detail=chosen.next_step))
    steps.append(Step(by=None, what="After paying or applying, keep the confirmation and check your IRS online account that it posted."))
    return steps
