"""Trust tests: hostile files and personal data, run through whole commands in a sandbox."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

for folder in (Path(__file__).resolve().parent,):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from trust_cli import TALLY, Sandbox  # noqa: E402


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    try:
        yield box
    finally:
        box.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    keys = sorted(k for k in TALLY if k.startswith(("hostile", "privacy")))
    if not keys:
        return
    terminalreporter.section("trust: inputs tried")
    for key in keys:
        counts = TALLY[key]
        detail = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        terminalreporter.write_line(f"{key:28} {sum(counts.values()):5} runs: {detail}")
