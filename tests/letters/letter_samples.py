"""One fictional case per letter kind, used by the letter tests and the golden files.

The people, addresses and numbers are made up.  IRS reply addresses have the form printed on
real notices (a city and a ZIP+4 of the IRS campus) and identify no taxpayer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from balancedue.letters import LetterContext, LetterKind, ReliefBasis

FULL_IDS = [
    line.strip()
    for line in (Path(__file__).parents[1] / "fixtures" / "letters" / "full_ids.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

KANSAS_CITY = ("Department of the Treasury", "Internal Revenue Service", "Kansas City, MO 64999-0023")

BASE = LetterContext(
    kind=LetterKind.DISPUTE,
    today=date(2025, 6, 10),
    taxpayer_name="Jordan Q. Sample",
    taxpayer_address=("123 Elm Street", "Springfield, IL 62704"),
    taxpayer_id_last4="1234",
    tax_year=2023,
    tax_form="1040",
    notice_code="CP14",
    notice_date=date(2025, 5, 12),
    notice_id="0087-5521-A",
    irs_address=KANSAS_CITY,
    amount_due=Decimal("4210.55"),
    facts=(
        "I paid $3,000.00 by IRS Direct Pay on April 15, 2024 (confirmation DP-7781). "
        "The notice does not show this payment.\n\n"
        "The enclosed bank statement shows the debit on April 16, 2024."
    ),
    requests=(),
    enclosures=(
        "Notice CP14 dated May 12, 2025",
        "Bank statement for April 2024, page 2",
        "IRS Direct Pay confirmation DP-7781",
    ),
    signature_name="Jordan Q. Sample",
    taxpayer_phone="(217) 555-0143",
)

SAMPLES: dict[LetterKind, LetterContext] = {
    LetterKind.DISPUTE: BASE,
    LetterKind.ABATEMENT: replace(
        BASE,
        kind=LetterKind.ABATEMENT,
        notice_code="CP501",
        notice_date=date(2025, 5, 19),
        notice_id="CP501-2025-0419",
        amount_due=Decimal("1875.40"),
        relief_basis=ReliefBasis.FIRST_TIME_ABATE_OR_REASONABLE_CAUSE,
        penalties=("failure-to-file penalty", "failure-to-pay penalty"),
        facts=(
            "From March 2 to May 30, 2024 I was in hospital after a car accident, and I could "
            "not manage my affairs. I filed the return on June 14, 2024, two weeks after I "
            "came home, and paid the tax shown on it the same day."
        ),
        enclosures=("Notice CP501 dated May 19, 2025", "Hospital admission and discharge summary"),
    ),
    LetterKind.CDP_HEARING: replace(
        BASE,
        kind=LetterKind.CDP_HEARING,
        today=date(2025, 6, 5),
        notice_code="LTR1058",
        notice_date=date(2025, 5, 20),
        notice_id="L1058-7730-22",
        irs_address=("Internal Revenue Service", "Attn: Field Collection", "200 W. Adams St., Stop 5010", "Chicago, IL 60606"),
        amount_due=Decimal("12640.18"),
        hearing_reasons=("installment_agreement", "lien_withdrawal"),
        tax_periods=("2022, Form 1040", "2023, Form 1040"),
        facts=(
            "I can pay $500 a month and ask for an installment agreement instead of a levy. "
            "I also ask that no Notice of Federal Tax Lien be filed, or that one filed be "
            "withdrawn, once the agreement is in place."
        ),
        enclosures=("Letter 1058 dated May 20, 2025", "Form 433-F, Collection Information Statement"),
    ),
    LetterKind.INSTALLMENT_AGREEMENT: replace(
        BASE,
        kind=LetterKind.INSTALLMENT_AGREEMENT,
        notice_code="CP503",
        notice_date=date(2025, 5, 26),
        notice_id=None,
        amount_due=Decimal("8400.00"),
        proposed_monthly_payment=Decimal("350.00"),
        payment_day=15,
        first_payment_date=date(2025, 7, 15),
        direct_debit=True,
        facts=(
            "My income fell when my employer cut my hours in 2024. I can pay $350 a month "
            "from my wages without missing rent or utilities."
        ),
        enclosures=("Notice CP503 dated May 26, 2025",),
    ),
    LetterKind.CP2000_RESPONSE: replace(
        BASE,
        kind=LetterKind.CP2000_RESPONSE,
        notice_code="CP2000",
        notice_date=date(2025, 5, 30),
        notice_id="CP2000-55821",
        irs_address=("Internal Revenue Service", "Austin, TX 73301-0067"),
        amount_due=Decimal("2318.00"),
        facts="",
        cp2000_items=(
            (
                "Form 1099-NEC from Lakeside Design LLC, $4,800",
                "disagree",
                "This income is already on Schedule C, line 1, of my return; a copy is enclosed.",
            ),
            ("Form 1099-INT from First Prairie Bank, $112", "agree", ""),
            (
                "Form 1099-B from Northgate Brokerage, proceeds $9,500",
                "partly_agree",
                "The notice treats all of the proceeds as gain; my cost basis was $8,900, so the "
                "gain is $600. The broker's statement is enclosed.",
            ),
        ),
        enclosures=(
            "Notice CP2000 dated May 30, 2025",
            "Schedule C of my 2023 return",
            "Northgate Brokerage 2023 Form 1099-B with cost basis",
        ),
    ),
    LetterKind.PENALTY_COMPUTATION_REQUEST: replace(
        BASE,
        kind=LetterKind.PENALTY_COMPUTATION_REQUEST,
        notice_code="CP503",
        notice_date=date(2025, 5, 26),
        notice_id=None,
        amount_due=Decimal("8400.00"),
        facts="",
        enclosures=("Notice CP503 dated May 26, 2025",),
    ),
}
