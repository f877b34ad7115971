"""The account engine on hand-worked cases, each with the rule it checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from balancedue.engine import LineKind, compute, parse_scenario
from balancedue.engine.interest import interest_on
from balancedue.errors import DateOutsideRulesError, InputError
from balancedue.rules import load_rules

RULES = load_rules()

D = Decimal


def scenario(events: list[dict[str, Any]], **top: Any) -> Any:
    return parse_scenario({"form": "1040", "tax_year": top.pop("tax_year", 2024), "events": events, **top})


def test_timely_full_payment_owes_nothing() -> None:
    s = scenario([
        {"date": "2025-04-01", "type": "return_filed", "tax": "5000.00"},
        {"date": "2025-04-10", "type": "payment", "amount": "5000.00"},
    ])
    st = compute(s, date(2026, 1, 1), rules=RULES)
    assert (st.failure_to_file, st.failure_to_pay, st.interest, st.balance) == (D(0), D(0), D(0), D(0))


def test_withholding_is_deemed_paid_on_the_due_date() -> None:
    # IRC 6513(b): withholding dated in the tax year counts as paid on April 15; no interest on it.
    s = scenario([
        {"date": "2024-06-30", "type": "withholding", "amount": "3000.00"},
        {"date": "2025-04-15", "type": "return_filed", "tax": "3000.00"},
    ])
    assert compute(s, date(2025, 12, 31), rules=RULES).balance == D(0)


def test_irc_7503_payment_on_the_next_business_day_is_timely() -> None:
    # Tax year 2022 returns were due 2023-04-15 (a Saturday); Monday 04-17 was DC Emancipation Day
    # observed, so a payment on Tuesday 2023-04-18 is timely: no interest, no penalty.
    s = scenario(
        [
            {"date": "2023-04-18", "type": "return_filed", "tax": "4000.00"},
            {"date": "2023-04-18", "type": "payment", "amount": "4000.00"},
        ],
        tax_year=2022,
    )
    st = compute(s, date(2024, 1, 1), rules=RULES)
    assert st.balance == D(0)
    assert st.return_due_date == date(2023, 4, 15)


def test_late_payment_draws_interest_from_the_nominal_due_date() -> None:
    # Paid 2023-04-19, one day after the IRC 7503 date: interest runs from 2023-04-15 (4 days).
    s = scenario(
        [
            {"date": "2023-04-18", "type": "return_filed", "tax": "10000.00"},
            {"date": "2023-04-19", "type": "payment", "amount": "10000.00"},
        ],
        tax_year=2022,
    )
    st = compute(s, date(2023, 4, 19), rules=RULES)
    assert st.interest == interest_on(D("10000.00"), load_rules().rates, date(2023, 4, 15), date(2023, 4, 19))
    assert st.failure_to_pay == D("50.00")  # one month or fraction at 0.5%


def test_failure_to_file_is_reduced_by_failure_to_pay_notice_433() -> None:
    # IRS Notice 433: late filing is 4.5% a month when the 0.5% late payment applies too; after
    # 5 months the FTF is 22.5% and FTP keeps running to 25%.
    s = scenario([{"date": "2025-11-15", "type": "return_filed", "tax": "10000.00"}])
    st = compute(s, date(2025, 11, 15), rules=RULES)
    assert st.failure_to_pay == D("350.00")  # 7 months (4/16-11/15) x 0.5%
    assert st.failure_to_file == D("2250.00")  # 5 x 5% = 25%, less 5 x 0.5% = 22.5%


def test_minimum_failure_to_file_for_a_return_more_than_60_days_late() -> None:
    # IRC 6651(a) flush language: at least the lesser of the year's minimum ($510 for returns due
    # in 2025) or 100% of the tax due.
    def ftf(tax: str) -> Decimal:
        s = scenario([{"date": "2025-07-10", "type": "return_filed", "tax": tax}])
        return compute(s, date(2025, 7, 10), rules=RULES).failure_to_file

    assert ftf("300.00") == D("300.00")  # 3 x 4.5% of 300 = 40.50; minimum = lesser of 510 and 300
    assert ftf("800.00") == D("510.00")  # 3 x 4.5% of 800 = 108; minimum 510
    assert ftf("5000.00") == D("675.00")  # 3 x 5% of 5000 = 750, less 75 FTP = 675 > 510


def test_minimum_does_not_apply_within_60_days() -> None:
    s = scenario([{"date": "2025-06-10", "type": "return_filed", "tax": "800.00"}])
    st = compute(s, date(2025, 6, 10), rules=RULES)
    assert st.failure_to_file == D("72.00")  # 2 months x (5% - 0.5%) of 800


def test_extension_moves_failure_to_file_but_not_interest_or_failure_to_pay() -> None:
    # IRC 6081 extension to file; 6601(b)(1): interest from April 15; 6651(a)(2) from April 15.
    s = scenario(
        [{"date": "2025-10-15", "type": "return_filed", "tax": "2000.00"}],
        extended_due_date="2025-10-15",
    )
    st = compute(s, date(2025, 10, 15), rules=RULES)
    assert st.failure_to_file == D(0)
    assert st.failure_to_pay == D("60.00")  # 6 months x 0.5% x 2000
    assert st.interest == interest_on(D("2000.00"), load_rules().rates, date(2025, 4, 15), date(2025, 10, 15))


def test_installment_agreement_rate_for_a_timely_filed_return() -> None:
    # IRC 6651(h): 0.25% for months that begin while an agreement is in effect.
    s = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-06-01", "type": "installment_agreement"},
    ])
    st = compute(s, date(2025, 9, 15), rules=RULES)
    # months from 4/16, 5/16 at 0.5% (50 + 50), from 6/16, 7/16, 8/16 at 0.25% (3 x 25)
    assert st.failure_to_pay == D("175.00")


def test_installment_agreement_rate_not_for_a_late_return() -> None:
    s = scenario([
        {"date": "2025-05-20", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-06-01", "type": "installment_agreement"},
    ])
    assert compute(s, date(2025, 9, 15), rules=RULES).failure_to_pay == D("250.00")


def test_failure_to_pay_base_falls_only_from_the_next_month() -> None:
    # IRC 6651(b)(2): a payment lowers the base of months that begin after it.
    s = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-05-20", "type": "payment", "amount": "6000.00"},
    ])
    st = compute(s, date(2025, 6, 20), rules=RULES)
    # months from 4/16 (base 10000), 5/16 (10000: paid 5/20), 6/16 (4000) -> 50 + 50 + 20
    assert st.failure_to_pay == D("120.00")


def test_failure_to_pay_is_capped_at_25_percent() -> None:
    s = scenario([{"date": "2019-04-15", "type": "return_filed", "tax": "1000.00"}], tax_year=2018)
    st = compute(s, date(2026, 6, 1), rules=RULES)
    assert st.failure_to_pay == D("250.00")


def test_payment_within_21_days_of_notice_stops_interest_after_the_notice() -> None:
    # IRC 6601(e)(3): the amount demanded, paid within 21 calendar days, draws no interest after
    # the notice date; the penalty for the month still counts.
    base = [
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-06-02", "type": "notice_and_demand"},
    ]
    at_notice = compute(scenario(base), date(2025, 6, 2), rules=RULES)
    paid = scenario([*base, {"date": "2025-06-20", "type": "payment", "amount": str(at_notice.balance)}])
    st = compute(paid, date(2025, 12, 31), rules=RULES)
    assert st.interest == at_notice.interest
    # What is left is the failure-to-pay of the month that began 06-16, before the payment.
    assert st.balance == D("50.00")
    assert any("6601(e)(3)" in note for note in st.notes)
    # A payment on day 22 does not get the benefit.
    late = scenario([*base, {"date": "2025-06-24", "type": "payment", "amount": str(at_notice.balance)}])
    assert compute(late, date(2025, 12, 31), rules=RULES).interest > at_notice.interest


def test_large_amounts_get_10_business_days() -> None:
    base = [
        {"date": "2025-04-15", "type": "return_filed", "tax": "200000.00"},
        {"date": "2025-06-02", "type": "notice_and_demand"},
    ]
    at_notice = compute(scenario(base), date(2025, 6, 2), rules=RULES)
    # 10 business days after Monday 2025-06-02 is 2025-06-16 (Juneteenth is later).
    on_time = scenario([*base, {"date": "2025-06-16", "type": "payment", "amount": str(at_notice.balance)}])
    assert compute(on_time, date(2025, 12, 31), rules=RULES).interest == at_notice.interest
    too_late = scenario([*base, {"date": "2025-06-17", "type": "payment", "amount": str(at_notice.balance)}])
    assert compute(too_late, date(2025, 12, 31), rules=RULES).interest > at_notice.interest


def test_failure_to_pay_draws_interest_only_from_notice_and_demand() -> None:
    without_notice = scenario([{"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"}])
    with_notice = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-07-01", "type": "notice_and_demand"},
    ])
    a = compute(without_notice, date(2025, 12, 31), rules=RULES)
    b = compute(with_notice, date(2025, 12, 31), rules=RULES)
    assert b.failure_to_pay == a.failure_to_pay
    assert b.interest > a.interest  # interest on the $150 of FTP demanded on 7/1
    extra = b.interest - a.interest
    assert extra < D("10.00")


def test_abating_failure_to_pay_removes_it_and_its_interest() -> None:
    events = [
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-07-01", "type": "notice_and_demand"},
    ]
    before = compute(scenario(events), date(2025, 12, 1), rules=RULES)
    after = compute(
        scenario([*events, {"date": "2025-12-01", "type": "abatement", "of": "failure_to_pay"}]),
        date(2025, 12, 1), rules=RULES
    )
    assert after.failure_to_pay == D(0)
    untouched = compute(scenario([{"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"}]), date(2025, 12, 1), rules=RULES)
    assert after.interest == untouched.interest  # interest on the abated penalty is gone
    assert after.balance < before.balance


def test_additional_assessment_has_its_own_grace_and_interest_from_the_due_date() -> None:
    # 6651(a)(3): no failure-to-pay if paid within 21 days of notice and demand;
    # 6601(a): interest on the deficiency from the original due date.
    s = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "1000.00"},
        {"date": "2025-04-15", "type": "payment", "amount": "1000.00"},
        {"date": "2025-09-01", "type": "additional_tax", "amount": "3000.00"},
        {"date": "2025-09-15", "type": "payment", "amount": "3200.00"},
    ])
    st = compute(s, date(2025, 12, 31), rules=RULES)
    assert st.failure_to_pay == D(0)
    assert st.interest > D(0)
    interest_lines = [line for line in st.lines if line.kind is LineKind.INTEREST]
    assert interest_lines[0].start == date(2025, 4, 16)


def test_every_line_has_a_rule_and_a_source() -> None:
    s = scenario([
        {"date": "2025-08-01", "type": "return_filed", "tax": "9000.00"},
        {"date": "2025-09-01", "type": "notice_and_demand"},
        {"date": "2025-10-01", "type": "payment", "amount": "2000.00"},
    ])
    st = compute(s, date(2026, 3, 31), rules=RULES)
    assert st.lines
    for line in st.lines:
        assert line.rule, line
        assert line.source, line
    charged = {LineKind.FAILURE_TO_FILE, LineKind.FAILURE_TO_FILE_REDUCTION, LineKind.FAILURE_TO_FILE_MINIMUM}
    assert sum(line.amount for line in st.lines if line.kind in charged) == st.failure_to_file
    assert sum(line.amount for line in st.lines if line.kind is LineKind.FAILURE_TO_PAY) == st.failure_to_pay
    assert sum(line.amount for line in st.lines if line.kind is LineKind.INTEREST) == st.interest


def test_as_of_past_the_rate_table_is_an_error() -> None:
    s = scenario([{"date": "2025-04-15", "type": "return_filed", "tax": "1.00"}])
    with pytest.raises(DateOutsideRulesError):
        compute(s, date(2099, 1, 1), rules=RULES)


def test_due_date_before_the_rate_table_is_an_error() -> None:
    s = scenario([{"date": "1981-04-15", "type": "return_filed", "tax": "1.00"}], tax_year=1980)
    with pytest.raises(DateOutsideRulesError):
        compute(s, date(1990, 1, 1), rules=RULES)


def test_missing_as_of_is_an_input_error() -> None:
    with pytest.raises(InputError, match="as-of"):
        compute(scenario([]), rules=RULES)


def test_tax_abated_in_full_leaves_nothing_from_the_start() -> None:
    # IRC 6404(a): an abatement of the whole tax acts from the start; the failure-to-pay and the
    # interest that ran on it from 2025-04-15 to the abatement date go with it.
    s = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "1000.00"},
        {"date": "2025-09-02", "type": "abatement", "of": "tax", "amount": "1000.00"},
    ])
    st = compute(s, date(2025, 12, 31), rules=RULES)
    assert (st.tax, st.failure_to_pay, st.interest, st.balance) == (D(0), D(0), D(0), D(0))
    assert [line.rule for line in st.lines if line.kind is LineKind.ABATEMENT] == ["IRC 6404(a)"]


def test_tax_abated_in_part_is_as_if_only_the_rest_was_owed() -> None:
    # 1,000.00 less 400.00 abated: every figure is that of 600.00 owed from the start.
    abated = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "1000.00"},
        {"date": "2025-09-02", "type": "abatement", "of": "tax", "amount": "400.00"},
    ])
    smaller = scenario([{"date": "2025-04-15", "type": "return_filed", "tax": "600.00"}])
    a, b = compute(abated, date(2025, 12, 31), rules=RULES), compute(smaller, date(2025, 12, 31), rules=RULES)
    assert a.tax == D("600.00")
    assert (a.failure_to_pay, a.interest, a.balance) == (b.failure_to_pay, b.interest, b.balance)


def test_irc_7508a_postponement_moves_the_due_date() -> None:
    # Notice 2020-23 (IRC 7508A) postponed 2019 returns and payments to 2020-07-15: a return
    # filed and paid that day owes nothing, and interest would run only from it.
    s = scenario(
        [
            {"date": "2020-07-15", "type": "return_filed", "tax": "2500.00"},
            {"date": "2020-07-15", "type": "payment", "amount": "2500.00"},
        ],
        tax_year=2019,
    )
    st = compute(s, date(2021, 1, 1), rules=RULES)
    assert st.return_due_date == date(2020, 7, 15)
    assert (st.failure_to_file, st.failure_to_pay, st.interest, st.balance) == (D(0), D(0), D(0), D(0))


def test_failure_to_pay_doubles_for_months_beginning_more_than_10_days_after_a_levy_notice() -> None:
    # IRC 6651(d): 10,000.00 unpaid from 2025-04-15; notice of intent to levy 2025-06-01, so
    # months beginning after 2025-06-11 are charged 1%.  Months begin 04-16 and 05-16 (0.5%:
    # 50.00 each) then 06-16, 07-16 and 08-16 (1%: 100.00 each) by 2025-08-20: 400.00.
    s = scenario([
        {"date": "2025-04-15", "type": "return_filed", "tax": "10000.00"},
        {"date": "2025-06-01", "type": "levy_notice"},
    ])
    st = compute(s, date(2025, 8, 20), rules=RULES)
    assert st.failure_to_pay == D("400.00")
    assert [line.rate for line in st.lines if line.kind is LineKind.FAILURE_TO_PAY and "IRC 6651(d)" in line.rule] == [
        D("0.01")
    ]


def test_a_scenario_built_from_typed_events_equals_the_same_scenario_read_from_a_file() -> None:
    from balancedue.engine import Event, EventType, build_scenario

    built = build_scenario(
        2024,
        [Event(date(2025, 4, 15), EventType.RETURN_FILED, D("5000.00")),
         Event(date(2025, 6, 1), EventType.PAYMENT, D("1000.00"))],
        as_of=date(2025, 12, 31),
    )
    read = scenario(
        [{"date": "2025-04-15", "type": "return_filed", "tax": "5000.00"},
         {"date": "2025-06-01", "type": "payment", "amount": "1000.00"}],
        as_of="2025-12-31",
    )
    assert built == read
    assert [e.index for e in built.events] == [0, 1]


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([("2025-06-01", "payment", "10.00"), ("2025-04-15", "return_filed", "1.00")], "out of date order"),
        ([("2025-04-15", "return_filed", "-1.00")], "events[0].tax is negative"),
        ([("2025-04-15", "payment", "1.001")], "events[0].amount"),
        ([("2025-04-15", "return_filed", "1.00"), ("2025-05-15", "return_filed", "1.00")], "one return_filed"),
    ],
)
def test_typed_events_are_held_to_the_file_checks(events: list[tuple[str, str, str]], message: str) -> None:
    from balancedue.engine import Event, EventType, build_scenario

    typed = [Event(date.fromisoformat(day), EventType(kind), D(amount)) for day, kind, amount in events]
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_scenario(2024, typed)
