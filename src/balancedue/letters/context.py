"""What a letter is made from: its kind, the facts of the case and the rendered result.

:class:`LetterContext` is what a caller (the case store) fills in.  Only the core fields are
required; each kind reads a few more (the payment terms of an installment-agreement request,
the hearing reasons of a Collection Due Process request, the items of a CP2000 response), and
:func:`balancedue.letters.validation.check_context` says which one is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class LetterKind(StrEnum):
    """The letters the product writes to the IRS."""

    DISPUTE = "dispute"
    """The balance on a notice is wrong: what is disputed, why, and the proof enclosed."""
    ABATEMENT = "abatement"
    """Remove penalties: First Time Abate, reasonable cause, or both (one in the alternative)."""
    CDP_HEARING = "cdp_hearing"
    """Cover letter for Form 12153, the Collection Due Process hearing request."""
    INSTALLMENT_AGREEMENT = "installment_agreement"
    """Ask to pay by the month: the amount, the day and whether by direct debit."""
    CP2000_RESPONSE = "cp2000_response"
    """Answer a CP2000 proposal item by item: agree, partly agree or disagree."""
    PENALTY_COMPUTATION_REQUEST = "penalty_computation_request"
    """Ask the IRS to mail the detailed computation of the penalties and interest charged."""


class IdKind(StrEnum):
    """Which taxpayer identification number the last four digits belong to."""

    SSN = "SSN"
    ITIN = "ITIN"
    EIN = "EIN"


class ReliefBasis(StrEnum):
    """The ground of a penalty-relief request."""

    FIRST_TIME_ABATE = "first_time_abate"
    REASONABLE_CAUSE = "reasonable_cause"
    FIRST_TIME_ABATE_OR_REASONABLE_CAUSE = "first_time_abate_or_reasonable_cause"
    """First Time Abate, and reasonable cause in the alternative if FTA is not granted."""


class HearingReason(StrEnum):
    """The reasons that can be checked on Form 12153 for a Collection Due Process hearing."""

    INSTALLMENT_AGREEMENT = "installment_agreement"
    OFFER_IN_COMPROMISE = "offer_in_compromise"
    CANNOT_PAY = "cannot_pay"
    LIEN_WITHDRAWAL = "lien_withdrawal"
    LIEN_SUBORDINATION = "lien_subordination"
    LIEN_DISCHARGE = "lien_discharge"
    INNOCENT_SPOUSE = "innocent_spouse"
    DISAGREE_WITH_AMOUNT = "disagree_with_amount"


HEARING_REASON_LABELS: dict[HearingReason, str] = {
    HearingReason.INSTALLMENT_AGREEMENT: "Collection alternative: an installment agreement",
    HearingReason.OFFER_IN_COMPROMISE: "Collection alternative: an offer in compromise",
    HearingReason.CANNOT_PAY: "Collection alternative: I cannot pay the balance",
    HearingReason.LIEN_WITHDRAWAL: "Lien: withdrawal of the Notice of Federal Tax Lien",
    HearingReason.LIEN_SUBORDINATION: "Lien: subordination of the federal tax lien",
    HearingReason.LIEN_DISCHARGE: "Lien: discharge of property from the federal tax lien",
    HearingReason.INNOCENT_SPOUSE: "Innocent spouse relief",
    HearingReason.DISAGREE_WITH_AMOUNT: "I do not agree with the amount the IRS says I owe",
}


class Cp2000Position(StrEnum):
    """The answer to one item of a CP2000 proposal."""

    AGREE = "agree"
    PARTLY_AGREE = "partly_agree"
    DISAGREE = "disagree"


CP2000_POSITION_LABELS: dict[Cp2000Position, str] = {
    Cp2000Position.AGREE: "I agree",
    Cp2000Position.PARTLY_AGREE: "I partly agree",
    Cp2000Position.DISAGREE: "I disagree",
}


@dataclass(frozen=True)
class LetterContext:
    """Everything one letter says.  Never holds a full taxpayer id: only its last four digits.

    Text fields are the taxpayer's own words; the letter quotes them as given.  ``facts`` may
    hold several paragraphs separated by a blank line.
    """

    kind: LetterKind
    today: date  # the date of the letter
    taxpayer_name: str
    taxpayer_address: tuple[str, ...]
    taxpayer_id_last4: str | None
    tax_year: int | None
    tax_form: str | None  # "1040", "941"
    notice_code: str | None  # "CP14", "LT11", "LTR1058"
    notice_date: date | None
    notice_id: str | None  # the notice or letter id printed on it, when there is one
    irs_address: tuple[str, ...]  # the reply address printed on the notice
    amount_due: Decimal | None  # the amount the notice asks for
    facts: str  # what is disputed and why / the reasons
    requests: tuple[str, ...]  # what the letter asks for; empty: the kind's usual requests
    enclosures: tuple[str, ...]  # copies sent with the letter
    signature_name: str
    # --- optional, shared ---
    taxpayer_phone: str | None = None  # a daytime phone number for the IRS to call back
    id_kind: IdKind = IdKind.SSN
    # --- abatement ---
    relief_basis: ReliefBasis = ReliefBasis.FIRST_TIME_ABATE_OR_REASONABLE_CAUSE
    penalties: tuple[str, ...] = ()  # e.g. ("failure-to-file penalty", "failure-to-pay penalty")
    # --- cdp_hearing ---
    hearing_reasons: tuple[str, ...] = ()  # HearingReason values
    tax_periods: tuple[str, ...] = ()  # as on the notice; empty: tax_year
    cdp_deadline: date | None = None  # the last day printed on the notice, when it prints one
    # --- installment_agreement ---
    proposed_monthly_payment: Decimal | None = None
    payment_day: int | None = None  # day of the month, 1 to 28
    first_payment_date: date | None = None
    direct_debit: bool | None = None
    # --- cp2000_response ---
    cp2000_items: tuple[tuple[str, str, str], ...] = ()  # (item, Cp2000Position value, explanation)


@dataclass(frozen=True)
class RenderedLetter:
    """One letter in the three forms it is kept in: plain text, PDF and an editable DOCX."""

    text: str
    pdf: bytes
    docx: bytes
    filename_stem: str  # e.g. "2025-06-10-dispute-cp14-2023": no name, no id
