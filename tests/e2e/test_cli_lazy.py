"""Commands load on first use: the help lists every command without importing any of them, and a
command imports only the libraries it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from balancedue.cli import COMMANDS, app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-cp14.pdf"
HEAVY = ("reportlab", "django", "cv2", "onnxruntime", "rapidocr", "jinja2", "docx", "icalendar", "numpy")

PROBE = """
import json, sys
from balancedue.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_after(*args: str) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                          check=True, cwd=ROOT)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _roots(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_every_summary_is_the_first_paragraph_of_the_commands_own_help() -> None:
    group = typer.main.get_command(app)
    for name, spec in COMMANDS.items():
        real = spec.load(name)
        assert (real.help or "").split("\n\n")[0].strip() == spec.summary, name
    assert list(group.list_commands(None)) == list(COMMANDS)  # type: ignore[attr-defined]


def test_help_lists_every_command_and_imports_none() -> None:
    modules = _modules_after("--help")
    assert not {m for m in modules if m.startswith("balancedue.cli.") and m.endswith("_cmd")}
    assert not _roots(modules) & {*HEAVY, "balancedue.services", "pydantic"}
    assert "balancedue.rules" not in modules


def test_version_imports_no_command() -> None:
    modules = _modules_after("--version")
    assert not {m for m in modules if m.endswith("_cmd") or m.startswith(("balancedue.services", "balancedue.rules"))}
    assert not _roots(modules) & set(HEAVY)


def test_a_rate_needs_neither_yaml_once_compiled_nor_any_heavy_library() -> None:
    _modules_after("rules", "rate", "2024-03-15", "--json")  # compiles the rules if needed
    modules = _modules_after("rules", "rate", "2024-03-15", "--json")
    assert "balancedue.cli.rules_cmd" in modules
    assert "balancedue.cli.analyze_cmd" not in modules
    assert not _roots(modules) & {*HEAVY, "yaml", "holidays", "pdfplumber"}


def test_analyzing_a_text_pdf_loads_no_ocr_no_django_and_no_report_writer() -> None:
    modules = _modules_after("analyze", str(SAMPLE), "--today", "2025-06-10", "--json")
    assert "balancedue.cli.analyze_cmd" in modules
    assert not _roots(modules) & set(HEAVY)


@pytest.mark.parametrize("args", [["analyse"], ["case", "lst"]])
def test_a_mistyped_command_still_gets_a_suggestion(args: list[str]) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "Did you mean" in result.output
