"""The pages through Django's test client: access, isolation, CSRF, uploads, the journey's steps."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from web_harness import SAMPLE_NOTICE, make_user, open_sample_case

from balancedue.rules import load_rules

RULES = load_rules()

PUBLIC = {"login", "token_login", "admin_login", "favicon"}  # the ways to log in, and the icon (a static redirect)


def _patterns(resolver: Any, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            found += _patterns(item, prefix + str(item.pattern))
        else:
            found.append((prefix + str(item.pattern), item))
    return found


def _concrete(route: str) -> str:
    """A URL for a route: every converter filled with a plausible value."""
    route = re.sub(r"<int:[a-z_]+>", "1", route)
    route = re.sub(r"<(?:str|path|slug):[a-z_]+>", "x", route)
    route = re.sub(r"<[a-z_]+>", "x", route)
    route = re.sub(r"\^|\$|\\Z|\(\?P<[a-z_]+>[^)]*\)", "x", route)
    return "/" + route.lstrip("/")


def test_anonymous_request_is_refused_on_every_url(web: Any) -> None:
    client = Client()
    checked = 0
    for route, pattern in _patterns(get_resolver()):
        if pattern.name in PUBLIC:
            continue
        url = _concrete(route)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (301, 302, 404, 405), (url, response.status_code)
            if response.status_code in (301, 302):
                assert "login" in response["Location"], (url, response["Location"])
            assert b"balancedue" not in response.content or response.status_code != 200
        checked += 1
    assert checked > 20  # the app's pages and the admin's


def test_app_pages_redirect_anonymous_to_login(web: Any) -> None:
    client = Client()
    for url in ("/", "/cases/new", "/cases/1", "/cases/1/calendar.ics", "/tools/calculator", "/tools/scam-check"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_login_link_works_once_then_never(web: Any) -> None:
    from balancedue.web import login_token

    token = login_token.issue()
    client = Client()
    assert client.get(f"/login/{token}").status_code == 302
    assert client.get("/").status_code == 200
    other = Client()
    assert other.get(f"/login/{token}").status_code == 403
    assert other.get("/").status_code == 302


def test_a_wrong_login_token_is_refused(web: Any) -> None:
    from balancedue.web import login_token

    login_token.issue()
    assert Client().get("/login/not-the-token").status_code == 403


def test_practice_mode_has_no_login_link(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from balancedue.web import login_token

    monkeypatch.setattr(web, "PRACTICE_MODE", True)
    token = login_token.issue()
    assert Client().get(f"/login/{token}").status_code == 403


def test_practice_user_cannot_open_another_users_client_by_guessing_ids(web: Any) -> None:
    alice, bob = Client(), Client()
    alice.force_login(make_user("alice"))
    bob.force_login(make_user("bob"))
    number = open_sample_case(alice)
    assert alice.get(f"/cases/{number}").status_code == 200
    assert b"CP14" in alice.get("/").content
    guessed = [
        f"/cases/{number}",
        f"/cases/{number}/chart.svg",
        f"/cases/{number}/calendar.ics",
        f"/cases/{number}/documents/1",
        f"/cases/{number}/calls/new",
        f"/cases/{number}/verify",
    ]
    for url in guessed:
        assert bob.get(url).status_code == 404, url
        # The same answer as for a case that does not exist: nothing to probe.
        assert Client().get(url).status_code == 302
    assert bob.post(f"/cases/{number}/letters", {"kind": "dispute"}).status_code == 404
    call = {"agent": "A. Agent", "badge": "1000123", "started_at": "2025-06-10T09:00", "summary": "x"}
    assert bob.post(f"/cases/{number}/calls/new", call).status_code == 404
    assert bob.get(f"/cases/{number + 1}").status_code == 404
    assert b"CP14" not in bob.get("/").content
    # The call was not recorded.
    page = alice.get(f"/cases/{number}").content
    assert b"A. Agent" not in page


def test_staff_superuser_sees_every_client(web: Any) -> None:
    alice, boss = Client(), Client()
    alice.force_login(make_user("alice"))
    boss.force_login(make_user("boss", superuser=True))
    number = open_sample_case(alice)
    assert boss.get(f"/cases/{number}").status_code == 200


def test_practice_user_cannot_join_a_client_of_the_same_name(web: Any) -> None:
    alice, bob = Client(), Client()
    alice.force_login(make_user("alice"))
    bob.force_login(make_user("bob"))
    open_sample_case(alice)
    with SAMPLE_NOTICE.open("rb") as stream:
        response = bob.post("/cases/new", {"notice": stream})
    form = response.context["page"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["client_address"] = "1 Main St\nSpringfield IL 62701"
    response = bob.post("/cases/new/review", data)
    assert response.status_code == 400
    assert b"belongs to a client you cannot see" in response.content


def test_forged_post_without_csrf_token_is_refused(web: Any) -> None:
    owner = make_user("owner", superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    call = {"agent": "A. Agent", "badge": "1000123", "started_at": "2025-06-10T09:00", "summary": "Asked"}
    assert client.post("/cases/1/calls/new", call).status_code == 403
    assert client.post("/tools/scam-check", {"text": "hello"}).status_code == 403
    assert client.post("/cases/new", {}).status_code == 403
    # With the token from the page, the same kind of request goes through.
    page = client.get("/tools/scam-check")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    assert client.post("/tools/scam-check", {"text": "hello", "csrfmiddlewaretoken": token}).status_code == 200


@pytest.fixture
def logged_in(web: Any) -> Client:
    client = Client()
    client.force_login(make_user("owner", superuser=True))
    return client


def test_upload_too_large_is_refused_next_to_the_field(logged_in: Client, web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "MAX_UPLOAD_BYTES", 2048)
    big = SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n" + b"0" * 3000, content_type="application/pdf")
    response = logged_in.post("/cases/new", {"notice": big})
    assert response.status_code == 400
    error = re.search(rb'id="id_notice-error"[^>]*>([^<]+)<', response.content)
    assert error is not None
    assert b"limit" in error.group(1)


def test_upload_of_another_type_is_refused_with_a_clear_message(logged_in: Client) -> None:
    fake = SimpleUploadedFile("notice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = logged_in.post("/cases/new", {"notice": fake})
    assert response.status_code == 400
    assert b"not one of the accepted types" in response.content
    exe = SimpleUploadedFile("notice.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert logged_in.post("/cases/new", {"notice": exe}).status_code == 400


def test_upload_without_a_file_asks_for_one(logged_in: Client) -> None:
    response = logged_in.post("/cases/new", {})
    assert response.status_code == 400
    assert b"Choose the notice file" in response.content


def test_review_shows_each_field_with_its_confidence(logged_in: Client) -> None:
    with SAMPLE_NOTICE.open("rb") as stream:
        response = logged_in.post("/cases/new", {"notice": stream})
    page = response.context["page"]
    rows = {row.label: row for row in page.rows}
    # The sample notice (examples/make_sample_notice.py) prints amount due $4,076.99, notice CP14.
    assert rows["Amount due"].field.value() == "4076.99"
    assert rows["Notice code"].field.value() == "CP14"
    assert rows["Amount due"].confidence.endswith("%")


def test_a_corrected_field_is_saved_and_journaled(logged_in: Client) -> None:
    number = open_sample_case(logged_in, amount_due="4077.99")
    page = logged_in.get(f"/cases/{number}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "$4,077.99" in text
    assert "amount due: 4076.99 -&gt; 4077.99" in text
    # The recomputation (from the notice's own lines, $4,076.99) now differs by the $1.00 changed.
    comparisons = {c.item: c for c in page.context["page"].comparisons}
    assert comparisons["Amount due"].difference == "$1.00"


def test_a_wrong_correction_is_shown_next_to_its_field(logged_in: Client) -> None:
    with SAMPLE_NOTICE.open("rb") as stream:
        response = logged_in.post("/cases/new", {"notice": stream})
    form = response.context["page"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["notice_date"] = "June the second"
    response = logged_in.post("/cases/new/review", data)
    assert response.status_code == 400
    row = next(r for r in response.context["page"].rows if r.label == "Notice date")
    assert "YYYY-MM-DD" in " ".join(row.field.errors)


def test_case_page_shows_deadline_options_and_chart(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    page = logged_in.get(f"/cases/{number}")
    view = page.context["page"]
    # CP14 of 2025-06-02: pay by the date printed on it, 2025-06-23 (examples/make_sample_notice.py).
    assert any(d.due == "June 23, 2025" for d in view.deadlines)
    assert any(o.title == "Pay in full" for o in view.options)
    assert view.has_chart
    chart = logged_in.get(f"/cases/{number}/chart.svg")
    assert chart.status_code == 200
    assert chart["Content-Type"] == "image/svg+xml"
    assert chart.content.lstrip().startswith(b"<svg")


def test_letter_is_written_downloaded_and_kept(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(f"/cases/{number}/letters", {"kind": "dispute", "facts": "The balance is off."})
    assert response.status_code == 200, response.content[:2000]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    documents = logged_in.get(f"/cases/{number}").context["page"].documents
    assert any(d.name.endswith(".pdf") and d.kind == "correspondence" for d in documents)


def test_letter_without_an_address_explains_why(logged_in: Client) -> None:
    number = open_sample_case(logged_in, address="")
    response = logged_in.post(f"/cases/{number}/letters", {"kind": "dispute", "facts": "x"})
    assert response.status_code == 400
    assert b"address" in response.content


def test_call_is_logged_with_badge_number(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    call = {
        "agent": "Ms. Rivera", "badge": "1000123456", "started_at": "2025-06-10T09:30",
        "summary": "Asked why the balance differs", "follow_up": "2025-06-20",
    }
    response = logged_in.post(f"/cases/{number}/calls/new", call)
    assert response.status_code == 302
    view = logged_in.get(f"/cases/{number}").context["page"]
    assert view.journal[0].title == "Call with Ms. Rivera (badge 1000123456)"
    follow = [d for d in view.deadlines if d.what.startswith("Follow up on the call")]
    assert [d.due for d in follow] == ["June 20, 2025"]


def test_call_form_shows_errors_next_to_fields(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.post(
        f"/cases/{number}/calls/new",
        {"agent": "", "badge": "1", "started_at": "2025-06-10T10:00", "ended_at": "2025-06-10T09:00", "summary": "x"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["agent"]
    assert form.errors["ended_at"]


def test_calendar_download(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.get(f"/cases/{number}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert b"DTSTART;VALUE=DATE:20250623" in response.content


def test_document_download_is_the_uploaded_notice(logged_in: Client) -> None:
    number = open_sample_case(logged_in)
    response = logged_in.get(f"/cases/{number}/documents/1")
    assert response.status_code == 200
    assert b"".join(response) == SAMPLE_NOTICE.read_bytes()


def test_dashboard_lists_the_case_with_its_next_deadline(logged_in: Client) -> None:
    open_sample_case(logged_in)
    page = logged_in.get("/").context["page"]
    assert len(page.rows) == 1
    assert page.rows[0].next_due == "June 23, 2025"
    assert page.rows[0].amount_due == "$4,076.99"


def test_calculator_matches_the_engine(logged_in: Client) -> None:
    # examples/scenario-late-filer.json without its later events: same return, same withholding.
    query = "tax_year=2023&form=1040&filed_on=2024-07-20&tax=12000&withholding=8000&as_of=2025-06-30"
    response = logged_in.get(f"/tools/calculator?{query}")
    assert response.status_code == 200
    from datetime import date

    from balancedue.engine import parse_scenario
    from balancedue.engine.money import format_money
    from balancedue.services.compute import compute_statement

    expected = compute_statement(
        parse_scenario({"form": "1040", "tax_year": 2023, "as_of": "2025-06-30", "events": [
            {"date": "2024-07-20", "type": "withholding", "amount": "8000.00"},
            {"date": "2024-07-20", "type": "return_filed", "tax": "12000.00"},
        ]}),
        date(2025, 6, 30), rules=RULES
    )
    rows = dict(response.context["result"].rows)
    assert rows["Balance"] == format_money(expected.balance)
    assert rows["Failure-to-file penalty"] == format_money(expected.failure_to_file)


def test_calculator_errors_are_shown_next_to_fields(logged_in: Client) -> None:
    response = logged_in.get("/tools/calculator?tax_year=2023&form=1040&filed_on=notadate&tax=-5&as_of=2025-06-30")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "filed_on" in errors
    assert "tax" in errors


def test_scam_check_flags_gift_cards(logged_in: Client) -> None:
    response = logged_in.post("/tools/scam-check", {"text": "IRS here. Pay today with gift cards or be arrested."})
    assert response.status_code == 200
    assert response.context["result"].verdict != "consistent"


def test_scam_check_takes_the_channel_and_agrees_with_the_checker(logged_in: Client) -> None:
    from balancedue.advice.scam import check_message
    from balancedue.rules import load_rules
    from balancedue.rules.scam_signals import Channel

    text = "IRS: we tried to reach you about your tax account. Please respond."
    for channel, expected in (("text", "suspicious"), ("letter", "not_enough")):
        response = logged_in.post("/tools/scam-check", {"text": text, "channel": channel})
        assert response.status_code == 200
        page = response.context["result"]
        assert page.verdict == expected
        assert page.verdict == check_message(text, load_rules(), channel=Channel(channel)).verdict.value
        assert f"Checked as: {channel} (as given)" in response.content.decode()
    inferred = logged_in.post("/tools/scam-check", {"text": text, "channel": ""})
    assert "inferred from" in inferred.content.decode()
    bad = logged_in.post("/tools/scam-check", {"text": text, "channel": "fax"})
    assert bad.status_code == 400


def test_transcript_import_refuses_an_image(logged_in: Client) -> None:
    png = SimpleUploadedFile("t.png", b"\x89PNG\r\n\x1a\n0000", content_type="image/png")
    response = logged_in.post("/tools/transcripts", {"transcript": png})
    assert response.status_code == 400
    assert b"not one of the accepted types" in response.content
