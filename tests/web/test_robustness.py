"""Client mistakes are a styled 4xx page, never a 500; nothing is cached; no identifier in pages.

Findings reproduced: HTTP 500 on a review sent twice and on an expired upload; a control character
in a letter's facts; abandoned uploads kept forever; no ``Cache-Control: no-store`` on case pages
and downloads; Django tracebacks on the console for client errors; request bodies of any size
read before login; a file named ``Smith NNN-NN-NNNN CP14`` (digits in place of N) shown and stored as it was.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from web_harness import SAMPLE_NOTICE, make_user, open_sample_case

TRUST = Path(__file__).resolve().parents[1] / "trust"
if str(TRUST) not in sys.path:
    sys.path.insert(0, str(TRUST))

import pii  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import sample_ids  # noqa: E402


def _logged_in(superuser: bool = True) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(make_user("owner", superuser=superuser))
    return client


def _review_data(response: Any) -> dict[str, str]:
    form = response.context["page"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["client_address"] = "1 Main St\nSpringfield IL 62701"
    return data


def _upload(client: Any, name: str = "notice.pdf") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, SAMPLE_NOTICE.read_bytes(), content_type="application/pdf")
    response = client.post("/cases/new", {"notice": upload})
    assert response.status_code == 200, response.content[:2000]
    return response


def test_a_review_sent_twice_opens_one_case(web: Any) -> None:
    client = _logged_in()
    data = _review_data(_upload(client))
    first = client.post("/cases/new/review", data)
    assert first.status_code == 302
    again = client.post("/cases/new/review", data)
    assert again.status_code == 400
    assert b"no longer waiting for review" in again.content
    from balancedue.cases.models import Case

    assert Case.objects.count() == 1


def test_a_review_whose_upload_vanished_is_a_4xx(web: Any) -> None:
    import shutil

    from balancedue.web import uploads

    client = _logged_in()
    data = _review_data(_upload(client))
    (staged,) = uploads._staged.values()
    shutil.rmtree(staged.path.parent)  # another request (or a restart's cleanup) removed it
    response = client.post("/cases/new/review", data)
    assert response.status_code == 400
    assert b"upload it again" in response.content


def test_an_expired_upload_is_a_4xx(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from balancedue.web import uploads

    client = _logged_in()
    data = _review_data(_upload(client))
    monkeypatch.setattr(uploads, "STAGED_KEEP_SECONDS", -1)
    response = client.post("/cases/new/review", data)
    assert response.status_code == 400
    assert b"upload it again" in response.content


def test_a_control_character_in_letter_facts_is_a_4xx(web: Any) -> None:
    client = _logged_in()
    number = open_sample_case(client)
    response = client.post(f"/cases/{number}/letters", {"kind": "dispute", "facts": "paid in full\x07 on time"})
    assert response.status_code == 400
    assert b"control character" in response.content


def test_case_pages_and_downloads_are_not_cached(web: Any) -> None:
    client = _logged_in()
    number = open_sample_case(client)
    for url in ("/", f"/cases/{number}", f"/cases/{number}/documents/1", f"/cases/{number}/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_a_file_name_with_a_full_ssn_is_masked_everywhere(web: Any) -> None:
    client = _logged_in()
    name = f"Smith {sample_ids.THIRD_SSN} CP14.pdf"
    review = _upload(client, name)
    leaks = pii.scan_text(review.content.decode(), "review page", ["987654321"])
    response = client.post("/cases/new/review", _review_data(review))
    assert response.status_code == 302
    page = client.get(response["Location"])
    leaks += pii.scan_text(page.content.decode(), "case page", ["987654321"])
    from balancedue.cases.models import Document, JournalEntry

    kept = [d.name for d in Document.objects.all()] + [str(e.payload) for e in JournalEntry.objects.all()]
    leaks += pii.scan_text("\n".join(kept), "database", ["987654321"])
    assert not leaks, leaks
    assert "Smith_XXX-XX-4321_CP14.pdf" in kept


def test_uploads_left_by_an_earlier_run_are_removed(web: Any) -> None:
    from balancedue.web import uploads

    client = _logged_in()
    _upload(client)  # waiting for review in this run: kept
    old = Path(web.UPLOADS_DIR) / "staged-from-last-week"
    old.mkdir(parents=True)
    (old / "notice.pdf").write_bytes(b"%PDF-1.4 abandoned")
    assert uploads.remove_leftovers() == 1
    assert not old.exists()
    assert len(list(Path(web.UPLOADS_DIR).iterdir())) == 1


def test_client_errors_are_not_logged_on_the_console(web: Any) -> None:
    client = _logged_in()
    seen: list[logging.LogRecord] = []

    class Console(logging.Handler):  # what a handler on the root logger (the console) receives
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    console = Console(logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(console)
    try:
        assert client.get("/cases/999").status_code == 404
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
        assert client.post("/cases/new/review", {"token": "x"}).status_code in (400, 404)
    finally:
        root.removeHandler(console)
    assert not [r for r in seen if r.name.startswith("django") and r.levelno >= logging.WARNING], seen


def test_the_server_refuses_large_bodies_before_reading_them(web: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress

    from balancedue.cli import serve_cmd

    seen: dict[str, Any] = {}
    class Server:
        def run(self) -> None:
            pass

    monkeypatch.setattr(waitress, "create_server", lambda app, **kwargs: seen.update(kwargs) or Server())
    from balancedue.web import access, uploads

    monkeypatch.setattr(access, "install", lambda context: None)  # the test process keeps its own context
    monkeypatch.setattr(uploads, "start_reader", lambda: None)
    serve_cmd.serve.__wrapped__(host="127.0.0.1", port=8765, open_browser=False, practice=False,  # type: ignore[attr-defined]
                                add_staff=None, superuser=False, threads=2, lan=False, today=None)
    assert seen["max_request_body_size"] == web.MAX_UPLOAD_BYTES + 1024 * 1024
