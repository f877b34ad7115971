"""The index in docs/engine.md (IRC section -> function -> test) names only what exists."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DOC = REPO / "docs" / "engine.md"


def _rows() -> list[tuple[str, str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("## Index: from the Internal Revenue Code", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("IRC", "---"):
            rows.append((cells[0], cells[1], cells[2].strip("`"), cells[3].strip("`")))
    return rows


def _resolve(dotted: str) -> object:
    """``package.module.name`` or ``package.module.Class.method``."""
    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for name in parts[split:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(dotted)


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


ROWS = _rows()


def test_the_index_lists_the_sections_the_engine_applies() -> None:
    sections = " ".join(row[0] for row in ROWS)
    for section in ("6601(a)", "6621", "6622", "6651(a)(1)", "6651(a)(2)", "6651(a)(3)", "6651(c)(1)",
                    "6651(h)", "6654", "6655", "6656", "6662", "6404(a)", "6502", "7508A"):
        assert section in sections, section


@pytest.mark.parametrize(("section", "what", "function", "test"), ROWS, ids=[f"{r[0]} {r[1]}" for r in ROWS])
def test_every_named_function_and_test_exists(section: str, what: str, function: str, test: str) -> None:
    if function == "not computed":
        assert test == "-", f"{section}: a test is named for what is not computed"
        return
    assert callable(_resolve(function)), function
    path, _, name = test.partition("::")
    assert (REPO / path).is_file(), path
    assert name in _test_names(REPO / path), f"{test} does not exist"
    source = Path(str(importlib.import_module(function.split(".")[0]).__file__)).parent
    module_text = (source / "/".join(function.split(".")[1:-1])).with_suffix(".py")
    if not module_text.is_file():  # a method: the module is one level up
        module_text = (source / "/".join(function.split(".")[1:-2])).with_suffix(".py")
    number = re.match(r"\d+[A-Z]?", section)
    assert number is not None
    assert number.group(0) in module_text.read_text(encoding="utf-8"), (
        f"{function}'s module does not cite IRC {number.group(0)}"
    )


def test_the_check_catches_a_missing_name() -> None:
    with pytest.raises(AttributeError):
        _resolve("balancedue.engine.account.no_such_function")
    assert "test_no_such_test" not in _test_names(REPO / "tests/unit/engine/test_account.py")
