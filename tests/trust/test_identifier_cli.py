"""The command line never prints a full id written with Unicode dashes, dots or a glued prefix.

Finding reproduced: en dashes and other Unicode hyphens, dots, ``SSN123-...`` and ``SSN_123-...``
reached ``analyze --json``, ``read`` and ``scam-check`` output, and a file named
``CP14_123-45-6789`` was echoed as it was.  The scan (``pii``) knows nothing of the masking.
"""

from __future__ import annotations

from pathlib import Path

import pii
import pytest
from typer.testing import CliRunner

import privacy_scan
from balancedue.cli import app

SSN, EIN = "987654321", "983456789"
NOTICE = (
    "Internal Revenue Service\nNotice CP14\nNotice date June 2, 2025\n"
    "Taxpayer SSN 987\u201365\u20134321, also SSN_987.65.4321 and SSN987654321; EIN98\u20103456789\n"
    "Tax year 2024\nAmount due by June 23, 2025: $1,523.40\nBalance due\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ["read", "{file}", "--json"],
        ["analyze", "{file}", "--json", "--today", "2025-06-10"],
        ["analyze", "{file}", "--today", "2025-06-10"],
        ["scam-check", "--file", "{file}", "--json", "--today", "2025-06-10"],
        ["scam-check", NOTICE, "--today", "2025-06-10"],
    ],
)
def test_no_full_id_in_command_output(tmp_path: Path, args: list[str]) -> None:
    notice = tmp_path / "CP14_987\u201365\u20134321.txt"
    notice.write_text(NOTICE, encoding="utf-8")
    privacy_scan.declare_input(notice)  # a full id in its name, on purpose
    result = CliRunner().invoke(app, [a.replace("{file}", str(notice)) for a in args])
    assert result.exit_code in (0, 1, 3), result.output
    leaks = pii.scan_text(result.output, " ".join(args[:1]), [SSN, EIN])
    assert not leaks, leaks
