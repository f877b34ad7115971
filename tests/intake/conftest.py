"""The generated notice corpus, built once per test session in tests/fixtures/generated/."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import make_notices  # noqa: E402


@pytest.fixture(scope="session")
def corpus() -> tuple[Path, list[dict[str, Any]]]:
    """The corpus folder and its manifest (ground truth of every file)."""
    return make_notices.DEFAULT_OUTPUT, make_notices.build_corpus()
