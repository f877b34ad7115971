"""The pages.  Each handler parses its input, calls one service, and renders the answer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from balancedue.cases.errors import CaseNotFoundError
from balancedue.context import AppContext
from balancedue.errors import BalancedueError, InputError
from balancedue.services import cases as case_service
from balancedue.services import casework, notice_fields
from balancedue.services import compute as compute_service
from balancedue.services import scam as scam_service
from balancedue.services import transcripts as transcript_service
from balancedue.web import kept_pages, login_throttle, login_token, pages, tool_pages, uploads
from balancedue.web.access import grant_client, request_context
from balancedue.web.forms import (
    CalculatorForm,
    CallForm,
    LetterForm,
    ReviewForm,
    ScamForm,
    TranscriptForm,
    UploadForm,
    limit_text,
    today,
)

LOCAL_USER = "local"


def _not_found_for_hidden_cases(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A case the user may not see is answered exactly like one that does not exist."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except CaseNotFoundError:
            raise Http404("No such case") from None

    return wrapped


def _download(file: casework.FileDownload, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.media_type)
    disposition = "inline" if inline else "attachment"
    safe = "".join(c for c in file.name if c.isalnum() or c in "._-") or "download"
    response["Content-Disposition"] = f'{disposition}; filename="{safe}"'
    return response


# --- logging in -------------------------------------------------------------------------------


@login_not_required
@require_GET
def token_login(request: HttpRequest, token: str) -> HttpResponse:
    """Single-user mode: the link printed by ``balancedue serve`` logs the local user in once."""
    if login_throttle.is_blocked(request):
        return _throttled(request)
    if settings.PRACTICE_MODE or not login_token.redeem(token):
        login_throttle.record_failure(request)
        return render(request, "web/login_link_used.html", status=403)
    user, created = get_user_model().objects.get_or_create(
        username=LOCAL_USER, defaults={"is_superuser": True, "is_staff": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(reverse("dashboard"))


def _throttled(request: HttpRequest) -> HttpResponse:
    context = {
        "limit": settings.LOGIN_FAILURE_LIMIT,
        "minutes": max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60),
    }
    return render(request, "web/login_throttled.html", context, status=429)


class LoginView(auth_views.LoginView):
    """Practice mode's password login, with failed attempts limited (see login_throttle)."""

    template_name = "web/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        return login_throttle.guarded_login(
            request, username, lambda: super(LoginView, self).post(request, *args, **kwargs), lambda: _throttled(request)
        )


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site's login page, limited like the app's (one limit for every password login)."""
    from django.contrib import admin

    if request.method != "POST":
        return admin.site.login(request)
    username = str(request.POST.get("username", ""))[:150]
    return login_throttle.guarded_login(request, username, lambda: admin.site.login(request), lambda: _throttled(request))


# --- dashboard and cases ----------------------------------------------------------------------


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = request_context(request)
    day, rules = context.today(), context.rules
    kept = kept_pages.kept_page(
        ("dashboard", casework.dashboard_versions(context.scope), day), rules, ("web/dashboard_body.html",),
        lambda: pages.dashboard_page(casework.dashboard(context.scope, day, rules), day),
    )
    return render(request, "web/dashboard.html", {"page": kept.page, "kept": kept})


@require_http_methods(["GET", "POST"])
def new_case(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the notice; it is read and its fields shown for review."""
    if request.method == "POST":
        too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_UPLOAD_BYTES + 64 * 1024
        form = UploadForm(data=None if too_big else request.POST, files=None if too_big else request.FILES)
        if too_big:
            form = UploadForm(data={})
            form.is_valid()
            form.errors.clear()
            form.add_error("notice", f"The upload is larger than the {limit_text()} limit. Take a smaller photo or scan.")
        elif form.is_valid():
            upload = form.upload()
            try:
                staged = uploads.stage_notice(
                    request.user.pk, upload.name or "notice", upload.chunks(), request_context(request).rules
                )
            except CaseNotFoundError:
                raise
            except BalancedueError as exc:
                form.add_error("notice" if form.cleaned_data.get("notice") else "photo", exc.message)
            else:
                review = ReviewForm(initial=pages.review_initial(staged, form.cleaned_data.get("client_name") or ""))
                return render(request, "web/review.html", {"page": pages.review_page(staged, review)})
    else:
        form = UploadForm()
    return render(request, "web/new_case.html", {"form": form, "limit": limit_text()}, status=400 if form.errors else 200)


@require_POST
def review_case(request: HttpRequest) -> HttpResponse:
    """Step 2: open the case from the reviewed (and corrected) fields."""
    review = ReviewForm(data=request.POST)
    if not review.is_valid():
        raise Http404("No such upload")
    try:
        staged = uploads.staged_notice(request.user.pk, review.cleaned_data["token"])
    except CaseNotFoundError:
        raise
    except BalancedueError as exc:
        form = UploadForm(data={})  # bound, so the message can be added to it
        form.is_valid()
        form.errors.clear()
        form.add_error(None, exc.message)
        return render(request, "web/new_case.html", {"form": form, "limit": limit_text()}, status=400)
    corrections, errors = notice_fields.notice_corrections(staged.notice, review.cleaned_data)
    for name, message in errors.items():
        review.add_error(name, message)
    if not errors:
        context = request_context(request)
        client = case_service.ClientDetails(
            name=review.cleaned_data.get("client_name"),
            address=(review.cleaned_data.get("client_address") or "").splitlines(),
        )
        try:
            uploads.claim(staged)
            try:
                opened = case_service.open_case(
                    staged.notice, corrections, client, context.today(),
                    file=case_service.NoticeFile(staged.path, staged.name), rules=context.rules, scope=context.scope,
                )
            except FileNotFoundError:
                raise InputError(uploads.GONE) from None
            except BaseException:
                uploads.release(staged)
                raise
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            review.add_error("client_name", exc.message)
        else:
            client_id = case_service.store().client_of_case(opened.case.number)
            if client_id is not None:
                grant_client(request.user, client_id)
            uploads.discard(staged)
            return HttpResponseRedirect(reverse("case", args=[opened.case.number]))
    return render(request, "web/review.html", {"page": pages.review_page(staged, review)}, status=400)


CASE_PARTS = ("web/case_top.html", "web/case_bottom.html")
"""The case page's body around its letter form (which carries the request's CSRF token)."""


def _blank_letter_form() -> LetterForm:
    return LetterForm(kinds=casework.LETTER_KINDS, initial={"kind": "dispute"})


@functools.cache
def _blank_letter_fields() -> SafeString:
    """The letter form's fields as every case page first shows them (rendered once)."""
    return SafeString(render_to_string("web/letter_fields.html", {"letter_form": _blank_letter_form()}))


def _case_page(
    request: HttpRequest, context: AppContext, number: int, letter: LetterForm | None = None, status: int = 200
) -> HttpResponse:
    day, rules = context.today(), context.rules
    kept = kept_pages.kept_page(
        ("case", casework.case_version(context.scope, number), day), rules, CASE_PARTS,
        lambda: pages.case_page(casework.case_view(context.scope, number, day, rules), day),
    )
    fields = {"letter_form": letter} if letter is not None else {"blank_letter_fields": _blank_letter_fields()}
    return render(request, "web/case.html", {"page": kept.page, "kept": kept, **fields}, status=status)


@require_GET
@_not_found_for_hidden_cases
def case_page(request: HttpRequest, number: int) -> HttpResponse:
    return _case_page(request, request_context(request), number)


@require_GET
@csp_update({"style-src": ["'unsafe-inline'"]})  # the chart's own style attributes; still no outside origin
@_not_found_for_hidden_cases
def case_chart(request: HttpRequest, number: int) -> HttpResponse:
    context = request_context(request)
    svg = casework.case_chart_svg(context.scope, number, context.today(), context.rules)
    if svg is None:
        raise Http404("No chart for this case")
    return HttpResponse(svg, content_type="image/svg+xml")


@require_GET
@_not_found_for_hidden_cases
def case_document(request: HttpRequest, number: int, document: int) -> HttpResponse:
    return _download(casework.case_document(request_context(request).scope, number, document))


@require_GET
@_not_found_for_hidden_cases
def case_calendar(request: HttpRequest, number: int) -> HttpResponse:
    try:
        with uploads.work_folder("calendar-") as work:
            return _download(casework.case_calendar(request_context(request).scope, number, work))
    except CaseNotFoundError:
        raise
    except BalancedueError as exc:
        return render(request, "web/message.html", {"title": "No calendar", "message": exc.message}, status=400)


@require_POST
@_not_found_for_hidden_cases
def case_letter(request: HttpRequest, number: int) -> HttpResponse:
    context = request_context(request)
    casework.case_number(context.scope, number)
    form = LetterForm(data=request.POST, kinds=casework.LETTER_KINDS)
    if form.is_valid():
        try:
            with uploads.work_folder("letter-") as work:
                return _download(
                    casework.write_case_letter(
                        context.scope, number, form.cleaned_data["kind"], today=context.today(),
                        facts=form.cleaned_data["facts"], work=work, rules=context.rules,
                        enclosures=form.enclosure_list(),
                    )
                )
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            form.add_error("kind", exc.message)
    return _case_page(request, context, number, form, status=400)


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def log_call(request: HttpRequest, number: int) -> HttpResponse:
    context = request_context(request)
    scope = context.scope
    casework.case_number(scope, number)
    now = datetime.now().astimezone()  # the user's local time: the call is logged as it happens
    started = datetime.combine(context.today(), now.time()).strftime("%Y-%m-%dT%H:%M")
    form = CallForm(data=request.POST if request.method == "POST" else None, initial={"started_at": started})
    if request.method == "POST" and form.is_valid():
        try:
            casework.log_case_call(scope, number, **form.cleaned_data)
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            form.add_error(None, exc.message)
        else:
            return HttpResponseRedirect(reverse("case", args=[number]) + "#journal")
    status = 400 if form.errors else 200
    return render(request, "web/log_call.html", {"form": form, "number": number}, status=status)


@require_GET
@_not_found_for_hidden_cases
def verify_case(request: HttpRequest, number: int) -> HttpResponse:
    result = casework.verify_case(request_context(request).scope, number)
    return render(request, "web/verify.html", {"result": result, "number": number})


# --- tools ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest) -> HttpResponse:
    bound = request.method == "POST" or bool(request.GET)
    form = CalculatorForm(data=(request.POST if request.method == "POST" else request.GET) if bound else None,
                          initial={"as_of": today().isoformat(), "form": "1040"})
    result = None
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            statement = compute_service.penalty_statement(
                form=data["form"], tax_year=data["tax_year"], filed_on=data["filed_on"], tax=data["tax"],
                withholding=data["withholding"] or Decimal(0), paid_on=data["paid_on"], paid=data["paid"], as_of=data["as_of"],
                rules=request_context(request).rules,
            )
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            form.add_error(None, exc.message)
        else:
            result = tool_pages.statement_page(statement)
    status = 400 if form.errors else 200
    return render(request, "web/calculator.html", {"form": form, "result": result}, status=status)


@require_http_methods(["GET", "POST"])
def scam_check(request: HttpRequest) -> HttpResponse:
    form = ScamForm(data=request.POST if request.method == "POST" else None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            text = data["text"].strip() or None
            verdict = scam_service.scam_check(
                text=text, phone=data["phone"].strip() or None,
                url=data["url"].strip() or None, today=today(), rules=request_context(request).rules,
                channel=scam_service.Channel(data["channel"]) if data["channel"] and text else None,
            )
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            form.add_error("text", exc.message)
    status = 400 if form.errors else 200
    page = tool_pages.scam_page(verdict) if verdict is not None else None
    return render(request, "web/scam_check.html", {"form": form, "result": page}, status=status)


@require_http_methods(["GET", "POST"])
def transcripts(request: HttpRequest) -> HttpResponse:
    form = TranscriptForm(data=request.POST or None, files=request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["transcript"]
        try:
            with uploads.work_folder("transcript-") as work:
                path = uploads.save(work, uploads.safe_name(upload.name or "", "transcript.txt"), upload.chunks())
                report = transcript_service.analyze_files(
                    [path], as_of=form.cleaned_data["as_of"], rules=request_context(request).rules
                )
        except CaseNotFoundError:
            raise
        except BalancedueError as exc:
            form.add_error("transcript", exc.message)
        else:
            result = tool_pages.transcript_page(report)
    status = 400 if form.errors else 200
    return render(request, "web/transcripts.html", {"form": form, "result": result}, status=status)
