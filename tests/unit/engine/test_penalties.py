"""The failure-to-file and failure-to-pay rules (IRC 6651), each figure worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from balancedue.engine.law import AccountLaw
from balancedue.engine.penalties import AgreementSpan, failure_to_file, failure_to_pay_rate
from balancedue.rules import load_rules

LAW = AccountLaw(load_rules())
D = Decimal


def test_the_normal_rate_is_half_a_percent() -> None:
    rate = failure_to_pay_rate(date(2025, 5, 16), LAW, (), (), timely_filed=True)
    assert rate.rate == D("0.005")
    assert rate.rule == ""


def test_an_agreement_in_effect_on_the_first_day_lowers_it_for_a_timely_return() -> None:
    agreement = (AgreementSpan(date(2025, 5, 1), None),)
    assert failure_to_pay_rate(date(2025, 5, 16), LAW, agreement, (), timely_filed=True).rate == D("0.0025")
    assert failure_to_pay_rate(date(2025, 5, 16), LAW, agreement, (), timely_filed=False).rate == D("0.005")
    ended = (AgreementSpan(date(2025, 3, 1), date(2025, 5, 15)),)
    assert failure_to_pay_rate(date(2025, 5, 16), LAW, ended, (), timely_filed=True).rate == D("0.005")


def test_months_beginning_more_than_ten_days_after_a_levy_notice_cost_one_percent() -> None:
    levy = (date(2025, 5, 1),)  # ten days later is 05-11
    assert failure_to_pay_rate(date(2025, 5, 11), LAW, (), levy, timely_filed=True).rate == D("0.005")
    later = failure_to_pay_rate(date(2025, 5, 12), LAW, (), levy, timely_filed=True)
    assert (later.rate, later.rule) == (D("0.01"), "IRC 6651(d)")
    # An agreement and a levy notice together: the agreement's rate.
    agreement = (AgreementSpan(date(2025, 5, 1), None),)
    assert failure_to_pay_rate(date(2025, 5, 16), LAW, agreement, levy, timely_filed=True).rate == D("0.0025")


def _ftf(net: str, filed: date, overlap: str = "0") -> object:
    return failure_to_file(
        filing_due=date(2025, 4, 15), filed=filed, timely_through=date(2025, 4, 15), original_due=date(2025, 4, 15),
        net_amount_due=D(net), law=LAW, overlap_charge=lambda _day: D(overlap),
    )


def test_five_percent_a_month_or_fraction() -> None:
    # Filed 2025-06-20, due 04-15: months from 04-16, 05-16, 06-16 -> 3; 10,000 x 5% x 3 = 1,500.00.
    result = _ftf("10000.00", date(2025, 6, 20))
    assert result is not None
    assert (result.months, result.gross, result.reduction, result.amount) == (3, D("1500.00"), D("0"), D("1500.00"))


def test_reduced_by_the_failure_to_pay_of_the_same_months() -> None:
    # IRC 6651(c)(1): 1,500.00 less 3 months x 50.00 of failure to pay = 1,350.00.
    result = _ftf("10000.00", date(2025, 6, 20), overlap="50.00")
    assert result is not None
    assert (result.reduction, result.amount) == (D("150.00"), D("1350.00"))


def test_the_minimum_for_a_return_more_than_60_days_late_is_at_most_the_tax() -> None:
    # Filed 2025-07-14, 90 days late: 3 months x 5% of 100.00 = 15.00, but the minimum is the
    # lesser of the year's dollar amount (several hundred dollars) and 100% of the tax: 100.00.
    result = _ftf("100.00", date(2025, 7, 14))
    assert result is not None
    assert (result.gross, result.amount) == (D("15.00"), D("100.00"))


def test_a_timely_return_has_no_addition() -> None:
    assert _ftf("10000.00", date(2025, 4, 15)) is None
