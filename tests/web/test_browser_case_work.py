"""Working a whole case from the browser, at desktop and phone sizes (Debian's Chromium).

Opens a case from a photo, corrects the notice date on the review page and again on the case
page (the deadlines follow it each time), then documents everything from the case page: a proof of payment, a payment, a certified
mailing, a transcript, a status change, a letter with enclosures and the export.  On a phone
screen every figure stays on the screen (nothing wider than the viewport) and the first screen
shows the next deadline and the amount to pay.  Screenshots of every step at both sizes go to
tests/web/artifacts/ (and the two first screens to docs/images/ with
BALANCEDUE_UPDATE_SCREENSHOT=1).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from test_browser import ROOT, _shot, browser, notice_photo, server  # noqa: F401 - fixtures

FIXTURES = ROOT / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
WIDER_THAN_SCREEN = """() => {
  const limit = window.innerWidth + 1;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit && getComputedStyle(e).position !== 'absolute')
    .map(e => e.tagName + '.' + e.className);
  return {page: document.documentElement.scrollWidth, wide: wide.slice(0, 5)};
}"""


def _fits(page: Any, where: str) -> None:
    found = page.evaluate(WIDER_THAN_SCREEN)
    assert found["page"] <= page.viewport_size["width"] + 1, (where, found)
    assert not found["wide"], (where, found)


TWENTY_ONE_DAYS = "Pay within 21 calendar days of the notice date"


def _deadline(page: Any, what: str) -> str:
    """The text of the one deadline of the case page whose description starts with ``what``."""
    found = page.locator(".deadlines .deadline", has_text=what)
    assert found.count() == 1, (what, page.inner_text(".deadlines"))
    return str(found.inner_text())


def _first_screen_shows_what_to_do(page: Any, where: str) -> None:
    """The next deadline and the amount to pay are on the first screen, without scrolling."""
    page.evaluate("window.scrollTo(0, 0)")
    height = page.viewport_size["height"]
    for selector in (".first-when strong", ".first-pay .pay-figure"):
        box = page.locator(selector).bounding_box()
        assert box is not None, (where, selector)
        assert box["y"] + box["height"] <= height, (where, selector, box)


def _save_first_screen(page: Any, name: str) -> None:
    if os.environ.get("BALANCEDUE_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs" / "images").mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ROOT / "docs" / "images" / f"{name}.png"), full_page=False)


def _open_case(page: Any, base: str, notice: Path, size: str) -> None:
    page.goto(base + "/cases/new")
    page.set_input_files("#id_notice", str(notice))
    page.click("button:has-text('Read the notice')")
    page.wait_for_selector("h1:has-text('Check what was read')", timeout=180_000)
    _shot(page, f"work-{size}-01-review")
    assert page.input_value("#id_notice_code") == "CP14"
    # The sample notice is dated 2025-06-02; say it is 2025-06-03 instead.
    assert page.input_value("#id_notice_date") == "2025-06-02"
    page.fill("#id_notice_date", "2025-06-03")
    page.fill("#id_client_name", f"Jordan Sample ({size})")
    page.fill("#id_client_address", "12 Elm Street\nSpringfield IL 62704")
    page.click("button:has-text('Save the case')")
    page.wait_for_selector("#deadlines")


def _work_the_case(page: Any, base: str, size: str, tmp_path: Path) -> None:
    case_url = page.url.split("#")[0]
    _shot(page, f"work-{size}-02-case")
    # The date corrected on the review page moved the 21-day interest-free date: read as
    # 2025-06-02 it would be 2025-06-23; corrected to 2025-06-03 it is 2025-06-24 (a Tuesday).
    assert "June 24, 2025" in _deadline(page, TWENTY_ONE_DAYS)
    assert "June 23, 2025" not in _deadline(page, TWENTY_ONE_DAYS)
    _first_screen_shows_what_to_do(page, f"{size} case page")
    _fits(page, f"{size} case page")

    # The notice date, corrected again from the case page: 2025-06-05 + 21 days = 2025-06-26 (a Thursday).
    page.click("text=Correct the notice")
    page.wait_for_selector("h1:has-text('Correct the notice')")
    assert page.input_value("#id_field") == "notice_date"
    assert page.input_value("#id_value") == "2025-06-03"
    page.select_option("#id_field", "tax_year")  # the box follows the field chosen
    assert page.input_value("#id_value") == "2024"
    page.select_option("#id_field", "notice_date")
    assert page.input_value("#id_value") == "2025-06-03"
    page.fill("#id_value", "2025-06-05")
    page.fill("#id_reason", "The notice is dated June 5, 2025")
    _fits(page, f"{size} correct the notice")
    _shot(page, f"work-{size}-02b-correct-notice")
    page.click("button:has-text('Save the correction')")
    page.wait_for_selector("#deadlines")
    assert "June 26, 2025" in _deadline(page, TWENTY_ONE_DAYS)
    assert "June 24, 2025" not in _deadline(page, TWENTY_ONE_DAYS)
    assert "Corrected: Notice date, now June 5, 2025" in page.inner_text(".timeline")
    assert "from June 24, 2025 to June 26, 2025" in page.inner_text(".timeline")
    _shot(page, f"work-{size}-02c-case-corrected")

    # A proof of payment.
    page.click("text=Add a document")
    page.wait_for_selector("h1:has-text('Add a document')")
    receipt = tmp_path / f"receipt-{size}.txt"
    receipt.write_text("IRS Direct Pay confirmation A1B2C3\nAmount $1,000.00\n", encoding="utf-8")
    page.set_input_files("#id_file", str(receipt))
    page.select_option("#id_kind", "proof-of-payment")
    _fits(page, f"{size} add document")
    _shot(page, f"work-{size}-03-add-document")
    page.click("button:has-text('Add the document')")
    page.wait_for_selector("h2:has-text('Documents')")
    assert receipt.name in page.inner_text(".documents")

    # The payment.
    page.click("text=Record a payment")
    page.wait_for_selector("h1:has-text('Record a payment')")
    page.fill("#id_paid_on", "2025-06-12")
    page.fill("#id_amount", "1000.00")
    page.fill("#id_confirmation", "A1B2C3")
    _shot(page, f"work-{size}-04-payment")
    page.click("button:has-text('Save the payment')")
    page.wait_for_selector("h2:has-text('Journal')")
    assert "Payment of $1,000.00 by IRS Direct Pay" in page.inner_text(".timeline")

    # The certified mailing.
    page.click("text=Record a mailing")
    page.fill("#id_tracking", "9407 1000 0000 0000 0000 00")
    page.fill("#id_sent_on", "2025-06-13")
    page.fill("#id_what", "Dispute letter")
    page.fill("#id_enclosures", "Copy of the notice\nCopy of the Direct Pay confirmation")
    _shot(page, f"work-{size}-05-mailing")
    page.click("button:has-text('Save the mailing')")
    page.wait_for_selector("h2:has-text('Journal')")
    assert "Mailed, tracking 9407100000000000000000" in page.inner_text(".timeline")

    # An account transcript (figures worked by hand in tests/fixtures/make_transcripts.py).
    import make_transcripts

    transcript = tmp_path / f"account-2023-{size}.txt"
    transcript.write_text(make_transcripts.balance_due().text(), encoding="utf-8")
    page.click("text=Attach a transcript")
    page.set_input_files("#id_transcript", str(transcript))
    _shot(page, f"work-{size}-06-transcript")
    page.click("button:has-text('Attach and check it')")
    page.wait_for_selector("h2:has-text('Journal')")
    assert "every figure agrees to the cent" in page.inner_text(".timeline")

    # The status.
    page.click("text=Change status")
    page.select_option("#id_status", "waiting")
    page.fill("#id_reason", "Dispute mailed; waiting for the IRS")
    _shot(page, f"work-{size}-06b-status")
    page.click("button:has-text('Change the status')")
    page.wait_for_selector("h2:has-text('Journal')")
    assert "Status: waiting" in page.inner_text(".timeline")

    # A letter with its enclosures.
    page.goto(case_url + "#letters")
    page.select_option("#id_kind", "dispute")
    page.fill("#id_facts", "The payment of June 12, 2025 is not on the notice.")
    page.fill("#id_enclosures", "Copy of the Direct Pay confirmation\nCopy of the bank statement")
    _fits(page, f"{size} letter form")
    page.locator("#letters").scroll_into_view_if_needed()
    _shot(page, f"work-{size}-06c-letter")
    with page.expect_download() as letter:
        page.click("button:has-text('Write and download the letter')")
    letter_path = tmp_path / f"letter-{size}.pdf"
    letter.value.save_as(str(letter_path))
    import pdfplumber

    with pdfplumber.open(str(letter_path)) as document:
        text = "\n".join(p.extract_text() or "" for p in document.pages)
    assert "Copy of the bank statement" in text

    # The export.
    page.goto(case_url)
    with page.expect_download() as export:
        page.click("text=Export the case (.zip)")
    archive = tmp_path / f"case-{size}.zip"
    export.value.save_as(str(archive))
    names = zipfile.ZipFile(io.BytesIO(archive.read_bytes())).namelist()
    assert f"documents/{hashlib.sha256(receipt.read_bytes()).hexdigest()}" in names, names

    page.goto(case_url)
    _shot(page, f"work-{size}-07-case-after")
    _fits(page, f"{size} case page, worked")


def test_work_a_case_at_desktop_and_phone_sizes(server: str, browser: Any, notice_photo: Path, tmp_path: Path) -> None:  # noqa: F811
    base = server.split("/login/")[0]
    desktop = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    desktop.set_default_timeout(180_000)  # reading a photo on a busy machine can take a while
    page = desktop.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server)
    page.wait_for_selector("h1:has-text('Your cases')")

    _open_case(page, base, notice_photo, "desktop")
    _save_first_screen(page, "first-screen-desktop")
    _work_the_case(page, base, "desktop", tmp_path)

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, accept_downloads=True,
                                storage_state=desktop.storage_state())
    phone.set_default_timeout(180_000)
    small = phone.new_page()
    small.on("pageerror", lambda e: problems.append(str(e)))
    _open_case(small, base, ROOT / "examples" / "sample-cp14.pdf", "phone")
    _save_first_screen(small, "first-screen-phone")
    _work_the_case(small, base, "phone", tmp_path)
    small.goto(base + "/")
    _fits(small, "phone dashboard")
    _shot(small, "work-phone-08-dashboard")

    phone.close()
    desktop.close()
    assert not problems, problems
