"""Checks a letter context before anything is rendered.

Each problem is an :class:`~balancedue.errors.InputError` with one line that names the field,
what is wrong and what to write instead.  A full taxpayer id anywhere is refused (see
:mod:`balancedue.letters.identifiers`); so is a character the letter's PDF font cannot print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from balancedue.errors import InputError, MissingFieldError
from balancedue.letters.context import (
    Cp2000Position,
    HearingReason,
    LetterContext,
    LetterKind,
    ReliefBasis,
)
from balancedue.letters.identifiers import LAST_FOUR, find_full_ids, masked
from balancedue.rules import NoticeEntry, RuleSet
from balancedue.rules.notices import DeadlineRule, normalize_code

# The PDF is set in the standard Type 1 fonts, which print the Windows-1252 character set.
PDF_ENCODING = "cp1252"
# Form 9465 instructions (line 12 in the 2020 revision): the monthly payment day is from the
# 1st to the 28th of the month.  A form rule, not a tax figure.
FIRST_PAYMENT_DAY, LAST_PAYMENT_DAY = 1, 28
# Rule ids of the Collection Due Process request period ("rights.cdp.request_days",
# "notices.cp297a.cdp_request_days"): the notices whose deadlines use one carry CDP rights.
CDP_RULE = re.compile(r"cdp[._]request_days$")
NOTICE_KINDS = (LetterKind.DISPUTE, LetterKind.CDP_HEARING, LetterKind.CP2000_RESPONSE)


def text_fields(ctx: LetterContext) -> Iterator[tuple[str, str]]:
    """Every piece of free text in the context, with the name of the field it sits in."""
    singles = {
        "taxpayer_name": ctx.taxpayer_name,
        "signature_name": ctx.signature_name,
        "facts": ctx.facts,
        "tax_form": ctx.tax_form or "",
        "notice_code": ctx.notice_code or "",
        "notice_id": ctx.notice_id or "",
        "taxpayer_phone": ctx.taxpayer_phone or "",
        "taxpayer_id_last4": ctx.taxpayer_id_last4 or "",
    }
    yield from singles.items()
    groups: dict[str, tuple[str, ...]] = {
        "taxpayer_address": ctx.taxpayer_address,
        "irs_address": ctx.irs_address,
        "requests": ctx.requests,
        "enclosures": ctx.enclosures,
        "penalties": ctx.penalties,
        "tax_periods": ctx.tax_periods,
        "hearing_reasons": ctx.hearing_reasons,
    }
    for name, lines in groups.items():
        for index, line in enumerate(lines, start=1):
            yield f"{name}[{index}]", line
    for index, (item, position, explanation) in enumerate(ctx.cp2000_items, start=1):
        yield f"cp2000_items[{index}]", f"{item}\n{position}\n{explanation}"


def refuse_full_ids(text: str, where: str) -> None:
    """An error when ``text`` holds something that looks like a whole SSN, ITIN or EIN."""
    found = find_full_ids(text)
    if found:
        raise InputError(
            f"{where} contains what looks like a full taxpayer id ({masked(found[0])}); "
            "a letter shows only the last four digits, so write it as 'SSN ending "
            f"{masked(found[0])[-4:]}' or leave it out"
        )


def refuse_unprintable(text: str, where: str) -> None:
    """An error when ``text`` has a character the PDF font cannot print."""
    for char in text:
        try:
            char.encode(PDF_ENCODING)
        except UnicodeEncodeError:
            raise InputError(
                f"{where} contains {char!r} (U+{ord(char):04X}), which the letter's font cannot "
                "print; write it with Latin letters, as the name or word appears on the notice"
            ) from None


def _required(value: object, field: str, kind: LetterKind, fix: str) -> None:
    if value is None or (isinstance(value, (str, tuple)) and not value):
        raise MissingFieldError(f"{kind.value} letter: {field} is missing; {fix}", field)


def cdp_rule(entry: NoticeEntry) -> DeadlineRule | None:
    """The notice's deadline for asking for a Collection Due Process hearing, if it has one."""
    return next((rule for rule in entry.deadlines if rule.rule and CDP_RULE.search(rule.rule)), None)


def cdp_notice(ctx: LetterContext, rules: RuleSet) -> NoticeEntry:
    """The catalog entry of the lien or levy notice a CDP request answers."""
    code = ctx.notice_code or ""
    entry = rules.notices.find(code)
    if entry is None or cdp_rule(entry) is None:
        hearing_notices = ", ".join(e.code.value for e in rules.notices if cdp_rule(e) is not None)
        raise InputError(
            f"cdp_hearing letter: notice_code {code!r} carries no Collection Due Process rights; "
            f"use the lien or levy notice ({hearing_notices})"
        )
    return entry


def check_context(ctx: LetterContext, rules: RuleSet) -> None:
    """Raise :class:`InputError` for the first thing that keeps this letter from being written."""
    kind = ctx.kind
    _required(ctx.taxpayer_name.strip(), "taxpayer_name", kind, "give the name as printed on the notice")
    _required(ctx.signature_name.strip(), "signature_name", kind, "give the name of the person who signs")
    if not any(line.strip() for line in ctx.taxpayer_address):
        raise InputError(f"{kind.value} letter: taxpayer_address is missing; give the mailing address")
    if sum(1 for line in ctx.irs_address if line.strip()) < 2:
        raise InputError(
            f"{kind.value} letter: the IRS address is missing or incomplete; copy the reply "
            "address printed on the notice into irs_address, one line per entry"
        )
    for where, text in text_fields(ctx):
        refuse_full_ids(text, where)
        refuse_unprintable(text, where)
    if ctx.taxpayer_id_last4 is None or not LAST_FOUR.fullmatch(ctx.taxpayer_id_last4):
        shown = "missing" if ctx.taxpayer_id_last4 is None else "not four digits"
        raise InputError(
            f"{kind.value} letter: taxpayer_id_last4 is {shown}; give the last four digits of "
            "the SSN, ITIN or EIN printed on the notice"
        )
    _check_dates_and_amounts(ctx)
    if kind in NOTICE_KINDS:
        _required(ctx.notice_code, "notice_code", kind, "give the code printed on the notice, such as CP14")
        _required(ctx.notice_date, "notice_date", kind, "give the date printed on the notice")
        _required(ctx.enclosures, "enclosures", kind, "list the copies sent, starting with the notice")
    if ctx.tax_year is None and not (kind is LetterKind.CDP_HEARING and ctx.tax_periods):
        raise InputError(f"{kind.value} letter: tax_year is missing; give the tax year on the notice")
    for index, request in enumerate(ctx.requests, start=1):
        if not request.strip():
            raise InputError(f"{kind.value} letter: requests[{index}] is empty; remove it or write it")
    CHECKS[kind](ctx, rules)


def _check_dates_and_amounts(ctx: LetterContext) -> None:
    kind = ctx.kind.value
    if ctx.notice_date is not None and ctx.notice_date > ctx.today:
        raise InputError(
            f"{kind} letter: notice_date {ctx.notice_date.isoformat()} is after the letter date "
            f"{ctx.today.isoformat()}; check both dates"
        )
    if ctx.tax_year is not None and not 0 < ctx.tax_year <= ctx.today.year:
        raise InputError(f"{kind} letter: tax_year {ctx.tax_year} is not a past or current year")
    if ctx.amount_due is not None and (not ctx.amount_due.is_finite() or ctx.amount_due < 0):
        raise InputError(f"{kind} letter: amount_due {ctx.amount_due} must be zero or more")


def _check_dispute(ctx: LetterContext, rules: RuleSet) -> None:
    _required(ctx.facts.strip(), "facts", ctx.kind, "say what is wrong on the notice and why")


def _check_abatement(ctx: LetterContext, rules: RuleSet) -> None:
    if ctx.relief_basis is not ReliefBasis.FIRST_TIME_ABATE:
        _required(
            ctx.facts.strip(), "facts", ctx.kind,
            "say what happened and when, how it kept you from filing or paying on time, "
            "and what you did once you could",
        )


def _check_cdp(ctx: LetterContext, rules: RuleSet) -> None:
    cdp_notice(ctx, rules)
    choices = ", ".join(reason.value for reason in HearingReason)
    _required(ctx.hearing_reasons, "hearing_reasons", ctx.kind, f"give at least one of {choices}")
    for reason in ctx.hearing_reasons:
        if reason not in {r.value for r in HearingReason}:
            raise InputError(f"cdp_hearing letter: hearing reason {reason!r} is unknown; use one of {choices}")
    _required(ctx.facts.strip(), "facts", ctx.kind, "explain each reason for the hearing (Form 12153 asks for it)")
    if ctx.cdp_deadline is not None and ctx.notice_date is not None and ctx.cdp_deadline < ctx.notice_date:
        raise InputError("cdp_hearing letter: cdp_deadline is before notice_date; check both dates")


def _check_installment(ctx: LetterContext, rules: RuleSet) -> None:
    payment = ctx.proposed_monthly_payment
    if payment is None or not payment.is_finite() or payment <= 0:
        raise MissingFieldError(
            "installment_agreement letter: proposed_monthly_payment is missing or not above zero; "
            "give the amount you can pay each month", "proposed_monthly_payment",
        )
    day = ctx.payment_day
    if day is None or not FIRST_PAYMENT_DAY <= day <= LAST_PAYMENT_DAY:
        raise MissingFieldError(
            f"installment_agreement letter: payment_day {day!r} must be a day of the month from "
            f"{FIRST_PAYMENT_DAY} to {LAST_PAYMENT_DAY} (Form 9465 instructions)", "payment_day",
        )
    if ctx.direct_debit is None:
        raise MissingFieldError(
            "installment_agreement letter: direct_debit is missing; say whether the payments "
            "are to be taken from a bank account (true) or paid each month by you (false)", "direct_debit",
        )
    if ctx.first_payment_date is not None and ctx.first_payment_date < ctx.today:
        raise InputError(
            f"installment_agreement letter: first_payment_date {ctx.first_payment_date.isoformat()} "
            "is before the letter date"
        )


def _check_cp2000(ctx: LetterContext, rules: RuleSet) -> None:
    if normalize_code(ctx.notice_code or "") != "CP2000":
        raise InputError(
            f"cp2000_response letter: notice_code {ctx.notice_code!r} is not CP2000; "
            "use the dispute letter for other notices"
        )
    choices = ", ".join(position.value for position in Cp2000Position)
    _required(ctx.cp2000_items, "cp2000_items", ctx.kind,
              f"list each item of the notice with your answer ({choices}) and explanation")
    for index, (item, position, explanation) in enumerate(ctx.cp2000_items, start=1):
        if not item.strip():
            raise InputError(f"cp2000_response letter: cp2000_items[{index}] names no item")
        if position not in {p.value for p in Cp2000Position}:
            raise InputError(
                f"cp2000_response letter: cp2000_items[{index}] answer {position!r} is unknown; use one of {choices}"
            )
        if position != Cp2000Position.AGREE and not explanation.strip():
            raise InputError(
                f"cp2000_response letter: cp2000_items[{index}] ({item}) needs an explanation "
                "of what is wrong and which enclosed document shows it"
            )


def _check_penalty_computation(ctx: LetterContext, rules: RuleSet) -> None:
    """Nothing beyond the shared checks: the tax year names the period."""


CHECKS = {
    LetterKind.DISPUTE: _check_dispute,
    LetterKind.ABATEMENT: _check_abatement,
    LetterKind.CDP_HEARING: _check_cdp,
    LetterKind.INSTALLMENT_AGREEMENT: _check_installment,
    LetterKind.CP2000_RESPONSE: _check_cp2000,
    LetterKind.PENALTY_COMPUTATION_REQUEST: _check_penalty_computation,
}
