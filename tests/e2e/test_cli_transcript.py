"""`balancedue transcript` end to end: text and PDF transcripts, JSON, projection, bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from balancedue.cli import app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import make_transcripts
from transcript_layout import write_pdf

runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("transcripts")
    make_transcripts.write_all(path)
    return path


def test_every_generated_file_runs(folder: Path) -> None:
    for path in sorted(folder.glob("*.txt")):
        result = runner.invoke(app, ["transcript", str(path)], env={"COLUMNS": "200"})
        assert result.exit_code == 0, (path.name, result.output)
        assert "Reconciliation as of 2026-03-30" in result.output


def test_text_report_sections(folder: Path) -> None:
    result = runner.invoke(app, ["transcript", str(folder / "offer_in_compromise_2024.txt")], env={"COLUMNS": "200"})
    out = result.output
    assert "reconciled to the cent" in out
    assert "2035-10-09" in out  # CSED of the TC 150 (worked in make_transcripts.py)
    assert "offer" in out
    assert "IRC 6331(k)(1)" in out
    assert "First-time abatement" in out


def test_json_report(folder: Path) -> None:
    result = runner.invoke(app, ["transcript", str(folder / "balance_due_2023.txt"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (period,) = data["periods"]
    assert period["taxpayer_id_last4"] == "4821"
    assert period["stated"]["balance_plus_accruals"] == "106.89"
    assert period["reconciliation"]["reconciled"] is True
    assert period["csed"]["assessments"][0]["csed"] == "2034-05-20"
    assert data["withholding_checks"] == [{"tax_year": 2023, "reported": "6400.00", "posted": "6400.00", "difference": "0.00"}]
    assert "XXX-XX" not in result.output or "4821" in result.output


def test_projection_with_as_of(folder: Path) -> None:
    result = runner.invoke(app, ["transcript", str(folder / "bankruptcy_2018.txt"), "--json", "--as-of", "2026-12-31"])
    period = json.loads(result.output)["periods"][0]
    assert period["projection"]["as_of"] == "2026-12-31"
    assert period["projection"]["failure_to_pay"] == "1250.00"  # 25% of 5,000.00, IRC 6651(a)(2)
    assert float(period["projection"]["balance"]) > float(period["stated"]["balance_plus_accruals"])


def test_pdf_transcript(folder: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "cdp.pdf"
    write_pdf((folder / "cdp_hearing_2023.txt").read_text(), pdf)
    result = runner.invoke(app, ["transcript", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    period = json.loads(result.output)["periods"][0]
    assert period["reconciliation"]["reconciled"] is True
    assert period["csed"]["tolling"][0]["days"] == 204


def test_unknown_code_is_reported(folder: Path, tmp_path: Path) -> None:
    marker = "This Product Contains Sensitive Taxpayer Data\n\nThis"  # end of the account transcript
    text = (folder / "balance_due_2023.txt").read_text().replace(marker, "999   Something new      01-05-2026   $0.00\nThis", 1)
    path = tmp_path / "odd.txt"
    path.write_text(text)
    result = runner.invoke(app, ["transcript", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Unknown transaction codes" in result.output
    assert "TC 999" in result.output


def test_not_a_transcript_exits_2_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(make_transcripts.NOT_A_TRANSCRIPT)
    result = runner.invoke(app, ["transcript", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "letter.txt: no IRS transcript found" in lines[0]


@pytest.mark.parametrize("name", ["missing.txt", "empty.txt", "binary.bin"])
def test_bad_files_exit_2(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "empty.txt":
        path.write_text("")
    elif name == "binary.bin":
        path.write_bytes(b"\xff\xfe\x00\x81")
    result = runner.invoke(app, ["transcript", str(path)])
    assert result.exit_code == 2
    assert "balancedue: error:" in result.output


def test_bad_as_of_date(folder: Path) -> None:
    result = runner.invoke(app, ["transcript", str(folder / "balance_due_2023.txt"), "--as-of", "2026/01/01"])
    assert result.exit_code == 2
    assert "--as-of" in result.output
