"""Check the locked dependencies for published vulnerabilities.

First ``pip-audit`` (the PyPA tool) reads ``requirements/lock.txt`` and asks PyPI about each
pinned version.  Where PyPI does not answer for a version (some mirrors serve only the
project-level document), the project-level document is read instead: it lists the
vulnerabilities of the project's newest release, which settles the question when the lock pins
that release.  A package neither source can answer for is listed as not checked.

Exit codes: 0 no known vulnerability among the packages checked; 1 a vulnerability was found;
3 the check could not run at all (no network, or no answer for any package).  One summary line
starts with ``vulnerability check:``.  Usage::

    python requirements/audit.py [requirements/lock.txt ...]
"""

# ruff: noqa: T201 - a command-line script reports by printing
from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")
PYPI_JSON = "https://pypi.org/pypi/{name}/json"


def pins(lock: Path) -> dict[str, str]:
    """Package name (normalized) -> pinned version."""
    found = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def run_pip_audit(lock: Path) -> tuple[dict[str, list[str]], set[str]] | None:
    """Vulnerabilities per package and the packages pip-audit could not check; None if it failed."""
    command = [sys.executable, "-m", "pip_audit", "-r", str(lock), "--require-hashes", "--disable-pip",
               "--progress-spinner", "off", "--format", "json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return None
    vulnerable: dict[str, list[str]] = {}
    unchecked: set[str] = set()
    for dep in report.get("dependencies", []):
        name = re.sub(r"[-_.]+", "-", dep["name"]).lower()
        if dep.get("skip_reason"):
            unchecked.add(name)
        elif dep.get("vulns"):
            vulnerable[name] = [v["id"] for v in dep["vulns"]]
    return vulnerable, unchecked


def project_document_vulnerabilities(name: str, version: str) -> list[str] | None:
    """The vulnerabilities of ``name==version`` from the project-level document, if it can tell."""
    try:
        with urllib.request.urlopen(PYPI_JSON.format(name=name), timeout=30) as answer:
            document = json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if document.get("info", {}).get("version") != version:
        return None
    return [v.get("id", "?") for v in document.get("vulnerabilities", [])]


def audit(locks: list[Path]) -> int:
    pinned: dict[str, str] = {}
    vulnerable: dict[str, list[str]] = {}
    unchecked: set[str] = set()
    for lock in locks:
        pinned.update(pins(lock))
        result = run_pip_audit(lock)
        if result is None:
            unchecked.update(pins(lock))
            continue
        vulnerable.update(result[0])
        unchecked.update(result[1])
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = dict(zip(sorted(unchecked), pool.map(lambda n: project_document_vulnerabilities(n, pinned[n]), sorted(unchecked)), strict=True))
    for name, found in answers.items():
        if found is None:
            continue
        unchecked.discard(name)
        if found:
            vulnerable[name] = found
    checked = len(pinned) - len(unchecked)
    for name, ids in sorted(vulnerable.items()):
        print(f"vulnerable: {name}=={pinned[name]}: {', '.join(ids)}")
    if unchecked:
        print("not checked (no answer for the pinned version): " + ", ".join(f"{n}=={pinned[n]}" for n in sorted(unchecked)))
    if checked == 0:
        print(f"vulnerability check: could not run (no answer for any of the {len(pinned)} locked packages)")
        return 3
    verdict = f"{len(vulnerable)} vulnerable" if vulnerable else "no known vulnerabilities"
    print(f"vulnerability check: {verdict}; {checked} of {len(pinned)} locked packages checked")
    return 1 if vulnerable else 0


def main(argv: list[str]) -> int:
    locks = [Path(a) for a in argv[1:]] or [HERE / "lock.txt", HERE / "fuzz-lock.txt"]
    return audit(locks)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
