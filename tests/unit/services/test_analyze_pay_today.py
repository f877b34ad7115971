"""The amount to pay in full today, worked out alone for lists of cases, is the report's first
figure: the same amount, the same date it holds until, the same next figure, for every kind of
notice the analysis fixtures hold (bills, reminders, levy notices, a CP2000, payroll, an offset)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from balancedue.rules import load_rules
from balancedue.services import analyze
from balancedue.services.read import read_pasted_notice

RULES = load_rules()
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "analyze"
NOTICES = sorted(p.name for p in FIXTURES.glob("*.txt"))
# Three days: early (inside most interest-free windows), months later, and over a year later (the
# estimated notices that follow count in today's figure).
DAYS = (date(2025, 6, 10), date(2025, 9, 20), date(2026, 11, 27))


@pytest.mark.parametrize("name", NOTICES)
def test_pay_today_alone_is_the_reports_first_figure(name: str) -> None:
    notice = read_pasted_notice((FIXTURES / name).read_text(encoding="utf-8"), rules=RULES)
    for today in DAYS:
        report = analyze.analyze_notice(notice, today, rules=RULES)
        assert analyze.pay_in_full_today(notice, today, rules=RULES) == report.pay_in_full_today, (name, today)


def test_the_sample_bill_inside_its_window_is_the_printed_amount() -> None:
    # tests/fixtures/analyze/cp14-match.txt: "Notice date: June 2, 2025", "Amount due by June 23,
    # 2025: $4,076.99".  Read on 2025-06-10, inside the 21 calendar days of IRC 6601(e)(3):
    # 2025-06-02 + 21 days = 2025-06-23 (a Monday), so today's figure is the amount printed.
    notice = read_pasted_notice((FIXTURES / "cp14-match.txt").read_text(encoding="utf-8"), rules=RULES)
    pay = analyze.pay_in_full_today(notice, date(2025, 6, 10), rules=RULES)
    assert pay is not None
    assert pay.amount.amount == "4076.99"
    assert pay.holds_until == date(2025, 6, 23)
