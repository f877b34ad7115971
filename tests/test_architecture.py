"""The layering rules and the "law is data" rule, checked on the source tree itself."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "balancedue"

# Which first-party packages each layer may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "rules": {"errors", "rules"},
    "engine": {"errors", "rules", "engine"},
    "intake": {"errors", "rules", "engine", "intake"},
    "advice": {"errors", "rules", "engine", "advice", "intake"},
    "letters": {"errors", "rules", "engine", "advice", "letters"},
    "reports": {"errors", "rules", "engine", "advice", "reports", "cases"},
    "cases": {"errors", "cases"},
    # The web app sits beside the command line: pages over services, records and report types.
    "web": {"web", "services", "cases", "errors", "engine", "advice"},
    "services": {"errors", "rules", "engine", "intake", "advice", "letters", "reports", "services", "cases"},
}
# Third-party packages the pure core may use.
CORE_THIRD_PARTY: dict[str, set[str]] = {
    # platformdirs: where the compiled rules cache lives (rules/compiled.py)
    "rules": {"pydantic", "yaml", "holidays", "platformdirs"},
    "engine": set(),
}
# Decimal literals that are arithmetic, not law: zero, one, a cent, a hundred.
NEUTRAL_DECIMALS = {"0", "1", "0.01", "100", "0.00", "-1"}


def _modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        layer = parts[0].removesuffix(".py") if parts else ""
        yield layer, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_layers_import_in_one_direction() -> None:
    problems = []
    for layer, path, tree in _modules():
        if layer not in ALLOWED:
            continue
        for name in _imports(tree):
            if name.startswith("balancedue."):
                target = name.split(".")[1]
                if target not in ALLOWED[layer]:
                    problems.append(f"{path.relative_to(SRC)} imports {name}")
            elif layer in CORE_THIRD_PARTY:
                top = name.split(".")[0]
                if (
                    top not in sys.stdlib_module_names
                    and top not in CORE_THIRD_PARTY[layer]
                    and top != "__future__"
                ):
                    problems.append(f"{path.relative_to(SRC)} (pure core) imports {name}")
    assert not problems, "\n".join(problems)


def test_django_stays_out_of_the_core() -> None:
    for layer, path, tree in _modules():
        if layer in {"rules", "engine", "intake", "advice", "letters"}:
            assert not any(n.split(".")[0] == "django" for n in _imports(tree)), path


def _law_like_literals(tree: ast.Module, source: str = "") -> Iterator[tuple[int, str]]:
    """Literals that look like tax figures.  A line marked ``# not law`` (a presentation or
    reading threshold, with its reason) is exempt."""
    exempt = {number for number, text in enumerate(source.splitlines(), start=1) if "# not law" in text}
    for line, what in _raw_literals(tree):
        if line not in exempt:
            yield line, what


def _raw_literals(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            yield node.lineno, f"float literal {node.value!r}"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "Decimal"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
            and node.args[0].value not in NEUTRAL_DECIMALS
        ):
            yield node.lineno, f"Decimal({node.args[0].value!r})"
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, int)
            and not isinstance(node.value, bool)
        ) and 1900 <= node.value <= 2100:
            yield node.lineno, f"year-like literal {node.value}"


@pytest.mark.parametrize("layer", ["engine", "advice", "services", "intake", "letters"])
def test_no_tax_figures_in_code(layer: str) -> None:
    """Rates, thresholds, fees and years live in rules/data, not in code."""
    problems = []
    for module_layer, path, tree in _modules():
        if module_layer != layer:
            continue
        for line, what in _law_like_literals(tree, path.read_text(encoding="utf-8")):
            problems.append(f"{path.relative_to(SRC)}:{line}: {what}")
    assert not problems, "\n".join(problems)


def test_the_literal_scan_catches_what_it_should() -> None:
    sample = ast.parse(
        "from decimal import Decimal\nRATE = Decimal('0.005')\nYEAR = 2024\nX = 0.5\n"
    )
    found = [what for _, what in _law_like_literals(sample)]
    exempt = "X = 0.5  # not law: a drawing margin\n"
    assert list(_law_like_literals(ast.parse(exempt), exempt)) == []
    assert sorted(found) == sorted(
        ["Decimal('0.005')", "year-like literal 2024", "float literal 0.5"]
    )
