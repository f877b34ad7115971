"""Read an IRS tax return transcript: the return as filed, line by line, by the transcript's labels.

A tax return transcript names each line of the return in words (``WAGES, SALARIES, TIPS, ETC:
$40,000.00``) rather than by line number, and shows a line twice when the IRS recomputed it
(``... PER COMPUTER``).  The figures as the taxpayer filed them are taken; a ``PER COMPUTER`` line
is used only when it is the only one.  Nothing is guessed: a line the reader does not know is
listed as unread, and a figure that is not printed stays absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from balancedue.engine.money import parse_money
from balancedue.errors import InputError

MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_LINE = re.compile(r"^\s*(?P<label>[A-Z][A-Z0-9 ,.&'()/\-:]*?)\s*:?\s*(?P<value>-?\$?\(?-?[\d,]+\.\d{2}\)?)\s*$", re.IGNORECASE)
_PERIOD = re.compile(rf"tax\s+period\s+ending:?\s*(?:(?:{MONTHS})[a-z]*\.?\s+\d{{1,2}},?\s+(?P<y1>\d{{4}})|\d{{1,2}}[-/]\d{{1,2}}[-/](?P<y2>\d{{4}}))", re.IGNORECASE)
_STATUS = re.compile(r"filing\s+status:?\s*(?P<v>[A-Za-z() /-]+?)\s*$", re.IGNORECASE | re.MULTILINE)
_TITLE = re.compile(r"tax\s+return\s+transcript", re.IGNORECASE)

STATUSES = {
    "single": "single",
    "married filing joint": "married_joint",
    "married filing jointly": "married_joint",
    "married filing separate": "married_separate",
    "married filing separately": "married_separate",
    "head of household": "head_of_household",
    "qualifying widow(er)": "qualifying_surviving_spouse",
    "qualifying widow": "qualifying_surviving_spouse",
    "qualifying surviving spouse": "qualifying_surviving_spouse",
}

LABELS: dict[str, re.Pattern[str]] = {
    "wages": re.compile(r"^wages, salaries, tips"),
    "taxable_interest": re.compile(r"^taxable interest income"),
    "ordinary_dividends": re.compile(r"^ordinary dividend income"),
    "qualified_dividends": re.compile(r"^qualified dividends"),
    "business_profit": re.compile(r"^business income or loss"),
    "capital_gain": re.compile(r"^capital gain or loss"),
    "other_income": re.compile(
        r"^(other income|unemployment compensation|taxable pension/annuity amount|taxable ira distributions|"
        r"taxable social security benefits|rent/royalty/partnership/estate|farm income or loss|"
        r"other gains or losses|alimony received|refunds of state/local taxes)"
    ),
    "total_adjustments": re.compile(r"^total adjustments"),
    "se_deduction": re.compile(r"^self[- ]employment tax deduction"),
    "agi": re.compile(r"^adjusted gross income"),
    "itemized_deductions": re.compile(r"^total itemized deductions"),
    "taxable_income": re.compile(r"^taxable income"),
    "total_credits": re.compile(r"^total credits"),
    "child_credit": re.compile(r"^(child (&|and) other dependent credit|child tax credit)( per computer)?$"),
    "additional_child_credit": re.compile(r"^additional child tax credit( per computer)?$"),
    "earned_income_credit": re.compile(r"^earned income credit( per computer)?$"),
    "se_tax": re.compile(r"^se tax|^self[- ]employment tax$"),
    "total_tax": re.compile(r"^total tax liability tp figures|^total tax$"),
}
SUMMED = {"other_income"}
"""Fields several transcript lines add up to."""


@dataclass(frozen=True)
class ReturnTranscript:
    """The figures of a tax return transcript, as filed."""

    tax_year: int
    filing_status: str
    figures: dict[str, Decimal]
    used: tuple[tuple[str, str, Decimal], ...]  # (field, label as printed, amount)
    notes: tuple[str, ...] = field(default=())


def _amount(text: str) -> Decimal:
    negative = "-" in text or "(" in text
    value = parse_money(text.replace("-", "").replace("(", "").replace(")", ""), "transcript amount")
    return -value if negative else value


def read_return_transcript(text: str) -> ReturnTranscript:
    """The return as filed from a tax return transcript's text."""
    if not _TITLE.search(text):
        raise InputError("this is not a tax return transcript (no 'Tax Return Transcript' title was found)")
    period = _PERIOD.search(text)
    if period is None:
        raise InputError("the tax return transcript shows no 'Tax period ending' date, so its tax year is unknown")
    year = int(period["y1"] or period["y2"])
    status_match = _STATUS.search(text)
    status = STATUSES.get(" ".join(status_match["v"].lower().split())) if status_match else None
    if status is None:
        shown = status_match["v"].strip() if status_match else "nothing"
        raise InputError(f"the tax return transcript's filing status ({shown}) was not understood")
    filed: dict[str, tuple[str, Decimal]] = {}
    computer: dict[str, tuple[str, Decimal]] = {}
    summed: dict[str, list[tuple[str, Decimal]]] = {name: [] for name in SUMMED}
    for raw in text.splitlines():
        match = _LINE.match(raw)
        if match is None:
            continue
        label = " ".join(match["label"].split()).rstrip(":")
        key = label.lower()
        name = next((n for n, pattern in LABELS.items() if pattern.search(key)), None)
        if name is None:
            continue
        amount = _amount(match["value"])
        if "per computer" in key:
            computer.setdefault(name, (label, amount))
        elif name in SUMMED:
            summed[name].append((label, amount))
        else:
            filed.setdefault(name, (label, amount))
    used: list[tuple[str, str, Decimal]] = []
    figures: dict[str, Decimal] = {}
    for name in LABELS:
        if name in SUMMED:
            if summed[name]:
                figures[name] = sum((a for _, a in summed[name]), Decimal("0"))
                used.extend((name, label, a) for label, a in summed[name])
            continue
        chosen = filed.get(name) or computer.get(name)
        if chosen is not None:
            figures[name] = chosen[1]
            used.append((name, chosen[0], chosen[1]))
    if "wages" not in figures and "agi" not in figures:
        raise InputError("no income lines were read from the tax return transcript (wages, AGI ...)")
    return ReturnTranscript(year, status, figures, tuple(used))
