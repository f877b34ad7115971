"""The interest-free period after notice and demand (IRC 6601(e)(3), 7503), worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balancedue.engine.accrual import grace_period_end
from balancedue.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(
    ("notice", "demanded", "last_day"),
    [
        # 21 calendar days: Monday 2025-06-02 + 21 = Monday 2025-06-23.
        (date(2025, 6, 2), Decimal("5000.00"), date(2025, 6, 23)),
        # Saturday 2025-06-07 + 21 = Saturday 06-28: the next business day is Monday 06-30.
        (date(2025, 6, 7), Decimal("5000.00"), date(2025, 6, 30)),
        # Friday 2025-06-13 + 21 = Friday 07-04, Independence Day: Monday 07-07.
        (date(2025, 6, 13), Decimal("5000.00"), date(2025, 7, 7)),
        # $100,000 or more: 10 business days, 06-03 ... 06-13 and 06-16 (no holiday between).
        (date(2025, 6, 2), Decimal("100000.00"), date(2025, 6, 16)),
        # Just under the threshold: the 21 days again.
        (date(2025, 6, 2), Decimal("99999.99"), date(2025, 6, 23)),
    ],
)
def test_last_day_to_pay_without_more_interest(notice: date, demanded: Decimal, last_day: date) -> None:
    assert grace_period_end(RULES, notice, demanded) == last_day


def test_ten_business_days_skip_a_holiday() -> None:
    # Friday 2025-06-13 + 10 business days: 06-16, 17, 18, (19 Juneteenth), 20, 23, 24, 25, 26,
    # 27, 30: the tenth is Monday 06-30 (it would be Friday 06-27 without the holiday).
    assert grace_period_end(RULES, date(2025, 6, 13), Decimal("250000.00")) == date(2025, 6, 30)
