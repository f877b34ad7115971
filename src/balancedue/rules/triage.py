"""When to call a professional, and the free help (TAS, LITC) a taxpayer may qualify for.

``triage.yaml`` holds each rule as data: what fires it (a balance above a parameter, several
tax years, a yes/no fact, the stage of the latest notice ...), the reason shown to the user, the
rule's basis (law, IRS practice or a judgment of this product) and its source.  The advice layer
evaluates the rules against a case; this module only validates and exposes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from pydantic import Field, ValidationError, model_validator

from balancedue.errors import RulesDataError
from balancedue.rules.notices import Stage
from balancedue.rules.parameters import RULE_ID_PATTERN
from balancedue.rules.sources import FrozenModel, Source


class TriageKind(StrEnum):
    """How a rule's condition is tested."""

    BALANCE_ABOVE = "balance_above"
    TAX_YEARS_AT_LEAST = "tax_years_at_least"
    FACT = "fact"
    STAGE_IN = "stage_in"
    DAYS_MORE_THAN = "days_more_than"
    INCOME_AT_OR_BELOW_POVERTY_PERCENT = "income_at_or_below_poverty_percent"
    AMOUNT_AT_OR_BELOW = "amount_at_or_below"


class TriageFact(StrEnum):
    """Facts about a case that rules can test (yes/no, or a count for ``days_more_than``)."""

    IDENTITY_THEFT_SIGNS = "identity_theft_signs"
    LEVY_OR_LIEN_STARTED = "levy_or_lien_started"
    OFFER_IN_COMPROMISE_CONSIDERED = "offer_in_compromise_considered"
    BUSINESS_TRUST_FUND_TAXES = "business_trust_fund_taxes"
    UNFILED_RETURNS = "unfiled_returns"
    BANKRUPTCY = "bankruptcy"
    ECONOMIC_HARM = "economic_harm"
    IMMEDIATE_THREAT_OF_ADVERSE_ACTION = "immediate_threat_of_adverse_action"
    SIGNIFICANT_COSTS = "significant_costs"
    IRREPARABLE_INJURY = "irreparable_injury"
    IRS_MISSED_PROMISED_DATE = "irs_missed_promised_date"
    IRS_PROCESS_FAILED = "irs_process_failed"
    DAYS_WAITING_ON_IRS = "days_waiting_on_irs"


class Basis(StrEnum):
    """What a rule rests on."""

    LAW = "law"
    IRS_PRACTICE = "irs_practice"
    PRODUCT_POLICY = "product_policy"


_NEEDS_PARAMETER = {
    TriageKind.BALANCE_ABOVE,
    TriageKind.DAYS_MORE_THAN,
    TriageKind.INCOME_AT_OR_BELOW_POVERTY_PERCENT,
    TriageKind.AMOUNT_AT_OR_BELOW,
}


class TriageRule(FrozenModel):
    """One condition, the reason it matters and where that comes from."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=3)
    kind: TriageKind
    parameter: str | None = Field(default=None, pattern=RULE_ID_PATTERN)
    threshold: str | None = None
    fact: TriageFact | None = None
    stages: tuple[Stage, ...] = ()
    basis: Basis
    reason: str = Field(min_length=10)
    source: Source | None = None

    @model_validator(mode="after")
    def _condition_is_complete(self) -> TriageRule:
        if self.kind in _NEEDS_PARAMETER and self.parameter is None:
            raise ValueError(f"{self.id}: kind {self.kind} needs a parameter")
        if self.kind is TriageKind.TAX_YEARS_AT_LEAST:
            if self.threshold is None:
                raise ValueError(f"{self.id}: kind {self.kind} needs a threshold")
            try:
                count = Decimal(self.threshold)
            except InvalidOperation as exc:
                raise ValueError(f"{self.id}: threshold {self.threshold!r} is not a number") from exc
            if count != count.to_integral_value() or count < 1:
                raise ValueError(f"{self.id}: threshold {self.threshold!r} must be a whole number >= 1")
        if self.kind in (TriageKind.FACT, TriageKind.DAYS_MORE_THAN) and self.fact is None:
            raise ValueError(f"{self.id}: kind {self.kind} needs a fact")
        if self.kind is TriageKind.DAYS_MORE_THAN and self.fact is not TriageFact.DAYS_WAITING_ON_IRS:
            raise ValueError(f"{self.id}: days_more_than tests the fact days_waiting_on_irs")
        if self.kind is TriageKind.STAGE_IN and not self.stages:
            raise ValueError(f"{self.id}: kind stage_in needs stages")
        if self.basis is not Basis.PRODUCT_POLICY and self.source is None:
            raise ValueError(f"{self.id}: a rule based on {self.basis} needs a source")
        return self

    @property
    def threshold_count(self) -> int:
        """The ``threshold`` as a whole number (``tax_years_at_least`` rules)."""
        if self.threshold is None:
            raise RulesDataError("triage.yaml", f"{self.id} has no threshold")
        return int(Decimal(self.threshold))


class HelpProgram(FrozenModel):
    """A free-help program (TAS, LITC) and the criteria that point to it."""

    title: str = Field(min_length=3)
    how_to_ask: str = Field(min_length=10)
    source: Source
    criteria: tuple[TriageRule, ...] = Field(min_length=1)


class TriageFile(FrozenModel):
    """The parsed ``triage.yaml``."""

    schema_version: int
    professional: tuple[TriageRule, ...] = Field(min_length=1)
    taxpayer_advocate: HelpProgram
    low_income_clinic: HelpProgram


class TriageRules:
    """Professional-help rules and the TAS and LITC criteria."""

    def __init__(self, data: TriageFile) -> None:
        ids = [r.id for r in (*data.professional, *data.taxpayer_advocate.criteria, *data.low_income_clinic.criteria)]
        seen: set[str] = set()
        for rule_id in ids:
            if rule_id in seen:
                raise RulesDataError("triage.yaml", f"rule {rule_id!r} is defined twice")
            seen.add(rule_id)
        self.data = data

    @property
    def professional(self) -> tuple[TriageRule, ...]:
        """Rules that advise calling a professional."""
        return self.data.professional

    @property
    def taxpayer_advocate(self) -> HelpProgram:
        """The Taxpayer Advocate Service and its case criteria."""
        return self.data.taxpayer_advocate

    @property
    def low_income_clinic(self) -> HelpProgram:
        """Low Income Taxpayer Clinics and their criteria."""
        return self.data.low_income_clinic

    def parameters_used(self) -> set[str]:
        """Every parameter id the rules refer to (checked against parameters.yaml by tests)."""
        rules = (*self.professional, *self.taxpayer_advocate.criteria, *self.low_income_clinic.criteria)
        return {r.parameter for r in rules if r.parameter is not None}


def parse_triage(raw: Mapping[str, Any]) -> TriageRules:
    """Validate the mapping loaded from ``triage.yaml``."""
    try:
        data = TriageFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise RulesDataError("triage.yaml", f"{where}: {first['msg']}") from exc
    return TriageRules(data)
