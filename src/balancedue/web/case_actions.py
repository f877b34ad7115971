"""Working a case from the browser: each page takes one form, calls the same case service as
the command line, and goes back to the case.  Every change is a journal entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from balancedue.cases.errors import CaseNotFoundError
from balancedue.cases.records import CaseStatus, DocumentKind
from balancedue.context import AppContext
from balancedue.errors import BalancedueError
from balancedue.services import cases, casework, corrections, notice_fields
from balancedue.services.case_transcripts import record_transcript_check
from balancedue.web import uploads
from balancedue.web.access import request_context
from balancedue.web.case_forms import (
    CaseTranscriptForm,
    DeadlineForm,
    DocumentForm,
    MailForm,
    NoteForm,
    NoticeFieldForm,
    PaymentForm,
    StatusForm,
)
from balancedue.web.views import _not_found_for_hidden_cases


@dataclass(frozen=True)
class ActionPage:
    """What a case-action page shows around its form."""

    number: int
    title: str
    lead: str
    submit: str
    multipart: bool = False


def _keep_upload(
    context: AppContext, number: int, name: str, chunks: Iterable[bytes], kind: DocumentKind
) -> cases.AddedDocument:
    """Write an upload to a private temporary file and keep it in the case."""
    with uploads.work_folder("case-doc-") as folder:
        path = uploads.save(folder, uploads.safe_name(name, "document"), chunks)
        return cases.add_document(str(number), path, kind, today=context.today(), rules=context.rules)


def _action(
    request: HttpRequest,
    number: int,
    form_class: type[django_forms.Form],
    page: ActionPage,
    save: Callable[[AppContext, int, django_forms.Form], None],
    *,
    initial: dict[str, Any] | None = None,
    anchor: str = "journal",
) -> HttpResponse:
    """The shape every action shares: show the form, check it, save through a service, go back."""
    context = request_context(request)
    visible = casework.case_number(context.scope, number)
    if request.method == "POST":
        form = form_class(data=request.POST, files=request.FILES or None)
        if form.is_valid():
            try:
                save(context, visible, form)
            except CaseNotFoundError:
                raise
            except BalancedueError as exc:
                form.add_error(None, exc.message)
            else:
                return HttpResponseRedirect(reverse("case", args=[visible]) + f"#{anchor}")
    else:
        form = form_class(initial=initial)
    status = 400 if form.errors else 200
    return render(request, "web/case_action.html", {"form": form, "page": page}, status=status)


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def add_document(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        upload = form.cleaned_data["file"]
        _keep_upload(context, case, upload.name or "document", upload.chunks(), DocumentKind(form.cleaned_data["kind"]))

    page = ActionPage(number, "Add a document", "Keep a copy of a receipt, a letter or another notice in the case.",
                      "Add the document", multipart=True)
    return _action(request, number, DocumentForm, page, save, initial={"kind": DocumentKind.PROOF_OF_PAYMENT.value},
                   anchor="docs")


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def record_payment(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        data = form.cleaned_data
        receipt = data.get("receipt")
        if receipt:
            _keep_upload(context, case, receipt.name or "receipt", receipt.chunks(), DocumentKind.PROOF_OF_PAYMENT)
        cases.add_payment(str(case), paid_on=data["paid_on"], amount=format(data["amount"], "f"),
                          channel=data["channel"], confirmation=data["confirmation"] or None)

    page = ActionPage(number, "Record a payment", "Write down every payment with its confirmation number.",
                      "Save the payment", multipart=True)
    return _action(request, number, PaymentForm, page, save, initial={"paid_on": request_context(request).today().isoformat()})


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def record_mailing(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        data = form.cleaned_data
        assert isinstance(form, MailForm)
        cases.log_mail(str(case), tracking=data["tracking"], sent_on=data["sent_on"], enclosures=form.enclosure_list(),
                       to=data["to"] or None, what=data["what"] or None)

    page = ActionPage(number, "Record a certified mailing",
                      "Keep the tracking number: it proves when you answered.", "Save the mailing")
    return _action(request, number, MailForm, page, save, initial={"sent_on": request_context(request).today().isoformat()})


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def add_note(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        cases.add_note(str(case), form.cleaned_data["text"])

    page = ActionPage(number, "Add a note", "Anything worth remembering about the case.", "Save the note")
    return _action(request, number, NoteForm, page, save)


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def change_status(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        cases.set_status(str(case), CaseStatus(form.cleaned_data["status"]), form.cleaned_data["reason"])

    current = cases.show_case(str(casework.case_number(request_context(request).scope, number))).case.status
    page = ActionPage(number, "Change the status", "Where the case stands now.", "Change the status")
    return _action(request, number, StatusForm, page, save, initial={"status": current.value})


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def move_deadline(request: HttpRequest, number: int, deadline: int) -> HttpResponse:
    visible = casework.case_number(request_context(request).scope, number)
    found = next((d for d in cases.show_case(str(visible)).deadlines if d.number == deadline), None)
    if found is None:
        raise CaseNotFoundError(f"{visible} deadline {deadline}")

    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        cases.change_deadline(str(case), deadline, form.cleaned_data["due"], form.cleaned_data["reason"])

    page = ActionPage(number, "Move a date", f"{found.what} (now {found.due.strftime('%B %-d, %Y')}).", "Move the date")
    return _action(request, number, DeadlineForm, page, save, initial={"due": found.due.isoformat()}, anchor="deadlines")


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def correct_notice(request: HttpRequest, number: int) -> HttpResponse:
    """Correct a field of the notice from the case page: journaled (the old value stays), and a
    corrected notice date re-dates the deadlines counted from it."""
    visible = casework.case_number(request_context(request).scope, number)

    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        data = form.cleaned_data
        corrections.correct_notice_field(str(case), data["field"], data["value"], data["reason"], context.rules)

    current = notice_fields.notice_values(cases.show_case(str(visible)))
    chosen = str(request.GET.get("field") or "notice_date")
    if chosen not in notice_fields.EDITABLE_FIELDS:
        chosen = "notice_date"
    page = ActionPage(number, "Correct the notice",
                      "Change a field read from the notice. The value read stays in the journal beside the correction; "
                      "the deadlines counted from the notice date move with it.", "Save the correction")
    form_class = type("CaseNoticeFieldForm", (NoticeFieldForm,), {"current": current})
    return _action(request, number, form_class, page, save,
                   initial={"field": chosen, "value": current.get(chosen, "")}, anchor="deadlines")


@require_http_methods(["GET", "POST"])
@_not_found_for_hidden_cases
def attach_transcript(request: HttpRequest, number: int) -> HttpResponse:
    def save(context: AppContext, case: int, form: django_forms.Form) -> None:
        upload = form.cleaned_data["transcript"]
        added = _keep_upload(context, case, upload.name or "transcript.txt", upload.chunks(), DocumentKind.TRANSCRIPT)
        record_transcript_check(str(case), added.document, today=context.today(), rules=context.rules)

    page = ActionPage(number, "Attach an account transcript",
                      "The transcript is kept with the case and its figures are recomputed, line by line.",
                      "Attach and check it", multipart=True)
    return _action(request, number, CaseTranscriptForm, page, save, anchor="docs")


@require_http_methods(["GET"])
@_not_found_for_hidden_cases
def export_case(request: HttpRequest, number: int) -> HttpResponse:
    """The whole case as a zip (documents, journal, report), the same archive as ``case export``."""
    context = request_context(request)
    visible = casework.case_number(context.scope, number)
    with uploads.work_folder("export-") as folder:
        out = folder / f"balancedue-case-{visible}.zip"
        cases.export_case(str(visible), out, today=context.today())
        data = out.read_bytes()
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{out.name}"'
    return response
