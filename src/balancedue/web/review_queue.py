"""The review queue on the web: fields read below high confidence by a batch, to confirm or
correct (journaled; a corrected date or code moves its deadlines), and, for users who see every
client, the notices waiting for a client."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from balancedue.cases.errors import CaseNotFoundError
from balancedue.errors import BalancedueError
from balancedue.services import casework
from balancedue.services import review as review_service
from balancedue.web.access import request_context, scope_of, sees_everything
from balancedue.web.forms import today


def _page(request: HttpRequest, error: str = "", status: int = 200) -> HttpResponse:
    scope = scope_of(request.user)
    queue = review_service.review_queue(set(scope) if scope is not None else None)
    return render(request, "web/review_queue.html", {"queue": queue, "error": error}, status=status)


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def review_field(request: HttpRequest, number: int) -> HttpResponse:
    case = review_service.field_case(number)
    try:
        if case is None:
            raise CaseNotFoundError(str(number))
        casework.case_number(scope_of(request.user), case)
    except CaseNotFoundError:
        raise Http404("No such field") from None
    action = request.POST.get("action", "")
    try:
        if action == "confirm":
            review_service.confirm(number)
        elif action == "correct":
            review_service.correct(
                number, str(request.POST.get("value", ""))[:400], reason=str(request.POST.get("reason", ""))[:1000] or "checked against the notice",
                today=today(), rules=request_context(request).rules,
            )
        else:
            return _page(request, "Choose confirm or correct.", status=400)
    except BalancedueError as exc:
        return _page(request, exc.message, status=400)
    return HttpResponseRedirect(reverse("review_queue"))


@require_POST
def assign_notice(request: HttpRequest, number: int) -> HttpResponse:
    if not sees_everything(request.user):
        raise Http404("No such notice")
    try:
        review_service.assign(str(number), str(request.POST.get("client", ""))[:200], request_context(request).rules)
    except BalancedueError as exc:
        return _page(request, exc.message, status=400)
    return HttpResponseRedirect(reverse("review_queue"))
