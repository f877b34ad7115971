"""Penalty relief (first-time abatement, reasonable cause) and the routes to dispute a balance.

First-time abatement (IRM 20.1.1.3.3.2.1) removes failure-to-file and failure-to-pay penalties
for one tax period when the taxpayer had no penalties in the prior three years and is filing
and paying compliant.  The transcript reader decides it from account transcripts and hands its
verdict in (any object with ``eligible`` and ``reasons``); without one the questions to answer
are listed.  What relief would save is computed with the engine: the same account with the
penalties abated (the interest they drew goes with them).

Dispute routes depend on where the notice stands (the notice catalog's stage): call or write,
math-error abatement, the CP2000 response, a Tax Court petition, audit reconsideration, a
Collection Due Process or equivalent hearing, and the Collection Appeals Program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from balancedue.advice.figures import (
    CitedAmount,
    Eligibility,
    EligibilityVerdict,
    Reason,
    engine_figure,
    parameter_source,
)
from balancedue.advice.simulation import PlanSimulator, with_events
from balancedue.engine import Event, EventType, Statement
from balancedue.engine.money import ZERO
from balancedue.engine.scenario import Component
from balancedue.rules import RuleSet, Verification
from balancedue.rules.notices import Stage


class FtaVerdictLike(Protocol):
    """What a first-time-abatement verdict must offer (the transcript reader's result fits)."""

    @property
    def eligible(self) -> bool | None: ...

    @property
    def reasons(self) -> Sequence[str]: ...


@dataclass(frozen=True, slots=True)
class Question:
    """A question the taxpayer answers to settle an eligibility test."""

    id: str
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class ReliefScreening:
    """What penalty relief could remove, and what is needed to ask for it."""

    penalties: CitedAmount
    savings: CitedAmount
    questions: tuple[Question, ...] = ()
    situations: tuple[str, ...] = ()


def relief_savings(simulator: PlanSimulator, statement: Statement) -> ReliefScreening:
    """Penalties on the account today and what abating them (with their interest) would save."""
    today = simulator.today
    abated = with_events(simulator.scenario, [
        Event(date=today, type=EventType.ABATEMENT, target=Component.FAILURE_TO_FILE),
        Event(date=today, type=EventType.ABATEMENT, target=Component.FAILURE_TO_PAY),
    ])
    after = simulator.balance(abated, today)
    before = simulator.start_balance
    return ReliefScreening(
        penalties=engine_figure(statement.failure_to_file + statement.failure_to_pay, today,
                                "failure-to-file plus failure-to-pay charged so far"),
        savings=engine_figure(before - after, today,
                              "the balance today less the balance with both penalties abated; the interest on them goes too"),
    )


def fta_questions(rules: RuleSet, on: date) -> tuple[Question, ...]:
    """The first-time-abatement tests, as questions (IRM 20.1.1.3.3.2.1)."""
    years = rules.parameters.integer("relief.fta.lookback_years", on)
    return (
        Question("fta.clean_history",
                 f"In the {years} tax years before this one, were you free of penalties on the same kind of return "
                 "(an estimated-tax penalty does not count), or not required to file?",
                 "relief.fta.lookback_years"),
        Question("fta.no_recent_fta",
                 f"Has first-time abatement not been granted to you in those {years} years?",
                 "relief.fta.lookback_years"),
        Question("fta.filed",
                 "Have you filed every return you are required to file (or a valid extension)?",
                 "relief.fta.lookback_years"),
        Question("fta.paid_or_arranged",
                 "Have you paid, or arranged to pay (for example an installment agreement you keep current), the tax now due?",
                 "relief.fta.lookback_years"),
    )


REASONABLE_CAUSE_SITUATIONS = (
    "fire, casualty, natural disaster or other disturbance",
    "inability to obtain the records needed",
    "death, serious illness, incapacitation or unavoidable absence of you or your immediate family",
    "another reason showing you used ordinary business care and prudence and still could not comply",
    "lack of funds alone is not reasonable cause, though the reasons behind it can support relief from the failure-to-pay penalty",
)


def fta_eligibility(verdict: FtaVerdictLike | None, relief: ReliefScreening, rules: RuleSet,
                    on: date) -> tuple[Eligibility, tuple[Question, ...]]:
    """The FTA verdict: from the transcript reader when given, else the questions to answer."""
    rule = "relief.fta.lookback_years"
    if relief.penalties.amount <= ZERO:
        return Eligibility(EligibilityVerdict.NO, (Reason("no failure-to-file or failure-to-pay penalty to abate", rule),)), ()
    if verdict is None:
        questions = fta_questions(rules, on)
        return Eligibility(EligibilityVerdict.MAYBE, (Reason("answer the questions below, or give account transcripts", rule),)), questions
    mapped = {True: EligibilityVerdict.YES, False: EligibilityVerdict.NO, None: EligibilityVerdict.MAYBE}[verdict.eligible]
    reasons = tuple(Reason(text, rule) for text in verdict.reasons) or (Reason("from the account transcripts", rule),)
    return Eligibility(mapped, reasons), ()


@dataclass(frozen=True, slots=True)
class DisputeRoute:
    """One way to challenge the balance or a collection action."""

    id: str
    title: str
    when: str
    how: str
    deadline: str
    court_review: bool
    source: str
    deadline_rule: str | None = None


_ALL_BILLS = frozenset({
    Stage.ADJUSTMENT, Stage.FIRST_BILL, Stage.REMINDER, Stage.INTENT_TO_LEVY, Stage.COLLECTION_CONTACT,
    Stage.FINAL_NOTICE_CDP, Stage.LIEN, Stage.LEVY_OR_OFFSET, Stage.AGREEMENT, Stage.PASSPORT,
    Stage.INFORMATION, Stage.OFFSET, Stage.AFTER_HEARING_RIGHTS,
})
_COLLECTION_ACTIONS = frozenset({
    Stage.INTENT_TO_LEVY, Stage.COLLECTION_CONTACT, Stage.FINAL_NOTICE_CDP, Stage.LIEN,
    Stage.LEVY_OR_OFFSET, Stage.AGREEMENT, Stage.AFTER_HEARING_RIGHTS,
})
_DEFICIENCY_NOTICES = frozenset({"CP3219A", "CP3219N"})


def _notice_source(rules: RuleSet, code: str) -> str:
    """Where the notice's own IRS page says how to dispute it ("Understanding your CP91 notice"),
    or the IRS's general page when the catalog holds none for the code."""
    entry = rules.notices.find(code) if code else None
    own = [source for source in (entry.sources if entry is not None else ())
           if "Understanding your" in source.citation and source.verification is Verification.PRIMARY]
    return own[0].short() if own else "IRS, Understanding your IRS notice or letter (irs.gov/notices)"


def dispute_routes(stage: Stage | None, notice_code: str | None, rules: RuleSet, on: date) -> tuple[DisputeRoute, ...]:
    """The dispute routes that fit a notice's stage (every bill route when the stage is unknown)."""
    code = (notice_code or "").upper()
    routes: list[DisputeRoute] = []

    def days(rule_id: str) -> int:
        return rules.parameters.integer(rule_id, on)

    if stage is None or stage in _ALL_BILLS:
        routes.append(DisputeRoute(
            "call_or_write", "Call or write about a wrong balance",
            "a payment or credit is missing or misapplied, or an amount is wrong",
            "call the number on the notice, or write to the address on it with copies of your proof "
            "(cancelled check, bank record, payment confirmation)",
            "before the pay-by date on the notice if you can", False,
            _notice_source(rules, code)))
    if stage is Stage.ADJUSTMENT:
        rule = "rights.math_error.abatement_request_days"
        routes.append(DisputeRoute(
            "math_error_abatement", "Ask to reverse a math-error change",
            "the IRS changed your return for a mathematical or clerical error",
            "call or write to ask for abatement; the IRS must then use deficiency procedures, with Tax Court rights",
            f"within {days(rule)} days of the notice date", True, parameter_source(rules, rule, on), rule))
    if stage is Stage.PROPOSED_CHANGE and code not in _DEFICIENCY_NOTICES:
        rule = "notices.cp2000.response_days"
        routes.append(DisputeRoute(
            "proposed_change_response", "Answer the proposed change",
            "the notice proposes changes (for example CP2000); it is not yet a bill",
            "return the response form: agree, partly agree or disagree, with a signed statement and copies of documents",
            f"within {days(rule)} days of the notice date (call for more time)", False,
            parameter_source(rules, rule, on), rule))
    if code in _DEFICIENCY_NOTICES:
        rule = "rights.tax_court.deficiency_petition_days"
        routes.append(DisputeRoute(
            "tax_court_deficiency", "Petition the Tax Court",
            "you received a statutory notice of deficiency",
            "file a petition with the U.S. Tax Court (a simpler small tax case procedure exists for smaller amounts, IRC 7463); "
            "you may still send documents to the IRS",
            f"within {days(rule)} days of the notice date ({days('rights.tax_court.deficiency_petition_days_abroad')} if addressed outside the United States)",
            True, parameter_source(rules, rule, on), rule))
    if stage is None or stage not in (Stage.PROPOSED_CHANGE,):
        routes.append(DisputeRoute(
            "audit_reconsideration", "Audit reconsideration",
            "tax was assessed after an audit or a substitute return and you have information not considered; the tax is unpaid",
            "write to the IRS with the new documents (Publication 3598)",
            "no fixed deadline, while the tax is unpaid", False,
            "IRS Publication 3598; IRM 4.13"))
    if stage in (Stage.FINAL_NOTICE_CDP, Stage.LIEN, Stage.LEVY_OR_OFFSET):
        rule = "rights.cdp.request_days"
        routes.append(DisputeRoute(
            "cdp_hearing", "Collection Due Process hearing",
            "a final notice of intent to levy or a lien notice with hearing rights",
            "send Form 12153 to the address on the notice, listing every reason and the alternative you propose",
            f"within {days(rule)} days of the notice (the date printed on a lien notice)", True,
            parameter_source(rules, rule, on), rule))
        rule = "rights.equivalent_hearing.months"
        routes.append(DisputeRoute(
            "equivalent_hearing", "Equivalent hearing",
            "the Collection Due Process deadline has passed",
            "send Form 12153 and check the equivalent-hearing box",
            f"within {days(rule)} months of the notice date", False,
            parameter_source(rules, rule, on), rule))
    if stage is None or stage in _COLLECTION_ACTIONS:
        routes.append(DisputeRoute(
            "collection_appeals", "Collection Appeals Program",
            "a lien, a levy or seizure, or a rejected, ended or changed installment agreement",
            "ask for a conference with the collection manager, then send Form 9423 (phone for an agreement rejection)",
            "short: within days of the manager conference, or soon after an agreement rejection (see Publication 1660)", False,
            "IRS Publication 1660 (Collection Appeal Rights)"))
    return tuple(routes)
