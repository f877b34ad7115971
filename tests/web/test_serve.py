"""``balancedue serve``: the host check, before anything starts."""

from __future__ import annotations

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
