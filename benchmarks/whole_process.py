"""Whole-process timings: each command as a person runs it, interpreter start-up included.

Every round runs a bare ``python -c pass`` next to each command, so a busy machine shows up in
both and the ratio stays meaningful.  For each command the table gives the median wall time,
the median CPU time (user + system, of the process and its children), both as ratios to the
bare interpreter of the same run, and the peak resident memory.  Nothing is asserted; the
targets are printed beside the figures.  Usage::

    python benchmarks/whole_process.py [--runs 5] [--markdown] [--only NAME ...]

The rules-data cache and the case store live in a throw-away folder; the first (warm-up) run
of each command builds the cache, as the first run after an install does.  The package's
byte-code is brought up to date first, as an install has it.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GENERATED = FIXTURES / "generated"
SAMPLE_PDF = ROOT / "examples" / "sample-cp14.pdf"
SAMPLE_RECORDS = ROOT / "examples" / "sample-records.json"
TODAY = "2025-06-10"
CASES = 1_000


@dataclass
class Command:
    name: str
    argv: list[str]
    target_s: float | None = None
    target_mib: float | None = None
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_kib: int
    code: int


def run_once(argv: list[str], env: dict[str, str]) -> Run:
    """Start ``argv``, wait for it, and return its wall time, CPU time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {stderr.decode(errors='replace')[-500:]}")
    # ru_maxrss is in KiB on Linux; wait4 gives the usage of the child and its own children.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode)


def photo_path() -> Path:
    """The largest upright one-page phone photo of the generated corpus (built if missing)."""
    manifest = GENERATED / "manifest.json"
    if not manifest.exists():
        subprocess.run([sys.executable, str(FIXTURES / "make_notices.py")], check=True, stdout=subprocess.DEVNULL)
    from PIL import Image

    items = json.loads(manifest.read_text(encoding="utf-8"))["items"]
    photos = [GENERATED / i["file"] for i in items if i["kind"] == "photo" and not i["tags"]]

    def area(path: Path) -> int:
        with Image.open(path) as image:
            return image.width * image.height

    return max(photos, key=area)


def commands(cli: str, photo: Path, out: Path) -> list[Command]:
    python = sys.executable
    return [
        Command("python -c pass", [python, "-c", "pass"]),
        Command("balancedue --version", [cli, "--version"], 0.3),
        Command("balancedue --help", [cli, "--help"], 0.3),
        Command("rules rate DATE --json", [cli, "rules", "rate", "2024-03-15", "--json"], 0.3),
        Command(f"case list ({CASES:,} cases)", [cli, "case", "list", "--today", TODAY], 0.5),
        Command("analyze text PDF, full report", [cli, "analyze", str(SAMPLE_PDF), "--records", str(SAMPLE_RECORDS),
                                                  "--today", TODAY], 0.8),
        Command("analyze text PDF --json", [cli, "analyze", str(SAMPLE_PDF), "--today", TODAY, "--json"], 0.8),
        Command("analyze text PDF + PDF/HTML files", [cli, "analyze", str(SAMPLE_PDF), "--records", str(SAMPLE_RECORDS),
                                                      "--today", TODAY, "--pdf", str(out / "r.pdf"),
                                                      "--html", str(out / "r.html")]),
        Command("read phone photo", [cli, "read", str(photo)], 3.0, 400.0),
        Command("analyze phone photo", [cli, "analyze", str(photo), "--today", TODAY], 3.5, 400.0),
    ]


def prepare(folder: Path) -> dict[str, str]:
    """An environment with its own cache folder and a case store of ``CASES`` cases."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_CACHE_DIR"] = str(folder / "cache")
    env["BALANCEDUE_DATA_DIR"] = str(folder / "data")
    env["COLUMNS"] = "100"
    fill = [sys.executable, "-c", "import sys; from benchmarks.case_fill import main; sys.exit(main(sys.argv))", str(CASES)]
    subprocess.run(fill, env=env, cwd=ROOT, check=True)
    return env


def measure(selected: list[Command], env: dict[str, str], runs: int) -> float:
    """Warm each command up once, then ``runs`` interleaved rounds; returns the cold first run of
    ``--version`` (rules cache and byte-code already in place for the others)."""
    cold = 0.0
    for command in selected:
        first = run_once(command.argv, env)
        if command.name == "balancedue --version":
            cold = first.wall
    for _ in range(runs):
        for command in selected:
            result = run_once(command.argv, env)
            command.walls.append(result.wall)
            command.cpus.append(result.cpu)
            command.peaks_kib.append(result.peak_kib)
    return cold


def report(selected: list[Command], runs: int, markdown: bool) -> str:
    bare = selected[0]
    bare_wall = statistics.median(bare.walls)
    bare_cpu = statistics.median(bare.cpus)
    rows = []
    for command in selected:
        wall = statistics.median(command.walls)
        cpu = statistics.median(command.cpus)
        peak = max(command.peaks_kib) / 1024
        target = []
        if command.target_s is not None:
            target.append(f"<= {command.target_s:g} s")
        if command.target_mib is not None:
            target.append(f"<= {command.target_mib:g} MiB")
        met = "" if not target else (
            "met" if wall <= (command.target_s or wall) and peak <= (command.target_mib or peak) else "NOT met"
        )
        rows.append((command.name, f"{wall:.3f}", f"{wall / bare_wall:.1f}x", f"{cpu:.3f}", f"{cpu / bare_cpu:.1f}x",
                     f"{peak:.0f}", ", ".join(target), met))
    header = ("command", "wall s", "wall / python", "CPU s", "CPU / python", "peak MiB", "target (wall)", "")
    if markdown:
        lines = ["| " + " | ".join(header[:-1]) + " |", "|" + "---|" * (len(header) - 1)]
        lines += ["| " + " | ".join((*row[:-2], f"{row[-2]} {row[-1]}".strip())) + " |" for row in rows]
    else:
        widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
        lines = ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in (header, *rows)]
    load = os.getloadavg()[0]
    lines.append(
        f"\nmedians of {runs} runs, each round with its own bare `python -c pass` "
        f"(load average {load:.1f} on {os.cpu_count()} cores at the end)."
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--only", nargs="*", default=None, help="substrings of command names to run")
    args = parser.parse_args(argv)
    cli = str(Path(sys.executable).with_name("balancedue"))
    # An installed package has its byte-code (pip compiles a wheel; `make` compiles the editable
    # install).  Bring it up to date, so that a start never compiles the sources, also where
    # PYTHONDONTWRITEBYTECODE keeps the warm-up run from writing it.
    compileall.compile_dir(ROOT / "src", quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="balancedue-bench-"))
    try:
        env = prepare(folder)
        every = commands(cli, photo_path(), folder)
        selected = [every[0]] + [c for c in every[1:] if args.only is None or any(o in c.name for o in args.only)]
        cold = measure(selected, env, args.runs)
        print(report(selected, args.runs, args.markdown))
        if cold:
            print(f"first --version after install (rules cache built): {cold:.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
