"""Letter test set-up: the ``--update-golden`` option.

Golden files hold the plain text of each letter kind (tests/letters/golden/<kind>.txt).  After
a deliberate wording change, rewrite them and review the diff:

    .venv/bin/python -m pytest tests/letters --update-golden
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/letters/golden/*.txt from the current templates",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False))
