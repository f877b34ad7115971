"""Running whole commands in the trust tests' sandbox.

A uniquely named module (not ``conftest``) so that test modules can import it whichever other
test folders are collected in the same run: each folder has its own ``conftest``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS / "fuzz", TESTS / "fixtures", Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fuzz_sandbox import TALLY, Sandbox  # noqa: E402

__all__ = ["TALLY", "CliRun", "Sandbox", "run_cli"]


@dataclass(frozen=True)
class CliRun:
    """One command line run in the sandbox."""

    args: list[str]
    exit_code: int | None
    stdout: str
    stderr: str
    exception: str | None
    seconds: float
    problem: str = ""
    cpu_seconds: float = 0.0
    """Processor time the command took in the sandbox (its own and its child processes'): unlike
    ``seconds`` (wall time, for the hang guard), it does not grow when the machine is busy."""

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_cli(
    sandbox: Sandbox, args: list[str], *, timeout: float = 120, cwd: Path | None = None,
    env: dict[str, str] | None = None, stdin: str | None = None,
) -> CliRun:
    """Run ``balancedue ARGS`` through Typer's test runner in the sandbox's child process."""
    request: dict[str, Any] = {"args": args, "cwd": str(cwd) if cwd else None, "env": env, "input": stdin}
    start = time.monotonic()
    outcome = sandbox.run("cli", json.dumps(request).encode(), timeout)
    seconds = time.monotonic() - start
    if outcome.kind != "read":
        return CliRun(args, None, "", "", None, seconds, problem=outcome.describe())
    result = json.loads(outcome.detail)
    return CliRun(args, result["exit_code"], result["stdout"], result["stderr"], result["exception"], seconds,
                  cpu_seconds=float(result.get("cpu_seconds", 0.0)))
