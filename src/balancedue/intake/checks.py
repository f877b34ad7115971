"""Step 7: check the fields against each other and against the catalogs.

A check that passes backs up the fields it involves (the billing summary adds up to the amount
due; the telephone number is an official IRS number; the code is in the notice catalog).  A
check that fails caps the confidence of the fields involved and adds a warning, so a value that
fails validation is never reported with high confidence.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from balancedue.intake.candidates import FAILED_CHECK_CAP, MAX_CONFIDENCE, missing
from balancedue.intake.models import FieldValue, TaxPeriod
from balancedue.rules.contacts import Contacts
from balancedue.rules.notices import NoticeCatalog

CHECKED_CONFIDENCE = 98 / 100
"""Ceiling of a field backed by a passing cross-check (scaled by how well it was read)."""

MAX_DAYS_TO_PAY = 120
"""A pay-by date more than this many days after the notice date is taken as a misreading."""

MAX_DAYS_TO_RESPOND = 400
"""A response date more than this many days after the notice date is taken as a misreading."""

MAX_TAX_YEAR_AGE = 30
"""A tax year more than this many years before the notice date is taken as a misreading."""

UNKNOWN_CODE_CAP = 70 / 100
"""Confidence of a code that is printed clearly but is not in the notice catalog."""

MIN_SOURCE_FOR_BACKING = 80 / 100
"""A cross-check only lifts fields whose own reading scored at least this."""


def _back(field: FieldValue, source: float) -> FieldValue:
    """``field`` backed by a passing check: lifted toward CHECKED_CONFIDENCE."""
    if not field.found or source < MIN_SOURCE_FOR_BACKING:
        return field
    lifted = max(field.confidence, min(MAX_CONFIDENCE, CHECKED_CONFIDENCE * source))
    return field.with_confidence(round(lifted, 4))


def _fail(field: FieldValue, reason: str) -> FieldValue:
    if not field.found:
        return field
    return replace(field, confidence=round(min(field.confidence, FAILED_CHECK_CAP), 4), reason=reason)


def _money(field: FieldValue) -> Decimal | None:
    return field.value if isinstance(field.value, Decimal) else None


def check_fields(
    values: dict[str, FieldValue],
    periods: tuple[TaxPeriod, ...],
    catalog: NoticeCatalog,
    contacts: Contacts,
) -> tuple[dict[str, FieldValue], tuple[TaxPeriod, ...], list[str]]:
    """Cross-check the fields; returns the adjusted fields and periods and the warnings."""
    out = dict(values)
    warnings: list[str] = []
    _check_sum(out, warnings)
    periods = _check_periods(out, periods, warnings)
    _check_dates(out, warnings)
    code = out["notice_code"]
    if code.found and catalog.find(str(code.value)) is None:
        out["notice_code"] = replace(
            code, confidence=min(code.confidence, UNKNOWN_CODE_CAP), reason=f"{code.value} is not in the notice catalog"
        )
        warnings.append(f"notice_code: {code.value} is not in the notice catalog; its meaning and deadlines are unknown")
    phone = out["phone"]
    if phone.found and contacts.phone(str(phone.value)) is not None:
        out["phone"] = _back(phone, _raw(phone))
    amount = _money(out["amount_due"])
    if amount is not None and amount <= 0:
        out["amount_due"] = _fail(out["amount_due"], "the amount due is not positive")
    return out, periods, warnings


def _raw(field: FieldValue) -> float:
    """How well the field's own text was read, before any cap."""
    return field.text_confidence if field.text_confidence is not None else field.confidence


def _check_sum(out: dict[str, FieldValue], warnings: list[str]) -> None:
    amount = _money(out["amount_due"])
    tax = _money(out["tax"])
    if amount is None or tax is None:
        return
    penalties = _money(out["penalties"]) or Decimal("0")
    interest = _money(out["interest"]) or Decimal("0")
    payments = _money(out["payments_and_credits"]) or Decimal("0")
    names = [n for n in ("amount_due", "tax", "penalties", "interest", "payments_and_credits") if out[n].found]
    if tax + penalties + interest - payments == amount:
        source = min(_raw(out[n]) for n in names)
        for name in names:
            out[name] = _back(out[name], source)
        return
    reason = "the breakdown does not add up to the amount due"
    for name in names:
        out[name] = _fail(out[name], reason)
    warnings.append(
        f"breakdown: tax {tax} + penalties {penalties} + interest {interest} - payments {payments} "
        f"is {tax + penalties + interest - payments}, not the amount due {amount}; check these figures"
    )


def _check_periods(out: dict[str, FieldValue], periods: tuple[TaxPeriod, ...], warnings: list[str]) -> tuple[TaxPeriod, ...]:
    amount = _money(out["amount_due"])
    if len(periods) < 2 or amount is None or any(p.amount is None for p in periods):
        return periods
    total = sum((p.amount for p in periods if p.amount is not None), Decimal("0"))
    if total == amount:
        source = min([_raw(out["amount_due"]), *(p.confidence for p in periods)])
        out["amount_due"] = _back(out["amount_due"], source)
        return tuple(replace(p, confidence=round(max(p.confidence, CHECKED_CONFIDENCE * source), 4)) for p in periods)
    out["amount_due"] = _fail(out["amount_due"], "the amounts of the tax periods do not add up to it")
    warnings.append(f"tax periods: their amounts add up to {total}, not the amount due {amount}; check these figures")
    return tuple(replace(p, confidence=min(p.confidence, FAILED_CHECK_CAP)) for p in periods)


def _check_dates(out: dict[str, FieldValue], warnings: list[str]) -> None:
    notice = out["notice_date"].value if isinstance(out["notice_date"].value, date) else None
    if notice is None:
        return
    for name, limit in (("pay_by_date", MAX_DAYS_TO_PAY), ("respond_by_date", MAX_DAYS_TO_RESPOND)):
        field = out[name]
        if not isinstance(field.value, date):
            continue
        if field.value < notice and out["notice_date"].confidence >= field.confidence:
            # A date to pay or answer by that is already past on the day the notice is dated is not
            # this notice's deadline (an old due date, a sample's placeholder): not reported.
            out[name] = missing(
                name, f"the date printed ({field.value.isoformat()}) is before the notice date, so it is not a deadline", field.parser
            )
            warnings.append(f"{name}: {field.value.isoformat()} is printed but is before the notice date {notice.isoformat()}; not used")
            continue
        if not notice <= field.value <= notice + timedelta(days=limit):
            out[name] = _fail(field, f"it is not within {limit} days after the notice date")
            out["notice_date"] = _fail(out["notice_date"], f"the {name.replace('_', ' ')} does not fit it")
            warnings.append(f"{name}: {field.value.isoformat()} does not fit the notice date {notice.isoformat()}; check both")
    year = out["tax_year"].value if isinstance(out["tax_year"].value, int) else None
    if year is not None and not notice.year - MAX_TAX_YEAR_AGE <= year <= notice.year:
        out["tax_year"] = _fail(out["tax_year"], "the tax year is after the notice date or implausibly old")
        warnings.append(f"tax_year: {year} does not fit the notice date {notice.isoformat()}; check it")
    end = out["tax_period_end"].value if isinstance(out["tax_period_end"].value, date) else None
    if end is not None and end >= notice:
        out["tax_period_end"] = _fail(out["tax_period_end"], "the tax period ends after the notice date")
        warnings.append(f"tax_period_end: {end.isoformat()} is not before the notice date; check it")
