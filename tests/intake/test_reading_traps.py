"""Layouts and wordings of real notices that mislead a line-by-line reader.

Hand-written notice texts (tests/fixtures/intake/layouts/, fictional taxpayers) in the layouts
real text layers come in: labels on one line and values on the next, a block of labels then a
block of values, a total printed after the address block, a header flattened into the
letterhead, and bodies that name other forms, notices and due dates.  Every expected value is
printed in the text; the comments say where.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from balancedue.cli import app
from balancedue.intake import HIGH_CONFIDENCE, read_document
from balancedue.rules import load_rules

RULES = load_rules()

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "layouts"


def test_a_1099k_mentioned_in_the_body_is_not_the_tax_form() -> None:
    # "Form 1099-K for 2023" is the information return that triggered the notice; the notice
    # is about the return printed in its heading: "changes to your 2023 Form 1040".
    notice = read_document(LAYOUTS / "cp2000_mentions.txt", rules=RULES)
    assert notice.tax_form.value == "1040"
    assert notice.tax_year.value == 2023


def test_an_estimated_tax_voucher_form_is_not_the_tax_form_or_year() -> None:
    text = (LAYOUTS / "cp2000_mentions.txt").read_text(encoding="utf-8")
    # Without its heading and the "reported on your 2023 Form 1040" sentence, the only forms
    # left are the 1099-K and the 2025 Form 1040-ES: neither is the return, so no tax form.
    text = text.replace("We propose changes to your 2023 Form 1040\n", "")
    text = text.replace("reported on your 2023 Form 1040.", "reported.")
    notice = read_document(text.encode(), name="cp2000.txt", rules=RULES)
    assert notice.tax_form.value is None
    assert notice.tax_year.value == 2023  # from "Tax year" / "2023" in the header


def test_a_return_due_date_is_not_the_pay_by_date() -> None:
    # "Return due date: April 15, 2024" is when the return was due, not when to pay this notice.
    notice = read_document(LAYOUTS / "cp2000_mentions.txt", rules=RULES)
    assert notice.pay_by_date.value is None
    assert notice.respond_by_date.value == date(2025, 9, 11)  # "Response date" / "September 11, 2025"
    assert notice.notice_date.value == date(2025, 8, 12)


def test_a_notice_mentioned_in_a_letter_is_not_its_code() -> None:
    # The letter's header says "Letter 1058"; the body says "in notice CP504".
    notice = read_document(LAYOUTS / "ltr1058_mentions.txt", rules=RULES)
    assert notice.notice_code.value == "LTR1058"
    assert notice.notice_code.confidence >= HIGH_CONFIDENCE
    assert notice.respond_by_date.value == date(2025, 4, 2)  # "Request a hearing by April 2, 2025"
    assert notice.amount_due.value == Decimal("3906.41")     # "Amount you owe" / "$3,906.41"


def test_a_deficiency_notice_with_a_flattened_two_column_header() -> None:
    # "Department of Treasury Notice 3219N": the letterhead and the header column on one line,
    # the number printed without "CP".
    notice = read_document(LAYOUTS / "deficiency_two_columns.txt", rules=RULES)
    assert notice.notice_code.value == "CP3219N"
    assert notice.notice_date.value == date(2025, 5, 5)
    assert notice.tax_year.value == 2022
    # 90 days from May 5, 2025: 26 days left in May + 30 + 31 + 3 = 90 -> August 3, 2025.
    assert notice.respond_by_date.value == date(2025, 8, 3)
    # A notice of deficiency is not a bill: the deficiency is not an amount due.
    assert notice.amount_due.value is None


def test_label_block_then_value_block_and_a_distant_total() -> None:
    notice = read_document(LAYOUTS / "block_summary.txt", rules=RULES)
    assert notice.notice_code.value == "CP501"   # printed "CP 501" on the line after "Notice"
    assert notice.tax_year.value == 2022
    assert notice.notice_date.value == date(2024, 10, 7)
    # Four labels, then four values in the same order; the en dash is a minus sign.
    assert notice.tax.value == Decimal("2000.00")
    assert notice.payments_and_credits.value == Decimal("750.00")
    assert notice.penalties.value == Decimal("62.50")
    assert notice.interest.value == Decimal("41.18")
    # 2,000.00 - 750.00 + 62.50 + 41.18 = 1,353.68, the amount due printed twice.
    assert notice.amount_due.value == Decimal("1353.68")
    assert notice.amount_due.confidence >= HIGH_CONFIDENCE
    assert notice.pay_by_date.value == date(2024, 10, 28)


def test_the_total_after_the_stub_address_is_found_alone() -> None:
    # Only the payment stub is left: "Amount due by" / date / IRS address / scan line / amount.
    text = (LAYOUTS / "block_summary.txt").read_text(encoding="utf-8")
    head, stub = text.split("Billing Summary\n")[0], text.split("Payment\n")[1]
    notice = read_document((head + stub).encode(), name="stub.txt", rules=RULES)
    assert notice.amount_due.value == Decimal("1353.68")
    assert notice.amount_due.confidence < HIGH_CONFIDENCE  # one distant sighting: check it


def test_an_irs_notice_not_in_the_catalog_is_still_an_irs_notice() -> None:
    result = CliRunner().invoke(app, ["read", str(LAYOUTS / "unknown_letter.txt")])
    assert result.exit_code == 0, result.output
    assert "IRS notice LTR6419, not in our catalog" in result.output
    assert "not in the notice catalog" in result.output  # the warning
    notice = read_document(LAYOUTS / "unknown_letter.txt", rules=RULES)
    assert notice.notice_date.value == date(2022, 1, 14)
    assert notice.tax_year.value == 2021
    assert notice.amount_due.value is None  # "Total advance payments" is not an amount due


def test_an_irs_letter_with_only_the_agency_name_and_an_unknown_number() -> None:
    # No Treasury line and no irs.gov: the agency's name and a "Letter <number>" header suffice.
    text = (LAYOUTS / "unknown_letter.txt").read_text(encoding="utf-8").replace("Department of the Treasury\n", "")
    text = text.replace("Letter\n6419\n", "Letter 6419\n")
    notice = read_document(text.encode(), name="letter.txt", rules=RULES)
    assert notice.notice_code.value == "LTR6419"
    assert notice.catalog is None


def test_a_business_return_named_with_its_quarter_is_the_tax_form() -> None:
    # Business notices name the return with its period rather than a year:
    # "Form 941 for the quarter ending March 31, 2025" is the return the bill is about.
    from balancedue.intake.pipeline import read_text

    text = (
        "Department of the Treasury\nInternal Revenue Service\nOgden, UT 84201-0039\n\nNotice CP161\n"
        "Notice date: June 9, 2025\n\nForm 941 for the quarter ending March 31, 2025\n"
        "Amount due by June 30, 2025: $2,450.00\n"
    )
    notice = read_text(text, rules=RULES)
    assert notice.fields["tax_form"].value == "941"
