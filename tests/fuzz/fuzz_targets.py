"""The fuzz targets: each takes the bytes of one input and runs it the way a user's file would go.

A target either finishes (the input was read) or raises a
:class:`balancedue.errors.BalancedueError` whose message is one clear line.  Anything else - any
other exception, a hang, a memory blow-up - is a failure; :mod:`fuzz_sandbox` runs each input in
a child process with a time and a memory limit and tells which it was.

The hypothesis strategies (:mod:`fuzz_strategies`) and the atheris harness (``fuzz/``) share
these targets, so a crash found by one can be replayed by the other.

Structured files (scenario, records, finances, estimated tax) are encoded as one byte naming the
file kind followed by the file's content: ``j`` for ``.json``, anything else for ``.yaml``.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from balancedue.advice.report import Report
    from balancedue.rules import RuleSet

FIXED_TODAY = date(2025, 6, 10)
"""Every target runs as of this day, so the same input always takes the same path."""

REPO = Path(__file__).resolve().parents[2]
ANALYZE_FIXTURES = REPO / "tests" / "fixtures" / "analyze"
BASE_NOTICE = ANALYZE_FIXTURES / "cp14-match.txt"
"""The notice that the records and finances targets analyze together with the fuzzed file."""


@dataclass(frozen=True)
class Target:
    """One fuzz target."""

    name: str
    run: Callable[[bytes, Path], None]
    heavy: bool
    timeout: float
    what: str


@cache
def _rules() -> RuleSet:
    from balancedue.rules import load_rules

    return load_rules()


def split_structured(data: bytes) -> tuple[str, bytes]:
    """The file suffix and content of an encoded structured file."""
    if not data:
        return ".yaml", b""
    return (".json" if data[:1] == b"j" else ".yaml"), data[1:]


def encode_structured(suffix: str, content: bytes) -> bytes:
    """The inverse of :func:`split_structured`."""
    return (b"j" if suffix == ".json" else b"y") + content


def _write(workdir: Path, name: str, content: bytes) -> Path:
    path = workdir / name
    path.write_bytes(content)
    return path


def _render(report: Report) -> None:
    """Every way a report leaves the program except PDF (slow; the hostile corpus covers it)."""
    from balancedue.reports.html import render_html
    from balancedue.reports.terminal import print_report
    from balancedue.services.serialize import dumps

    dumps(report.model_dump(mode="json"))
    render_html(report)
    print_report(report, Console(file=io.StringIO(), width=100, force_terminal=False))


def _analyze(notice: Path, *, records: Path | None = None, finances: Path | None = None) -> None:
    from balancedue.services import analyze

    inputs = analyze.AnalysisInputs(notice=notice, today=FIXED_TODAY, records=records, finances=finances)
    _render(analyze.analyze(inputs, rules=_rules()))


def run_notice_text(data: bytes, workdir: Path) -> None:
    """A notice given as a text file (``analyze notice.txt``) and as pasted text (``read -``)."""
    from balancedue.errors import BalancedueError
    from balancedue.intake import read_text

    refused: BalancedueError | None = None
    try:
        read_text(data.decode("utf-8", errors="replace"), rules=_rules())
    except BalancedueError as exc:
        refused = exc
    _analyze(_write(workdir, "notice.txt", data))
    if refused is not None:
        raise refused


def run_notice_document(data: bytes, workdir: Path) -> None:
    """A notice given as a file of any kind: PDF, photo, scan (``read FILE``)."""
    from balancedue.intake import read_document

    read_document(data, name="document", rules=_rules())


def run_transcript(data: bytes, workdir: Path) -> None:
    """An account transcript file, read, reconciled and projected (``transcript FILE``)."""
    from balancedue.services import transcripts
    from balancedue.services.serialize import dumps

    suffix = ".pdf" if data.startswith(b"%PDF") else ".txt"
    path = _write(workdir, f"transcript{suffix}", data)
    report = transcripts.analyze_files([path], as_of=FIXED_TODAY, rules=_rules())
    dumps(transcripts.report_to_json(report, _rules()))


def run_scenario(data: bytes, workdir: Path) -> None:
    """A scenario file, computed and projected a year ahead (``compute FILE --project``)."""
    from balancedue.services import compute
    from balancedue.services.serialize import dumps

    suffix, content = split_structured(data)
    scenario = compute.load_scenario(_write(workdir, f"scenario{suffix}", content))
    statement = compute.compute_statement(scenario, None if scenario.as_of else FIXED_TODAY, rules=_rules())
    dumps(compute.statement_to_json(statement))
    until = statement.as_of + timedelta(days=400) if statement.as_of < date(9000, 1, 1) else statement.as_of
    compute.project(scenario, statement.as_of, until, compute.ProjectionStep.MONTH, _rules())


def run_records(data: bytes, workdir: Path) -> None:
    """A records file analyzed with a notice (``analyze NOTICE --records FILE``)."""
    suffix, content = split_structured(data)
    notice = workdir / "notice.txt"
    shutil.copyfile(BASE_NOTICE, notice)
    _analyze(notice, records=_write(workdir, f"records{suffix}", content))


def run_finances(data: bytes, workdir: Path) -> None:
    """A finances file analyzed with a notice (``analyze NOTICE --finances FILE``)."""
    suffix, content = split_structured(data)
    notice = workdir / "notice.txt"
    shutil.copyfile(BASE_NOTICE, notice)
    _analyze(notice, finances=_write(workdir, f"finances{suffix}", content))


def run_estimated_tax(data: bytes, workdir: Path) -> None:
    """An estimated-tax file (``compute --estimated-tax FILE``)."""
    from balancedue.services import estimated_tax
    from balancedue.services.serialize import dumps

    suffix, content = split_structured(data)
    result = estimated_tax.estimated_tax_penalty(_write(workdir, f"esttax{suffix}", content), rules=_rules())
    dumps(estimated_tax.estimated_tax_to_json(result))


def run_scam(data: bytes, workdir: Path) -> None:
    """A message checked for impersonation: as text, as a .txt file, as a saved e-mail."""
    from balancedue.services import scam
    from balancedue.services.serialize import dumps

    route, content = (data[:1], data[1:]) if data else (b"t", b"")
    if route == b"e":
        verdict = scam.scam_check(file=_write(workdir, "message.eml", content), today=FIXED_TODAY, rules=_rules())
    elif route == b"f":
        verdict = scam.scam_check(file=_write(workdir, "message.txt", content), today=FIXED_TODAY, rules=_rules())
    else:
        text = content.decode("utf-8", errors="replace")
        verdict = scam.scam_check(text=text, today=FIXED_TODAY, rules=_rules())
    dumps(verdict)


LIGHT_TIMEOUT = 20.0
"""Seconds one input of a light target may take (they take milliseconds)."""

HEAVY_TIMEOUT = 90.0
"""Seconds one document may take: up to eight pages of OCR, each possibly read twice."""

TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("notice-text", run_notice_text, False, LIGHT_TIMEOUT, "notice reader and analysis, text input"),
        Target("notice-document", run_notice_document, True, HEAVY_TIMEOUT, "notice reader, PDF and image input"),
        Target("transcript", run_transcript, False, LIGHT_TIMEOUT, "transcript parser, ledger, CSED"),
        Target("scenario", run_scenario, False, LIGHT_TIMEOUT, "scenario loader, compute, projection"),
        Target("records", run_records, False, LIGHT_TIMEOUT, "records reader and verification"),
        Target("finances", run_finances, False, LIGHT_TIMEOUT, "finances reader and payment options"),
        Target("estimated-tax", run_estimated_tax, False, LIGHT_TIMEOUT, "estimated-tax input and penalty"),
        Target("scam", run_scam, False, LIGHT_TIMEOUT, "scam checker, text and files"),
    )
}


def run_cli(data: bytes, workdir: Path) -> str:
    """A whole command line run through Typer's test runner (the hostile-corpus and privacy tests).

    ``data`` is JSON: ``{"args": [...], "input": ..., "cwd": ..., "env": {...}}`` (all but ``args``
    optional); the answer
    is JSON with the exit code, standard output and standard error, and the exception (if any).
    """
    import json
    import logging
    import os
    import resource

    from typer.testing import CliRunner

    from balancedue.cli import app

    def cpu_seconds() -> float:
        # This process and the processes it waited for (OCR, PDF rendering): work done, whatever
        # else the machine is busy with.
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    started = cpu_seconds()
    request = json.loads(data)
    # Each real command line starts with fresh logging; the test runner's streams are closed
    # after each run, so a handler left from an earlier run would write to a closed stream.
    logging.root.handlers.clear()
    before = Path.cwd()
    if request.get("cwd"):
        os.chdir(request["cwd"])
    try:
        result = CliRunner().invoke(app, request["args"], input=request.get("input"), env=request.get("env"))
    finally:
        os.chdir(before)
    error = result.exception if not isinstance(result.exception, SystemExit) else None
    return json.dumps(
        {
            "exit_code": result.exit_code,
            "stdout": result.stdout,
            "stderr": result.stderr,
            "exception": None if error is None else f"{type(error).__name__}: {error}",
            "cpu_seconds": cpu_seconds() - started,
        }
    )


def _sleep(data: bytes, workdir: Path) -> None:
    time.sleep(3600)


def _allocate(data: bytes, workdir: Path) -> None:
    bytearray(16 * 1024**3)


def _crash(data: bytes, workdir: Path) -> None:
    raise ZeroDivisionError("on purpose")


SELF_CHECKS: dict[str, Callable[[bytes, Path], object]] = {
    "_sleep": _sleep, "_allocate": _allocate, "_crash": _crash, "cli": run_cli,
}
"""Not fuzz targets: inputs that hang, blow up and crash on purpose (the sandbox's own test),
and whole command lines (``cli``)."""


def runner(name: str) -> Callable[[bytes, Path], object]:
    """The function run for target ``name``."""
    return TARGETS[name].run if name in TARGETS else SELF_CHECKS[name]
