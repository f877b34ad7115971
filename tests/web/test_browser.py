"""The whole journey in a real browser: Debian's Chromium, headless, driven by Playwright.

A `balancedue serve` process runs on 127.0.0.1 with a throw-away data folder; the test logs in
with the printed one-time link, uploads a photo of the sample notice, corrects one field, sees
the deadline and the options chart, downloads the dispute letter, logs a call and downloads the
calendar.  Screenshots of every page go to tests/web/artifacts/ (and the case page, small, to
docs/images/case-page.png when BALANCEDUE_UPDATE_SCREENSHOT=1).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import privacy_scan

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "web" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE_NOTICE = ROOT / "examples" / "sample-cp14.pdf"
TODAY = "2025-06-10"  # ten days after the sample notice's date

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        reason = "browser tests not run: /usr/bin/chromium is missing (make test installs Debian's chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live `balancedue serve` on loopback; yields its one-time login link."""
    _require_chromium()
    data = tmp_path_factory.mktemp("web-data")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BALANCEDUE_DATA_DIR"] = str(data)
    with serving(["--port", str(port)], env, r"http://127\.0\.0\.1:\d+/login/\S+", "a login link") as link:
        yield link


@contextlib.contextmanager
def serving(args: list[str], env: dict[str, str], printed: str, what: str) -> Iterator[str]:
    """`balancedue serve ARGS` on loopback until the block ends; yields the first address it
    prints that matches ``printed``, once its port answers."""
    port = int(args[args.index("--port") + 1])
    process = subprocess.Popen(
        [sys.executable, "-c", "from balancedue.cli import main; main()", "serve", *args, "--today", TODAY, "--threads", "4"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
    )
    assert process.stdout is not None
    found = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not found:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        match = re.search(printed, line)
        found = match.group(0) if match else ""
    # Keep reading what the server prints, or a full pipe would stop it mid-test.
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    try:
        assert found, f"balancedue serve printed no {what}"
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield found
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def notice_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A photo-like JPEG of the sample notice (its page rendered at 150 dpi, slightly turned)."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(str(SAMPLE_NOTICE))
    image = document[0].render(scale=150 / 72).to_pil().convert("RGB")
    document.close()
    image = image.rotate(0.8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(236, 233, 226))
    path = tmp_path_factory.mktemp("photo") / "notice-photo.jpg"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        privacy_scan.record_browser_pages(chromium)  # the pages it is served, for the privacy scan
        try:
            yield chromium
        finally:
            chromium.close()


def _shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_the_whole_journey(server: str, browser: Any, notice_photo: Path, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{page.url}: {m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)

    # Log in with the one-time link.
    page.goto(server)
    page.wait_for_selector("h1:has-text('Your cases')")
    _shot(page, "01-dashboard-empty")

    # Keyboard: the first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"

    # Upload the photo of the notice.
    page.click("text=New case")
    page.wait_for_selector("h1:has-text('Open a case')")
    _shot(page, "02-new-case")
    page.set_input_files("#id_notice", str(notice_photo))
    page.click("button:has-text('Read the notice')")
    page.wait_for_selector("h1:has-text('Check what was read')", timeout=180_000)
    _shot(page, "03-review")
    # Each field shows its confidence.
    assert page.locator(".confidence").count() >= 10
    assert page.input_value("#id_notice_code") == "CP14"

    # Correct one field (the amount), give the taxpayer's name and address, save.
    page.fill("#id_amount_due", "4077.99")
    page.fill("#id_client_name", "Jordan Sample")
    page.fill("#id_client_address", "12 Elm Street\nSpringfield IL 62704")
    page.click("button:has-text('Save the case')")
    page.wait_for_selector("h2:has-text('Deadlines')")

    # The deadline and the options chart.
    deadlines = page.inner_text(".deadlines")
    assert "June 23, 2025" in deadlines  # pay-by date printed on the sample notice
    chart = page.locator("figure.chart img")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('figure.chart img'); return i.complete && i.naturalWidth > 0; }",
        timeout=15_000,
    )
    assert "Pay in full" in page.inner_text("table.options")
    assert "4076.99 -> 4077.99" in page.inner_text("#journal ~ ol") or "4077.99" in page.inner_text(".timeline")
    _shot(page, "04-case")
    if os.environ.get("BALANCEDUE_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "images" / "case-page.png"), full_page=False)

    # Generate and download the dispute letter.
    page.select_option("#id_kind", "dispute")
    page.fill("#id_facts", "The amount on the notice is one dollar more than the figures on it add up to.")
    with page.expect_download() as letter:
        page.click("button:has-text('Write and download the letter')")
    letter_path = tmp_path / letter.value.suggested_filename
    letter.value.save_as(str(letter_path))
    assert letter_path.suffix == ".pdf"
    assert letter_path.read_bytes().startswith(b"%PDF-")

    # Log a call, keyboard only for the last step.
    page.click("text=Log a call")
    page.wait_for_selector("h1:has-text('Log a call')")
    page.fill("#id_agent", "Ms. Rivera")
    page.fill("#id_badge", "1000123456")
    page.fill("#id_started_at", "2025-06-10T09:30")
    page.fill("#id_summary", "Asked why the amount is one dollar off; she will review it.")
    page.fill("#id_follow_up", "2025-06-24")
    _shot(page, "05-log-call")
    page.focus("button:has-text('Save the call')")
    page.keyboard.press("Enter")
    page.wait_for_selector("h2:has-text('Journal')")
    assert "Call with Ms. Rivera (badge 1000123456)" in page.inner_text(".timeline")

    # Download the calendar file.
    with page.expect_download() as calendar:
        page.click("text=Calendar (.ics)")
    ics = tmp_path / "case.ics"
    calendar.value.save_as(str(ics))
    text = ics.read_text(encoding="utf-8")
    assert text.startswith("BEGIN:VCALENDAR")
    assert "20250623" in text
    assert "20250624" in text  # the follow-up agreed in the call

    # The tools.
    page.goto(server.split("/login/")[0] + "/tools/calculator?form=1040&tax_year=2023&filed_on=2024-07-20"
              "&tax=12000&withholding=8000&as_of=2025-06-30")
    page.wait_for_selector("h2:has-text('As of')")
    _shot(page, "06-calculator")
    page.click("text=Scam check")
    page.fill("#id_text", "This is the IRS. Pay today with gift cards or you will be arrested.")
    page.click("button:has-text('Check')")
    page.wait_for_selector("#verdict")
    _shot(page, "07-scam-check")
    page.click("text=Transcripts")
    _shot(page, "08-transcripts")
    page.click("text=Cases")
    _shot(page, "09-dashboard")

    # A phone-sized screen: nothing wider than the screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                storage_state=context.storage_state())
    small = phone.new_page()
    for name, path in (("10-phone-dashboard", "/"), ("11-phone-case", "/cases/1"), ("12-phone-new-case", "/cases/new")):
        small.goto(server.split("/login/")[0] + path)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390 + 1, path
        _shot(small, name)
    phone.close()
    context.close()

    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not outside, outside
