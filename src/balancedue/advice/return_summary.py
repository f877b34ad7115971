"""The return summary: the return as filed and what the notice proposes (docs/return-summary.md).

A small YAML or JSON file the taxpayer writes from the return and the notice's pages, or whose
``return`` figures come from a tax return transcript.  Amounts are text of dollars and cents.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from balancedue.advice.tax_calculator import FilingStatus
from balancedue.engine.money import parse_money
from balancedue.errors import InputError
from balancedue.intake.return_transcript import ReturnTranscript

ZERO = Decimal("0")


class Field1040(StrEnum):
    """Where an income item goes on the return."""

    WAGES = "wages"
    INTEREST = "interest"
    DIVIDENDS = "dividends"
    SHORT_TERM_GAIN = "short_term_gain"
    LONG_TERM_GAIN = "long_term_gain"
    BUSINESS = "business"
    OTHER = "other"


FORM_FIELDS: dict[str, Field1040] = {
    "W-2": Field1040.WAGES,
    "1099-NEC": Field1040.BUSINESS,
    "1099-K": Field1040.BUSINESS,
    "1099-MISC": Field1040.OTHER,
    "1099-INT": Field1040.INTEREST,
    "1099-OID": Field1040.INTEREST,
    "1099-DIV": Field1040.DIVIDENDS,
    "1099-B": Field1040.SHORT_TERM_GAIN,
    "1099-G": Field1040.OTHER,
    "1099-R": Field1040.OTHER,
}
"""The line each form's amount lands on, unless the item says ``income_type``."""


class Position(StrEnum):
    """The CP2000 response form's answers (the letter's Cp2000Position values)."""

    AGREE = "agree"
    PARTLY_AGREE = "partly_agree"
    DISAGREE = "disagree"


def _money(value: Any, what: str) -> Decimal:
    return parse_money(value, what)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportedItem(_Model):
    """An information return the filed return already includes."""

    form: str
    payer: str
    amount: Decimal
    where: str | None = None  # "Schedule B line 1"

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, raw: Any) -> Decimal:
        return _money(raw, "amount")


class FiledReturn(_Model):
    """The return as filed (Form 1040 figures)."""

    wages: Decimal = ZERO
    social_security_wages: Decimal | None = None
    taxable_interest: Decimal = ZERO
    ordinary_dividends: Decimal = ZERO
    qualified_dividends: Decimal = ZERO
    short_term_gains: Decimal = ZERO
    long_term_gains: Decimal = ZERO
    business_profit: Decimal = ZERO
    other_income: Decimal = ZERO
    adjustments: Decimal = ZERO
    itemized_deductions: Decimal | None = None
    eitc_children: int | None = Field(default=0, ge=0, le=20)  # None: not known (a transcript)
    ctc_children: int | None = Field(default=None, ge=0, le=20)
    other_dependents: int = Field(default=0, ge=0, le=20)
    earned_income_credit: Decimal = ZERO
    child_tax_credit: Decimal = ZERO
    other_credits: Decimal = ZERO
    total_tax: Decimal | None = None
    agi: Decimal | None = None  # line 11 as filed, to check the summary
    items: tuple[ReportedItem, ...] = ()

    @field_validator(
        "wages", "social_security_wages", "taxable_interest", "ordinary_dividends", "qualified_dividends",
        "short_term_gains", "long_term_gains", "business_profit", "other_income", "adjustments",
        "itemized_deductions", "earned_income_credit", "child_tax_credit", "other_credits", "total_tax", "agi",
        mode="before",
    )
    @classmethod
    def _amounts(cls, raw: Any, info: Any) -> Decimal | None:
        return None if raw is None else _money(raw, info.field_name)


class ProposedItem(_Model):
    """One information return the notice adds, with the taxpayer's facts about it."""

    form: str
    payer: str
    amount: Decimal
    income_type: Field1040 | None = None
    term: str | None = Field(default=None, pattern="^(short|long)$")
    qualified: Decimal | None = None  # 1099-DIV: the qualified part
    basis: Decimal | None = None  # 1099-B: the taxpayer's cost basis
    basis_reported: Decimal | None = None  # 1099-B: the basis the broker reported, if any
    expenses: Decimal | None = None  # business expenses against a 1099-NEC/1099-K
    corrected_amount: Decimal | None = None  # the amount on a corrected form from the payer
    nominee: bool = False  # received for someone else
    duplicate: bool = False  # the same payment counted twice
    already_reported: str | None = None  # where the return already has it
    note: str | None = None

    @field_validator("amount", "qualified", "basis", "basis_reported", "expenses", "corrected_amount", mode="before")
    @classmethod
    def _amounts(cls, raw: Any, info: Any) -> Decimal | None:
        return None if raw is None else _money(raw, info.field_name)

    @field_validator("form")
    @classmethod
    def _form(cls, raw: str) -> str:
        return re.sub(r"\s+", "", raw.upper().removeprefix("FORM").strip())


class ProposedCredits(_Model):
    """Credits the notice changes to (the IRS's figures)."""

    earned_income_credit: Decimal | None = None
    child_tax_credit: Decimal | None = None

    @field_validator("earned_income_credit", "child_tax_credit", mode="before")
    @classmethod
    def _amounts(cls, raw: Any, info: Any) -> Decimal | None:
        return None if raw is None else _money(raw, info.field_name)


class NoticeProposal(_Model):
    """What the notice proposes, from its pages."""

    items: tuple[ProposedItem, ...] = ()
    credits: ProposedCredits = ProposedCredits()
    tax_increase: Decimal | None = None
    penalty: Decimal | None = None
    interest: Decimal | None = None
    amount_due: Decimal | None = None

    @field_validator("tax_increase", "penalty", "interest", "amount_due", mode="before")
    @classmethod
    def _amounts(cls, raw: Any, info: Any) -> Decimal | None:
        return None if raw is None else _money(raw, info.field_name)


class ReturnSummary(_Model):
    """The whole file."""

    tax_year: int
    filing_status: FilingStatus
    return_: FiledReturn = Field(alias="return")
    notice: NoticeProposal = NoticeProposal()
    return_transcript: str | None = None  # the transcript the return's figures were read from
    read_notes: tuple[str, ...] = ()  # what reading the transcript assumed


def return_from_transcript(transcript: ReturnTranscript) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The ``return`` section of a summary from a tax return transcript, and what was assumed."""
    f = transcript.figures
    shown = [f"{label} ${amount:,.2f}" for _, label, amount in transcript.used if amount]
    notes: list[str] = [
        "The return's figures were read from the tax return transcript: "
        + ("; ".join(shown) if shown else "every line read is $0.00")
        + (f" (and {len(transcript.used) - len(shown)} lines of $0.00)." if shown and len(shown) < len(transcript.used) else ".")
    ]
    section: dict[str, Any] = {
        name: f[name]
        for name in ("wages", "taxable_interest", "ordinary_dividends", "qualified_dividends", "business_profit",
                     "other_income", "earned_income_credit", "total_tax", "agi")
        if name in f
    }
    if f.get("capital_gain"):
        section["long_term_gains"] = f["capital_gain"]
        notes.append(
            f"The transcript gives only the net capital gain (${f['capital_gain']:,.2f}); it is taken as long-term. "
            "If part of it was short-term, give short_term_gains and long_term_gains in the summary."
        )
    if "total_adjustments" in f:
        section["adjustments"] = f["total_adjustments"] - f.get("se_deduction", ZERO)
    if f.get("itemized_deductions"):
        section["itemized_deductions"] = f["itemized_deductions"]
    child = f.get("child_credit", ZERO) + f.get("additional_child_credit", ZERO)
    if child:
        section["child_tax_credit"] = child
    if "total_credits" in f:
        section["other_credits"] = max(f["total_credits"] - f.get("child_credit", ZERO), ZERO)
    if f.get("earned_income_credit"):
        section["eitc_children"] = None
    return section, tuple(notes)


def parse_return_summary(raw: Mapping[str, Any]) -> ReturnSummary:
    """Validate a return summary; one clear line for the first problem."""
    try:
        return ReturnSummary.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        message = str(first.get("ctx", {}).get("error") or first["msg"])
        raise InputError(f"return summary: {where}: {message}") from None
    except InputError as exc:
        raise InputError(f"return summary: {exc}") from None
