"""No full SSN, ITIN or EIN leaves the program: not on screen, in errors, logs, reports or files.

Documents full of fictional numbers (``tests/fixtures/make_pii.py``) go through every command,
with ``--verbose`` so debug logging is on; standard output, standard error (errors and logs)
and every file written (PDF text, HTML, JSON) are scanned with :mod:`pii`.  The only place a
full number may stay is the input file the user gave.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import make_pii
import pii
import pytest
from fuzz_sandbox import Sandbox
from trust_cli import TALLY, run_cli

import privacy_scan
from balancedue.rules import load_rules

RULES = load_rules()

TODAY = "2025-06-10"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> make_pii.PiiSet:
    folder = tmp_path_factory.mktemp("pii-inputs")
    built = make_pii.build(folder)
    privacy_scan.declare_inputs(folder)  # full ids on purpose: the inputs, not outputs
    return built


def _commands(d: dict[str, Path], out: Path) -> dict[str, list[str]]:
    return {
        "read pdf": ["read", str(d["notice.pdf"])],
        "read pdf json": ["read", str(d["notice.pdf"]), "--json"],
        "read photo json": ["read", str(d["notice.png"]), "--json"],
        "read text": ["read", str(d["notice.txt"])],
        "analyze everything": [
            "analyze", str(d["notice.pdf"]), "--records", str(d["records.json"]), "--finances", str(d["finances.json"]),
            "--transcript", str(d["transcript.txt"]), "--today", TODAY,
            "--pdf", str(out / "report.pdf"), "--html", str(out / "report.html"),
        ],
        "analyze json": ["analyze", str(d["notice.txt"]), "--records", str(d["records.json"]), "--today", TODAY, "--json"],
        "analyze photo": ["analyze", str(d["notice.png"]), "--today", TODAY, "--pdf", str(out / "photo-report.pdf")],
        "transcript": ["transcript", str(d["transcript.txt"])],
        "transcript json": ["transcript", str(d["transcript.txt"]), "--json", "--as-of", TODAY],
        "compute": ["compute", str(d["scenario.json"])],
        "compute json": ["compute", str(d["scenario.json"]), "--json"],
        "scam-check text": ["scam-check", "-", "--today", TODAY],
        "scam-check file json": ["scam-check", "--file", str(d["message.txt"]), "--today", TODAY, "--json"],
        "scam-check eml": ["scam-check", "--file", str(d["message.eml"]), "--today", TODAY],
        "scam-check notice pdf": ["scam-check", "--file", str(d["notice.pdf"]), "--today", TODAY, "--json"],
        "error: records": ["analyze", str(d["notice.txt"]), "--records", str(d["records_bad.json"]), "--today", TODAY],
        "error: scenario year": ["compute", str(d["scenario_bad.json"])],
        "error: scenario date": ["compute", str(d["scenario_bad_event.json"])],
        "error: --today": ["analyze", str(d["notice.txt"]), "--today", make_pii.fictional_numbers(make_pii.random.Random(1))["ssn_000"]],
    }


INPUTS = (
    "notice.pdf", "notice.png", "notice.txt", "records.json", "finances.json", "transcript.txt", "scenario.json",
    "message.txt", "message.eml", "records_bad.json", "scenario_bad.json", "scenario_bad_event.json",
)
COMMAND_NAMES = list(_commands({name: Path(name) for name in INPUTS}, Path()))


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_no_full_number_in_output_logs_or_files(
    sandbox: Sandbox, documents: make_pii.PiiSet, tmp_path: Path, command: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = ["--verbose", *_commands(documents.files, out)[command]]
    stdin = documents.files["message.txt"].read_text(encoding="utf-8") if command == "scam-check text" else None
    run = run_cli(sandbox, args, cwd=out, timeout=120, stdin=stdin)
    assert not run.problem, run.problem
    assert run.exception is None, run.exception
    assert run.exit_code in (0, 2, 3), f"exit {run.exit_code}: {run.stderr[-600:]}"
    if command.startswith("error"):
        assert run.exit_code == 2, f"{command}: expected a refusal, got exit {run.exit_code}"
    leaks = pii.scan_text(run.stdout, "stdout", documents.numbers) + pii.scan_text(run.stderr, "stderr (errors and logs)", documents.numbers)
    written = [p for p in out.rglob("*") if p.is_file()]
    for path in written:
        leaks += pii.scan_file(path, documents.numbers)
        assert path.stat().st_mode & 0o777 == 0o600, f"{path.name} is readable by others"
    TALLY[f"privacy: {command}"]["clean" if not leaks else "leaked"] += 1 + len(written)
    assert not leaks, f"balancedue {' '.join(args[:2])} ...: full numbers leaked:\n" + "\n".join(map(str, leaks[:10]))


def test_the_documents_do_hold_full_numbers(documents: make_pii.PiiSet) -> None:
    """The scan would see a leak: every input carries full numbers the scanner finds."""
    for name in ("notice.txt", "notice.pdf", "transcript.txt", "records.json", "scenario.json", "finances.json", "message.eml"):
        assert pii.scan_file(documents.files[name], documents.numbers), name
    assert len(documents.numbers) == 8


def test_the_scanner_finds_each_printed_form_and_spares_masked_ones() -> None:
    digits = "".join(str((n * 7) % 10) for n in range(9))
    for form in pii.printed_forms(digits):
        assert pii.scan_text(f"id {form}.", "t", [digits]), form
    masked = f"XXX-XX-{digits[-4:]} and ...{digits[-4:]} and XX-XXX{digits[-4:]}"
    assert pii.scan_text(masked, "t", [digits]) == []
    shaped = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    assert pii.scan_text(f"unplanted {shaped} here", "t") != []


def test_debug_logs_of_the_services_hold_no_full_number(documents: make_pii.PiiSet, caplog: pytest.LogCaptureFixture) -> None:
    """The same documents through the services in this process, with every logger at DEBUG."""
    from datetime import date

    from balancedue.errors import BalancedueError
    from balancedue.intake import read_document
    from balancedue.services import analyze, compute, scam, transcripts
    from balancedue.services.read import read_notice, read_pasted_notice

    files = documents.files
    caplog.set_level("DEBUG")
    today = date.fromisoformat(TODAY)
    read_notice(files["notice.pdf"], RULES)
    read_pasted_notice(files["notice.txt"].read_text(encoding="utf-8"), RULES)
    report = analyze.analyze(
        analyze.AnalysisInputs(
            notice=files["notice.pdf"], today=today, records=files["records.json"],
            finances=files["finances.json"], transcripts=(files["transcript.txt"],),
        ),
        RULES,
    )
    transcripts.report_to_json(transcripts.analyze_files([files["transcript.txt"]], as_of=today, rules=RULES), RULES)
    compute.compute_statement(compute.load_scenario(files["scenario.json"]), None, rules=RULES)
    scam.scam_check(file=files["message.eml"], today=today, rules=RULES)
    damaged = files["notice.png"].read_bytes()
    with contextlib.suppress(BalancedueError):  # a damaged copy: the reader logs why it refused it
        read_document(damaged[: len(damaged) // 2], name="damaged.png", rules=RULES)
    assert report.notice is not None
    assert any(r.levelname == "DEBUG" for r in caplog.records), "nothing was logged at DEBUG: the scan would prove nothing"
    leaks = pii.scan_text(caplog.text, "log records", documents.numbers)
    assert not leaks, "\n".join(map(str, leaks[:10]))
