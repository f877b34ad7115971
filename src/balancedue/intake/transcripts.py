"""IRS transcripts as text: account transcripts, records of account and wage and income transcripts.

The text is what the IRS online account or the practitioner system shows (pasted or saved), or
what a PDF's text layer gives.  One text may hold several transcripts, one after another; each
starts at its title line.  Everything printed is kept: header fields, the return lines, and every
transaction with its code, explanation, cycle, date and amount exactly as printed (credits
negative).  A line that looks like a transaction but cannot be read is reported, never dropped.

Taxpayer identification numbers are cut to their last four digits as soon as they are read; a
full SSN that appears anywhere in kept text is masked.  Names and addresses are not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from balancedue.engine.dates import in_date_window
from balancedue.errors import InputError


class NotATranscriptError(InputError):
    """The text holds no IRS transcript."""


class TranscriptFormatError(InputError):
    """A transcript is missing a field every transcript of its kind has."""


class TranscriptKind(StrEnum):
    """The kinds of transcript read here."""

    ACCOUNT = "account_transcript"
    RECORD_OF_ACCOUNT = "record_of_account"
    WAGE_AND_INCOME = "wage_and_income"


_TITLES = {
    "account transcript": TranscriptKind.ACCOUNT,
    "record of account": TranscriptKind.RECORD_OF_ACCOUNT,
    "wage and income transcript": TranscriptKind.WAGE_AND_INCOME,
}
_TITLE_LINE = re.compile(r"^\s*(account transcript|record of account|wage and income transcript)\s*$", re.I)
_FURNITURE = re.compile(
    r"^\s*(this product contains sensitive taxpayer data|page \d+ of \d+|irs logo|<+print>+|"
    r"-+\s*any minus sign shown below signifies a credit amount\s*-+)\s*$",
    re.I,
)
_AMOUNT = r"-?\$?-?[\d,]*\d\.\d{2}-?"
_NUM_DATE = r"\d{2}-\d{2}-\d{4}"
_WORD_DATE = r"[A-Za-z]{3,9}\.?\s+\d{1,2},\s*\d{4}"
_ANY_DATE = rf"(?:{_NUM_DATE}|{_WORD_DATE}|\d{{4}}-\d{{2}}-\d{{2}})"
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ROW = re.compile(
    rf"^\s*(?P<code>\d{{3}})\s+(?P<expl>.*?)\s+(?:(?P<cycle>\d{{8}})\s+)?(?P<date>{_NUM_DATE}|[\dOo]{{2}}-[\dOo]{{2}}-[\dOo]{{4}})\s+(?P<amount>{_AMOUNT}|-?\$?-?[\d,Oo]*[\dOo]\.[\dOo]{{2}}-?)\s*$"
)
_ROW_START = re.compile(r"^\s*\d{3}\s+\S")
_OCR_DATE = r"[\dOo]{2}-[\dOo]{2}-[\dOo]{4}"
_ROW_IN_LINE = re.compile(
    rf"(?<!\S)(?P<code>\d{{3}})\s+(?P<expl>\S.*?)\s+(?:(?P<cycle>\d{{8}})\s+)?(?P<date>{_OCR_DATE})\s+(?P<amount>-?\$?-?[\d,Oo]*[\dOo]\.[\dOo]{{2}}-?)(?!\S)"
)
_REFERENCE = re.compile(r"^\s*(?:n/a\s+)?(?P<ref>\d{5}-\d{3}-\d{5}-\d)\s*$", re.I)
_COLUMN_HEADER = re.compile(r"^\s*code\s+explanation of transaction\b", re.I)
_TRANSACTIONS_HEADING = re.compile(r"^\s*transactions\s*$", re.I)
_RETURN_HEADING = re.compile(r"information from the return or as adjusted", re.I)
_NOT_PRESENT = re.compile(r"return not present for this account", re.I)
_NO_RETURN_ROW = re.compile(r"^\s*no tax return filed\s*$", re.I)
_DATE_LINE = re.compile(
    rf"^\s*(?P<label>RETURN DUE DATE OR RETURN RECEIVED DATE \(WHICHEVER IS LATER\)|PROCESSING DATE):?\s+(?P<value>{_ANY_DATE})\s*$",
    re.I,
)
_SSN = re.compile(r"\b\d{3}-\d{2}-(\d{4})\b")
_NOTICE = re.compile(r"\b(CP|LT|LTR|Letter)\s*0*(\d{1,4}[A-Z]?)\b", re.I)
_ACTION_CODE = re.compile(r"\b(?:AC|action code)\s*(\d{3})\b", re.I)
_CLOSING_CODE = re.compile(r"\b(?:cc|closing code)\s*(\d{2})\b", re.I)
_LABEL_VALUE = re.compile(r"^\s*(?P<label>[A-Za-z][^:]{1,90}?)(?:\s*:)+[\s.]*(?P<value>.*?)\s*$")
_FORM_HEADER = re.compile(r"^\s*Form\s+(?P<form>W-2G|W-2|1099-[A-Z]+|1098(?:-[A-Z]+)?|5498(?:-[A-Z]+)?|SSA-1099|1095-A|1065 K-1|1120S K-1|1041 K-1)\b(?P<title>[^:]*)$")
_PAYER_ID = re.compile(r"(Identification Number|\(EIN\)|\(FIN\)|TIN)\b", re.I)
_WITHHOLDING_LABEL = re.compile(r"(federal income )?tax withheld", re.I)
_NON_FEDERAL = re.compile(r"social security|medicare|state|local", re.I)

UNKNOWN_FORM = "unknown"
"""The form of an account transcript copied without its ``FORM NUMBER:`` line."""

_ACCOUNT_FIELDS = {
    "request date", "response date", "tracking number", "form number", "tax period",
    "taxpayer identification number", "spouse taxpayer identification number", "account balance",
    "accrued interest", "accrued penalty", "account balance plus accruals", "customer file number",
    "(this is not a payoff amount)", "ssn provided", "tax period requested",
}


@dataclass(frozen=True, slots=True)
class Transaction:
    """One transaction line as printed, with what was read beside it.

    ``amount`` keeps the printed sign (credits negative).  ``detail`` holds the continuation
    lines printed under the row; ``notice``, ``action_code`` and ``closing_code`` are read from
    the explanation or the detail when printed there.
    """

    code: str
    explanation: str
    cycle: str | None
    date: date
    amount: Decimal
    detail: tuple[str, ...] = ()
    reference: str | None = None
    action_code: str | None = None
    closing_code: str | None = None
    notice: str | None = None
    line: int = 0

    @property
    def text(self) -> str:
        """The explanation with its continuation lines."""
        return " ".join((self.explanation, *self.detail)).strip()


@dataclass(frozen=True, slots=True)
class UnreadRow:
    """A transaction line that could not be read (its date or amount), kept with its line number."""

    code: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """A line of the return information (label, printed value, and the amount when it is one)."""

    label: str
    value: str
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class AccountTranscript:
    """An account transcript or a record of account for one form and tax period."""

    kind: TranscriptKind
    form: str
    tax_period: date
    taxpayer_id: str | None
    spouse_id: str | None
    request_date: date | None
    response_date: date | None
    tracking_number: str | None
    account_balance: Decimal | None
    accrued_interest: Decimal | None
    accrued_interest_as_of: date | None
    accrued_penalty: Decimal | None
    accrued_penalty_as_of: date | None
    balance_plus_accruals: Decimal | None
    return_present: bool
    return_lines: tuple[ReturnLine, ...]
    transactions: tuple[Transaction, ...]
    warnings: tuple[str, ...] = ()
    first_line: int = 1
    unread_rows: tuple[UnreadRow, ...] = ()

    @property
    def tax_year(self) -> int:
        """The calendar year the period ends in."""
        return self.tax_period.year

    def return_value(self, label: str) -> ReturnLine | None:
        """The return line whose label starts with ``label`` (case-insensitive)."""
        wanted = label.lower()
        return next((line for line in self.return_lines if line.label.lower().startswith(wanted)), None)

    @property
    def filing_status(self) -> str | None:
        """As printed."""
        line = self.return_value("filing status")
        return line.value if line else None

    @property
    def return_received_date(self) -> date | None:
        """The later of the return's due date and the date it was received, as printed."""
        line = self.return_value("return due date or return received date")
        return parse_date(line.value) if line else None

    @property
    def processing_date(self) -> date | None:
        """When the return was processed, as printed."""
        line = self.return_value("processing date")
        return parse_date(line.value) if line else None

    @property
    def tax_per_return(self) -> Decimal | None:
        """The tax shown on the return, as printed."""
        line = self.return_value("tax per return")
        return line.amount if line else None


@dataclass(frozen=True, slots=True)
class IncomeDocument:
    """One information return on a wage and income transcript (W-2, 1099 ...)."""

    form: str
    title: str
    payer: str | None
    payer_id: str | None
    amounts: tuple[tuple[str, Decimal], ...]
    withholding: Decimal
    line: int = 0

    def amount(self, label: str) -> Decimal | None:
        """The amount whose label starts with ``label`` (case-insensitive)."""
        wanted = label.lower()
        return next((value for name, value in self.amounts if name.lower().startswith(wanted)), None)


@dataclass(frozen=True, slots=True)
class WageAndIncomeTranscript:
    """A wage and income transcript: the information returns filed under the taxpayer's number."""

    tax_period: date
    taxpayer_id: str | None
    request_date: date | None
    response_date: date | None
    tracking_number: str | None
    documents: tuple[IncomeDocument, ...]
    warnings: tuple[str, ...] = ()
    first_line: int = 1
    kind: TranscriptKind = TranscriptKind.WAGE_AND_INCOME

    @property
    def tax_year(self) -> int:
        """The calendar year of the information returns."""
        return self.tax_period.year

    @property
    def federal_withholding(self) -> Decimal:
        """Federal income tax withheld on every document."""
        return sum((doc.withholding for doc in self.documents), Decimal(0))


@dataclass(frozen=True, slots=True)
class TranscriptBundle:
    """Every transcript found in one text, in order."""

    accounts: tuple[AccountTranscript, ...] = ()
    income: tuple[WageAndIncomeTranscript, ...] = ()
    warnings: tuple[str, ...] = field(default=())


# --- small readers ----------------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """``03-30-2026``, ``Mar. 30, 2026``, ``March 30, 2026``, ``2026-03-30`` or ``December, 2023``.

    ``None`` when it is not a real date or is outside the dates this tool works with.
    """
    day = _printed_date(text)
    return day if day is not None and in_date_window(day) else None


def _printed_date(text: str) -> date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[1]), int(match[2]))
        match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),\s*(\d{4})", text)
        if match and match[1].lower() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
        match = re.fullmatch(r"([A-Za-z]{3,9})\.?,?\s*(\d{4})", text)
        if match and match[1].lower() in _MONTHS:
            month = _MONTHS[match[1].lower()]
            following = date(int(match[2]) + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
    except ValueError:
        return None
    return None


MAX_AMOUNT_DIGITS = 19  # not law: 16 digits before the point (a quadrillion dollars), the point, two cents


def parse_amount(text: str) -> Decimal | None:
    """``$4,682.00``, ``-$3,000.00``, ``3,000.00-`` or ``(3,000.00)`` as a Decimal (credits negative)."""
    cleaned = text.strip()
    negative = "-" in cleaned or (cleaned.startswith("(") and cleaned.endswith(")"))
    digits = re.sub(r"[^\d.]", "", cleaned)
    if not re.fullmatch(r"\d+\.\d{2}", digits):
        return None
    if len(digits) > MAX_AMOUNT_DIGITS:
        # Not an amount any account holds (a damaged or crafted file): refused, never skipped.
        raise InputError(f"the transcript holds an amount of {len(digits) - 3:,} digits; no account balance is that large")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative and value else value


def last_four(text: str) -> str | None:
    """The last four digits of an identification number (masked or not); ``None`` without four."""
    digits = re.findall(r"\d", text)
    return "".join(digits[-4:]) if len(digits) >= 4 else None


def mask_ssns(text: str) -> str:
    """Replace any full SSN in ``text`` by ``XXX-XX-`` and its last four digits."""
    return _SSN.sub(lambda m: f"XXX-XX-{m[1]}", text)


def _notice_code(text: str) -> str | None:
    match = _NOTICE.search(text)
    if not match:
        return None
    prefix = match[1].upper()
    prefix = "LTR" if prefix in ("LETTER", "LTR") else prefix
    return f"{prefix}{match[2].upper()}"


# --- segmentation -----------------------------------------------------------------------------


@dataclass
class _Segment:
    kind: TranscriptKind | None
    lines: list[tuple[int, str]]


def _clean_lines(text: str) -> list[tuple[int, str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\t", "    ")
    kept = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _FURNITURE.match(line):
            continue
        kept.append((number, line.rstrip()))
    return kept


def _has_period(lines: list[tuple[int, str]]) -> bool:
    return any(re.search(r"tax period", line, re.I) for _, line in lines)


def _segments(lines: list[tuple[int, str]]) -> Iterator[_Segment]:
    current: _Segment | None = None
    for number, line in lines:
        title = _TITLE_LINE.match(line)
        if title:
            kind = _TITLES[title[1].lower()]
            if current is None or _has_period(current.lines) or current.kind not in (None, kind):
                if current is not None:
                    yield current
                current = _Segment(kind, [])
            continue
        if current is None:
            current = _Segment(None, [])
        current.lines.append((number, line))
    if current is not None:
        yield current


# --- account transcripts ----------------------------------------------------------------------


def _search(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text, re.I | re.M)


def _header_date(pattern: str, text: str) -> date | None:
    match = _search(pattern + rf"\s*({_ANY_DATE})", text)
    return parse_date(match[1]) if match else None


def _header_amount(pattern: str, text: str) -> Decimal | None:
    match = _search(pattern + rf"\s*({_AMOUNT})", text)
    return parse_amount(match[1]) if match else None


def _accrual(label: str, text: str) -> tuple[Decimal | None, date | None]:
    words = r"\s+".join(label.split())
    match = _search(rf"\b{words}:\s*({_AMOUNT})(?:\s+AS\s+OF:\s*({_ANY_DATE}))?", text)
    if not match:
        return None, None
    return parse_amount(match[1]), parse_date(match[2]) if match[2] else None


@dataclass
class _RowDraft:
    code: str
    explanation: str
    cycle: str | None
    date: date
    amount: Decimal
    line: int
    detail: list[str] = field(default_factory=list)
    reference: str | None = None

    def build(self) -> Transaction:
        text = " ".join((self.explanation, *self.detail))
        action = _ACTION_CODE.search(text)
        closing = _CLOSING_CODE.search(text)
        return Transaction(
            code=self.code,
            explanation=self.explanation,
            cycle=self.cycle,
            date=self.date,
            amount=self.amount,
            detail=tuple(self.detail),
            reference=self.reference,
            action_code=action[1] if action else None,
            closing_code=closing[1] if closing else None,
            notice=_notice_code(text),
            line=self.line,
        )


def _ocr_digits(text: str) -> str:
    """A date or amount with the letter O read for a zero (a common OCR slip)."""
    return text.replace("O", "0").replace("o", "0")


def _squeeze(text: str) -> str:
    return mask_ssns(re.sub(r"\s{2,}", " ", text.strip()))


def _split_rows(line: str) -> list[re.Match[str]]:
    """The transactions printed on one line: one, or several side by side (a flattened page)."""
    found = list(_ROW_IN_LINE.finditer(line))
    if len(found) < 2:
        return []
    covered = "".join(line[m.start() : m.end()] for m in found)
    return found if len(re.sub(r"\s", "", covered)) == len(re.sub(r"\s", "", line)) else []


def _read_transactions(
    lines: list[tuple[int, str]], warnings: list[str], unread: list[UnreadRow] | None = None
) -> tuple[Transaction, ...]:
    rows: list[_RowDraft] = []
    for number, line in lines:
        if not line.strip() or _COLUMN_HEADER.match(line) or _NO_RETURN_ROW.match(line):
            continue
        several = _split_rows(line)
        row = None if several else _ROW.match(line)
        for found in [row] if row else several:
            if found is None:
                continue
            amount = parse_amount(_ocr_digits(found["amount"]))
            day = parse_date(_ocr_digits(found["date"]))
            if amount is None or day is None:
                warnings.append(
                    f"line {number}: transaction {found['code']} has an unreadable date or amount; it is listed as unread, not used"
                )
                if unread is not None:
                    unread.append(UnreadRow(found["code"], _squeeze(found.group(0)), number))
                continue
            rows.append(_RowDraft(found["code"], _squeeze(found["expl"]), found["cycle"], day, amount, number))
        if row or several:
            continue
        reference = _REFERENCE.match(line)
        if rows and reference and rows[-1].reference is None:
            rows[-1].reference = reference["ref"]
            continue
        if _ROW_START.match(line):
            warnings.append(f"line {number}: {line.strip()[:60]!r} looks like a transaction but could not be read")
            if unread is not None:
                unread.append(UnreadRow(line.strip()[:3], _squeeze(line), number))
        if rows:
            rows[-1].detail.append(_squeeze(line))
        else:
            warnings.append(f"line {number}: text before the first transaction: {line.strip()[:60]!r}")
    return tuple(row.build() for row in rows)


def _return_lines(lines: list[tuple[int, str]]) -> tuple[ReturnLine, ...]:
    kept = []
    for _, line in lines:
        match = _DATE_LINE.match(line) or _LABEL_VALUE.match(line)
        if not match:
            continue
        label = re.sub(r"\s+", " ", match["label"].strip())
        if label.lower() in _ACCOUNT_FIELDS or label.lower().startswith(("accrued ", "account balance")):
            continue
        value = mask_ssns(match["value"].strip())
        kept.append(ReturnLine(label, value, parse_amount(value) if re.fullmatch(_AMOUNT, value) else None))
    return tuple(kept)


def _account_transcript(segment: _Segment, index: int) -> AccountTranscript:
    lines = segment.lines
    text = "\n".join(line for _, line in lines)
    first = lines[0][0] if lines else 1
    where = f"transcript {index} (from line {first})"
    form_match = _search(r"FORM NUMBER:\s*([0-9A-Z][0-9A-Z-]*)", text)
    period = _header_date(r"TAX PERIOD:", text)
    if period is None:
        raise TranscriptFormatError(f"{where} has no readable 'TAX PERIOD:' date; is the copy complete?")
    warnings: list[str] = []
    if form_match is None:
        warnings.append(
            f"{where} has no 'FORM NUMBER:' line (a part of the transcript?): the form is unknown, so nothing is recomputed"
        )
    tin = _search(r"(?<!SPOUSE )TAXPAYER IDENTIFICATION NUMBER:\s*([X\d*][X\d*-]*)", text)
    spouse = _search(r"SPOUSE TAXPAYER IDENTIFICATION NUMBER:\s*([X\d*][X\d*-]*)", text)
    tracking = _search(r"Tracking Number:\s*(\d+)", text)
    interest, interest_as_of = _accrual("ACCRUED INTEREST", text)
    penalty, penalty_as_of = _accrual("ACCRUED PENALTY", text)
    plus = _search(
        rf"ACCOUNT\s+BALANCE\s+PLUS\s+ACCRUALS(?:[^:]{{0,120}}?\(this\s+is\s+not\s+a\s+payoff\s+amount\))?:\s*({_AMOUNT})", text
    )
    heading = next((i for i, (_, line) in enumerate(lines) if _TRANSACTIONS_HEADING.match(line)), None)
    head_lines = lines if heading is None else lines[:heading]
    body_lines = [] if heading is None else lines[heading + 1 :]
    start_return = next((i for i, (_, line) in enumerate(head_lines) if _RETURN_HEADING.search(line)), None)
    if segment.kind is TranscriptKind.RECORD_OF_ACCOUNT or start_return is None:
        return_part = head_lines
    else:
        return_part = head_lines[start_return + 1 :]
    if heading is None:
        warnings.append(f"{where}: no TRANSACTIONS section")
    unread: list[UnreadRow] = []
    balance = _header_amount(r"\bACCOUNT\s+BALANCE:", text)
    if balance is None:
        warnings.append(f"{where}: no ACCOUNT BALANCE line")
    for label, value in (
        ("ACCRUED INTEREST", interest), ("ACCRUED PENALTY", penalty), ("ACCOUNT BALANCE PLUS ACCRUALS", plus),
    ):
        printed = next((n for n, line in lines if re.search(r"\s+".join(label.split()), line, re.I)), None)
        if value is None and printed is not None:
            warnings.append(f"line {printed}: {label} is printed but its amount could not be read; check it on the transcript")
    return AccountTranscript(
        kind=segment.kind or TranscriptKind.ACCOUNT,
        form=form_match[1] if form_match else UNKNOWN_FORM,
        tax_period=period,
        taxpayer_id=last_four(tin[1]) if tin else None,
        spouse_id=last_four(spouse[1]) if spouse else None,
        request_date=_header_date(r"Request Date:", text),
        response_date=_header_date(r"Response Date:", text),
        tracking_number=tracking[1] if tracking else None,
        account_balance=balance,
        accrued_interest=interest,
        accrued_interest_as_of=interest_as_of,
        accrued_penalty=penalty,
        accrued_penalty_as_of=penalty_as_of,
        balance_plus_accruals=parse_amount(plus[1]) if plus else None,
        return_present=not _NOT_PRESENT.search(text),
        return_lines=_return_lines(return_part),
        transactions=_read_transactions(body_lines, warnings, unread),
        warnings=tuple(warnings),
        first_line=first,
        unread_rows=tuple(unread),
    )


# --- wage and income --------------------------------------------------------------------------


def _income_documents(lines: list[tuple[int, str]], warnings: list[str]) -> tuple[IncomeDocument, ...]:
    blocks: list[tuple[int, str, str, list[tuple[int, str]]]] = []
    for number, line in lines:
        header = _FORM_HEADER.match(line)
        if header:
            blocks.append((number, header["form"], header["title"].strip(), []))
        elif blocks:
            blocks[-1][3].append((number, line))
    documents = []
    for number, form, title, body in blocks:
        payer = payer_id = None
        amounts: list[tuple[str, Decimal]] = []
        withholding = Decimal(0)
        take_name = False
        in_payer = True
        for line_number, line in body:
            stripped = line.strip()
            if not stripped:
                continue
            match = _LABEL_VALUE.match(stripped)
            lowered = stripped.lower()
            if lowered.startswith(("employee:", "recipient:", "borrower:", "student:", "participant:")):
                in_payer = False
                continue
            if match and _PAYER_ID.search(match["label"]) and in_payer:
                payer_id = last_four(match["value"])
                take_name = True
                continue
            if match and match["value"]:
                value = parse_amount(match["value"]) if re.fullmatch(_AMOUNT, match["value"].strip()) else None
                if value is not None:
                    label = re.sub(r"\s+", " ", match["label"].strip())
                    amounts.append((label, value))
                    if _WITHHOLDING_LABEL.search(label) and not _NON_FEDERAL.search(label):
                        withholding += value
                elif re.search(r"\d\.\d{2}\b", match["value"]):
                    warnings.append(f"line {line_number}: {stripped[:60]!r} has an amount that could not be read; check it")
                continue
            if take_name and in_payer and not match:
                payer = mask_ssns(stripped)
                take_name = False
        if not amounts:
            warnings.append(f"line {number}: Form {form} has no amounts")
        documents.append(IncomeDocument(form, title, payer, payer_id, tuple(amounts), withholding, number))
    return tuple(documents)


def _wage_and_income(segment: _Segment, index: int) -> WageAndIncomeTranscript:
    lines = segment.lines
    text = "\n".join(line for _, line in lines)
    first = lines[0][0] if lines else 1
    period_match = _search(r"Tax Period Requested:\s*([A-Za-z]+\.?,?\s*\d{4}|\d{2}-\d{2}-\d{4})", text)
    period = parse_date(period_match[1]) if period_match else None
    if period is None:
        raise TranscriptFormatError(
            f"transcript {index} (from line {first}) has no readable 'Tax Period Requested:'; is the copy complete?"
        )
    warnings: list[str] = []
    ssn = _search(r"SSN Provided:\s*([X\d*][X\d*-]*)", text)
    tracking = _search(r"Tracking Number:\s*(\d+)", text)
    return WageAndIncomeTranscript(
        tax_period=period,
        taxpayer_id=last_four(ssn[1]) if ssn else None,
        request_date=_header_date(r"Request Date:", text),
        response_date=_header_date(r"Response Date:", text),
        tracking_number=tracking[1] if tracking else None,
        documents=_income_documents(lines, warnings),
        warnings=tuple(warnings),
        first_line=first,
    )


def parse_transcripts(text: str) -> TranscriptBundle:
    """Every transcript in ``text``; :class:`NotATranscriptError` when there is none."""
    lines = _clean_lines(text)
    accounts: list[AccountTranscript] = []
    income: list[WageAndIncomeTranscript] = []
    warnings: list[str] = []
    for index, segment in enumerate(_segments(lines), start=1):
        if segment.kind is None and not _has_period(segment.lines):
            if any(line.strip() for _, line in segment.lines):
                warnings.append(f"lines {segment.lines[0][0]}-{segment.lines[-1][0]}: text outside any transcript")
            continue
        if segment.kind is TranscriptKind.WAGE_AND_INCOME:
            income.append(_wage_and_income(segment, index))
        elif segment.kind is not None or _search(r"FORM NUMBER:|TAX PERIOD:", "\n".join(line for _, line in segment.lines)):
            accounts.append(_account_transcript(segment, index))
    if not accounts and not income:
        raise NotATranscriptError(
            "no IRS transcript found: expected an 'Account Transcript', 'Record of Account' or "
            "'Wage and Income Transcript' title with FORM NUMBER and TAX PERIOD lines"
        )
    return TranscriptBundle(tuple(accounts), tuple(income), tuple(warnings))
