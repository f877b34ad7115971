"""The published report schema is the one the code produces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from balancedue.advice.report import SCHEMA_VERSION, Figure, Report

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_published_schema_matches_the_models() -> None:
    published = json.loads((DOCS / "report-schema.json").read_text())
    assert published == json.loads(json.dumps(Report.model_json_schema(), sort_keys=True))


def test_the_document_names_the_version_and_every_section() -> None:
    text = (DOCS / "report-schema.md").read_text()
    assert f"Schema version **{SCHEMA_VERSION}**" in text
    for name in Report.model_fields:
        if name not in ("schema_version",):
            assert f"`{name}`" in text, name


def test_a_figure_without_rule_or_source_is_refused() -> None:
    with pytest.raises(ValidationError, match="rule or a source"):
        Figure(amount="12.00")
    with pytest.raises(ValidationError):
        Figure(amount="12", rule="x")  # cents are required
