"""How fast the scam check reads a megabyte of text (measured, never asserted).

The inputs are the worst shapes for the phrase and pattern searches: a word boundary at every
other character, one long word, digits, and a guidance phrase repeated so that every match
is looked at for negation.
"""

from __future__ import annotations

from typing import Any

import pytest

from balancedue.advice.scam import check_message
from balancedue.rules import load_rules
from balancedue.rules.scam_signals import Channel

MEGABYTE = 1_000_000

INPUTS = {
    "dotted": "a." * (MEGABYTE // 2),
    "one-long-word": "x" * MEGABYTE,
    "digits": "9" * MEGABYTE,
    "negated-repeats": "never gift card " * (MEGABYTE // 16),
    "letter-words": ("Notice CP504 tax year 2023 amount due pay by check to the United States "
                     "Treasury if you disagree call us ") * (MEGABYTE // 100),
}


@pytest.mark.parametrize("shape", sorted(INPUTS))
def test_bench_scam_check_one_megabyte(benchmark: Any, shape: str) -> None:
    rules = load_rules()
    text = INPUTS[shape]
    verdict = benchmark.pedantic(
        check_message, args=(text, rules), kwargs={"channel": Channel.LETTER}, rounds=3
    )
    assert verdict.verdict is not None
