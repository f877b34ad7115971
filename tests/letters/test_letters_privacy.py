"""No letter shows a whole taxpayer id: a full SSN, ITIN or EIN anywhere in the input is refused.

Decision: refuse, not mask.  The letter quotes the taxpayer's words; rewriting a number
silently could change what they meant (and a nine-digit number may not be an id at all), so
the error names the field and shows the number masked, and the taxpayer decides.
"""

from __future__ import annotations

import re
import sys as _sys
from dataclasses import replace
from pathlib import Path as _Path

import pytest
from letter_reading import docx_text, pdf_text, rendered
from letter_samples import FULL_IDS, SAMPLES

from balancedue.errors import InputError
from balancedue.letters import IdKind, LetterKind, find_full_ids, mask_id, render_letter

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids

from balancedue.rules import load_rules

RULES = load_rules()

KINDS = list(LetterKind)
# Independent of the code under test: nine digits, bare or grouped 3-2-4 (same separator
# twice) or 2-7.  A ZIP+4 (5-4) is not an id.
NINE_DIGITS = re.compile(r"(?<!\d)(?:\d{9}|\d{3}([- ])\d{2}\1\d{4}|\d{2}-\d{7})(?!\d)")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@pytest.mark.parametrize("kind", KINDS)
def test_no_nine_digit_number_in_any_form(kind: LetterKind) -> None:
    letter = rendered(kind)
    for form in (letter.text, pdf_text(letter.pdf), docx_text(letter.docx)):
        assert not NINE_DIGITS.search(form)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("full_id", FULL_IDS)
def test_full_id_in_facts_is_refused_without_echoing_it(kind: LetterKind, full_id: str) -> None:
    ctx = SAMPLES[kind]
    bad = replace(ctx, facts=f"{ctx.facts}\n\nMy number is {full_id}.".strip())
    with pytest.raises(InputError) as caught:
        render_letter(bad, RULES)
    message = str(caught.value)
    assert "facts" in message
    assert _digits(full_id) not in _digits(message), "the message must not repeat the full id"
    assert "XXX-XX-" + _digits(full_id)[-4:] in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("taxpayer_address", ("123 Elm Street", "Springfield, IL 62704", f"SSN {sample_ids.THIRD_SSN}")),
        ("enclosures", ("W-2 for 987654321",)),
        ("requests", ("Update the record of 12-3456789.",)),
        ("notice_id", "987654321"),
        ("taxpayer_id_last4", "987654321"),
        ("taxpayer_name", "Jordan Sample 987 65 4321"),
        ("signature_name", f"Jordan Sample, {sample_ids.ITIN}"),
    ],
)
def test_full_id_in_any_field_is_refused(field: str, value: object) -> None:
    bad = replace(SAMPLES[LetterKind.DISPUTE], **{field: value})
    with pytest.raises(InputError, match=field):
        render_letter(bad, RULES)


def test_full_id_in_a_cp2000_item_is_refused() -> None:
    ctx = SAMPLES[LetterKind.CP2000_RESPONSE]
    bad = replace(ctx, cp2000_items=((f"W-2 for SSN {sample_ids.THIRD_SSN}", "disagree", "Not mine."),))
    with pytest.raises(InputError, match=r"cp2000_items\[1\]"):
        render_letter(bad, RULES)


@pytest.mark.parametrize(
    "harmless",
    [
        "Call me at (217) 555-0143 or 217-555-0143.",  # phone: 10 digits
        "ZIP 62704-1234 and 64999-0023.",  # ZIP+4
        "Paid $123,456,789.00 on 2024-04-15.",  # money and an ISO date
        "Confirmation 1234567890123.",  # 13 digits: not an id
    ],
)
def test_numbers_that_are_not_ids_pass(harmless: str) -> None:
    assert find_full_ids(harmless) == []
    render_letter(replace(SAMPLES[LetterKind.DISPUTE], facts=harmless), RULES)


def test_masks_show_only_the_last_four() -> None:
    assert mask_id("1234") == "XXX-XX-1234"
    assert mask_id("6789", IdKind.EIN) == "XX-XXX6789"


def test_ein_letter_names_the_ein() -> None:
    letter = render_letter(replace(SAMPLES[LetterKind.DISPUTE], id_kind=IdKind.EIN), RULES)
    assert "EIN ending 1234" in letter.text
    assert "SSN" not in letter.text
