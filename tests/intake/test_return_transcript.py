"""Reading a tax return transcript (tests/fixtures/return_check/trt-2024.txt, fictional)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.errors import InputError
from balancedue.intake.return_transcript import read_return_transcript

TEXT = (Path(__file__).resolve().parents[1] / "fixtures" / "return_check" / "trt-2024.txt").read_text(encoding="utf-8")


def test_the_return_as_filed_is_read_by_its_labels() -> None:
    transcript = read_return_transcript(TEXT)
    assert (transcript.tax_year, transcript.filing_status) == (2024, "single")
    f = transcript.figures
    assert f["wages"] == Decimal("40000.00")
    assert f["agi"] == Decimal("40000.00")
    assert f["total_tax"] == Decimal("2819.00")
    assert f["taxable_interest"] == 0
    assert "tax_exempt" not in f  # a line that does not enter the computation is not taken


def test_the_filed_figure_wins_over_the_per_computer_one_and_other_income_adds_up() -> None:
    text = TEXT.replace("TOTAL TAX LIABILITY TP FIGURES PER COMPUTER: $2,819.00",
                        "TOTAL TAX LIABILITY TP FIGURES PER COMPUTER: $3,000.00")
    text = text.replace("OTHER INCOME: $0.00", "OTHER INCOME: $150.00\nUNEMPLOYMENT COMPENSATION: $1,000.00")
    text = text.replace("CAPITAL GAIN OR LOSS: (Schedule D): $0.00", "CAPITAL GAIN OR LOSS: (Schedule D): -$3,000.00")
    f = read_return_transcript(text).figures
    assert f["total_tax"] == Decimal("2819.00")
    assert f["other_income"] == Decimal("1150.00")
    assert f["capital_gain"] == Decimal("-3000.00")


def test_only_a_per_computer_line_is_used_when_it_is_the_only_one() -> None:
    text = TEXT.replace("TOTAL TAX LIABILITY TP FIGURES: $2,819.00\n", "")
    assert read_return_transcript(text).figures["total_tax"] == Decimal("2819.00")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("Tax Return Transcript", "Account Transcript"), "not a tax return transcript"),
        (("Tax Period Ending: Dec. 31, 2024", "Tax Period Ending: soon"), "tax year is unknown"),
        (("FILING STATUS: Single", "FILING STATUS: Complicated"), "filing status (Complicated)"),
    ],
)
def test_what_cannot_be_read_is_one_clear_line(change: tuple[str, str], message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_return_transcript(TEXT.replace(*change))
    assert message in str(caught.value)
