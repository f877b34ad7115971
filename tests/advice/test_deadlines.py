"""The deadlines of a notice, each date counted by hand from the notice date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from balancedue.advice.deadlines import notice_deadlines
from balancedue.rules import RuleSet


def _deadlines(rules: RuleSet, code: str, notice_date: date | None, amount: str | None, **printed: date):
    entry = rules.notices.find(code)
    assert entry is not None
    return notice_deadlines(
        entry, notice_date=notice_date, pay_by=printed.get("pay_by"), respond_by=printed.get("respond_by"),
        amount_due=Decimal(amount) if amount else None, today=date(2025, 6, 10), rules=rules,
    )


def test_the_interest_free_window_moves_off_a_weekend(rules: RuleSet) -> None:
    # CP14 of Saturday 2025-06-07: 21 days is Saturday 06-28, so IRC 7503 gives Monday 06-30,
    # 20 days after 2025-06-10.
    deadlines, _ = _deadlines(rules, "CP14", date(2025, 6, 7), "5000.00")
    pay = next(d for d in deadlines if d.what.startswith("Pay within 21"))
    assert (pay.due, pay.nominal, pay.days_left, pay.moved_because) == (
        date(2025, 6, 30), date(2025, 6, 28), 20, "Saturday")
    assert "2025-06-28 falls on a Saturday" in pay.basis


def test_the_large_amount_window_is_ten_business_days(rules: RuleSet) -> None:
    # $100,000 or more billed on Monday 2025-06-02: 10 business days is Monday 06-16; the
    # 21-day window does not apply.
    deadlines, _ = _deadlines(rules, "CP14", date(2025, 6, 2), "150000.00")
    whats = [d.what for d in deadlines]
    assert not any(w.startswith("Pay within 21") for w in whats)
    large = next(d for d in deadlines if "10 business days" in d.what)
    assert large.due == date(2025, 6, 16)


def test_a_printed_date_is_used_and_its_absence_is_said(rules: RuleSet) -> None:
    deadlines, warnings = _deadlines(rules, "CP14", date(2025, 6, 2), "5000.00", pay_by=date(2025, 6, 23))
    printed = next(d for d in deadlines if d.what.startswith("Pay by the date printed"))
    assert (printed.due, printed.basis) == (date(2025, 6, 23), "the date printed on the notice")
    assert not warnings
    _, warnings = _deadlines(rules, "CP14", date(2025, 6, 2), "5000.00")
    assert any("printed on the notice but was not read" in w for w in warnings)


def test_an_intent_to_levy_gives_thirty_days_and_the_equivalent_hearing_year(rules: RuleSet) -> None:
    # LT11 of 2025-06-02: CDP request by 07-02 (30 days, a Wednesday); equivalent hearing 12
    # months from the notice date, 2026-06-02.  Soonest first.
    deadlines, _ = _deadlines(rules, "LT11", date(2025, 6, 2), "5000.00")
    cdp = next(d for d in deadlines if "Collection Due Process" in d.what)
    equivalent = next(d for d in deadlines if d.what.startswith("Equivalent hearing"))
    assert (cdp.due, cdp.days_left) == (date(2025, 7, 2), 22)
    assert equivalent.due == date(2026, 6, 2)
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)


def test_without_a_notice_date_nothing_counted_from_it_is_dated(rules: RuleSet) -> None:
    deadlines, warnings = _deadlines(rules, "CP14", None, None)
    assert deadlines == []
    assert sum("the notice date was not read" in w for w in warnings) == 2
