"""`balancedue analyze` end to end on fictional notices (tests/fixtures/analyze/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from balancedue.advice.report import Report
from balancedue.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "analyze"
MONEY = re.compile(r"^-?\d+\.\d{2}$")


def analyze(notice: str, *extra: str, today: str = "2026-11-27") -> dict[str, Any]:
    result = runner.invoke(app, ["analyze", str(FIXTURES / notice), "--json", "--today", today, *extra])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    Report.model_validate(data)  # the documented, versioned schema
    return data


def option(report: dict[str, Any], option_id: str) -> dict[str, Any]:
    return next(o for o in report["options"]["options"] if o["id"] == option_id)


def deadline(report: dict[str, Any], text: str) -> dict[str, Any]:
    return next(d for d in report["deadlines"] if text in d["what"])


def uncited(value: object, path: str = "$", parent: dict[str, Any] | None = None) -> list[str]:
    """Every money figure in the JSON must carry a rule or a source (or sit in a cited series)."""
    found: list[str] = []
    if isinstance(value, dict):
        if isinstance(value.get("amount"), str) and not (value.get("rule") or value.get("source")):
            found.append(path)
        for key, inner in value.items():
            if isinstance(inner, str) and MONEY.match(inner) and key not in ("amount", "rate", "weight"):
                cited = (
                    (key == "balance" and parent is not None and parent.get("series_source"))
                    or (key == "base" and isinstance(value.get("amount"), dict) and value["amount"].get("rule"))
                    or (key == "value" and value.get("source_text"))  # read from the notice, with its text
                )
                if not cited:
                    found.append(f"{path}.{key}")
            found += uncited(inner, f"{path}.{key}", value if key == "series" or parent is None else parent)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += uncited(inner, f"{path}[{index}]", parent)
    return found


def test_cp14_with_records_that_match() -> None:
    report = analyze("cp14-match.txt", "--records", str(FIXTURES / "records-match.json"), today="2025-06-10")
    verification = report["verification"]
    assert verification["basis"] == "records"
    assert all(c["matches"] for c in verification["comparisons"]), verification["comparisons"]
    assert report["what_this_is"]["code"] == "CP14"
    assert uncited(report) == []


def test_cp14_where_a_payment_is_missing() -> None:
    report = analyze("cp14-missing-payment.txt", "--records", str(FIXTURES / "records-missing-payment.json"),
                     today="2025-06-10")
    payments = next(c for c in report["verification"]["comparisons"] if c["item"] == "payments_and_credits")
    assert payments["matches"] is False
    assert payments["difference"]["amount"] == "-1000.00"
    assert any("unposted" in reason for reason in payments["likely_reasons"])
    assert any("proof of each payment" in doc for doc in report["verification"]["documents_to_gather"])
    assert report["verification"]["contradictions"]  # the report shows it instead of failing


def test_cp501_second_notice() -> None:
    report = analyze("cp501.txt", today="2025-07-10")
    assert report["what_this_is"]["code"] == "CP501"
    assert report["what_this_is"]["sequence"] == 2
    assert report["verification"]["basis"] == "notice_with_assumptions"
    assert report["if_you_do_nothing"]["points"][0]["days"] == 30


def test_cp504_warns_of_the_state_refund_levy() -> None:
    report = analyze("cp504.txt", today="2025-09-20")
    text = json.dumps(report["what_this_is"]) + json.dumps(report["if_you_do_nothing"])
    assert "state" in text.lower()
    assert "refund" in text.lower()
    assert any(d["tag"] == "hard" for d in report["deadlines"])


def test_lt11_cdp_deadline_on_a_weekend_before_a_holiday() -> None:
    # Notice 2025-12-18 + 30 days = Saturday 2026-01-17; Monday 2026-01-19 is Martin Luther
    # King Jr. Day: IRC 7503 makes Tuesday 2026-01-20 the last day.
    report = analyze("lt11-weekend.txt", today="2025-12-22")
    cdp = deadline(report, "Collection Due Process")
    assert cdp["date"] == "2026-01-20"
    assert cdp["tag"] == "hard"
    assert "IRC 7503" in cdp["basis"]
    assert report["professional"]["advised"] is True  # final notice with hearing rights


def test_cp2000_is_a_proposal_to_answer_not_a_bill() -> None:
    report = analyze("cp2000.txt", today="2026-10-10")
    assert report["what_this_is"]["is_bill"] is False
    assert any("Respond" in d["what"] or "respon" in d["what"].lower() or "Reply" in d["what"] for d in report["deadlines"])


def test_8000_balance_fits_the_guaranteed_agreement() -> None:
    report = analyze("cp14-8000.txt")
    guaranteed = option(report, "guaranteed_agreement")
    assert guaranteed["eligible"] in ("yes", "maybe")
    assert guaranteed["monthly_payment"] is not None
    assert guaranteed["months"] <= 36
    assert float(guaranteed["monthly_payment"]["amount"]) * guaranteed["months"] >= 8000


def test_45000_balance_fits_the_streamlined_agreement() -> None:
    report = analyze("cp14-45000.txt")
    assert option(report, "guaranteed_agreement")["eligible"] == "no"
    streamlined = option(report, "streamlined_agreement")
    assert streamlined["eligible"] in ("yes", "maybe")
    assert streamlined["months"] <= 72
    assert any("direct debit" in reason.lower() for reason in streamlined["reasons"])


def test_120000_balance_needs_a_non_streamlined_agreement_and_a_professional() -> None:
    report = analyze("cp14-120000.txt")
    assert option(report, "streamlined_agreement")["eligible"] == "no"
    assert option(report, "non_streamlined_agreement")["eligible"] in ("yes", "maybe")
    assert report["professional"]["advised"] is True
    # 10 business days, not 21 calendar days, for $100,000 or more (IRC 6601(e)(3)).
    assert any("10 business days" in d["what"] for d in report["deadlines"])


def test_offer_in_compromise_with_finances() -> None:
    report = analyze("cp14-45000.txt", "--finances", str(FIXTURES / "finances-hardship.json"))
    offer = option(report, "offer_in_compromise")
    assert offer["eligible"] in ("yes", "maybe")
    assert any("collection potential" in reason for reason in offer["reasons"])
    assert uncited(report) == []


def test_pdf_and_html_reports_are_written(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp14-match.txt"), "--today", "2025-06-10",
                                 "--pdf", str(pdf), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    page = html.read_text()
    assert "Your options" in page
    assert "<svg" in page  # the balance chart
    assert "http://" not in page.replace("http://www.w3.org", "")  # no outside resources


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", 2), (b"%PDF-1.4 broken", 2), (b"Dear neighbour, the bake sale is on Saturday.\n", 3)],
    ids=["empty", "corrupt pdf", "not from the IRS"],
)
def test_unreadable_or_foreign_files(tmp_path: Path, content: bytes, code: int) -> None:
    path = tmp_path / ("notice.pdf" if content.startswith(b"%PDF") else "notice.txt")
    path.write_bytes(content)
    result = runner.invoke(app, ["analyze", str(path), "--today", "2026-11-27"])
    assert result.exit_code == code, result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_bad_records_file_is_one_clear_line(tmp_path: Path) -> None:
    records = tmp_path / "records.json"
    records.write_text('{"tax_year": 2024, "tax_on_return": "twelve"}')
    result = runner.invoke(app, ["analyze", str(FIXTURES / "cp14-match.txt"), "--records", str(records)])
    assert result.exit_code == 2
    assert "tax_on_return" in result.stderr


def test_first_time_abatement_from_transcripts(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(FIXTURES.parent))
    import make_transcripts

    written = {path.name: path for path in make_transcripts.write_all(tmp_path)}
    report = analyze("cp501-fta.txt", "--transcript", str(written["fta_clean.txt"]), today="2025-06-30")
    assert report["verification"]["basis"] == "transcripts"
    fta = option(report, "first_time_abatement")
    assert fta["eligible"] == "yes", fta
    assert any("20.1.1.3.3.2.1" in reason for reason in fta["reasons"])
    assert uncited(report) == []
