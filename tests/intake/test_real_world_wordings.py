"""Wordings of real IRS notices that the generated corpus does not print.

Every text here is written for the test (fictional taxpayers, figures and dates) in the wording
and layout of real notice text layers: a continuation-page header with every field on one line,
the billing summary of a reminder that starts from the earlier notice's balance, the "Pay the
amount due of ... by ..." instruction, and the payment note that names the tax year and form in
brackets.  Each expected value is printed in the text; the comments say where.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from balancedue.errors import NotAnIrsNoticeError
from balancedue.intake import HIGH_CONFIDENCE, REVIEW_CONFIDENCE, read_text
from balancedue.rules import load_rules

RULES = load_rules()

# A page 2 of a redesigned reminder: the running header carries the code, year, date and id.
REMINDER_PAGE = """\
Notice: CP501 Tax year: 2022 Notice date: March 3, 2025 TIN: XXX-XX-4417 Page 2 of 4
If you already paid your balance in full, disregard this reminder.
Description Amount
Amount you owed $12,480.20
Failure-to-pay penalty $124.80
Interest $210.55
Amount due by March 24, 2025 $12,815.55
Notice: CP501 Tax year: 2022 Notice date: March 3, 2025 TIN: XXX-XX-4417 Page 3 of 4
For more information about this notice, visit irs.gov/cp501.
"""
# 12,480.20 + 124.80 + 210.55 = 12,815.55: the summary adds up, yet 12,480.20 is not the tax.


def test_a_running_header_gives_the_code() -> None:
    notice = read_text(REMINDER_PAGE, rules=RULES)
    assert notice.notice_code.value == "CP501"  # "Notice: CP501" before "Tax year:"
    assert notice.notice_code.confidence >= HIGH_CONFIDENCE
    assert notice.tax_year.value == 2022
    assert notice.notice_date.value == date(2025, 3, 3)
    assert notice.taxpayer_id_last4.value == "4417"


def test_a_code_named_in_a_sentence_is_still_not_the_code() -> None:
    text = REMINDER_PAGE.replace("Notice: CP501 Tax year:", "We sent you notice CP14 earlier. Tax year:")
    notice = read_text(text, rules=RULES)
    assert notice.notice_code.value is None


def test_a_reminder_summary_starts_from_the_earlier_balance_not_the_tax() -> None:
    notice = read_text(REMINDER_PAGE, rules=RULES)
    assert notice.amount_due.value == Decimal("12815.55")  # "Amount due by March 24, 2025 $12,815.55"
    assert notice.pay_by_date.value == date(2025, 3, 24)
    # "Amount you owed $12,480.20" already holds the earlier penalties and interest: it is not the
    # tax, and the penalty and interest lines are only what was added since.
    for name in ("tax", "penalties", "interest", "payments_and_credits"):
        field = notice.fields[name]
        assert field.value is None, name
        assert field.reason, name
    assert "12,480.20" in (notice.tax.reason or "")
    assert "since the earlier balance" in (notice.interest.reason or "")
    assert any("earlier balance" in warning for warning in notice.warnings)


def test_a_final_notice_summary_from_prior_notices() -> None:
    text = """\
Department of the Treasury
Internal Revenue Service
Letter 1058
Notice date   May 5, 2025
Tax period   December 31, 2021
Form 1040
Unpaid amount from prior notices   $4,050.00
Additional penalty   $81.00
Additional interest   $96.30
Amount you owe   $4,227.30
"""
    # 4,050.00 + 81.00 + 96.30 = 4,227.30
    notice = read_text(text, rules=RULES)
    assert notice.amount_due.value == Decimal("4227.30")
    assert notice.tax.value is None
    assert notice.penalties.value is None
    assert notice.interest.value is None


def test_the_tax_line_of_a_first_bill_is_still_the_tax() -> None:
    text = """\
Department of the Treasury
Internal Revenue Service
Notice   CP14
Notice date   June 2, 2025
Tax year   2024
Billing Summary
Tax you owed   $2,000.00
Failure-to-pay penalty   $20.00
Interest charges   $15.00
Amount due by June 23, 2025   $2,035.00
"""
    # 2,000.00 + 20.00 + 15.00 = 2,035.00
    notice = read_text(text, rules=RULES)
    assert notice.tax.value == Decimal("2000.00")
    assert notice.penalties.value == Decimal("20.00")
    assert notice.interest.value == Decimal("15.00")
    assert notice.tax.confidence >= HIGH_CONFIDENCE


INSTRUCTIONS = """\
CP503
What you need to do immediately
If you agree with the amount due and you're not working with an IRS representative
• Pay the amount due of $2,318.40 by April 14, 2025, to avoid
additional interest and applicable penalty charges.
• Make your check or money order payable to the United States Treasury.
Payment • Write your social security number (XXX-XX-2208), the tax year (2022), and form number
(1040) on your payment.
You can also call us at 1-800-829-0922 to discuss your options.
"""


def test_the_pay_instruction_gives_the_amount_and_date_when_no_box_is_printed() -> None:
    notice = read_text(INSTRUCTIONS, rules=RULES)
    assert notice.amount_due.value == Decimal("2318.40")  # "Pay the amount due of $2,318.40"
    assert notice.pay_by_date.value == date(2025, 4, 14)  # "... by April 14, 2025"
    assert notice.amount_due.confidence >= REVIEW_CONFIDENCE


def test_the_payment_note_gives_the_year() -> None:
    notice = read_text(INSTRUCTIONS, rules=RULES)
    assert notice.tax_year.value == 2022  # "the tax year (2022)"
    # "form number" / "(1040)": what to write on the check; alone it is not taken as the
    # notice's tax form (the notice does not say which return it is about).
    assert notice.tax_form.value is None


def test_the_payment_note_backs_up_the_return_the_notice_names() -> None:
    text = INSTRUCTIONS.replace("CP503\n", "CP503\nOur records show you have unpaid taxes for your 2022 Form 1040.\n")
    alone = read_text(text.replace("(1040) on your payment", "on your payment"), rules=RULES)
    backed = read_text(text, rules=RULES)
    assert alone.tax_form.value == backed.tax_form.value == "1040"
    assert backed.tax_form.confidence > alone.tax_form.confidence


def test_a_payment_note_without_values_names_no_year_or_form() -> None:
    text = INSTRUCTIONS.replace("(XXX-XX-2208), the tax year (2022), and form number\n(1040)", ", the tax year, and form number")
    notice = read_text(text, rules=RULES)
    assert notice.tax_year.value is None
    assert notice.tax_form.value is None


def test_an_older_return_form_is_a_return_form() -> None:
    text = INSTRUCTIONS.replace("CP503\n", "CP503\nOur records show you have unpaid taxes for your 2016 Form 1040A.\n")
    notice = read_text(text, rules=RULES)
    assert notice.tax_form.value == "1040-A"


def test_a_box_and_the_instruction_that_disagree_are_flagged() -> None:
    text = "Amount due: $2,400.00\n" + INSTRUCTIONS
    notice = read_text(text, rules=RULES)
    assert notice.amount_due.confidence < HIGH_CONFIDENCE
    assert any("amount_due" in warning for warning in notice.warnings)


def test_the_unpaid_taxes_sentence_wrapped_over_lines_names_the_form() -> None:
    text = """\
Department of the Treasury
Internal Revenue Service
Notice   CP14
Tax year   2023
Our records show you have unpaid taxes
and/or penal
ties and interest on your 2023
Form 1040.
"""
    notice = read_text(text, rules=RULES)
    assert notice.tax_form.value == "1040"


LATER_PAGE = """\
Explanation of the changes
The wages your employer reported do not match the wages on your return.
Reported by Fictional Widget Co.   $3,200.00
Shown on your return   $0.00
CP2000 (Rev. 11-2021)   Page 4 of 6
"""


def test_a_later_page_with_the_form_footer_is_read() -> None:
    # No letterhead on this page; the footer "CP2000 (Rev. 11-2021)" is printed on every page.
    notice = read_text(LATER_PAGE, rules=RULES)
    assert notice.notice_code.value == "CP2000"
    assert notice.amount_due.value is None


def test_a_code_without_the_footer_shape_is_not_enough() -> None:
    with pytest.raises(NotAnIrsNoticeError):
        read_text(LATER_PAGE.replace("CP2000 (Rev. 11-2021)", "See CP2000"), rules=RULES)


def test_a_summary_row_flattened_with_the_body_column_keeps_its_label() -> None:
    # Two columns flattened into single-spaced lines: the body sentence on the left, the billing
    # summary on the right ("... of your return: Tax you owed $2,410.00").
    text = """\
Department of the Treasury Tax year 2023
Internal Revenue Service Notice date March 4, 2024
Notice CP11
Changes to your 2023 Form 1040
Amount due: $716.35
We found miscalculations on your 2023 Billing Summary
Form 1040, which affect the following areas
of your return: Tax you owed $2,410.00
Payments you made -1,800.00
Failure-to-file penalty 90.00
Interest charges 16.35
Amount due by March 25, 2024 $716.35
"""
    # 2,410.00 - 1,800.00 + 90.00 + 16.35 = 716.35
    notice = read_text(text, rules=RULES)
    assert notice.tax.value == Decimal("2410.00")
    assert notice.tax.confidence >= HIGH_CONFIDENCE
    assert notice.payments_and_credits.value == Decimal("1800.00")


def test_a_sentence_ending_in_the_words_of_a_label_is_not_a_summary_row() -> None:
    text = """\
Department of the Treasury
Internal Revenue Service
Notice CP14
We applied your payment to the tax you owed $300.00
"""
    notice = read_text(text, rules=RULES)
    assert notice.tax.value is None


def test_an_account_change_summary_is_not_read_as_charges() -> None:
    # An account-change notice: the balance before the change, then what the change took off.
    text = """\
Department of the Treasury
Internal Revenue Service
Notice CP21A
Tax year 2023
Notice date May 12, 2025
Billing Summary
Account balance before this change $905.40
Decrease in tax – 700.00
Decrease in interest – 52.10
Amount due by June 2, 2025 $153.30
"""
    # 905.40 - 700.00 - 52.10 = 153.30; "Decrease in interest" is not interest charged.
    notice = read_text(text, rules=RULES)
    assert notice.amount_due.value == Decimal("153.30")
    assert notice.interest.value is None
    assert notice.tax.value is None
