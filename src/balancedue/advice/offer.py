"""Offer in compromise and currently-not-collectible screening from the household's finances.

Offer in compromise (doubt as to collectibility, IRC 7122; Form 656-B): the IRS generally
accepts an offer that equals the reasonable collection potential (RCP):

    RCP = net realizable equity in assets + monthly disposable income x M
    M = 12 for a lump-sum offer (5 or fewer payments), 24 for a periodic-payment offer

A lump-sum offer is sent with 20% of the amount offered; a periodic offer with its first
payment.  The application fee and those payments are waived for a low-income taxpayer.  The
screening says "likely" when the RCP is below the balance and nothing blocks an offer,
"possible" when the figures rest on actual amounts the data could not check, and "unlikely"
when the taxpayer can pay in full from equity and income (or a prerequisite is missing).

Currently not collectible (IRM 5.16; Policy Statement 5-71): when paying would leave the
household unable to meet necessary living expenses, i.e. disposable income at or below zero,
and no equity to draw on.  Interest and penalties keep growing meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from balancedue.advice.figures import (
    CitedAmount,
    Eligibility,
    EligibilityVerdict,
    Reason,
    derived,
    parameter_figure,
)
from balancedue.advice.finances import (
    AllowableExpenses,
    Equity,
    Finances,
    LowIncomeTest,
    allowable_expenses,
    is_low_income,
    monthly_disposable_income,
    net_realizable_equity,
)
from balancedue.engine.money import ZERO, quantize_cents
from balancedue.rules import RuleSet


class Likelihood(StrEnum):
    """How an offer screens."""

    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


@dataclass(frozen=True, slots=True)
class FinancialPicture:
    """Expenses allowed, disposable income, equity and the low-income test, for one date."""

    expenses: AllowableExpenses
    disposable_income: CitedAmount
    equity: Equity
    low_income: LowIncomeTest


def financial_picture(finances: Finances, rules: RuleSet, on: date) -> FinancialPicture:
    """Everything the screenings need from the finances, computed once."""
    expenses = allowable_expenses(finances, rules, on)
    return FinancialPicture(
        expenses=expenses,
        disposable_income=monthly_disposable_income(finances, expenses),
        equity=net_realizable_equity(finances, rules, on),
        low_income=is_low_income(finances, rules, on),
    )


@dataclass(frozen=True, slots=True)
class OfferScreening:
    """The reasonable collection potential, the offer amounts and how the offer screens."""

    likelihood: Likelihood
    reasons: tuple[Reason, ...]
    application_fee: CitedAmount
    future_income_lump: CitedAmount | None = None
    future_income_periodic: CitedAmount | None = None
    rcp_lump: CitedAmount | None = None
    rcp_periodic: CitedAmount | None = None
    lump_sum_offer: CitedAmount | None = None
    lump_sum_initial_payment: CitedAmount | None = None
    lump_sum_max_payments: int | None = None
    periodic_offer: CitedAmount | None = None
    periodic_monthly_payment: CitedAmount | None = None
    periodic_months: int | None = None


def screen_offer(
    balance: CitedAmount,
    picture: FinancialPicture | None,
    rules: RuleSet,
    on: date,
    *,
    all_returns_filed: bool | None = None,
    in_bankruptcy: bool | None = None,
    months_to_csed: int | None = None,
) -> OfferScreening:
    """Screen a doubt-as-to-collectibility offer against the balance."""
    fee = parameter_figure(rules, "oic.application_fee", on)
    reasons: list[Reason] = []
    if picture is None:
        reasons.append(Reason("give your finances (--finances) to work out the reasonable collection potential",
                              "input.finances"))
        return OfferScreening(Likelihood.POSSIBLE, tuple(reasons), fee)
    low = picture.low_income
    if low.is_low_income:
        fee = derived(ZERO, "oic.application_fee", fee.source,
                      f"waived for low income ({low.income.amount} <= {low.threshold.amount}); file Form 656 with the low-income certification")
        reasons.append(Reason("low income: no application fee and no initial payments (IRC 7122(c)(3))",
                              "low_income.poverty_guideline_percent"))
    lump_months = parameter_figure(rules, "oic.lump_sum_future_income_months", on)
    periodic_months = parameter_figure(rules, "oic.periodic_future_income_months", on)
    mdi = max(picture.disposable_income.amount, ZERO)
    equity = picture.equity.total.amount
    future_lump = derived(mdi * lump_months.amount, lump_months.rule, lump_months.source,
                          f"monthly disposable income {mdi} x {lump_months.amount}")
    future_periodic = derived(mdi * periodic_months.amount, periodic_months.rule, periodic_months.source,
                              f"monthly disposable income {mdi} x {periodic_months.amount}")
    rcp_lump = derived(equity + future_lump.amount, "oic.lump_sum_future_income_months",
                       "Form 656-B minimum offer (lump sum)", f"equity {equity} + future income {future_lump.amount}")
    rcp_periodic = derived(equity + future_periodic.amount, "oic.periodic_future_income_months",
                           "Form 656-B minimum offer (periodic payment)",
                           f"equity {equity} + future income {future_periodic.amount}")
    rate = parameter_figure(rules, "oic.lump_sum_payment_rate", on)
    initial = quantize_cents(rcp_lump.amount * rate.amount)
    initial_figure = derived(initial, rate.rule, rate.source, f"{rate.amount} of the offer, sent with Form 656")
    if low.is_low_income:
        initial_figure = derived(ZERO, rate.rule, rate.source, "waived for low income (IRC 7122(c)(3))")
    periods = int(periodic_months.amount)
    monthly = quantize_cents(rcp_periodic.amount / periods) if periods else ZERO
    max_payments = int(parameter_figure(rules, "oic.lump_sum_max_payments", on).amount)

    blocked = False
    if all_returns_filed is False:
        blocked = True
        reasons.append(Reason("every required return must be filed before an offer is considered", "input.facts.all_returns_filed"))
    if in_bankruptcy:
        blocked = True
        reasons.append(Reason("an offer is not considered during an open bankruptcy case", "input.facts.in_bankruptcy"))
    can_pay = rcp_lump.amount >= balance.amount
    if can_pay:
        reasons.append(Reason(
            f"the reasonable collection potential ({rcp_lump.amount}) covers the balance ({balance.amount}): "
            "the IRS expects full payment", "oic.lump_sum_future_income_months"))
    elif months_to_csed is not None and equity + mdi * months_to_csed >= balance.amount:
        can_pay = True
        reasons.append(Reason(
            "equity plus disposable income until the collection statute ends covers the balance: "
            "the IRS expects full payment through an agreement", "collection.csed.years"))
    else:
        reasons.append(Reason(
            f"the reasonable collection potential ({rcp_lump.amount}) is below the balance ({balance.amount})",
            "oic.lump_sum_future_income_months"))
    flagged = [line.title for line in picture.expenses.lines if line.flagged]
    if flagged:
        reasons.append(Reason("some expenses use your actual figures where the data has no standard: "
                              + ", ".join(flagged), "collection_standards"))
    if all_returns_filed is None:
        reasons.append(Reason("all required returns must be filed and estimated payments current", "input.facts.all_returns_filed"))
    for item in picture.expenses.missing:
        reasons.append(Reason(f"figure needed before this screening can be trusted - {item}", "input.finances"))
    if blocked:
        likelihood = Likelihood.UNLIKELY
    elif picture.expenses.missing:
        likelihood = Likelihood.POSSIBLE
    elif can_pay:
        likelihood = Likelihood.UNLIKELY
    elif flagged or all_returns_filed is None:
        likelihood = Likelihood.POSSIBLE
    else:
        likelihood = Likelihood.LIKELY
    return OfferScreening(
        likelihood=likelihood,
        reasons=tuple(reasons),
        application_fee=fee,
        future_income_lump=future_lump,
        future_income_periodic=future_periodic,
        rcp_lump=rcp_lump,
        rcp_periodic=rcp_periodic,
        lump_sum_offer=derived(rcp_lump.amount, rcp_lump.rule, rcp_lump.source, "the minimum acceptable lump-sum offer"),
        lump_sum_initial_payment=initial_figure,
        lump_sum_max_payments=max_payments,
        periodic_offer=derived(rcp_periodic.amount, rcp_periodic.rule, rcp_periodic.source,
                               "the minimum acceptable periodic-payment offer"),
        periodic_monthly_payment=derived(monthly, periodic_months.rule, periodic_months.source,
                                         f"periodic offer / {periods} months"),
        periodic_months=periods,
    )


def offer_eligibility(screening: OfferScreening) -> Eligibility:
    """The screening as a yes / maybe / no verdict."""
    verdict = {
        Likelihood.LIKELY: EligibilityVerdict.YES,
        Likelihood.POSSIBLE: EligibilityVerdict.MAYBE,
        Likelihood.UNLIKELY: EligibilityVerdict.NO,
    }[screening.likelihood]
    return Eligibility(verdict, screening.reasons)


def screen_not_collectible(balance: CitedAmount, picture: FinancialPicture | None) -> Eligibility:
    """Currently-not-collectible screening: no disposable income and no equity to draw on."""
    if picture is None:
        return Eligibility(EligibilityVerdict.MAYBE, (Reason("give your finances (--finances) to screen for hardship status",
                                                  "input.finances"),))
    mdi = picture.disposable_income.amount
    equity = picture.equity.total.amount
    reasons = [Reason(f"monthly disposable income is {mdi} after allowable expenses",
                      "advice.monthly_disposable_income")]
    if picture.expenses.missing and mdi > ZERO:
        reasons.extend(Reason(f"figure needed - {item}", "input.finances") for item in picture.expenses.missing)
        return Eligibility(EligibilityVerdict.MAYBE, tuple(reasons))
    if mdi > ZERO:
        reasons.append(Reason("income exceeds allowable expenses, so the IRS expects payments", "advice.monthly_disposable_income"))
        return Eligibility(EligibilityVerdict.NO, tuple(reasons))
    if equity <= ZERO:
        reasons.append(Reason("no equity in assets to draw on", "advice.net_realizable_equity"))
        return Eligibility(EligibilityVerdict.YES, tuple(reasons))
    if equity >= balance.amount:
        reasons.append(Reason(f"equity of {equity} could pay the balance; the IRS would expect it used",
                              "advice.net_realizable_equity"))
        return Eligibility(EligibilityVerdict.NO, tuple(reasons))
    reasons.append(Reason(f"equity of {equity} may have to be used first", "advice.net_realizable_equity"))
    return Eligibility(EligibilityVerdict.MAYBE, tuple(reasons))
