"""The analysis report: a versioned, documented shape (pydantic models).

Every money figure in the report is a :class:`Figure` that names the rule or the source behind
it, so that a reader (or a test) can trace each amount to an engine line or a rules-data entry.
``Report.model_json_schema()`` is the JSON Schema published in ``docs/report-schema.json``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "1.2"

DISCLAIMER = (
    "This report is information, not individualized tax advice. It is computed from what was read "
    "from your notice and from the records you gave. Confirm the figures and deadlines with the IRS "
    "(the phone number printed on your notice, or your IRS online account) before you act."
)


class ReportModel(BaseModel):
    """Base: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Figure(ReportModel):
    """An amount of money with the rule or source it comes from."""

    amount: str = Field(pattern=r"^-?\d+\.\d{2}$", description="dollars and cents, as text")
    rule: str | None = Field(default=None, description="the law or computation step behind it")
    source: str | None = Field(default=None, description="where the figure or rate was published")
    note: str | None = None

    @model_validator(mode="after")
    def _traceable(self) -> Figure:
        if not (self.rule or self.source):
            raise ValueError("every figure needs a rule or a source")
        return self

    @classmethod
    def of(cls, amount: Decimal, rule: str | None = None, source: str | None = None, note: str | None = None) -> Figure:
        """A figure from a Decimal (rounded values only: cents)."""
        return cls(amount=f"{amount:.2f}", rule=rule, source=source, note=note)


class NoticeField(ReportModel):
    """One field read from the notice."""

    name: str
    value: str | None
    confidence: float
    confidence_level: str
    source_text: str | None = None
    reason: str | None = None
    needs_review: bool = False


class NoticeRead(ReportModel):
    """What was read from the document."""

    document: str
    source: str
    pages: int
    fields: list[NoticeField]
    tax_periods: list[str] = []
    warnings: list[str] = []


class WhatThisIs(ReportModel):
    """Section 1: the notice card."""

    code: str | None
    title: str
    meaning: str
    recipient: str | None = None
    stage: str | None = None
    sequence: int | None = None
    severity: str | None = None
    is_bill: bool | None = None
    what_happens_next: str | None = None
    next_notices: list[str] = []
    rights: list[str] = []
    sources: list[str] = []


class DeadlineItem(ReportModel):
    """Section 2: one deadline."""

    what: str
    date: date
    days_left: int
    tag: str = Field(description="hard (law), soft (IRS), estimated")
    basis: str
    consequence: str | None = None
    rule: str | None = None
    source: str
    passed: bool


class EngineLine(ReportModel):
    """One computation step of the engine."""

    kind: str
    period_from: date | None
    period_to: date | None
    base: str | None = None
    rate: str | None = None
    days: int | None = None
    months: int | None = None
    amount: Figure


class ComparisonItem(ReportModel):
    """One figure of the notice against the recomputation."""

    item: str
    notice: Figure | None
    recomputed: Figure | None
    difference: Figure | None
    matches: bool | None
    verdict: str | None = Field(default=None, description="matches, differs, or cannot be verified without ...")
    likely_reasons: list[str] = []
    documents: list[str] = []


class VerificationSection(ReportModel):
    """Section 3."""

    basis: str
    as_of: date | None
    summary: str
    arithmetic_ok: bool | None
    comparisons: list[ComparisonItem]
    assumptions: list[str] = []
    contradictions: list[str] = []
    documents_to_gather: list[str] = []
    engine_lines: list[EngineLine] = []


class BalancePoint(ReportModel):
    """A balance on a date (for charts)."""

    date: date
    balance: str


class OptionItem(ReportModel):
    """Section 4: one way to pay, dispute or get relief."""

    id: str
    title: str
    kind: str = Field(description="pay, plan, offer, hardship, relief, dispute")
    eligible: str = Field(description="yes, no or maybe")
    reasons: list[str] = []
    setup_fee: Figure | None = None
    monthly_payment: Figure | None = None
    months: int | None = None
    total_interest_and_penalty: Figure | None = None
    total_cost: Figure | None = None
    next_step: str
    sources: list[str] = []
    series: list[BalancePoint] = []
    series_source: str | None = Field(default=None, description="rule and source behind the series balances")
    tradeoffs: list[str] = Field(default=[], description="what the option costs besides money (statute, refunds, liens)")
    notes: list[str] = Field(default=[], description="what else to know about the option (since 1.2): a pay-down that "
                             "opens a simpler agreement, a lower fee, a partial-payment agreement, what keeps running")


class OptionsSection(ReportModel):
    """Section 4: every option and the comparison."""

    options: list[OptionItem]
    notes: list[str] = []


class ProjectionPoint(ReportModel):
    """Section 5: the balance after a number of days."""

    days: int
    date: date
    balance: Figure


class DoNothingSection(ReportModel):
    """Section 5: if you do nothing."""

    points: list[ProjectionPoint]
    notices_that_follow: list[str] = []
    risks: list[str] = []
    passport_threshold: Figure | None = None
    passport_risk: bool | None = None
    collection_statute_ends: date | None = None


class ScamSignal(ReportModel):
    """A sign that fired in the scam check."""

    id: str
    title: str
    weight: str
    matched: str | None = None
    explanation: str
    source: str


class RealSection(ReportModel):
    """Section 6: is this real?"""

    verdict: str
    summary: str
    signals: list[ScamSignal] = []
    how_to_verify: list[str] = []
    where_to_report: list[str] = []


class TriageFindingItem(ReportModel):
    """Section 7: one reason to get professional help."""

    id: str
    reason: str
    source: str


class ProfessionalSection(ReportModel):
    """Section 7."""

    advised: bool
    findings: list[TriageFindingItem] = []
    taxpayer_advocate: list[str] = []
    low_income_clinic: list[str] = []


class Step(ReportModel):
    """Section 8: one dated step."""

    by: date | None
    what: str
    detail: str | None = None


class PayInFull(ReportModel):
    """The first thing a report says: the amount that pays in full today, and until when it holds."""

    amount: Figure
    holds_until: date
    basis: str
    next_date: date | None = None
    next_amount: Figure | None = None
    notes: list[str] = []


class RouteItem(ReportModel):
    """One right or route (a hearing, an appeal, a court, the Taxpayer Advocate, a refund claim)."""

    id: str
    title: str
    when: str
    how: str
    deadline: str
    deadline_date: date | None = None
    passed: bool | None = None
    court_review: bool = False
    tradeoffs: list[str] = []
    source: str


class WhereYouStand(ReportModel):
    """When the notice's dates have passed: what passed, what has most likely come since, what to do now."""

    notice_age_days: int
    passed: list[str] = []
    likely_since: list[str] = []
    check_first: list[str] = []
    today_figures: list[str] = []


class ReturnRun(ReportModel):
    """The return run once: as filed, as the notice proposes, or as the facts support."""

    name: str
    agi: Figure
    taxable_income: Figure
    income_tax: Figure
    self_employment_tax: Figure
    total_tax: Figure
    earned_income_credit: Figure
    child_tax_credit: Figure = Field(description="child tax credit and credit for other dependents, both parts")
    owed: Figure = Field(description="total tax less the refundable credits")


class ReturnEffect(ReportModel):
    """What one item, added alone to the return as filed, does to each line."""

    agi: Figure
    taxable_income: Figure
    self_employment_tax: Figure
    earned_income_credit: Figure
    child_tax_credit: Figure
    total_tax: Figure
    owed: Figure


class ReturnCheckItem(ReportModel):
    """One item the notice adds, as the IRS counted it and as the facts support."""

    number: int
    form: str
    payer: str
    irs_amount: Figure
    your_amount: Figure
    answer: str = Field(description="agree, partly_agree or disagree (the CP2000 response form)")
    verdict: str = Field(description="right, overstated, wrong or unchecked")
    findings: list[str] = []
    send: list[str] = []
    irs_effect: ReturnEffect
    your_effect: ReturnEffect


class ReturnCheckFigure(ReportModel):
    """A figure of the notice beside the recomputation of its changes and of the facts."""

    item: str
    notice: Figure | None
    recomputed: Figure | None
    yours: Figure | None
    matches: bool | None
    note: str | None = None


class ReturnCheckSection(ReportModel):
    """The proposed change checked by re-running the return (``analyze --return``)."""

    tax_year: int
    calculator: str
    summary: str
    answer: str = Field(description="agree, partly_agree or disagree")
    runs: list[ReturnRun]
    items: list[ReturnCheckItem]
    comparisons: list[ReturnCheckFigure]
    notes: list[str] = []
    enclosures: list[str] = []


class Report(ReportModel):
    """The whole analysis."""

    schema_version: str = SCHEMA_VERSION
    today: date
    disclaimer: str = DISCLAIMER
    pay_in_full_today: PayInFull | None = None
    where_you_stand: WhereYouStand | None = None
    notice: NoticeRead
    what_this_is: WhatThisIs
    deadlines: list[DeadlineItem]
    verification: VerificationSection
    options: OptionsSection
    if_you_do_nothing: DoNothingSection
    is_this_real: RealSection
    professional: ProfessionalSection
    rights_and_routes: list[RouteItem] = []
    next_steps: list[Step]
    return_check: ReturnCheckSection | None = None
