"""``balancedue read`` end to end: exit codes 0/2/3, one-line errors, deterministic JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import make_notices  # noqa: E402

from balancedue.cli import app  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus() -> tuple[Path, list[dict[str, Any]]]:
    return make_notices.DEFAULT_OUTPUT, make_notices.build_corpus()


def _file(corpus: tuple[Path, list[dict[str, Any]]], kind: str, tag: str) -> tuple[str, dict[str, Any]]:
    folder, items = corpus
    item = next(i for i in items if i["kind"] == kind and tag in i["tags"])
    return str(folder / item["file"]), item


@pytest.mark.parametrize("tag", ["multipage", "two_periods", "cp2000", "letter1058"])
def test_reads_special_notices(corpus: tuple[Path, list[dict[str, Any]]], tag: str) -> None:
    path, item = _file(corpus, "text_pdf", tag)
    result = runner.invoke(app, ["read", path, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["notice_code"]["value"] == item["truth"]["notice_code"]
    assert data["amount_due"]["value"] == item["truth"]["amount_due"]  # money as a string
    assert len(data["tax_periods"]) == len(item["periods"])


def test_cp2000_is_shown_as_not_a_bill(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    path, _ = _file(corpus, "text_pdf", "cp2000")
    result = runner.invoke(app, ["read", path])
    assert result.exit_code == 0
    assert "not a bill" in result.stdout


def test_letter_1058_table(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    path, item = _file(corpus, "text_pdf", "letter1058")
    result = runner.invoke(app, ["read", path])
    assert result.exit_code == 0
    assert "LTR1058" in result.stdout
    assert item["truth"]["respond_by_date"] in result.stdout


def test_json_is_deterministic(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    path, _ = _file(corpus, "text_pdf", "two_periods")
    first = runner.invoke(app, ["read", path, "--json"]).stdout
    second = runner.invoke(app, ["read", path, "--json"]).stdout
    assert first == second


@pytest.mark.slow
def test_rotated_photo(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    path, item = _file(corpus, "photo", "rotated")
    result = runner.invoke(app, ["read", path, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["notice_code"]["value"] == item["code"]
    assert data["source"] == "image"


@pytest.mark.parametrize(
    ("file", "code", "words"),
    [
        ("empty.pdf", 2, "empty"),
        ("corrupt.pdf", 2, "damaged"),
        ("password.pdf", 2, "password"),
        ("bomb.png", 2, "too large"),
        ("random.bin", 2, "not a PDF"),
        ("cat.png", 3, "not an IRS notice"),
        ("utility_bill.pdf", 3, "not an IRS notice"),
    ],
)
def test_hostile_files_exit_with_one_line(corpus: tuple[Path, list[dict[str, Any]]], file: str, code: int, words: str) -> None:
    folder, _ = corpus
    result = runner.invoke(app, ["read", str(folder / file)])
    assert result.exit_code == code
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("balancedue: error:")
    assert words in lines[0]
    assert "Traceback" not in result.output


def test_pasted_text_on_standard_input(corpus: tuple[Path, list[dict[str, Any]]]) -> None:
    folder, items = corpus
    item = next(i for i in items if i["kind"] == "text")
    text = (folder / item["file"]).read_text(encoding="utf-8")
    result = runner.invoke(app, ["read", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notice_code"]["value"] == item["code"]
