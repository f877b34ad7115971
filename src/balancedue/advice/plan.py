"""Build the decision sections of the report (options, if you do nothing, professional help)
from the account the verification rebuilt, and turn the advice results into report models."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from balancedue.advice import figures as advice_figures
from balancedue.advice.authority import (
    UNSETTLED_BASIS,
    PayToday,
    anchor_to_notice,
    pay_in_full_today,
)
from balancedue.advice.finances import Finances
from balancedue.advice.option_types import OptionFacts, OptionId, OptionsReport
from balancedue.advice.options import compare_options
from balancedue.advice.payroll import TFRP_WARNING, payroll_options
from balancedue.advice.projection import DoNothingProjection, expected_notices, project_do_nothing
from balancedue.advice.relief import FtaVerdictLike
from balancedue.advice.report import (
    BalancePoint,
    DoNothingSection,
    Figure,
    OptionItem,
    OptionsSection,
    PayInFull,
    ProfessionalSection,
    ProjectionPoint,
    TriageFindingItem,
)
from balancedue.advice.routes import OPTION_TRADEOFFS
from balancedue.advice.simulation import ProjectionRules, rules_for_projection, with_events
from balancedue.advice.triage import HelpFrom, TriageFacts, TriageFinding, professional_help
from balancedue.advice.verification import NoticeVerification, RecomputationBasis, return_due_date
from balancedue.engine import Event, EventType, Scenario, build_scenario, compute
from balancedue.engine.accrual import grace_period_end
from balancedue.engine.money import ZERO, format_money, quantize_cents
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import Stage

OPTION_KIND = {
    OptionId.PAY_IN_FULL: "pay",
    OptionId.SHORT_TERM_PLAN: "plan",
    OptionId.GUARANTEED_AGREEMENT: "plan",
    OptionId.STREAMLINED_AGREEMENT: "plan",
    OptionId.NON_STREAMLINED_AGREEMENT: "plan",
    OptionId.OFFER_IN_COMPROMISE: "offer",
    OptionId.CURRENTLY_NOT_COLLECTIBLE: "hardship",
    OptionId.FIRST_TIME_ABATEMENT: "relief",
    OptionId.REASONABLE_CAUSE: "relief",
    OptionId.DISPUTE: "dispute",
}
# Notices that follow a notice of intent to levy (IRC 6331(d)): failure-to-pay is 1% a month (6651(d)).
# An offset (CP49) is not a levy notice.
LEVY_STAGES = (Stage.INTENT_TO_LEVY, Stage.FINAL_NOTICE_CDP, Stage.AFTER_HEARING_RIGHTS, Stage.LEVY_OR_OFFSET)
# Where a lien was filed or a levy made; a notice of intent (LT11, CP90, CP91) is not one.
ENFORCED_STAGES = (Stage.LIEN, Stage.LEVY_OR_OFFSET)


@dataclass(frozen=True)
class DecisionSections:
    """Sections 4, 5 and 7 of the report."""

    options: OptionsSection
    do_nothing: DoNothingSection
    professional: ProfessionalSection
    pay_today: PayInFull | None = None
    scenario: Scenario | None = None


def _figure(value: advice_figures.CitedAmount | None) -> Figure | None:
    if value is None:
        return None
    return Figure.of(quantize_cents(value.amount), rule=value.rule, source=value.source, note=value.note or None)


def account_with_notice(scenario: Scenario, entry: NoticeEntry | None, notice_date: date | None) -> Scenario:
    """The rebuilt account plus what the notice itself did: a notice and demand for a bill, and a
    notice of intent to levy for the levy stages (IRC 6331(d), 6330)."""
    if entry is None or notice_date is None:
        return scenario
    extra: list[Event] = []
    index = len(scenario.events)
    if entry.is_bill:
        extra.append(Event(date=notice_date, type=EventType.NOTICE_AND_DEMAND, index=index))
    if entry.stage in LEVY_STAGES:
        extra.append(Event(date=notice_date, type=EventType.LEVY_NOTICE, index=index + 1))
    return with_events(scenario, extra) if extra else scenario


def pay_section(pay: PayToday) -> PayInFull:
    """The first figure of the report."""
    if pay.basis.startswith("the amount billed"):
        rule = "IRC 6601(e)(3)"
    elif pay.basis == UNDATED_PAY_BASIS:
        rule = "the notice"
    else:
        rule = advice_figures.ENGINE_RULE
    return PayInFull(
        amount=Figure.of(quantize_cents(pay.amount), rule=rule, source=pay.basis),
        holds_until=pay.holds_until,
        basis=pay.basis,
        next_date=pay.next_date,
        next_amount=(Figure.of(quantize_cents(pay.next_amount), rule=advice_figures.ENGINE_RULE,
                               source="recomputed by the balancedue engine")
                     if pay.next_amount is not None else None),
        notes=list(pay.notes),
    )


def payroll_sections(entry: NoticeEntry | None, notice_date: date | None, today: date, rules: RuleSet,
                     printed: Decimal | None) -> DecisionSections:
    """A payroll (trust fund) notice: worked from the printed amount (the engine recomputes Form 1040 only)."""
    code = entry.code.value if entry else None
    options = payroll_options(printed, notice_date, today, rules)
    balance = advice_figures.CitedAmount(printed or Decimal(0), "the notice", "the amount printed on the notice")
    findings = professional_help(TriageFacts(balance=balance, notice_code=code, business_trust_fund_taxes=True,
                                             levy_or_lien_started=entry is not None and entry.stage in ENFORCED_STAGES),
                                 rules, today)
    # Passport certification (IRC 7345) concerns individuals, not a business's own balance.
    findings = [f for f in findings if f.rule != "triage.passport"]
    notices = expected_notices(code, notice_date or today, rules, today + timedelta(days=365))
    do_nothing = DoNothingSection(
        points=[],
        notices_that_follow=[f"{n.code} ({n.title}) {'most likely sent' if n.expected_on < today else 'expected'} "
                             f"around {n.expected_on.isoformat()}: {n.if_ignored}" for n in notices],
        risks=[TFRP_WARNING, "interest and the failure-to-pay and failure-to-deposit penalties keep growing; the "
               "balance is not recomputed here (the engine recomputes individual income tax only)"],
    )
    pay = printed_pay(notice_date, today, rules, printed, "for payroll taxes", entry)
    return DecisionSections(options, do_nothing, professional_section(findings), pay, None)


def printed_pay(notice_date: date | None, today: date, rules: RuleSet, printed: Decimal | None,
                why_not_recomputed: str, entry: NoticeEntry | None = None) -> PayInFull | None:
    """The printed amount as the figure to pay when the account cannot be recomputed.

    Inside the interest-free period after notice and demand (IRC 6601(e)(3), moved by IRC 7503)
    it is the whole answer; after it, what accrued since is not known and the report says so.
    For a later notice the catalog says whether the period is taken to apply (``entry``)."""
    if printed is None or notice_date is None:
        return None
    until = grace_period_end(rules, notice_date, printed)
    basis = rules.notices.interest_free(entry)
    if today <= until and (basis is None or basis.applies):
        notes = [] if basis is None or basis.settled else [
            f"{basis.assumption} What accrues after the notice date is not recomputed {why_not_recomputed}: "
            "if the IRS charges it, a later notice bills it."]
        return PayInFull(amount=Figure.of(printed, rule="IRC 6601(e)(3)", source="the amount printed on the notice"),
                         holds_until=until,
                         basis=(f"the amount billed on {notice_date.isoformat()}: paid in full by {until.isoformat()} "
                                "it draws no more interest (IRC 6601(e)(3); IRC 7503)"
                                + (UNSETTLED_BASIS if notes else "")),
                         notes=notes)
    return PayInFull(amount=Figure.of(printed, rule="the notice", source="the amount printed on the notice"),
                     holds_until=today,
                     basis=("the amount printed on the notice; interest and penalties since "
                            f"{notice_date.isoformat()} are not recomputed {why_not_recomputed}: ask the IRS for "
                            "today's payoff amount"))


def minimal_scenario(tax_year: int, notice_date: date, rules: RuleSet) -> Scenario:
    """An account with no known events, for a notice whose tax was not read: the printed
    balance is then carried as a whole from the notice date."""
    due = return_due_date(tax_year, rules)
    filed = Event(min(due, notice_date), EventType.RETURN_FILED, ZERO)
    return build_scenario(tax_year, [filed], as_of=notice_date)


def options_section(report: OptionsReport) -> OptionsSection:
    """Section 4 from the options comparison."""
    items = []
    for option in report.options:
        points = option.series.points if option.series is not None else ()
        items.append(
            OptionItem(
                id=option.id.value,
                title=option.title,
                kind=OPTION_KIND.get(option.id, "other"),
                eligible=option.eligibility.verdict.value,
                reasons=[reason.text for reason in option.eligibility.reasons],
                setup_fee=_figure(option.setup_fee),
                monthly_payment=_figure(option.monthly_payment),
                months=option.months,
                total_interest_and_penalty=_figure(option.total_interest_and_penalty),
                total_cost=_figure(option.total_cost),
                next_step=option.next_step,
                sources=sorted({r.rule for r in option.eligibility.reasons}),
                series=[BalancePoint(date=day, balance=f"{quantize_cents(amount):.2f}") for day, amount in points],
                series_source=f"{option.series.rule}: {option.series.source}" if option.series is not None else None,
                tradeoffs=list(OPTION_TRADEOFFS.get(option.id.value, ())),
                notes=[note for note in option.notes if note not in report.notes],
            )
        )
    return OptionsSection(options=items, notes=list(report.notes))


def do_nothing_section(projection: DoNothingProjection) -> DoNothingSection:
    """Section 5 from the projection."""
    points = [
        ProjectionPoint(days=p.days, date=p.on, balance=_figure(p.balance) or Figure.of(Decimal(0), rule="engine.compute"))
        for p in projection.points
    ]
    notices = [
        f"{n.code} ({n.title}) {'most likely sent' if n.expected_on < projection.today else 'expected' if n.estimated else 'due'} "
        f"around {n.expected_on.isoformat()}: {n.if_ignored}"
        for n in projection.notices
    ]
    risks = [projection.lien_risk, projection.levy_risk, projection.passport.note, *projection.notes]
    return DoNothingSection(
        points=points,
        notices_that_follow=notices,
        risks=[r for r in risks if r],
        passport_threshold=_figure(projection.passport.threshold),
        passport_risk=projection.passport.above,
        collection_statute_ends=projection.statute_end.on if projection.statute_end else None,
    )


def professional_section(findings: list[TriageFinding]) -> ProfessionalSection:
    """Section 7 from the triage findings."""
    professional = [f for f in findings if f.help_from is HelpFrom.PROFESSIONAL]
    advocate = [f"{f.title}: {f.reason} {f.how_to_ask}".strip() for f in findings if f.help_from is HelpFrom.TAXPAYER_ADVOCATE]
    clinic = [f"{f.title}: {f.reason} {f.how_to_ask}".strip() for f in findings if f.help_from is HelpFrom.LOW_INCOME_CLINIC]
    return ProfessionalSection(
        advised=bool(professional),
        findings=[
            TriageFindingItem(id=f.rule, reason=f"{f.title}: {f.reason}" + (f" ({f.detail})" if f.detail else ""), source=f.source)
            for f in professional
        ],
        taxpayer_advocate=advocate,
        low_income_clinic=clinic,
    )


@dataclass(frozen=True, slots=True)
class AccountToday:
    """The account as the options start from it, and the one figure to pay today."""

    scenario: Scenario
    projection_rules: ProjectionRules
    pay: PayToday
    authority: bool
    anchor_note: str | None
    history_note: str | None
    undated: bool = False
    """The notice date was not read: the printed amount is taken as the balance today."""


def account_today(
    *,
    entry: NoticeEntry | None,
    notice_date: date | None,
    verification: NoticeVerification,
    today: date,
    rules: RuleSet,
    printed: Decimal | None,
    tax_year: int | None,
    pay_by: date | None,
) -> AccountToday | None:
    """The rebuilt account with what the notice did and what has most likely happened since, and
    the figure to pay in full today; None when the account cannot be rebuilt."""
    code = entry.code.value if entry else None
    base = verification.scenario
    # A notice whose date was not read: the options still start from the printed amount, taken as
    # the balance today; what counts from the notice date is left out and said to be.
    undated = base is None and printed is not None and notice_date is None and tax_year is not None
    if base is None and printed is not None and tax_year is not None:
        base = minimal_scenario(tax_year, notice_date or today, rules)
    if base is None:
        return None
    scenario = account_with_notice(base, entry, notice_date)
    projection_rules = rules_for_projection(rules, today)
    anchor_note: str | None = None
    authority = verification.basis in (RecomputationBasis.ASSUMPTIONS, RecomputationBasis.NONE) and printed is not None
    if authority:
        anchored = anchor_to_notice(scenario, printed, today if undated else notice_date, projection_rules.rules)
        scenario, anchor_note = anchored.scenario, anchored.note
        if undated and printed is not None:
            anchor_note = undated_note(printed, today)
    history_note: str | None = None
    if notice_date is not None and entry is not None and entry.stage not in LEVY_STAGES:
        # An old notice: a notice of intent to levy has most likely been sent since (estimated date).
        levy = next((n for n in expected_notices(code, notice_date, rules, today)
                     if (e := rules.notices.find(n.code)) is not None and e.stage is Stage.INTENT_TO_LEVY), None)
        if levy is not None:
            scenario = with_events(scenario, [Event(date=levy.expected_on, type=EventType.LEVY_NOTICE)])
            history_note = (f"Today's figures assume the notice of intent to levy ({levy.code}) was sent around "
                            f"{levy.expected_on.isoformat()} (estimated): failure-to-pay at 1% a month from the month "
                            "starting more than 10 days later (IRC 6651(d)).")
    if undated and printed is not None:
        pay = PayToday(amount=printed, holds_until=today, basis=UNDATED_PAY_BASIS)
    else:
        pay = pay_in_full_today(scenario, today, projection_rules.rules, notice_date=notice_date,
                                is_bill=bool(entry and entry.is_bill), printed=printed if authority else None,
                                printed_until=pay_by if code == "CP14C" else None,
                                interest_free=rules.notices.interest_free(entry))
    if entry is not None and entry.stage is Stage.PROPOSED_CHANGE:
        pay = replace(pay, basis=PROPOSAL_PAY_BASIS)
    return AccountToday(scenario, projection_rules, pay, authority, anchor_note, history_note, undated)


def pay_today_section(
    *,
    entry: NoticeEntry | None,
    notice_date: date | None,
    verification: NoticeVerification,
    today: date,
    rules: RuleSet,
    printed: Decimal | None = None,
    tax_year: int | None = None,
    business_payroll: bool = False,
    pay_by: date | None = None,
) -> PayInFull | None:
    """The report's first figure alone, as :func:`build_decision_sections` gives it, without
    comparing the options (a small part of the work: for lists of cases)."""
    if business_payroll:
        return payroll_sections(entry, notice_date, today, rules, printed).pay_today
    account = account_today(entry=entry, notice_date=notice_date, verification=verification, today=today, rules=rules,
                            printed=printed, tax_year=tax_year, pay_by=pay_by)
    if account is None:
        return printed_pay(notice_date, today, rules, printed if entry is not None and entry.is_bill else None,
                           UNREBUILT, entry)
    return pay_section(account.pay)


def build_decision_sections(
    *,
    entry: NoticeEntry | None,
    notice_date: date | None,
    tax_periods: int,
    verification: NoticeVerification,
    today: date,
    rules: RuleSet,
    finances: Finances | None = None,
    fta: FtaVerdictLike | None = None,
    csed: date | None = None,
    tax_years_owed: int = 0,
    printed: Decimal | None = None,
    tax_year: int | None = None,
    business_payroll: bool = False,
    pay_by: date | None = None,
) -> DecisionSections:
    """Options, the do-nothing projection and professional help for the rebuilt account.

    Without records or transcripts, ``printed`` (the amount on the notice) is the authority:
    every figure to pay starts from it (see :mod:`balancedue.advice.authority`)."""
    code = entry.code.value if entry else None
    if business_payroll:
        return payroll_sections(entry, notice_date, today, rules, printed)
    account = account_today(entry=entry, notice_date=notice_date, verification=verification, today=today, rules=rules,
                            printed=printed, tax_year=tax_year, pay_by=pay_by)
    if account is None:
        empty_projection = DoNothingSection(points=[], risks=["The account could not be rebuilt from the notice."])
        return DecisionSections(
            OptionsSection(options=[], notes=["No options could be computed: they start from the amount due or the tax, with the tax year, "
                                        "and these were not all read from the notice."]),
            empty_projection,
            ProfessionalSection(advised=False),
            printed_pay(notice_date, today, rules, printed if entry is not None and entry.is_bill else None, UNREBUILT,
                        entry),
        )
    scenario, projection_rules, pay = account.scenario, account.projection_rules, account.pay
    anchor_note, history_note, authority = account.anchor_note, account.history_note, account.authority
    undated = account.undated
    statement = compute(scenario, today, rules=projection_rules.rules)
    facts = OptionFacts(individual=True, notice_code=code, csed=csed, fta=fta,
                        pay_today=pay.amount, pay_today_until=pay.holds_until, printed=printed,
                        printed_on=notice_date)
    options = compare_options(scenario, statement, today, rules, finances=finances, facts=facts)
    projection = project_do_nothing(scenario, today, rules, notice_code=code, notice_date=notice_date, csed=csed)
    offer = options.option(OptionId.OFFER_IN_COMPROMISE)
    triage = TriageFacts(
        balance=advice_figures.engine_figure(statement.balance, today),
        tax_years=max(1, tax_periods, tax_years_owed),
        notice_code=code,
        levy_or_lien_started=entry is not None and entry.stage in ENFORCED_STAGES,
        # An offer is worth a professional only when the finances show it may fit (not for every balance).
        offer_in_compromise_considered=finances is not None and offer is not None
        and offer.eligibility.verdict.value != "no",
    )
    findings = professional_help(triage, rules, today, finances=finances)
    section = options_section(options)
    notice_amount = next((c.notice for c in verification.comparisons if c.item == "amount_due"), None)
    mismatch = next((c for c in verification.comparisons if c.item == "amount_due" and c.matches is False), None)
    if history_note is not None:
        section = section.model_copy(update={"notes": [history_note, *section.notes]})
    if anchor_note is not None:
        section = section.model_copy(update={"notes": [anchor_note, *section.notes]})
    elif mismatch is not None and notice_amount is not None and not authority:
        section = section.model_copy(
            update={
                "notes": [
                    *section.notes,
                    f"These options start from the recomputed balance of ${statement.balance:,.2f} on "
                    f"{today.isoformat()}, not from the ${notice_amount:,.2f} printed on the notice; "
                    "section 3 explains the difference.",
                ]
            }
        )
    do_nothing = do_nothing_section(projection)
    if undated:
        # The notices that follow are dated from the notice date: without it they are not dated.
        do_nothing = do_nothing.model_copy(update={"notices_that_follow": [], "risks": [UNDATED_PROJECTION, *do_nothing.risks]})
    return DecisionSections(section, do_nothing, professional_section(findings), pay_section(pay), scenario)


PROPOSAL_PAY_BASIS = ("not a bill: only if you agree with the proposed change, the proposed amount with interest to today; "
                      "paying what you agree with now stops interest on it (IRC 6601(a)). Answer the notice by its "
                      "response date whatever you decide")
UNREBUILT = "(the account could not be rebuilt from the notice without its tax year)"
UNDATED_PAY_BASIS = ("the amount printed on the notice; the interest and penalties added since the notice date are "
                     "not included, and the day until which the amount billed holds is not known: both need the "
                     "notice date")
UNDATED_PROJECTION = ("Starts from the amount printed on the notice, taken as the balance today: what was added since "
                      "the notice date, and when the next notices come, need the notice date.")


def undated_note(printed: Decimal, today: date) -> str:
    """What the options of a notice with no date read start from, and what they leave out."""
    return (f"The notice date was not read: the options start from the {format_money(printed)} printed on the "
            f"notice, taken as the balance on {today.isoformat()}. The setup fees, monthly payments and totals "
            "below follow from that amount; the interest and penalties added since the notice date, the deadlines "
            "counted from it and the interest-free period for paying the amount billed need the notice date.")
