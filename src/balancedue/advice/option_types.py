"""The payment options' data: what each option is, its fees and the report of them all."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum

from balancedue.advice.figures import BalanceSeries, CitedAmount, Eligibility, EligibilityVerdict
from balancedue.advice.offer import FinancialPicture, OfferScreening
from balancedue.advice.relief import DisputeRoute, FtaVerdictLike, Question, ReliefScreening


class OptionId(StrEnum):
    """The options, in the order a report lists them."""

    PAY_IN_FULL = "pay_in_full"
    SHORT_TERM_PLAN = "short_term_plan"
    GUARANTEED_AGREEMENT = "guaranteed_agreement"
    STREAMLINED_AGREEMENT = "streamlined_agreement"
    NON_STREAMLINED_AGREEMENT = "non_streamlined_agreement"
    OFFER_IN_COMPROMISE = "offer_in_compromise"
    CURRENTLY_NOT_COLLECTIBLE = "currently_not_collectible"
    FIRST_TIME_ABATEMENT = "first_time_abatement"
    REASONABLE_CAUSE = "reasonable_cause"
    DISPUTE = "dispute"


@dataclass(frozen=True, slots=True)
class FeeChoice:
    """An installment-agreement user fee for one way of applying and paying."""

    channel: str
    direct_debit: bool
    fee: CitedAmount
    available: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """An official payment channel (from the contacts data) and what it costs."""

    id: str
    name: str
    kind: str
    url: str | None
    fee: str
    source: str
    fee_percent: CitedAmount | None = None


@dataclass(frozen=True)
class OptionFacts:
    """What the caller knows about the case beyond the account itself (``None``: unknown).

    ``compliant_prior_years``: no failure to file or pay and no installment agreement in the
    guaranteed agreement's look-back years.  ``fta``: the transcript reader's first-time
    abatement verdict, when transcripts were given.
    """

    individual: bool = True
    all_returns_filed: bool | None = None
    compliant_prior_years: bool | None = None
    in_bankruptcy: bool | None = None
    notice_code: str | None = None
    csed: date | None = None
    disputes_balance: bool = False
    fta: FtaVerdictLike | None = None
    pay_today: Decimal | None = None
    pay_today_until: date | None = None
    printed: Decimal | None = None
    printed_on: date | None = None


@dataclass(frozen=True)
class PaymentOption:
    """One option: eligibility, cost, next step, and the balance over time."""

    id: OptionId
    title: str
    eligibility: Eligibility
    next_step: str
    setup_fee: CitedAmount | None = None
    monthly_payment: CitedAmount | None = None
    months: int | None = None
    total_interest_and_penalty: CitedAmount | None = None
    total_cost: CitedAmount | None = None
    fee_choices: tuple[FeeChoice, ...] = ()
    channels: tuple[ChannelInfo, ...] = ()
    offer: OfferScreening | None = None
    relief: ReliefScreening | None = None
    questions: tuple[Question, ...] = ()
    routes: tuple[DisputeRoute, ...] = ()
    series: BalanceSeries | None = None
    notes: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """Every distinct source cited by the option's own figures."""
        found: list[str] = []
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, (CitedAmount, BalanceSeries)) and value.source not in found:
                found.append(value.source)
        for choice in self.fee_choices:
            if choice.fee.source not in found:
                found.append(choice.fee.source)
        return tuple(found)


@dataclass(frozen=True)
class OptionsReport:
    """All options for one account on one day."""

    today: date
    balance: CitedAmount
    options: tuple[PaymentOption, ...]
    finances: FinancialPicture | None = None
    notes: tuple[str, ...] = ()

    def option(self, option_id: OptionId) -> PaymentOption:
        """The option with this id."""
        for option in self.options:
            if option.id is option_id:
                return option
        raise KeyError(option_id)


@dataclass(frozen=True, slots=True)
class OptionComparisonRow:
    """One line of the options comparison table (``None``: not applicable or not computed)."""

    id: OptionId
    title: str
    verdict: EligibilityVerdict
    setup_fee: CitedAmount | None
    monthly_payment: CitedAmount | None
    months: int | None
    total_interest_and_penalty: CitedAmount | None
    total_cost: CitedAmount | None


def comparison_rows(report: OptionsReport) -> tuple[OptionComparisonRow, ...]:
    """The comparison table: one row per option, in report order."""
    return tuple(
        OptionComparisonRow(o.id, o.title, o.eligibility.verdict, o.setup_fee, o.monthly_payment, o.months,
                      o.total_interest_and_penalty, o.total_cost)
        for o in report.options
    )
