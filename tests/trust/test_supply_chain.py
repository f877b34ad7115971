"""The lock file pins every dependency with hashes, the environment matches it, and no locked
package has a published vulnerability (``requirements/audit.py``: pip-audit, then PyPI)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
FUZZ_LOCK = ROOT / "requirements" / "fuzz-lock.txt"
REGENERATE = "make lock"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked(lock: Path) -> dict[str, tuple[str, int]]:
    """Name -> (version, number of hashes)."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        pin = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", line)
        if pin:
            current = _normal(pin[1])
            entries[current] = (pin[2], 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


def _declared() -> dict[str, list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    groups = {"runtime": [Requirement(r) for r in project["dependencies"]]}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        groups[extra] = [Requirement(r) for r in requirements]
    return groups


def test_every_declared_dependency_is_locked_at_a_version_it_allows() -> None:
    """Catches drift: a dependency added to pyproject.toml but not to the lock."""
    locked = _locked(LOCK) | _locked(FUZZ_LOCK)
    problems = []
    for group, requirements in _declared().items():
        for requirement in requirements:
            name = _normal(requirement.name)
            if name not in locked:
                problems.append(f"{requirement} ({group}) is not in the lock")
            elif not requirement.specifier.contains(Version(locked[name][0]), prereleases=True):
                problems.append(f"{requirement} ({group}) is locked at {locked[name][0]}")
    assert not problems, f"run `{REGENERATE}`: " + "; ".join(problems)


def test_every_locked_package_is_pinned_with_hashes() -> None:
    for lock in (LOCK, FUZZ_LOCK):
        entries = _locked(lock)
        assert entries, lock
        unhashed = [name for name, (_, hashes) in entries.items() if hashes == 0]
        assert not unhashed, f"{lock.name}: no hash for {unhashed}"


def test_the_environment_is_installed_from_the_lock() -> None:
    """``make test`` installs exactly the locked versions (``pip install --require-hashes``)."""
    mismatched = []
    for name, (version, _) in _locked(LOCK).items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            mismatched.append(f"{name} not installed")
            continue
        if Version(installed) != Version(version):
            mismatched.append(f"{name} {installed} (lock: {version})")
    assert not mismatched, "the environment differs from requirements/lock.txt: " + "; ".join(mismatched)


def test_no_locked_package_has_a_known_vulnerability() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "requirements" / "audit.py"), str(LOCK), str(FUZZ_LOCK)],
        capture_output=True, text=True, timeout=600, check=False,
    )
    summary = [line for line in done.stdout.splitlines() if line.startswith("vulnerability check:")]
    print("\n".join(done.stdout.splitlines()[-3:]))
    if done.returncode == 3:
        pytest.skip(summary[0] if summary else "vulnerability check: could not run")
    assert done.returncode == 0, done.stdout + done.stderr
