"""Load on the web app: 50 concurrent clients for 30 s on the dashboard, a case page and the calculator.

A `balancedue serve` runs on 127.0.0.1 (waitress, its default thread count for the machine) with a throw-away data folder and
one case; each client is a thread with its own keep-alive connection, logged in with the same
session.  Bounded by time (30 s) and by count (at most 20,000 requests per client); loopback
only.  Prints p50/p95 latency, the error count and the server's CPU time per request (from
``/proc``) per page; the figures go in the README.  ``test_bench_web_pages_in_process`` gives the
server CPU per request of the same two pages without HTTP (benchmarks/web_pages.py), a figure
that depends less on what else the machine is running.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 50
SECONDS = float(os.environ.get("BALANCEDUE_LOAD_SECONDS", "30"))
MAX_PER_CLIENT = 20_000
TARGETED = ("dashboard", "case page")
"""The pages with a latency target (p95 at most 150 ms with 50 clients for 30 s, no error)."""
PAGES = {
    "dashboard": "/",
    "case page": "/cases/1",
    "calculator": "/tools/calculator?form=1040&tax_year=2023&filed_on=2024-07-20&tax=12000&withholding=8000&as_of=2025-06-30",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _drain(stream: Any) -> None:
    for _ in stream:
        pass


def _environment(data: Path) -> dict[str, str]:
    """The environment of a server (or the in-process measure) on a throw-away data folder with one case."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(data)
    subprocess.run(
        [sys.executable, "-c", "from balancedue.cli import main; main()", "case", "new", "--notice", str(ROOT / "examples" / "sample-cp14.pdf"),
         "--today", "2025-06-10"],
        env=env, check=True, capture_output=True,
    )
    return env


def _cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far (``/proc/<pid>/stat``), or None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start(data: Path) -> tuple[subprocess.Popen[str], int, str]:
    port = _free_port()
    env = _environment(data)
    process = subprocess.Popen(
        [sys.executable, "-c", "from balancedue.cli import main; main()", "serve", "--port", str(port), "--today", "2025-06-10"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    assert process.stdout is not None
    for _ in range(200):
        found = re.search(r"/login/(\S+)", process.stdout.readline())
        if found:
            # Keep reading what the server prints, or a full pipe would stop it mid-run.
            threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
            return process, port, found.group(1)
    process.kill()
    raise RuntimeError("balancedue serve printed no login link")


def _login(port: int, token: str) -> str:
    for _ in range(100):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", f"/login/{token}")
            break
        except ConnectionRefusedError:
            connection.close()
            time.sleep(0.1)
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    return cookie.split(";", 1)[0]


def _client(port: int, path: str, cookie: str, stop: float, latencies: list[float], errors: list[str]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(MAX_PER_CLIENT):
        if time.monotonic() >= stop:
            break
        start = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(str(response.status))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - start)
    connection.close()


def _load(port: int, path: str, cookie: str) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + SECONDS
    threads = [threading.Thread(target=_client, args=(port, path, cookie, stop, latencies, errors)) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 60)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"requests": len(latencies), "errors": len(errors), "error_kinds": sorted(set(errors))[:5], "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000,
            "per_second": len(latencies) / SECONDS}


def test_bench_web_load(benchmark: Any, tmp_path: Path) -> None:
    process, port, token = _start(tmp_path / "data")
    try:
        cookie = _login(port, token)
        results: dict[str, dict[str, Any]] = {}

        def run() -> None:
            for name, path in PAGES.items():
                before = _cpu_seconds(process.pid)
                results[name] = _load(port, path, cookie)
                after = _cpu_seconds(process.pid)
                if before is not None and after is not None and results[name]["requests"]:
                    results[name]["server_cpu_ms"] = (after - before) / results[name]["requests"] * 1000

        benchmark.pedantic(run, rounds=1, iterations=1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    for name, figures in results.items():
        print(
            f"\nweb load {name}: {CLIENTS} clients x {SECONDS:.0f} s: {figures['requests']} requests "
            f"({figures['per_second']:.0f}/s), p50 {figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms, "
            f"errors {figures['errors']}"
            + (f", server CPU {figures['server_cpu_ms']:.2f} ms per request" if "server_cpu_ms" in figures else "")
            + (" (target p95 at most 150 ms, 0 errors)" if name in TARGETED else "")
        )
        benchmark.extra_info[name] = figures
    assert all(figures["errors"] == 0 for figures in results.values()), results


def test_bench_web_pages_in_process(benchmark: Any, tmp_path: Path) -> None:
    """Server CPU per request of the dashboard and the case page, without HTTP (benchmarks/web_pages.py)."""
    env = _environment(tmp_path / "data")
    found: dict[str, Any] = {}

    def run() -> None:
        done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "web_pages.py")], env=env, check=True,
                              capture_output=True, text=True)
        found.update(json.loads(done.stdout.strip().splitlines()[-1]))

    benchmark.pedantic(run, rounds=1, iterations=1)
    for name, figures in found.items():
        print(
            f"\nweb page in process, {name}: {figures['min_ms']:.2f} ms CPU per request (least of 7 batches; median "
            f"{figures['median_ms']:.2f} ms; {figures['requests']} requests through every middleware, no HTTP)"
        )
        benchmark.extra_info[name] = figures


# --- soak: a longer mixed run, watching memory and latency drift ----------------------------------

SOAK_SECONDS = float(os.environ.get("BALANCEDUE_SOAK_SECONDS", "300"))
"""Five minutes by default; bounded also by MAX_PER_CLIENT requests per client."""


def _rss_kib(pid: int) -> int:
    """The server process's resident memory (VmRSS in /proc/<pid>/status), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS line for process {pid}")


def _soak_client(port: int, cookie: str, stop: float, samples: list[tuple[float, float]], errors: list[str]) -> None:
    """Alternate the dashboard and the calculator; keep (finished at, latency) per request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    paths = list(PAGES.values())
    for number in range(MAX_PER_CLIENT):
        if time.monotonic() >= stop:
            break
        start = time.perf_counter()
        try:
            connection.request("GET", paths[number % len(paths)], headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(str(response.status))
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        samples.append((time.monotonic(), time.perf_counter() - start))
    connection.close()


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return cuts[49] * 1000, cuts[94] * 1000


def test_bench_web_soak(benchmark: Any, tmp_path: Path) -> None:
    process, port, token = _start(tmp_path / "data")
    figures: dict[str, Any] = {}
    try:
        cookie = _login(port, token)

        def run() -> None:
            samples: list[tuple[float, float]] = []
            errors: list[str] = []
            rss_start = _rss_kib(process.pid)
            began = time.monotonic()
            stop = began + SOAK_SECONDS
            threads = [
                threading.Thread(target=_soak_client, args=(port, cookie, stop, samples, errors))
                for _ in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(SOAK_SECONDS + 60)
            rss_end = _rss_kib(process.pid)
            window = min(60.0, SOAK_SECONDS / 4)  # a minute, or a quarter of a shorter run
            first = [lat for at, lat in samples if at - began <= window]
            last = [lat for at, lat in samples if at >= stop - window]
            figures.update(
                requests=len(samples), errors=len(errors), error_kinds=sorted(set(errors))[:5],
                rss_start_mib=rss_start / 1024, rss_end_mib=rss_end / 1024, window_s=window,
                first=_percentiles(first), last=_percentiles(last),
            )

        benchmark.pedantic(run, rounds=1, iterations=1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(
        f"\nweb soak: {CLIENTS} clients x {SOAK_SECONDS:.0f} s, dashboard + calculator: {figures['requests']} requests "
        f"({figures['requests'] / SOAK_SECONDS:.0f}/s), errors {figures['errors']}; server RSS "
        f"{figures['rss_start_mib']:.0f} MiB -> {figures['rss_end_mib']:.0f} MiB; first {figures['window_s']:.0f} s "
        f"p50 {figures['first'][0]:.0f} ms p95 {figures['first'][1]:.0f} ms; last {figures['window_s']:.0f} s "
        f"p50 {figures['last'][0]:.0f} ms p95 {figures['last'][1]:.0f} ms"
    )
    benchmark.extra_info.update(figures)
    assert figures["errors"] == 0, figures
