"""`balancedue rules ...` end to end through the Typer app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from balancedue.cli import app

runner = CliRunner()


def _json(args: list[str]) -> dict[str, object]:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_rate_json_reports_percent_and_source() -> None:
    for day, percent in (("2024-03-15", "8"), ("2023-01-01", "7"), ("2021-06-30", "3")):
        data = _json(["rules", "rate", day, "--json"])
        assert data["rate_percent"] == percent
        assert data["sources"], day
        assert "6621" in str(data["citation"])


def test_rate_past_the_table_is_exit_2_with_one_line() -> None:
    result = runner.invoke(app, ["rules", "rate", "2099-01-01"])
    assert result.exit_code == 2
    assert "no underpayment interest rate in force on 2099-01-01" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_rate_with_a_malformed_date_is_exit_2() -> None:
    result = runner.invoke(app, ["rules", "rate", "03/15/2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_notice_cards() -> None:
    for code in ("CP504", "LT11"):
        data = _json(["rules", "notice", code, "--json"])
        assert data["code"] == code
        for key in ("title", "stage", "deadlines", "rights", "sources"):
            assert data[key], (code, key)


def test_unknown_notice_is_exit_2_with_suggestions() -> None:
    result = runner.invoke(app, ["rules", "notice", "XYZ9"])
    assert result.exit_code == 2
    assert "unknown notice 'XYZ9'" in result.stderr
    assert "closest known codes:" in result.stderr


def test_rules_check_json() -> None:
    data = _json(["rules", "check", "--json", "--today", "2026-11-27"])
    assert data["ok"] is True
    assert data["first_quarter"] == "1983Q1"
    assert int(str(data["rate_quarters"])) >= 176


def test_rules_check_fails_when_rates_do_not_reach_today() -> None:
    result = runner.invoke(app, ["rules", "check", "--today", "2099-01-01"])
    assert result.exit_code == 1
    assert "add the newer quarters" in result.stdout


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["rules", "--help"])
    assert result.exit_code == 0
    for command in ("check", "rate", "notice"):
        assert command in result.stdout


def test_rules_check_lists_what_stays_below_primary_and_why_in_the_terminal() -> None:
    result = runner.invoke(app, ["rules", "check", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    heading = lines.index("Figures that stay on a secondary, mirrored or unverified source, and why:")
    listed = lines[heading + 1:]
    for item in (
        "  - penalty.ftf.minimum_amount from 2026-01-01 [secondary]",
        "  - underpayment rate 2026Q2 [secondary]",
        "  - postponement helene-2024-nc [secondary]",
    ):
        at = listed.index(item)
        # the next line, indented, gives the reason recorded in the data
        assert listed[at + 1].startswith("      "), item
        assert len(listed[at + 1].strip()) > 20, item
    assert "Rev. Rul. 2026-5" in listed[listed.index("  - underpayment rate 2026Q2 [secondary]") + 1]


def test_rules_check_json_gives_each_weak_figure_a_reason() -> None:
    data = _json(["rules", "check", "--json", "--today", "2026-11-27"])
    weak = data["weak_sources"]
    assert isinstance(weak, list)
    assert weak
    assert len(weak) == len(data["needs_primary_source"])  # type: ignore[arg-type]
    for entry in weak:
        assert entry["item"], entry
        assert entry["verification"] != "primary", entry
        assert entry["reason"], entry
