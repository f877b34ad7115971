"""The layering rules and the "law is data" rule, checked on the source tree itself."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "balancedue"

# Which first-party packages and modules each floor may import (besides itself).  Every package
# and top-level module of src/balancedue has an entry; docs/architecture.md draws what they do.
ALLOWED: dict[str, set[str]] = {
    "__init__": set(),
    "settings": set(),
    # The identifier scrubber sits below everything, so every floor can mask what it keeps.
    "identifiers": set(),
    "errors": {"identifiers"},
    "rules": {"identifiers", "errors"},
    "engine": {"identifiers", "errors", "rules"},
    "intake": {"identifiers", "errors", "rules", "engine"},
    "advice": {"identifiers", "errors", "rules", "engine", "intake"},
    "letters": {"identifiers", "errors", "rules", "engine", "advice"},
    "cases": {"identifiers", "errors", "settings"},
    "presentation": {"identifiers", "errors", "rules", "engine", "intake", "advice", "letters", "cases"},
    "reports": {"identifiers", "errors", "rules", "advice", "cases", "presentation"},
    "services": {"identifiers", "errors", "rules", "engine", "intake", "advice", "letters", "reports", "cases", "presentation"},
    "context": {"identifiers", "errors", "settings", "rules", "cases"},
    # The interfaces: the command line and the web app, over services, records and presentation.
    "web": {"identifiers", "errors", "settings", "rules", "advice", "cases", "presentation", "reports", "services", "context"},
    "cli": {"identifiers", "errors", "rules", "advice", "cases", "presentation", "reports", "services", "context", "web", "__init__"},
}
INTERFACES = {"cli", "web"}
FORBIDDEN_TO_INTERFACES = {"engine", "intake"}
DJANGO_FLOORS = {"cases", "web"}
# Third-party packages the pure core may use.
CORE_THIRD_PARTY: dict[str, set[str]] = {
    # platformdirs: where the compiled rules cache lives (rules/compiled.py)
    "rules": {"pydantic", "yaml", "holidays", "platformdirs"},
    "engine": set(),
}
# Decimal literals that are arithmetic, not law: zero, one, a cent, a hundred.
NEUTRAL_DECIMALS = {"0", "1", "0.01", "100", "0.00", "-1"}


def _floor(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _modules() -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield _floor(path), path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.Module) -> Iterator[str]:
    """Every module named by an import, at any depth (inside functions too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "balancedue":
                for alias in node.names:
                    known = (SRC / alias.name).is_dir() or (SRC / f"{alias.name}.py").is_file()
                    yield f"balancedue.{alias.name}" if known else "balancedue"
            else:
                yield node.module


def _target(name: str) -> str | None:
    """The floor a first-party import points at (``balancedue`` itself is ``__init__``)."""
    if name == "balancedue":
        return "__init__"
    if name.startswith("balancedue."):
        return name.split(".")[1]
    return None


def import_graph() -> dict[str, set[str]]:
    """Which floor imports which, as the code stands (docs/architecture.md draws it)."""
    graph: dict[str, set[str]] = {}
    for floor, _, tree in _modules():
        targets = graph.setdefault(floor, set())
        for name in _imports(tree):
            target = _target(name)
            if target is not None and target != floor:
                targets.add(target)
    return graph


def test_every_package_has_its_rules() -> None:
    floors = {_floor(path) for path in SRC.rglob("*.py")}
    assert floors - set(ALLOWED) == set(), "add the new package to ALLOWED and docs/architecture.md"
    assert set(ALLOWED) - floors == set()


def test_floors_import_in_one_direction() -> None:
    problems = []
    for layer, path, tree in _modules():
        for name in _imports(tree):
            target = _target(name)
            if target is not None:
                if target != layer and target not in ALLOWED[layer]:
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


def test_interfaces_reach_the_core_through_services() -> None:
    for interface in INTERFACES:
        assert not ALLOWED[interface] & FORBIDDEN_TO_INTERFACES, interface


def test_the_floors_have_no_cycle() -> None:
    graph = {floor: set(allowed) - {"__init__"} for floor, allowed in ALLOWED.items()}
    done: set[str] = set()

    def visit(floor: str, path: tuple[str, ...]) -> None:
        assert floor not in path, " -> ".join((*path, floor))
        if floor in done:
            return
        for target in graph[floor]:
            visit(target, (*path, floor))
        done.add(floor)

    for floor in graph:
        visit(floor, ())


def test_django_only_in_the_store_and_the_web_app() -> None:
    problems = []
    for layer, path, tree in _modules():
        if layer in DJANGO_FLOORS:
            continue
        text = path.read_text(encoding="utf-8")
        if any(n.split(".")[0] == "django" for n in _imports(tree)) or "django" in text:
            problems.append(str(path.relative_to(SRC)))
    assert not problems, "\n".join(problems)


def test_the_guard_catches_what_it_should() -> None:
    sample = ast.parse("def f():\n    from balancedue.engine.money import format_money\nimport django.db\n")
    names = list(_imports(sample))
    assert "balancedue.engine.money" in names
    assert "django.db" in names
    assert _target("balancedue.engine.money") == "engine"
    assert "engine" not in ALLOWED["cli"]
    assert "engine" not in ALLOWED["web"]


def test_only_the_application_context_loads_the_rules() -> None:
    callers = []
    for _, path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "load_rules":
                callers.append(str(path.relative_to(SRC)))
    assert callers == ["context.py"]


def mermaid() -> str:
    """The import graph of the floors as a Mermaid diagram (docs/architecture.md holds it)."""
    lines = ["flowchart TD"]
    for floor, targets in sorted(import_graph().items()):
        for target in sorted(targets - {"errors", "identifiers", "__init__"}):
            lines.append(f"    {floor} --> {target}")
    return "\n".join(lines)


def test_the_diagram_in_the_docs_is_the_code() -> None:
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = doc.split("```mermaid\n", 1)[1].split("```", 1)[0].strip()
    assert drawn == mermaid(), "regenerate it: python tests/test_architecture.py > the block in docs/architecture.md"


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


# -- size: a module a newcomer can read, a function that fits on a screen --------------------------

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# Units still above the limits, each at most its present size (a unit may shrink, never grow).
# Each is a sequence of steps that reads top to bottom; splitting it is open work, not a licence.
LONG_MODULES: dict[str, int] = {
    "cases/store.py": 663,
    "intake/transcripts.py": 667,
    "rules/scam_signals.py": 646,
}
LONG_FUNCTIONS: dict[str, int] = {
    "advice/deadlines.py:notice_deadlines": 82,
    "advice/offer.py:screen_offer": 101,
    "cases/store.py:insert_case_file": 81,
    "reports/terminal.py:print_report": 141,
    "services/analyze.py:analyze_notice": 113,
    "services/estimated_tax.py:load_estimated_tax_input": 88,
    "services/transcripts.py:period_to_json": 110,
}


def _long_units(
    modules: Iterator[tuple[str, Path, ast.Module]],
) -> Iterator[tuple[str, int, int]]:
    """(name, lines, limit) of every module and function over its limit."""
    for _, path, tree in modules:
        where = path.relative_to(SRC).as_posix() if path.is_absolute() else path.as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines()) if path.is_file() else tree.body[-1].end_lineno or 0
        yield where, lines, MAX_MODULE_LINES
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno is not None:
                yield f"{where}:{node.name}", node.end_lineno - node.lineno + 1, MAX_FUNCTION_LINES


def test_no_module_or_function_is_too_long_to_read() -> None:
    allowed = {**LONG_MODULES, **LONG_FUNCTIONS}
    problems = []
    seen = set()
    for name, lines, limit in _long_units(_modules()):
        if lines > allowed.get(name, limit):
            problems.append(f"{name}: {lines} lines (at most {allowed.get(name, limit)})")
        elif name in allowed and lines <= limit:
            problems.append(f"{name}: {lines} lines, within the limit now: remove it from the allow-list")
        seen.add(name)
    assert not problems, "split it into named steps:\n" + "\n".join(problems)
    assert set(allowed) <= seen, f"remove from the allow-list: {sorted(set(allowed) - seen)}"


def test_the_size_check_catches_what_it_should() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    tree = ast.parse(f"def long():\n{body}\n")
    found = {name: (lines, limit) for name, lines, limit in _long_units(iter([("engine", Path("engine/x.py"), tree)]))}
    assert found["engine/x.py:long"] == (MAX_FUNCTION_LINES + 1, MAX_FUNCTION_LINES)


# The scenario file parser reads what a person wrote; code builds scenarios from typed events.
FILE_READERS = {("services/compute.py", "load_scenario")}


def _calls_by_function(tree: ast.Module, name: str) -> Iterator[str]:
    """The functions (by name; ``<module>`` at the top level) that call ``name``."""
    def visit(node: ast.AST, inside: str) -> Iterator[str]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and getattr(child.func, "id", getattr(child.func, "attr", "")) == name:
                yield inside
            yield from visit(child, inside)

    yield from visit(tree, "<module>")


def test_only_the_file_readers_parse_scenarios() -> None:
    callers = {
        (path.relative_to(SRC).as_posix(), function)
        for _, path, tree in _modules()
        for function in _calls_by_function(tree, "parse_scenario")
    }
    assert callers == FILE_READERS, f"build typed events with engine.build_scenario instead: {sorted(callers - FILE_READERS)}"


def test_the_caller_scan_catches_what_it_should() -> None:
    tree = ast.parse("def f():\n    return engine.parse_scenario({})\nx = parse_scenario({})\n")
    assert sorted(_calls_by_function(tree, "parse_scenario")) == ["<module>", "f"]


# Django asks every model for its own ``Meta`` and every migration file for its own ``Migration``.
DJANGO_NAMES = {"Meta", "Migration"}


def _class_names(modules: Iterator[tuple[str, Path, ast.Module]]) -> dict[str, list[str]]:
    where: dict[str, list[str]] = {}
    for _, path, tree in modules:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                name = path.relative_to(SRC).as_posix() if path.is_absolute() else path.as_posix()
                where.setdefault(node.name, []).append(f"{name}:{node.lineno}")
    return where


def test_each_class_name_means_one_thing() -> None:
    twice = {name: places for name, places in _class_names(_modules()).items()
             if len(places) > 1 and name not in DJANGO_NAMES}
    assert not twice, "\n".join(f"{name}: {', '.join(places)}" for name, places in sorted(twice.items()))


def test_the_class_name_scan_catches_what_it_should() -> None:
    first, second = ast.parse("class Line:\n    pass\n"), ast.parse("class Line:\n    class Meta:\n        pass\n")
    found = _class_names(iter([("a", Path("a.py"), first), ("b", Path("b.py"), second)]))
    assert found["Line"] == ["a.py:1", "b.py:1"]
    assert found["Meta"] == ["b.py:2"]


if __name__ == "__main__":
    print(mermaid())


def _conftest_imports(tree: ast.Module) -> list[int]:
    """Lines of ``tree`` that import a module named ``conftest``."""
    lines = []
    for node in ast.walk(tree):
        names = [node.module] if isinstance(node, ast.ImportFrom) else []
        names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if "conftest" in names:
            lines.append(node.lineno)
    return lines


def test_no_test_module_imports_a_conftest() -> None:
    # Every test folder has its own conftest.py and none is a package, so the name ``conftest``
    # means whichever folder's was imported first: ``pytest tests/trust tests/fuzz`` in one run
    # would hand tests/trust the wrong one.  Shared helpers live in uniquely named modules.
    tests = Path(__file__).resolve().parent
    offenders = [
        f"{path.relative_to(tests)}:{line}"
        for path in sorted(tests.rglob("*.py"))
        for line in _conftest_imports(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_the_conftest_import_scan_catches_what_it_should() -> None:
    assert _conftest_imports(ast.parse("from conftest import TALLY\nimport conftest\n")) == [1, 2]
    assert _conftest_imports(ast.parse("from trust_cli import TALLY\n")) == []
