"""Patterns and parsers for the kinds of value printed on a notice.

Dates, amounts, phone numbers, taxpayer ids, notice codes and tax form numbers, each with a
regular expression (to find it in a line) and a parser (to turn the match into a value).
Taxpayer ids are masked here, in place and without changing the length of the text, so that
no full SSN, EIN or ITIN survives the first step of reading.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from balancedue.engine.dates import in_date_window
from balancedue.identifiers import mask

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = (
    rf"(?:{_MONTH_NAME}\.?\s*\d{{1,2}}\s*[,.]?\s*\d{{4}}"
    r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}-\d{1,2}-\d{4})"
)
"""A printed date: ``June 10, 2024``, ``Jun. 10, 2024``, ``06/10/2024``, ``2024-06-10``."""

MONEY = (
    r"(?:-\s*|\(\s*)?"
    r"(?:[$S]?\s?(?:\d[\dO]{0,2}(?:[,.]\s?[\dO]{3})*|\d[\dO]{3,8})[.,]\s?[\dO]{2}"
    r"|\$\s?\d{1,3}(?:,\d{3})*(?![\d,.]*\d))"
    r"\)?(?![\dO])"
)
"""An amount: ``$1,234.56``, ``1234.56`` (no thousands separator), ``-$50.00``, ``($50.00)``,
and a whole-dollar amount after a dollar sign (``$408``, ``$1,250``); OCR may print ``$`` as
``S`` and a zero as the letter ``O`` (``S1,O60.00``).  Without cents the dollar sign is
required, so a year or a count is never read as money."""

PHONE = r"(?<!\d)(?:1\s*[-.]?\s*)?\(?\d{3}\)?\s*[-.]?\s*\d{3}\s*[-.]\s*\d{4}(?!\d)"
"""A US telephone number."""

TIN = r"(?<![\w-])(?:[0-9Xx*n]{3}-[0-9Xx*n]{2}-\d{4}|[0-9Xx*]{2}-[0-9Xx*]{3}\d{4}|[0-9Xx*]{5}\d{4})(?![\w-])"
"""A taxpayer id as printed, masked or not: SSN/ITIN ``nnn-nn-1234``, EIN ``XX-XXX1234``."""

FORM = r"\d{3,4}(?:-?[A-Z]{1,2})?(?![\d])"
"""A tax form number: ``1040``, ``1040-SR``, ``941``, ``1120-S``."""

CODE = r"(?:CP\s?\d{1,4}[A-Z]{0,2}|LT\s?\d{1,4}[A-Z]?|(?:Letter|LTR)\s?\d{2,5}[A-Z]{0,2})(?![\w])"
"""A notice or letter code as printed: ``CP14``, ``CP 504``, ``LT11``, ``Letter 1058``."""

def mask_ids(text: str) -> str:
    """``text`` with every full SSN, ITIN or EIN reduced to its last four digits.

    The replacement keeps the length (digits become ``X``), so offsets into the text stay valid
    (see :mod:`balancedue.identifiers`).
    """
    return mask(text)


def parse_date(text: str) -> date | None:
    """The date printed as ``text``; ``None`` when it is not a real date or is out of range."""
    day = _printed_date(text)
    return day if day is not None and in_date_window(day) else None


def _printed_date(text: str) -> date | None:
    cleaned = text.strip().lower().replace(" ", "")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return date.fromisoformat(cleaned)
        numeric = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", cleaned)
        if numeric:
            return date(int(numeric.group(3)), int(numeric.group(1)), int(numeric.group(2)))
        named = re.fullmatch(r"([a-z]+)\.?(\d{1,2})[,.]?(\d{4})", cleaned)
        if named and named.group(1)[:3] in MONTHS:
            return date(int(named.group(3)), MONTHS[named.group(1)[:3]], int(named.group(2)))
    except ValueError:
        return None
    return None


def parse_money(text: str) -> tuple[Decimal, bool] | None:
    """The amount printed as ``text`` and whether OCR-style repairs were needed.

    The last separator before two digits is the decimal point; any other comma or point is a
    thousands separator.  A leading minus sign or parentheses make the amount negative.
    """
    raw = text.strip()
    negative = raw.startswith("-") or (raw.startswith("(") and raw.endswith(")"))
    body = re.sub(r"[\s()$\-]", "", raw)
    repaired = False
    if body.startswith("S"):
        body, repaired = body[1:], True
    if "O" in body:
        body, repaired = body.replace("O", "0"), True
    match = re.fullmatch(r"([\d,.]*?)[.,](\d{2})", body)
    if not match:
        # A whole-dollar amount is an amount only after a dollar sign: "$408", "$1,250".
        whole_dollars = re.fullmatch(r"\d{1,3}(?:,\d{3})*", body)
        if whole_dollars is None or "$" not in raw:
            return None
        value = Decimal(body.replace(",", "")) + Decimal("0.00")
        return (-value if negative else value), repaired
    whole, cents = match.groups()
    if "." in whole or (raw.count(",") and body[-3] == ","):
        repaired = True
    groups = re.split(r"[,.]", whole) if whole else ["0"]
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        return None
    try:
        value = Decimal("".join(groups) + "." + cents)
    except InvalidOperation:
        return None
    return (-value if negative else value), repaired


def parse_phone(text: str) -> str | None:
    """``"(800) 829.1040"`` -> ``"800-829-1040"``; ``None`` for anything but ten digits."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10 or digits[0] in "01":
        return None
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def last_four(text: str) -> str | None:
    """The last four digits of a printed taxpayer id."""
    digits = re.sub(r"\D", "", text)
    return digits[-4:] if len(digits) >= 4 else None


def normalize_form(text: str) -> str:
    """``"1040sr"`` -> ``"1040-SR"``; ``"941"`` stays."""
    cleaned = text.strip().upper().replace(" ", "")
    match = re.fullmatch(r"(\d{3,4})-?([A-Z]{1,2})?", cleaned)
    if not match:
        return cleaned
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def label(words: str) -> str:
    """A regular expression for a printed label: any spacing (OCR may drop spaces), any case."""
    parts = [re.escape(word) for word in words.split()]
    return r"\s*".join(parts)
