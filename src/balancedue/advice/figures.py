"""Cited amounts, verdicts and balance series: the vocabulary every advice result is written in.

A report must be able to say where each amount comes from, so an amount never travels alone: a
:class:`CitedAmount` carries the rule behind it (a parameter id such as
``fees.installment_agreement.online_direct_debit``, ``engine.compute`` for an amount the engine
computed, ``collection_standards.cfs_2026.housing`` for a living-expense standard, or
``input.finances.monthly_income`` for a figure the user gave) and a short citation of its
source.  A :class:`BalanceSeries` does the same for a chart line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from balancedue.engine.money import ZERO, quantize_cents
from balancedue.rules import RuleSet, Source, StandardAmount

ENGINE_RULE = "engine.compute"
DOLLAR = Decimal(1)


@dataclass(frozen=True, slots=True)
class CitedAmount:
    """An amount, the rule it comes from and a one-line citation of that rule's source."""

    amount: Decimal
    rule: str
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class BalanceSeries:
    """Balance over time for a chart: (date, balance) points, with the rule and source behind them."""

    points: tuple[tuple[date, Decimal], ...]
    rule: str
    source: str
    note: str = ""


class EligibilityVerdict(StrEnum):
    """Whether an option is open to the taxpayer."""

    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason behind a verdict, and the rule (parameter id, standard or fact) it rests on."""

    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Eligibility:
    """A verdict and its reasons."""

    verdict: EligibilityVerdict
    reasons: tuple[Reason, ...]


def combine(reasons: Sequence[tuple[bool | None, Reason]]) -> Eligibility:
    """``no`` if any test failed, ``maybe`` if any is unknown, else ``yes``; all reasons kept."""
    results = [result for result, _ in reasons]
    if any(result is False for result in results):
        verdict = EligibilityVerdict.NO
    elif any(result is None for result in results):
        verdict = EligibilityVerdict.MAYBE
    else:
        verdict = EligibilityVerdict.YES
    return Eligibility(verdict, tuple(reason for _, reason in reasons))


def parameter_figure(rules: RuleSet, rule_id: str, on: date, note: str = "") -> CitedAmount:
    """The numeric parameter ``rule_id`` in force on ``on``, cited."""
    entry = rules.parameters.entry(rule_id, on)
    return CitedAmount(Decimal(entry.value), rule_id, entry.source.short(), note)


def parameter_source(rules: RuleSet, rule_id: str, on: date) -> str:
    """One-line citation of a parameter on a date."""
    return rules.parameters.source(rule_id, on).short()


def engine_figure(amount: Decimal, as_of: date, note: str = "") -> CitedAmount:
    """An amount the engine computed for the account as of ``as_of``."""
    return CitedAmount(
        amount,
        ENGINE_RULE,
        f"recomputed by the balancedue engine as of {as_of.isoformat()} (IRC 6601, 6621, 6651)",
        note,
    )


def input_figure(amount: Decimal, field: str, note: str = "") -> CitedAmount:
    """An amount the user gave (``field`` names where, e.g. ``finances.monthly_income``)."""
    return CitedAmount(amount, f"input.{field}", "your figures", note)


def standard_figure(standard: StandardAmount, note: str = "") -> CitedAmount:
    """A Collection Financial Standards amount."""
    text = f"{standard.detail}; {note}" if note else standard.detail
    if standard.stale:
        text += "; this edition of the standards may have been replaced"
    return CitedAmount(standard.amount, standard.rule, source_short(standard.source), text)


def source_short(source: Source) -> str:
    """A source as one line."""
    return source.short()


def derived(amount: Decimal, rule: str, source: str, note: str) -> CitedAmount:
    """An amount worked out from other figures (``note`` says how)."""
    return CitedAmount(amount, rule, source, note)


def cents(amount: Decimal) -> Decimal:
    """Rounded to the cent, half up."""
    return quantize_cents(amount)


def whole_dollars_up(amount: Decimal) -> Decimal:
    """Rounded up to the next whole dollar (payment amounts), as a two-decimal amount."""
    if amount <= ZERO:
        return ZERO.quantize(Decimal("0.01"))
    return amount.quantize(DOLLAR, rounding=ROUND_CEILING).quantize(Decimal("0.01"))
