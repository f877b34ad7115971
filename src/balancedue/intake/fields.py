"""Step 6: read the fields of an IRS notice (CP and LT notices, numbered letters) from its lines.

Each field has a few rules: a printed label and the value that follows it.  The header box,
the body, the billing summary and the payment coupon often repeat a value; repeats that agree
raise the confidence, repeats that disagree lower it.  Consistency checks come after, in
:mod:`balancedue.intake.checks`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from balancedue.intake import period_table as tables
from balancedue.intake.associate import associate, distant_amounts
from balancedue.intake.candidates import (
    FAILED_CHECK_CAP,
    OCR_SINGLE_SOURCE_CAP,
    Candidate,
    Parser,
    Rule,
    combine,
    find_candidates,
    missing,
    resolve,
    rule,
    source_text,
)
from balancedue.intake.layout import cells
from balancedue.intake.models import FieldScalar, FieldValue, PageLine, TaxPeriod
from balancedue.intake.reply_address import reply_address
from balancedue.intake.values import (
    CODE,
    DATE,
    FORM,
    MONEY,
    PHONE,
    TIN,
    label,
    last_four,
    normalize_form,
    parse_date,
    parse_money,
    parse_phone,
)
from balancedue.rules.notices import NoticeCatalog, normalize_code

PARSER_NAME = "irs-layout"
PARSER_VERSION = "1.0"
PARSER = f"{PARSER_NAME}/{PARSER_VERSION}"

RETURN_FORMS = frozenset(
    {"1040", "1040-SR", "1040-NR", "1040-X", "1040-A", "1040-EZ", "1041", "1065", "1120", "1120-S", "940", "941", "943", "944", "945", "720", "990", "2290", "706", "709", "CT-1"}
)
"""Return forms a bare ``Form NNNN`` may name; other form numbers on a notice are forms to send."""

UNKNOWN_CODE_FACTOR = 7 / 10
"""Weight of a printed code that the notice catalog does not know."""

_SEP = r"[\s:]*"


@dataclass(frozen=True, slots=True)
class ReadFields:
    """What the field reader found, before consistency checks."""

    values: dict[str, FieldValue]
    tax_periods: tuple[TaxPeriod, ...]
    warnings: list[str]


def _date(text: str) -> tuple[FieldScalar, bool] | None:
    value = parse_date(text)
    return (value, False) if value is not None else None


def _money(text: str) -> tuple[FieldScalar, bool] | None:
    parsed = parse_money(text)
    if parsed is None:
        return None
    value, repaired = parsed
    return abs(value), repaired


def _year(text: str) -> tuple[FieldScalar, bool] | None:
    return int(text), False


def _form(text: str) -> tuple[FieldScalar, bool] | None:
    return normalize_form(text), False


def _return_form(text: str) -> tuple[FieldScalar, bool] | None:
    form = normalize_form(text)
    return (form, False) if form in RETURN_FORMS else None


def _phone(text: str) -> tuple[FieldScalar, bool] | None:
    value = parse_phone(text)
    return (value, False) if value else None


def _tin(text: str) -> tuple[FieldScalar, bool] | None:
    value = last_four(text)
    return (value, False) if value else None


def _token(text: str) -> tuple[FieldScalar, bool] | None:
    cleaned = text.strip().strip(".,;").upper()
    return (cleaned, False) if len(cleaned) >= 6 and any(ch.isdigit() for ch in cleaned) else None


def _alt(*labels: str) -> str:
    return "(?:" + "|".join(label(text) for text in labels) + ")"


_NOT_A_PAYMENT_DATE = "".join(
    rf"(?<!{word}\s)(?<!{word})" for word in ("response", "return", "filing", "extended", "original", "petition")
)
"""``Return due date``, ``Response due date``, ``Filing due date``: due dates that are not when to pay."""

DATE_RULES = {
    "notice_date": [
        rule(rf"\b{_alt('Notice date', 'Letter date', 'Date of this letter', 'Date of this notice', 'Date of notice')}{_SEP}(?P<v>{DATE})"),
        rule(rf"(?:^|\s{{2}})\s*Date\s*:\s*(?P<v>{DATE})", 9 / 10),  # a letter's "Date: March 3, 2025"
    ],
    "pay_by_date": [
        rule(rf"\b{_alt('Amount due by', 'Pay by', 'Please pay by', 'Payment due date', 'Pay the amount due by')}{_SEP}(?P<v>{DATE})"),
        rule(rf"{_NOT_A_PAYMENT_DATE}\b{_alt('Due date')}{_SEP}(?P<v>{DATE})", 9 / 10),
    ],
    "respond_by_date": [
        rule(
            rf"\b{_alt('Response due date', 'Response date', 'Respond by', 'Reply by', 'Request a hearing by')}{_SEP}(?P<v>{DATE})"
        ),
        rule(
            r"\blast\s*(?:day|date)\s*to\s*(?:file\s*a\s*)?petition[\w\s]{0,40}?(?:tax\s*court)?"
            rf"{_SEP}(?P<v>{DATE})"
        ),
    ],
}

AMOUNT_RULES = [
    rule(rf"\b{_alt('Amount due', 'Total amount due', 'Balance due', 'Proposed amount due', 'Total balance due')}(?:\s*(?:by\s*)?{DATE})?(?:\s*immediately)?{_SEP}(?P<v>{MONEY})"),
    rule(rf"^\s*{_alt(*tables.AMOUNT_BOX_LABELS)}{_SEP}(?P<v>{MONEY})"),
    rule(rf"\b{_alt('Total amount you owe', 'Total you owe')}(?!d){_SEP}(?P<v>{MONEY})"),
    # "Amount you owe" heads the tax line of some summaries (CP71C): weaker; CP49: "Remaining balance for 2022".
    rule(rf"\b{_alt('Amount you owe')}(?!d){_SEP}(?P<v>{MONEY})", 9 / 10),
    rule(rf"^\s*{_alt('Remaining balance', 'Balance remaining', 'Amount you still owe', 'Remaining amount due')}(?:\s*(?:for|on)\s*(?:tax\s*year\s*)?(?:19|20)\d{{2}})?{_SEP}(?P<v>{MONEY})"),
]
DISTANT_AMOUNT_WEIGHT = 85 / 100
"""Weight of a total printed a few lines after its ``Amount due by <date>`` label."""

TIN_RULES = [
    rule(
        rf"\b{_alt('Social Security number', 'SSN', 'Employer ID number', 'Employer identification number', 'EIN', 'Taxpayer ID number', 'Taxpayer identification number', 'TIN', 'ITIN')}"
        rf"{_SEP}(?P<v>{TIN})"
    ),
    rule(rf"(?P<v>{TIN})", 8 / 10),
]

PHONE_RULES = [
    rule(rf"\b{_alt('Phone', 'Telephone', 'Toll-free', 'Toll free')}{_SEP}(?P<v>{PHONE})"),
    rule(rf"\bcall\s*(?:us\s*)?(?:at\s*)?(?:the\s*number\s*)?(?P<v>{PHONE})", 95 / 100),
    rule(rf"(?P<v>{PHONE})", 7 / 10),
]

NOTICE_ID_RULES = [
    rule(rf"\b{_alt('Notice ID', 'Letter ID', 'Document ID', 'Notice number')}{_SEP}(?P<v>[A-Z0-9][A-Z0-9\-]{{5,}})"),
]

TAX_YEAR_RULES = [
    rule(rf"\b{label('Tax year')}{_SEP}(?P<v>(?:19|20)\d{{2}})(?!\d)"),
]
FORM_YEAR_RULES = [
    rule(rf"\bForm\s*(?P<f>{FORM})\s*for\s*(?:tax\s*year\s*)?(?P<v>(?:19|20)\d{{2}})(?!\d)", 9 / 10),
    rule(rf"\b(?P<v>(?:19|20)\d{{2}})\s*Form\s*(?P<f>{FORM})", 9 / 10),
]
"""A year next to a return form (``2023 Form 1040``); a year next to another form (``2025 Form
1040-ES``, ``Form 1099-K for 2023``) is not the tax year of the notice."""

PERIOD_RULES = [rule(rf"\b{label('Tax period')}(?:\s*end(?:ing|ed))?{_SEP}(?P<v>{DATE})(?!\s*,\s*{DATE})"),
                tables.LETTER_PERIOD_RULE]

FORM_RULES = [
    tables.LETTER_FORM_RULE,
    rule(rf"(?:^|\s{{3}})\s*{_alt('Tax form', 'Form number', 'Type of tax', 'Return form')}{_SEP}(?:Form\s*)?(?P<v>{FORM})(?:\s{{3}}|\s*$)"),
    rule(rf"^\s*Form\s*(?P<v>{FORM})\s*for\s*(?:tax\s*year\s*)?(?:19|20)\d{{2}}\s*$", 95 / 100),
    rule(
        rf"^\s*Form\s*(?P<v>{FORM})\s*for\s*(?:the\s*)?(?:tax\s*)?(?:quarter|period|year)\s*end(?:ing|ed)\s*(?:{DATE})\s*$",
        95 / 100,
    ),
]
"""A form printed as a field of its own: a labelled value, or a line ``Form 1040 for 2023`` or
``Form 941 for the quarter ending March 31, 2025``."""

_SUBJECT = (
    r"(?:changes?\s*to|changed|correct(?:ed|ing)?|audit(?:ed|ing)?|examin(?:e|ed|ing)|review(?:ed|ing)?|adjust(?:ed|ing)?"
    r"|proposed\s*changes\s*to|reported\s*on|unpaid\s*tax(?:es)?(?:\s*,?\s*(?:and/or|and|or)?\s*(?:penal\s?ties|interest))*\s*(?:on|for)|balance\s*due\s*(?:on|for)|you\s*owe\s*on)"
)
SUBJECT_FORM_RULES = [
    rule(rf"\b{_SUBJECT}\s*your\s*(?:(?:19|20)\d{{2}}\s*)?Form\s*(?P<v>{FORM})", 95 / 100),
    rule(
        rf"\b(?:unpaid\s*tax(?:es)?\s*for\s*)?(?:the\s*)?tax\s*period\s*end(?:ing|ed)\s*(?:{DATE})\s*,?\s*Form\s*(?P<v>{FORM})",
        95 / 100,
    ),
]
"""The return the notice is about: the one it says it changed, audited, proposes to change or
bills (``Changes to your 2016 Form 1040``, ``We're auditing your 2016 Form 1040``, ``unpaid taxes
for the tax period ending December 31, 2017 Form 941``).  A form named in passing (``Form
1099-K``, ``2025 Form 1040-ES``, ``your 2016 Form 1040 overpayment``) or only in the payment
instructions is not the notice's tax form."""

INSTRUCTION_AMOUNT_RULES = [
    rule(rf"\bpay\s*the\s*(?:full\s*)?amount\s*(?:due|you\s*owe)\s*of\s*(?P<v>{MONEY})", 95 / 100),
]
INSTRUCTION_PAY_BY_RULES = [
    rule(rf"\bpay\s*the\s*(?:full\s*)?amount\s*(?:due|you\s*owe)\s*of\s*{MONEY}\s*,?\s*by\s*(?P<v>{DATE})", 95 / 100),
]
"""The notice's own instruction ``Pay the amount due of $9,999.99 by February 20, 2025``: a
sentence rather than a labelled box, so a little weaker, but it is this notice's figure and date
(the billing box may be missing from the text, or printed far from its label)."""

PAYMENT_NOTE_YEAR_RULES = [rule(r"\bthe\s*tax\s*year\s*\(\s*(?P<v>(?:19|20)\d{2})\s*\)", 9 / 10)]
PAYMENT_NOTE_FORM_RULES = [rule(rf"\bform\s*number\s*\(\s*(?:Form\s*)?(?P<v>{FORM})\s*\)", 9 / 10)]
"""The payment instructions fill in the notice's own year and return: ``Write your social
security number (nnn-nn-nnnn), the tax year (2024), and form number (1040) on your payment``.
Only a value printed in the brackets counts; the bare instruction names no year or form.  The
year is read from it; the form only backs up a return the notice names as its subject (the note
is what to write on a check, and the notice's tax form is reported only when the notice says
which return it is about)."""

SENTENCE_WINDOW = 4
"""Lines joined to match a phrase that the layout wrapped over several lines."""

_CODE_CELL = re.compile(
    rf"^(?:(?P<label>Notice|Letter)(?:\s*(?:number|no\.?))?[\s:]*)?(?P<v>{CODE})(?:\s*\(Rev\.?[^)]*\)?)?$",
    re.IGNORECASE,
)
_CODE_LABEL_CELL = re.compile(r"^(?P<label>Notice|Letter)(?:\s*(?:number|no\.?))?\s*:?$", re.IGNORECASE)
_BARE_CODE_CELL = re.compile(r"^(?P<v>\d{2,5}[A-Z]{0,2})(?:\s*\(Rev\.?[^)]*\)?)?$", re.IGNORECASE)
_FLATTENED_CODE = re.compile(
    rf"(?:^|\s)(?:Notice|Letter|NOTICE|LETTER)(?:\s*(?:number|no\.?))?[\s:]+(?P<v>{CODE}|\d{{2,5}}[A-Z]{{0,2}})\s*$"
)
"""``Department of Treasury Notice 3219N``: a header flattened with the letterhead into one line.
The label must be capitalised and the code must end the line, as it does in a header."""
FLATTENED_CODE_WEIGHT = 9 / 10

_HEADER_CODE = re.compile(
    rf"(?:^|\s)(?P<label>Notice|Letter|NOTICE|LETTER)(?:\s*(?:number|no\.?))?\s*:\s*(?P<v>{CODE}|\d{{2,5}}[A-Z]{{0,2}})"
    r"(?=\s+(?:Tax\s*(?:year|period)|Notice\s*date|Letter\s*date|TIN|SSN|EIN|ITIN|Social\s*security|Employer|Taxpayer|Page)\b)"
)
"""``Notice: CP503 Tax year: 2020 Notice date: December 9, 2024 TIN: XXX-XX-0000 Page 2 of 5``: the
running header of a continuation page, every field on one line.  The label needs its colon and
the code must be followed by the next header label, so a sentence (``notice CP504 told you``)
does not count."""

_LABELLED_BARE_CODE = re.compile(r"^(?P<label>Notice|Letter)(?:\s*(?:number|no\.?))?[\s:]*(?P<v>\d{2,5}[A-Z]{0,2})$", re.IGNORECASE)

_ROW = re.compile(rf"^\s*(?P<label>[A-Za-z][^$]*?)\s+(?P<v>{MONEY})\s*$")
_TOTAL_LABEL = re.compile(r"amount\s*due|owe\b|total|balance", re.IGNORECASE)
BREAKDOWN_LABELS = {
    "tax": re.compile(
        r"^(?:tax\s*you\s*owed|unpaid\s*tax|tax\s*owed|increase\s*in\s*tax|deficiency|tax|balance\s*of\s*tax)$",
        re.IGNORECASE,
    ),
    "payments_and_credits": re.compile(r"\b(?:payments?|credits?)\b", re.IGNORECASE),
    "penalties": re.compile(r"penalt", re.IGNORECASE),
    "interest": re.compile(r"\binterest\b", re.IGNORECASE),
}
EARLIER_BALANCE_LABEL = re.compile(
    r"^(?:amount\s*you\s*owed|unpaid\s*amount\s*from\s*prior\s*notices?|account\s*balance\s*before\s*this\s*change"
    r"|(?:previous|prior)\s*balance|balance\s*(?:from|on|shown\s*on)\s*(?:your\s*|our\s*)?(?:last|previous|prior)\s*notice)$",
    re.IGNORECASE,
)
"""The first line of a reminder's billing summary (CP501, CP503, CP504, the final notices) or of
an account-change notice: the balance carried from an earlier notice, which already holds the
tax and the penalties and interest charged so far.  The lines after it are only what was added
(or taken off) since, so none of them is the tax, the penalties or the interest of the account."""

_FLATTENED_ROW_LABEL = re.compile(
    r"(?:^|\s)(?P<label>Tax\s+you\s+owed|Unpaid\s+tax|Tax\s+owed|Increase\s+in\s+tax|Balance\s+of\s+tax|Amount\s+you\s+owed"
    r"|Unpaid\s+amount\s+from\s+prior\s+notices?|Account\s+balance\s+before\s+this\s+change)$"
)
"""A summary label at the end of a line that a text layer flattened with the body column beside
it: ``of your return: Tax you owed $1,828.00``.  Only the capitalised multi-word labels count,
so a sentence ending in "... the tax you owed" does not."""

_NOT_A_BILL = re.compile(rf"{label('This is not a bill')}|{label('Proposed amount due')}|{label('Notice of deficiency')}", re.IGNORECASE)


def says_not_a_bill(lines: Sequence[PageLine]) -> bool:
    """Whether the notice says of itself that it is not a bill (a proposal or a deficiency)."""
    return any(_NOT_A_BILL.search(line.text) for line in lines)


def read_fields(printed: Sequence[PageLine], catalog: NoticeCatalog, *, ocr: bool) -> ReadFields:
    """Read every field from the lines of a notice."""
    lines = associate(printed)
    values: dict[str, FieldValue] = {}
    warnings: list[str] = []

    def take(name: str, found: list[Candidate], not_found: str) -> None:
        value, more = resolve(name, found, ocr=ocr, parser=PARSER, not_found=not_found)
        values[name] = value
        warnings.extend(more)

    take("notice_code", _code_candidates(lines, catalog), "no notice or letter code (such as CP14 or LT11) was found")
    for name, rules in DATE_RULES.items():
        found_dates = find_candidates(lines, rules, _date)
        if name == "pay_by_date":
            found_dates += _windowed(lines, INSTRUCTION_PAY_BY_RULES, _date)
        take(name, found_dates, f"no {name.replace('_', ' ')} is printed")
    amounts = find_candidates(lines, AMOUNT_RULES, _money) + _windowed(lines, INSTRUCTION_AMOUNT_RULES, _money)
    for _label, amount_line in distant_amounts(lines):
        parsed = _money(amount_line.text)
        if parsed is not None:
            amounts.append(Candidate(parsed[0], DISTANT_AMOUNT_WEIGHT, amount_line, 0, len(amount_line.text), parsed[1]))
    take("amount_due", amounts, "no amount due is printed")
    take("taxpayer_id_last4", find_candidates(lines, TIN_RULES, _tin), "no taxpayer id is printed")
    take("phone", find_candidates(lines, PHONE_RULES, _phone), "no telephone number is printed")
    take("notice_id", find_candidates(lines, NOTICE_ID_RULES, _token), "no notice id is printed")
    values["reply_address"] = reply_address(printed, ocr, parser=PARSER)
    values.update(_breakdown(lines, ocr, warnings))
    periods = _periods(lines, values, catalog, ocr, warnings)
    return ReadFields(values=values, tax_periods=periods, warnings=warnings)


def _code_candidates(lines: Sequence[PageLine], catalog: NoticeCatalog) -> list[Candidate]:
    """The notice's own code: printed as a field of the header, the corner or the stub.

    Only a cell that is nothing but the code (``CP14``, ``Notice CP14``, ``Letter 1058``, ``LT11``,
    ``Notice 3219N``), or a ``Notice`` / ``Letter`` label cell followed by such a cell, counts.
    A code named inside a sentence (``we sent you notice CP504``) is a mention, not the code.
    """

    def canonical(text: str, label: str | None) -> str:
        entry = catalog.find(text)
        if entry is not None:
            return entry.code.value
        code = normalize_code(text)
        if code[:1].isdigit():
            code = ("LTR" if (label or "").lower() == "letter" else "CP") + code
            entry = catalog.find(code)
            return entry.code.value if entry is not None else code
        return code

    found: list[Candidate] = []
    for line in lines:
        row = cells(line)
        for index, cell in enumerate(row):
            match = _CODE_CELL.match(cell.text) or _LABELLED_BARE_CODE.match(cell.text)
            label_of: str | None = match.group("label") if match else None
            value = match.group("v") if match else None
            start, end = cell.start, cell.end
            if match is None and index + 1 < len(row) and (label_cell := _CODE_LABEL_CELL.match(cell.text)):
                following = row[index + 1]
                nxt = _CODE_CELL.match(following.text) or _BARE_CODE_CELL.match(following.text)
                if nxt is not None and nxt.groupdict().get("label") is None:
                    label_of, value, end = label_cell.group("label"), nxt.group("v"), following.end
            if value is None:
                for header in _HEADER_CODE.finditer(cell.text):
                    found.append(
                        Candidate(
                            canonical(header.group("v"), header.group("label")), 1, line,
                            cell.start + header.start("v"), cell.start + header.end("v"),
                        )
                    )
                continue
            found.append(Candidate(canonical(value, label_of), 1, line, start, end))
        last = row[-1] if row else None
        flat = _FLATTENED_CODE.search(last.text) if last is not None else None
        if last is not None and flat is not None and not _CODE_CELL.match(last.text) and not _LABELLED_BARE_CODE.match(last.text):
            label_text = last.text[: flat.start("v")].strip().split()
            label_word = next((w for w in reversed(label_text) if w.lower() in ("notice", "letter")), None)
            start = last.start + flat.start("v")
            found.append(Candidate(canonical(flat.group("v"), label_word), FLATTENED_CODE_WEIGHT, line, start, last.end))
    known = set(catalog.codes)
    return [
        c if c.value in known else Candidate(c.value, c.weight * UNKNOWN_CODE_FACTOR, c.line, c.start, c.end, c.repaired)
        for c in found
    ]


def _breakdown(lines: Sequence[PageLine], ocr: bool, warnings: list[str]) -> dict[str, FieldValue]:
    rows: dict[str, list[Candidate]] = {name: [] for name in BREAKDOWN_LABELS}
    earlier: list[tuple[str, PageLine]] = []
    for line in lines:
        match = _ROW.match(line.text)
        if not match:
            continue
        row_label = " ".join(match.group("label").split()).rstrip(":")
        flattened = _FLATTENED_ROW_LABEL.search(row_label)
        if flattened is not None:
            row_label = flattened.group("label")
        if EARLIER_BALANCE_LABEL.match(row_label):
            earlier.append((row_label, line))
            continue
        if _TOTAL_LABEL.search(row_label) and not BREAKDOWN_LABELS["tax"].match(row_label):
            continue
        parsed = _money(match.group("v"))
        if parsed is None:
            continue
        amount, repaired = parsed
        for name in ("penalties", "payments_and_credits", "interest", "tax"):
            pattern = BREAKDOWN_LABELS[name]
            hit = pattern.match(row_label) if name == "tax" else pattern.search(row_label)
            if hit:
                rows[name].append(Candidate(amount, 1, line, 0, len(line.text), repaired))
                break
    if earlier:
        return _since_earlier_balance(rows, earlier, warnings)
    result: dict[str, FieldValue] = {}
    for name, found in rows.items():
        not_found = "no breakdown line for it is printed"
        if name == "penalties" and len(found) > 1:
            total = sum((Decimal(str(c.value)) for c in found), Decimal("0.00"))
            confidence = min(c.confidence for c in found)
            if ocr:
                confidence = min(confidence, OCR_SINGLE_SOURCE_CAP)
            result[name] = FieldValue(
                name=name,
                value=total,
                confidence=round(confidence, 4),
                source_text=" + ".join(source_text(c.line) for c in found),
                page=found[0].line.page,
                bbox=found[0].line.bbox,
                parser=PARSER,
                text_confidence=round(min(c.source_confidence for c in found), 4),
            )
            continue
        value, more = resolve(name, found, ocr=ocr, parser=PARSER, not_found=not_found)
        result[name] = value
        warnings.extend(more)
    return result


_ADDED_WHAT = {"penalties": "penalty", "interest": "interest", "payments_and_credits": "payments and credits"}


def _since_earlier_balance(
    rows: dict[str, list[Candidate]], earlier: list[tuple[str, PageLine]], warnings: list[str]
) -> dict[str, FieldValue]:
    """The breakdown of a summary that starts from an earlier notice's balance: left to the person.

    Read as tax, ``Amount you owed $63,000.00`` would be a confident wrong meaning (it already
    holds earlier penalties and interest), and ``Interest $700.00`` below it is only the interest
    added since.  Each field says what is printed and why it is not used."""
    _, line = earlier[0]
    shown = source_text(line)
    result = {
        "tax": missing(
            "tax",
            f"the billing summary starts from an earlier balance ({shown}) that already includes earlier penalties "
            "and interest; the tax alone is not printed",
            PARSER,
        )
    }
    for name, what in _ADDED_WHAT.items():
        found = rows[name]
        reason = (
            f"only the {what} added or taken off since the earlier balance is printed ({' + '.join(source_text(c.line) for c in found)}); "
            "the total for the account is not"
            if found
            else "no breakdown line for it is printed"
        )
        result[name] = missing(name, reason, PARSER)
    warnings.append(
        f"breakdown: the billing summary starts from an earlier balance ({shown}); the lines below it are only what "
        "was added since, so the tax, penalties and interest are not read from it (an account transcript shows them)"
    )
    return result


def _periods(
    lines: Sequence[PageLine], values: dict[str, FieldValue], catalog: NoticeCatalog, ocr: bool, warnings: list[str]
) -> tuple[TaxPeriod, ...]:
    """Tax periods, tax year, period end and form; several periods come back as a list."""
    del catalog
    table = tables.period_table(lines)
    listed = tables.listed_periods(lines)
    form_found = [
        *find_candidates(lines, FORM_RULES, _form),
        *find_candidates(lines, tables.BARE_FORM_RULES, _return_form),
        *_windowed(lines, SUBJECT_FORM_RULES, _return_form),
    ]
    # The payment note only backs up a form the notice names as its subject; on its own it is
    # not taken as the notice's tax form (see PAYMENT_NOTE_FORM_RULES).
    named = {c.value for c in form_found}
    form_found += [c for c in _windowed(lines, PAYMENT_NOTE_FORM_RULES, _return_form) if c.value in named]
    table_forms = [Candidate(p.tax_form, 1, _line_of(lines, p), 0, 0) for p in table if p.tax_form]
    form, more = resolve("tax_form", [*form_found, *table_forms], ocr=ocr, parser=PARSER, not_found="no tax form is printed")
    warnings.extend(more)
    values["tax_form"] = form
    amount_due = values["amount_due"]

    periods: tuple[TaxPeriod, ...]
    if table:
        periods = table
    elif listed:
        periods = listed
    else:
        periods = ()
    if len(periods) > 1:
        why = f"the notice covers {len(periods)} tax periods; see the list of tax periods"
        values["tax_year"] = missing("tax_year", why, PARSER)
        values["tax_period_end"] = missing("tax_period_end", why, PARSER)
        return periods

    end, more = resolve(
        "tax_period_end", find_candidates(lines, PERIOD_RULES, _date), ocr=ocr, parser=PARSER,
        not_found="no tax period end date is printed (only the tax year)",
    )
    warnings.extend(more)
    if not end.found and periods and periods[0].tax_period_end:
        single = periods[0]
        end = FieldValue("tax_period_end", single.tax_period_end, single.confidence, single.source_text, single.page, parser=PARSER)
    values["tax_period_end"] = end
    year_found = [
        *find_candidates(lines, TAX_YEAR_RULES, _year),
        *_years_by_return_form(lines),
        *_windowed(lines, PAYMENT_NOTE_YEAR_RULES, _year),
    ]
    year, more = resolve("tax_year", year_found, ocr=ocr, parser=PARSER, not_found="no tax year is printed")
    if not year.found and isinstance(end.value, date):
        if (end.value.month, end.value.day) == (12, 31):
            year = FieldValue(
                "tax_year", end.value.year, end.confidence, end.source_text, end.page, end.bbox, PARSER,
                reason="from the tax period ending December 31",
            )
        else:
            year = missing("tax_year", f"the tax period ends {end.value.isoformat()}; no tax year is printed", PARSER)
    elif year.found and isinstance(end.value, date) and (end.value.month, end.value.day) == (12, 31):
        if year.value == end.value.year:
            year = year.with_confidence(round(combine([year.confidence, end.confidence]), 4))
        else:
            year = year.with_confidence(min(year.confidence, FAILED_CHECK_CAP), f"the tax period printed ends in {end.value.year}")
            warnings.append(f"tax_year: the tax year {year.value} does not match the tax period ending {end.value.isoformat()}")
    warnings.extend(more)
    values["tax_year"] = year
    if not (year.found or end.found or form.found):
        return ()
    source = end if end.found else year if year.found else form
    return (
        TaxPeriod(
            tax_form=str(form.value) if form.found else None,
            tax_period_end=end.value if isinstance(end.value, date) else None,
            tax_year=year.value if isinstance(year.value, int) else None,
            amount=amount_due.value if isinstance(amount_due.value, Decimal) else None,
            confidence=round(min(x.confidence for x in (year, end, form, amount_due) if x.found), 4),
            source_text=source.source_text or "",
            page=source.page,
        ),
    )


def _windowed(lines: Sequence[PageLine], rules: Sequence[Rule], parse: Parser) -> list[Candidate]:
    """Matches of phrase rules over a few consecutive lines of a page (a wrapped sentence).

    A match counts once: for the line it starts on.
    """
    found: list[Candidate] = []
    for index, line in enumerate(lines):
        window = [line]
        for following in lines[index + 1 : index + SENTENCE_WINDOW]:
            if following.page != line.page:
                break
            window.append(following)
        text = " ".join(item.text.strip() for item in window)
        first = len(line.text.strip())
        for item in rules:
            for match in item.pattern.finditer(text):
                if match.start() >= first:
                    continue
                parsed = parse(match.group("v"))
                if parsed is None:
                    continue
                value, repaired = parsed
                found.append(Candidate(value, item.weight, line, 0, len(line.text), repaired))
    return found


def _years_by_return_form(lines: Sequence[PageLine]) -> list[Candidate]:
    found: list[Candidate] = []
    for line in lines:
        for item in FORM_YEAR_RULES:
            for match in item.pattern.finditer(line.text):
                if normalize_form(match.group("f")) not in RETURN_FORMS:
                    continue
                found.append(Candidate(int(match.group("v")), item.weight, line, match.start(), match.end()))
    return found


def _line_of(lines: Sequence[PageLine], period: TaxPeriod) -> PageLine:
    for line in lines:
        if line.page == period.page and source_text(line) == period.source_text:
            return line
    return lines[0]
