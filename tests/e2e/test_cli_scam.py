"""``balancedue scam-check`` end to end, through Typer's CliRunner."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from balancedue.cli import app
from balancedue.services import scam as scam_service

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scam_messages"

SCAM_CALL = (
    "The caller said he was from the IRS, that a warrant was out for my arrest, and that I "
    "had to pay with Google Play gift cards today."
)


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_text_argument_report() -> None:
    code, out, _ = _run("scam-check", SCAM_CALL)
    assert code == 0  # a verdict is not an error
    assert "LIKELY SCAM" in out
    assert "Asks for payment" in out
    assert "Threatens arrest" in out
    assert "800-366-4484" in out  # TIGTA, where to report a call
    assert "What not to do" in out


def test_json_is_deterministic_and_complete() -> None:
    first = _run("scam-check", SCAM_CALL, "--json", "--today", "2025-06-01")
    second = _run("scam-check", SCAM_CALL, "--json", "--today", "2025-06-01")
    assert first == second
    assert first[0] == 0
    data = json.loads(first[1])
    assert data["verdict"] == "likely_scam"
    assert data["kind"] == "call"
    assert isinstance(data["score"], str)  # Decimals travel as strings
    ids = [s["id"] for s in data["signals"]]
    assert "payment.gift_card" in ids
    assert "threat.arrest" in ids
    for signal in data["signals"]:
        assert signal["source"]["citation"]
        assert signal["explanation"]
        assert isinstance(signal["weight"], str)
    assert data["where_to_report"]
    assert data["how_to_verify"]
    assert data["next_steps"]


def test_user_text_is_not_read_as_markup() -> None:
    code, out, _ = _run(
        "scam-check", "IRS: pay [bold]now[/bold] with gift cards", "--kind", "message"
    )
    assert code == 0
    assert "[bold]now[/bold]" in out


def test_phone_alone() -> None:
    code, out, _ = _run("scam-check", "--phone", "800-829-1040")
    assert code == 0
    assert "CONSISTENT WITH AN OFFICIAL NUMBER" in out
    assert "Caller ID can be" in out
    code, out, _ = _run("scam-check", "--phone", "(202) 555-0147", "--json")
    assert code == 0
    assert json.loads(out)["verdict"] == "suspicious"


def test_url_alone() -> None:
    code, out, _ = _run("scam-check", "--url", "https://irs.gov.pay-now.com/login", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "likely_scam"
    assert data["signals"][0]["id"] == "link.lookalike"


def test_text_file(tmp_path: Path) -> None:
    letter = tmp_path / "letter.txt"
    text = next(
        m["text"]
        for m in __import__("yaml").safe_load(
            (FIXTURES / "genuine_notices.yaml").read_text("utf-8")
        )["messages"]
        if m["id"] == "genuine-cp504-intent-to-levy"
    )
    letter.write_text(text, encoding="utf-8")
    code, out, _ = _run("scam-check", "--file", str(letter), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "consistent"
    assert data["kind"] == "letter"


def test_eml_file_with_attachment(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "IRS Notices <notice@irs-noticecenter.com>"
    message["Subject"] = "Notice of unreported income"
    message.set_content("Open the attached form and return it within 48 hours.")
    message.add_attachment(
        b"PK\x03\x04", maintype="application", subtype="zip", filename="Notice.zip"
    )
    path = tmp_path / "phish.eml"
    path.write_bytes(message.as_bytes())
    code, out, _ = _run("scam-check", "--file", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "message"
    assert data["verdict"] == "likely_scam"
    assert "link.lookalike" in {s["id"] for s in data["signals"]}


def test_html_only_eml(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Refunds <refund@irsrefunds.support>"
    message["Subject"] = "Refund"
    message.set_content("<p>Claim your refund: enter your <b>password</b></p>", subtype="html")
    path = tmp_path / "html.eml"
    path.write_bytes(message.as_bytes())
    code, out, _ = _run("scam-check", "--file", str(path), "--json")
    assert code == 0
    ids = {s["id"] for s in json.loads(out)["signals"]}
    assert {"credential.secrets", "credential.refund_bait"} <= ids


def test_stdin() -> None:
    code, out, _ = _run("scam-check", "-", "--json", stdin=SCAM_CALL)
    assert code == 0
    assert json.loads(out)["verdict"] == "likely_scam"


def test_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(
        ("Dear taxpayer, this is a long letter. " * 27_000)[:1_000_000], encoding="utf-8"
    )
    code, out, _ = _run("scam-check", "--file", str(path), "--json")
    assert code == 0
    assert json.loads(out)["kind"] == "letter"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scam-check"], "give exactly one thing to check"),
        (["scam-check", "text", "--phone", "800-829-1040"], "got TEXT, --phone"),
        (["scam-check", ""], "the text is empty"),
        (["scam-check", "   "], "the text is empty"),
        (["scam-check", "--phone", "12345"], "is not a phone number"),
        (["scam-check", "--url", "not a link"], "is not a link"),
        (["scam-check", "hello", "--kind", "fax"], "--kind 'fax'"),
        (["scam-check", "hello", "--kind", "url"], "use --phone or --url"),
        (["scam-check", "hello", "--today", "2025-13-01"], "not a valid date"),
        (["scam-check", "--file", "/no/such/file.txt"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    code, out, err = _run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = _run("scam-check", "--file", str(path))
    assert code == 2
    assert "binary" in err


def test_not_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Payez avec des cartes cadeaux \xe9\xe8".encode("latin-1") + b"\xff\xfe\xfa")
    code, _, err = _run("scam-check", "--file", str(path))
    assert code == 2
    assert "not readable text" in err


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    code, _, err = _run("scam-check", "--file", str(path))
    assert code == 2
    assert "empty" in err


def test_pdf_needs_the_notice_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scam_service, "notice_reader", lambda rules: None)
    path = tmp_path / "notice.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    code, _, err = _run("scam-check", "--file", str(path))
    assert code == 2
    assert "needs the notice reader" in err


def test_the_notice_reader_plugs_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    read: list[Path] = []

    def reader(file: Path) -> tuple[str, bool]:
        read.append(file)
        return "BUREAU OF TAX ENFORCEMENT. Pay within 24 hours.", False

    monkeypatch.setattr(scam_service, "notice_reader", lambda rules: reader)
    code, out, _ = _run("scam-check", "--file", str(path), "--json")
    assert code == 0
    assert read == [path]
    data = json.loads(out)
    assert data["kind"] == "letter"
    assert data["verdict"] == "likely_scam"


def test_scanned_letters_skip_spelling_signals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"\xff\xd8\xff")
    text = (
        "Department of the Treasury, lnternal Revenue Servlce\nNotice CP14  Tax year 2023  "
        "SSN XXX-XX-4821\nPay to the United States Treasury. If you disagree, call 800-829-1040."
    )
    monkeypatch.setattr(scam_service, "notice_reader", lambda rules: lambda _file: (text, True))
    code, out, _ = _run("scam-check", "--file", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["verdict"] == "consistent"
    assert "read from a scan" in data["checked"]
    pasted = json.loads(_run("scam-check", text, "--kind", "letter", "--json")[1])
    assert pasted["verdict"] == "likely_scam"  # typed text: the misspelling counts


def test_help_lists_the_command() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    assert "scam-check" in out
