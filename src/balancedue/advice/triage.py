"""When to call a professional, and whether the Taxpayer Advocate Service or a Low Income
Taxpayer Clinic can help: the rules of ``triage.yaml`` evaluated against the facts of a case.

Each rule that fires becomes a :class:`TriageFinding` with its reason, the rule's basis and
source, and the figures it compared (the balance and the threshold, the income and the clinic
limit).  The Taxpayer Advocate finding fires when any of its case criteria is met (IRC 7811,
IRM 13.1.7.2); the clinic finding when the household's income is within the clinic limit (IRC
7526(b)(1)(B)), with the amount-in-controversy test as a further reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from balancedue.advice.figures import CitedAmount, parameter_figure
from balancedue.advice.finances import Finances, is_low_income
from balancedue.errors import DateOutsideRulesError
from balancedue.rules import RuleSet, TriageFact, TriageRule
from balancedue.rules.triage import HelpProgram, TriageKind


class HelpFrom(StrEnum):
    """Who a finding points to."""

    PROFESSIONAL = "professional"
    TAXPAYER_ADVOCATE = "taxpayer_advocate"
    LOW_INCOME_CLINIC = "low_income_clinic"


@dataclass(frozen=True)
class TriageFacts:
    """What is known about the case.  ``balance`` is the engine's balance (a cited figure)."""

    balance: CitedAmount
    tax_years: int = 1
    notice_code: str | None = None
    identity_theft_signs: bool = False
    levy_or_lien_started: bool = False
    offer_in_compromise_considered: bool = False
    business_trust_fund_taxes: bool = False
    unfiled_returns: bool = False
    bankruptcy: bool = False
    economic_harm: bool = False
    immediate_threat_of_adverse_action: bool = False
    significant_costs: bool = False
    irreparable_injury: bool = False
    irs_missed_promised_date: bool = False
    irs_process_failed: bool = False
    days_waiting_on_irs: int | None = None
    amount_in_dispute: CitedAmount | None = None

    def flag(self, fact: TriageFact) -> bool:
        """The yes/no value of a fact."""
        if fact is TriageFact.DAYS_WAITING_ON_IRS:
            return self.days_waiting_on_irs is not None
        value = getattr(self, fact.value)
        return bool(value)


@dataclass(frozen=True, slots=True)
class TriageFinding:
    """A rule that fired: who can help, why, on what basis, and the figures compared."""

    rule: str
    title: str
    help_from: HelpFrom
    reason: str
    basis: str
    source: str
    detail: str = ""
    figures: tuple[CitedAmount, ...] = ()
    how_to_ask: str = ""


def _source(rule: TriageRule) -> str:
    return rule.source.short() if rule.source else "balancedue policy (a judgment of this product, not a legal threshold)"


def _evaluate(rule: TriageRule, facts: TriageFacts, rules: RuleSet, on: date) -> tuple[bool, str, tuple[CitedAmount, ...]]:
    """Whether ``rule`` fires, the detail line and the figures compared."""
    kind = rule.kind
    if kind is TriageKind.BALANCE_ABOVE:
        assert rule.parameter is not None
        try:
            threshold = parameter_figure(rules, rule.parameter, on)
        except DateOutsideRulesError:
            return False, "threshold not in the data for this date", ()
        fired = facts.balance.amount > threshold.amount
        return fired, f"balance {facts.balance.amount} against {threshold.amount}", (facts.balance, threshold)
    if kind is TriageKind.TAX_YEARS_AT_LEAST:
        count = rule.threshold_count
        return facts.tax_years >= count, f"{facts.tax_years} tax year(s); at least {count} fires this rule", ()
    if kind is TriageKind.FACT:
        assert rule.fact is not None
        return facts.flag(rule.fact), rule.fact.value.replace("_", " "), ()
    if kind is TriageKind.STAGE_IN:
        entry = rules.notices.find(facts.notice_code) if facts.notice_code else None
        fired = entry is not None and entry.stage in rule.stages
        return fired, f"notice {facts.notice_code or 'not given'}", ()
    if kind is TriageKind.DAYS_MORE_THAN:
        assert rule.parameter is not None
        limit = rules.parameters.integer(rule.parameter, on)
        waited = facts.days_waiting_on_irs
        fired = waited is not None and waited > limit
        return fired, f"waiting {waited if waited is not None else 'unknown'} days; more than {limit} fires this rule", ()
    raise ValueError(f"{rule.id}: kind {kind} is evaluated with the finances")


def professional_help(facts: TriageFacts, rules: RuleSet, on: date,
                      finances: Finances | None = None) -> list[TriageFinding]:
    """Every professional-help rule that fires, then the TAS and LITC findings that apply."""
    findings: list[TriageFinding] = []
    for rule in rules.triage.professional:
        fired, detail, figures = _evaluate(rule, facts, rules, on)
        if fired:
            findings.append(TriageFinding(rule.id, rule.title, HelpFrom.PROFESSIONAL, rule.reason, rule.basis.value,
                                          _source(rule), detail, figures))
    advocate = taxpayer_advocate(facts, rules, on)
    if advocate is not None:
        findings.append(advocate)
    clinic = low_income_clinic(facts, finances, rules, on)
    if clinic is not None:
        findings.append(clinic)
    return findings


def taxpayer_advocate(facts: TriageFacts, rules: RuleSet, on: date) -> TriageFinding | None:
    """The Taxpayer Advocate Service finding when any case criterion is met."""
    program: HelpProgram = rules.triage.taxpayer_advocate
    met = [rule for rule in program.criteria if _evaluate(rule, facts, rules, on)[0]]
    if not met:
        return None
    return TriageFinding(
        rule=",".join(rule.id for rule in met),
        title=program.title,
        help_from=HelpFrom.TAXPAYER_ADVOCATE,
        reason="; ".join(rule.reason for rule in met),
        basis="; ".join(sorted({rule.basis.value for rule in met})),
        source="; ".join(_source(rule) for rule in met),
        detail=", ".join(rule.title for rule in met),
        how_to_ask=program.how_to_ask,
    )


def low_income_clinic(facts: TriageFacts, finances: Finances | None, rules: RuleSet, on: date) -> TriageFinding | None:
    """The Low Income Taxpayer Clinic finding when the household income is within the limit."""
    if finances is None:
        return None
    program: HelpProgram = rules.triage.low_income_clinic
    income_rule = next(r for r in program.criteria if r.kind is TriageKind.INCOME_AT_OR_BELOW_POVERTY_PERCENT)
    amount_rule = next((r for r in program.criteria if r.kind is TriageKind.AMOUNT_AT_OR_BELOW), None)
    assert income_rule.parameter is not None
    test = is_low_income(finances, rules, on, percent_rule=income_rule.parameter)
    if not test.is_low_income:
        return None
    reasons = [income_rule.reason]
    sources = [_source(income_rule)]
    figures: list[CitedAmount] = [test.income, test.threshold]
    detail = f"income {test.income.amount} within {test.threshold.amount} ({test.basis})"
    if amount_rule is not None and amount_rule.parameter is not None:
        limit = parameter_figure(rules, amount_rule.parameter, on)
        disputed = facts.amount_in_dispute or facts.balance
        within = disputed.amount <= limit.amount
        figures += [disputed, limit]
        sources.append(_source(amount_rule))
        reasons.append(amount_rule.reason if within else
                       f"{amount_rule.reason} Your amount is above it; a clinic may still help.")
        detail += f"; amount {disputed.amount} {'within' if within else 'above'} {limit.amount} a year"
    return TriageFinding(
        rule=income_rule.id,
        title=program.title,
        help_from=HelpFrom.LOW_INCOME_CLINIC,
        reason=" ".join(reasons),
        basis=income_rule.basis.value,
        source="; ".join(sources),
        detail=detail,
        figures=tuple(figures),
        how_to_ask=program.how_to_ask,
    )


def years_owed(balances: dict[int, Decimal]) -> int:
    """How many tax years have a positive balance (for ``TriageFacts.tax_years``)."""
    return sum(1 for amount in balances.values() if amount > 0)
