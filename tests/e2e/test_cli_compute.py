"""`balancedue compute` end to end: good scenarios, projections and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from balancedue.cli import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scenario-late-filer.json"


def _write(tmp_path: Path, data: Any, name: str = "scenario.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def _scenario(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "form": "1040",
        "tax_year": 2024,
        "as_of": "2025-07-20",
        "events": [{"date": "2025-07-20", "type": "return_filed", "tax": "10000.00"}],
    }
    base.update(changes)
    return base


def test_json_has_the_documented_keys(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(_write(tmp_path, _scenario())), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("as_of", "tax", "failure_to_file", "failure_to_pay", "interest", "balance", "lines"):
        assert key in data
    # ex-ftf-ftp-4-months (IRC 6651 arithmetic): 1,800.00 / 200.00 / 219.24
    assert (data["failure_to_file"], data["failure_to_pay"], data["interest"]) == ("1800.00", "200.00", "219.24")
    for line in data["lines"]:
        assert set(line) >= {"period", "kind", "base", "rate", "days", "months", "amount", "rule", "source"}
        assert isinstance(line["amount"], str)


def test_table_output_explains_each_penalty(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(_write(tmp_path, _scenario()))])
    assert result.exit_code == 0, result.output
    assert "Why failure to file" in result.stdout
    assert "Why failure to pay" in result.stdout
    assert "Balance" in result.stdout


def test_as_of_option_overrides_the_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(_write(tmp_path, _scenario())), "--as-of", "2025-12-31", "--json"])
    assert json.loads(result.stdout)["as_of"] == "2025-12-31"


def test_projection_by_month(tmp_path: Path) -> None:
    path = _write(tmp_path, _scenario())
    result = runner.invoke(app, ["compute", str(path), "--project", "2025-12-31", "--step", "month", "--json"])
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["points"]
    assert [p["date"] for p in points][:2] == ["2025-07-20", "2025-08-20"]
    assert points[-1]["date"] == "2025-12-31"
    balances = [float(p["balance"]) for p in points]  # only to check the order
    assert balances == sorted(balances)
    table = runner.invoke(app, ["compute", str(path), "--project", "2025-12-31"])
    assert "projected" in table.stdout


def test_bundled_example_runs() -> None:
    result = runner.invoke(app, ["compute", str(EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output


def test_yaml_scenarios_are_read(tmp_path: Path) -> None:
    text = "form: '1040'\ntax_year: 2024\nas_of: 2025-07-20\nevents:\n  - {date: 2025-07-20, type: return_filed, tax: '10000.00'}\n"
    result = runner.invoke(app, ["compute", str(_write(tmp_path, text, "s.yaml")), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["failure_to_pay"] == "200.00"


BAD = [
    ("unknown event type", _scenario(events=[{"date": "2025-07-20", "type": "bribe", "amount": "1.00"}]), "is not an event type"),
    ("negative amount", _scenario(events=[{"date": "2025-07-20", "type": "payment", "amount": "-5.00"}]), "negative"),
    (
        "dates out of order",
        _scenario(events=[
            {"date": "2025-08-20", "type": "payment", "amount": "5.00"},
            {"date": "2025-07-20", "type": "return_filed", "tax": "10.00"},
        ]),
        "out of date order",
    ),
    ("date before the rate table", _scenario(tax_year=1975, as_of="1990-01-01",
     events=[{"date": "1976-04-15", "type": "return_filed", "tax": "10.00"}]), "no underpayment interest rate in force on 1976"),
    ("date in the wrong form", _scenario(events=[{"date": "07/20/2025", "type": "return_filed", "tax": "1.00"}]), "YYYY-MM-DD"),
    ("unknown field", _scenario(events=[{"date": "2025-07-20", "type": "payment", "amount": "1.00", "memo": "x"}]), "unknown field 'memo'"),
    ("float amount in YAML style", _scenario(events=[{"date": "2025-07-20", "type": "payment", "amount": "1.005"}]), "fractions of a cent"),
    ("missing tax", _scenario(events=[{"date": "2025-07-20", "type": "return_filed"}]), "needs 'tax'"),
    ("not an object", [1, 2, 3], "must be an object"),
]


@pytest.mark.parametrize(("label", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_malformed_scenarios_exit_2_with_one_line(tmp_path: Path, label: str, data: Any, message: str) -> None:
    result = runner.invoke(app, ["compute", str(_write(tmp_path, data))])
    assert result.exit_code == 2, (label, result.output)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ("", "is empty")],
)
def test_unreadable_files(tmp_path: Path, content: str, message: str) -> None:
    result = runner.invoke(app, ["compute", str(_write(tmp_path, content))])
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compute", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_estimated_tax_json(tmp_path: Path) -> None:
    data = {
        "tax_year": 2005,
        "required_installments": ["1529.00", "1529.00", "1529.00", "1529.00"],
        "withholding": "3228.00",
        "payments": [{"date": "2005-09-02", "amount": "1000.00"}, {"date": "2006-01-12", "amount": "1000.00"}],
        "paid_in_full_date": "2006-04-15",
    }
    result = runner.invoke(app, ["compute", "--estimated-tax", str(_write(tmp_path, data)), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["penalty"] == "68.51"  # Publication 505 (2006), Figure 4-B
    assert {"installment", "amount", "from", "to", "days", "rate"} <= set(out["lines"][0])
