"""Running `balancedue analyze --json` in process, the way the e2e tests of the report do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from balancedue.advice.report import Report
from balancedue.cli import app

runner = CliRunner()


def analyze_json(notice: Path, *extra: str, today: str) -> dict[str, Any]:
    """The JSON report of ``notice`` as of ``today``, checked against the report's schema."""
    result = runner.invoke(app, ["analyze", str(notice), "--json", "--today", today, *extra])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    Report.model_validate(data)
    return data


def option(report: dict[str, Any], option_id: str) -> dict[str, Any]:
    return next(o for o in report["options"]["options"] if o["id"] == option_id)
