"""Reading the estimated-tax input: strict validation with one clear line naming the field."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from balancedue.errors import InputError
from balancedue.rules import load_rules
from balancedue.services.estimated_tax import estimated_tax_penalty, load_estimated_tax_input
from balancedue.services.serialize import to_jsonable

RULES = load_rules()

# Publication 505 (Rev. February 2006), Figure 4-B (Ben Brown): penalty $68.51.
SAMPLE: dict[str, Any] = {
    "tax_year": 2005,
    "required_installments": ["1529.00", "1529.00", "1529.00", "1529.00"],
    "installment_due_dates": ["2005-04-15", "2005-06-15", "2005-09-15", "2006-01-15"],
    "withholding": "3228.00",
    "payments": [
        {"date": "2005-09-02", "amount": "1000.00"},
        {"date": "2006-01-12", "amount": "1000.00"},
    ],
    "paid_in_full_date": "2006-04-15",
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    for key, value in changes.items():
        if value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


_DROP = object()


def test_the_sample_reads_and_reproduces_pub_505() -> None:
    inp = load_estimated_tax_input(SAMPLE, RULES)
    assert inp.tax_year == 2005
    assert inp.withholding == Decimal("3228.00")
    assert inp.installment_due_dates is not None
    assert inp.installment_due_dates[-1] == date(2006, 1, 15)
    assert estimated_tax_penalty(SAMPLE, RULES).penalty == Decimal("68.51")


def test_optional_fields_may_be_left_out() -> None:
    minimal = {"tax_year": 2005, "required_annual_payment": "6116", "withholding": "3228"}
    inp = load_estimated_tax_input(minimal, RULES)
    assert inp.installment_due_dates is None
    assert inp.payments == ()
    assert inp.paid_in_full_date is None


def test_dated_withholding_may_stand_alone() -> None:
    data = _with(
        withholding=_DROP,
        withholding_dates=[
            {"date": "2005-04-15", "amount": "807"},
            {"date": "2005-12-31", "amount": "2421"},
        ],
    )
    inp = load_estimated_tax_input(data, RULES)
    assert inp.withholding == Decimal("3228.00")
    assert inp.withholding_dates is not None
    assert len(inp.withholding_dates) == 2


def test_json_shape_keeps_money_as_strings() -> None:
    shaped = to_jsonable(estimated_tax_penalty(SAMPLE, RULES))
    assert shaped["penalty"] == "68.51"
    first = shaped["lines"][0]
    assert (first["installment"], first["from_date"], first["to_date"], first["days"]) == (
        1,
        "2005-04-15",
        "2005-06-15",
        61,
    )
    assert (first["annual_rate"], first["amount"], first["underpayment"]) == (
        "0.06",
        "7.24",
        "722.00",
    )
    json.dumps(shaped)  # nothing left that JSON cannot carry


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param(_with(refund="1"), "'refund'", id="unknown-key"),
        pytest.param(_with(tax_year=_DROP), "tax_year", id="missing-tax-year"),
        pytest.param(_with(tax_year="2005"), "tax_year", id="tax-year-as-text"),
        pytest.param(_with(tax_year=True), "tax_year", id="tax-year-bool"),
        pytest.param(
            _with(
                tax_year=1975, installment_due_dates=_DROP, payments=_DROP, paid_in_full_date=_DROP
            ),
            "tax_year 1975",
            id="tax-year-before-the-rate-table",
        ),
        pytest.param(
            _with(tax_year=2003), "installment_due_dates[0]", id="due-dates-of-another-year"
        ),
        pytest.param(
            _with(paid_in_full_date="2004-12-31", payments=_DROP),
            "paid_in_full_date",
            id="paid-in-full-before-the-year",
        ),
        pytest.param(
            _with(
                tax_year=2031, installment_due_dates=_DROP, payments=_DROP, paid_in_full_date=_DROP
            ),
            "tax_year 2031",
            id="tax-year-after-the-rate-table",
        ),
        pytest.param(_with(tax_year=0), "tax_year", id="tax-year-zero"),
        pytest.param(_with(required_annual_payment="6116"), "not both", id="both-required-forms"),
        pytest.param(_with(required_installments=_DROP), "neither", id="no-required-amount"),
        pytest.param(
            _with(required_installments=["1529", "1529", "1529"]),
            "required_installments",
            id="three-installments",
        ),
        pytest.param(
            _with(required_installments="6116"),
            "required_installments",
            id="installments-not-a-list",
        ),
        pytest.param(
            _with(required_installments=[1529.0, "1529", "1529", "1529"]),
            "required_installments[0]",
            id="float-installment",
        ),
        pytest.param(
            _with(required_installments=["-1", "1529", "1529", "1529"]),
            "required_installments[0]",
            id="negative-installment",
        ),
        pytest.param(
            _with(required_installments=["12.345", "1529", "1529", "1529"]),
            "required_installments[0]",
            id="fraction-of-a-cent",
        ),
        pytest.param(_with(withholding=3228.0), "withholding", id="float-withholding"),
        pytest.param(_with(withholding="-3228"), "withholding", id="negative-withholding"),
        pytest.param(_with(withholding="lots"), "withholding", id="withholding-not-an-amount"),
        pytest.param(
            _with(installment_due_dates=["2005-06-15", "2005-04-15", "2005-09-15", "2006-01-15"]),
            "installment_due_dates[1]",
            id="due-dates-out-of-order",
        ),
        pytest.param(
            _with(installment_due_dates=["2005-04-15", "2005-04-15", "2005-09-15", "2006-01-15"]),
            "installment_due_dates[1]",
            id="due-dates-repeated",
        ),
        pytest.param(
            _with(installment_due_dates=["2005/04/15", "2005-06-15", "2005-09-15", "2006-01-15"]),
            "installment_due_dates[0]",
            id="slash-date",
        ),
        pytest.param(
            _with(installment_due_dates=["20050415", "2005-06-15", "2005-09-15", "2006-01-15"]),
            "installment_due_dates[0]",
            id="compact-date",
        ),
        pytest.param(
            _with(installment_due_dates=["2005-04-15", "2005-06-31", "2005-09-15", "2006-01-15"]),
            "installment_due_dates[1]",
            id="date-that-does-not-exist",
        ),
        pytest.param(
            _with(installment_due_dates=["2005-04-15", "2005-06-15", "2005-09-15", "2006-05-15"]),
            "installment_due_dates",
            id="due-date-after-the-penalty-end",
        ),
        pytest.param(
            _with(installment_due_dates=["2005-04-15", "2005-06-15", "2005-09-15"]),
            "installment_due_dates",
            id="three-due-dates",
        ),
        pytest.param(_with(paid_in_full_date=20060415), "paid_in_full_date", id="date-as-number"),
        pytest.param(
            _with(paid_in_full_date="2006-4-15"), "paid_in_full_date", id="date-without-padding"
        ),
        pytest.param(
            _with(paid_in_full_date="2006-04-15T00:00"), "paid_in_full_date", id="date-with-time"
        ),
        pytest.param(
            _with(payments={"date": "2005-09-02", "amount": "1000"}),
            "payments",
            id="payments-not-a-list",
        ),
        pytest.param(_with(payments=["2005-09-02"]), "payments[0]", id="payment-not-a-mapping"),
        pytest.param(
            _with(payments=[{"date": "2005-09-02", "amount": "1000", "for": "Q3"}]),
            "payments[0]",
            id="payment-unknown-key",
        ),
        pytest.param(
            _with(payments=[{"date": "2005-09-02"}]), "payments[0]", id="payment-without-amount"
        ),
        pytest.param(
            _with(payments=[{"date": "2005-09-02", "amount": 1000.0}]),
            "payments[0].amount",
            id="payment-float",
        ),
        pytest.param(
            _with(payments=[{"date": "2005-09-02", "amount": "-1000"}]),
            "payments[0].amount",
            id="payment-negative",
        ),
        pytest.param(
            _with(payments=[{"date": "Sept 2, 2005", "amount": "1000"}]),
            "payments[0].date",
            id="payment-bad-date",
        ),
        pytest.param(
            _with(
                payments=[
                    {"date": "2006-01-12", "amount": "1000"},
                    {"date": "2005-09-02", "amount": "1000"},
                ]
            ),
            "payments[1]",
            id="payments-out-of-order",
        ),
        pytest.param(
            _with(payments=[{"date": "2006-05-01", "amount": "1000"}]),
            "paid_in_full_date",
            id="payment-after-paid-in-full",
        ),
        pytest.param(
            _with(withholding_dates=[{"date": "2005-12-31", "amount": "3000"}]),
            "withholding_dates",
            id="dated-withholding-does-not-add-up",
        ),
    ],
)
def test_malformed_input_is_refused_naming_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as caught:
        estimated_tax_penalty(data, RULES)
    message = str(caught.value)
    assert field in message
    assert "\n" not in message


def test_a_year_before_the_april_rule_is_in_the_data_is_refused() -> None:
    # The rates go back to 1983, but IRC 6621(b)(2)(B) is carried from 1987 only.
    data = {"tax_year": 1985, "required_annual_payment": "4000"}
    with pytest.raises(InputError, match="tax_year 1985"):
        estimated_tax_penalty(data, RULES)


def test_the_top_level_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match="mapping"):
        load_estimated_tax_input(["tax_year", 2005], RULES)  # type: ignore[arg-type]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_files_are_read_as_json_or_yaml(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"year{suffix}"
    path.write_text(json.dumps(SAMPLE), encoding="utf-8")
    assert estimated_tax_penalty(path, RULES).penalty == Decimal("68.51")
    assert estimated_tax_penalty(str(path), RULES).penalty == Decimal("68.51")


def test_yaml_dates_may_be_unquoted(tmp_path: Path) -> None:
    path = tmp_path / "year.yaml"
    path.write_text(
        "tax_year: 2005\n"
        'required_annual_payment: "6116"\n'
        'withholding: "3228"\n'
        "payments:\n"
        '  - {date: 2005-09-02, amount: "1000"}\n'
        '  - {date: 2006-01-12, amount: "1000"}\n',
        encoding="utf-8",
    )
    assert estimated_tax_penalty(path, RULES).penalty == Decimal("68.51")


def test_unquoted_yaml_money_is_a_float_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "year.yaml"
    path.write_text("tax_year: 2005\nrequired_annual_payment: 6116.00\n", encoding="utf-8")
    with pytest.raises(InputError, match="required_annual_payment"):
        estimated_tax_penalty(path, RULES)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.json", None, "does not exist"),
        ("broken.json", '{"tax_year": 2005,', "not valid JSON"),
        ("broken.yaml", "tax_year: [2005", "not valid YAML or JSON"),
        ("list.json", "[2005]", "mapping"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        estimated_tax_penalty(path, RULES)
