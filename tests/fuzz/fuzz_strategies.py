"""Hypothesis strategies that build hostile inputs for each fuzz target, and the seed inputs.

The strategies start from real-looking inputs (the bundled examples and test fixtures) and
break them in the ways that hurt parsers: wrong types, huge and malformed numbers, impossible
dates, deep nesting, YAML aliases and tags, odd encodings and control characters, very long
lines, truncated and rewired PDFs, image headers that claim gigapixels.  Big inputs are built
from a few drawn parameters, so hypothesis itself stays fast.
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
import zlib
from datetime import date
from functools import cache
from typing import Any

import yaml
from fuzz_targets import ANALYZE_FIXTURES, REPO, encode_structured
from hypothesis import strategies as st

FIXTURES = REPO / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

from make_hostile import pdf_from_objects, stream  # noqa: E402 - the hostile corpus's PDF builder

# --- Scalars that break validators --------------------------------------------------------------

AMOUNT_TEXTS = (
    "0", "0.00", "12.5", "1,234.56", "$10", "(25.00)", "-1", "-0", "1.001", "1e999999", "1E+30",
    "1e-999999", "99999999999999999999999999999", "NaN", "sNaN", "-Infinity", "Infinity", "1_000",
    " 12 ", "", "$", "()", "(", "1,2,3", "0x10", "١٢٣", "１２", "²", "−5", "12.", ".5", "1e2", "9" * 5000,
)
DATE_TEXTS = (
    "2024-04-15", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "0001-01-01", "9999-12-31",
    "0000-01-01", "20240415", "2024-4-15", "+2024-04-15", "2024-04-15T00:00:00", "2024/04/15",
    "２０２４-０４-１５", "2024-04-15\n", "", "today", "9999-12-31T23:59:59", "1900-01-01", "2100-12-31",
)
INTERESTING_INTS = (
    0, 1, -1, 1900, 2004, 2005, 2019, 2023, 2024, 2025, 9999, 10000, -(2**63), 2**63, 10**30, 10**400,
)
FORMS = ("1040", "1040-SR", "941", "", "1040\x00")
EVENT_TYPES = (
    "return_filed", "withholding", "estimated_payment", "payment", "credit", "additional_tax",
    "abatement", "notice_and_demand", "installment_agreement", "levy_notice", "refund", "",
)
COMPONENTS = ("tax", "penalty", "interest", "failure_to_file", "failure_to_pay", "fees", "")

short_text = st.text(max_size=24)
amount_values = st.one_of(
    st.sampled_from(AMOUNT_TEXTS),
    st.integers(min_value=0, max_value=10**9).map(lambda n: f"{n // 100}.{n % 100:02d}"),
    st.integers(),
    st.sampled_from(INTERESTING_INTS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
date_values = st.one_of(
    st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31)).map(date.isoformat),
    st.sampled_from(DATE_TEXTS),
    st.dates().map(lambda d: d.isoformat()),
    st.integers(),
    short_text,
)
year_values = st.one_of(
    st.integers(min_value=2015, max_value=2025),
    st.sampled_from(INTERESTING_INTS),
    st.sampled_from(("2023", "²", "٢٠٢٣", "2023.0", " 2023", "")),
    st.booleans(),
    st.floats(),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.sampled_from(INTERESTING_INTS), st.floats(), short_text,
    st.sampled_from(AMOUNT_TEXTS), st.sampled_from(DATE_TEXTS),
)
any_json: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(short_text, children, max_size=4),
    max_leaves=12,
)


# --- Structured files: a valid file, then a few of its values replaced by hostile ones --------

cents = st.integers(min_value=0, max_value=500_000_000).map(lambda n: f"{n // 100}.{n % 100:02d}")
hostile_values = st.one_of(
    amount_values, date_values, year_values, any_json, st.sampled_from(DATE_TEXTS), st.sampled_from(EVENT_TYPES + COMPONENTS + FORMS)
)


def _day(draw: st.DrawFn, first: date, last: date) -> str:
    return draw(st.dates(min_value=first, max_value=last)).isoformat()


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.integers(2016, 2024))
    events: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 7))):
        kind = draw(st.sampled_from(EVENT_TYPES[:10]))
        event: dict[str, Any] = {"date": _day(draw, date(year, 1, 1), date(year + 3, 12, 31)), "type": kind}
        if kind == "return_filed":
            if any(e["type"] == "return_filed" for e in events):
                continue
            event["tax"] = draw(cents)
        elif kind in ("withholding", "estimated_payment", "payment", "credit", "additional_tax"):
            event["amount"] = draw(cents)
        elif kind == "abatement":
            event["of"] = draw(st.sampled_from(("tax", "failure_to_file", "failure_to_pay", "interest")))
        if kind == "payment" and draw(st.booleans()):
            event["designation"] = draw(st.sampled_from(("tax", "penalty", "interest")))
        events.append(event)
    events.sort(key=lambda e: e["date"])
    scenario: dict[str, Any] = {"form": "1040", "tax_year": year, "events": events}
    if draw(st.booleans()):
        scenario["as_of"] = _day(draw, date(year + 1, 1, 1), date(year + 4, 12, 31))
    if draw(st.integers(0, 3)) == 0:
        scenario["extended_due_date"] = f"{year + 1}-10-15"
    return scenario


def _dated(draw: st.DrawFn, year: int, count: int) -> list[dict[str, Any]]:
    return [{"date": _day(draw, date(year, 1, 1), date(year + 2, 12, 31)), "amount": draw(cents)} for _ in range(count)]


@st.composite
def valid_records(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.integers(2018, 2024))
    records: dict[str, Any] = {"tax_year": year, "tax_on_return": draw(cents)}
    if draw(st.booleans()):
        records["return_filed"] = _day(draw, date(year + 1, 1, 15), date(year + 2, 6, 30))
    records["withholding"] = [{"source": "W-2", "amount": draw(cents)} for _ in range(draw(st.integers(0, 2)))]
    records["estimated_payments"] = _dated(draw, year, draw(st.integers(0, 3)))
    records["payments"] = _dated(draw, year + 1, draw(st.integers(0, 3)))
    return records


EXPENSES = (
    "food_clothing_misc", "housing_utilities", "vehicle_ownership", "vehicle_operating", "public_transportation",
    "out_of_pocket_health", "health_insurance", "court_ordered_payments", "child_dependent_care",
    "life_insurance", "current_taxes", "secured_debts",
)
ASSET_KINDS = ("real_estate", "vehicle", "investment", "retirement", "life_insurance_cash_value", "other")


@st.composite
def valid_finances(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(1, 9))
    vehicles = draw(st.integers(0, 3))
    expenses = {
        name: draw(cents)
        for name in draw(st.lists(st.sampled_from(EXPENSES), max_size=6, unique=True))
        if vehicles or not name.startswith("vehicle")
    }
    finances: dict[str, Any] = {
        "household": {"size": size} if draw(st.booleans()) else {"ages": [draw(st.integers(0, 99)) for _ in range(size)]},
        "state": draw(st.sampled_from(("FL", "CA", "AK", "HI", "NY", "TX", "DC"))),
        "county": draw(st.sampled_from(("Miami-Dade", "Los Angeles", "Kings", "Harris"))),
        "monthly_income": draw(cents),
        "vehicles": vehicles,
        "expenses": expenses,
        "bank_balances": draw(cents),
        "assets": [
            {"description": "asset", "kind": draw(st.sampled_from(ASSET_KINDS)), "market_value": draw(cents), "loan": draw(cents)}
            for _ in range(draw(st.integers(0, 3)))
        ],
    }
    if draw(st.booleans()):
        finances["annual_agi"] = draw(cents)
    return finances


@st.composite
def valid_estimated_tax(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.integers(2004, 2024))
    data: dict[str, Any] = {"tax_year": year}
    if draw(st.booleans()):
        data["required_installments"] = [draw(cents) for _ in range(4)]
    else:
        data["required_annual_payment"] = draw(cents)
    if draw(st.booleans()):
        data["installment_due_dates"] = [f"{year}-04-15", f"{year}-06-15", f"{year}-09-15", f"{year + 1}-01-15"]
    data["withholding"] = draw(cents)
    data["payments"] = sorted(
        ({"date": _day(draw, date(year, 1, 1), date(year + 1, 4, 15)), "amount": draw(cents)} for _ in range(draw(st.integers(0, 4)))),
        key=lambda p: p["date"],
    )
    if draw(st.booleans()):
        data["paid_in_full_date"] = _day(draw, date(year + 1, 4, 15), date(year + 2, 12, 31))
    return data


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


@st.composite
def corrupted(draw: st.DrawFn, valid: st.SearchStrategy[dict[str, Any]]) -> Any:
    """A valid file with none, one or a few values replaced, a key dropped or a key added."""
    value = draw(valid)
    for _ in range(draw(st.sampled_from((0, 1, 1, 1, 2, 3)))):
        paths = _paths(value)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        op = draw(st.integers(0, 9))
        if op <= 7:
            _replace(value, path, draw(hostile_values))
        elif op == 8 and isinstance(path[-1], str):
            parent = value
            for step in path[:-1]:
                parent = parent[step]
            parent.pop(path[-1], None)
        else:
            value[draw(short_text)] = draw(any_json)
    return value


scenario_values = corrupted(valid_scenarios())
records_values = corrupted(valid_records())
finances_values = corrupted(valid_finances())
estimated_tax_values = corrupted(valid_estimated_tax())

HOSTILE_YAML = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
    "form: *f\ntax_year: *f\nevents: *f\nhousehold: *f\n",
    "tax_year: 2023-02-30\n",
    "tax_year: 2023\nas_of: 2023-13-45\n",
    "tax_year: !!python/object/apply:os.system ['true']\n",
    "tax_year: !!binary aGVsbG8=\n",
    "tax_year: !!timestamp 2001-12-14t21:59:43.10-05:00\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 1\n",
    "base: &base {tax_year: 2023}\n<<: *base\n",
    "<<: [1, 2]\n",
    "tax_year: 0o777\n",
    "tax_year: 0x7e7\n",
    "tax_year: 1_0_0\n",
    "tax_year: .inf\n",
    "tax_year: 2023\nevents: !!set {a, b}\n",
    "%YAML 1.1\n---\ntax_year: 2023\n---\ntax_year: 2024\n",
    "a: *undefined\n",
    "tax_year: " + "9" * 5000 + "\n",
    "\t- tab\n",
    "\ufefftax_year: 2023\n",
)
HOSTILE_JSON = (
    '{"tax_year": ' + "9" * 5000 + "}",
    '{"tax_year": 1e999999}',
    '{"tax_year": NaN, "tax_on_return": Infinity}',
    '{"tax_year": 2023, "tax_year": 2024}',
    '{"tax_on_return": "\\ud800"}',
    '{"a": "\\u0000"}',
    "\ufeff{}",
    "[]",
    "null",
    '"just a string"',
)


def _nested(depth: int, json_style: bool) -> str:
    if json_style:
        return "[" * depth + "]" * depth
    return "[" * depth + "]" * depth if depth % 2 else "{a: " * depth + "1" + "}" * depth


@st.composite
def _mutated_text(draw: st.DrawFn, text: str) -> str:
    """Truncate, cut, repeat or splice in characters that parsers trip over."""
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 5))
        if op == 0:
            text = text[:at]
        elif op == 1:
            end = draw(st.integers(at, len(text)))
            text = text[:at] + text[end:]
        elif op == 2:
            text = text[:at] + draw(st.sampled_from(("\x00", "\r", "\u202e", "\u200b", "\ud7ff", "\ufffd", "'", '"', "*", "&", "!", "%", "{", "[", ":", "-", "#", "\\", "\x0c"))) + text[at:]
        elif op == 3:
            end = min(len(text), at + draw(st.integers(1, 40)))
            text = text[:at] + text[at:end] * draw(st.integers(2, 2000)) + text[end:]
        elif op == 4:
            text = text[:at] + draw(st.text(max_size=8)) + text[at:]
        else:
            text = text[at:]
    return text


@st.composite
def structured_files(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> bytes:
    """An encoded JSON or YAML file (see ``fuzz_targets.split_structured``)."""
    suffix = draw(st.sampled_from((".json", ".yaml")))
    kind = draw(st.integers(0, 9))
    if kind <= 5:
        value = draw(values)
        if suffix == ".json":
            text = json.dumps(value, default=str, ensure_ascii=draw(st.booleans()))
        else:
            text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=draw(st.booleans()))
        if kind >= 4:
            text = draw(_mutated_text(text))
    elif kind == 6:
        text = draw(st.sampled_from(HOSTILE_JSON if suffix == ".json" else HOSTILE_YAML))
    elif kind == 7:
        text = _nested(draw(st.integers(1, 200_000)), suffix == ".json")
    elif kind == 8:
        text = draw(st.text(max_size=200))
    else:
        return encode_structured(suffix, draw(st.binary(max_size=200)))
    codec = draw(st.sampled_from(("utf-8",) * 8 + ("utf-16", "latin-1")))
    return encode_structured(suffix, text.encode(codec, errors="replace"))


# --- Notices, transcripts, messages -------------------------------------------------------------

NUMBER_SWAPS = (
    "$99,999,999,999,999,999,999,999,999.99", "$0.00", "-$5.00", "$1e400", "($12.00)", "$4,076.99$",
    "$.", "9" * 400, "$1,00,0.0", "$٤٠٧٦.٩٩",
)
DATE_SWAPS = (
    "December 31, 9999", "January 1, 0001", "February 30, 2025", "June 99, 2025", "13/45/2025",
    "00/00/0000", "12/31/9999", "June 2, 20255", "Jun. 2 2025", "2025-06-02",
)


@cache
def notice_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(ANALYZE_FIXTURES.glob("*.txt")))


@st.composite
def _swapped_tokens(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 4))
        if op == 0:
            line = lines[index]
            digits = [i for i, ch in enumerate(line) if ch.isdigit()]
            if digits:
                at = draw(st.sampled_from(digits))
                lines[index] = line[:at] + draw(st.sampled_from(NUMBER_SWAPS)) + line[at + 1 :]
        elif op == 1:
            for month in ("June", "May", "July", "April", "March"):
                if month in lines[index]:
                    lines[index] = lines[index].split(month)[0] + draw(st.sampled_from(DATE_SWAPS))
                    break
        elif op == 2:
            lines.insert(index, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == 3:
            del lines[index]
        else:
            lines[index] = lines[index] + " " + "1 " * draw(st.integers(1, 20_000))
    return "\n".join(lines)


@st.composite
def notice_text_inputs(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind <= 6:
        text = draw(_swapped_tokens(draw(st.sampled_from(notice_texts()))))
        if kind >= 5:
            text = draw(_mutated_text(text))
    elif kind == 7:
        text = draw(st.text(max_size=400))
    elif kind == 8:
        text = "Notice CP14\nInternal Revenue Service\n" + draw(st.sampled_from(("\t", " ", "$", "1", ".", "-", ":"))) * draw(
            st.integers(1, 200_000)
        )
    else:
        return draw(st.binary(max_size=300))
    codec = draw(st.sampled_from(("utf-8", "utf-8", "utf-8", "cp1252", "utf-16", "utf-8-sig")))
    return text.encode(codec, errors="replace")


@cache
def transcript_texts() -> tuple[str, ...]:
    import make_transcripts

    return tuple(fixture.text() for fixture in make_transcripts.fixtures())


TRANSCRIPT_SWAPS = ("99-99-9999", "02-30-2024", "12-31-9999", "01-01-0001", "$99999999999999999999999999.99", "-$0.00", "999", "000")


@st.composite
def transcript_inputs(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(transcript_texts()))
    lines = text.splitlines()
    for _ in range(draw(st.integers(0, 5))):
        index = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 3))
        if op == 0:
            words = lines[index].split()
            if words:
                words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(TRANSCRIPT_SWAPS))
                lines[index] = "  ".join(words)
        elif op == 1:
            lines.insert(index, lines[draw(st.integers(0, len(lines) - 1))])
        elif op == 2:
            del lines[index]
        else:
            lines[index] = draw(st.text(max_size=60))
        if not lines:
            lines = [""]
    text = "\n".join(lines)
    if draw(st.integers(0, 3)) == 0:
        text = draw(_mutated_text(text))
    return text.encode("utf-8", errors="replace")


@cache
def scam_texts() -> tuple[str, ...]:
    texts: list[str] = []
    for path in sorted((FIXTURES / "scam_messages").rglob("*.yaml")):
        for message in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
            texts.append(message["text"])
    return tuple(texts)


@st.composite
def _email(draw: st.DrawFn, body: str) -> bytes:
    charset = draw(st.sampled_from(("utf-8", "x-unknown", "utf-7", "iso-2022-jp", "", "us-ascii")))
    encoding = draw(st.sampled_from(("7bit", "base64", "quoted-printable", "x-weird")))
    subject = draw(st.sampled_from(("Tax refund", "=?utf-8?b?VGF4IHJlZnVuZA==?=", "=?bogus?q?=FF=FE?=", "=?utf-8?b?!!!?=")))
    payload = body.encode("utf-8", errors="replace")
    if encoding == "base64" and draw(st.booleans()):
        import base64

        payload = base64.b64encode(payload)
    multipart = draw(st.booleans())
    head = f"From: IRS <notice@irs-mail.example>\nSubject: {subject}\nMIME-Version: 1.0\n"
    if multipart:
        boundary = draw(st.sampled_from(("b1", "", '"unterminated')))
        return (
            f'{head}Content-Type: multipart/mixed; boundary="{boundary}"\n\n--{boundary}\n'
            f"Content-Type: text/html; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n"
        ).encode() + payload + f"\n--{boundary}\nContent-Type: application/pdf; name=\"a.pdf\"\n\nJVBERi0=\n".encode()
    return f"{head}Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: {encoding}\n\n".encode() + payload


@st.composite
def scam_inputs(draw: st.DrawFn) -> bytes:
    text = draw(st.sampled_from(scam_texts()))
    if draw(st.booleans()):
        text = draw(_mutated_text(text))
    route = draw(st.sampled_from((b"t", b"f", b"e")))
    if route == b"e":
        return route + draw(_email(text))
    if draw(st.integers(0, 5)) == 0:
        return route + draw(st.binary(max_size=200))
    return route + text.encode(draw(st.sampled_from(("utf-8", "utf-16", "cp1252"))), errors="replace")


# --- Documents: PDFs and pictures ---------------------------------------------------------------


PAGE_TEXT = b"BT /F1 11 Tf 72 700 Td (Notice CP14 Internal Revenue Service Amount due $4,076.99) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


@st.composite
def hand_made_pdfs(draw: st.DrawFn) -> bytes:
    """Small PDFs with a hostile twist in their object graph."""
    twist = draw(st.integers(0, 9))
    media = b"[0 0 612 792]"
    content = stream(PAGE_TEXT)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    extra: list[bytes] = []
    trailer = b""
    if twist == 0:  # the page tree points at itself
        pages = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
    elif twist == 1:  # an object that is only a reference to itself
        catalog = b"<< /Type /Catalog /Pages 6 0 R >>"
        extra.append(b"6 0 R")
    elif twist == 2:  # deeply nested arrays or dictionaries
        depth = draw(st.integers(10, 100_000))
        nested = b"[" * depth + b"]" * depth if draw(st.booleans()) else b"<< /A " * depth + b"1" + b" >>" * depth
        page = page.replace(b"/Resources", b"/Junk " + nested + b" /Resources")
    elif twist == 3:  # a stream that claims gigabytes
        content = stream(PAGE_TEXT, length=draw(st.sampled_from((2**31, 2**40, 10**18, -1))))
    elif twist == 4:  # a compressed stream that inflates a lot
        size = draw(st.sampled_from((10**6, 20 * 10**6)))
        content = stream(zlib.compress(b"0 0 m " * (size // 6), 9), b"/Filter /FlateDecode ")
    elif twist == 5:  # odd page sizes
        media = draw(st.sampled_from((b"[0 0 0 0]", b"[0 0 1e9 1e9]", b"[0 0 -612 -792]", b"[0 0 0.001 0.001]", b"[0 0 14400 14400]", b"[]")))
    elif twist == 6:  # the page count lies
        pages = b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % draw(st.sampled_from((0, -1, 10**9, 2**31)))
    elif twist == 7:  # an encryption dictionary
        trailer = b"/Encrypt << /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >> /ID [<01><01>] "
    elif twist == 8:  # a broken filter chain
        content = stream(b"\x00" * 20, draw(st.sampled_from((b"/Filter /FlateDecode ", b"/Filter /LZWDecode ", b"/Filter [/ASCIIHexDecode /FlateDecode] ", b"/Filter /JBIG2Decode ", b"/Filter /Crypt "))))
    else:  # an image XObject that claims a giant size
        image = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x00\x00\x00\x00\nendstream" % (
            draw(st.sampled_from((100000, 2**31 - 1))), draw(st.sampled_from((100000, 2**31 - 1))))
        extra.append(image)
        content = stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q")
        page = page.replace(b"/Font << /F1 5 0 R >>", b"/Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >>")
    objects = [catalog, pages, page % media, content, FONT, *extra]
    return pdf_from_objects(objects, xref=draw(st.booleans()), trailer_extra=trailer)


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """A few byte-level mutations: truncate, flip, delete, duplicate."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not out:
            break
        at = rng.randrange(len(out))
        op = rng.randrange(4)
        if op == 0:
            del out[at:]
        elif op == 1:
            out[at] = rng.randrange(256)
        elif op == 2:
            del out[at : at + rng.randrange(1, 200)]
        else:
            out[at:at] = out[at : at + rng.randrange(1, 200)]
    return bytes(out)


@cache
def reportlab_notice(seed: int) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    text = notice_texts()[seed % len(notice_texts())]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=letter, invariant=1)
    y = 740
    for line in text.splitlines():
        canvas.drawString(60, y, line.replace("\t", "    "))
        y -= 14
    canvas.save()
    return buffer.getvalue()


def png_with_size(width: int, height: int, fix_crc: bool = True) -> bytes:
    """A tiny valid PNG whose header then claims ``width`` x ``height``."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, format="PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    if fix_crc:
        data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@st.composite
def pictures(draw: st.DrawFn) -> bytes:
    from PIL import Image

    kind = draw(st.integers(0, 4))
    if kind == 0:
        return png_with_size(draw(st.sampled_from((0, 1, 65535, 100_000, 2**31 - 1))), draw(st.sampled_from((0, 1, 65535, 100_000, 2**31 - 1))), draw(st.booleans()))
    if kind == 1:  # HEIF brand with nothing behind it
        return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + draw(st.binary(max_size=100))
    size = (draw(st.integers(1, 400)), draw(st.integers(1, 400)))
    mode = draw(st.sampled_from(("L", "RGB", "1", "P", "RGBA", "I;16", "CMYK")))
    fmt = draw(st.sampled_from(("PNG", "JPEG", "TIFF", "GIF", "BMP", "WEBP")))
    image = Image.new(mode if not (fmt == "JPEG" and mode in ("RGBA", "P", "I;16")) else "L", size, draw(st.integers(0, 255)))
    buffer = io.BytesIO()
    try:
        image.save(buffer, format=fmt)
    except (OSError, ValueError, KeyError):
        image.convert("L").save(buffer, format="PNG")
    data = buffer.getvalue()
    return draw(mutated_bytes(data)) if kind == 4 else data


@st.composite
def document_inputs(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind <= 3:
        return draw(hand_made_pdfs())
    if kind <= 5:
        data = reportlab_notice(draw(st.integers(0, 20)))
        return draw(mutated_bytes(data)) if kind == 5 else data
    if kind <= 8:
        return draw(pictures())
    return draw(st.binary(max_size=300))


# --- Per target ---------------------------------------------------------------------------------

STRATEGIES: dict[str, st.SearchStrategy[bytes]] = {
    "notice-text": notice_text_inputs(),
    "notice-document": document_inputs(),
    "transcript": transcript_inputs(),
    "scenario": structured_files(scenario_values),
    "records": structured_files(records_values),
    "finances": structured_files(finances_values),
    "estimated-tax": structured_files(estimated_tax_values),
    "scam": scam_inputs(),
}


def seed_inputs(target: str) -> list[bytes]:
    """Real, valid inputs to start mutating from (the atheris corpus seeds)."""
    examples = REPO / "examples"
    structured = {
        "scenario": [examples / "scenario-late-filer.json"],
        "records": [examples / "sample-records.json", *sorted(ANALYZE_FIXTURES.glob("records-*.json"))],
        "finances": sorted(ANALYZE_FIXTURES.glob("finances-*.json")),
    }
    if target in structured:
        return [encode_structured(".json", p.read_bytes()) for p in structured[target]]
    if target == "estimated-tax":
        sample = {
            "tax_year": 2005, "required_installments": ["1529.00"] * 4,
            "installment_due_dates": ["2005-04-15", "2005-06-15", "2005-09-15", "2006-01-15"],
            "withholding": "3228.00", "payments": [{"date": "2005-09-02", "amount": "1000.00"}],
            "paid_in_full_date": "2006-04-15",
        }
        return [encode_structured(".json", json.dumps(sample).encode()), encode_structured(".yaml", yaml.safe_dump(sample).encode())]
    if target == "notice-text":
        return [t.encode() for t in notice_texts()]
    if target == "notice-document":
        return [(examples / "sample-cp14.pdf").read_bytes(), reportlab_notice(0)]
    if target == "transcript":
        return [t.encode() for t in transcript_texts()]
    if target == "scam":
        return [b"t" + t.encode() for t in scam_texts()]
    raise KeyError(target)


__all__ = ["STRATEGIES", "pdf_from_objects", "png_with_size", "seed_inputs", "stream"]
