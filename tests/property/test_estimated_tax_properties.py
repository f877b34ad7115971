"""Properties of the IRC 6654 penalty that hold for any year, installments and payments.

Each Form 2210 line is rounded to the cent, so a rounded total can move by up to half a cent
per line against the exact figure.  Where a property compares two computations, the allowance
is exactly that: half a cent for every line of either result.  Without rounding the penalty is
a sum over days of rate x (installments due so far - payments so far, if positive) / days in
year, so paying earlier or paying more can never raise it.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from balancedue.engine.estimated_tax import (
    DatedAmount,
    EstimatedTaxInput,
    EstimatedTaxResult,
    compute_estimated_tax_penalty,
    default_due_dates,
    split_equally,
)
from balancedue.rules import load_rules

RULES = load_rules()
HALF_CENT = Decimal("0.005")

# Tax years whose whole penalty period (to April 15 of the next year) the rate table covers.
years = st.integers(min_value=1990, max_value=2024)
amounts = st.decimals(
    min_value="0", max_value="5000", places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def dated_amounts(draw: st.DrawFn, year: int, most: int = 5) -> tuple[DatedAmount, ...]:
    count = draw(st.integers(min_value=0, max_value=most))
    entries = [
        DatedAmount(
            date(year, 1, 1) + timedelta(days=draw(st.integers(min_value=0, max_value=480))),
            draw(amounts),
        )
        for _ in range(count)
    ]
    return tuple(sorted(entries, key=lambda e: e.date))


@st.composite
def scenarios(draw: st.DrawFn) -> EstimatedTaxInput:
    year = draw(years)
    dated_withholding = draw(st.booleans())
    return EstimatedTaxInput(
        tax_year=year,
        required_installments=tuple(draw(amounts) for _ in range(4)),
        withholding=draw(amounts),
        withholding_dates=draw(dated_amounts(year, 3)) if dated_withholding else None,
        payments=draw(dated_amounts(year)),
    )


def _penalty(inp: EstimatedTaxInput) -> EstimatedTaxResult:
    return compute_estimated_tax_penalty(inp, RULES)


def _allowance(*results: EstimatedTaxResult) -> Decimal:
    return HALF_CENT * sum(len(r.lines) for r in results)


@settings(deadline=None)
@given(scenarios())
def test_penalty_is_never_negative_and_its_lines_add_up_exactly(inp: EstimatedTaxInput) -> None:
    result = _penalty(inp)
    assert result.penalty >= 0
    assert sum((line.amount for line in result.lines), Decimal(0)) == result.penalty
    assert result.penalty == result.penalty.quantize(Decimal("0.01"))
    for line in result.lines:
        assert line.days > 0
        assert line.underpayment > 0
        assert line.amount >= 0


@settings(deadline=None)
@given(st.data())
def test_no_penalty_when_every_installment_is_paid_on_time(data: st.DataObject) -> None:
    year = data.draw(years)
    required = tuple(data.draw(amounts) for _ in range(4))
    on_time = tuple(
        DatedAmount(due, amount + data.draw(amounts))
        for due, amount in zip(default_due_dates(year, RULES), required, strict=True)
    )
    extra = data.draw(dated_amounts(year))
    inp = EstimatedTaxInput(
        tax_year=year,
        required_installments=required,
        payments=tuple(sorted(on_time + extra, key=lambda p: p.date)),
    )
    result = _penalty(inp)
    assert result.penalty == 0
    assert result.lines == ()


@settings(deadline=None)
@given(scenarios(), st.data())
def test_paying_earlier_never_increases_the_penalty(
    inp: EstimatedTaxInput, data: st.DataObject
) -> None:
    if not inp.payments:
        inp = dataclasses.replace(
            inp, payments=(DatedAmount(date(inp.tax_year, 12, 1), Decimal("500")),)
        )
    index = data.draw(st.integers(min_value=0, max_value=len(inp.payments) - 1))
    moved = inp.payments[index]
    earlier_day = moved.date - timedelta(days=data.draw(st.integers(min_value=1, max_value=300)))
    payments = list(inp.payments)
    payments[index] = DatedAmount(earlier_day, moved.amount)
    earlier = dataclasses.replace(inp, payments=tuple(sorted(payments, key=lambda p: p.date)))
    before, after = _penalty(inp), _penalty(earlier)
    assert after.penalty <= before.penalty + _allowance(before, after)


@settings(deadline=None)
@given(scenarios(), st.data())
def test_paying_more_never_increases_the_penalty(
    inp: EstimatedTaxInput, data: st.DataObject
) -> None:
    extra = data.draw(dated_amounts(inp.tax_year, 2))
    more = dataclasses.replace(
        inp, payments=tuple(sorted(inp.payments + extra, key=lambda p: p.date))
    )
    before, after = _penalty(inp), _penalty(more)
    assert after.penalty <= before.penalty + _allowance(before, after)


@settings(deadline=None)
@given(scenarios())
def test_nothing_paid_is_the_worst_case(inp: EstimatedTaxInput) -> None:
    unpaid = dataclasses.replace(inp, withholding=Decimal(0), withholding_dates=None, payments=())
    paid, worst = _penalty(inp), _penalty(unpaid)
    assert paid.penalty <= worst.penalty + _allowance(paid, worst)


@given(amounts, st.integers(min_value=1, max_value=12))
def test_equal_parts_add_up_to_the_whole(total: Decimal, parts: int) -> None:
    shares = split_equally(total, parts)
    assert len(shares) == parts
    assert sum(shares, Decimal(0)) == total
    assert all(share >= 0 for share in shares)
    assert max(shares) - min(shares) < Decimal("0.01") * parts
