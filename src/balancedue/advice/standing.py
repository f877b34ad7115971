"""Where the taxpayer stands today when the notice is old.

A notice read weeks or months after its date is no longer a fresh bill: its deadlines have
passed and the IRS has most likely sent later notices in the sequence.  This section says which
deadlines passed, which notices have most likely come since (dated estimates from the typical
interval between notices), what to check first, and today's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from balancedue.advice.deadlines import NoticeDeadline
from balancedue.advice.projection import expected_notices
from balancedue.advice.report import PayInFull, WhereYouStand
from balancedue.engine.money import format_money
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import DeadlineTag, Stage

INTERVAL = "collection.notice_interval_days"


def where_you_stand(entry: NoticeEntry | None, notice_date: date | None, deadlines: Sequence[NoticeDeadline],
                    today: date, rules: RuleSet, *, tax_year: int | None,
                    pay: PayInFull | None) -> WhereYouStand | None:
    """The section, or ``None`` while the notice is still current (no deadline of it has passed and
    no later notice is due yet)."""
    if notice_date is None or notice_date > today:
        return None
    interval = rules.parameters.integer(INTERVAL, notice_date)
    age = (today - notice_date).days
    passed = [d for d in deadlines if d.passed and d.tag is not DeadlineTag.ESTIMATED]
    if not passed and age <= interval:
        return None
    lines = [f"{d.what}: {d.due.isoformat()} ({-d.days_left} days ago)" for d in passed]
    code = entry.code.value if entry else None
    since = expected_notices(code, notice_date, rules, today)
    source = rules.parameters.source(INTERVAL, notice_date).short()
    likely = [
        f"{n.code} ({n.title}), estimated around {n.expected_on.isoformat()} (about {interval} days between "
        f"notices; {source})"
        for n in since
    ]
    stages = [s for n in since if (s := rules.notices.find(n.code)) is not None]
    if (entry is not None and entry.stage is Stage.FINAL_NOTICE_CDP) or any(s.stage is Stage.FINAL_NOTICE_CDP for s in stages):
        likely.append("after a notice of intent to levy with hearing rights (LT11, Letter 1058 or CP90) and its 30 "
                      "days, levies on wages, bank accounts or federal payments may already have started")
    if (entry is not None and entry.stage is Stage.INTENT_TO_LEVY) or any(s.stage is Stage.INTENT_TO_LEVY for s in stages):
        likely.append("after a notice of intent to levy (CP504), a state income tax refund may have been taken, and the "
                      "failure-to-pay rate is most likely 1% a month (IRC 6651(d))")
    year = f" for tax year {tax_year}" if tax_year else ""
    check = [
        "Your IRS online account (IRS.gov/account): today's balance, the payments that posted and any payment plan.",
        f"An account transcript{year} (IRS.gov/transcripts): every notice, assessment, payment, lien and levy since "
        "this notice; give it with --transcript for figures from the IRS's own record.",
        "Your mail since the notice date: a later notice replaces this one's amounts and deadlines.",
    ]
    figures = []
    if pay is not None:
        figures.append(
            f"Estimated balance today: {format_money(Decimal(pay.amount.amount))} - the printed amount plus what has accrued since "
            f"{notice_date.isoformat()} under the assumptions of section 3; the IRS's own figure may include more "
            "(later penalties, a higher failure-to-pay rate, fees)."
        )
    return WhereYouStand(notice_age_days=age, passed=lines, likely_since=likely, check_first=check,
                         today_figures=figures)

