"""Every letter kind renders to text, PDF and DOCX, and all three carry the same facts.

The facts checked (notice code and number, tax year, the last four digits, every enclosure)
come from the fictional cases in letter_samples.py, not from the renderer.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from letter_reading import docx_paragraphs, docx_text, pdf_text, rendered, squash
from letter_samples import SAMPLES

from balancedue.letters import LetterKind
from balancedue.letters.layout import TEXT_WIDTH
from balancedue.rules import load_rules

RULES = load_rules()

GOLDEN = Path(__file__).parent / "golden"
KINDS = list(LetterKind)


def _expected_facts(kind: LetterKind) -> list[str]:
    ctx = SAMPLES[kind]
    facts = [str(ctx.tax_year), "ending 1234", *ctx.enclosures]
    facts += [value for value in (ctx.notice_code, ctx.notice_id) if value]
    if ctx.notice_code and ctx.notice_code.startswith("LTR"):
        facts.remove(ctx.notice_code)
        facts.append("Letter " + ctx.notice_code[3:])
    return facts


def test_every_kind_has_a_sample() -> None:
    assert set(SAMPLES) == set(LetterKind)


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_text_carries_the_facts(kind: LetterKind) -> None:
    text = squash(pdf_text(rendered(kind).pdf))
    for fact in _expected_facts(kind):
        assert squash(fact) in text, fact
    assert "Enclosed (copies, not originals):" in text


@pytest.mark.parametrize("kind", KINDS)
def test_docx_paragraphs_carry_the_facts(kind: LetterKind) -> None:
    paragraphs = docx_paragraphs(rendered(kind).docx)
    joined = squash("\n".join(paragraphs))
    for fact in _expected_facts(kind):
        assert squash(fact) in joined, fact
    for enclosure in SAMPLES[kind].enclosures:
        assert f"- {enclosure}" in paragraphs, "each enclosure is its own paragraph"


@pytest.mark.parametrize("kind", KINDS)
def test_text_pdf_and_docx_say_the_same_words(kind: LetterKind) -> None:
    letter = rendered(kind)
    words = squash(letter.text)
    assert squash(docx_text(letter.docx)) == words
    pdf_words = squash(pdf_text(letter.pdf))
    # The PDF differs only by the running head of later pages ("name, date, page N").
    head = f"{SAMPLES[kind].signature_name}, "
    pdf_words = re.sub(re.escape(head) + r"\w+ \d+, \d{4}, page \d+ ", "", pdf_words)
    assert pdf_words == words


@pytest.mark.parametrize("kind", KINDS)
def test_letter_structure(kind: LetterKind) -> None:
    text = rendered(kind).text
    lines = text.splitlines()
    ctx = SAMPLES[kind]
    assert lines[0] == "June 10, 2025" or lines[0] == "June 5, 2025"
    assert ctx.irs_address[-1] in lines, "the IRS address block"
    assert any(line.startswith("Re: ") for line in lines)
    assert re.search(r"^1\. ", text, re.MULTILINE), "numbered requests"
    assert "Please confirm in writing" in text or "Please send the computation in writing" in text
    assert "certified mail, return receipt requested" in text
    assert "keeps a copy" in text
    assert lines[-1] != ""
    assert text.endswith("\n")
    assert max(len(line) for line in lines) <= TEXT_WIDTH


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_and_docx_are_real_files(kind: LetterKind) -> None:
    letter = rendered(kind)
    assert letter.pdf.startswith(b"%PDF-")
    assert letter.docx.startswith(b"PK"), "a DOCX is a zip package"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+", letter.filename_stem)
    assert SAMPLES[kind].taxpayer_name.split()[0].lower() not in letter.filename_stem


def test_pdf_is_the_same_bytes_each_run() -> None:
    from balancedue.letters import render_letter

    first = render_letter(SAMPLES[LetterKind.DISPUTE], RULES)
    second = render_letter(SAMPLES[LetterKind.DISPUTE], RULES)
    assert first.pdf == second.pdf
    assert first.text == second.text


@pytest.mark.parametrize("kind", KINDS)
def test_text_matches_golden_file(kind: LetterKind, update_golden: bool) -> None:
    path = GOLDEN / f"{kind.value}.txt"
    text = rendered(kind).text
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}; run pytest tests/letters --update-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{kind.value} letter changed; review it and run pytest tests/letters --update-golden"
    )
