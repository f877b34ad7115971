"""Every way out of a balance due, each with eligibility, cost and the next step.

:func:`compare_options` builds one :class:`PaymentOption` per option:

* pay in full (official channels; card processors charge their own fee);
* short-term payment plan (up to 180 days, no user fee, penalties and interest continue);
* guaranteed, streamlined and non-streamlined installment agreements: eligibility with its
  reasons, the user fee by channel (low-income rules included), the minimum monthly payment,
  the months to pay off and the interest and penalty until paid, all *simulated with the
  engine* (an ``installment_agreement`` event and monthly ``payment`` events are added to the
  scenario, so the 0.25% agreement rate of IRC 6651(h) comes from the engine itself);
* offer in compromise and currently-not-collectible screening (from ``--finances``);
* penalty relief (first-time abatement, reasonable cause) and the dispute routes.

Each option carries a balance-over-time series for a chart.  Every amount is a
:class:`~balancedue.advice.figures.CitedAmount` naming its rule and source.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from balancedue.advice.figures import (
    ENGINE_RULE,
    BalanceSeries,
    CitedAmount,
    Eligibility,
    EligibilityVerdict,
    Reason,
    combine,
    derived,
    engine_figure,
    parameter_figure,
)
from balancedue.advice.finances import Finances
from balancedue.advice.offer import (
    financial_picture,
    offer_eligibility,
    screen_not_collectible,
    screen_offer,
)
from balancedue.advice.option_types import (
    ChannelInfo,
    FeeChoice,
    OptionFacts,
    OptionId,
    OptionsReport,
    PaymentOption,
)
from balancedue.advice.relief import (
    REASONABLE_CAUSE_SITUATIONS,
    ReliefScreening,
    dispute_routes,
    fta_eligibility,
    relief_savings,
)
from balancedue.advice.simulation import PlanRun, PlanSimulator, months_until
from balancedue.engine import EventType, Scenario, Statement
from balancedue.engine.dates import add_months
from balancedue.engine.money import ZERO, format_money
from balancedue.errors import DateOutsideRulesError
from balancedue.rules import RuleSet
from balancedue.rules.notices import Stage

_SIMULATED = "simulated with the balancedue engine (IRC 6601, 6621, 6651(h))"


def _series(points: tuple[tuple[date, Decimal], ...], note: str, assumption: str | None) -> BalanceSeries:
    text = f"{note}; {assumption}" if assumption else note
    return BalanceSeries(points, ENGINE_RULE, _SIMULATED, text)


def agreement_fees(rules: RuleSet, on: date, *, online_allowed: bool, direct_debit_required: bool,
                   low_income: bool | None) -> tuple[FeeChoice, ...]:
    """The long-term agreement user fee for each channel and payment method (26 CFR 300.1)."""
    combos = (
        ("online", True, "online_direct_debit"),
        ("online", False, "online_other"),
        ("phone, mail or in person", True, "direct_debit_other_channel"),
        ("phone, mail or in person", False, "other_channel"),
    )
    choices = []
    for channel, direct_debit, key in combos:
        rule, note = f"fees.installment_agreement.{key}", ""
        if low_income:
            rule = f"fees.installment_agreement.low_income_{'direct_debit' if direct_debit else 'other'}"
            note = "low-income fee"
            reimbursed = rules.parameters.decimal("fees.installment_agreement.low_income_reimbursed_share", on)
            if not direct_debit and reimbursed > 0:
                note = "low-income fee, reimbursed when the agreement is completed (IRC 6159(f)(2)(B))"
        available = (online_allowed or channel != "online") and (direct_debit or not direct_debit_required)
        why = ""
        if not available:
            why = "direct debit is required at this balance" if direct_debit_required and not direct_debit else "not available online at this balance"
        choices.append(FeeChoice(channel, direct_debit, parameter_figure(rules, rule, on, note), available, why))
    return tuple(choices)


def _cheapest(choices: tuple[FeeChoice, ...]) -> CitedAmount:
    available = [c for c in choices if c.available] or list(choices)
    return min(available, key=lambda c: c.fee.amount).fee


def _plan_option(option_id: OptionId, title: str, eligibility: Eligibility, run: PlanRun, fee: CitedAmount,
                 payment_note: str, choices: tuple[FeeChoice, ...], next_step: str,
                 notes: tuple[str, ...] = ()) -> PaymentOption:
    start = run.start_balance
    monthly = derived(run.monthly_payment, ENGINE_RULE, _SIMULATED, payment_note)
    extra: tuple[str, ...] = ()
    if run.months is None:
        months = None
        extra = (f"{len(run.payments)} payments of {format_money(run.monthly_payment)} leave "
                 f"{format_money(run.remaining)} unpaid: a partial-payment installment agreement may fit",)
        paid_off_cost: tuple[CitedAmount | None, CitedAmount | None] = (None, None)
    else:
        months = run.months
        interest = engine_figure(run.total_paid - start, run.start,
                                 f"payments {format_money(run.total_paid)} less today's balance {format_money(start)}")
        paid_off_cost = (interest, derived(run.total_paid + fee.amount, ENGINE_RULE, _SIMULATED,
                                           "all payments plus the setup fee"))
    return PaymentOption(
        id=option_id, title=title, eligibility=eligibility, next_step=next_step, setup_fee=fee,
        monthly_payment=monthly, months=months, total_interest_and_penalty=paid_off_cost[0],
        total_cost=paid_off_cost[1], fee_choices=choices,
        series=_series(run.series, "balance after each sampled payment", run.assumption),
        notes=notes + extra + ((run.assumption,) if run.assumption else ()),
    )


class _Context:
    """What every option for one account shares: the balance, the simulator, the finances."""

    def __init__(self, scenario: Scenario, statement: Statement, today: date, rules: RuleSet,
                 finances: Finances | None, facts: OptionFacts) -> None:
        self.today, self.rules, self.facts = today, rules, facts
        self.statement = statement
        self.months_to_csed = months_until(today, facts.csed) if facts.csed else None
        self.cap = max(self.months_to_csed if self.months_to_csed is not None
                       else months_until(today, estimated_csed(scenario, rules)), 1)
        horizon = max(self.cap, rules.parameters.integer("plans.streamlined.max_months", today))
        self.sim = PlanSimulator(scenario, today, rules, horizon)
        self.balance = engine_figure(self.sim.start_balance, today, "balance due today")
        self.picture = financial_picture(finances, rules, today) if finances else None
        self.low_income = self.picture.low_income.is_low_income if self.picture else None
        entry = rules.notices.find(facts.notice_code) if facts.notice_code else None
        self.stage: Stage | None = entry.stage if entry else None

    def balance_words(self) -> str:
        """Today's balance and the figure it starts from, in the words of the report's figure to pay."""
        amount = self.balance.amount
        printed, printed_on = self.facts.printed, self.facts.printed_on
        if printed is None or printed_on is None or printed_on > self.today:
            return f"balance today {format_money(amount)}"
        until = self.facts.pay_today_until
        if self.facts.pay_today == printed and until is not None and until > self.today:
            return f"balance {format_money(printed)} (the amount printed on {printed_on.isoformat()}, the figure to pay until {until.isoformat()})"
        added = amount - printed
        if added == ZERO:
            return f"balance today {format_money(amount)} (the amount printed on {printed_on.isoformat()})"
        return (f"balance today {format_money(amount)} (the {format_money(printed)} printed on {printed_on.isoformat()} "
                f"{'plus' if added > ZERO else 'less'} {format_money(abs(added))} "
                f"{'of interest and penalties since' if added > ZERO else 'recomputed'})")

    def p(self, rule_id: str, note: str = "") -> CitedAmount:
        return parameter_figure(self.rules, rule_id, self.today, note)

    def common_reasons(self) -> list[tuple[bool | None, Reason]]:
        reasons: list[tuple[bool | None, Reason]] = []
        filed = self.facts.all_returns_filed
        reasons.append((filed, Reason(
            "all required returns are filed" if filed else
            "all required returns must be filed first" + ("" if filed is False else " (not known)"),
            "input.facts.all_returns_filed")))
        return reasons

    def statement_exception(self) -> str | None:
        """Why the IRS would still ask for a financial statement below the no-statement limit."""
        code = (self.facts.notice_code or "").upper()
        if code == "LTR1058":
            return "a revenue officer works the case (Letter 1058)"
        if self.stage is Stage.LEVY_OR_OFFSET:
            return "a levy is in place"
        if self.stage is Stage.PASSPORT:
            return "the debt was certified to the State Department"
        return None


def _pay_in_full(ctx: _Context) -> PaymentOption:
    channels = []
    for channel in getattr(ctx.rules.contacts, "payment_channels", ()):
        percent = getattr(channel, "fee_percent", None)
        source = channel.source.short()
        channels.append(ChannelInfo(
            id=channel.id, name=channel.name, kind=str(channel.kind), url=channel.url, fee=channel.fee,
            source=source,
            fee_percent=CitedAmount(Decimal(str(percent)), f"contacts.payment_channels.{channel.id}", source)
            if percent is not None else None,
        ))
    amount = ctx.facts.pay_today if ctx.facts.pay_today is not None else ctx.balance.amount
    until = ctx.facts.pay_today_until
    when = f" by {until.isoformat()}" if until is not None and until > ctx.today else " today"
    total = ctx.balance if amount == ctx.balance.amount else derived(
        amount, "IRC 6601(e)(3)", "the amount billed, paid within the interest-free period",
        f"holds until {until.isoformat()}" if until else "")
    return PaymentOption(
        id=OptionId.PAY_IN_FULL, title="Pay in full",
        eligibility=Eligibility(EligibilityVerdict.YES if amount > ZERO else EligibilityVerdict.NO,
                                (Reason("paying in full stops interest and penalties now", ENGINE_RULE),)),
        next_step=f"Pay {format_money(amount)}{when} through IRS Direct Pay or your IRS online account (free), "
                  "or by card through an IRS-authorized processor (the processor charges a fee).",
        total_interest_and_penalty=engine_figure(ZERO, ctx.today, "nothing more accrues once paid"),
        total_cost=total, channels=tuple(channels),
        series=_series(((ctx.today, amount), (ctx.today, ZERO)), "paid today", None),
    )



def _short_term(ctx: _Context) -> PaymentOption:
    days = ctx.rules.parameters.integer("plans.short_term.max_days", ctx.today)
    limit = ctx.p("plans.short_term.online_max_balance")
    online = ctx.balance.amount < limit.amount
    eligibility = Eligibility(EligibilityVerdict.YES if online else EligibilityVerdict.MAYBE, (
        Reason(f"pay the full balance within {days} days", "plans.short_term.max_days"),
        Reason(f"balance {'below' if online else 'not below'} {format_money(limit.amount)}: "
               f"{'apply online' if online else 'ask by phone'}", "plans.short_term.online_max_balance"),
    ))
    end = ctx.today + timedelta(days=days)
    due = ctx.sim.balance(ctx.sim.scenario, end)
    fee = ctx.p("fees.short_term_plan")
    path = ctx.sim.path(list(range(30, days, 30))) if days > 30 else ()
    points = ((ctx.today, ctx.balance.amount), *path, (end, due), (end, ZERO))
    return PaymentOption(
        id=OptionId.SHORT_TERM_PLAN, title=f"Short-term payment plan (up to {days} days)",
        eligibility=eligibility, setup_fee=fee,
        monthly_payment=None, months=None,
        total_interest_and_penalty=engine_figure(due - ctx.balance.amount, end,
                                                 f"if the balance is paid on day {days}; paying sooner costs less"),
        total_cost=engine_figure(due + fee.amount, end, f"balance on day {days} plus the setup fee"),
        next_step=f"Apply for a short-term plan (online at IRS.gov/paymentplan or by phone) and pay "
                  f"{format_money(due)} by {end.isoformat()}.",
        series=_series(points, "nothing paid until the last day", ctx.sim.assumption),
        notes=("failure-to-pay stays at the normal rate: a short-term plan is not an installment agreement",),
    )



def _guaranteed(ctx: _Context) -> PaymentOption:
    max_tax = ctx.p("plans.guaranteed.max_tax")
    months = ctx.rules.parameters.integer("plans.guaranteed.max_months", ctx.today)
    years = ctx.rules.parameters.integer("plans.guaranteed.lookback_years", ctx.today)
    tax = ctx.statement.unpaid.tax
    reasons = ctx.common_reasons()
    reasons.insert(0, (ctx.facts.individual, Reason("for individuals", "plans.guaranteed.max_tax")))
    reasons.insert(1, (tax <= max_tax.amount, Reason(
        f"unpaid tax {format_money(tax)} (without penalties and interest) "
        f"{'is within' if tax <= max_tax.amount else 'is above'} {format_money(max_tax.amount)}",
        "plans.guaranteed.max_tax")))
    clean = ctx.facts.compliant_prior_years
    reasons.append((clean, Reason(
        f"no failure to file or pay and no installment agreement in the prior {years} years"
        + ("" if clean is not None else " (not known)"), "plans.guaranteed.lookback_years")))
    eligibility = combine(reasons)
    return _agreement(ctx, OptionId.GUARANTEED_AGREEMENT, "Guaranteed installment agreement", eligibility,
                           months, "plans.guaranteed.max_months", direct_debit_required=False)



def _streamlined(ctx: _Context) -> PaymentOption:
    limit = ctx.p("plans.streamlined.max_balance")
    months = ctx.rules.parameters.integer("plans.streamlined.max_months", ctx.today)
    if ctx.months_to_csed is not None:
        months = min(months, ctx.months_to_csed)
    dd_limit = ctx.p("plans.streamlined.direct_debit_above")
    amount = ctx.balance.amount
    reasons = ctx.common_reasons()
    reasons.insert(0, (amount <= limit.amount, Reason(
        f"{ctx.balance_words()} {'is within' if amount <= limit.amount else 'is above'} "
        f"{format_money(limit.amount)}", "plans.streamlined.max_balance")))
    dd_required = amount > dd_limit.amount
    if dd_required:
        reasons.append((True, Reason(f"above {format_money(dd_limit.amount)}: direct debit (or payroll deduction) is required",
                                     "plans.streamlined.direct_debit_above")))
    return _agreement(ctx, OptionId.STREAMLINED_AGREEMENT, "Streamlined installment agreement",
                           combine(reasons), months, "plans.streamlined.max_months", direct_debit_required=dd_required)



def _agreement(ctx: _Context, option_id: OptionId, title: str, eligibility: Eligibility, term: int, term_rule: str,
               *, direct_debit_required: bool) -> PaymentOption:
    online = ctx.balance.amount <= ctx.p("plans.streamlined.max_balance").amount
    choices = agreement_fees(ctx.rules, ctx.today, online_allowed=online,
                             direct_debit_required=direct_debit_required, low_income=ctx.low_income)
    fee = _cheapest(choices)
    if eligibility.verdict is EligibilityVerdict.NO:
        return PaymentOption(id=option_id, title=title, eligibility=eligibility, fee_choices=choices,
                             setup_fee=fee, next_step="Not available: see the reasons.")
    payment = ctx.sim.minimum_payment(term)
    run = ctx.sim.simulate(payment, term)
    note = (f"the smallest whole-dollar payment that pays the balance within {term} months, "
            f"interest and the 0.25% agreement penalty included ({term_rule})")
    notes: tuple[str, ...] = ()
    if ctx.low_income is None:
        percent = ctx.p("low_income.poverty_guideline_percent").amount
        notes = (f"if your adjusted gross income is at or below {percent}% of the poverty guidelines the fee is "
                 "lower or waived; give --finances to check",)
    step = (f"Apply online at IRS.gov/paymentplan (or with Form 9465) for {format_money(payment)} a month"
            + (" by direct debit" if direct_debit_required else "") + f"; setup fee {format_money(fee.amount)}.")
    return _plan_option(option_id, title, eligibility, run, fee, note, choices, step, notes)



def _non_streamlined(ctx: _Context) -> PaymentOption:
    limit = ctx.p("plans.streamlined.max_balance")
    no_statement = ctx.p("plans.non_streamlined.no_financial_statement_max_balance")
    amount = ctx.balance.amount
    above = amount > limit.amount
    title = "Non-streamlined installment agreement"
    reasons = ctx.common_reasons()
    statement_needed = amount > no_statement.amount
    exception = ctx.statement_exception()
    if not above:
        reasons.insert(0, (False, Reason(f"balance within {format_money(limit.amount)}: a streamlined agreement "
                                         "is available instead", "plans.streamlined.max_balance")))
    elif statement_needed or exception:
        why = (exception or f"balance above {format_money(no_statement.amount)}")
        reasons.insert(0, (None, Reason(f"{why}: the IRS sets the payment from a financial statement "
                                        "(Form 433-F or 433-A)",
                                        "plans.non_streamlined.no_financial_statement_max_balance")))
    else:
        reasons.insert(0, (True, Reason(
            f"balance between {format_money(limit.amount)} and {format_money(no_statement.amount)}: generally granted "
            "without a financial statement when the payment pays the balance within the collection statute "
            "(unless a revenue officer is assigned, a levy is in place, the debt was certified for passport action "
            "or an agreement defaulted in the last 12 months)",
            "plans.non_streamlined.no_financial_statement_max_balance")))
    eligibility = combine(reasons)
    choices = agreement_fees(ctx.rules, ctx.today, online_allowed=False, direct_debit_required=False,
                             low_income=ctx.low_income)
    fee = _cheapest(choices)
    if eligibility.verdict is EligibilityVerdict.NO:
        return PaymentOption(id=OptionId.NON_STREAMLINED_AGREEMENT, title=title, eligibility=eligibility,
                             fee_choices=choices, setup_fee=fee, next_step="Not needed: see the reasons.")
    term = ctx.rules.parameters.integer("plans.streamlined.max_months", ctx.today)
    notes: tuple[str, ...] = ("a notice of federal tax lien may be filed",)
    pay_down = amount - limit.amount
    if above:
        notes += (f"Paying {format_money(pay_down)} now brings the balance down to {format_money(limit.amount)}: a "
                  "streamlined agreement (online, no financial statement, generally no lien filing) then fits.",)
    if ctx.picture is not None and ctx.picture.disposable_income.amount > ZERO:
        payment = ctx.picture.disposable_income.amount.quantize(Decimal(1), rounding=ROUND_DOWN)
        note = "your monthly disposable income after allowable expenses (what the IRS would ask)"
        run = ctx.sim.simulate(payment, ctx.cap)
    elif ctx.picture is not None and (statement_needed or exception):
        return PaymentOption(id=OptionId.NON_STREAMLINED_AGREEMENT, title=title, eligibility=eligibility,
                             fee_choices=choices, setup_fee=fee, notes=notes,
                             next_step="No disposable income after allowable expenses: see currently not collectible.")
    else:
        months = ctx.cap if not (statement_needed or exception) else term
        payment = ctx.sim.minimum_payment(months)
        note = (f"the payment that pays the balance within {months} months"
                + ("; the IRS sets the payment from your financial statement" if statement_needed or exception
                   else "; you propose it, no financial statement needed"))
        run = ctx.sim.simulate(payment, months)
    step = (f"Call the number on the notice to request an agreement of {format_money(payment)} a month"
            + ("; have Form 433-F ready (a revenue officer may ask for Form 433-A)." if statement_needed or exception
               else " (Form 9465 by mail also works); no financial statement is needed at this balance."))
    return _plan_option(OptionId.NON_STREAMLINED_AGREEMENT, title, eligibility, run, fee, note, choices, step, notes)



def _offer(ctx: _Context) -> PaymentOption:
    screening = screen_offer(ctx.balance, ctx.picture, ctx.rules, ctx.today,
                             all_returns_filed=ctx.facts.all_returns_filed, in_bankruptcy=ctx.facts.in_bankruptcy,
                             months_to_csed=ctx.months_to_csed)
    total = None
    if screening.lump_sum_offer is not None:
        total = derived(screening.lump_sum_offer.amount + screening.application_fee.amount,
                        screening.lump_sum_offer.rule, screening.lump_sum_offer.source,
                        "lump-sum offer plus the application fee")
    return PaymentOption(
        id=OptionId.OFFER_IN_COMPROMISE, title="Offer in compromise", eligibility=offer_eligibility(screening),
        setup_fee=screening.application_fee, monthly_payment=screening.periodic_monthly_payment,
        months=screening.periodic_months, total_cost=total, offer=screening,
        next_step="Use the IRS Offer in Compromise Pre-Qualifier, then file Form 656 with Form 433-A (OIC), "
                  "the fee and the initial payment (Form 656-B booklet).",
        notes=("collection is generally suspended while the offer is pending, but interest keeps running",),
    )



def _not_collectible(ctx: _Context) -> PaymentOption:
    eligibility = screen_not_collectible(ctx.balance, ctx.picture)
    path = ctx.sim.path([30 * k for k in range(1, 13)])
    return PaymentOption(
        id=OptionId.CURRENTLY_NOT_COLLECTIBLE, title="Currently not collectible (hardship)",
        eligibility=eligibility,
        next_step="Call the number on the notice, explain the hardship and send Form 433-F with proof of income and expenses.",
        series=_series(((ctx.today, ctx.balance.amount), *path), "collection paused; interest and penalties keep growing",
                       ctx.sim.assumption),
        notes=("the IRS reviews the account again later and may file a lien; refunds are kept and applied",),
    )



def _relief(ctx: _Context) -> tuple[PaymentOption, PaymentOption]:
    screening = relief_savings(ctx.sim, ctx.statement)
    fta, questions = fta_eligibility(ctx.facts.fta, screening, ctx.rules, ctx.today)
    fta_option = PaymentOption(
        id=OptionId.FIRST_TIME_ABATEMENT, title="First-time penalty abatement", eligibility=fta,
        relief=screening, questions=questions,
        next_step="Call the number on the notice and ask for first-time abatement, or write (Form 843 for penalties already paid).",
    )
    has_penalty = screening.penalties.amount > ZERO
    cause = Eligibility(EligibilityVerdict.MAYBE if has_penalty else EligibilityVerdict.NO, (Reason(
        "relief when ordinary business care and prudence could not prevent the failure"
        if has_penalty else "no failure-to-file or failure-to-pay penalty to remove", "relief.fta.lookback_years"),))
    situations = ReliefScreening(screening.penalties, screening.savings, situations=REASONABLE_CAUSE_SITUATIONS)
    cause_option = PaymentOption(
        id=OptionId.REASONABLE_CAUSE, title="Penalty relief for reasonable cause", eligibility=cause,
        relief=situations,
        next_step="Write to the address on the notice: what happened and when, how it stopped you filing or paying, "
                  "and what you did once you could; attach documents (or use Form 843).",
        notes=("interest is not removed for reasonable cause, only the interest on removed penalties",),
    )
    return fta_option, cause_option



def _dispute(ctx: _Context) -> PaymentOption:
    routes = dispute_routes(ctx.stage, ctx.facts.notice_code, ctx.rules, ctx.today)
    verdict = EligibilityVerdict.YES if ctx.facts.disputes_balance else EligibilityVerdict.MAYBE
    return PaymentOption(
        id=OptionId.DISPUTE, title="Dispute the balance or the collection action",
        eligibility=Eligibility(verdict, (Reason("only if the balance or the action is wrong", "input.facts.disputes_balance"),)),
        routes=routes,
        next_step=routes[0].how if routes else "Call the number on the notice.",
    )


TITLES = {
    OptionId.PAY_IN_FULL: "Pay in full",
    OptionId.SHORT_TERM_PLAN: "Short-term payment plan",
    OptionId.GUARANTEED_AGREEMENT: "Guaranteed installment agreement",
    OptionId.STREAMLINED_AGREEMENT: "Streamlined installment agreement",
    OptionId.NON_STREAMLINED_AGREEMENT: "Non-streamlined installment agreement",
    OptionId.OFFER_IN_COMPROMISE: "Offer in compromise",
    OptionId.CURRENTLY_NOT_COLLECTIBLE: "Currently not collectible (hardship)",
    OptionId.FIRST_TIME_ABATEMENT: "First-time penalty abatement",
    OptionId.REASONABLE_CAUSE: "Penalty relief for reasonable cause",
}


def _nothing_owed(ctx: _Context) -> OptionsReport:
    """Nothing is owed today: every payment option is closed; a dispute may still matter."""
    reason = Reason(f"nothing is owed today (balance {format_money(ctx.balance.amount)})", ENGINE_RULE)
    closed = tuple(
        PaymentOption(id=option_id, title=title, eligibility=Eligibility(EligibilityVerdict.NO, (reason,)),
                      next_step="Nothing to pay; keep the notice and your payment records.")
        for option_id, title in TITLES.items()
    )
    return OptionsReport(today=ctx.today, balance=ctx.balance, options=(*closed, _dispute(ctx)),
                         finances=ctx.picture, notes=("nothing is owed on this account today",))


def _not_in_data(option_id: OptionId, error: DateOutsideRulesError) -> PaymentOption:
    """An option whose terms on this date are not in the rules data: said so, never guessed."""
    reason = Reason(f"its terms on this date are not in the rules data ({error})", "rules.data")
    return PaymentOption(id=option_id, title=TITLES[option_id],
                         eligibility=Eligibility(EligibilityVerdict.MAYBE, (reason,)),
                         next_step="Ask the IRS (the number on the notice) for this option's terms on this date.")


def _guarded(build: Callable[[_Context], PaymentOption], ctx: _Context, option_id: OptionId) -> PaymentOption:
    """One option, or the note that the rules data does not cover its terms on ``ctx.today``.

    A date the rules data does not reach (an old notice analyzed as of its own time) closes
    only the options that need the missing figure; the rest of the report stands.
    """
    try:
        return build(ctx)
    except DateOutsideRulesError as error:
        return _not_in_data(option_id, error)


def estimated_csed(scenario: Scenario, rules: RuleSet) -> date:
    """The collection statute end estimated from the return's filing date (the first assessment).

    Assessment follows filing by some weeks and suspensions (offers, hearings, bankruptcy, time
    abroad) extend the statute, so this is an estimate for bounding simulations, not a date to
    rely on.
    """
    filed = next((e.date for e in scenario.events if e.type is EventType.RETURN_FILED), None)
    start = filed or date(scenario.tax_year + 1, 1, 1)
    years = rules.parameters.integer("collection.csed.years", start)
    return add_months(start, years * 12)


def compare_options(
    scenario: Scenario,
    statement: Statement,
    today: date,
    rules: RuleSet,
    finances: Finances | None = None,
    facts: OptionFacts | None = None,
) -> OptionsReport:
    """Every option for the account of ``scenario`` on ``today``.

    ``statement`` is the engine's statement of the account (its unpaid tax is the guaranteed
    agreement's test); the balance itself is recomputed as of ``today``.
    """
    ctx = _Context(scenario, statement, today, rules, finances, facts or OptionFacts())
    if ctx.balance.amount <= ZERO:
        return _nothing_owed(ctx)
    try:
        fta, cause = _relief(ctx)
    except DateOutsideRulesError as error:
        fta = _not_in_data(OptionId.FIRST_TIME_ABATEMENT, error)
        cause = _not_in_data(OptionId.REASONABLE_CAUSE, error)
    options = (
        _guarded(_pay_in_full, ctx, OptionId.PAY_IN_FULL),
        _guarded(_short_term, ctx, OptionId.SHORT_TERM_PLAN),
        _guarded(_guaranteed, ctx, OptionId.GUARANTEED_AGREEMENT),
        _guarded(_streamlined, ctx, OptionId.STREAMLINED_AGREEMENT),
        _guarded(_non_streamlined, ctx, OptionId.NON_STREAMLINED_AGREEMENT),
        _guarded(_offer, ctx, OptionId.OFFER_IN_COMPROMISE),
        _guarded(_not_collectible, ctx, OptionId.CURRENTLY_NOT_COLLECTIBLE),
        fta,
        cause,
        _dispute(ctx),
    )
    notes: list[str] = []
    if ctx.sim.assumption:
        notes.append(ctx.sim.assumption)
    if ctx.picture is not None:
        notes.extend(ctx.picture.expenses.flags)
    return OptionsReport(today=today, balance=ctx.balance, options=options, finances=ctx.picture,
                         notes=tuple(notes))
