"""Every right and route for a notice, with its deadline, its source and its trade-offs.

The dispute routes of :func:`balancedue.advice.relief.dispute_routes` (call or write, math-error
abatement, the CP2000 answer, the Tax Court, audit reconsideration, Collection Due Process and
the equivalent hearing, the Collection Appeals Program) are dated here from the notice, and the
routes open to everyone are added: the Taxpayer Advocate Service (IRC 7811, with its criteria)
and the claim for refund of penalties or tax already paid (IRC 6511).

Dates: a Collection Due Process request is due 30 days after the notice of intent to levy (IRC
6330(a)(3)(B)); for a lien notice the date printed on the letter governs (30 days after the
five-business-day period that follows the filing, IRC 6320(a)(3)(B)), and the one-year period
for an equivalent hearing about a lien runs from the end of that five-business-day period
(Treas. Reg. 301.6320-1(i)(2)), not from the letter date.  Every last day on a weekend or
holiday moves to the next business day (IRC 7503).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from balancedue.advice.relief import dispute_routes
from balancedue.advice.verification import return_due_date
from balancedue.engine.dates import add_months
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import Stage

EQUIVALENT_HEARING_LIEN = (
    "Treas. Reg. 301.6320-1(i)(2) (one year from the end of the five-business-day period after the lien filing)"
)
CDP_TRADEOFFS = (
    "a timely request stops the levy while the hearing and any appeal are pending (IRC 6330(e)(1))",
    "the collection statute is suspended for that time, so the IRS has longer to collect (IRC 6330(e)(1))",
)
EQUIVALENT_TRADEOFFS = (
    "no Tax Court review, no levy prohibition and no suspension of the collection statute "
    "(Treas. Reg. 301.6330-1(i)(2))",
)
CAP_TRADEOFFS = ("quicker than a hearing, but the Appeals decision is final: no court review (IRS Publication 1660)",)

OPTION_TRADEOFFS: dict[str, tuple[str, ...]] = {
    "pay_in_full": ("stops interest and penalties; nothing else is given up",),
    "short_term_plan": (
        "not an installment agreement: the collection statute keeps running, failure-to-pay stays at the full rate",
    ),
    "guaranteed_agreement": (
        "the collection statute is suspended while the request is pending, for 30 days after a rejection or "
        "termination and during an appeal (IRC 6331(k)(2), (k)(3))",
        "future refunds are applied to the debt (IRC 6402(a))",
    ),
    "streamlined_agreement": (
        "the collection statute is suspended while the request is pending, for 30 days after a rejection or "
        "termination and during an appeal (IRC 6331(k)(2), (k)(3))",
        "future refunds are applied to the debt (IRC 6402(a))",
    ),
    "non_streamlined_agreement": (
        "the collection statute is suspended while the request is pending, for 30 days after a rejection or "
        "termination and during an appeal (IRC 6331(k)(2), (k)(3))",
        "future refunds are applied to the debt (IRC 6402(a)); a notice of federal tax lien may be filed",
    ),
    "offer_in_compromise": (
        "the collection statute is suspended while the offer is pending, for 30 days after a rejection and during "
        "an appeal (IRC 6331(k)(1), (k)(3))",
        "the IRS keeps refunds for the year the offer is accepted and earlier years, and the fee and payments "
        "made with the offer (Form 656 terms)",
    ),
    "currently_not_collectible": (
        "the collection statute keeps running; interest and penalties keep growing; refunds are applied to the "
        "debt (IRC 6402(a)); a lien may be filed",
    ),
    "first_time_abatement": ("used once in three years: it is then unavailable for a later penalty (IRM 20.1.1.3.3.2.1)",),
    "reasonable_cause": ("needs a written explanation and documents; the interest on the tax stays",),
    "dispute": ("collection can continue while a balance is disputed unless a hearing or appeal stops it",),
}


@dataclass(frozen=True)
class Route:
    """One right or route, dated when the notice allows it."""

    id: str
    title: str
    when: str
    how: str
    deadline: str
    source: str
    deadline_date: date | None = None
    court_review: bool = False
    tradeoffs: tuple[str, ...] = field(default=())

    def passed(self, today: date) -> bool | None:
        """Whether the deadline is behind ``today`` (``None`` when it cannot be dated)."""
        return None if self.deadline_date is None else self.deadline_date < today


def _after(rules: RuleSet, start: date, days: int) -> date:
    return rules.calendar.next_business_day(start + timedelta(days=days))


def rights_and_routes(entry: NoticeEntry | None, notice_date: date | None, respond_by: date | None,
                      today: date, rules: RuleSet, *, tax_year: int | None = None,
                      levy_risk: bool = False) -> list[Route]:
    """Every route for the notice, dated where the law allows, TAS and refund claims included."""
    stage = entry.stage if entry else None
    code = entry.code.value if entry else None
    found: list[Route] = []
    for base in dispute_routes(stage, code, rules, today):
        deadline_date: date | None = None
        deadline = base.deadline
        tradeoffs: tuple[str, ...] = ()
        source = base.source
        if base.id == "cdp_hearing":
            tradeoffs = CDP_TRADEOFFS
            if stage is Stage.LIEN:
                deadline_date = respond_by
                deadline = "the date printed on the lien letter" + ("" if respond_by else " (not read: check it by eye)")
            elif notice_date is not None:
                deadline_date = _after(rules, notice_date, rules.parameters.integer("rights.cdp.request_days", notice_date))
        elif base.id == "equivalent_hearing":
            tradeoffs = EQUIVALENT_TRADEOFFS
            months = rules.parameters.integer("rights.equivalent_hearing.months", notice_date or today)
            if stage is Stage.LIEN:
                source = f"{base.source}; {EQUIVALENT_HEARING_LIEN}"
                if respond_by is not None:
                    cdp_days = rules.parameters.integer("rights.cdp.request_days", respond_by)
                    period_end = respond_by - timedelta(days=cdp_days)
                    deadline_date = rules.calendar.next_business_day(add_months(period_end, months))
                    deadline = (f"{months} months from the end of the five-business-day period after the lien was filed "
                                f"(about {period_end.isoformat()}, the printed hearing date less {cdp_days} days)")
                else:
                    deadline = (f"{months} months from the end of the five-business-day period after the lien was filed "
                                "(not from the letter date)")
            elif notice_date is not None:
                deadline_date = rules.calendar.next_business_day(add_months(notice_date, months))
        elif base.id in ("math_error_abatement", "proposed_change_response", "tax_court_deficiency") and notice_date:
            assert base.deadline_rule is not None
            deadline_date = _after(rules, notice_date, rules.parameters.integer(base.deadline_rule, notice_date))
        elif base.id == "collection_appeals":
            tradeoffs = CAP_TRADEOFFS
        found.append(Route(base.id, base.title, base.when, base.how, deadline, source, deadline_date,
                           base.court_review, tradeoffs))
        if base.id == "cdp_hearing":
            rule = "rights.tax_court.cdp_petition_days"
            days = rules.parameters.integer(rule, today)
            found.append(Route(
                "tax_court_cdp", "Tax Court review of the hearing's determination",
                "after a Collection Due Process hearing, if you disagree with Appeals' determination",
                "file a petition with the U.S. Tax Court",
                f"within {days} days of the notice of determination", rules.parameters.source(rule, today).short(),
                court_review=True))
    if stage is Stage.AFTER_HEARING_RIGHTS:
        found.append(Route(
            "equivalent_hearing", "Equivalent hearing",
            "no Collection Due Process hearing was asked for after the earlier notice of intent to levy (LT11, "
            "Letter 1058 or CP90); this notice carries no new one",
            "send Form 12153 and check the equivalent-hearing box",
            "one year from the date of the earlier notice of intent to levy", "Treas. Reg. 301.6330-1(i)(1)",
            tradeoffs=EQUIVALENT_TRADEOFFS))
    found.append(_taxpayer_advocate(rules, levy_risk))
    found.append(_refund_claim(rules, tax_year, today))
    return found


def _taxpayer_advocate(rules: RuleSet, levy_risk: bool) -> Route:
    program = rules.triage.taxpayer_advocate
    criteria = "; ".join(rule.title.lower() for rule in program.criteria)
    when = f"any of the case criteria applies: {criteria}"
    if levy_risk:
        when = "a levy can follow this notice, an immediate threat of adverse action (IRC 7811(a)(2)(A)); or " + when
    return Route("taxpayer_advocate", program.title, when, program.how_to_ask.strip(), "no fixed deadline; ask early",
                 program.source.short() if program.source else "IRC 7811",
                 tradeoffs=("free and independent; it can ask the IRS to stop an action with a Taxpayer Assistance "
                            "Order (IRC 7811) but does not decide the tax",))


def _refund_claim(rules: RuleSet, tax_year: int | None, today: date) -> Route:
    on = today
    years_return = rules.parameters.integer("rights.refund_claim.years_from_return", on)
    years_paid = rules.parameters.integer("rights.refund_claim.years_from_payment", on)
    source = rules.parameters.source("rights.refund_claim.years_from_return", on).short()
    deadline = (f"within {years_return} years from when the return was filed or {years_paid} years from when the "
                "amount was paid, whichever is later")
    if tax_year is not None:
        due = return_due_date(tax_year, rules)
        deadline += (f"; for an on-time {tax_year} return at least until "
                     f"{rules.calendar.next_business_day(add_months(due, years_return * 12)).isoformat()}")
    return Route("refund_claim", "Claim a refund of penalties or tax already paid",
                 "you paid a penalty (or tax) that should be removed: first-time abatement, reasonable cause, "
                 "a wrong assessment",
                 "file Form 843 (penalties) or an amended return (tax) with your reasons", deadline, source,
                 tradeoffs=("a claim filed late is refused however good the reason (IRC 6511(a), (b))",))
