"""The deadline desk in a real browser (headless Chromium, Playwright), in practice mode.

A `balancedue serve --practice` process runs on a data folder seeded by desk_seed.py; the owner
sees every open case in deadline order (overdue first), and a staff member logging in with a
password sees only the clients granted to them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from desk_seed import PASSWORDS
from test_browser import CHROMIUM, CHROMIUM_ARGS, _free_port, _require_chromium, _shot, serving

import privacy_scan

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
TODAY = "2025-06-10"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def practice_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    data = tmp_path_factory.mktemp("desk-data")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = str(HERE)
    seeded = subprocess.run([sys.executable, str(HERE / "desk_seed.py")], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    port = _free_port()
    with serving(["--practice", "--port", str(port)], env, r"http://127\.0\.0\.1:\d+/", "address") as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        privacy_scan.record_browser_pages(browser)  # the pages it is served, for the privacy scan
        try:
            yield browser
        finally:
            browser.close()


def _desk_as(chromium: Any, base: str, user: str) -> tuple[list[str], list[str], Any]:
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto(base + "desk")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORDS[user])
    page.click("button:has-text('Log in')")
    page.wait_for_selector("h1:has-text('Deadline desk')")
    rows = page.locator("table.desk tbody tr")
    clients = [rows.nth(i).locator("td").nth(2).inner_text().strip() for i in range(rows.count())]
    bands = [rows.nth(i).locator(".badge").inner_text().strip() for i in range(rows.count())]
    return clients, bands, page


def test_the_desk_in_deadline_order_and_a_staff_member_sees_only_their_clients(practice_server: str, chromium: Any) -> None:
    clients, bands, page = _desk_as(chromium, practice_server, "owner")
    _shot(page, "desk-owner")
    # By hand (desk_seed.py): Avery overdue, Blake June 12, Devon June 20, Casey July 15.
    assert clients == ["Avery Tester", "Blake Example", "Devon Fiction", "Casey Sample"]
    assert bands == ["overdue", "this week", "later", "later"]

    clients, _, page = _desk_as(chromium, practice_server, "pat")
    _shot(page, "desk-staff")
    assert clients == ["Avery Tester", "Devon Fiction", "Casey Sample"]
    assert "Blake" not in page.inner_text("main")
    page.select_option("#id_client", label="Casey Sample")
    page.click("button:has-text('Show')")
    page.wait_for_selector("h1:has-text('Deadline desk')")
    assert page.locator("table.desk tbody tr").count() == 1
