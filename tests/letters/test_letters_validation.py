"""A context that cannot make a sound letter is refused with one clear line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from letter_reading import pdf_text
from letter_samples import SAMPLES

from balancedue.errors import InputError
from balancedue.letters import IdKind, LetterKind, ReliefBasis, render_letter
from balancedue.rules import load_rules

RULES = load_rules()

DISPUTE = SAMPLES[LetterKind.DISPUTE]
ABATEMENT = SAMPLES[LetterKind.ABATEMENT]
CDP = SAMPLES[LetterKind.CDP_HEARING]
PLAN = SAMPLES[LetterKind.INSTALLMENT_AGREEMENT]
CP2000 = SAMPLES[LetterKind.CP2000_RESPONSE]
COMPUTATION = SAMPLES[LetterKind.PENALTY_COMPUTATION_REQUEST]


def _refused(ctx: object, *words: str) -> str:
    with pytest.raises(InputError) as caught:
        render_letter(ctx, RULES)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"irs_address": ()}, ("IRS address", "irs_address")),
        ({"irs_address": ("Internal Revenue Service",)}, ("IRS address",)),
        ({"irs_address": ("", "  ")}, ("IRS address",)),
        ({"taxpayer_id_last4": None}, ("taxpayer_id_last4", "missing")),
        ({"taxpayer_id_last4": "12345"}, ("taxpayer_id_last4", "four digits")),
        ({"taxpayer_id_last4": "12a4"}, ("taxpayer_id_last4",)),
        ({"taxpayer_name": " "}, ("taxpayer_name",)),
        ({"signature_name": ""}, ("signature_name",)),
        ({"taxpayer_address": ()}, ("taxpayer_address",)),
        ({"tax_year": None}, ("tax_year",)),
        ({"tax_year": 2026}, ("tax_year", "2026")),
        ({"notice_date": date(2025, 6, 11)}, ("notice_date", "2025-06-11", "after the letter date")),
        ({"notice_code": None}, ("notice_code",)),
        ({"notice_date": None}, ("notice_date",)),
        ({"amount_due": Decimal("-1.00")}, ("amount_due",)),
        ({"facts": "  "}, ("dispute letter", "facts")),
        ({"enclosures": ()}, ("enclosures",)),
        ({"requests": ("Fix it.", " ")}, ("requests[2]",)),
        ({"taxpayer_name": "Nguyễn Văn An"}, ("taxpayer_name", "U+1EC5")),
    ],
)
def test_dispute_refusals(changes: dict[str, object], words: tuple[str, ...]) -> None:
    _refused(replace(DISPUTE, **changes), *words)


def test_latin_accents_print() -> None:
    letter = render_letter(replace(DISPUTE, taxpayer_name="José Peña", signature_name="José Peña"), RULES)
    assert "José Peña" in pdf_text(letter.pdf)


def test_own_requests_replace_the_usual_ones() -> None:
    text = render_letter(replace(DISPUTE, requests=("Apply the $3,000.00 payment to 2023.",)), RULES).text
    assert "I ask that you:\n1. Apply the $3,000.00 payment to 2023.\n\n" in text
    assert "2. " not in text.split("I ask that you:")[1].split("Please confirm")[0]


# --- abatement ---------------------------------------------------------------------------


def test_reasonable_cause_needs_facts() -> None:
    _refused(replace(ABATEMENT, facts=""), "abatement letter", "facts")
    _refused(replace(ABATEMENT, facts="", relief_basis=ReliefBasis.REASONABLE_CAUSE), "facts")


def test_first_time_abate_alone_needs_no_facts() -> None:
    text = render_letter(replace(ABATEMENT, facts="", relief_basis=ReliefBasis.FIRST_TIME_ABATE), RULES).text
    # IRM 20.1.1.3.3.2.1: a clean penalty history for the three tax years before (see
    # research/primary_sources.md item 9 and rules data relief.fta.lookback_years).
    assert "for the three tax years before tax year 2023" in text
    assert "IRM 20.1.1.3.3.2.1" in text
    assert "reasonable cause" not in text


def test_reasonable_cause_alone_has_no_first_time_abate_paragraph() -> None:
    text = render_letter(replace(ABATEMENT, relief_basis=ReliefBasis.REASONABLE_CAUSE), RULES).text
    assert "First Time Abate" not in text
    assert "I ask for this relief for reasonable cause (IRM 20.1.1.3.2)" in text


def test_both_grounds_put_reasonable_cause_in_the_alternative() -> None:
    text = render_letter(ABATEMENT, RULES).text
    assert text.index("First Time Abate policy") < text.index("in the alternative")


# --- installment agreement ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"proposed_monthly_payment": None}, ("proposed_monthly_payment",)),
        ({"proposed_monthly_payment": Decimal("0.00")}, ("proposed_monthly_payment",)),
        ({"payment_day": None}, ("payment_day",)),
        ({"payment_day": 0}, ("payment_day", "1 to 28")),
        # Form 9465 instructions: no later than the 28th of the month.
        ({"payment_day": 29}, ("payment_day", "1 to 28")),
        ({"direct_debit": None}, ("direct_debit",)),
        ({"first_payment_date": date(2025, 6, 9)}, ("first_payment_date",)),
    ],
)
def test_installment_refusals(changes: dict[str, object], words: tuple[str, ...]) -> None:
    _refused(replace(PLAN, **changes), "installment_agreement letter", *words)


def test_installment_terms() -> None:
    text = render_letter(replace(PLAN, payment_day=28, direct_debit=False, first_payment_date=None), RULES).text
    assert "- Monthly payment: $350.00" in text
    assert "- Payment day: the 28th of each month" in text
    assert "not by direct debit" in text
    assert "First payment" not in text
    assert "IRC 6331(k)(2)" in text


# --- CDP hearing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"hearing_reasons": ()}, ("hearing_reasons", "installment_agreement")),
        ({"hearing_reasons": ("because",)}, ("'because'", "unknown")),
        ({"facts": ""}, ("facts", "12153")),
        ({"notice_code": "CP14"}, ("CP14", "no Collection Due Process rights", "LT11", "LTR3172")),
        ({"cdp_deadline": date(2025, 5, 1)}, ("cdp_deadline",)),
        ({"enclosures": ()}, ("enclosures",)),
    ],
)
def test_cdp_refusals(changes: dict[str, object], words: tuple[str, ...]) -> None:
    _refused(replace(CDP, **changes), "cdp_hearing letter", *words)


def test_cdp_request_on_time_names_the_last_day() -> None:
    text = " ".join(render_letter(CDP, RULES).text.split())
    # Letter 1058 dated 2025-05-20 + 30 days (IRC 6330(a)(3)(B)) = Thursday 2025-06-19, Juneteenth,
    # a legal holiday; IRC 7503 moves the last day to Friday 2025-06-20.
    assert "IRC 6330 allows 30 days to ask for a hearing" in text
    assert "the last day is June 20, 2025" in text
    assert "as IRC 6330(e)(1) provides" in text
    assert "treat it as a request for an equivalent hearing" in text
    assert "- Form 12153, Request for a Collection Due Process or Equivalent Hearing" in text
    assert "Tax periods: 2022, Form 1040; 2023, Form 1040" in text


def test_late_cdp_request_asks_for_an_equivalent_hearing() -> None:
    text = " ".join(render_letter(replace(CDP, today=date(2025, 7, 15)), RULES).text.split())
    assert "ended on June 20, 2025, so I ask for an equivalent hearing" in text
    # Treas. Reg. 301.6330-1(i)(2) Q&A-I6: within one year of the notice date 2025-05-20.
    assert "within 12 months of the notice date" in text
    assert "by May 20, 2026" in text
    assert "Hold an equivalent hearing" in text
    assert "6330(e)(1)" not in text, "an equivalent hearing does not suspend the levy by law"


def test_cdp_request_past_the_equivalent_hearing_year_is_refused() -> None:
    _refused(replace(CDP, today=date(2026, 5, 21)), "equivalent hearing period", "2026-05-20")


def test_lien_notice_uses_the_date_printed_on_it() -> None:
    lien = replace(
        CDP, notice_code="Letter 3172", notice_date=date(2025, 5, 23), cdp_deadline=date(2025, 7, 7),
        hearing_reasons=("lien_withdrawal",),
    )
    text = " ".join(render_letter(lien, RULES).text.split())
    assert "the filed Notice of Federal Tax Lien (IRC 6320)" in text
    assert "the last day stated on the notice dated May 23, 2025 is July 7, 2025" in text
    assert "6330(e)(1)" not in text
    without_date = " ".join(render_letter(replace(lien, cdp_deadline=None), RULES).text.split())
    assert "within the period that IRC 6320 allows and that the notice dated May 23, 2025 states" in without_date


# --- CP2000 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"notice_code": "CP14"}, ("CP14", "not CP2000")),
        ({"cp2000_items": ()}, ("cp2000_items",)),
        ({"cp2000_items": (("1099-INT", "maybe", ""),)}, ("'maybe'",)),
        ({"cp2000_items": (("1099-INT", "disagree", " "),)}, ("cp2000_items[1]", "explanation")),
        ({"cp2000_items": ((" ", "agree", ""),)}, ("cp2000_items[1]", "names no item")),
    ],
)
def test_cp2000_refusals(changes: dict[str, object], words: tuple[str, ...]) -> None:
    _refused(replace(CP2000, **changes), "cp2000_response letter", *words)


@pytest.mark.parametrize(
    ("positions", "stance"),
    [
        (("agree", "agree"), "I agree with the proposed changes"),
        (("disagree", "disagree"), "I disagree with the proposed changes"),
        (("agree", "disagree"), "I agree with part of the proposed changes"),
    ],
)
def test_cp2000_overall_answer(positions: tuple[str, str], stance: str) -> None:
    items = tuple((f"Item {n}", position, "See the enclosed form.") for n, position in enumerate(positions))
    text = " ".join(render_letter(replace(CP2000, cp2000_items=items), RULES).text.split())
    assert stance in text
    assert "- The response form from the notice, signed" in text


# --- penalty computation ------------------------------------------------------------------


def test_computation_request_cites_both_sections_for_an_individual() -> None:
    text = " ".join(render_letter(COMPUTATION, RULES).text.split())
    assert "IRC 6751(a)" in text
    assert "IRC 6631" in text
    assert "Please show in the computation:" in text


def test_computation_request_for_a_business_leaves_out_6631() -> None:
    # IRC 6631 covers notices to individual taxpayers only.
    text = render_letter(replace(COMPUTATION, id_kind=IdKind.EIN), RULES).text
    assert "6631" not in text
    assert "IRC 6751(a)" in text


def test_computation_request_needs_no_enclosures() -> None:
    text = render_letter(replace(COMPUTATION, enclosures=(), notice_code=None, notice_date=None), RULES).text
    assert "Enclosed" not in text
    assert "Re: Request for the computation of penalties and interest\n" in text


def test_line_breaks_inside_one_line_fields_do_not_split_the_letter() -> None:
    ctx = replace(
        DISPUTE,
        enclosures=("Bank statement\n\nfor April 2024", "Direct Pay\nconfirmation"),
        taxpayer_address=("123 Elm Street\n", "Springfield,\n\nIL 62704"),
    )
    text = render_letter(ctx, RULES).text
    assert "- Bank statement for April 2024\n- Direct Pay confirmation\n" in text
    assert "123 Elm Street\nSpringfield, IL 62704\n" in text
