"""Put a label and its value on one line, whatever the layout printed them as.

Real notices do not always print ``Notice date   June 10, 2024`` on one line.  A PDF text layer
or an OCR pass often gives the label on one line and the value on the next, a block of labels
followed by a block of values in the same order, or a total printed after an address block.
This step rebuilds ``label   value`` lines from those layouts, so the field rules see one shape:

* **label, next line value**: ``Notice date`` / ``January 30, 2019``;
* **label block, value block**: ``Failure-to-file penalty`` / ``Interest charges`` /
  ``150.00`` / ``12.34``: the n-th label takes the n-th value;
* **label with a date, value later**: ``Amount due by`` / ``February 20, 2019`` /
  ``INTERNAL REVENUE SERVICE`` / ``OGDEN, UT 84201`` / ``$9,999.99``: the first amount within a
  few lines, when only address-like lines stand between (see `distant_amounts`).

A joined line keeps the segments (and so the boxes and OCR scores) of both lines.  Only lines of
the same page are joined.  Dashes printed before amounts (``– 963.00``) are read as minus signs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from balancedue.intake.layout import COLUMN_GAP
from balancedue.intake.models import PageLine
from balancedue.intake.values import CODE, DATE, MONEY, TIN

MAX_LABEL_WORDS = 12
"""A line with more words than this is a sentence, not a label."""

MAX_LABEL_CHARS = 72
"""A line longer than this is a sentence, not a label."""

MAX_BLOCK = 6
"""The longest run of labels whose values follow as a block."""

MAX_DISTANCE = 8
"""How many lines after ``Amount due by <date>`` the amount may be printed."""

_DASH = re.compile(r"[\u2013\u2014\u2212](?=\s?[$S]?\s?\d)")
_YEAR = r"(?:19|20)\d{2}"
_BARE_NUMBER = r"\d{2,5}[A-Z]{0,2}"
_VALUE = re.compile(
    rf"^\s*(?:{MONEY}|{DATE}|{_YEAR}|{CODE}|{TIN})\s*[.,]?\s*$",
    re.IGNORECASE,
)
_MONEY_ONLY = re.compile(rf"^\s*{MONEY}\s*$")
_HAS_MONEY = re.compile(MONEY)
_HAS_DATE = re.compile(DATE, re.IGNORECASE)
_CODE_LABEL = re.compile(r"^\s*(?:notice|letter)(?:\s*(?:number|no\.?))?\s*:?\s*$", re.IGNORECASE)
_BARE_CODE = re.compile(rf"^\s*{_BARE_NUMBER}\s*$")
_LABEL_WORD = re.compile(r"\b(?:due|date|year|period|notice|letter|amount|tax|balance|owe|pay|penalty|interest|total)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;,!?]\s*$")
_AMOUNT_DUE_BY = re.compile(rf"\bamount\s*due\s*by\s*{DATE}\s*$", re.IGNORECASE)


def normalize_dashes(line: PageLine) -> PageLine:
    """``line`` with en and em dashes before an amount turned into minus signs (same length)."""
    if not _DASH.search(line.text):
        return line
    return PageLine(_DASH.sub("-", line.text), line.page, line.segments, line.spans)


def is_value(line: PageLine, *, after_code_label: bool = False) -> bool:
    """The whole line is one value: an amount, a date, a year, a notice code or a taxpayer id."""
    if _VALUE.match(line.text):
        return True
    return after_code_label and bool(_BARE_CODE.match(line.text))


def is_label(line: PageLine) -> bool:
    """The line reads as a label: a few words, no amount, not a sentence."""
    text = line.text.strip()
    if not text or not text[0].isalpha() or is_value(line):
        return False
    if len(text) > MAX_LABEL_CHARS or len(text.split()) > MAX_LABEL_WORDS:
        return False
    if _HAS_MONEY.search(text) or _SENTENCE_END.search(text):
        return False
    if COLUMN_GAP in text:
        return False
    # Names and addresses are printed in capitals; labels have lower case or a label word.
    return any(ch.islower() for ch in text) or bool(_LABEL_WORD.search(text))


def join(label: PageLine, value: PageLine) -> PageLine:
    """One line ``label   value`` that keeps the segments of both."""
    head = label.text.rstrip()
    tail = value.text.strip()
    lead = len(value.text) - len(value.text.lstrip())
    shift = len(head) + len(COLUMN_GAP) - lead
    spans = (*label.spans, *((a + shift, b + shift) for a, b in value.spans))
    return PageLine(head + COLUMN_GAP + tail, label.page, (*label.segments, *value.segments), spans)


def _takes(label: PageLine, value: PageLine) -> bool:
    """Whether ``value`` can be the value of ``label`` (same page, a value ``label`` lacks)."""
    if label.page != value.page:
        return False
    code_label = bool(_CODE_LABEL.match(label.text))
    if not is_value(value, after_code_label=code_label):
        return False
    if _MONEY_ONLY.match(value.text):
        return not _HAS_MONEY.search(label.text)
    if _HAS_DATE.search(value.text):
        return not _HAS_DATE.search(label.text)
    return True


def associate(lines: Sequence[PageLine]) -> tuple[PageLine, ...]:
    """The lines with labels and their values joined (see the module docstring)."""
    items = [normalize_dashes(line) for line in lines]
    out: list[PageLine] = []
    index = 0
    while index < len(items):
        block = _label_block(items, index)
        if block:
            for offset in range(block):
                out.append(join(items[index + offset], items[index + block + offset]))
            index += 2 * block
            continue
        line = items[index]
        index += 1
        if is_label(line) or _AMOUNT_DUE_BY.search(line.text):
            # A label takes the values that follow it, one kind at a time:
            # "Amount due by" / "January 29, 2018" / "$97,647.55".
            while index < len(items) and _takes(line, items[index]):
                line = join(line, items[index])
                index += 1
        out.append(line)
    return tuple(out)


def _label_block(items: Sequence[PageLine], start: int) -> int:
    """How many labels from ``start`` are followed by as many values (0 when it is not a block)."""
    count = 0
    while count < MAX_BLOCK and start + count < len(items) and is_label(items[start + count]):
        count += 1
    if count < 2:
        return 0
    page = items[start].page
    values = items[start + count : start + 2 * count]
    if len(values) < count or any(v.page != page for v in values):
        return 0
    if not all(_takes(items[start + n], values[n]) for n in range(count)):
        return 0
    return count


_ADDRESS_LIKE = re.compile(r"^[A-Z0-9 .,#'&/-]+$")


def distant_amounts(lines: Sequence[PageLine]) -> list[tuple[PageLine, PageLine]]:
    """``Amount due by <date>`` with no amount, and the amount printed a few lines later.

    Only lines in capitals (an address block, a scan line) may stand between the label and the
    amount; a sentence in between breaks the link.
    """
    pairs: list[tuple[PageLine, PageLine]] = []
    for index, line in enumerate(lines):
        if not _AMOUNT_DUE_BY.search(line.text) or _HAS_MONEY.search(line.text):
            continue
        for later in lines[index + 1 : index + 1 + MAX_DISTANCE]:
            if later.page != line.page:
                break
            if _MONEY_ONLY.match(later.text):
                pairs.append((line, later))
                break
            if not _ADDRESS_LIKE.match(later.text.strip()):
                break
    return pairs
