"""``balancedue serve``: the host check, before anything starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from balancedue.cli import app
from balancedue.cli.serve_cmd import is_loopback


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)],
)
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_single_user_mode_refuses_a_network_address() -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--practice" in result.output


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_ctrl_c_stops_the_server_and_its_reading_process(tmp_path: Path) -> None:
    """The reading process started for uploads ends with the server, not later and not never."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-c", "from balancedue.cli import main; main()", "serve", "--port", str(port), "--threads", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
    )
    try:
        assert process.stdout is not None
        assert "log in" in process.stdout.readline()
        children: set[int] = set()
        deadline = time.monotonic() + 60
        while not children and time.monotonic() < deadline:  # the reader starts once the port is taken
            children = _children(process.pid)
            time.sleep(0.1)
        assert children, "no reading process was started"
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{child}").exists() for child in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(Path(f"/proc/{child}").exists() for child in children)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
