"""Every section of the analysis report is shown by every renderer, under one heading.

The sections and their headings are declared once (balancedue.presentation.SECTIONS); the
terminal, the PDF, the HTML page, the JSON report and the web case page each must show all of
them.  The web case page shows the analysis of the case's notice, kept in the journal when the
case was opened: it must not read the notice again.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.test import Client
from rich.console import Console
from web_harness import make_user, open_sample_case

from balancedue.advice.report import Report
from balancedue.presentation import SECTIONS
from balancedue.reports.html import render_html
from balancedue.reports.pdf import render_pdf
from balancedue.reports.terminal import print_report
from balancedue.rules import load_rules
from balancedue.services import analyze

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RULES = load_rules()

# Two reports that between them have something in every section:
# - a CP504 (intent to levy) read the day after it came: the notices that follow, the routes;
# - a CP2000 with the person's return, read months after its date: the return check and where
#   the person stands today (its response date has passed).
REPORTS = {
    "cp504": analyze.AnalysisInputs(notice=FIXTURES / "analyze" / "cp504.txt", today=date(2025, 9, 20)),
    "cp2000-with-return-months-later": analyze.AnalysisInputs(
        notice=FIXTURES / "return_check" / "cp2000-brokerage.txt", today=date(2027, 3, 1),
        return_summary=FIXTURES / "return_check" / "brokerage.yaml",
    ),
}
EMPTY_ALLOWED = {"where_you_stand", "rights_and_routes", "return_check", "pay_in_full_today"}
"""Sections a report may leave empty (a fresh notice, no return given); every other one is always there."""


@pytest.fixture(scope="module", params=sorted(REPORTS))
def report(request: pytest.FixtureRequest) -> Report:
    return analyze.analyze(REPORTS[request.param], RULES)


@pytest.fixture(scope="module")
def full_report() -> Report:
    return analyze.analyze(REPORTS["cp2000-with-return-months-later"], RULES)


def _pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def _present(report: Report) -> list[str]:
    return [s.key for s in SECTIONS if getattr(report, s.key) not in (None, [])]


def _missing(text: str, report: Report, *, numbered: bool) -> list[str]:
    flat = " ".join(text.split())
    shown = {s.key: s for s in SECTIONS}
    return [key for key in _present(report) if (shown[key].heading if numbered else shown[key].title) not in flat]


def test_the_sections_are_the_reports_sections() -> None:
    sections = {s.key for s in SECTIONS}
    assert sections == set(Report.model_fields) - {"schema_version", "today", "disclaimer"}


def test_the_reports_have_something_in_every_section(report: Report, full_report: Report) -> None:
    # Only the sections that may be empty are left out of a report, and the full report has every one.
    assert set(s.key for s in SECTIONS) - set(_present(report)) <= EMPTY_ALLOWED
    assert _present(full_report) == [s.key for s in SECTIONS]


def test_json_has_every_section(report: Report) -> None:
    data = report.model_dump(mode="json")
    assert [s.key for s in SECTIONS if s.key not in data] == []
    assert [key for key in _present(report) if data[key] in (None, [])] == []


def test_terminal_shows_every_section(report: Report) -> None:
    console = Console(record=True, width=200, file=io.StringIO())
    print_report(report, console)
    assert _missing(console.export_text(), report, numbered=True) == []


def test_html_shows_every_section(report: Report) -> None:
    assert _missing(render_html(report), report, numbered=True) == []


def test_pdf_shows_every_section(report: Report) -> None:
    assert _missing(_pdf_text(render_pdf(report)), report, numbered=True) == []


def test_the_check_catches_a_missing_section(full_report: Report) -> None:
    page = render_html(full_report).replace("When to call a professional", "").replace("Your rights and routes", "")
    assert _missing(page, full_report, numbered=True) == ["professional", "rights_and_routes"]


def test_web_case_page_shows_every_section_without_reading_the_notice_again(
    web: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from balancedue.intake import pipeline
    from balancedue.services import casework
    from balancedue.services import read as read_service

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    number = open_sample_case(client)
    casework.forget_reports()
    # Three months on, the dates of the sample CP14 (June 2, 2025) have passed: where the person stands shows too.
    monkeypatch.setattr(web, "WEB_TODAY", "2025-09-15")
    calls: list[str] = []

    def counted(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return real(*args, **kwargs)

        return call

    for module, name in ((pipeline, "read_text"), (pipeline, "read_document"), (pipeline, "read_notice_bytes"),
                         (read_service, "read_pasted_notice"), (read_service, "read_notice")):
        monkeypatch.setattr(module, name, counted(name, getattr(module, name)))
    shown: list[Report | None] = []
    real_report = casework.case_report
    monkeypatch.setattr(casework, "case_report", lambda *a, **k: shown.append(real_report(*a, **k)) or shown[-1])
    response = client.get(f"/cases/{number}")
    assert response.status_code == 200
    assert calls == []
    report = shown[-1]
    assert report is not None
    # The sample CP14: to pay today, where the person stands, the routes.
    assert {"pay_in_full_today", "where_you_stand", "rights_and_routes"} <= set(_present(report))
    assert _missing(response.content.decode(), report, numbered=False) == []
    # The notice as reviewed, rebuilt from the journal, gives the report the reader gave.
    view = response.context["page"]
    assert any(o.title == "Pay in full" for o in view.options)
    assert any(f.label == "Amount due" and f.value == "4076.99" for f in view.notice_fields)


def test_a_case_opened_before_the_journal_kept_its_notice_is_read_from_its_text(
    web: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from balancedue.services import casework, notice_fields
    from balancedue.services import read as read_service

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    number = open_sample_case(client)
    casework.forget_reports()
    monkeypatch.setattr(notice_fields, "reviewed_notice", lambda case_file: None)
    calls: list[str] = []
    real = read_service.read_pasted_notice
    monkeypatch.setattr(read_service, "read_pasted_notice", lambda *a, **k: calls.append("read") or real(*a, **k))
    response = client.get(f"/cases/{number}")
    assert response.status_code == 200
    assert calls == ["read"]
    assert any(o.title == "Pay in full" for o in response.context["page"].options)


def test_web_case_page_shows_the_return_check_when_the_report_has_one(
    web: Any, monkeypatch: pytest.MonkeyPatch, full_report: Report
) -> None:
    from balancedue.services import casework

    client = Client()
    client.force_login(make_user("owner", superuser=True))
    number = open_sample_case(client)
    monkeypatch.setattr(casework, "case_report", lambda case_file, today, rules: full_report)
    response = client.get(f"/cases/{number}")
    assert response.status_code == 200
    page = response.content.decode()
    assert _missing(page, full_report, numbered=False) == []
    # The brokerage CP2000's answer, as the PDF report gives it (tests/e2e/test_cli_return_check.py).
    assert "Answer on the response form: <strong>partly agree</strong>" in page
