"""The fuzz short pass: one sandbox for the session, and a count of inputs tried per target."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from fuzz_sandbox import TALLY, Sandbox  # noqa: E402
from fuzz_targets import TARGETS  # noqa: E402


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    box = Sandbox()
    try:
        yield box
    finally:
        box.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    targets = sorted(t for t in TALLY if t in TARGETS)
    if not targets:
        return
    terminalreporter.section("fuzz short pass: inputs tried per target")
    for target in targets:
        counts = TALLY[target]
        others = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if kind not in ("read", "refused"))
        terminalreporter.write_line(
            f"{target:16} {sum(counts.values()):5} inputs: {counts['read']} read, "
            f"{counts['refused']} refused with a clear error" + (f", {others}" if others else "")
        )
