"""``balancedue case ...`` end to end: open, list, show, add, log, verify, export, import."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cases"))

from case_harness import (
    POSTGRES_URL,
    flip_one_byte,
    notice_pdf,
    require_backend,
    reset_database,
    sqlite_path,
    tamper_journal_entry,
)
from case_harness import data_dir as data_dir

from balancedue.cli import app

runner = CliRunner()


def case(*args: str) -> Any:
    return runner.invoke(app, ["case", *args])


def _open(data_dir: Path, **notice: Any) -> tuple[Path, Any]:
    path, spec = notice_pdf(data_dir / "in", **notice)
    result = case("new", "--notice", str(path), "--client", "Avery Tester", "--address", "12 Test Road",
                  "--address", "Springfield, IL 62704", "--today", "2025-06-05")
    assert result.exit_code == 0, result.output
    return path, spec


def _show(number: str = "1") -> dict[str, Any]:
    result = case("show", number, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_a_case_from_a_notice_with_its_deadlines(data_dir: Path) -> None:
    _, spec = _open(data_dir)
    shown = _show()
    assert shown["case"]["client"] == {
        "name": "Avery Tester", "address": ["12 Test Road", "Springfield, IL 62704"], "id_last4": spec.last4
    }
    assert shown["case"]["notice_id"] == spec.notice_id
    assert shown["case"]["amount_due"] == str(spec.amount_due)
    assert shown["case"]["tax_year"] == spec.notice_date.year - 1
    # The CP14's pay-by date is printed on the notice (the spec says June 23, 2025).
    assert {"due": spec.pay_by.isoformat(), "what": "Pay by the date printed on the notice"}.items() <= next(
        d for d in shown["deadlines"] if d["due"] == spec.pay_by.isoformat()
    ).items()
    assert [d["kind"] for d in shown["documents"]] == ["notice"]
    assert [e["kind"] for e in shown["journal"]] == ["opened", "document"]


def test_list_shows_next_deadline_and_reminders(data_dir: Path) -> None:
    _, spec = _open(data_dir)
    due = spec.pay_by.isoformat()
    far = case("list", "--today", "2025-06-05")
    assert far.exit_code == 0
    assert re.search(rf"^\s+1\s+Avery Tester.*{due}", far.stdout, re.M), far.stdout
    assert "Reminders" not in far.stdout  # 18 days before
    week = case("list", "--today", "2025-06-16")  # 7 days before June 23
    assert f"case 1: Pay by the date printed on the notice - due {due} (in 7 days; 7-day reminder)" in week.stdout
    two = case("list", "--today", "2025-06-21")
    assert "(in 2 days; 2-day reminder)" in two.stdout


def test_calls_mail_payments_and_corrections_are_journaled(data_dir: Path) -> None:
    _open(data_dir)
    receipt = data_dir / "receipt.txt"
    receipt.write_text("Certified mail receipt 9407 1000 0000 0000 0000 00", encoding="utf-8")
    assert case("add-doc", "1", str(receipt), "--kind", "mail-receipt").exit_code == 0
    again = case("add-doc", "1", str(receipt), "--kind", "mail-receipt")
    assert "already has this file as document #2" in again.stdout
    ssn_like = f"9{secrets.randbelow(90) + 10}-0{secrets.randbelow(9) + 1}-{secrets.randbelow(9000) + 1000}"
    call = case("log-call", "1", "--agent", "R. Lee", "--badge", "1000222333", "--summary",
                f"Asked for 30 days; gave id {ssn_like}", "--outcome", "Hold until July",
                "--follow-up", "2025-07-10", "--phone", "800-829-1040", "--start", "2025-06-12T10:05",
                "--end", "2025-06-12T10:40")
    assert call.exit_code == 0, call.output
    assert case("log-mail", "1", "--tracking", "9407 1000 0000 0000 0000 00", "--enclosure", "Copy of CP14",
                "--enclosure", "Letter", "--sent-on", "2025-06-13").exit_code == 0
    assert case("add-payment", "1", "--amount", "500.00", "--channel", "Direct Pay", "--confirmation",
                "DP123", "--date", "2025-06-14").exit_code == 0
    fixed = case("correct", "1", "6", "--reason", "bank said 550", "--set", "amount=550")
    assert fixed.exit_code == 0, fixed.output
    shown = _show()
    kinds = [e["kind"] for e in shown["journal"]]
    assert kinds == ["opened", "document", "document", "call", "mail", "payment", "correction"]
    call_entry = shown["journal"][3]["payload"]
    assert call_entry["agent"] == "R. Lee"
    assert call_entry["badge"] == "1000222333"
    assert call_entry["started_at"] == "2025-06-12T10:05"
    assert call_entry["ended_at"] == "2025-06-12T10:40"
    assert ssn_like not in json.dumps(shown)  # masked before it was kept
    assert ssn_like[-4:] in call_entry["summary"]
    assert shown["journal"][4]["payload"]["enclosures"] == ["Copy of CP14", "Letter"]
    assert shown["journal"][6]["payload"]["replacement"] == {"amount": "550.00"}
    assert any(d["what"].startswith("Follow up on the call") and d["due"] == "2025-07-10" for d in shown["deadlines"])
    text = case("show", "1", "--today", "2025-06-15").stdout
    assert "Paid so far (journal): $550.00" in text  # the correction applies


def test_verify_names_a_changed_document_byte_and_a_changed_journal_row(data_dir: Path) -> None:
    _open(data_dir)
    case("note", "1", "Called; waiting for the letter")
    ok = case("verify", "1")
    assert ok.exit_code == 0
    assert "verified" in ok.stdout
    sha = _show()["documents"][0]["sha256"]
    flip_one_byte(data_dir / "documents" / sha[:2] / sha[2:4] / sha, offset=100)
    tamper_journal_entry("sqlite", 1, 3, "text", "Never called")
    bad = case("verify", "1")
    assert bad.exit_code == 1
    assert re.search(r"journal entry #3 \(note, [\d-]+\): was changed after it was written", bad.stdout), bad.stdout
    assert "document #1 (notice, cp14-11.pdf): its bytes were changed" in bad.stdout
    as_json = json.loads(case("verify", "1", "--json").stdout)
    assert not as_json["ok"]
    # The changed byte, the changed row, and the append-only trigger the tampering dropped.
    assert len(as_json["problems"]) == 3
    assert {p["subject"] for p in as_json["problems"]} >= {"database"}


def test_export_then_import_on_a_fresh_database(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings

    _open(data_dir)
    case("log-call", "1", "--agent", "R. Lee", "--badge", "1000222333", "--summary", "Asked for time")
    out = data_dir / "case-1.zip"
    exported = case("export", "1", str(out), "--today", "2025-06-20")
    assert exported.exit_code == 0, exported.output
    fingerprint = re.search(r"fingerprint ([0-9a-f]{16})", exported.stdout)
    before = _show()

    reset_database("default")  # a fresh database and document folder
    monkeypatch.setattr(settings, "DOCUMENTS_DIR", data_dir / "fresh-documents")
    imported = case("import", str(out))
    assert imported.exit_code == 0, imported.output
    assert fingerprint is not None
    assert fingerprint.group(1) in imported.stdout
    after = _show()
    assert after == before
    assert case("verify", "1").exit_code == 0
    twice = case("import", str(out))
    assert twice.exit_code == 0
    assert "Already here, unchanged" in twice.stdout


def test_no_full_taxpayer_id_is_kept_or_exported(data_dir: Path) -> None:
    import zipfile

    import pdfplumber

    _, spec = _open(data_dir, full_id=True)
    full = spec.taxpayer_id_printed
    assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", full)
    out = data_dir / "case.zip"
    assert case("export", "1", str(out)).exit_code == 0
    digits = full.replace("-", "")
    database = b"".join(Path(f"{sqlite_path()}{s}").read_bytes() for s in ("", "-wal") if Path(f"{sqlite_path()}{s}").exists())
    assert full.encode() not in database
    assert digits.encode() not in database
    with zipfile.ZipFile(out) as archive:
        for name in ("manifest.json", "journal.json"):
            text = archive.read(name).decode()
            assert full not in text
            assert digits not in text
        report = data_dir / "report.pdf"
        report.write_bytes(archive.read("case-report.pdf"))
    with pdfplumber.open(report) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert f"id ending {spec.last4}" in text
    assert full not in text
    assert digits not in text


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "42"], 2, "no case '42'"),
        (["add-doc", "1", "missing.pdf", "--kind", "return"], 2, "does not exist"),
        (["add-doc", "1", "__NOTICE__", "--kind", "postcard"], 2, "unknown document kind 'postcard'"),
        (["log-mail", "1", "--tracking", "12"], 2, "is not one"),
        (["add-payment", "1", "--amount", "12.345", "--channel", "check"], 2, "fractions of a cent"),
        (["add-payment", "1", "--amount", "-5", "--channel", "check"], 2, "more than zero"),
        (["log-call", "1", "--agent", "A", "--badge", "1", "--summary", "x", "--start", "2025-06-12T10:00",
          "--end", "2025-06-12T09:00"], 2, "ends"),
        (["correct", "1", "1", "--reason", "x", "--set", "nonsense=1"], 2, "has no field 'nonsense'"),
        (["status", "1", "gone", "--reason", "x"], 2, "unknown status"),
        (["list", "--today", "June 1"], 2, "not a valid date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(data_dir: Path, args: list[str], code: int, message: str) -> None:
    notice, _ = _open(data_dir)
    args = [str(notice) if a == "__NOTICE__" else a for a in args]
    result = case(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_file_that_is_not_a_notice_opens_no_case(data_dir: Path) -> None:
    letter = data_dir / "letter.txt"
    letter.write_text("Dear friend, thanks for the lovely dinner last week.\n", encoding="utf-8")
    result = case("new", "--notice", str(letter))
    assert result.exit_code == 3, result.output
    assert "not an IRS notice" in result.output
    assert case("list").stdout.startswith("No cases yet")


def test_a_later_notice_adds_its_code_and_deadlines(data_dir: Path) -> None:
    _open(data_dir)
    later, _ = notice_pdf(data_dir / "in", code="CP501", notice_date=date(2025, 7, 7), pay_by=date(2025, 7, 28),
                          notice_id="CP501-20250707-00999", seed=12)
    added = case("add-doc", "1", str(later), "--kind", "notice")
    assert added.exit_code == 0, added.output
    shown = _show()
    assert shown["case"]["notice_codes"] == ["CP14", "CP501"]
    assert any(d["notice_code"] == "CP501" and d["due"] == "2025-07-28" for d in shown["deadlines"])


def test_status_and_deadline_changes(data_dir: Path) -> None:
    _open(data_dir)
    moved = case("deadline", "1", "1", "--due", "2025-07-23", "--reason", "30-day hold agreed by phone")
    assert moved.exit_code == 0
    assert "is now 2025-07-23" in moved.stdout
    assert case("status", "1", "waiting", "--reason", "letter sent").exit_code == 0
    shown = _show()
    assert shown["case"]["status"] == "waiting"
    assert [e["kind"] for e in shown["journal"]][-2:] == ["deadline", "status"]


def test_the_case_commands_run_on_postgresql_when_database_url_says_so(tmp_path: Path) -> None:
    """A subprocess with DATABASE_URL: migrations run on first use; open, list and verify work."""
    require_backend("postgresql")
    import psycopg

    name = f"balancedue_cli_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
        env = {k: v for k, v in os.environ.items() if k != "BALANCEDUE_TEST_PAUSE_AT"}
        env.update(DATABASE_URL=url, BALANCEDUE_DATA_DIR=str(tmp_path / "data"))
        notice, spec = notice_pdf(tmp_path / "in")
        cli = str(Path(sys.executable).with_name("balancedue"))

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([cli, "case", *args], env=env, capture_output=True, text=True, timeout=120, check=False)

        opened = run("new", "--notice", str(notice), "--client", "Avery Tester", "--today", "2025-06-05")
        assert opened.returncode == 0, opened.stderr
        listed = run("list", "--today", "2025-06-05")
        assert "Avery Tester" in listed.stdout
        assert spec.pay_by.isoformat() in listed.stdout
        assert run("verify", "1").returncode == 0
        assert not (tmp_path / "data" / "balancedue.sqlite3").exists()  # PostgreSQL, not the SQLite file
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT COUNT(*) FROM cases_journalentry").fetchone() == (2,)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- letters and calendars from a case ----------------------------------------------------------

LETTER_OPTIONS: dict[str, tuple[str, list[str]]] = {
    # kind: (notice code the case is opened from, options the kind needs)
    "dispute": ("CP14", ["--facts", "I paid $500.00 by Direct Pay on May 1, 2025; the notice does not show it."]),
    "abatement": ("CP14", ["--relief", "first_time_abate", "--penalty", "failure-to-pay penalty"]),
    "cdp_hearing": ("LT11", ["--hearing-reason", "installment_agreement",
                             "--facts", "I can pay $300 a month and ask for an installment agreement."]),
    "installment_agreement": ("CP14", ["--monthly", "250.00", "--payment-day", "15", "--direct-debit"]),
    "cp2000_response": ("CP2000", ["--item", "Form 1099-INT, First Bank|disagree|Reported on Schedule B line 1"]),
    "penalty_computation_request": ("CP14", []),
}


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def _docx_text(path: Path) -> str:
    from docx import Document

    return " ".join(paragraph.text for paragraph in Document(str(path)).paragraphs)


@pytest.mark.parametrize("kind", sorted(LETTER_OPTIONS))
def test_each_letter_kind_from_a_case_to_pdf_and_docx(data_dir: Path, kind: str) -> None:
    code, options = LETTER_OPTIONS[kind]
    notice, spec = notice_pdf(data_dir / "in", code=code, notice_id=f"{code}-20250602-00777", full_id=True,
                              respond_by=date(2025, 7, 2) if code == "LT11" else None)
    opened = case("new", "--notice", str(notice), "--client", "Avery Tester", "--address", "12 Test Road",
                  "--address", "Springfield, IL 62704", "--today", "2025-06-05")
    assert opened.exit_code == 0, opened.output
    out = data_dir / "letters"
    enclosures = ["Copy of the notice", "Bank statement for May 2025"]
    result = runner.invoke(app, ["letter", kind, "1", *options, "--enclosure", enclosures[0], "--enclosure",
                                 enclosures[1], "--out", str(out), "--today", "2025-06-10"])
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    (docx,) = out.glob("*.docx")
    text = _pdf_text(pdf)
    assert spec.notice_id in text
    assert str(spec.notice_date.year - 1) in text  # the tax year
    assert spec.last4 in text
    for enclosure in enclosures:
        assert enclosure in text
    full = spec.taxpayer_id_printed
    for where in (text, _docx_text(docx), json.dumps(_show())):
        assert full not in where
        assert full.replace("-", "") not in where
    shown = _show()
    assert [d["kind"] for d in shown["documents"]] == ["notice", "correspondence", "correspondence"]
    letter_entry = shown["journal"][-1]
    assert letter_entry["kind"] == "letter"
    assert letter_entry["payload"]["letter_kind"] == kind
    assert letter_entry["payload"]["enclosures"] == enclosures
    assert [d["name"] for d in letter_entry["payload"]["documents"]] == [pdf.name, docx.name]
    assert case("verify", "1").exit_code == 0


def test_a_letter_without_what_its_kind_needs_is_refused(data_dir: Path) -> None:
    _open(data_dir)
    result = runner.invoke(app, ["letter", "installment_agreement", "1", "--out", str(data_dir), "--today", "2025-06-10"])
    assert result.exit_code == 2
    assert "proposed_monthly_payment is missing" in result.output
    unknown = runner.invoke(app, ["letter", "thank_you", "1", "--today", "2025-06-10"])
    assert unknown.exit_code == 2
    assert "unknown letter kind 'thank_you'" in unknown.output
    assert [e["kind"] for e in _show()["journal"]] == ["opened", "document"]  # nothing was recorded


def test_a_cdp_request_without_its_reason_names_the_option_to_give(data_dir: Path) -> None:
    # Form 12153 asks why a hearing is wanted (IRC 6330(c)(2)); without --hearing-reason the
    # letter cannot be written, and the one error line says which option gives it.
    _open(data_dir, code="LT11", notice_id="LT11-20250602-00777", respond_by=date(2025, 7, 2))
    result = runner.invoke(app, ["letter", "cdp_hearing", "1", "--facts", "I cannot pay in full",
                                 "--out", str(data_dir), "--today", "2025-06-10"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "--hearing-reason" in lines[0]
    without_day = runner.invoke(app, ["letter", "installment_agreement", "1", "--monthly", "250.00", "--direct-debit",
                                      "--out", str(data_dir), "--today", "2025-06-10"])
    assert without_day.exit_code == 2
    assert "--payment-day" in without_day.output


def test_calendar_of_one_case_and_of_every_open_case(data_dir: Path) -> None:
    from datetime import timedelta

    from icalendar import Calendar

    _open(data_dir)
    second, _ = notice_pdf(data_dir / "in", code="CP501", notice_date=date(2025, 7, 7), pay_by=date(2025, 7, 28),
                           notice_id="CP501-20250707-00999", seed=12)
    assert case("new", "--notice", str(second), "--client", "Blake Tester", "--today", "2025-07-10").exit_code == 0
    first_deadlines = _show("1")["deadlines"]
    one = data_dir / "one.ics"
    result = runner.invoke(app, ["calendar", "1", str(one)])
    assert result.exit_code == 0, result.output
    events = [c for c in Calendar.from_ical(one.read_bytes()).walk("VEVENT")]
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == sorted(d["due"] for d in first_deadlines)
    for event in events:
        triggers = sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM"))
        # 7 and 2 days before the all-day event, at 09:00 (see balancedue.letters.calendar)
        assert triggers == [timedelta(days=-7, hours=9), timedelta(days=-2, hours=9)]
    every = data_dir / "all.ics"
    assert runner.invoke(app, ["calendar", str(every)]).exit_code == 0
    both = len(first_deadlines) + len(_show("2")["deadlines"])
    assert len(list(Calendar.from_ical(every.read_bytes()).walk("VEVENT"))) == both
    assert case("status", "2", "closed", "--reason", "paid").exit_code == 0
    assert runner.invoke(app, ["calendar", str(every)]).exit_code == 0
    assert len(list(Calendar.from_ical(every.read_bytes()).walk("VEVENT"))) == len(first_deadlines)
    bad = runner.invoke(app, ["calendar", "1", "2", str(every)])
    assert bad.exit_code == 2


def test_a_file_name_with_a_full_id_is_masked_and_a_full_id_option_refused(data_dir: Path) -> None:
    notice, spec = notice_pdf(data_dir / "in", full_id=True)
    full = spec.taxpayer_id_printed
    named = notice.with_name(f"notice {full}.pdf")
    notice.rename(named)
    refused = case("new", "--notice", str(named), "--id-last4", full)
    assert refused.exit_code == 2
    assert "last four digits only" in refused.output
    assert full not in refused.output
    assert case("new", "--notice", str(named), "--id-last4", "0042").exit_code == 0
    shown = _show()
    assert shown["case"]["client"]["id_last4"] == "0042"
    assert shown["documents"][0]["name"] == f"notice XXX-XX-{spec.last4}.pdf"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://someone@127.0.0.1:3306/cases", "is not supported"),
        ("postgresql://someone@127.0.0.1:1/cases", "cannot be opened"),  # nothing listens on port 1
    ],
)
def test_a_database_url_that_cannot_be_used_is_one_line_and_exit_2(tmp_path: Path, url: str, message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BALANCEDUE_TEST_PAUSE_AT"}
    env.update(DATABASE_URL=url, BALANCEDUE_DATA_DIR=str(tmp_path / "data"))
    cli = str(Path(sys.executable).with_name("balancedue"))
    result = subprocess.run([cli, "case", "list"], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
