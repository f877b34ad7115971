"""The identifier scrubber (balancedue.identifiers), over every separator, prefix and placement.

A full id is built from nine digits, grouped as an SSN/ITIN (3-2-4), an EIN (2-7) or not at all,
joined by any separator the module names (and none), optionally glued to a prefix (SSN, TIN,
ITIN, EIN, with or without a mark between), and placed at the start, in the middle or at the end
of text without other digits, or in a file name.  Whatever the combination, the masked text
holds exactly the id's last four digits and nothing else changed.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from balancedue.errors import InputError, mask_full_ids
from balancedue.identifiers import DASHES, INVISIBLE, SEPARATORS, contains, find, mask, mask_value
from balancedue.intake.values import mask_ids
from balancedue.letters.identifiers import find_full_ids

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids

SPACES = [" ", "\u00a0", "\u2007", "\u202f", "\u3000", "\t", *INVISIBLE]
VISIBLE = list(SEPARATORS)
SEPARATOR = st.one_of(
    st.sampled_from(VISIBLE),
    st.sampled_from(SPACES),
    st.builds(lambda mark, space: f"{space}{mark}{space}", st.sampled_from(VISIBLE), st.sampled_from([" ", "\u00a0"])),
)
PREFIX = st.sampled_from(["", "SSN", "ssn", "TIN", "ITIN", "EIN", "Ein", "SSN#", "Social Security Number"])
GLUE = st.sampled_from(["", "_", "-", ":", ": ", " ", "\u2013", ".", "#"])
# Text around the id: no digits (the id is the only number) and anything else, Unicode included.
AROUND = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=30)
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdecimal())


@st.composite
def written_ids(draw: st.DrawFn) -> tuple[str, str]:
    """(the id as written, its nine digits)."""
    digits = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    shape = draw(st.sampled_from(["ssn", "ein", "bare"]))
    if shape == "ssn":
        written = digits[:3] + draw(SEPARATOR) + digits[3:5] + draw(SEPARATOR) + digits[5:]
    elif shape == "ein":
        written = digits[:2] + draw(SEPARATOR) + digits[2:]
    else:
        written = digits
    if draw(st.booleans()):
        written = written.translate(FULLWIDTH)
    return written, digits


@settings(max_examples=600, deadline=None)
@given(written_ids(), PREFIX, GLUE, AROUND, AROUND, st.sampled_from(["text", "file name"]))
@example((sample_ids.OTHER_SSN, sample_ids.OTHER_SSN.replace("-", "")), "", "", "Smith ", " CP14.txt", "text")
@example((sample_ids.OTHER_SSN, sample_ids.OTHER_SSN.replace("-", "")), "", "", "CP14_", ".pdf", "text")
@example(("123\u201345\u20136789", "123456789"), "SSN", "", "", "", "text")
@example((sample_ids.OTHER_SSN, sample_ids.OTHER_SSN.replace("-", "")), "SSN", "_", "", "", "text")
@example(("123.45.6789", "123456789"), "", "", "", "", "text")
def test_every_full_id_is_masked_to_its_last_four(
    written: tuple[str, str], prefix: str, glue: str, before: str, after: str, placement: str
) -> None:
    number, digits = written
    head, tail = f"{before}{prefix}{glue if prefix else ''}", after
    if placement == "file name":
        head, tail = f"{before.replace('/', '_')}{prefix}", f"{after.replace('/', '_')}.pdf"
    text = head + number + tail
    masked = mask(text)
    # The explicit examples put digits around the id ("CP14_"); the drawn text has none.
    assert _digits(masked) == _digits(head) + _digits(number)[-4:] + _digits(tail), (text, masked)
    assert len(masked) == len(text)
    assert [c for c in masked if not c.isdecimal() and c != "X"] == [
        c for c in text if not c.isdecimal() and c != "X"
    ]
    assert contains(text)
    assert not contains(masked)
    assert find(text), text
    # The three former entry points are the same scrubber now.
    assert mask_ids(text) == masked == mask_full_ids(text)
    assert find_full_ids(text)
    message = InputError(f"bad value {text}").message
    assert "".join(str(unicodedata.digit(c)) for c in _digits(message)).find(digits) == -1


@given(written_ids(), written_ids(), AROUND)
def test_several_ids_in_one_text_are_all_masked(first: tuple[str, str], second: tuple[str, str], middle: str) -> None:
    text = f"{first[0]} {middle} {second[0]}"
    masked = mask(text)
    assert _digits(masked) == _digits(first[0])[-4:] + _digits(second[0])[-4:]


@given(written_ids())
def test_nested_values_are_masked_everywhere(written: tuple[str, str]) -> None:
    number, _ = written
    value = {"note": number, number: [number, ("x", number)], "n": 3, "ok": None}
    assert not contains(repr(mask_value(value)))


def test_every_unicode_dash_is_a_separator() -> None:
    dashes = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Pd"}
    assert dashes <= set(DASHES), sorted(dashes - set(DASHES))


def test_numbers_that_are_not_ids_stay() -> None:
    kept = [
        "Kansas City, MO 64999-0023",  # ZIP+4 (no label before it)
        "Call 800-829-1040 or 1-800-829-1040",  # telephone
        "on 2024-06-10 or 06/10/2024",  # dates
        "amount due $12,345,678.90",  # money with cents
        "DLN 12345678901234",  # a 14-digit locator
        "1234567890",  # ten digits
        "SSN ending 6789",  # the last four
        "XXX-XX-6789",  # already masked
    ]
    for text in kept:
        assert mask(text) == text, text


def test_labelled_numbers_are_masked_however_grouped() -> None:
    # After a label, nine digits are an id in any grouping (here 5-4, like a ZIP+4).
    assert mask("SSN: 12345-6789") == "SSN: XXXXX-6789"
    assert mask("Employer Identification Number 123-456789") == "Employer Identification Number XXX-XX6789"
    assert re.fullmatch(r"TINXXXXX6789", mask("TIN123456789"))
