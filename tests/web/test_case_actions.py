"""Working a case from the browser: every change goes through the case services and the journal."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from web_harness import ROOT, make_user, open_sample_case

FIXTURES = ROOT / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))


@pytest.fixture
def logged_in(web: Any) -> Client:
    client = Client()
    client.force_login(make_user("owner", superuser=True))
    return client


def _upload(name: str, data: bytes) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream


def test_every_action_page_opens(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    for url in ("documents/new", "payments/new", "mailings/new", "notes/new", "status", "transcripts/new",
                "deadlines/1", "notice"):
        response = logged_in.get(f"/cases/{number}/{url}")
        assert response.status_code == 200, url
        assert b"csrfmiddlewaretoken" in response.content


def test_a_payment_with_its_receipt_is_journaled_and_kept(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    receipt = _upload("direct-pay-receipt.txt", b"IRS Direct Pay confirmation 12345\nAmount 1,000.00\n")
    response = logged_in.post(f"/cases/{number}/payments/new", {
        "paid_on": "2025-06-12", "amount": "1000.00", "channel": "IRS Direct Pay", "confirmation": "A1B2C3",
        "receipt": receipt,
    })
    assert response.status_code == 302, response.content[:2000]
    page = logged_in.get(f"/cases/{number}").context["page"]
    assert page.journal[0].title == "Payment of $1,000.00 by IRS Direct Pay"
    assert "Confirmation: A1B2C3" in page.journal[0].details
    assert page.total_paid == "$1,000.00"
    kept = [d for d in page.documents if d.kind == "proof-of-payment"]
    assert [d.name for d in kept] == ["direct-pay-receipt.txt"]


def test_a_payment_of_nothing_is_refused_next_to_the_field(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/payments/new", {
        "paid_on": "2025-06-12", "amount": "0", "channel": "check"})
    assert response.status_code == 400
    assert response.context["form"].errors["amount"]


def test_a_certified_mailing_keeps_tracking_number_and_enclosures(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/mailings/new", {
        "tracking": "9407 1000 0000 0000 0000 00", "sent_on": "2025-06-11", "to": "Internal Revenue Service",
        "what": "Dispute letter", "enclosures": "Copy of the notice\nCopy of the canceled check\n",
    })
    assert response.status_code == 302, response.content[:2000]
    entry = logged_in.get(f"/cases/{number}").context["page"].journal[0]
    assert entry.title == "Mailed, tracking 9407100000000000000000"
    assert "Enclosures: Copy of the notice, Copy of the canceled check" in entry.details


def test_a_bad_tracking_number_is_explained(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/mailings/new", {"tracking": "12", "sent_on": "2025-06-11"})
    assert response.status_code == 400
    assert b"tracking number" in response.content


def test_note_and_status_change(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    assert logged_in.post(f"/cases/{number}/notes/new", {"text": "Called the bank for the statement"}).status_code == 302
    assert logged_in.post(f"/cases/{number}/status", {"status": "waiting", "reason": "Dispute mailed"}).status_code == 302
    page = logged_in.get(f"/cases/{number}").context["page"]
    assert page.status == "waiting"
    titles = [e.title for e in page.journal]
    assert "Note" in titles
    assert "Status: waiting" in titles


def test_a_deadline_is_moved_with_its_reason(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    before = logged_in.get(f"/cases/{number}").context["page"].deadlines
    first = before[0]
    response = logged_in.post(f"/cases/{number}/deadlines/{first.number}",
                              {"due": "2025-07-15", "reason": "Agreed by phone with the IRS"})
    assert response.status_code == 302
    after = {d.number: d for d in logged_in.get(f"/cases/{number}").context["page"].deadlines}
    assert after[first.number].due == "July 15, 2025"
    assert logged_in.get(f"/cases/{number}/deadlines/999").status_code == 404


def test_a_document_is_added_to_the_case(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/documents/new", {
        "kind": "correspondence", "file": _upload("irs-reply.txt", b"We received your letter.\n")})
    assert response.status_code == 302
    page = logged_in.get(f"/cases/{number}").context["page"]
    assert any(d.name == "irs-reply.txt" and d.kind == "correspondence" for d in page.documents)
    assert page.journal[0].title == "Document added: irs-reply.txt (correspondence)"


def test_a_transcript_is_kept_and_its_recomputation_journaled(logged_in: Client) -> None:
    import make_transcripts

    fixture = make_transcripts.balance_due()
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/transcripts/new",
                              {"transcript": _upload("account-2023.txt", fixture.text().encode())})
    assert response.status_code == 302, response.content[:2000]
    page = logged_in.get(f"/cases/{number}").context["page"]
    assert any(d.name == "account-2023.txt" and d.kind == "transcript" for d in page.documents)
    check = page.journal[0]
    assert check.title == "Note"
    # The generated file's figures were worked by hand (tests/fixtures/make_transcripts.py) and
    # reconcile to the cent.
    assert any("every figure agrees to the cent" in d for d in check.details), check.details
    assert any("collection statute ends May 20, 2034" in d for d in check.details), check.details


def test_another_users_case_cannot_be_worked(web: Any) -> None:
    alice, bob = Client(), Client()
    alice.force_login(make_user("alice"))
    bob.force_login(make_user("bob"))
    number = open_sample_case(alice)
    for url in ("documents/new", "payments/new", "mailings/new", "notes/new", "status", "transcripts/new",
                "deadlines/1", "notice"):
        assert bob.get(f"/cases/{number}/{url}").status_code == 404, url
    assert bob.post(f"/cases/{number}/notes/new", {"text": "sneaky"}).status_code == 404
    assert bob.post(f"/cases/{number}/status", {"status": "closed", "reason": "x"}).status_code == 404
    page = alice.get(f"/cases/{number}").context["page"]
    assert page.status == "open"
    assert all(e.title != "Note" for e in page.journal)


def test_first_screen_says_what_by_when_and_how_much(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    first = logged_in.get(f"/cases/{number}").context["page"].first
    # The sample CP14 (examples/make_sample_notice.py): dated 2025-06-02, pay by 2025-06-23;
    # today is 2025-06-10 in these tests, so the next deadline is 13 days ahead.
    assert first.next_due == "June 23, 2025"
    assert first.next_days == "in 13 days"
    assert not first.overdue
    assert first.pay_today.startswith("$")


def test_first_screen_marks_a_passed_deadline_overdue(logged_in: Client, web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    number = open_sample_case(logged_in)
    monkeypatch.setattr(web, "WEB_TODAY", "2025-07-03")
    first = logged_in.get(f"/cases/{number}").context["page"].first
    # 2025-06-23 to 2025-07-03 is 10 days; a later date (the next notice) is still ahead.
    assert any(p.startswith("Pay by the date printed on the notice") and p.endswith("June 23, 2025 (overdue by 10 days)")
               for p in first.passed), first.passed
    assert first.next_due != "June 23, 2025"
    monkeypatch.setattr(web, "WEB_TODAY", "2026-12-01")
    late = logged_in.get(f"/cases/{number}").context["page"].first
    assert late.overdue  # every date has passed: the last one is shown, marked overdue


def test_styled_not_found_page(logged_in: Client) -> None:
    response = logged_in.get("/no/such/page")
    assert response.status_code == 404
    assert b"There is no such page" in response.content
    assert b"Back to your cases" in response.content


def test_favicon_is_served(logged_in: Client) -> None:
    response = logged_in.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/balancedue/favicon.svg")
    assert Path(ROOT / "src/balancedue/web/static/balancedue/favicon.svg").read_text().startswith("<svg")


def test_letter_lists_the_enclosures_given(logged_in: Client) -> None:
    import pdfplumber

    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/letters", {
        "kind": "dispute", "facts": "The payment of June 1 is missing.",
        "enclosures": "Copy of the canceled check\nCopy of the bank statement\n"})
    assert response.status_code == 200, response.content[:2000]
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Copy of the canceled check" in text
    assert "Copy of the bank statement" in text


def test_the_case_is_exported_as_a_zip(logged_in: Client) -> None:
    import zipfile

    number = open_sample_case(logged_in)
    response = logged_in.get(f"/cases/{number}/export.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(name.endswith(".pdf") for name in names)


def test_call_form_starts_with_today(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    form = logged_in.get(f"/cases/{number}/calls/new").context["form"]
    assert str(form.initial["started_at"]).startswith("2025-06-10T")


def test_transcript_tool_shows_every_recomputed_figure(logged_in: Client) -> None:
    import make_transcripts

    fixture = make_transcripts.balance_due()
    response = logged_in.post("/tools/transcripts", {"transcript": _upload("account.txt", fixture.text().encode())})
    assert response.status_code == 200
    details = response.context["result"].details
    # The hand-worked file: tax 9,400.00 assessed with the return (TC 150) and recomputed the same.
    assert any(d.startswith("return tax") or "$9,400.00" in d for d in details), details
    assert any("every figure agrees to the cent" in d for d in details), details
    assert b"Attach a transcript" in response.content


def test_uploads_are_read_in_a_separate_process(web: Any) -> None:
    import os

    from balancedue.errors import NotAnIrsNoticeError
    from balancedue.web import uploads

    notice = uploads.read_in_worker(ROOT / "examples" / "sample-cp14.pdf")
    assert notice.fields["notice_code"].value == "CP14"
    worker = uploads._executor()._processes  # the one reading process, not this one
    assert worker
    assert os.getpid() not in worker
    # The reader's own error comes back as itself, with its message.
    other = ROOT / "tests" / "fixtures" / "not-a-notice.txt"
    with pytest.raises(NotAnIrsNoticeError):
        uploads.read_in_worker(other)


def test_the_reading_process_ends_with_the_server(tmp_path: Path) -> None:
    """A server stopped by SIGKILL must not leave its reading process behind."""
    import os
    import signal
    import subprocess
    import time

    script = (
        "import os, sys, time\n"
        "from balancedue.web import uploads\n"
        "uploads._executor().submit(os.getpid).result(timeout=120)\n"
        "print(list(uploads._executor()._processes)[0], flush=True)\n"
        "time.sleep(600)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "BALANCEDUE_DATA_DIR": str(tmp_path)})
    assert server.stdout is not None
    child = int(server.stdout.readline())
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the reading process outlived the server")


def test_first_screen_gives_the_amount_to_pay_today_and_until_when(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    first = logged_in.get(f"/cases/{number}").context["page"].first
    # The sample CP14 bills $4,076.99 on 2025-06-02. Paid in full within 21 calendar days of the
    # notice (IRC 6601(e)(3)), no more interest: 2025-06-02 + 21 days = 2025-06-23, a Monday.
    # Today (2025-06-10) is inside that window, so today's figure is the printed amount.
    assert first.pay_today == "$4,076.99"
    assert first.pay_note.startswith("holds until June 23, 2025")


def test_list_rows_show_the_amount_to_pay_today_not_the_printed_one(
    logged_in: Client, web: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from balancedue.intake import pipeline
    from balancedue.services import read as read_service

    number = open_sample_case(logged_in)
    # Three months on, interest and the failure-to-pay penalty have run since the notice: today's
    # figure is more than the $4,076.99 printed on it.
    monkeypatch.setattr(web, "WEB_TODAY", "2025-09-15")
    reads: list[str] = []
    for module, name in ((pipeline, "read_text"), (pipeline, "read_document"), (read_service, "read_pasted_notice")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name, **k: reads.append(_name) or _real(*a, **k))
    row = next(r for r in logged_in.get("/").context["page"].rows if r.number == number)
    line = next(r for r in logged_in.get("/desk").context["lines"] if r.number == number)
    first = logged_in.get(f"/cases/{number}").context["page"].first
    assert reads == []  # the lists and the case page work from the notice kept in the journal
    assert row.amount_due == "$4,076.99"
    assert row.pay_today != "$4,076.99"
    assert Decimal(row.pay_today.strip("$").replace(",", "")) > Decimal("4076.99")
    # The lists' quick figure is the case page's figure (the whole analysis), to the cent.
    assert row.pay_today == line.pay_today == first.pay_today
    assert row.pay_note == first.pay_note


def test_the_desk_figure_follows_a_correction_and_is_not_worked_out_twice(
    logged_in: Client, web: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from balancedue.services import cases as case_service

    number = open_sample_case(logged_in)
    monkeypatch.setattr(web, "WEB_TODAY", "2025-09-15")
    shown: list[str] = []
    real = case_service.show_case
    monkeypatch.setattr(case_service, "show_case", lambda ref, *a, **k: shown.append(str(ref)) or real(ref, *a, **k))

    def desk_figure() -> str:
        return str(next(r for r in logged_in.get("/desk").context["lines"] if r.number == number).pay_today)

    first = desk_figure()
    assert shown == [str(number)]
    assert desk_figure() == first
    assert shown == [str(number)]  # the same journal on the same day: the figure is not worked out again
    # The notice is dated a month later than read: a month less of interest and penalty to today,
    # so today's figure is lower; the correction moves the journal's head, so it is worked out again.
    response = logged_in.post(f"/cases/{number}/notice", {
        "field": "notice_date", "value": "2025-07-02", "reason": "The notice is dated July 2, 2025",
    })
    assert response.status_code == 302
    shown.clear()
    after = desk_figure()
    assert shown == [str(number)]
    assert Decimal(after.strip("$").replace(",", "")) < Decimal(first.strip("$").replace(",", ""))
    assert after == logged_in.get(f"/cases/{number}").context["page"].first.pay_today


def test_a_notice_field_is_corrected_from_the_case_page(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    before = {d.what: d.due for d in logged_in.get(f"/cases/{number}").context["page"].deadlines}
    page = logged_in.get(f"/cases/{number}/notice?field=notice_date")
    assert page.status_code == 200
    assert page.context["form"]["value"].value() == "2025-06-02"  # the date read from the sample notice
    response = logged_in.post(f"/cases/{number}/notice", {
        "field": "notice_date", "value": "2025-06-03", "reason": "The notice is dated June 3, 2025",
    })
    assert response.status_code == 302
    view = logged_in.get(f"/cases/{number}").context["page"]
    after = {d.what: d.due for d in view.deadlines}
    moved = {what: (before[what], after[what]) for what in after if after[what] != before[what]}
    # Counted from the notice date, one day later: 2025-06-02 + 21 = June 23; 2025-06-03 + 21 = June 24.
    assert ("June 23, 2025", "June 24, 2025") in moved.values(), moved
    # The date printed on the notice ("pay by June 23, 2025") does not depend on the notice date.
    assert after["Pay by the date printed on the notice"] == "June 23, 2025"
    assert view.notice_date == "June 3, 2025"
    assert any(f.label == "Notice date" and f.value == "2025-06-03" for f in view.notice_fields)
    entry = view.journal[0]
    assert entry.title == "Corrected: Notice date, now June 3, 2025"
    assert any(d.startswith("Date moved:") and d.endswith("from June 23, 2025 to June 24, 2025") for d in entry.details)
    # The form opens with the corrected value.
    assert logged_in.get(f"/cases/{number}/notice?field=notice_date").context["form"]["value"].value() == "2025-06-03"


def test_a_corrected_printed_date_moves_the_deadline_taken_from_it(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/notice", {
        "field": "pay_by_date", "value": "2025-06-30", "reason": "The stub says June 30, 2025",
    })
    assert response.status_code == 302
    after = {d.what: d.due for d in logged_in.get(f"/cases/{number}").context["page"].deadlines}
    assert after["Pay by the date printed on the notice"] == "June 30, 2025"
    # Counted from the notice date (2025-06-02, unchanged): 2025-06-02 + 21 days = June 23.
    assert after["Pay within 21 calendar days of the notice date to stop interest on the amount billed"] == "June 23, 2025"


def test_a_bad_correction_is_explained_next_to_the_field(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    for data, words in (
        ({"field": "notice_date", "value": "June 3rd", "reason": "misread"}, "is not a date; write it as YYYY-MM-DD"),
        ({"field": "amount_due", "value": "four thousand", "reason": "misread"}, "amount"),
        ({"field": "tax_year", "value": "24", "reason": "misread"}, "is not a tax year"),
        ({"field": "no_such_field", "value": "1", "reason": "misread"}, "Select a valid choice"),
        ({"field": "notice_date", "value": "2025-06-03", "reason": ""}, "This field is required"),
    ):
        response = logged_in.post(f"/cases/{number}/notice", data)
        assert response.status_code == 400, data
        assert words in response.content.decode(), (data, response.content.decode()[:300])
    assert logged_in.get("/cases/999/notice").status_code == 404
    journal = logged_in.get(f"/cases/{number}").context["page"].journal
    assert not any(e.title.startswith("Corrected") for e in journal)
