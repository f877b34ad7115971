"""Every hostile file, through every command that takes it: refused with one line, in time.

The corpus comes from ``tests/fixtures/make_hostile.py``.  Each command line runs through
Typer's test runner in a child process with a memory limit (``fuzz_sandbox``), so a file that
blows up memory or hangs fails its test instead of the whole run.  A refusal is exit code 2
(bad input) or 3 (readable but not what was expected) with exactly one ``balancedue: error:``
line on standard error and no traceback.
"""

from __future__ import annotations

from pathlib import Path

import make_hostile
import pytest
from fuzz_sandbox import Sandbox
from trust_cli import TALLY, CliRun, run_cli

TODAY = "2025-06-10"
NOTICE = Path(__file__).resolve().parents[1] / "fixtures" / "analyze" / "cp14-match.txt"

TIME_LIMIT_SECONDS = 20
"""A refusal, even one that needed OCR first, takes at most this much processor time (measured in
the sandbox, so a busy machine does not make it fail); the wall-clock limit per run is a guard
against a hang, three times as long."""

COMMANDS: dict[str, dict[str, list[str]]] = {
    "document": {
        "read": ["read", "{file}"],
        "analyze": ["analyze", "{file}", "--today", TODAY],
        "transcript": ["transcript", "{file}"],
        "scam-check": ["scam-check", "--file", "{file}", "--today", TODAY],
    },
    "scenario": {"compute": ["compute", "{file}", "--as-of", TODAY]},
    "estimated-tax": {"compute --estimated-tax": ["compute", "--estimated-tax", "{file}"]},
    "records": {"analyze --records": ["analyze", str(NOTICE), "--records", "{file}", "--today", TODAY]},
    "finances": {"analyze --finances": ["analyze", str(NOTICE), "--finances", "{file}", "--today", TODAY]},
}

CASES = [
    pytest.param(item["file"], command, args, id=f"{item['file']}-{command}")
    for item in make_hostile.catalog()
    for target in item["targets"]
    if target in COMMANDS
    for command, args in COMMANDS[str(target)].items()
]


@pytest.fixture(scope="session")
def corpus() -> Path:
    make_hostile.build_corpus()
    return make_hostile.DEFAULT_OUTPUT


def assert_refused(run: CliRun) -> None:
    """Exit 2 or 3, one error line, no traceback, in time."""
    shown = f"balancedue {' '.join(run.args)}"
    assert not run.problem, f"{shown}: {run.problem}"
    assert run.exception is None, f"{shown}: raised {run.exception}"
    assert run.exit_code in (2, 3), f"{shown}: exit code {run.exit_code}\nstdout: {run.stdout[-800:]}\nstderr: {run.stderr[-800:]}"
    assert len(run.stderr_lines) == 1, f"{shown}: expected one error line, got {run.stderr_lines}"
    assert run.stderr_lines[0].startswith("balancedue: error: "), f"{shown}: {run.stderr_lines[0]!r}"
    assert "Traceback" not in run.stdout + run.stderr, f"{shown}: a traceback was printed"
    assert run.cpu_seconds < TIME_LIMIT_SECONDS, f"{shown}: took {run.cpu_seconds:.1f} s of processor time"


@pytest.mark.parametrize(("name", "command", "template"), CASES)
def test_hostile_file_is_refused_clearly(sandbox: Sandbox, corpus: Path, name: str, command: str, template: list[str]) -> None:
    args = [part.replace("{file}", str(corpus / name)) for part in template]
    run = run_cli(sandbox, args, timeout=max(TIME_LIMIT_SECONDS * 3, 60))
    TALLY[f"hostile: {command}"]["refused" if run.exit_code in (2, 3) else "failed"] += 1
    assert_refused(run)


def test_the_corpus_is_what_it_says(corpus: Path) -> None:
    """Spot checks that the generator still builds hostile files, not harmless ones."""
    assert (corpus / "empty.pdf").stat().st_size == 0
    assert b"/Length 4398046511104" in (corpus / "huge_declared_stream.pdf").read_bytes()
    assert (corpus / "inflates_to_1gb.pdf").stat().st_size < 2 * 1024 * 1024
    assert (corpus / "nested_arrays.pdf").read_bytes().count(b"[") >= 100_000
    assert b"/Encrypt" in (corpus / "encrypted.pdf").read_bytes()
    png = (corpus / "png_bomb_900mp.png").read_bytes()
    assert int.from_bytes(png[16:20], "big") * int.from_bytes(png[20:24], "big") == 900_000_000
    assert len(png) < 2 * 1024 * 1024
    assert (corpus / "string_50mb.json").stat().st_size > 50 * 1024 * 1024
    assert (corpus / "billion_laughs.yaml").read_text().count("*") >= 80
