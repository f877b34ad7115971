"""Reading the structured files users give the command line: JSON or YAML, strictly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from balancedue.errors import InputError
from balancedue.identifiers import mask_value

MAX_STRUCTURED_FILE_BYTES = 5 * 1024 * 1024

MAX_STRUCTURED_VALUES = 100_000
"""Values a file may hold once YAML aliases are expanded (a billion-laughs file holds billions)."""

MAX_STRUCTURED_DEPTH = 64
"""Lists and objects nested deeper than this are refused (the files we read nest four deep)."""


def read_structured_file(path: Path, what: str) -> Any:
    """Parse a JSON or YAML file; one clear error line for anything wrong with it."""
    if not path.exists():
        raise InputError(f"{what} file {str(path)!r} does not exist")
    if not path.is_file():
        raise InputError(f"{what} path {str(path)!r} is not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{what} file {path.name!r} is empty")
    if size > MAX_STRUCTURED_FILE_BYTES:
        raise InputError(f"{what} file {path.name!r} is {size:,} bytes; the limit is {MAX_STRUCTURED_FILE_BYTES:,}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} file {path.name!r} is not UTF-8 text") from None
    except OSError as exc:
        raise InputError(f"{what} file {path.name!r} cannot be read: {exc.strerror or exc}") from None
    value: Any
    if path.suffix.lower() == ".json":
        try:
            value = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{what} file {path.name!r} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
        except (RecursionError, ValueError) as exc:
            raise InputError(f"{what} file {path.name!r} {unreadable_value(exc)}") from None
    else:
        import yaml  # only for YAML files

        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
            raise InputError(f"{what} file {path.name!r} is not valid YAML or JSON{where}") from None
        except (RecursionError, ValueError, OverflowError) as exc:
            raise InputError(f"{what} file {path.name!r} {unreadable_value(exc)}") from None
    check_structure(value, f"{what} file {path.name!r}")
    # Free text in it (a county, a note, a payee) is shown in reports: no full id gets that far.
    return mask_value(value)


def unreadable_value(exc: Exception) -> str:
    """Why a JSON or YAML parser gave up on text that is well-formed as far as it read."""
    if isinstance(exc, RecursionError):
        return f"is nested too deeply; the limit is {MAX_STRUCTURED_DEPTH} levels"
    return "holds a value that cannot be read (a number too long, or a date that does not exist)"


def check_structure(value: Any, what: str) -> None:
    """Refuse a parsed file that nests too deeply or expands, through YAML aliases, past the limits.

    YAML aliases let a small file stand for billions of values (shared, even self-referring,
    lists); anything that walks such a value - validation, an error message - would never end.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    count = 0
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > MAX_STRUCTURED_VALUES:
            raise InputError(f"{what} holds more than {MAX_STRUCTURED_VALUES:,} values (YAML aliases?); it cannot be a real file")
        if depth > MAX_STRUCTURED_DEPTH:
            raise InputError(f"{what} is nested too deeply; the limit is {MAX_STRUCTURED_DEPTH} levels")
        if isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend((child, depth + 1) for child in item)
