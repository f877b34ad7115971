"""Letter-style headers and amounts printed without cents or thousands separators.

Fictional notices written for the test in the layouts IRS letters use: a header of labelled
fields ("Date:", "Tax periods: Form 1040, December 31, 2022"), a table of periods whose totals
have no thousands separator, a whole-dollar bill, and a "Pay this amount" box.  Each expected
value is printed in the text; the comments say where.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balancedue.intake import read_text
from balancedue.intake.values import parse_money
from balancedue.rules import load_rules

RULES = load_rules()

LT11_LETTER = """\
Department of the Treasury
Internal Revenue Service
Philadelphia, PA 19255-0000

Letter LT11
Date: 03/03/2025
Taxpayer ID number: XXX-XX-5128
Tax periods: Form 1040, December 31, 2022
Toll-free: 800-829-7650

Final notice of intent to levy and your right to a hearing
Amount you owe
Tax period     Form   Unpaid amount   Additional penalty   Interest   Amount you owe
12/31/2022     1040      5120.00          388.10             611.45       6119.55
Total amount you owe                                                      6119.55
"""


def test_a_letter_header_gives_the_date_period_and_form() -> None:
    notice = read_text(LT11_LETTER, rules=RULES)
    assert notice.notice_date.value == date(2025, 3, 3)  # "Date: 03/03/2025"
    assert notice.tax_period_end.value == date(2022, 12, 31)  # "Tax periods: Form 1040, December 31, 2022"
    assert notice.tax_year.value == 2022  # the period ends December 31, 2022
    assert notice.tax_form.value == "1040"


def test_a_total_without_thousands_separator_is_read_whole() -> None:
    # "Total amount you owe 6119.55": 5120.00 + 388.10 + 611.45 = 6119.55, never 119.55.
    notice = read_text(LT11_LETTER, rules=RULES)
    assert notice.amount_due.value == Decimal("6119.55")


WHOLE_DOLLAR_CP14 = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2025
Notice date 11/30/2026
Social Security number XXX-XX-0915
To contact us Phone 800-829-0922

Amount due by 12/21/2026: $408
Tax you owed $380
Failure-to-pay penalty $13
Interest charges $15
"""


def test_a_whole_dollar_bill_is_read_with_its_breakdown() -> None:
    # $380 + $13 + $15 = $408.
    notice = read_text(WHOLE_DOLLAR_CP14, rules=RULES)
    assert notice.amount_due.value == Decimal("408.00")
    assert notice.tax.value == Decimal("380.00")
    assert notice.penalties.value == Decimal("13.00")
    assert notice.interest.value == Decimal("15.00")


def test_without_cents_only_a_dollar_sign_makes_an_amount() -> None:
    assert parse_money("$1,250") == (Decimal("1250.00"), False)
    assert parse_money("2025") is None  # a year, not money
    assert parse_money("1,250") is None


PAY_THIS_AMOUNT = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP14
Tax year 2024
Notice date January 26, 2026
Social Security number XXX-XX-4453
To contact us Phone 800-829-0922

Pay this amount: $1,744.90
Amount due by February 16, 2026
Tax you owed $1,650.00
Failure-to-pay penalty $74.25
Interest charges $20.65
"""


def test_pay_this_amount_is_the_amount_due() -> None:
    # $1,650.00 + $74.25 + $20.65 = $1,744.90, printed in the "Pay this amount" box.
    notice = read_text(PAY_THIS_AMOUNT, rules=RULES)
    assert notice.amount_due.value == Decimal("1744.90")
    assert notice.pay_by_date.value == date(2026, 2, 16)


LT11_WITH_HEARING_ADDRESS = LT11_LETTER + """
If you don't pay the amount you owe or request a Collection Due Process hearing no later than
April 2, 2025, we may levy your property.

Mail your hearing request (Form 12153) to:
Internal Revenue Service
ACS Support, Stop 5050
PO Box 219236
Kansas City, MO 64121-9236

Payment: United States Treasury, PO Box 931000, Louisville, KY 40293-1000
"""


def test_the_address_printed_for_the_hearing_request_is_where_letters_go() -> None:
    # Treas. Reg. 301.6330-1(c)(2), Q&A-C6: the hearing request goes to the office and address
    # the notice names; the letterhead (Philadelphia) only says who sent it.
    notice = read_text(LT11_WITH_HEARING_ADDRESS, rules=RULES)
    address = str(notice.reply_address.value)
    assert "STOP 5050" in address.upper()
    assert "64121-9236" in address
    assert "PHILADELPHIA" not in address.upper()


REMINDER_WITH_LABEL = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999

Notice CP501
Tax year 2024
Notice date August 4, 2025
Social Security number XXX-XX-4409

{label}: $2,262.18
If you owe $100,000 or more, pay within 10 business days.
"""


@pytest.mark.parametrize("label", ["You owe", "Balance owed", "Amount owed", "Total amount owed", "Total due",
                                   "Current balance"])
def test_other_labels_of_the_amount_box(label: str) -> None:
    # The amount is the one printed after the label; the sentence about $100,000 is not an amount due.
    notice = read_text(REMINDER_WITH_LABEL.format(label=label), rules=RULES)
    assert notice.amount_due.value == Decimal("2262.18")


REFUND_OFFSET = """\
Department of the Treasury
Internal Revenue Service
Kansas City, MO 64999-0025

Notice CP49
Tax year 2024
Notice date April 14, 2025
Social security number XXX-XX-3307

We applied $1,150.00 of your 2024 Form 1040 overpayment to an amount owed for 2022.
Summary
Overpayment for 2024{gap}$1,150.00
Amount applied to tax owed for 2022{gap}-1,150.00
{label}{gap}$2,318.44
Refund due{gap}$0.00
If you owe $100,000 or more, call us.
"""


@pytest.mark.parametrize("gap", ["   ", "\n"])
@pytest.mark.parametrize("label", ["Remaining balance for 2022", "Remaining balance", "Balance remaining",
                                   "Amount you still owe", "Remaining balance for tax year 2022"])
def test_a_refund_offset_reads_what_the_refund_left_unpaid(label: str, gap: str) -> None:
    # CP49 (IRC 6402(a) offset): the overpayment ($1,150.00) paid part of the 2022 debt; the
    # remaining balance ($3,468.44 owed - $1,150.00 applied = $2,318.44) is the amount still owed,
    # not the overpayment, the amount applied or the $0.00 refund.  The label stands on the line
    # of its figure or on the line above it (a PDF text layer splits the summary table so).
    notice = read_text(REFUND_OFFSET.format(label=label, gap=gap), rules=RULES)
    assert notice.amount_due.value == Decimal("2318.44")
