"""What each letter template receives: one documented dataclass per letter kind.

Templates never compute, compare dates or choose wording: every sentence that depends on the
case is built here, and a template only places the fields.  Each field carries a ``help`` text
in its metadata; a test checks that every template uses exactly the fields its dataclass
documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from balancedue.engine.dates import add_months
from balancedue.engine.money import format_money
from balancedue.errors import InputError
from balancedue.letters.context import (
    CP2000_POSITION_LABELS,
    HEARING_REASON_LABELS,
    Cp2000Position,
    HearingReason,
    IdKind,
    LetterContext,
    LetterKind,
    ReliefBasis,
)
from balancedue.letters.identifiers import id_reference
from balancedue.letters.validation import cdp_notice, cdp_rule
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import Stage

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
COUNT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
FTA_LOOKBACK = "relief.fta.lookback_years"
EQUIVALENT_HEARING = "rights.equivalent_hearing.months"
LIEN_SECTION, LEVY_SECTION = "IRC 6320", "IRC 6330"
REQUESTS_INTRO = "I ask that you:"


def doc(text: str) -> Any:
    """A dataclass field documented for template authors."""
    return field(metadata={"help": text})


def format_date(day: date) -> str:
    """``date(2025, 6, 1)`` -> ``"June 1, 2025"``, the same whatever the machine's locale."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def ordinal(number: int) -> str:
    """``1`` -> ``"1st"``, ``22`` -> ``"22nd"``, ``13`` -> ``"13th"``."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def count_word(number: int) -> str:
    """``3`` -> ``"three"``; numbers past ten stay in digits."""
    return COUNT_WORDS[number] if 0 <= number < len(COUNT_WORDS) else str(number)


def notice_label(code: str) -> str:
    """``"LTR1058"`` -> ``"Letter 1058"``, ``"CP14"`` -> ``"Notice CP14"``."""
    cleaned = code.strip().upper().replace(" ", "")
    if cleaned.startswith("LTR") and cleaned[3:].isdigit():
        return f"Letter {cleaned[3:]}"
    return f"Notice {cleaned}"


def paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of free text (split at blank lines), each on one line."""
    chunks = [" ".join(chunk.split()) for chunk in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(chunk for chunk in chunks if chunk)


@dataclass(frozen=True)
class LetterView:
    """Fields every letter template receives (the frame of a business letter)."""

    date_line: str = doc("The date of the letter, written out: 'June 10, 2025'.")
    sender_lines: tuple[str, ...] = doc("The taxpayer's name, mailing address and daytime phone.")
    mailing_notation: str = doc("How the letter is sent, above the IRS address.")
    irs_lines: tuple[str, ...] = doc("The IRS reply address, as printed on the notice.")
    subject: str = doc("The 'Re:' line: what the letter is about and which notice.")
    reference_lines: tuple[str, ...] = doc("Under 'Re:': notice id, tax year and form, id ending, amount.")
    salutation: str = doc("The greeting.")
    opening: str = doc("The first paragraph: what this letter is and what it answers.")
    fact_paragraphs: tuple[str, ...] = doc("The taxpayer's facts and reasons, one paragraph each.")
    requests_intro: str = doc("The sentence that leads into the numbered requests.")
    requests: tuple[str, ...] = doc("What the letter asks the IRS to do, numbered in the letter.")
    confirmation: str = doc("The request for written confirmation.")
    signed_enclosures: tuple[str, ...] = doc("Signed forms sent with the letter (Form 12153, a response form).")
    copies: tuple[str, ...] = doc("Documents enclosed as copies, never originals.")
    closing: str = doc("The complimentary close: 'Sincerely,'.")
    signature_name: str = doc("The name typed under the signature.")
    closing_note: str = doc("The mailing record: certified mail article number, copy kept.")


@dataclass(frozen=True)
class DisputeView(LetterView):
    """A dispute of the balance on a notice."""


@dataclass(frozen=True)
class AbatementView(LetterView):
    """A request to remove penalties (First Time Abate, reasonable cause, or both)."""

    first_time_abate: str = doc("The First Time Abate paragraph, or '' when not asked.")
    reasonable_cause: str = doc("The reasonable-cause paragraph, or '' when not asked.")


@dataclass(frozen=True)
class CdpHearingView(LetterView):
    """The cover letter of a Form 12153 Collection Due Process (or equivalent) hearing request."""

    basis: str = doc("The collection action the hearing is about: proposed levy or filed lien.")
    periods: tuple[str, ...] = doc("The tax periods as on the notice.")
    reasons: tuple[str, ...] = doc("The reasons checked on Form 12153, in words.")
    timeliness: str = doc("Why the request is on time, or that it asks for an equivalent hearing.")


@dataclass(frozen=True)
class InstallmentAgreementView(LetterView):
    """A request to pay a balance by the month."""

    terms: tuple[str, ...] = doc("The proposed terms: monthly amount, day, first payment, method.")


@dataclass(frozen=True)
class Cp2000ResponseView(LetterView):
    """A response to a CP2000 proposal, item by item."""

    items: tuple[str, ...] = doc("One line per item: the item, the answer and its explanation.")


@dataclass(frozen=True)
class PenaltyComputationView(LetterView):
    """A request for the detailed computation of penalties and interest."""

    authority: str = doc("The Code sections that call for the computation on notices.")


VIEW_CLASSES: dict[LetterKind, type[LetterView]] = {
    LetterKind.DISPUTE: DisputeView,
    LetterKind.ABATEMENT: AbatementView,
    LetterKind.CDP_HEARING: CdpHearingView,
    LetterKind.INSTALLMENT_AGREEMENT: InstallmentAgreementView,
    LetterKind.CP2000_RESPONSE: Cp2000ResponseView,
    LetterKind.PENALTY_COMPUTATION_REQUEST: PenaltyComputationView,
}

SUBJECTS: dict[LetterKind, str] = {
    LetterKind.DISPUTE: "Disputed balance",
    LetterKind.ABATEMENT: "Request for penalty relief",
    LetterKind.CDP_HEARING: "Request for a Collection Due Process hearing (Form 12153)",
    LetterKind.INSTALLMENT_AGREEMENT: "Request for an installment agreement",
    LetterKind.CP2000_RESPONSE: "Response to proposed changes",
    LetterKind.PENALTY_COMPUTATION_REQUEST: "Request for the computation of penalties and interest",
}


def view_fields(kind: LetterKind) -> dict[str, str]:
    """The documented fields of a kind's template context: name -> help text."""
    return {f.name: f.metadata["help"] for f in fields(VIEW_CLASSES[kind])}


def _year_text(ctx: LetterContext) -> str:
    return f"tax year {ctx.tax_year}" if ctx.tax_year is not None else "the tax periods listed"


def _notice_text(ctx: LetterContext) -> str:
    """``"Notice CP14 dated May 12, 2025"`` or ``""``."""
    if not ctx.notice_code:
        return ""
    dated = f" dated {format_date(ctx.notice_date)}" if ctx.notice_date else ""
    return f"{notice_label(ctx.notice_code)}{dated}"


def _frame(ctx: LetterContext) -> dict[str, Any]:
    """The fields shared by every kind."""
    sender = [ctx.taxpayer_name.strip(), *(line.strip() for line in ctx.taxpayer_address if line.strip())]
    if ctx.taxpayer_phone:
        sender.append(f"Daytime phone: {ctx.taxpayer_phone.strip()}")
    notice = _notice_text(ctx)
    subject = f"Re: {SUBJECTS[ctx.kind]}" + (f", {notice}" if notice else "")
    references = []
    if ctx.notice_id:
        references.append(f"Notice number: {ctx.notice_id.strip()}")
    if ctx.kind is LetterKind.CDP_HEARING and ctx.tax_periods:
        references.append("Tax periods: " + "; ".join(p.strip() for p in ctx.tax_periods))
    elif ctx.tax_year is not None:
        form = f", Form {ctx.tax_form.strip()}" if ctx.tax_form else ""
        references.append(f"Tax year: {ctx.tax_year}{form}")
    assert ctx.taxpayer_id_last4 is not None  # checked before a view is built
    references.append(id_reference(ctx.taxpayer_id_last4, ctx.id_kind))
    if ctx.amount_due is not None:
        references.append(f"Amount shown on the notice: {format_money(ctx.amount_due)}")
    return {
        "date_line": format_date(ctx.today),
        "sender_lines": tuple(sender),
        "mailing_notation": "By certified mail, return receipt requested",
        "irs_lines": tuple(line.strip() for line in ctx.irs_address if line.strip()),
        "subject": subject,
        "reference_lines": tuple(references),
        "salutation": "Dear Sir or Madam:",
        "fact_paragraphs": paragraphs(ctx.facts),
        "requests_intro": REQUESTS_INTRO,
        "signed_enclosures": (),
        "copies": tuple(e.strip() for e in ctx.enclosures),
        "closing": "Sincerely,",
        "signature_name": ctx.signature_name.strip(),
        "closing_note": (
            "Sent by certified mail, return receipt requested; article number "
            "____________________. The sender keeps a copy of this letter and of every enclosure."
        ),
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _lines(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_one_line(text) for text in texts if text.strip())


def tidy(ctx: LetterContext) -> LetterContext:
    """``ctx`` with every one-line field on one line (a stray line break would split a block)."""
    return replace(
        ctx,
        taxpayer_name=_one_line(ctx.taxpayer_name),
        signature_name=_one_line(ctx.signature_name),
        taxpayer_address=_lines(ctx.taxpayer_address),
        irs_address=_lines(ctx.irs_address),
        requests=_lines(ctx.requests),
        enclosures=_lines(ctx.enclosures),
        penalties=_lines(ctx.penalties),
        tax_periods=_lines(ctx.tax_periods),
        cp2000_items=tuple((_one_line(i), p, _one_line(e)) for i, p, e in ctx.cp2000_items),
        notice_id=_one_line(ctx.notice_id) if ctx.notice_id else None,
        tax_form=_one_line(ctx.tax_form) if ctx.tax_form else None,
        taxpayer_phone=_one_line(ctx.taxpayer_phone) if ctx.taxpayer_phone else None,
    )


def build_view(ctx: LetterContext, rules: RuleSet) -> LetterView:
    """The template context of ``ctx`` (already checked by ``check_context``)."""
    ctx = tidy(ctx)
    values = _frame(ctx)
    values.update(BUILDERS[ctx.kind](ctx, rules, values))
    if ctx.requests:
        values["requests"] = tuple(r.strip() for r in ctx.requests)
        values["requests_intro"] = REQUESTS_INTRO
    return VIEW_CLASSES[ctx.kind](**values)


def _dispute(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    shows = f"shows {format_money(ctx.amount_due)} as due" if ctx.amount_due is not None else "shows a balance due"
    year = _year_text(ctx)
    return {
        "opening": (
            f"I am writing about your {_notice_text(ctx)}, which {shows} for {year}. "
            "I disagree with this balance for the reasons below, and I enclose copies of the "
            "records that support them."
        ),
        "requests": (
            f"Review the enclosed records and correct the balance for {year}.",
            "Send me a corrected statement of my account for that year.",
            "If you do not agree, tell me in writing why, and how I can appeal.",
        ),
        "confirmation": (
            f"Please confirm in writing, at my address above, the corrected balance for {year}, "
            "or explain in writing why the balance stands."
        ),
    }


def _abatement(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    year = _year_text(ctx)
    penalties = _joined(ctx.penalties) if ctx.penalties else "penalties"
    notice = _notice_text(ctx)
    shown = f", shown on your {notice}" if notice else ""
    basis = ctx.relief_basis
    first_time = ""
    if basis is not ReliefBasis.REASONABLE_CAUSE:
        years = rules.parameters.integer(FTA_LOOKBACK, ctx.today)
        citation = _bare_citation(rules.parameters.source(FTA_LOOKBACK, ctx.today).citation)
        first_time = (
            f"I ask for this relief under the First Time Abate policy ({citation}). I qualify: "
            f"for the {count_word(years)} tax years before {year} I had no penalties on this type "
            "of return (other than an estimated tax penalty); I have filed every return I am "
            "currently required to file, or a valid extension; and I have paid, or arranged to "
            "pay, the tax now due."
        )
    reasonable = ""
    if basis is not ReliefBasis.FIRST_TIME_ABATE:
        lead = (
            "If First Time Abate is not available, I ask in the alternative for relief"
            if basis is ReliefBasis.FIRST_TIME_ABATE_OR_REASONABLE_CAUSE
            else "I ask for this relief"
        )
        reasonable = (
            f"{lead} for reasonable cause (IRM 20.1.1.3.2): I used ordinary business care and "
            "prudence and was still unable to comply on time, for the reasons below."
        )
    return {
        "opening": f"I ask that you remove the {penalties} charged for {year}{shown}.",
        "first_time_abate": first_time,
        "reasonable_cause": reasonable,
        "requests": (
            f"Remove the {penalties} charged for {year}.",
            "Remove the interest charged on the penalties you remove.",
            "If you deny any part of this request, tell me in writing why, and how I can appeal.",
        ),
        "confirmation": (
            "Please confirm in writing the penalties removed and the revised balance, or explain "
            "in writing why any part of this request is denied."
        ),
    }


def _cdp(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    entry = cdp_notice(ctx, rules)
    lien = entry.stage is Stage.LIEN
    section = LIEN_SECTION if lien else LEVY_SECTION
    basis = (
        f"Collection action: the filed Notice of Federal Tax Lien ({section})"
        if lien
        else f"Collection action: the proposed or actual levy ({section})"
    )
    notice = _notice_text(ctx)
    timeliness, late = _timeliness(ctx, rules, entry, section)
    hearing = "an equivalent hearing" if late else "a Collection Due Process hearing"
    requests = [f"Hold {hearing} with the IRS Independent Office of Appeals on the reasons above."]
    if not lien and not late:
        requests.append(
            "Suspend the levy for these periods while the hearing and any appeal are pending, "
            "as IRC 6330(e)(1) provides."
        )
    if not late:
        requests.append(
            "If you find this request late for a Collection Due Process hearing, treat it as "
            "a request for an equivalent hearing."
        )
    periods = tuple(p.strip() for p in ctx.tax_periods) or (
        (f"{ctx.tax_year}" + (f", Form {ctx.tax_form.strip()}" if ctx.tax_form else ""),)
    )
    return {
        "opening": (
            "Enclosed is my signed Form 12153, Request for a Collection Due Process or "
            f"Equivalent Hearing, which answers your {notice}. I ask for {hearing} with the IRS "
            "Independent Office of Appeals."
        ),
        "basis": basis,
        "periods": periods,
        "reasons": tuple(HEARING_REASON_LABELS[HearingReason(r)] for r in ctx.hearing_reasons),
        "timeliness": timeliness,
        "requests": tuple(requests),
        "confirmation": (
            "Please confirm in writing that you have received this request, and tell me in "
            "writing who will hold the hearing and when."
        ),
        "signed_enclosures": ("Form 12153, Request for a Collection Due Process or Equivalent Hearing",),
    }


def _timeliness(ctx: LetterContext, rules: RuleSet, entry: NoticeEntry, section: str) -> tuple[str, bool]:
    """The sentence on timeliness, and whether the CDP period has already ended."""
    assert ctx.notice_date is not None
    rule = cdp_rule(entry)
    assert rule is not None
    assert rule.rule is not None
    days = rules.parameters.integer(rule.rule, ctx.notice_date)
    deadline = ctx.cdp_deadline
    if deadline is None and rule.days_from_notice_date is not None:
        nominal = ctx.notice_date + timedelta(days=days)
        deadline = rules.calendar.next_business_day(nominal)
    notice_day = format_date(ctx.notice_date)
    if deadline is None:
        return (
            f"This request is made within the period that {section} allows and that the "
            f"notice dated {notice_day} states.", False,
        )
    if ctx.today <= deadline:
        last_day = (
            f"the last day stated on the notice dated {notice_day} is {format_date(deadline)}"
            if ctx.cdp_deadline is not None
            else f"for the notice dated {notice_day} the last day is {format_date(deadline)}"
        )
        return (
            f"This request is timely: {section} allows {days} days to ask for a hearing, and "
            f"{last_day}.", False,
        )
    late = (
        f"The period for a Collection Due Process hearing on the notice dated {notice_day} "
        f"ended on {format_date(deadline)}, so I ask for an equivalent hearing."
    )
    if section != LEVY_SECTION:
        return late, True
    months = rules.parameters.integer(EQUIVALENT_HEARING, ctx.notice_date)
    citation = rules.parameters.source(EQUIVALENT_HEARING, ctx.notice_date).citation
    window_end = add_months(ctx.notice_date, months)
    if ctx.today > window_end:
        raise InputError(
            f"cdp_hearing letter: the equivalent hearing period for the notice dated "
            f"{ctx.notice_date.isoformat()} ended on {window_end.isoformat()} ({citation}); "
            "Form 12153 can no longer be used for it"
        )
    return (
        f"{late} An equivalent hearing may be asked for within {count_word(months)} months of "
        f"the notice date ({citation}), that is by {format_date(window_end)}.", True,
    )


def _installment(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    assert ctx.proposed_monthly_payment is not None
    assert ctx.payment_day is not None
    year = _year_text(ctx)
    balance = f"the balance of {format_money(ctx.amount_due)}" if ctx.amount_due is not None else "the balance"
    terms = [
        f"Monthly payment: {format_money(ctx.proposed_monthly_payment)}",
        f"Payment day: the {ordinal(ctx.payment_day)} of each month",
    ]
    if ctx.first_payment_date is not None:
        terms.append(f"First payment: {format_date(ctx.first_payment_date)}")
    terms.append(
        "Payment method: direct debit from my bank account; I will give the account details "
        "on the form you require"
        if ctx.direct_debit
        else "Payment method: I will make each payment myself (not by direct debit)"
    )
    return {
        "opening": (
            f"I cannot pay {balance} for {year} in full now, and I ask to pay it in monthly "
            "installments under IRC 6159, on the terms below."
        ),
        "terms": tuple(terms),
        "requests": (
            "Approve an installment agreement on the terms above.",
            "Do not levy while this request is pending, as IRC 6331(k)(2) provides.",
            "If you need more information, such as a collection information statement, tell me "
            "in writing what to send.",
        ),
        "confirmation": (
            "Please confirm in writing whether the agreement is approved, with its terms, the "
            "first due date and any user fee."
        ),
    }


def _cp2000(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    positions = {Cp2000Position(position) for _, position, _ in ctx.cp2000_items}
    if positions == {Cp2000Position.AGREE}:
        stance = "I agree with the proposed changes"
    elif positions == {Cp2000Position.DISAGREE}:
        stance = "I disagree with the proposed changes"
    else:
        stance = "I agree with part of the proposed changes"
    proposes = f", which proposes {format_money(ctx.amount_due)}" if ctx.amount_due is not None else ""
    items = []
    for item, position, explanation in ctx.cp2000_items:
        label = CP2000_POSITION_LABELS[Cp2000Position(position)]
        reason = f" {' '.join(explanation.split())}" if explanation.strip() else ""
        items.append(f"{item.strip()}: {label}.{reason}")
    return {
        "opening": (
            f"This is my response to your {_notice_text(ctx)} for {_year_text(ctx)}{proposes}. "
            f"{stance}, as set out item by item below. I have signed the response form from the "
            "notice and enclose it."
        ),
        "items": tuple(items),
        "requests": (
            "Revise the proposed amount to reflect the answers above.",
            "If you do not accept any part of this response, tell me in writing why, and how I "
            "can appeal.",
        ),
        "confirmation": "Please confirm in writing the outcome of this response and any revised amount.",
        "signed_enclosures": ("The response form from the notice, signed",),
    }


def _penalty_computation(ctx: LetterContext, rules: RuleSet, frame: dict[str, Any]) -> dict[str, Any]:
    year = _year_text(ctx)
    notice = _notice_text(ctx)
    shown = f", as shown on your {notice}" if notice else ""
    authority = (
        "IRC 6751(a) provides that a notice of penalty include the name of the penalty, the "
        "Code section under which it is imposed and a computation of it"
    )
    if ctx.id_kind is not IdKind.EIN:
        authority += (
            "; IRC 6631 provides that a notice to an individual charging interest include the "
            "Code section under which the interest is imposed and a computation of it"
        )
    return {
        "opening": (
            "Please mail me a detailed computation of the penalties and interest charged on my "
            f"account for {year}{shown}."
        ),
        "authority": authority + ".",
        "requests_intro": "Please show in the computation:",
        "requests": (
            "For each penalty: its name, the Code section, the amount it was figured on, the "
            "rate and the months or days counted.",
            "For the interest: the balances it was figured on, each period and the rate for it.",
            "The payments and credits applied to the account, with their dates.",
            "The date to which the computation runs.",
        ),
        "confirmation": (
            "Please send the computation in writing to my address above, or tell me in writing "
            "why it cannot be sent."
        ),
    }


def _bare_citation(citation: str) -> str:
    """``"IRM 20.1.1.3.3.2.1 (First Time Abate)"`` -> ``"IRM 20.1.1.3.3.2.1"``."""
    return re.sub(r"\s*\([^()]*\)$", "", citation)


def _joined(items: tuple[str, ...]) -> str:
    cleaned = [item.strip() for item in items]
    if len(cleaned) <= 2:
        return " and ".join(cleaned)
    return ", ".join(cleaned[:-1]) + f", and {cleaned[-1]}"


BUILDERS = {
    LetterKind.DISPUTE: _dispute,
    LetterKind.ABATEMENT: _abatement,
    LetterKind.CDP_HEARING: _cdp,
    LetterKind.INSTALLMENT_AGREEMENT: _installment,
    LetterKind.CP2000_RESPONSE: _cp2000,
    LetterKind.PENALTY_COMPUTATION_REQUEST: _penalty_computation,
}
