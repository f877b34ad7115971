"""A person in the loop: ``--set FIELD=VALUE`` on read, analyze and case new, and the prompt.

The notice (tests/fixtures/intake/layouts/cp14_no_date.txt) is the hand-typed CP14 of the field
tests with its notice date left out: the date cannot be read, so the person supplies it.
Its figures: amount due $1,060.00, pay by July 1, 2024, tax year 2023.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))

from case_harness import data_dir as data_dir

from balancedue.cli import app
from balancedue.cli import given as cli_given
from balancedue.intake import read_document
from balancedue.intake.confidence import HIGH
from balancedue.intake.given import GIVEN_PARSER, fields_to_ask
from balancedue.rules import load_rules

RULES = load_rules()

NOTICE = Path(__file__).resolve().parents[1] / "fixtures" / "intake" / "layouts" / "cp14_no_date.txt"
runner = CliRunner()


def _json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_read_without_the_date_then_with_it_given() -> None:
    read = _json("read", str(NOTICE))
    assert read["notice_date"]["value"] is None
    given = _json("read", str(NOTICE), "--set", "notice_date=June 10, 2024")
    assert given["notice_date"]["value"] == "2024-06-10"
    assert given["notice_date"]["parser"] == GIVEN_PARSER
    assert given["notice_date"]["level"] == "given"
    assert "notice_date" not in given["needs_review"]
    # A value that was read can be corrected too; the rest stays as read.
    corrected = _json("read", str(NOTICE), "--set", "tax_year=2022", "--set", "amount_due=1,050.00")
    assert corrected["tax_year"]["value"] == 2022
    assert corrected["amount_due"]["value"] == "1050.00"
    assert corrected["pay_by_date"]["value"] == "2024-07-01"


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("notice_date=yesterday", "notice_date: 'yesterday' is not a date"),
        ("notice_date", "write it as FIELD=VALUE"),
        ("due=2024-06-10", "unknown field 'due'"),
        ("amount_due=lots", "amount_due: 'lots' is not an amount"),
        ("notice_code=hello", "notice_code: 'hello' is not a notice or letter number"),
    ],
)
def test_a_bad_set_value_is_one_line_and_exit_2(item: str, message: str) -> None:
    result = runner.invoke(app, ["read", str(NOTICE), "--set", item])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def _options(report: Any) -> dict[str, Any]:
    return {option["id"]: option for option in report["options"]["options"]}


def _amount(figure: Any) -> str | None:
    return None if figure is None else str(figure["amount"])


def test_analyze_without_the_date_lists_the_options_from_the_printed_amount() -> None:
    """Only the amount due ($1,060.00), the tax year and the printed pay-by date are read.

    By hand, taking the printed $1,060.00 as the balance on 2024-06-20 (--today):
    - pay in full: $1,060.00, the printed amount itself (nothing added: the notice date is unknown);
    - short-term plan (up to 180 days): paid on 2024-06-20 + 180 days = 2024-12-17, at the
      underpayment rate of 8% for the third and fourth quarters of 2024 (IRC 6621(a)(2)),
      compounded daily over the 366 days of 2024 (IRC 6622):
      1,060.00 x ((1 + 0.08/366)^180 - 1) = 42.5315 -> $42.53 interest, $1,102.53 in all;
    - setup fees before 2024-07-01 (26 CFR 300.1): an online agreement paid by direct debit $31.00
      (guaranteed and streamlined), one made by phone, mail or in person and paid by direct debit
      $107.00 (non-streamlined); an offer in compromise $205.00 (26 CFR 300.3, from 2020-04-27);
    - a guaranteed agreement pays within 3 years (IRC 6159(c)): 36 months, and the monthly amount
      covers what is owed: 35 payments of it fall short of the total, 36 do not.
    """
    without = _json("analyze", str(NOTICE), "--today", "2024-06-20")
    options = _options(without)
    assert list(options) == ["pay_in_full", "short_term_plan", "guaranteed_agreement", "streamlined_agreement",
                             "non_streamlined_agreement", "offer_in_compromise", "currently_not_collectible",
                             "first_time_abatement", "reasonable_cause", "dispute"]
    assert _amount(options["pay_in_full"]["total_cost"]) == "1060.00"
    short = options["short_term_plan"]
    assert (_amount(short["total_interest_and_penalty"]), _amount(short["total_cost"])) == ("42.53", "1102.53")
    assert "2024-12-17" in short["next_step"]
    assert _amount(options["guaranteed_agreement"]["setup_fee"]) == "31.00"
    assert _amount(options["streamlined_agreement"]["setup_fee"]) == "31.00"
    assert _amount(options["non_streamlined_agreement"]["setup_fee"]) == "107.00"
    assert _amount(options["offer_in_compromise"]["setup_fee"]) == "205.00"
    guaranteed = options["guaranteed_agreement"]
    assert guaranteed["months"] == 36
    monthly = Decimal(guaranteed["monthly_payment"]["amount"])
    owed = Decimal(guaranteed["total_cost"]["amount"]) - Decimal("31.00")  # the fee is paid apart from the instalments
    assert 35 * monthly < owed <= 36 * monthly
    assert owed == Decimal("1060.00") + Decimal(guaranteed["total_interest_and_penalty"]["amount"])
    # The first figure is the printed amount, said to leave out what needs the date.
    pay = without["pay_in_full_today"]
    assert _amount(pay["amount"]) == "1060.00"
    assert pay["amount"]["rule"] == "the notice"
    assert "need the notice date" in pay["basis"]
    assert any("Supply it with --set notice_date=YYYY-MM-DD" in note for note in pay["notes"])
    notes = " ".join(without["options"]["notes"])
    assert "start from the $1,060.00 printed on the notice, taken as the balance on 2024-06-20" in notes
    assert "Supply it with --set notice_date=YYYY-MM-DD" in notes
    # What counts from the notice date is not dated: only the printed pay-by date is a deadline.
    assert [d["date"] for d in without["deadlines"]] == ["2024-07-01"]
    assert without["if_you_do_nothing"]["notices_that_follow"] == []
    assert "need the notice date" in without["if_you_do_nothing"]["risks"][0]


def test_analyze_is_complete_once_the_date_is_given() -> None:
    """With --set notice_date=2024-06-10 the whole report: a CP14 is the notice and demand, so the
    amount billed holds for 21 calendar days (IRC 6601(e)(3)): June 10 + 21 days = July 1, 2024."""
    full = _json("analyze", str(NOTICE), "--today", "2024-06-20", "--set", "notice_date=2024-06-10")
    assert _options(full)["pay_in_full"]["eligible"] == "yes"
    read = {f["name"]: f for f in full["notice"]["fields"]}
    assert read["notice_date"]["value"] == "2024-06-10"
    assert "--set notice_date" not in " ".join(full["options"]["notes"])
    assert "taken as the balance on" not in " ".join(full["options"]["notes"])
    pay = full["pay_in_full_today"]
    assert (_amount(pay["amount"]), pay["holds_until"]) == ("1060.00", "2024-07-01")
    assert pay["amount"]["rule"] == "IRC 6601(e)(3)"
    assert "2024-07-01" in [d["date"] for d in full["deadlines"]]
    assert full["if_you_do_nothing"]["notices_that_follow"], "the next notices are dated from the notice date"


def test_case_new_without_the_date_opens_the_case_and_names_the_flag(data_dir: Path) -> None:
    result = runner.invoke(
        app, ["case", "new", "--notice", str(NOTICE), "--client", "Avery Tester", "--today", "2024-06-12", "--json"],
    )
    assert result.exit_code == 0, result.output
    opened = json.loads(result.stdout)
    assert opened["case"]["notice_date"] is None
    assert opened["case"]["amount_due"] == "1060.00"
    # Only the printed pay-by date can be dated; the 21-day period needs the notice date.
    assert [d["due"] for d in opened["deadlines"]] == ["2024-07-01"]
    warnings = " ".join(opened["warnings"])
    assert "21 calendar days of the notice date" in warnings
    assert "Supply it with --set notice_date=YYYY-MM-DD" in warnings
    shown = runner.invoke(app, ["case", "new", "--notice", str(NOTICE), "--client", "Blake Example",
                                "--today", "2024-06-12"])
    assert shown.exit_code == 0, shown.output
    assert "--set notice_date=YYYY-MM-DD" in " ".join(shown.output.split())


def test_case_new_takes_the_given_date(data_dir: Path) -> None:
    result = runner.invoke(
        app,
        ["case", "new", "--notice", str(NOTICE), "--client", "Avery Tester", "--today", "2024-06-12",
         "--set", "notice_date=2024-06-10", "--json"],
    )
    assert result.exit_code == 0, result.output
    opened = json.loads(result.stdout)
    assert opened["case"]["notice_date"] == "2024-06-10"
    # CP14: 21 calendar days from June 10, 2024 is July 1, 2024 (the grace period of IRC 6601(e)(3)).
    assert "2024-07-01" in [d["due"] for d in opened["deadlines"]]


def test_no_prompt_with_json_without_a_terminal_or_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert cli_given.prompter(json_output=False, no_input=False) is cli_given.ask_on_terminal
    assert cli_given.prompter(json_output=True, no_input=False) is None
    assert cli_given.prompter(json_output=False, no_input=True) is None
    monkeypatch.setenv("CI", "true")
    assert cli_given.prompter(json_output=False, no_input=False) is None


def test_the_prompt_asks_for_missing_key_fields_until_the_value_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    notice = read_document(NOTICE, rules=RULES)
    assert [f.name for f in fields_to_ask(notice, HIGH)] == ["notice_date"]
    typed = iter(["last Monday", "June 10, 2024"])
    monkeypatch.setattr(typer, "prompt", lambda *a, **k: next(typed))
    assert cli_given.ask_on_terminal(notice) == {"notice_date": "June 10, 2024"}


def test_case_correct_changes_the_notice_date_and_re_dates_its_deadlines(data_dir: Path) -> None:
    opened = runner.invoke(
        app,
        ["case", "new", "--notice", str(NOTICE), "--client", "Avery Tester", "--today", "2024-06-12",
         "--set", "notice_date=2024-06-10", "--json"],
    )
    assert opened.exit_code == 0, opened.output
    before = {d["what"]: d["due"] for d in json.loads(opened.stdout)["deadlines"]}
    grace = next(what for what in before if "21 calendar days" in what)
    assert before[grace] == "2024-07-01"  # June 10 + 21 days
    fixed = runner.invoke(app, ["case", "correct", "1", "1", "--reason", "the date was misread",
                                "--set", "notice_date=2024-06-17"])
    assert fixed.exit_code == 0, fixed.output
    shown = json.loads(runner.invoke(app, ["case", "show", "1", "--json"]).stdout)
    assert shown["case"]["notice_date"] == "2024-06-17"
    after = {d["what"]: d["due"] for d in shown["deadlines"]}
    assert after[grace] == "2024-07-08"  # June 17 + 21 days
    # The printed pay-by date (July 1, 2024) does not move with the notice date.
    printed = next(what for what in before if "printed" in what)
    assert after[printed] == before[printed] == "2024-07-01"
    correction = shown["journal"][-1]
    assert correction["kind"] == "correction"
    # The estimated next notice (CP501, about 35 days after a CP14) moves too: July 15 -> July 22.
    assert correction["payload"]["redated"] == [
        {"deadline": 2, "what": grace, "old_due": "2024-07-01", "new_due": "2024-07-08"},
        {"deadline": 3, "what": "Next notice (CP501) if nothing is paid or arranged", "old_due": "2024-07-15",
         "new_due": "2024-07-22"},
    ]
