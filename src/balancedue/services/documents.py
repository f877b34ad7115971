"""Reading the structured files users give the command line: JSON or YAML, strictly."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from balancedue.errors import InputError

MAX_STRUCTURED_FILE_BYTES = 5 * 1024 * 1024


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
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{what} file {path.name!r} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
            ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        raise InputError(f"{what} file {path.name!r} is not valid YAML or JSON{where}") from None
