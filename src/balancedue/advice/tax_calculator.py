"""The federal income-tax calculator: a thin adapter over ``tenforty`` (Open Tax Solver).

``tenforty`` takes and returns floats; amounts cross this boundary as text of dollars and
cents and come back as :class:`~decimal.Decimal` rounded to the cent, half up.  It figures AGI,
taxable income (standard or itemized deduction) and the income tax with the capital-gain rates;
it does not figure self-employment tax or any credit, which :mod:`balancedue.engine.return_math`
does from the rules data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

import tenforty
from tenforty.models import OTSYear

from balancedue.engine.money import quantize_cents
from balancedue.errors import InputError

CALCULATOR = f"tenforty {getattr(tenforty, '__version__', '')} (Open Tax Solver)".replace("  ", " ")


class FilingStatus(StrEnum):
    """Filing status as written in a return summary."""

    SINGLE = "single"
    MARRIED_JOINT = "married_joint"
    MARRIED_SEPARATE = "married_separate"
    HEAD_OF_HOUSEHOLD = "head_of_household"
    QUALIFYING_SURVIVING_SPOUSE = "qualifying_surviving_spouse"


_STATUS = {
    FilingStatus.SINGLE: "Single",
    FilingStatus.MARRIED_JOINT: "Married/Joint",
    FilingStatus.MARRIED_SEPARATE: "Married/Sep",
    FilingStatus.HEAD_OF_HOUSEHOLD: "Head_of_House",
    FilingStatus.QUALIFYING_SURVIVING_SPOUSE: "Widow(er)",
}


def covered_years() -> tuple[int, ...]:
    """The tax years the calculator supports."""
    return tuple(sorted(int(member.value) for member in OTSYear))


class YearNotCoveredError(InputError):
    """The calculator does not support the tax year: nothing is approximated."""


@dataclass(frozen=True, slots=True)
class CalculatorInput:
    """The figures the calculator reads (dollars and cents)."""

    tax_year: int
    status: FilingStatus
    wages: Decimal
    taxable_interest: Decimal
    ordinary_dividends: Decimal
    qualified_dividends: Decimal
    short_term_gains: Decimal
    long_term_gains: Decimal
    schedule_1_income: Decimal  # business profit and other income, less adjustments (may be negative)
    itemized_deductions: Decimal | None


@dataclass(frozen=True, slots=True)
class CalculatorResult:
    """What the calculator figured."""

    agi: Decimal
    taxable_income: Decimal
    income_tax: Decimal  # before credits: the calculator's total federal tax (capital-gain rates, AMT, NIIT)


def _money(value: float) -> Decimal:
    return quantize_cents(Decimal(repr(value)))


def compute(figures: CalculatorInput) -> CalculatorResult:
    """Run the calculator once."""
    if figures.tax_year not in covered_years():
        first, last = covered_years()[0], covered_years()[-1]
        raise YearNotCoveredError(
            f"tax year {figures.tax_year} is outside the calculator's coverage ({first}-{last}); "
            "the return cannot be recomputed for it, and nothing is estimated"
        )
    result = tenforty.evaluate_return(
        year=figures.tax_year,
        filing_status=_STATUS[figures.status],
        w2_income=float(figures.wages),
        taxable_interest=float(figures.taxable_interest),
        ordinary_dividends=float(figures.ordinary_dividends),
        qualified_dividends=float(figures.qualified_dividends),
        short_term_capital_gains=float(figures.short_term_gains),
        long_term_capital_gains=float(figures.long_term_gains),
        schedule_1_income=float(figures.schedule_1_income),
        standard_or_itemized="Itemized" if figures.itemized_deductions is not None else "Standard",
        itemized_deductions=float(figures.itemized_deductions or 0),
    )
    return CalculatorResult(
        agi=_money(result.federal_adjusted_gross_income),
        taxable_income=_money(result.federal_taxable_income),
        income_tax=_money(result.federal_total_tax),
    )
