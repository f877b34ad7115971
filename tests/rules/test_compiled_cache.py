"""The compiled rules cache: used when current, rebuilt when the data changes, never trusted when
damaged or writable by others."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from balancedue.rules import compiled, load_rules_from, validate_bundled_rules
from balancedue.rules.loader import RuleSet

BUNDLED = Path(str(resources.files("balancedue.rules") / "data"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BALANCEDUE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BALANCEDUE_RULES_CACHE", raising=False)
    return tmp_path / "cache" / "rules"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BUNDLED, folder)
    return folder


def content(value: Any, depth: int = 0) -> Any:
    """Everything reachable from ``value`` as plain data (sets sorted), to compare two loads."""
    if depth > 40:
        raise AssertionError("unexpectedly deep")
    if isinstance(value, (str, int, float, Decimal, date, type(None))):
        return value
    if isinstance(value, re.Pattern):
        return ("pattern", value.pattern, value.flags)
    if isinstance(value, dict):
        return {repr(k): content(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [content(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(content(v, depth + 1)) for v in value)
    fields = getattr(value, "__dict__", None)
    if fields is None and hasattr(value, "__slots__"):
        fields = {name: getattr(value, name) for name in value.__slots__ if hasattr(value, name)}
    if fields is None:
        return repr(value)
    return (type(value).__name__, {k: content(v, depth + 1) for k, v in sorted(fields.items())})


class Counting:
    """A build function that counts its calls."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.calls = 0

    def __call__(self) -> RuleSet:
        self.calls += 1
        return load_rules_from(self.folder)


def _load(folder: Path, build: Counting) -> RuleSet:
    return compiled.load_or_build(folder, build, RuleSet)


def test_second_load_comes_from_the_cache_and_equals_a_fresh_parse(cache: Path, data: Path) -> None:
    build = Counting(data)
    first = _load(data, build)
    second = _load(data, build)
    assert build.calls == 1
    assert len(list(cache.glob("*.pickle"))) == 1
    # Same content as parsing the files now (the rules' own classes compare by identity).
    assert content(second) == content(first) == content(validate_bundled_rules())
    assert second.rates.period_on(date(2024, 3, 15)).rate_percent == Decimal(8)
    # The calendar keeps its holidays: DC Emancipation Day 2025 is Wednesday, April 16.
    assert second.calendar.holiday_name(date(2025, 4, 16)) == "Emancipation Day"


def test_an_edited_data_file_is_validated_again_never_a_stale_answer(cache: Path, data: Path) -> None:
    build = Counting(data)
    before = _load(data, build)
    rates = data / "underpayment_rates.csv"
    lines = rates.read_text(encoding="utf-8").splitlines(keepends=True)
    # Change the rate of the 2024Q1 row (8% in the bundled table) to 9%.
    edited = [line.replace(",8,", ",9,", 1) if line.startswith("2024-01-01") else line for line in lines]
    assert edited != lines
    rates.write_text("".join(edited), encoding="utf-8")
    after = _load(data, build)
    assert build.calls == 2
    assert before.rates.period_on(date(2024, 3, 15)).rate_percent == Decimal(8)
    assert after.rates.period_on(date(2024, 3, 15)).rate_percent == Decimal(9)
    assert len(list(cache.glob("*.pickle"))) == 1  # the old one is gone


def test_an_invalid_edit_is_an_error_not_the_old_cache(cache: Path, data: Path) -> None:
    build = Counting(data)
    _load(data, build)
    (data / "notices.yaml").write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"notices\.yaml"):
        _load(data, build)


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "garbage", "empty"])
def test_a_damaged_cache_is_ignored_and_rebuilt(cache: Path, data: Path, damage: str) -> None:
    build = Counting(data)
    expected = _load(data, build)
    (path,) = cache.glob("*.pickle")
    raw = path.read_bytes()
    changed = {
        "flip a byte": raw[:-100] + bytes([raw[-100] ^ 0x01]) + raw[-99:],
        "truncate": raw[: len(raw) // 2],
        "garbage": b"not a cache at all",
        "empty": b"",
    }[damage]
    path.write_bytes(changed)
    assert content(_load(data, build)) == content(expected)
    assert build.calls == 2
    assert path.read_bytes() == raw  # written again, whole


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_cache_others_can_write_is_not_read(cache: Path, data: Path) -> None:
    build = Counting(data)
    _load(data, build)
    (path,) = cache.glob("*.pickle")
    path.chmod(0o666)
    _load(data, build)
    assert build.calls == 2


def test_the_cache_can_be_switched_off(cache: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BALANCEDUE_RULES_CACHE", "off")
    build = Counting(data)
    _load(data, build)
    _load(data, build)
    assert build.calls == 2
    assert not cache.exists()


def test_an_unwritable_cache_folder_still_gives_the_rules(tmp_path: Path, data: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("BALANCEDUE_CACHE_DIR", str(blocker))
    build = Counting(data)
    assert content(_load(data, build)) == content(_load(data, build))
    assert build.calls == 2
