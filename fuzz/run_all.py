"""``make fuzz``: run every atheris target for a set time and say how many inputs each tried.

For each target the seed inputs (real files) start the corpus in ``fuzz/corpus/TARGET``;
inputs that crash are saved in ``fuzz/findings/`` and the full log in ``fuzz/logs/``.  The exit
code is 1 when any target found a crash, a hang or a memory blow-up.  Usage::

    python fuzz/run_all.py [--seconds 60] [TARGET ...]
"""

# ruff: noqa: T201 - a command-line tool reports by printing
from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

from fuzz_strategies import seed_inputs  # noqa: E402
from fuzz_targets import TARGETS  # noqa: E402

RSS_LIMIT_MB = 3072
MAX_INPUT_BYTES = 2 * 1024 * 1024


def _seed(corpus: Path, target: str) -> None:
    corpus.mkdir(parents=True, exist_ok=True)
    for data in seed_inputs(target):
        (corpus / f"seed-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)


def run(target: str, seconds: int) -> tuple[bool, str]:
    corpus = HERE / "corpus" / target
    findings = HERE / "findings"
    logs = HERE / "logs"
    findings.mkdir(exist_ok=True)
    logs.mkdir(exist_ok=True)
    _seed(corpus, target)
    timeout = int(TARGETS[target].timeout)
    command = [
        sys.executable, str(HERE / "fuzz_main.py"), target,
        f"-max_total_time={seconds}", f"-timeout={timeout}", f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-max_len={MAX_INPUT_BYTES}", f"-artifact_prefix={findings}/{target}-", "-print_final_stats=1", str(corpus),
    ]
    log = logs / f"{target}.log"
    with log.open("w") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=seconds * 3 + 300, check=False)
    text = log.read_text(errors="replace")
    runs = re.findall(r"Done (\d+) runs in (\d+) second", text) or re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    tried = runs[-1][0] if runs and isinstance(runs[-1], tuple) else (runs[-1] if runs else "?")
    crashed = done.returncode != 0
    found = re.findall(r"Test unit written to (\S+)", text)
    summary = f"{target:16} {tried:>7} inputs in {seconds} s: " + (
        f"FAILED ({', '.join(found) or f'exit {done.returncode}'}; see {log.relative_to(ROOT)})" if crashed else "no crash, hang or blow-up"
    )
    return not crashed, summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("targets", nargs="*", default=sorted(TARGETS))
    args = parser.parse_args()
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: run `make fuzz`, which installs it from requirements/fuzz-lock.txt")
        return 2
    results = [run(target, args.seconds) for target in args.targets]
    print("fuzz: inputs tried per target")
    for _, line in results:
        print(f"  {line}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
