"""The template contract (one documented context per letter) and the block layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import meta

from balancedue.letters import LetterKind
from balancedue.letters.compose import ENVIRONMENT, template_name
from balancedue.letters.layout import LetterLineKind, format_text, parse_blocks
from balancedue.letters.template_data import view_fields

TEMPLATES = Path(__file__).parents[2] / "src" / "balancedue" / "letters" / "templates"
BASE = "_letter.txt.j2"


def _variables(name: str) -> set[str]:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    return set(meta.find_undeclared_variables(ENVIRONMENT.parse(source)))


@pytest.mark.parametrize("kind", list(LetterKind))
def test_template_uses_exactly_the_documented_fields(kind: LetterKind) -> None:
    documented = view_fields(kind)
    used = _variables(template_name(kind)) | _variables(BASE)
    assert used == set(documented), (
        f"undocumented: {sorted(used - set(documented))}; unused: {sorted(set(documented) - used)}"
    )


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_field_has_help(kind: LetterKind) -> None:
    for name, help_text in view_fields(kind).items():
        assert len(help_text) > 10, name


def test_every_template_file_belongs_to_a_kind() -> None:
    files = {path.name for path in TEMPLATES.glob("*.j2")}
    assert files == {template_name(kind) for kind in LetterKind} | {BASE}


def test_blocks_lines_and_gaps() -> None:
    raw = "June 1, 2025\n\nRe: Notice CP14\n    Tax year: 2023\n\nAsk:\n1. First\n- Dash\n\n\n\nName\n"
    blocks = parse_blocks(raw)
    assert [b.gap_before for b in blocks] == [0, 1, 1, 3]
    kinds = [[line.kind for line in b.lines] for b in blocks]
    assert kinds == [
        [LetterLineKind.PLAIN],
        [LetterLineKind.HEADING, LetterLineKind.INDENTED],
        [LetterLineKind.PLAIN, LetterLineKind.ITEM, LetterLineKind.ITEM],
        [LetterLineKind.PLAIN],
    ]
    assert [line.marker for line in blocks[2].lines] == ["", "1.", "-"]
    assert format_text(blocks) == raw


def test_long_items_wrap_with_a_hanging_indent() -> None:
    words = " ".join(["word"] * 40)
    lines = format_text(parse_blocks(f"12. {words}")).splitlines()
    assert lines[0].startswith("12. word")
    assert len(lines) > 2
    assert all(line.startswith("    word") for line in lines[1:])
    assert all(len(line) <= 78 for line in lines)
