"""The JSON reports of `make demo` and of the analysis fixtures, compared byte for byte.

A change of report output shows here first.  When the change is meant, rewrite the goldens
and review the diff before committing it:

    .venv/bin/python -m pytest tests/e2e/test_golden_reports.py --update-goldens
    git diff tests/fixtures/golden/
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from balancedue.cli import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
ANALYZE = FIXTURES / "analyze"
GOLDEN = FIXTURES / "golden"

# name -> the arguments after `analyze` (paths relative to the repository; "{transcripts}/..."
# is a transcript written by tests/fixtures/make_transcripts.py).
CASES: dict[str, list[str]] = {
    "demo": ["examples/sample-cp14.pdf", "--records", "examples/sample-records.json", "--today", "2025-06-10"],
    "cp14-match": ["tests/fixtures/analyze/cp14-match.txt", "--records", "tests/fixtures/analyze/records-match.json",
                   "--today", "2025-06-10"],
    "cp14-missing-payment": ["tests/fixtures/analyze/cp14-missing-payment.txt", "--records",
                             "tests/fixtures/analyze/records-missing-payment.json", "--today", "2025-06-10"],
    "cp501": ["tests/fixtures/analyze/cp501.txt", "--today", "2025-07-10"],
    "cp504": ["tests/fixtures/analyze/cp504.txt", "--today", "2025-09-20"],
    "lt11-weekend": ["tests/fixtures/analyze/lt11-weekend.txt", "--today", "2025-12-22"],
    "cp2000": ["tests/fixtures/analyze/cp2000.txt", "--today", "2026-10-10"],
    "cp14-8000": ["tests/fixtures/analyze/cp14-8000.txt", "--today", "2026-11-27"],
    "cp14-45000": ["tests/fixtures/analyze/cp14-45000.txt", "--today", "2026-11-27"],
    "cp14-120000": ["tests/fixtures/analyze/cp14-120000.txt", "--today", "2026-11-27"],
    "cp14-45000-hardship": ["tests/fixtures/analyze/cp14-45000.txt", "--finances",
                            "tests/fixtures/analyze/finances-hardship.json", "--today", "2026-11-27"],
    "cp501-fta": ["tests/fixtures/analyze/cp501-fta.txt", "--transcript", "{transcripts}/fta_clean.txt",
                  "--today", "2025-06-30"],
}


def _arguments(arguments: list[str], transcripts: Path) -> list[str]:
    out = []
    for argument in arguments:
        if argument.startswith("{transcripts}/"):
            out.append(str(transcripts / argument.removeprefix("{transcripts}/")))
        elif "/" in argument:
            out.append(str(REPO / argument))
        else:
            out.append(argument)
    return out


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(FIXTURES))
    import make_transcripts

    folder = tmp_path_factory.mktemp("transcripts")
    make_transcripts.write_all(folder)
    return folder


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_report_is_unchanged(name: str, transcripts: Path, request: pytest.FixtureRequest) -> None:
    result = runner.invoke(app, ["analyze", *_arguments(CASES[name], transcripts), "--json"])
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{name}.json"
    if request.config.getoption("--update-goldens"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert golden.exists(), f"no golden for {name}: run with --update-goldens and review the diff"
    assert result.stdout == golden.read_text(encoding="utf-8"), (
        f"the JSON report of {name} changed; if that is meant, run "
        "`pytest tests/e2e/test_golden_reports.py --update-goldens` and review `git diff tests/fixtures/golden/`"
    )


def test_every_case_has_its_golden_and_no_golden_is_orphaned() -> None:
    assert sorted(path.stem for path in GOLDEN.glob("*.json")) == sorted(CASES)
