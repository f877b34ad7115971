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

from balancedue.intake.associate import associate, distant_amounts
from balancedue.intake.candidates import (
    FAILED_CHECK_CAP,
    OCR_SINGLE_SOURCE_CAP,
    REPAIRED_FACTOR,
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
from balancedue.intake.models import FieldScalar, FieldValue, Line, TaxPeriod
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
    {"1040", "1040-SR", "1040-NR", "1040-X", "1041", "1065", "1120", "1120-S", "940", "941", "943", "944", "945", "720", "990", "2290", "706", "709", "CT-1"}
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
    rule(rf"\b{_alt('Total amount you owe', 'Total you owe')}(?!d){_SEP}(?P<v>{MONEY})"),
    # "Amount you owe" also heads the tax line of some billing summaries (CP71C): a weaker sign.
    rule(rf"\b{_alt('Amount you owe')}(?!d){_SEP}(?P<v>{MONEY})", 9 / 10),
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

PERIOD_RULES = [
    rule(rf"\b{label('Tax period')}(?:\s*end(?:ing|ed))?{_SEP}(?P<v>{DATE})(?!\s*,\s*{DATE})"),
]
PERIODS_LIST = re.compile(rf"\b{label('Tax periods')}{_SEP}(?P<v>{DATE}(?:\s*,\s*{DATE})+)", re.IGNORECASE)

FORM_RULES = [
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
    r"|proposed\s*changes\s*to|reported\s*on|unpaid\s*tax(?:es)?\s*(?:on|for)|balance\s*due\s*(?:on|for)|you\s*owe\s*on)"
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

SENTENCE_WINDOW = 3
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

_LABELLED_BARE_CODE = re.compile(r"^(?P<label>Notice|Letter)(?:\s*(?:number|no\.?))?[\s:]*(?P<v>\d{2,5}[A-Z]{0,2})$", re.IGNORECASE)

_ROW = re.compile(rf"^\s*(?P<label>[A-Za-z][^$]*?)\s+(?P<v>{MONEY})\s*$")
_TOTAL_LABEL = re.compile(r"amount\s*due|owe\b|total|balance", re.IGNORECASE)
BREAKDOWN_LABELS = {
    "tax": re.compile(
        r"^(?:tax\s*you\s*owed|amount\s*you\s*owed|unpaid\s*tax|tax\s*owed|increase\s*in\s*tax|deficiency|tax|balance\s*of\s*tax)$",
        re.IGNORECASE,
    ),
    "payments_and_credits": re.compile(r"\b(?:payments?|credits?)\b", re.IGNORECASE),
    "penalties": re.compile(r"penalt", re.IGNORECASE),
    "interest": re.compile(r"\binterest\b", re.IGNORECASE),
}
_NOT_A_BILL = re.compile(rf"{label('This is not a bill')}|{label('Proposed amount due')}|{label('Notice of deficiency')}", re.IGNORECASE)


def says_not_a_bill(lines: Sequence[Line]) -> bool:
    """Whether the notice says of itself that it is not a bill (a proposal or a deficiency)."""
    return any(_NOT_A_BILL.search(line.text) for line in lines)


def read_fields(printed: Sequence[Line], catalog: NoticeCatalog, *, ocr: bool) -> ReadFields:
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
        take(name, find_candidates(lines, rules, _date), f"no {name.replace('_', ' ')} is printed")
    amounts = find_candidates(lines, AMOUNT_RULES, _money)
    for _label, amount_line in distant_amounts(lines):
        parsed = _money(amount_line.text)
        if parsed is not None:
            amounts.append(Candidate(parsed[0], DISTANT_AMOUNT_WEIGHT, amount_line, 0, len(amount_line.text), parsed[1]))
    take("amount_due", amounts, "no amount due is printed")
    take("taxpayer_id_last4", find_candidates(lines, TIN_RULES, _tin), "no taxpayer id is printed")
    take("phone", find_candidates(lines, PHONE_RULES, _phone), "no telephone number is printed")
    take("notice_id", find_candidates(lines, NOTICE_ID_RULES, _token), "no notice id is printed")
    values["reply_address"] = _reply_address(printed, ocr)
    values.update(_breakdown(lines, ocr, warnings))
    periods = _periods(lines, values, catalog, ocr, warnings)
    return ReadFields(values=values, tax_periods=periods, warnings=warnings)


def _code_candidates(lines: Sequence[Line], catalog: NoticeCatalog) -> list[Candidate]:
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


def _breakdown(lines: Sequence[Line], ocr: bool, warnings: list[str]) -> dict[str, FieldValue]:
    rows: dict[str, list[Candidate]] = {name: [] for name in BREAKDOWN_LABELS}
    for line in lines:
        match = _ROW.match(line.text)
        if not match:
            continue
        row_label = " ".join(match.group("label").split()).rstrip(":")
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


_ZIP_LINE = re.compile(r"\b[A-Z]{2}\s*,?\s*\d{5}(?:-\d{4})?\s*$", re.IGNORECASE)
_IRS_NAME = re.compile(r"^internal\s*revenue\s*service\b", re.IGNORECASE)
_LETTERHEAD = re.compile(r"department\s*of\s*the\s*treasury", re.IGNORECASE)
_CITY_ZIP_PREFIX = re.compile(r"^([A-Za-z][A-Za-z .'-]*,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)\s+\S")
_STATE_ZIP = re.compile(r"\b([A-Z]{2})(\d{5}(?:-\d{4})?)\b")
MAX_ADDRESS_LINES = 6


_PAYMENT_CUE = re.compile(r"\bsend\s+(?:your\s+)?payments?\s+to\b|\bpayment\s+address\b", re.IGNORECASE)
PAYMENT_CUE_LINES = 3  # not law: how many lines above an address block may say it is the payment address
# What a payment coupon (the tear-off stub with the window-envelope addresses) prints around
# its unlabelled IRS address: payment instructions, the amount to enclose, a tear-off line, the
# optical scan line.
_COUPON_CUE = re.compile(
    r"\bpayable\s+to\b|\bamount\s+(?:you\s+owe|due|enclosed|owed)\b|\benclose[ds]?\b"
    r"|\bdetach\b|\bcut\s+(?:here|along)\b|\btear\s+(?:here|off|along)\b"
    r"|\breturn\s+(?:this|the)\s+(?:bottom\s+)?(?:part|portion|stub|voucher|coupon|slip)\b"
    r"|\bpayment\s+(?:coupon|voucher|stub|slip)\b|^\s*payment\s*$|\bwith\s+your\s+payment\b",
    re.IGNORECASE,
)
_SCAN_LINE = re.compile(r"^\s*\d{2,}(?:\s+\d{2,}){3,}\s*$")
# What introduces the address for letters: it wins over every other block.
_REPLY_CUE = re.compile(
    r"\bwrite\s+(?:to\s+)?us\b|\bsend\s+(?:us\s+)?(?:your\s+)?(?:letter|response|reply|correspondence|documents?|statement|information)\b"
    r"|\bmail\s+(?:us\s+)?(?:your\s+)?(?:letter|response|reply|documents?)\b|\bcorrespondence\s+address\b"
    r"|\bcontact\s+us\s+(?:by|in)\s+(?:mail|writing)\b|\bour\s+address\b|\bin\s+writing\s+to\b",
    re.IGNORECASE,
)
COUPON_CUE_BEFORE = 8  # not law: lines above an unlabelled IRS address searched for coupon wording
COUPON_CUE_AFTER = 4  # not law: lines below it searched for coupon wording
REPLY_CUE_LINES = 4  # not law: lines above an address block that may say letters go there


def _is_coupon(lines: Sequence[Line], first: int, last: int, x0: float) -> bool:
    """True when the IRS address block on lines ``first``..``last`` sits in a payment coupon.

    A coupon is recognised by what surrounds its address, never by the address itself: payment
    wording or the scan line within a few lines (same page), or the taxpayer's own address printed
    beside it (the two window-envelope addresses of the stub) or just above it."""
    page = lines[first].page
    window = [
        line for line in lines[max(0, first - COUPON_CUE_BEFORE) : last + 1 + COUPON_CUE_AFTER]
        if line.page == page
    ]
    if any(_COUPON_CUE.search(line.text) or _SCAN_LINE.match(line.text) for line in window):
        return True
    for line in lines[first : last + 1]:  # another address ending on the block's lines, in another column
        own = _cell_near(line, x0)
        if any(_ZIP_LINE.search(cell.text) for cell in cells(line) if own is None or cell.text != own[0]):
            return True
    above = [line for line in lines[max(0, first - 2) : first] if line.page == page and line.text.strip()]
    return bool(above) and bool(_ZIP_LINE.search(above[-1].text)) and not _LETTERHEAD.search(above[-1].text)


def _reply_address(lines: Sequence[Line], ocr: bool) -> FieldValue:
    """The IRS address to write to: the correspondence address printed on the notice.

    A block introduced as the address for letters ("write to us at") wins.  A block introduced as
    the payment address ("Send your payment to:") or printed in the payment coupon (the tear-off
    stub: payment wording, the scan line or the taxpayer's own address beside it) is the lockbox
    that processes checks, not where letters go: another IRS address block is used when the
    notice prints one, else the issuing center at the top of the notice (after "Department of the
    Treasury"), and the coupon address only when the notice prints no other."""
    replies: list[tuple[list[str], float, Line]] = []
    blocks: list[tuple[list[str], float, Line]] = []
    letterheads: list[tuple[list[str], float, Line]] = []
    payments: list[tuple[list[str], float, Line]] = []
    for index, line in enumerate(lines):
        for cell in cells(line):
            if not _IRS_NAME.match(cell.text):
                continue
            x0 = _cell_x(line, cell.start, cell.end)
            previous = _cell_near(lines[index - 1], x0) if index > 0 and lines[index - 1].page == line.page else None
            letterhead = bool(previous and _LETTERHEAD.search(previous[0]))
            above = [item.text for item in lines[max(0, index - PAYMENT_CUE_LINES):index] if item.page == line.page]
            payment = any(_PAYMENT_CUE.search(text) for text in above)
            reply = any(
                _REPLY_CUE.search(item.text)
                for item in lines[max(0, index - REPLY_CUE_LINES):index]
                if item.page == line.page
            )
            parts = [cell.text]
            confidence = line.evidence(cell.start, cell.end)[0]
            for offset, following in enumerate(lines[index + 1 : index + 1 + MAX_ADDRESS_LINES], start=1):
                if following.page != line.page:
                    break
                near = _cell_near(following, x0)
                if near is None:
                    break
                text = near[0]
                flattened = _CITY_ZIP_PREFIX.match(text) if letterhead and not _ZIP_LINE.search(text) else None
                if flattened:  # a letterhead copied into one line with the header beside it
                    text = flattened.group(1)
                    name = _IRS_NAME.match(parts[0])
                    parts[0] = name.group(0) if name else parts[0]
                parts.append(text)
                confidence = min(confidence, near[1])
                if _ZIP_LINE.search(text):
                    found = (parts, confidence, line)
                    if reply and not payment:
                        replies.append(found)
                    elif letterhead:
                        letterheads.append(found)
                    elif payment or _is_coupon(lines, index, index + offset, x0):
                        payments.append(found)
                    else:
                        blocks.append(found)
                    break
    blocks = replies or blocks or letterheads[:1] or payments
    if not blocks:
        return missing("reply_address", "no IRS address block (Internal Revenue Service, city, ZIP) was found", PARSER)
    parts, confidence, line = blocks[-1]
    read = confidence
    if ocr:
        confidence = min(confidence, OCR_SINGLE_SOURCE_CAP)
    cleaned = [_IRS_NAME.sub("INTERNAL REVENUE SERVICE", parts[0]), *parts[1:]]
    cleaned = [_STATE_ZIP.sub(r"\1 \2", part) for part in cleaned]  # OCR may drop the space before the ZIP
    address = ", ".join(" ".join(part.split()) for part in cleaned)
    return FieldValue(
        name="reply_address",
        value=address.upper(),
        confidence=round(confidence, 4),
        source_text=" / ".join(parts),
        page=line.page,
        bbox=line.bbox,
        parser=PARSER,
        text_confidence=round(read, 4),
    )


def _cell_x(line: Line, start: int, end: int) -> float:
    _, bbox = line.evidence(start, end)
    return bbox[0] if bbox else float(start)


def _cell_near(line: Line, x0: float) -> tuple[str, float] | None:
    """The cell of ``line`` that starts near ``x0`` (same column), with its confidence."""
    height = max(1, line.bbox[3] - line.bbox[1])
    for cell in cells(line):
        cx = _cell_x(line, cell.start, cell.end)
        if abs(cx - x0) <= height * 3 / 2 + 2:
            return cell.text, line.evidence(cell.start, cell.end)[0]
    return None


def _periods(
    lines: Sequence[Line], values: dict[str, FieldValue], catalog: NoticeCatalog, ocr: bool, warnings: list[str]
) -> tuple[TaxPeriod, ...]:
    """Tax periods, tax year, period end and form; several periods come back as a list."""
    del catalog
    table = _period_table(lines)
    listed = _listed_periods(lines)
    form_found = [
        *find_candidates(lines, FORM_RULES, _form),
        *_windowed(lines, SUBJECT_FORM_RULES, _return_form),
    ]
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
    year_found = find_candidates(lines, TAX_YEAR_RULES, _year) + _years_by_return_form(lines)
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


def _windowed(lines: Sequence[Line], rules: Sequence[Rule], parse: Parser) -> list[Candidate]:
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


def _years_by_return_form(lines: Sequence[Line]) -> list[Candidate]:
    found: list[Candidate] = []
    for line in lines:
        for item in FORM_YEAR_RULES:
            for match in item.pattern.finditer(line.text):
                if normalize_form(match.group("f")) not in RETURN_FORMS:
                    continue
                found.append(Candidate(int(match.group("v")), item.weight, line, match.start(), match.end()))
    return found


def _line_of(lines: Sequence[Line], period: TaxPeriod) -> Line:
    for line in lines:
        if line.page == period.page and source_text(line) == period.source_text:
            return line
    return lines[0]


_TABLE_HEAD = re.compile(r"tax\s*period", re.IGNORECASE)
_TABLE_AMOUNT = re.compile(r"amount|owe|balance", re.IGNORECASE)
_TABLE_ROW = re.compile(
    rf"^\s*(?:Form\s*)?(?P<form>{FORM})?\s+(?P<end>{DATE})\s+(?P<amount>{MONEY})\s*$", re.IGNORECASE
)


def _period_table(lines: Sequence[Line]) -> tuple[TaxPeriod, ...]:
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
                    tax_form=normalize_form(match.group("form")) if match.group("form") else None,
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


def _listed_periods(lines: Sequence[Line]) -> tuple[TaxPeriod, ...]:
    """Periods listed in the header: ``Tax periods  12/31/2021, 12/31/2022``."""
    for line in lines:
        match = PERIODS_LIST.search(line.text)
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
