"""``analyze NOTICE --return FILE`` and ``letter cp2000_response CASE --return FILE`` end to end.

The figures are derived by hand in tests/advice/test_return_check.py (the 1099-B and the
right-proposal cases); here they are checked where the person sees them.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_harness import data_dir as data_dir
from case_harness import notice_pdf
from test_cli_analyze import uncited

from balancedue.advice.report import Report
from balancedue.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "return_check"


def analyze(notice: str, summary: str | Path) -> dict[str, Any]:
    result = runner.invoke(app, ["analyze", str(FIXTURES / notice), "--return", str(FIXTURES / summary),
                                 "--json", "--today", "2026-10-10"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    Report.model_validate(data)
    return data


def row(section: dict[str, Any], item: str) -> dict[str, Any]:
    return next(c for c in section["comparisons"] if c["item"].startswith(item))


def test_analyze_shows_the_recomputation_beside_the_notice_with_a_verdict_per_item() -> None:
    report = analyze("cp2000-brokerage.txt", "brokerage.yaml")
    section = report["return_check"]
    assert section["answer"] == "partly_agree"
    # The notice's figures are read from the notice itself: 6,428.00 tax, 1,285.60 penalty, 512.40 interest.
    tax = row(section, "increase in tax")
    assert (tax["notice"]["amount"], tax["recomputed"]["amount"], tax["yours"]["amount"], tax["matches"]) == (
        "6428.00", "6428.00", "180.00", True)
    penalty = row(section, "accuracy-related penalty")
    assert (penalty["notice"]["amount"], penalty["recomputed"]["amount"], penalty["yours"]["amount"]) == (
        "1285.60", "1285.60", "0.00")
    assert row(section, "interest")["yours"]["amount"] == "11.96"
    (item,) = section["items"]
    assert (item["form"], item["answer"], item["verdict"]) == ("1099-B", "partly_agree", "overstated")
    assert item["irs_effect"]["total_tax"]["amount"] == "6428.00"
    assert item["your_effect"]["total_tax"]["amount"] == "180.00"
    assert [run["name"] for run in section["runs"]] == ["as filed", "as the notice proposes", "as your facts support"]
    assert [run["income_tax"]["amount"] for run in section["runs"]] == ["5219.00", "11647.00", "5399.00"]
    assert uncited(section) == []


def test_analyze_in_the_terminal_prints_the_answer_per_item() -> None:
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp2000-right.txt"), "--return", str(FIXTURES / "right.yaml"),
                                 "--today", "2026-10-10"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Form 1099-INT from Lakeside Credit Union: notice $500.00, your facts $500.00 -> agree (right)" in text
    assert "The notice's figure is reproduced" in text
    assert "Answer on the response form: agree" in text


def test_a_year_outside_the_calculator_is_said_plainly_in_the_report(tmp_path: Path) -> None:
    summary = tmp_path / "old.yaml"
    summary.write_text('tax_year: 2016\nfiling_status: single\nreturn:\n  wages: "30000.00"\n', encoding="utf-8")
    notice = tmp_path / "cp2000.txt"
    notice.write_text((FIXTURES / "cp2000-right.txt").read_text(encoding="utf-8").replace("2024", "2016"), encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(notice), "--return", str(summary), "--json", "--today", "2026-10-10"])
    assert result.exit_code == 0, result.output
    section = json.loads(result.stdout)["return_check"]
    assert section["runs"] == []
    assert "outside the calculator's coverage" in section["summary"]


def test_a_bad_return_summary_is_one_clear_line(tmp_path: Path) -> None:
    summary = tmp_path / "bad.yaml"
    summary.write_text("tax_year: 2024\nfiling_status: single\nreturn:\n  wages: 40000.50\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp2000-right.txt"), "--return", str(summary)])
    assert result.exit_code == 2
    assert "return summary" in result.output
    assert "Traceback" not in result.output


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def _open_cp2000(data_dir: Path, amount: str) -> None:
    notice, _ = notice_pdf(data_dir / "in", code="CP2000", notice_id="CP2000-20250602-00777",
                           amount=Decimal(amount), notice_date=date(2025, 6, 2))
    opened = runner.invoke(app, ["case", "new", "--notice", str(notice), "--client", "Avery Tester", "--address",
                                 "12 Test Road", "--address", "Springfield, IL 62704", "--today", "2025-06-05"])
    assert opened.exit_code == 0, opened.output


def test_the_cp2000_response_is_written_from_the_recomputation(data_dir: Path) -> None:
    opened = runner.invoke(app, ["case", "new", "--notice", str(FIXTURES / "cp2000-brokerage.txt"), "--client",
                                 "Avery Tester", "--address", "12 Test Road", "--today", "2026-10-08"])
    assert opened.exit_code == 0, opened.output
    out = data_dir / "letters"
    result = runner.invoke(app, ["letter", "cp2000_response", "1", "--return", str(FIXTURES / "brokerage.yaml"),
                                 "--out", str(out), "--today", "2026-10-12"])
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    assert len(list(out.glob("*.docx"))) == 1
    text = _pdf_text(pdf)
    assert "Form 1099-B from Northwind Brokerage, $30,000.00: I partly agree." in text
    assert "the cost basis is $28,500.00, so the gain is $1,500.00" in text
    # The notice kept in the case is read again for its tax, penalty and interest.
    assert "rises by $180.00, not the increase of $6,428.00 the notice proposes" in text
    assert "The accuracy-related penalty should be $0.00, not $1,285.60" in text
    assert "not more than $5,000.00 (the greater of 10 percent of the correct tax and $5,000.00" in text
    shown = json.loads(runner.invoke(app, ["case", "show", "1", "--json"]).stdout)
    entry = shown["journal"][-1]
    assert entry["payload"]["letter_kind"] == "cp2000_response"
    assert entry["payload"]["enclosures"][0] == "Copy of notice CP2000 dated October 5, 2026"
    assert any("Form 8949" in e for e in entry["payload"]["enclosures"])
    assert runner.invoke(app, ["case", "verify", "1"]).exit_code == 0


def test_the_return_option_belongs_to_the_cp2000_response(data_dir: Path) -> None:
    _open_cp2000(data_dir, "8226.00")
    result = runner.invoke(app, ["letter", "dispute", "1", "--facts", "x", "--return", str(FIXTURES / "brokerage.yaml"),
                                 "--out", str(data_dir), "--today", "2025-06-10"])
    assert result.exit_code == 2
    assert "cp2000_response" in result.output
    summary = data_dir / "2023.yaml"
    summary.write_text((FIXTURES / "right.yaml").read_text(encoding="utf-8").replace("2024", "2023"), encoding="utf-8")
    wrong_year = runner.invoke(app, ["letter", "cp2000_response", "1", "--return", str(summary),
                                     "--out", str(data_dir), "--today", "2025-06-10"])
    assert wrong_year.exit_code == 2
    assert "the return summary is for tax year 2023 but the case is for 2024" in wrong_year.output


def test_the_pdf_and_html_reports_carry_the_return_check(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp2000-brokerage.txt"), "--return", str(FIXTURES / "brokerage.yaml"),
                                 "--today", "2026-10-10", "--pdf", str(pdf), "--html", str(html)])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "3a. The proposed changes, re-run on your return for 2024" in page
    assert "$11,647.00" in page  # income tax as the notice proposes
    text = _pdf_text(pdf)
    assert "3a. The proposed changes, re-run on your return for 2024" in text
    assert "partly agree (overstated)" in text


def test_the_answer_becomes_a_dated_step() -> None:
    steps = analyze("cp2000-brokerage.txt", "brokerage.yaml")["next_steps"]
    answer = next(s for s in steps if s["what"].startswith("Answer the proposal"))
    assert answer["what"] == "Answer the proposal on its response form: partly agree."
    assert answer["by"] == "2026-11-04"  # the response date printed on the notice
    assert "Form 8949" in answer["detail"]
