"""Helpers of the web app tests: Django on a fresh SQLite database per test (see case_harness)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES_TESTS = ROOT / "tests" / "cases"
if str(CASES_TESTS) not in sys.path:
    sys.path.insert(0, str(CASES_TESTS))

from case_harness import reset_database, setup_django  # noqa: E402

import privacy_scan  # noqa: E402 - case_harness put tests/ on the path

SAMPLE_NOTICE = ROOT / "examples" / "sample-cp14.pdf"
TODAY = "2025-06-10"  # ten days after the sample notice's date (2025-06-02)


_instrumented = False


def _instrument() -> None:
    """Let the test client see each response's template context, and keep every page and
    download it is served for the privacy scan after the session (once per process)."""
    global _instrumented
    if not _instrumented:
        from django.test import Client
        from django.test.utils import setup_test_environment

        setup_test_environment()
        served = Client.request

        def request(self: Any, **request: Any) -> Any:
            response = served(self, **request)
            if getattr(response, "streaming", False):
                body = b"".join(response.streaming_content)
                response.streaming_content = [body]  # the test still reads the whole download
            else:
                body = response.content
            privacy_scan.record_page(str(request.get("PATH_INFO", "")), response.get("Content-Type", ""), body)
            return response

        Client.request = request  # type: ignore[method-assign]
        _instrumented = True


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Django settings of the web app on an empty database; documents and uploads under tmp_path."""
    setup_django()
    _instrument()
    reset_database("default")
    from django.conf import settings

    from balancedue.services import casework
    from balancedue.web import kept_pages, uploads

    monkeypatch.setattr(settings, "DOCUMENTS_DIR", tmp_path / "documents")
    monkeypatch.setattr(settings, "UPLOADS_DIR", tmp_path / "uploads")
    monkeypatch.setattr(settings, "WEB_TODAY", TODAY)
    monkeypatch.setattr(settings, "ALLOWED_HOSTS", [*settings.ALLOWED_HOSTS, "testserver"])
    casework.forget_reports()
    kept_pages.forget()
    uploads.forget_all()
    yield settings
    casework.forget_reports()
    kept_pages.forget()
    uploads.forget_all()


def make_user(name: str, *, superuser: bool = False) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(name, password=f"{name}-long-password-1", is_superuser=superuser)
    return user


def open_sample_case(client: Any, *, amount_due: str | None = None, address: str = "1 Main St\nSpringfield IL 62701") -> int:
    """Go through upload and review with the sample notice; the new case's number."""
    with SAMPLE_NOTICE.open("rb") as stream:
        response = client.post("/cases/new", {"notice": stream})
    assert response.status_code == 200, response.content[:2000]
    form = response.context["page"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["client_address"] = address
    if amount_due is not None:
        data["amount_due"] = amount_due
    response = client.post("/cases/new/review", data)
    assert response.status_code == 302, response.content[:3000]
    return int(response["Location"].rstrip("/").split("/")[-1])
