"""Worked cases of the return check (tests/fixtures/return_check), every figure derived by hand.

The 2024 figures used by hand (Rev. Proc. 2023-34; IRC 1, 63):
  standard deduction: single $14,600, head of household $21,900;
  single: 10% to $11,600 (tax there $1,160), 12% to $47,150 (tax there $5,426), then 22%;
  head of household: 10% to $16,550 (tax there $1,655), then 12% to $63,100.
Taxable income under $100,000 is taxed by the tax table: the tax at the middle of the $50 line
holding it, rounded to the dollar (a line $30,950-$31,000 is taxed at $30,975).
Self-employment tax (IRC 1401, 1402): net earnings = profit x 92.35%; 12.4% + 2.9% of them;
half of the tax is deducted in figuring AGI (IRC 164(f)).
EIC Table (Publication 596): the credit at the middle of the $50 line, rounded to the dollar;
2024 with two children: 40% up to $17,400 (maximum $6,960), less 21.06% above $22,720
(not joint); one child: maximum $4,213, less 15.98% above $22,720.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from balancedue.advice.return_check import ItemVerdict, ReturnCheck, ReturnComparison, check_return
from balancedue.advice.return_summary import Position, parse_return_summary
from balancedue.errors import InputError
from balancedue.rules import RuleSet
from balancedue.services.return_check import load_return_summary, response_fields, section_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "return_check"
D = Decimal


def check(name: str, rules: RuleSet, **notice: Decimal) -> ReturnCheck:
    return check_return(load_return_summary(FIXTURES / name), rules, **notice)


def figure(result: ReturnCheck, what: str) -> ReturnComparison:
    return next(c for c in result.comparisons if c.what.startswith(what))


def test_unreported_1099_nec_adds_income_tax_and_self_employment_tax(rules: RuleSet) -> None:
    # As filed: taxable 40,000 - 14,600 = 25,400; line 25,400-25,450, middle 25,425:
    #   1,160 + 12% x (25,425 - 11,600) = 1,160 + 1,659 = 2,819.
    # As the notice counts the $6,000: net earnings 6,000 x 0.9235 = 5,541.00;
    #   12.4% = 687.084 -> 687.08; 2.9% = 160.689 -> 160.69; SE tax 847.77; half 423.885 -> 423.89.
    #   AGI 40,000 + 6,000 - 423.89 = 45,576.11; taxable 30,976.11; line middle 30,975:
    #   1,160 + 12% x 19,375 = 3,485.  Increase 3,485 - 2,819 + 847.77 = 1,513.77 (the notice's figure).
    # With $1,000 of expenses, profit 5,000: net earnings 4,617.50; 12.4% = 572.57; 2.9% = 133.9075
    #   -> 133.91; SE tax 706.48; half 353.24. AGI 44,646.76; taxable 30,046.76; middle 30,025:
    #   1,160 + 12% x 18,425 = 3,371. Increase 3,371 - 2,819 + 706.48 = 1,258.48.
    result = check("nec.yaml", rules)
    assert (result.filed.income_tax, result.filed.total_tax) == (D("2819.00"), D("2819.00"))
    assert result.as_proposed.se_tax == D("847.77")
    assert result.as_proposed.agi == D("45576.11")
    assert result.as_proposed.income_tax == D("3485.00")
    increase = figure(result, "increase in tax")
    assert (increase.notice, increase.recomputed, increase.yours) == (D("1513.77"), D("1513.77"), D("1258.48"))
    assert increase.matches is True
    (item,) = result.items
    assert item.irs_effect.se_tax == D("847.77")
    assert item.irs_effect.agi == D("5576.11")
    assert item.your_effect.se_tax == D("706.48")
    assert item.your_effect.total_tax == D("1258.48")
    assert (item.position, item.verdict, item.your_amount) == (Position.PARTLY_AGREE, ItemVerdict.OVERSTATED, D("5000.00"))
    assert any("Schedule C" in document for document in item.send)
    assert any("IRC 199A" in note for note in result.notes)  # the QBI deduction is said to be left out


def test_1099_b_without_basis_counts_proceeds_as_gain_and_the_penalty_falls_away(rules: RuleSet) -> None:
    # As filed: taxable 60,000 - 14,600 = 45,400; middle 45,425: 1,160 + 12% x 33,825 = 5,219.
    # The notice adds the $30,000 proceeds as short-term gain: taxable 75,400; middle 75,425:
    #   5,426 + 22% x (75,425 - 47,150) = 5,426 + 6,220.50 = 11,646.50 -> 11,647; increase 6,428.
    # IRC 6662: 20% x 6,428 = 1,285.60; substantial: 6,428 > max(10% x 11,647, 5,000) = 5,000.
    # With the basis of $28,500 the gain is $1,500: taxable 46,900; middle 46,925:
    #   1,160 + 12% x 35,325 = 5,399; increase 180, not over 5,000: no substantial-understatement penalty.
    # Interest (the notice's $512.40 on 6,428 + 1,285.60 = 7,713.60) in proportion to 180:
    #   512.40 x 180 / 7,713.60 = 11.957 -> 11.96.
    result = check("brokerage.yaml", rules, notice_tax=D("6428.00"), notice_penalty=D("1285.60"),
                   notice_interest=D("512.40"), notice_amount_due=D("8226.00"))
    increase = figure(result, "increase in tax")
    assert (increase.recomputed, increase.yours, increase.matches) == (D("6428.00"), D("180.00"), True)
    penalty = figure(result, "accuracy-related penalty")
    assert (penalty.notice, penalty.recomputed, penalty.yours, penalty.matches) == (D("1285.60"), D("1285.60"), D("0"), True)
    assert "does not apply" in penalty.note
    assert figure(result, "interest").yours == D("11.96")
    owed = figure(result, "change in the amount owed")
    assert (owed.notice, owed.recomputed) == (D("6428.00"), D("6428.00"))  # 8,226.00 - 1,285.60 - 512.40
    (item,) = result.items
    assert (item.position, item.your_amount) == (Position.PARTLY_AGREE, D("1500.00"))
    assert "the broker reported no basis" in item.explanation()
    assert any("Form 8949" in document for document in item.send)


def test_a_1099_b_without_basis_and_no_basis_given_is_flagged(rules: RuleSet) -> None:
    summary = parse_return_summary({
        "tax_year": 2024, "filing_status": "single", "return": {"wages": "60000.00"},
        "notice": {"items": [{"form": "Form 1099-B", "payer": "Northwind Brokerage", "amount": "30000.00"}]},
    })
    (item,) = check_return(summary, rules).items
    assert item.item.form == "1099-B"
    assert "send your basis" in item.explanation()
    assert item.position is Position.AGREE  # nothing is disputed until the basis is given


def test_1099_int_already_on_the_return_is_disagreed_with(rules: RuleSet) -> None:
    # As filed: taxable 51,200 - 14,600 = 36,600; middle 36,625: 1,160 + 12% x 25,025 = 4,163.
    # Counted twice: taxable 37,800; middle 37,825: 1,160 + 12% x 26,225 = 4,307; increase 144 (the
    # notice's figure).  The return already has it (same form and payer, names compared without case
    # or punctuation): nothing more is owed, and the interest on nothing is 0.00.
    result = check("interest_reported.yaml", rules)
    increase = figure(result, "increase in tax")
    assert (increase.notice, increase.recomputed, increase.yours) == (D("144.00"), D("144.00"), D("0.00"))
    assert figure(result, "interest").yours == D("0.00")
    (item,) = result.items
    assert (item.position, item.verdict) == (Position.DISAGREE, ItemVerdict.WRONG)
    assert "already reported on Schedule B line 1" in item.explanation()
    assert result.position is Position.DISAGREE


def test_added_income_moves_the_earned_income_credit_down_its_phase_out(rules: RuleSet) -> None:
    # As filed (head of household, two children, wages 40,000):
    #   EIC at 40,000: middle 40,025: 6,960 - 21.06% x (40,025 - 22,720) = 6,960 - 3,644.433 -> 3,316.
    #   Taxable 40,000 - 21,900 = 18,100; middle 18,125: 1,655 + 12% x 1,575 = 1,844.
    # As the notice counts the $3,000 (other income, not earned): AGI 43,000 >= 22,720, so the credit
    #   is the smaller of the credit at earned income (3,316) and at AGI: middle 43,025:
    #   6,960 - 21.06% x 20,305 = 6,960 - 4,276.233 -> 2,684 (the notice's credit).
    #   Taxable 21,100; middle 21,125: 1,655 + 12% x 4,575 = 2,204; increase 360.
    #   Owed: +360 tax, +632 less credit = 992 (the notice's amount due).
    # With the corrected form ($1,000): AGI 41,000; middle 41,025: 6,960 - 21.06% x 18,305
    #   = 6,960 - 3,855.033 -> 3,105. Taxable 19,100; middle 19,125: 1,655 + 12% x 2,575 = 1,964;
    #   increase 120; owed 120 + (3,316 - 3,105) = 331.
    result = check("eitc_phaseout.yaml", rules)
    assert result.filed.eitc == D("3316.00")
    assert result.filed.total_tax == D("1844.00")
    credit = figure(result, "earned income credit")
    assert (credit.notice, credit.recomputed, credit.yours, credit.matches) == (D("2684.00"), D("2684"), D("3105"), True)
    assert (figure(result, "increase in tax").recomputed, figure(result, "increase in tax").yours) == (D("360.00"), D("120.00"))
    owed = figure(result, "change in the amount owed")
    assert (owed.notice, owed.recomputed, owed.yours, owed.matches) == (D("992.00"), D("992.00"), D("331.00"), True)
    (item,) = result.items
    assert item.irs_effect.eitc == D("-632")
    assert (item.position, item.your_amount) == (Position.PARTLY_AGREE, D("1000.00"))
    assert any("corrected 1099-MISC" in document for document in item.send)


def test_a_math_error_in_the_earned_income_credit_is_checked_against_the_table(rules: RuleSet) -> None:
    # Head of household, one child, wages 30,000; the return claimed 3,500.
    # EIC at 30,000: middle 30,025: 4,213 - 15.98% x (30,025 - 22,720) = 4,213 - 1,167.339 -> 3,046.
    # The notice cut the credit to 2,946 (owed +554); the table gives 3,046, so owed +454 only.
    result = check("eitc_math_error.yaml", rules)
    credit = figure(result, "earned income credit")
    assert (credit.notice, credit.recomputed, credit.matches) == (D("2946.00"), D("3046"), False)
    owed = figure(result, "change in the amount owed")
    assert (owed.notice, owed.recomputed, owed.matches) == (D("554.00"), D("454.00"), False)
    assert any("claimed an earned income credit of $3,500.00" in note and "$3,046.00" in note for note in result.notes)
    assert result.position is Position.DISAGREE
    answers = response_fields(result).items
    assert answers == ("Earned income credit|disagree|The EIC Table gives $3,046.00 for the return as the notice "
                       "changes it, not $2,946.00.",)


def test_a_proposal_that_is_right_is_agreed_with(rules: RuleSet) -> None:
    # As filed 2,819 (see the 1099-NEC case). With $500 of interest: taxable 25,900; middle 25,925:
    #   1,160 + 12% x 14,325 = 2,879; increase 60.00, as the notice says; interest 4.37 stays 4.37.
    result = check("right.yaml", rules, notice_tax=D("60.00"), notice_interest=D("4.37"), notice_amount_due=D("64.37"))
    increase = figure(result, "increase in tax")
    assert (increase.notice, increase.recomputed, increase.yours, increase.matches) == (D("60.00"), D("60.00"), D("60.00"), True)
    assert figure(result, "interest").yours == D("4.37")
    (item,) = result.items
    assert (item.position, item.verdict) == (Position.AGREE, ItemVerdict.RIGHT)
    assert result.position is Position.AGREE
    assert result.enclosures == ()
    assert "The notice's figure is reproduced" in result.summary


def test_nominee_and_duplicate_forms_are_disagreed_with_and_twins_flagged(rules: RuleSet) -> None:
    summary = parse_return_summary({
        "tax_year": 2024, "filing_status": "single", "return": {"wages": "40000.00"},
        "notice": {"items": [
            {"form": "1099-DIV", "payer": "Harbor Funds", "amount": "800.00", "nominee": True},
            {"form": "1099-NEC", "payer": "Acme Design LLC", "amount": "2000.00"},
            {"form": "1099-NEC", "payer": "ACME DESIGN, LLC", "amount": "2000.00", "duplicate": True},
        ]},
    })
    nominee, first, second = check_return(summary, rules).items
    assert nominee.position is Position.DISAGREE
    assert "nominee" in nominee.explanation()
    assert second.position is Position.DISAGREE
    assert second.your_amount == 0
    assert first.position is Position.AGREE


def test_a_year_outside_the_calculator_is_said_plainly(rules: RuleSet) -> None:
    summary = parse_return_summary({"tax_year": 2016, "filing_status": "single", "return": {"wages": "40000.00"}})
    section = section_for(summary, None, rules)
    assert section.runs == []
    assert section.answer == "undetermined"
    assert "outside the calculator's coverage (2018-2025)" in section.summary
    assert "nothing is estimated" in section.summary


def test_a_year_without_credit_data_keeps_the_credit_as_claimed_and_says_so(rules: RuleSet) -> None:
    summary = parse_return_summary({
        "tax_year": 2022, "filing_status": "single",
        "return": {"wages": "15000.00", "earned_income_credit": "300.00"},
    })
    result = check_return(summary, rules)
    assert result.as_proposed.eitc == D("300.00")
    assert any("earned income credit for 2022 is not in the rules data" in note for note in result.notes)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"filing_status": "single", "return": {}}, "tax_year"),
        ({"tax_year": 2024, "filing_status": "married", "return": {}}, "filing_status"),
        ({"tax_year": 2024, "filing_status": "single", "return": {"wages": 40000.5}}, "wages must be written as a string"),
        ({"tax_year": 2024, "filing_status": "single", "return": {"wage": "1.00"}}, "return.wage"),
    ],
)
def test_a_bad_summary_is_one_clear_line(raw: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match="return summary") as caught:
        parse_return_summary(raw)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_documented_example_is_a_valid_summary() -> None:
    import re

    import yaml

    text = (Path(__file__).resolve().parents[2] / "docs" / "return-summary.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert block is not None
    summary = parse_return_summary(yaml.safe_load(block.group(1)))
    assert summary.notice.items[0].basis == D("28500.00")
    assert summary.return_.items[0].where == "Schedule B line 1"


def test_the_child_tax_credit_absorbs_part_of_the_added_tax(rules: RuleSet) -> None:
    # As filed (head of household, two children, wages 20,000): taxable 0, tax 0. Credit 4,000;
    #   refundable: smaller of 4,000, 3,400 and 15% x 17,500 = 2,625 (as claimed).
    # With the $6,000 1099-NEC: SE tax 847.77, half 423.89 (see the 1099-NEC case); AGI 25,576.11;
    #   taxable 3,676.11, line 3,650-3,700, middle 3,675: 10% = 367.50 -> 368.
    #   Nonrefundable credit 368; refundable: smaller of 4,000 - 368 = 3,632, 3,400 and
    #   15% x (25,576.11 - 2,500) = 3,461.4165 -> 3,461.42: 3,400. Credit 3,768.
    #   Line 24: 368 - 368 + 847.77 = 847.77. Owed: 847.77 - 3,400 vs 0 - 2,625: +72.77.
    result = check("ctc.yaml", rules)
    assert result.as_proposed.income_tax == D("368.00")
    assert result.as_proposed.ctc == D("3768.00")
    assert figure(result, "increase in tax").recomputed == D("847.77")
    assert figure(result, "change in the amount owed").recomputed == D("72.77")
    assert figure(result, "child tax credit").recomputed == D("3768.00")
    assert not any("claimed a child tax credit" in note for note in result.notes)  # 2,625 is right


def test_a_tax_return_transcript_gives_the_return_as_filed(rules: RuleSet) -> None:
    # The transcript holds the same return as right.yaml (single, wages 40,000, total tax 2,819), so
    # the Lakeside 1099-INT adds 60.00, as derived in the right-proposal case.
    result = check("from-transcript.yaml", rules)
    assert figure(result, "increase in tax").recomputed == D("60.00")
    assert result.notes[0].startswith("The return's figures were read from the tax return transcript: WAGES")
    assert not any("not what the recomputation gives" in note for note in result.notes)  # AGI and tax agree


def test_a_transcript_does_not_say_how_many_children_the_credit_was_for(rules: RuleSet, tmp_path: Path) -> None:
    text = (FIXTURES / "trt-2024.txt").read_text(encoding="utf-8")
    (tmp_path / "trt.txt").write_text(text.replace("EARNED INCOME CREDIT: $0.00", "EARNED INCOME CREDIT: $600.00"),
                                      encoding="utf-8")
    result = check_return(load_return_summary(tmp_path / "trt.txt"), rules)
    assert result.as_proposed.eitc == D("600.00")  # kept as claimed
    assert any("number of qualifying children for the earned income credit is not known" in n for n in result.notes)
    (tmp_path / "with.yaml").write_text("return_transcript: trt.txt\nreturn:\n  eitc_children: 1\n", encoding="utf-8")
    # 2024, one child, 40,000 (under the 49,084 end of the phase-out): middle 40,025:
    # 4,213 - 15.98% x (40,025 - 22,720) = 4,213 - 2,765.339 = 1,447.66 -> 1,448.
    assert check_return(load_return_summary(tmp_path / "with.yaml"), rules).as_proposed.eitc == D("1448")


def test_a_summary_and_its_transcript_must_agree_on_the_year(tmp_path: Path) -> None:
    (tmp_path / "trt.txt").write_text((FIXTURES / "trt-2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "s.yaml").write_text("tax_year: 2023\nreturn_transcript: trt.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="tax_year is 2023 but the tax return transcript says 2024"):
        load_return_summary(tmp_path / "s.yaml")


def test_a_sale_at_a_loss_is_disagreed_with_and_the_loss_lowers_the_tax(rules: RuleSet) -> None:
    # Wages 60,000 (tax 5,219, see the 1099-B case). Proceeds 10,000, basis 12,000: a loss of 2,000,
    # within the 3,000 a year allowed against other income (IRC 1211(b)): taxable 43,400; middle
    # 43,425: 1,160 + 12% x 31,825 = 4,979; the tax falls by 240.
    summary = parse_return_summary({
        "tax_year": 2024, "filing_status": "single", "return": {"wages": "60000.00"},
        "notice": {"items": [{"form": "1099-B", "payer": "Northwind Brokerage", "amount": "10000.00", "basis": "12000.00"}]},
    })
    result = check_return(summary, rules)
    (item,) = result.items
    assert (item.position, item.your_amount, item.verdict) == (Position.DISAGREE, D("-2000.00"), ItemVerdict.WRONG)
    assert figure(result, "increase in tax").yours == D("-240.00")


def test_the_response_statement_for_an_item_already_reported(rules: RuleSet) -> None:
    fields = response_fields(check("interest_reported.yaml", rules))
    assert fields.items == ("Form 1099-INT from FIRST COMMUNITY BANK, $1,200.00|disagree|The Form 1099-INT from FIRST "
                            "COMMUNITY BANK ($1,200.00) is already reported on Schedule B line 1; counting it again "
                            "doubles it.",)
    assert "I owe no more tax for 2024 than my return shows, not the increase of $144.00" in fields.facts
    assert "Please figure the interest again" in fields.facts
    assert fields.enclosures == ("Copy of the 1099-INT from FIRST COMMUNITY BANK and the page of the return that "
                                 "reports it (Schedule B line 1)",)
