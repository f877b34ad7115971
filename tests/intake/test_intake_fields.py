"""The field reader on hand-written notice text (tests/fixtures/intake/cp14_layout.txt): every expected value is typed in that text."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.errors import NotAnIrsNoticeError
from balancedue.intake import HIGH_CONFIDENCE, read_text
from balancedue.rules import load_rules

RULES = load_rules()

# A CP14 typed from the layout of the IRS sample (fictional taxpayer and figures).
CP14 = (Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "cp14_layout.txt").read_text()
FULL_ID = re.search(r"\d{3}-\d{2}-\d{4}", CP14).group()  # the fixture prints a full (fictional) number


def test_cp14_fields() -> None:
    notice = read_text(CP14, rules=RULES)
    expected = {
        "notice_code": "CP14",
        "notice_date": date(2024, 6, 10),
        "tax_year": 2023,
        "tax_form": "1040",
        "amount_due": Decimal("1060.00"),
        "pay_by_date": date(2024, 7, 1),
        "tax": Decimal("1000.00"),
        "penalties": Decimal("130.00"),          # 40.00 + 90.00
        "interest": Decimal("30.00"),
        "payments_and_credits": Decimal("100.00"),
        "taxpayer_id_last4": "4321",
        "phone": "800-829-1040",
        # The coupon at the bottom prints the Louisville lockbox; letters go to the issuing center.
        "reply_address": "INTERNAL REVENUE SERVICE, KANSAS CITY, MO 64999",
    }
    for name, value in expected.items():
        field = notice.fields[name]
        assert field.value == value, name
        assert field.confidence >= HIGH_CONFIDENCE, name
        assert field.source_text
    assert notice.catalog is not None
    assert notice.catalog.is_bill
    assert notice.tax_period_end.value is None
    assert "no tax period end date" in (notice.tax_period_end.reason or "")
    assert notice.notice_id.value is None
    assert notice.notice_id.reason
    assert notice.respond_by_date.value is None


def test_full_ssn_never_survives() -> None:
    notice = read_text(CP14, rules=RULES)
    assert FULL_ID not in notice.text
    assert "XXX-XX-4321" in notice.text
    assert all("900-01" not in (f.source_text or "") for f in notice.fields.values())


def test_breakdown_that_does_not_add_up_is_not_trusted() -> None:
    # Interest changed from $30.00 to $35.00: the summary no longer adds up to $1,060.00.
    notice = read_text(CP14.replace("Interest charges                               $30.00", "Interest charges   $35.00"), rules=RULES)
    assert notice.interest.value == Decimal("35.00")
    for name in ("amount_due", "tax", "penalties", "interest", "payments_and_credits"):
        assert notice.fields[name].confidence < HIGH_CONFIDENCE, name
    assert any("does not add up" in w or "not the amount due" in w for w in notice.warnings)


def test_conflicting_dates_are_flagged() -> None:
    # The coupon shows another notice date than the header.
    text = CP14.replace("Notice date  June 10, 2024", "Notice date  June 17, 2024")
    notice = read_text(text, rules=RULES)
    assert notice.notice_date.confidence < HIGH_CONFIDENCE
    assert any("different values" in w for w in notice.warnings)


def test_two_tax_periods_come_back_as_a_list() -> None:
    text = """\
Department of the Treasury              Letter       LT11
Internal Revenue Service                Letter date  March 2, 2025
                                        Taxpayer ID number  XXX-XX-7788
Final notice of intent to levy and notice of your right to a hearing
Respond by April 1, 2025
Tax form   Tax period ending     Amount you owe
1040       December 31, 2021     $2,000.00
1040       December 31, 2022     $3,500.50
Total amount you owe             $5,500.50
"""
    notice = read_text(text, rules=RULES)
    assert notice.notice_code.value == "LT11"
    assert [(p.tax_form, p.tax_period_end, p.amount) for p in notice.tax_periods] == [
        ("1040", date(2021, 12, 31), Decimal("2000.00")),
        ("1040", date(2022, 12, 31), Decimal("3500.50")),
    ]
    assert notice.tax_year.value is None
    assert "2 tax periods" in (notice.tax_year.reason or "")
    assert notice.amount_due.value == Decimal("5500.50")
    assert notice.respond_by_date.value == date(2025, 4, 1)


def test_unknown_code_is_read_but_not_trusted() -> None:
    text = CP14.replace("CP14", "CP9999")
    notice = read_text(text, rules=RULES)
    assert notice.notice_code.value == "CP9999"
    assert notice.notice_code.confidence < HIGH_CONFIDENCE
    assert notice.catalog is None


def test_a_letter_from_someone_else_is_not_an_irs_notice() -> None:
    text = "Riverbend Water Cooperative\nPast due reminder\nAmount due: $184.22\nPay by March 24, 2025\n"
    with pytest.raises(NotAnIrsNoticeError) as caught:
        read_text(text, rules=RULES)
    assert caught.value.exit_code == 3


def test_a_pay_by_date_before_the_notice_date_is_not_reported() -> None:
    # May 1, 2024 is before the notice date June 10, 2024: already past when the notice was
    # dated, so it is not this notice's deadline.  It is named in a warning, not reported.
    notice = read_text(CP14.replace("July 1, 2024", "May 1, 2024"), rules=RULES)
    assert notice.pay_by_date.value is None
    assert "before the notice date" in (notice.pay_by_date.reason or "")
    assert any("2024-05-01" in warning for warning in notice.warnings)
    assert notice.notice_date.value == date(2024, 6, 10)
