"""Batch intake in the case store: which notice goes to which client's case, exactly once.

A notice is known by the SHA-256 of its bytes.  Its :class:`IntakeItem` row is written in the
same transaction as the document it puts in a case, so a task that runs again (its worker died
after the commit, or a second worker got it) finds the item done and changes nothing; and the
unique constraints (one item per hash, one document per hash per case) refuse a duplicate even
if two writers raced.  Writers of intake take one lock (PostgreSQL: an advisory lock for the
transaction; SQLite: its write lock), so two notices of a new client cannot open two cases.

Which client: the name from the client map when given (an existing client of that name, or a
new one); else the last four digits of the taxpayer id printed on the notice, when exactly one
client has them (several: the one whose name is printed on the notice); else the notice waits
in the "needs a client" queue until ``balancedue batch assign`` names one.  Which case: the
client's open case for the same tax year, which the notice updates; else a new case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db import IntegrityError, connections, transaction
from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import Coalesce

from balancedue.cases.intake_models import BatchRun, IntakeItem, IntakeStatus, ReviewField
from balancedue.cases.models import Case, Client, Deadline
from balancedue.cases.records import ClientRecord, NewCase, NewDocument
from balancedue.cases.store import ACTIVE_STATUSES, CaseStore
from balancedue.errors import InputError

INTAKE_LOCK_KEY = 0x6261_6C64_7565  # "baldue": the advisory lock of intake writes (PostgreSQL)
"""Any 64-bit number; the same in every process that takes in notices."""


@dataclass(frozen=True, slots=True)
class FiledNotice:
    """What filing a notice did."""

    status: str
    case_number: int | None
    document_number: int | None
    opened_case: bool
    reason: str


@dataclass(frozen=True, slots=True)
class ReviewCandidate:
    """A field read below high confidence."""

    field: str
    value: str
    confidence: float


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [INTAKE_LOCK_KEY])


class IntakeStore:
    """Intake items, batch runs and the review queue, next to a :class:`CaseStore`."""

    def __init__(self, cases: CaseStore) -> None:
        self.cases = cases
        self.using = cases.using

    # --- registering files ------------------------------------------------------------------

    def register(self, sha256: str, name: str, client_hint: str, today: date) -> tuple[IntakeItem, bool]:
        """The item of this notice, created queued if new; ``(item, True)`` when it must be (re)queued."""
        now = self.cases.clock()
        items = IntakeItem.objects.using(self.using)
        try:
            with transaction.atomic(using=self.using):
                item, created = items.get_or_create(
                    sha256=sha256,
                    defaults={"name": name, "client_hint": client_hint, "today": today, "updated_at": now},
                )
        except IntegrityError:  # registered at the same moment by another batch
            return items.get(sha256=sha256), False
        return item, created

    def requeue(self, sha256: str, client_hint: str | None = None) -> None:
        """Put an item back in the queue (a task that was lost, or a client named by hand)."""
        updates: dict[str, Any] = {
            "status": IntakeStatus.QUEUED, "reason": "", "attempts": 0, "updated_at": self.cases.clock()
        }
        if client_hint is not None:
            updates["client_hint"] = client_hint
        IntakeItem.objects.using(self.using).filter(sha256=sha256).exclude(status=IntakeStatus.DONE).update(**updates)

    def item(self, sha256: str) -> IntakeItem | None:
        return cast(IntakeItem | None, IntakeItem.objects.using(self.using).filter(sha256=sha256).first())

    def find_item(self, ref: str) -> IntakeItem | None:
        """An item by its number or the start of its hash (at least eight hex digits)."""
        text = ref.strip().lower()
        items = IntakeItem.objects.using(self.using)
        if text.isdigit():
            found_by_number = items.filter(pk=int(text)).first() if len(text) < 19 else None
            if found_by_number is not None or len(text) < 8:
                return cast(IntakeItem | None, found_by_number)
        if len(text) >= 8:
            found = list(items.filter(sha256__startswith=text)[:2])
            return found[0] if len(found) == 1 else None
        return None

    def items(self, hashes: Sequence[str]) -> dict[str, IntakeItem]:
        rows = IntakeItem.objects.using(self.using).filter(sha256__in=list(hashes)).select_related("case__client")
        return {row.sha256: row for row in rows}

    def waiting(self, statuses: Sequence[str]) -> list[IntakeItem]:
        rows = IntakeItem.objects.using(self.using).filter(status__in=list(statuses)).select_related("case__client")
        return list(rows.order_by("pk"))

    def counts(self, hashes: Sequence[str]) -> dict[str, int]:
        rows = (
            IntakeItem.objects.using(self.using)
            .filter(sha256__in=list(hashes))
            .values("status")
            .annotate(n=Count("pk"))
        )
        return {row["status"]: row["n"] for row in rows}

    def run(self, files: list[dict[str, Any]], today: date) -> tuple[BatchRun, bool]:
        """The run of exactly these files (created the first time)."""
        key = hashlib.sha256(
            "\n".join(f"{f['path']}\x1f{f.get('sha256') or ''}\x1f{f.get('client') or ''}" for f in files).encode()
        ).hexdigest()
        runs = BatchRun.objects.using(self.using)
        try:
            with transaction.atomic(using=self.using):
                return cast(
                    tuple[BatchRun, bool],
                    runs.get_or_create(key=key, defaults={"created_at": self.cases.clock(), "today": today, "files": files}),
                )
        except IntegrityError:
            return runs.get(key=key), False

    def start_attempt(self, sha256: str) -> IntakeItem | None:
        """Count one more attempt at an item still queued; ``None`` when there is nothing to do."""
        with transaction.atomic(using=self.using):
            item = cast(IntakeItem | None, IntakeItem.objects.using(self.using).select_for_update().filter(sha256=sha256).first())
            if item is None or item.status != IntakeStatus.QUEUED:
                return None
            item.attempts += 1
            item.updated_at = self.cases.clock()
            item.save(using=self.using, update_fields=["attempts", "updated_at"])
            return item

    def fail(self, sha256: str, reason: str, *, status: str = IntakeStatus.FAILED) -> None:
        """Record why the notice could not be filed (an item already done stays done)."""
        IntakeItem.objects.using(self.using).filter(sha256=sha256).exclude(status=IntakeStatus.DONE).update(
            status=status, reason=reason[:2000], updated_at=self.cases.clock()
        )

    # --- filing a notice ----------------------------------------------------------------------

    def _resolve_client(self, hint: str, last4: str | None, text: str) -> tuple[Client | None, str]:
        clients = Client.objects.using(self.using)
        if hint:
            named = list(clients.filter(name__iexact=hint).order_by("pk"))
            if last4 and len(named) > 1:
                named = [c for c in named if c.id_last4 in (last4, "")] or named
            if len(named) > 1:
                return None, f"{len(named)} clients are named {hint!r}; name one with `balancedue review assign`"
            return (named[0] if named else None), ""
        if not last4:
            return None, "the notice shows no taxpayer id digits and the client map names no client for it"
        matching = list(clients.filter(id_last4=last4).order_by("pk"))
        if len(matching) > 1:
            printed = text.upper()
            matching = [c for c in matching if c.name and c.name.upper() in printed]
        if len(matching) == 1:
            return matching[0], ""
        if not matching:
            return None, f"no client has a taxpayer id ending {last4}; name one with `balancedue review assign`"
        return None, f"several clients have a taxpayer id ending {last4}; name one with `balancedue review assign`"

    def file_notice(
        self,
        sha256: str,
        new: NewCase,
        document: NewDocument,
        *,
        text: str,
        review: Sequence[ReviewCandidate],
        next_due: date | None,
    ) -> FiledNotice:
        """Put the notice in its client's case, or open one; all in one transaction with the item."""
        now = self.cases.clock()
        code = new.notice_codes[0] if new.notice_codes else ""
        with transaction.atomic(using=self.using):
            _lock(self.using)
            item = IntakeItem.objects.using(self.using).select_for_update().get(sha256=sha256)
            if item.status == IntakeStatus.DONE:
                return FiledNotice("done", item.case_id, item.document_number, item.opened_case, "already filed")
            client, why = self._resolve_client(item.client_hint, new.client.id_last4, text)
            if client is None and not item.client_hint:
                item.status, item.reason, item.updated_at = IntakeStatus.NEEDS_CLIENT, why, now
                item.notice_code, item.amount_due, item.id_last4 = code, new.amount_due, new.client.id_last4 or ""
                item.save(using=self.using)
                return FiledNotice(IntakeStatus.NEEDS_CLIENT, None, None, False, why)
            if why:
                raise IntakeRefusedError(why)
            if client is not None:
                record = ClientRecord(
                    name=client.name, address=tuple(filter(None, client.address.split("\n"))), id_last4=client.id_last4 or None
                )
            else:
                record = ClientRecord(name=item.client_hint, id_last4=new.client.id_last4)
            same = (
                Case.objects.using(self.using)
                .filter(client=client, tax_year=new.tax_year, status__in=ACTIVE_STATUSES)
                .order_by("-pk")
                .first()
                if client is not None and new.tax_year is not None
                else None
            )
            if same is not None:
                fresh = [c for c in new.notice_codes if c not in same.notice_codes]
                document_record, _ = self.cases.add_document(
                    same.pk, document, notice_codes=fresh, deadlines=new.deadlines if fresh else ()
                )
                case_number, opened = int(same.pk), False
            else:
                case = self.cases.open_case(NewCase(**{**_fields(new), "client": record}), document)
                document_record = self.cases.case_file(case.number).documents[0]
                case_number, opened = case.number, True
            item.status, item.reason, item.updated_at = IntakeStatus.DONE, "", now
            item.case_id, item.document_number, item.opened_case = case_number, document_record.number, opened
            item.notice_code, item.amount_due, item.next_due = code, new.amount_due, next_due
            item.id_last4 = new.client.id_last4 or ""
            item.review = [r.field for r in review]
            item.save(using=self.using)
            ReviewField.objects.using(self.using).bulk_create(
                [
                    ReviewField(item=item, case_id=case_number, field=r.field, value=r.value, confidence=r.confidence)
                    for r in review
                ]
            )
        return FiledNotice(IntakeStatus.DONE, case_number, document_record.number, opened, "")

    # --- the review queue -----------------------------------------------------------------------

    def open_reviews(self, client_ids: set[int] | None = None) -> list[ReviewField]:
        rows = ReviewField.objects.using(self.using).filter(status="open").select_related("case__client", "item")
        if client_ids is not None:
            rows = rows.filter(case__client_id__in=client_ids)
        return list(rows.order_by("case_id", "pk"))

    def review(self, number: int) -> ReviewField | None:
        rows = ReviewField.objects.using(self.using).select_related("case__client", "item")
        return cast(ReviewField | None, rows.filter(pk=number).first())

    def resolve_review(self, number: int, status: str, resolution: str) -> None:
        ReviewField.objects.using(self.using).filter(pk=number).update(
            status=status, resolution=resolution, resolved_at=self.cases.clock()
        )


class IntakeRefusedError(Exception):
    """The notice cannot be filed as asked (for example, the mapped name fits several clients)."""


def _fields(new: NewCase) -> dict[str, Any]:
    return {name: getattr(new, name) for name in NewCase.__dataclass_fields__}


# --- the deadline desk ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeskRow:
    """One open case on the desk: its next deadline (or the last one missed) and its balance."""

    case_number: int
    client_id: int
    client_name: str
    title: str
    notice_codes: tuple[str, ...]
    status: str
    amount_due: Decimal | None
    due: date | None
    what: str
    overdue: bool
    journal_head: str = ""


def desk_rows(
    using: str,
    today: date,
    client_ids: set[int] | None = None,
    *,
    horizon: date | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[int, list[DeskRow]]:
    """Open cases by next deadline: the first on or after ``today``, or, when every deadline has
    passed, the last one (the case is overdue, and sorts first).  ``horizon`` keeps the cases
    due by then (and the overdue ones).  The count, and the rows from ``offset`` (at most ``limit``):
    the order, the count and the page come from one query (case numbers and dates only); only
    the rows shown are read in full.
    """
    cases = Case.objects.using(using).filter(status__in=ACTIVE_STATUSES)
    if client_ids is not None:
        cases = cases.filter(client_id__in=client_ids)
    # Each case's next date from the (case, due) index: one look-up per case, no join and no
    # grouping; the database sorts, counts (a window over the filtered rows) and cuts the page.
    deadlines = Deadline.objects.using(using).filter(case_id=OuterRef("pk"))
    ordered = cases.annotate(
        next_due=Coalesce(
            Subquery(deadlines.filter(due__gte=today).order_by("due").values("due")[:1]),
            Subquery(deadlines.filter(due__lt=today).order_by("-due").values("due")[:1]),
        )
    )
    if horizon is not None:
        ordered = ordered.filter(next_due__lte=horizon)
    ordered = ordered.order_by(F("next_due").asc(nulls_last=True), "pk")
    counted = ordered.annotate(total=Window(Count("pk"))).values_list("pk", "next_due", "total")
    page = list(counted[offset : offset + limit] if limit is not None else counted[offset:])
    # Past the end of the list, the page is empty and the count is asked for alone.
    total = page[0][2] if page else (ordered.count() if offset else 0)
    order = [(pk, due) for pk, due, _ in page]
    ids = [pk for pk, _ in order]
    details = {
        row[0]: row[1:]
        for row in Case.objects.using(using).filter(pk__in=ids).values_list(
            "pk", "client_id", "client__name", "title", "notice_codes", "status", "amount_due", "journal_head"
        )
    }
    whats: dict[tuple[int, date], str] = {}
    for case_id, due, what in (
        Deadline.objects.using(using).filter(case_id__in=ids).order_by("-number").values_list("case_id", "due", "what")
    ):
        whats[(case_id, due)] = what  # the lowest-numbered deadline of that day wins
    found = []
    for pk, due in order:
        client_id, client, title, codes, status, amount, head = details[pk]
        found.append(
            DeskRow(
                case_number=pk, client_id=client_id, client_name=client, title=title, notice_codes=tuple(codes),
                status=status, amount_due=amount, due=due, what=whats.get((pk, due), "") if due else "",
                overdue=due is not None and due < today, journal_head=head,
            )
        )
    return total, found


def grants_by_client(client_ids: set[int] | None = None) -> dict[int, list[str]]:
    """User names granted each client (the practice's "assigned to"); empty outside the web app."""
    from django.apps import apps

    if not apps.is_installed("balancedue.web"):
        return {}
    grant = apps.get_model("web", "ClientGrant")
    found: dict[int, list[str]] = {}
    for client_id, user in grant.objects.values_list("client_id", "user__username"):
        if client_ids is None or client_id in client_ids:
            found.setdefault(client_id, []).append(user)
    return found


def clients_with_open_cases(
    using: str, client_ids: set[int] | None = None, most: int | None = None
) -> list[tuple[int, str]]:
    """(id, name) of the clients with an open case, by name; at most ``most`` + 1 of them."""
    rows = Client.objects.using(using).filter(cases__status__in=ACTIVE_STATUSES)
    if client_ids is not None:
        rows = rows.filter(pk__in=client_ids)
    ordered = rows.distinct().order_by("name", "pk").values_list("pk", "name")
    return list(ordered[: most + 1] if most is not None else ordered)


def client_ids_named(using: str, text: str) -> set[int]:
    """Clients whose name contains ``text`` (any case)."""
    return set(Client.objects.using(using).filter(name__icontains=text.strip()).values_list("pk", flat=True))


def set_task(using: str, sha256: str, task_id: str) -> None:
    IntakeItem.objects.using(using).filter(sha256=sha256).update(task_id=task_id)


def live_tasks(using: str, task_ids: Sequence[str]) -> set[str]:
    """The tasks among ``task_ids`` still waiting or running."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ids = [t for t in task_ids if t]
    if not ids:
        return set()
    rows = DBTaskResult.objects.using(using).filter(
        id__in=ids, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return {str(pk) for pk in rows.values_list("id", flat=True)}


def case_numbers_of_clients(using: str, client_ids: set[int]) -> set[int]:
    """The numbers of the cases of these clients."""
    return set(Case.objects.using(using).filter(client_id__in=client_ids).values_list("pk", flat=True))


def clients_visible_to(username: str) -> set[int] | None:
    """The clients a practice account may see (``None``: every client, for a superuser)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise InputError(f"there is no account named {username!r}; staff create them with `balancedue serve --add-staff`")
    if user.is_superuser:
        return None
    grant = apps.get_model("web", "ClientGrant")
    return set(grant.objects.filter(user=user).values_list("client_id", flat=True))


def data_folder() -> str:
    """The data folder of this machine (the workers' log goes there)."""
    from django.conf import settings

    return str(settings.DATA_DIR)


def shared_database() -> bool:
    """Whether the store is on PostgreSQL (workers on other machines can share it)."""
    from django.conf import settings

    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


def lease_seconds() -> float:
    """The configured lease of a worker's task (``BALANCEDUE_LEASE_SECONDS``)."""
    from django.conf import settings

    return float(settings.BATCH_LEASE_SECONDS)
