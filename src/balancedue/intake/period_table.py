"""Notices that cover several tax periods: the period table and the list in the header."""

from __future__ import annotations

import re
from collections.abc import Sequence

from balancedue.intake.candidates import REPAIRED_FACTOR, rule, source_text
from balancedue.intake.layout import cells
from balancedue.intake.models import PageLine, TaxPeriod
from balancedue.intake.values import (
    DATE,
    FORM,
    MONEY,
    label,
    normalize_form,
    parse_date,
    parse_money,
)

_PERIODS_LIST = re.compile(rf"\b{label('Tax periods')}[\s:]*(?P<v>{DATE}(?:\s*,\s*{DATE})+)", re.IGNORECASE)
_TABLE_HEAD = re.compile(r"tax\s*period", re.IGNORECASE)
_TABLE_AMOUNT = re.compile(r"amount|owe|balance|total", re.IGNORECASE)
_TABLE_ROW = re.compile(
    rf"^\s*(?:(?:Form\s*)?(?P<form>{FORM})\s+)?(?P<end>{DATE})(?:\s+(?:Form\s*)?(?P<form_after>{FORM}))?"
    rf"(?:\s+{MONEY})*?\s+(?P<amount>{MONEY})\s*$",
    re.IGNORECASE,
)
"""A row of the table: the form before or after the period's end, then its amounts; the last
amount is the period's total (``1040  12/31/2021  $18,400.00  $4,210.77  $22,610.77``)."""


LETTER_PERIOD_RULE = rule(rf"\b{label('Tax period')}s?[\s:]*Form\s*{FORM}\s*,\s*(?P<v>{DATE})(?!\s*,\s*{DATE})", 95 / 100)
LETTER_FORM_RULE = rule(rf"\b{label('Tax period')}s?[\s:]*Form\s*(?P<v>{FORM})\s*,\s*{DATE}(?!\s*,\s*{DATE})", 95 / 100)
"""A letter's header naming one period with its form: ``Tax periods: Form 1040, December 31, 2022``."""

BARE_FORM_RULES = [rule(rf"^\s*Form\s*(?P<v>{FORM})\s*$", 85 / 100)]
"""A line that is nothing but ``Form 941`` (the heading of a billing summary): read as a return form
only (``Form 9465`` alone on a line is an enclosure, not the notice's tax form), and a little weaker."""

AMOUNT_BOX_LABELS = ("Pay this amount", "Amount to pay", "Total to pay", "You owe", "Balance owed", "Amount owed",
                     "Total amount owed", "Total due", "Current balance")
"""Labels of the amount box, read only at the start of a line ("If you owe $100,000 or more" is a sentence)."""


def period_table(lines: Sequence[PageLine]) -> tuple[TaxPeriod, ...]:
    """Rows of a table headed ``Tax form / Tax period / Amount you owe``."""
    periods: list[TaxPeriod] = []
    for index, line in enumerate(lines):
        head = cells(line)
        if len(head) < 2 or not any(_TABLE_HEAD.search(c.text) for c in head) or not _TABLE_AMOUNT.search(head[-1].text):
            continue
        for row in lines[index + 1 : index + 12]:
            match = _TABLE_ROW.match(row.text)
            if not match:
                break
            end = parse_date(match.group("end"))
            amount = parse_money(match.group("amount"))
            if end is None or amount is None:
                break
            confidence = row.evidence(0, len(row.text))[0]
            periods.append(
                TaxPeriod(
                    tax_form=normalize_form(form) if (form := match.group("form") or match.group("form_after")) else None,
                    tax_period_end=end,
                    tax_year=end.year if (end.month, end.day) == (12, 31) else None,
                    amount=abs(amount[0]),
                    confidence=round(confidence * (REPAIRED_FACTOR if amount[1] else 1), 4),
                    source_text=source_text(row),
                    page=row.page,
                )
            )
        if periods:
            break
    return tuple(periods)


def listed_periods(lines: Sequence[PageLine]) -> tuple[TaxPeriod, ...]:
    """Periods listed in the header: ``Tax periods  12/31/2021, 12/31/2022``."""
    for line in lines:
        match = _PERIODS_LIST.search(line.text)
        if not match:
            continue
        ends = [parse_date(part) for part in re.findall(DATE, match.group("v"), re.IGNORECASE)]
        confidence = line.evidence(match.start(), match.end())[0]
        return tuple(
            TaxPeriod(None, end, end.year if (end.month, end.day) == (12, 31) else None, None, confidence, source_text(line), line.page)
            for end in ends
            if end is not None
        )
    return ()
