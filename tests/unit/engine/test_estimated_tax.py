"""IRC 6654 estimated-tax penalty (Form 2210 Part IV), checked against IRS worked examples.

Sources of the expected figures (IRS documents read through archive copies):

* PUB505_2006: Publication 505 (Rev. February 2006), Figure 4-B, Regular Installment
  Method - Illustrated (Ben Brown), Form 2210 (2005) pages 1 and 3.
  https://unclefed.com/TaxHelpArchives/2005/HTML/p505/15008e16.gif-2664058100.html (page 1)
  https://unclefed.com/TaxHelpArchives/2005/HTML/p505/15008e18.gif-297350090.html (page 3)
* PUB505_2008: Publication 505 (2008), Figure 4-C, Annualized Income Method - Illustrated
  (Laura Maple), Form 2210 (2007) page 3.
  https://www.unclefed.com/Tax-Help/HTML/p505/15008e22.gif-2619843371.html
* I2210_2008: Instructions for Form 2210 (2008), page 4, Examples 3 and 4 and Table 2
  (also tests/fixtures/pi_examples.json, ex-form2210-day-counts).
* I2210_2009: Instructions for Form 2210 (2009), page 4, Example 2.
  https://www.formsbank.com/template/289584/instructions-for-form-2210-underpayment-of-estimated-tax-by-individuals-estates-and-trusts-2009.html?page=4
* I2210_2010 / I2210_2011: the Worksheet for Form 2210, Part IV, Section B, in the 2010
  instructions (page 4) and the 2011 instructions (page 5): the printed rate periods.
  https://www.formsbank.com/template/253615/instructions-for-form-2210-underpayment-of-estimated-tax-by-individuals-estates-and-trusts-2010.html?page=4
  https://www.formsbank.com/template/274550/instructions-for-form-2210-underpayment-of-estimated-tax-by-individuals-estates-and-trusts-2011.html?page=5

Figures marked "by hand" were worked out for the test with the formula of Form 2210 line 28
(underpayment x days / 365 or 366 x rate, rounded to the cent).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from balancedue.engine.estimated_tax import (
    DatedAmount,
    EstimatedTaxInput,
    EstimatedTaxResult,
    compute_estimated_tax_penalty,
    default_due_dates,
    extension_window,
    penalty_end_date,
    split_equally,
)
from balancedue.errors import InputError
from balancedue.rules import RuleSet, load_rules
from balancedue.rules.parameters import parse_parameters

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules()


def _d(text: str) -> Decimal:
    return Decimal(text)


def _paid(*pairs: tuple[str, str]) -> tuple[DatedAmount, ...]:
    return tuple(DatedAmount(date.fromisoformat(day), Decimal(amount)) for day, amount in pairs)


def _summary(result: EstimatedTaxResult) -> list[tuple[int, str, int, str, str]]:
    """(installment, from, days, rate, amount) of every line."""
    return [
        (
            line.installment,
            line.from_date.isoformat(),
            line.days,
            str(line.annual_rate),
            str(line.amount),
        )
        for line in result.lines
    ]


# --- Ben Brown, tax year 2005 (PUB505_2006) ------------------------------------------------

BEN_BROWN = EstimatedTaxInput(
    tax_year=2005,
    required_installments=(_d("1529"),) * 4,  # 25% of line 9 (6,116), Form 2210 line 18
    withholding=_d("3228"),  # Form 2210 line 6
    payments=_paid(("2005-09-02", "1000"), ("2006-01-12", "1000")),
    paid_in_full_date=date(2006, 4, 15),
)
# Section B as printed: rate period 1 (April 16-September 30, 2005) at .06, rate period 2
# (October 1, 2005-April 15, 2006) at .07; days and amounts per column; line 31 $68.51.
BEN_BROWN_LINES = [
    (1, "2005-04-15", 61, "0.06", "7.24"),
    (2, "2005-06-15", 79, "0.06", "12.99"),
    (2, "2005-06-15", 92, "0.06", "6.71"),
    (3, "2005-09-15", 15, "0.06", "2.88"),
    (3, "2005-09-30", 104, "0.07", "19.95"),
    (3, "2005-09-30", 107, "0.07", "3.41"),
    (4, "2006-01-15", 90, "0.07", "15.33"),
]


def test_pub505_2006_figure_4b_ben_brown_to_the_cent(rules: RuleSet) -> None:
    result = compute_estimated_tax_penalty(BEN_BROWN, rules)
    assert _summary(result) == BEN_BROWN_LINES
    assert result.penalty == _d("68.51")
    assert all(line.days_in_year == 365 for line in result.lines)


def test_pub505_2006_ben_brown_from_the_required_annual_payment(rules: RuleSet) -> None:
    # Form 2210 (2005) line 9: required annual payment 6,116, split in four.
    inp = dataclasses.replace(
        BEN_BROWN, required_installments=None, required_annual_payment=_d("6116")
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert [i.required for i in result.installments] == [_d("1529")] * 4
    assert result.penalty == _d("68.51")


def test_pub505_2006_ben_brown_later_payment_goes_to_the_earliest_underpayment(
    rules: RuleSet,
) -> None:
    # The 2006-01-12 payment pays column (c) (104 days from 9/30/05), not column (d).
    result = compute_estimated_tax_penalty(BEN_BROWN, rules)
    paid_jan_12 = [line for line in result.lines if line.to_date == date(2006, 1, 12)]
    assert [(line.installment, line.underpayment) for line in paid_jan_12] == [(3, _d("1000"))]


def test_pub505_2006_one_period_per_quarter_would_miss_by_a_cent(rules: RuleSet) -> None:
    """The 2005 form merges equal-rate quarters; a line per quarter would print $68.50."""
    raw = yaml.safe_load(
        (resources.files("balancedue.rules") / "data" / "parameters.yaml").read_text("utf-8")
    )
    for parameter in raw["parameters"]:
        if parameter["id"] == "estimated_tax.form2210.quarterly_rate_periods":
            for value in parameter["values"]:
                value["value"] = "1"
    per_quarter = dataclasses.replace(rules, parameters=parse_parameters(raw))
    assert compute_estimated_tax_penalty(BEN_BROWN, per_quarter).penalty == _d("68.50")


# --- Laura Maple, tax year 2007, annualized installments (PUB505_2008) ------------------------


@pytest.mark.parametrize(
    "third_period_payment_date",
    # The figure shows the $100 payment only as part of column (c) (paid after 6/15/07 and
    # by 9/15/07); its exact date does not change the result.
    ["2007-06-16", "2007-08-15", "2007-09-15"],
)
def test_pub505_2008_figure_4c_laura_maple_to_the_cent(
    rules: RuleSet, third_period_payment_date: str
) -> None:
    inp = EstimatedTaxInput(
        tax_year=2007,
        required_installments=(_d("0"), _d("140"), _d("1169"), _d("1867")),  # Schedule AI
        withholding=_d("1500"),  # 375 in each column
        payments=_paid((third_period_payment_date, "100"), ("2007-12-03", "500")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    # Section A: overpayments 375 and 610 (line 26); underpayments 84 and 1,076 (line 25).
    assert [i.overpayment for i in result.installments[:2]] == [_d("375"), _d("610")]
    assert [i.underpayment for i in result.installments] == [
        _d(x) for x in ("0", "0", "84", "1076")
    ]
    # Section B: 9/15/07, 79 days, /365 x .08 = $1.45; 1/15/08, 91 days, /366 x .07 = $18.73.
    assert _summary(result) == [
        (3, "2007-09-15", 79, "0.08", "1.45"),
        (4, "2008-01-15", 91, "0.07", "18.73"),
    ]
    assert [line.days_in_year for line in result.lines] == [365, 366]
    assert result.penalty == _d("20.18")


def test_pub505_2008_april_1_to_15_keeps_the_first_quarter_rate(rules: RuleSet) -> None:
    """IRC 6621(b)(2)(B): April 1-15, 2008 at the 7% of Q1 2008, although Q2 2008 was 6%."""
    assert rules.rates.rate_on(date(2008, 4, 1)) == _d("0.06")
    inp = EstimatedTaxInput(
        tax_year=2007,
        required_installments=(_d("0"), _d("0"), _d("0"), _d("1076")),
        payments=_paid(("2008-04-10", "1076")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert _summary(result) == [(4, "2008-01-15", 86, "0.07", "17.70")]  # by hand: 1076*86/366*.07
    assert "6621(b)(2)(B)" in result.lines[0].citation


def test_extension_window_comes_from_the_rules_data(rules: RuleSet) -> None:
    assert extension_window(2007, rules) == (date(2008, 4, 1), date(2008, 4, 15))


# --- Day counts and application order (I2210_2008, I2210_2009) ------------------------------


def _fixture_example(example_id: str) -> dict[str, Any]:
    examples = json.loads((FIXTURES / "pi_examples.json").read_text("utf-8"))["examples"]
    return next(e for e in examples if e["id"] == example_id)


def test_i2210_2008_examples_3_and_4_day_counts(rules: RuleSet) -> None:
    example = _fixture_example("ex-form2210-day-counts")
    given, expected = example["input"], example["expected"]
    inp = EstimatedTaxInput(
        tax_year=2008,
        required_installments=(Decimal(given["underpayment_col_a"]), _d("0"), _d("0"), _d("0")),
        payments=tuple(
            DatedAmount(date.fromisoformat(p["date"]), Decimal(p["amount"]))
            for p in given["payments"]
        ),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    first = [line for line in result.lines if line.installment == 1]
    assert [line.days for line in first] == [
        expected["days_first_part"],
        expected["days_second_part"],
    ]
    assert [line.underpayment for line in first] == [
        _d("3000"),
        Decimal(expected["remaining_underpayment_after_4/30"]),
    ]


def test_i2210_2008_table_2_days_to_the_end_of_the_first_rate_period(rules: RuleSet) -> None:
    expected = _fixture_example("ex-form2210-day-counts")["expected"]
    inp = EstimatedTaxInput(
        tax_year=2008,
        required_installments=(_d("5000"), _d("0"), _d("0"), _d("0")),
        payments=_paid(("2008-07-10", "5000")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert [(line.to_date, line.days) for line in result.lines] == [
        (date(2008, 6, 30), expected["table2_days_4/15_to_6/30/08"]),
        (date(2008, 7, 10), 10),  # by hand: July 1-10
    ]


def test_i2210_2009_example_2_payment_goes_to_the_april_underpayment_first(rules: RuleSet) -> None:
    # $500 short after April 15; $1,200 paid June 10 for the June installment: $500 goes to
    # April (56 days), $700 is left for June 15.
    inp = EstimatedTaxInput(
        tax_year=2009,
        required_installments=(_d("1500"), _d("1200"), _d("0"), _d("0")),
        payments=_paid(("2009-04-15", "1000"), ("2009-06-10", "1200")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    april = [line for line in result.lines if line.installment == 1]
    assert [(line.underpayment, line.days) for line in april] == [(_d("500"), 56)]
    assert result.installments[1].paid_by_due_date == _d("700")


# --- Rate periods as the worksheets print them (I2210_2010, I2210_2011) ----------------------


@pytest.mark.parametrize(
    ("tax_year", "periods"),
    [
        pytest.param(
            2010,
            [("2010-04-15", "2010-12-31", "0.04", 365), ("2010-12-31", "2011-04-15", "0.03", 365)],
            id="I2210_2010-two-periods-equal-rate-quarters-merged-april-at-q1-rate",
        ),
        pytest.param(
            2011,
            [
                ("2011-04-15", "2011-06-30", "0.04", 365),
                ("2011-06-30", "2011-09-30", "0.04", 365),
                ("2011-09-30", "2011-12-31", "0.03", 365),
                ("2011-12-31", "2012-04-15", "0.03", 366),
            ],
            id="I2210_2011-four-periods-one-per-quarter",
        ),
    ],
)
def test_worksheet_rate_periods(
    rules: RuleSet, tax_year: int, periods: list[tuple[str, str, str, int]]
) -> None:
    inp = EstimatedTaxInput(
        tax_year=tax_year,
        required_installments=(_d("1000"), _d("0"), _d("0"), _d("0")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert [
        (
            line.from_date.isoformat(),
            line.to_date.isoformat(),
            str(line.annual_rate),
            line.days_in_year,
        )
        for line in result.lines
    ] == periods


# --- Edge cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inp",
    [
        pytest.param(
            EstimatedTaxInput(
                tax_year=2005,
                required_installments=(_d("1000"),) * 4,
                payments=_paid(
                    ("2005-04-15", "1000"),
                    ("2005-06-15", "1000"),
                    ("2005-09-15", "1000"),
                    ("2006-01-15", "1000"),
                ),
            ),
            id="each-installment-paid-on-its-due-date",
        ),
        pytest.param(
            EstimatedTaxInput(
                tax_year=2005,
                required_installments=(_d("1000"),) * 4,
                payments=_paid(("2005-01-03", "4000")),
            ),
            id="one-early-payment-carried-forward",
        ),
        pytest.param(
            EstimatedTaxInput(
                tax_year=2005, required_annual_payment=_d("6116"), withholding=_d("6116")
            ),
            id="withholding-deemed-paid-in-equal-parts",
        ),
        pytest.param(
            EstimatedTaxInput(tax_year=2005, required_installments=(_d("0"),) * 4),
            id="nothing-required",
        ),
        pytest.param(
            EstimatedTaxInput(
                tax_year=2005,
                required_installments=(_d("1000"),) * 4,
                payments=_paid(
                    ("2005-04-15", "1000"),
                    ("2005-06-15", "1000"),
                    ("2005-09-15", "1000"),
                    ("2006-01-17", "1000"),
                ),
            ),
            id="irc7503-jan-15-2006-sunday-then-holiday-paid-tuesday",
        ),
        pytest.param(
            EstimatedTaxInput(
                tax_year=2005,
                required_installments=(_d("1000"),) * 4,
                paid_in_full_date=date(2005, 4, 15),
            ),
            id="paid-in-full-on-the-first-due-date",
        ),
    ],
)
def test_no_penalty(rules: RuleSet, inp: EstimatedTaxInput) -> None:
    result = compute_estimated_tax_penalty(inp, rules)
    assert result.penalty == 0
    assert result.lines == ()


def test_late_payment_after_a_weekend_due_date_counts_from_the_nominal_date(rules: RuleSet) -> None:
    # 2006-01-15 was a Sunday and 2006-01-16 a legal holiday: paid Wednesday the 18th is late,
    # and the days run from the 15th (3 days).  By hand: 1000*3/365*.07 = 0.575 -> 0.58.
    inp = EstimatedTaxInput(
        tax_year=2005,
        required_installments=(_d("0"), _d("0"), _d("0"), _d("1000")),
        payments=_paid(("2006-01-18", "1000")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert _summary(result) == [(4, "2006-01-15", 3, "0.07", "0.58")]
    assert result.installments[3].timely_through == date(2006, 1, 17)


def test_payment_on_the_next_business_day_is_noted(rules: RuleSet) -> None:
    inp = EstimatedTaxInput(
        tax_year=2005,
        required_installments=(_d("0"), _d("0"), _d("0"), _d("1000")),
        payments=_paid(("2006-01-17", "1000")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert result.penalty == 0
    assert any("IRC 7503" in note and "2006-01-17" in note for note in result.notes)


def test_withholding_on_actual_dates(rules: RuleSet) -> None:
    # All 4,000 withheld on December 31: installments 1-3 are short until then; the 1,000 left
    # covers the January installment.  By hand (rates 6% to 9/30/05, 7% after):
    # 1000*168/365*.06=27.62, 1000*92/365*.07=17.64, 1000*107/365*.06=17.59,
    # 1000*15/365*.06=2.47.
    inp = EstimatedTaxInput(
        tax_year=2005,
        required_installments=(_d("1000"),) * 4,
        withholding=_d("4000"),
        withholding_dates=_paid(("2005-12-31", "4000")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert _summary(result) == [
        (1, "2005-04-15", 168, "0.06", "27.62"),
        (1, "2005-09-30", 92, "0.07", "17.64"),
        (2, "2005-06-15", 107, "0.06", "17.59"),
        (2, "2005-09-30", 92, "0.07", "17.64"),
        (3, "2005-09-15", 15, "0.06", "2.47"),
        (3, "2005-09-30", 92, "0.07", "17.64"),
    ]
    assert result.penalty == _d("100.60")
    assert result.installments[3].underpayment == 0


def test_overpayment_carries_forward_to_the_next_installment(rules: RuleSet) -> None:
    inp = EstimatedTaxInput(
        tax_year=2005,
        required_installments=(_d("1000"),) * 4,
        payments=_paid(("2005-04-15", "2000"), ("2005-09-15", "1000"), ("2006-01-15", "1000")),
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert [(i.paid_by_due_date, i.overpayment) for i in result.installments[:2]] == [
        (_d("1000"), _d("1000")),
        (_d("1000"), _d("0")),
    ]
    assert result.penalty == 0


@pytest.mark.parametrize(
    ("paid_in_full", "stops", "penalty"),
    [
        # By hand: 1000*30/365*.06 = 4.93; later installments fall due after full payment.
        pytest.param(
            date(2005, 5, 15), date(2005, 5, 15), "4.93", id="paid-before-the-next-due-date"
        ),
        # Never past the 15th day of the 4th month: same as stopping on 2006-04-15.
        pytest.param(date(2006, 6, 1), date(2006, 4, 15), None, id="capped-at-april-15"),
    ],
)
def test_paid_in_full_date(
    rules: RuleSet, paid_in_full: date, stops: date, penalty: str | None
) -> None:
    inp = EstimatedTaxInput(
        tax_year=2005, required_installments=(_d("1000"),) * 4, paid_in_full_date=paid_in_full
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert result.penalty_stops == stops
    if penalty is not None:
        assert result.penalty == _d(penalty)
    else:
        at_cap = dataclasses.replace(inp, paid_in_full_date=None)
        assert result == compute_estimated_tax_penalty(at_cap, rules)


def test_leap_year_days_divide_by_366(rules: RuleSet) -> None:
    # Tax year 2011, January 15, 2012 installment unpaid to April 15, 2012: 91 days at 3%,
    # one period (the 2011 worksheet's rate period 4).  By hand: 1000*91/366*.03 = 7.46.
    inp = EstimatedTaxInput(
        tax_year=2011, required_installments=(_d("0"), _d("0"), _d("0"), _d("1000"))
    )
    result = compute_estimated_tax_penalty(inp, rules)
    assert _summary(result) == [(4, "2012-01-15", 91, "0.03", "7.46")]
    assert result.lines[0].days_in_year == 366


def test_lines_carry_their_rate_sources(rules: RuleSet) -> None:
    result = compute_estimated_tax_penalty(BEN_BROWN, rules)
    for line in result.lines:
        assert line.sources, line
        assert "6654" in line.citation


def test_default_due_dates_and_end_come_from_the_rules_data(rules: RuleSet) -> None:
    assert default_due_dates(2005, rules) == (
        date(2005, 4, 15),
        date(2005, 6, 15),
        date(2005, 9, 15),
        date(2006, 1, 15),
    )
    assert penalty_end_date(2005, rules) == date(2006, 4, 15)


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        ("6116", ["1529.00", "1529.00", "1529.00", "1529.00"]),
        ("100.01", ["25.00", "25.00", "25.00", "25.01"]),
        ("0.03", ["0.00", "0.00", "0.00", "0.03"]),
        ("0.02", ["0.00", "0.00", "0.00", "0.02"]),
    ],
)
def test_split_equally_adds_up(total: str, parts: list[str]) -> None:
    assert split_equally(_d(total), 4, _d("0.25")) == tuple(_d(p) for p in parts)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"required_installments": (_d("1"),) * 3}, "one amount per due date"),
        ({"required_annual_payment": _d("4")}, "not both or neither"),
        ({"required_installments": None}, "not both or neither"),
        ({"required_installments": (_d("-1"), _d("0"), _d("0"), _d("0"))}, "negative"),
        (
            {
                "installment_due_dates": (
                    date(2005, 6, 15),
                    date(2005, 4, 15),
                    date(2005, 9, 15),
                    date(2006, 1, 15),
                )
            },
            "in order",
        ),
        (
            {
                "installment_due_dates": (
                    date(2005, 4, 15),
                    date(2005, 6, 15),
                    date(2005, 9, 15),
                    date(2006, 5, 1),
                )
            },
            "after the date the penalty stops",
        ),
        ({"payments": _paid(("2005-05-01", "-5"))}, "negative"),
    ],
)
def test_engine_refuses_inconsistent_input(
    rules: RuleSet, changes: dict[str, object], message: str
) -> None:
    base = EstimatedTaxInput(tax_year=2005, required_installments=(_d("1"),) * 4)
    with pytest.raises(InputError, match=message):
        compute_estimated_tax_penalty(dataclasses.replace(base, **changes), rules)  # type: ignore[arg-type]
