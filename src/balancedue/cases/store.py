"""The case store: every read and write of cases, documents, deadlines and the journal.

A :class:`CaseStore` works on one database connection (``using``) and one
:class:`~balancedue.cases.blobs.DocumentFolder`; it hands out the plain records of
:mod:`balancedue.cases.records`, never database rows.  Each write is one transaction that also
appends its journal entry, so the journal always tells what happened.  Journal entries are
never updated or deleted; a correction is a new entry pointing at the old one.

Every text a write brings (names, addresses, titles, deadlines, document names and text, journal
payloads) passes through :func:`balancedue.identifiers.mask` here, whatever called the store, so
no full SSN, ITIN or EIN is ever kept or sealed in a journal.

Cases are named by their number (``12``) or by the start of their ``uid`` (at least eight
hexadecimal digits), which stays the same when a case is exported and imported elsewhere.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.db import IntegrityError, connections, transaction
from django.db.models import Max, OuterRef, Subquery

from balancedue.cases.blobs import PAUSE_ROW_WRITTEN, DocumentFolder, StoredBlob
from balancedue.cases.chain import (
    GENESIS,
    check_chain,
    check_payload,
    check_sealed_documents,
    describe,
    document_payload,
    document_subject,
    entry_hash,
)
from balancedue.cases.errors import CaseConflictError, CaseNotFoundError, EntryNotFoundError
from balancedue.cases.integrity import missing_triggers, restore_triggers, state_digest
from balancedue.cases.models import Case, Client, Deadline, Document, JournalEntry
from balancedue.cases.records import (
    CORRECTABLE_CASE_FIELDS,
    REMINDER_DAYS,
    CaseFile,
    CaseRecord,
    CaseStatus,
    CaseSummary,
    CaseVerification,
    ClientRecord,
    DeadlineRecord,
    DocumentRecord,
    JournalKind,
    JournalRecord,
    NewCase,
    NewDeadline,
    NewDocument,
    Problem,
    Reminder,
)
from balancedue.cases.rows import (
    case_record,
    deadline_record,
    document_record,
    journal_record,
    period_json,
    sealed_amount,
)
from balancedue.identifiers import mask, mask_value

UID_PREFIX = re.compile(r"[0-9a-f]{8,32}")
ACTIVE_STATUSES = (CaseStatus.OPEN.value, CaseStatus.WAITING.value)


def utc_now() -> datetime:
    """The current moment in UTC (the store's default clock)."""
    return datetime.now(UTC)


class CaseStore:
    """Cases, documents, deadlines and journals in one database and one document folder."""

    def __init__(
        self, *, using: str = "default", documents: DocumentFolder, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.using = using
        self.documents = documents
        self.clock = clock

    # --- finding ---------------------------------------------------------------------------

    def _case_row(self, ref: str | int, *, lock: bool = False) -> Case:
        cases = Case.objects.using(self.using).select_related("client")
        if lock:
            cases = cases.select_for_update()
        text = str(ref).strip().lower()
        try:
            if text.isdigit() and len(text) < 19 and (row := cases.filter(pk=int(text)).first()):
                return cast(Case, row)  # a number first: eight digits or more may also start a uid
            if UID_PREFIX.fullmatch(text):
                return cast(Case, cases.get(uid__startswith=text))
        except Case.DoesNotExist:
            raise CaseNotFoundError(str(ref)) from None
        except Case.MultipleObjectsReturned:
            raise CaseNotFoundError(f"{ref} (several cases start so; give more digits)") from None
        raise CaseNotFoundError(str(ref))

    def get_case(self, ref: str | int) -> CaseRecord:
        """The case with this number or uid prefix."""
        return case_record(self._case_row(ref))

    def case_file(self, ref: str | int) -> CaseFile:
        """Everything kept for a case."""
        row = self._case_row(ref)
        deadlines = Deadline.objects.using(self.using).filter(case=row).order_by("due", "number")
        documents = Document.objects.using(self.using).filter(case=row).order_by("number")
        entries = list(JournalEntry.objects.using(self.using).filter(case=row).order_by("sequence"))
        sequences = {entry.pk: entry.sequence for entry in entries}
        return CaseFile(
            case=case_record(row),
            deadlines=tuple(deadline_record(d) for d in deadlines),
            documents=tuple(document_record(d) for d in documents),
            journal=tuple(journal_record(e, sequences) for e in entries),
        )

    def list_cases(self, today: date, statuses: Sequence[CaseStatus] = ()) -> list[CaseSummary]:
        """Every case (or those with one of ``statuses``) with its next deadline on or after ``today``."""
        upcoming = Deadline.objects.using(self.using).filter(case=OuterRef("pk"), due__gte=today).order_by("due", "number")
        cases = Case.objects.using(self.using)
        if statuses:
            cases = cases.filter(status__in=[s.value for s in statuses])
        rows = (
            cases.annotate(
                next_due=Subquery(upcoming.values("due")[:1]), next_what=Subquery(upcoming.values("what")[:1])
            )
            .order_by("pk")
            .values_list(
                "pk", "uid", "client__name", "title", "tax_year", "notice_codes", "status", "next_what", "next_due"
            )
        )
        return [
            CaseSummary(
                number=pk,
                uid=uid,
                client_name=client,
                title=title,
                tax_year=year,
                notice_codes=tuple(codes),
                status=CaseStatus(status),
                next_what=what,
                next_due=due if isinstance(due, date) or due is None else date.fromisoformat(str(due)),
            )
            for pk, uid, client, title, year, codes, status, what, due in rows
        ]

    def reminders(
        self, today: date, lead_days: Sequence[int] = REMINDER_DAYS, ref: str | int | None = None
    ) -> list[Reminder]:
        """Deadlines of open cases whose reminder has started: at most ``max(lead_days)`` away."""
        horizon = today + timedelta(days=max(lead_days))
        rows = Deadline.objects.using(self.using).filter(
            due__gte=today, due__lte=horizon, case__status__in=ACTIVE_STATUSES
        )
        if ref is not None:
            rows = rows.filter(case=self._case_row(ref))
        found = []
        for case_id, what, due in rows.order_by("due", "case_id", "number").values_list("case_id", "what", "due"):
            days_left = (due - today).days
            lead = min(days for days in lead_days if days >= days_left)
            found.append(Reminder(case_number=case_id, what=what, due=due, days_left=days_left, lead_days=lead))
        return found

    def deadlines(self, ref: str | int | None = None, statuses: Sequence[str] = ACTIVE_STATUSES) -> list[
        tuple[CaseRecord, DeadlineRecord]
    ]:
        """Every deadline of one case, or of every case with one of ``statuses``, soonest first."""
        rows = Deadline.objects.using(self.using).select_related("case", "case__client")
        rows = rows.filter(case=self._case_row(ref)) if ref is not None else rows.filter(case__status__in=statuses)
        return [(case_record(row.case), deadline_record(row)) for row in rows.order_by("due", "case_id", "number")]

    # --- journal -----------------------------------------------------------------------------

    def _append(
        self,
        case: Case,
        kind: JournalKind,
        payload: dict[str, Any],
        *,
        amount: Decimal | None = None,
        corrects: JournalEntry | None = None,
        created_at: datetime | None = None,
    ) -> JournalEntry:
        """Append one entry inside the caller's transaction and move the case's head."""
        payload = cast(dict[str, Any], mask_value(payload))
        check_payload(payload)
        last = JournalEntry.objects.using(self.using).filter(case=case).order_by("-sequence").first()
        sequence = last.sequence + 1 if last else 1
        prev_hash = last.hash if last else GENESIS
        moment = created_at or self.clock()
        sealed = entry_hash(case.uid, sequence, kind.value, payload, moment, prev_hash)
        entry = JournalEntry(
            case=case,
            sequence=sequence,
            created_at=moment,
            kind=kind.value,
            payload=payload,
            amount=amount,
            corrects=corrects,
            prev_hash=prev_hash,
            hash=sealed,
        )
        entry.save(using=self.using, force_insert=True)
        Case.objects.using(self.using).filter(pk=case.pk).update(journal_length=sequence, journal_head=sealed)
        case.journal_length, case.journal_head = sequence, sealed
        return entry

    def append(
        self,
        ref: str | int,
        kind: JournalKind,
        payload: dict[str, Any],
        *,
        amount: Decimal | None = None,
        deadlines: Sequence[NewDeadline] = (),
    ) -> JournalRecord:
        """Record a call, a mailing, a payment or a note; ``deadlines`` (a follow-up) come along."""
        if kind in (JournalKind.CORRECTION, JournalKind.OPENED, JournalKind.DOCUMENT):
            raise ValueError(f"{kind.value} entries are written by their own operation")
        with transaction.atomic(using=self.using):
            case = self._case_row(ref, lock=True)
            if deadlines:
                added = self._add_deadlines(case, deadlines)
                payload = {**payload, "deadlines": [{"number": d.number, "due": d.due.isoformat()} for d in added]}
            entry = self._append(case, kind, payload, amount=amount)
            self._seal_state(case)
        return journal_record(entry, {})

    def correct(
        self,
        ref: str | int,
        sequence: int,
        reason: str,
        replacement: dict[str, Any],
        *,
        case_fields: dict[str, Any] | None = None,
        redate: Sequence[tuple[int, date]] = (),
    ) -> JournalRecord:
        """Record a correction of entry ``sequence``; the old entry stays as it was.

        ``case_fields`` (``notice_date``, ``amount_due``, ``tax_year``) are set on the case and
        the deadlines in ``redate`` (number, new date) get their new computed date, in the same
        transaction; the correction's journal entry lists both, with the old dates.
        """
        with transaction.atomic(using=self.using):
            case = self._case_row(ref, lock=True)
            try:
                old = JournalEntry.objects.using(self.using).get(case=case, sequence=sequence)
            except JournalEntry.DoesNotExist:
                raise EntryNotFoundError(f"case {case.pk} has no journal entry #{sequence}") from None
            payload: dict[str, Any] = {
                "corrects": sequence, "corrected_kind": old.kind, "reason": reason, "replacement": replacement,
            }
            if case_fields:
                unknown = set(case_fields) - CORRECTABLE_CASE_FIELDS
                if unknown:
                    raise ValueError(f"case fields that cannot be corrected: {sorted(unknown)}")
                Case.objects.using(self.using).filter(pk=case.pk).update(**case_fields)
            redated = []
            for number, due in redate:
                row = Deadline.objects.using(self.using).get(case=case, number=number)
                redated.append({"deadline": number, "what": row.what, "old_due": row.due.isoformat(), "new_due": due.isoformat()})
                row.due = row.computed_due = due
                row.save(using=self.using, update_fields=["due", "computed_due"])
            if redated:
                payload["redated"] = redated
            entry = self._append(case, JournalKind.CORRECTION, payload, corrects=old)
            self._seal_state(case)
        return journal_record(entry, {old.pk: old.sequence})

    def _rows_digest(self, case_pk: int) -> tuple[str, str]:
        """(the digest the rows have now, the one sealed at the last write)."""
        row = Case.objects.using(self.using).select_related("client").get(pk=case_pk)
        deadlines = [deadline_record(d) for d in Deadline.objects.using(self.using).filter(case=row)]
        documents = [document_record(d) for d in Document.objects.using(self.using).filter(case=row)]
        return state_digest(case_record(row), deadlines, documents), str(row.state_digest)

    def _seal_state(self, case: Case) -> None:
        """Seal the case's rows to its journal; the last step of every write (cases.integrity)."""
        digest, _ = self._rows_digest(case.pk)
        Case.objects.using(self.using).filter(pk=case.pk).update(state_digest=digest)

    # --- writing -----------------------------------------------------------------------------

    def _client(self, client: ClientRecord, now: datetime) -> Client:
        client = ClientRecord(mask(client.name), tuple(mask(line) for line in client.address), client.id_last4)
        address = "\n".join(client.address)
        row = (
            Client.objects.using(self.using)
            .filter(name=client.name, address=address, id_last4=client.id_last4 or "")
            .order_by("pk")
            .first()
        )
        if row is None:
            row = Client(name=client.name, address=address, id_last4=client.id_last4 or "", created_at=now)
            row.save(using=self.using, force_insert=True)
        return cast(Client, row)

    def _add_deadlines(self, case: Case, deadlines: Iterable[NewDeadline]) -> list[Deadline]:
        start = Deadline.objects.using(self.using).filter(case=case).aggregate(top=Max("number"))["top"] or 0
        rows = [
            Deadline(
                case=case,
                number=start + index,
                what=mask(item.what),
                due=item.due,
                computed_due=item.due,
                tag=item.tag,
                basis=mask(item.basis),
                consequence=mask(item.consequence or ""),
                rule=item.rule or "",
                source=mask(item.source),
                notice_code=item.notice_code or "",
            )
            for index, item in enumerate(deadlines, start=1)
        ]
        return cast(list[Deadline], Deadline.objects.using(self.using).bulk_create(rows))

    def _store_bytes(self, document: NewDocument) -> StoredBlob:
        if isinstance(document.source, Path):
            return self.documents.put_file(document.source)
        return self.documents.put_bytes(bytes(document.source))

    def _insert_document(self, case: Case, document: NewDocument, blob: StoredBlob, now: datetime) -> Document:
        top = Document.objects.using(self.using).filter(case=case).aggregate(top=Max("number"))["top"] or 0
        row = Document(
            case=case,
            number=top + 1,
            sha256=blob.sha256,
            size=blob.size,
            kind=document.kind.value,
            name=mask(document.name),
            media_type=document.media_type,
            text=mask(document.text),
            added_at=now,
        )
        row.save(using=self.using, force_insert=True)
        self._append(case, JournalKind.DOCUMENT, document_payload(document_record(row)), created_at=now)
        return row

    def open_case(self, new: NewCase, notice: NewDocument | None = None) -> CaseRecord:
        """Open a case with its deadlines and, when given, the notice it was opened from."""
        blob = self._store_bytes(notice) if notice is not None else None
        now = self.clock()
        with transaction.atomic(using=self.using):
            case = Case(
                uid=uuid.uuid4().hex,
                client=self._client(new.client, now),
                title=mask(new.title),
                tax_year=new.tax_year,
                tax_periods=[period_json(p) for p in new.tax_periods],
                notice_codes=list(new.notice_codes),
                notice_id=mask(new.notice_id or ""),
                notice_date=new.notice_date,
                date_received=new.date_received,
                status=CaseStatus.OPEN.value,
                amount_due=new.amount_due,
                reply_address=mask("\n".join(new.reply_address)),
                created_at=now,
                journal_length=0,
                journal_head=GENESIS,
            )
            case.save(using=self.using, force_insert=True)
            deadlines = self._add_deadlines(case, new.deadlines)
            opened: dict[str, Any] = {
                "title": new.title,
                "client": new.client.name,
                "tax_year": new.tax_year,
                "notice_codes": list(new.notice_codes),
                "notice_id": new.notice_id,
                "notice_date": new.notice_date.isoformat() if new.notice_date else None,
                "date_received": new.date_received.isoformat(),
                "amount_due": format(new.amount_due, "f") if new.amount_due is not None else None,
                "deadlines": [{"number": d.number, "what": d.what, "due": d.due.isoformat()} for d in deadlines],
            }
            if new.reviewed_notice is not None:
                opened["reviewed_notice"] = dict(new.reviewed_notice)
            self._append(case, JournalKind.OPENED, opened, created_at=now)
            if notice is not None and blob is not None:
                self._insert_document(case, notice, blob, now)
            self._seal_state(case)
            if notice is not None and blob is not None:
                self.documents.pause(PAUSE_ROW_WRITTEN)
        return self.get_case(case.pk)

    def add_document(
        self,
        ref: str | int,
        document: NewDocument,
        *,
        notice_codes: Sequence[str] = (),
        deadlines: Sequence[NewDeadline] = (),
    ) -> tuple[DocumentRecord, bool]:
        """Store a document in a case; ``(record, False)`` when the case already had it.

        A later notice brings its code and its deadlines along, in the same transaction.
        """
        case = self._case_row(ref)  # fail fast on a wrong number, before copying bytes
        blob = self._store_bytes(document)
        now = self.clock()
        with transaction.atomic(using=self.using):
            case = self._case_row(case.pk, lock=True)
            existing = Document.objects.using(self.using).filter(case=case, sha256=blob.sha256).first()
            if existing is not None:
                return document_record(existing), False
            row = self._insert_document(case, document, blob, now)
            new_codes = [code for code in notice_codes if code not in case.notice_codes]
            if new_codes:
                Case.objects.using(self.using).filter(pk=case.pk).update(notice_codes=[*case.notice_codes, *new_codes])
            if deadlines:
                self._add_deadlines(case, deadlines)
            self._seal_state(case)
            self.documents.pause(PAUSE_ROW_WRITTEN)
        return document_record(row), True

    def add_documents_with_entry(
        self, ref: str | int, documents: Sequence[NewDocument], kind: JournalKind, payload: dict[str, Any]
    ) -> tuple[list[DocumentRecord], JournalRecord]:
        """Store documents (a letter's PDF and DOCX) and one entry that names them, atomically.

        The entry's payload gets ``documents``: the number and hash of each.
        """
        case = self._case_row(ref)
        blobs = [self._store_bytes(document) for document in documents]
        now = self.clock()
        with transaction.atomic(using=self.using):
            case = self._case_row(case.pk, lock=True)
            records = []
            for document, blob in zip(documents, blobs, strict=True):
                existing = Document.objects.using(self.using).filter(case=case, sha256=blob.sha256).first()
                row = existing or self._insert_document(case, document, blob, now)
                records.append(document_record(row))
            named = [{"number": r.number, "sha256": r.sha256, "name": r.name} for r in records]
            entry = self._append(case, kind, {**payload, "documents": named}, created_at=now)
            self._seal_state(case)
        return records, journal_record(entry, {})

    def change_deadline(self, ref: str | int, number: int, due: date, reason: str) -> DeadlineRecord:
        """Move a deadline to another date, with the reason; the journal keeps both dates."""
        with transaction.atomic(using=self.using):
            case = self._case_row(ref, lock=True)
            try:
                row = Deadline.objects.using(self.using).get(case=case, number=number)
            except Deadline.DoesNotExist:
                raise EntryNotFoundError(f"case {case.pk} has no deadline #{number}") from None
            payload = {
                "deadline": number,
                "what": row.what,
                "old_due": row.due.isoformat(),
                "new_due": due.isoformat(),
                "computed_due": row.computed_due.isoformat(),
                "reason": reason,
            }
            row.due, row.changed_reason = due, mask(reason)
            row.save(using=self.using, update_fields=["due", "changed_reason"])
            self._append(case, JournalKind.DEADLINE, payload)
            self._seal_state(case)
        return deadline_record(row)

    def set_status(self, ref: str | int, status: CaseStatus, reason: str) -> CaseRecord:
        """Change the case's status; the journal keeps why."""
        with transaction.atomic(using=self.using):
            case = self._case_row(ref, lock=True)
            payload = {"old": case.status, "new": status.value, "reason": reason}
            Case.objects.using(self.using).filter(pk=case.pk).update(status=status.value)
            self._append(case, JournalKind.STATUS, payload)
            self._seal_state(case)
        return self.get_case(case.pk)

    # --- checking ----------------------------------------------------------------------------

    def verify(self, ref: str | int) -> CaseVerification:
        """Check the journal's chain and every document's bytes; name everything found wrong."""
        row = self._case_row(ref)
        case_file = self.case_file(row.pk)
        problems = check_chain(
            row.uid, case_file.journal, head=case_file.case.journal_head, length=case_file.case.journal_length
        )
        amounts = dict(
            JournalEntry.objects.using(self.using).filter(case=row, kind=JournalKind.PAYMENT.value).values_list(
                "sequence", "amount"
            )
        )
        for entry in case_file.journal:
            if entry.sequence in amounts and amounts[entry.sequence] != sealed_amount(entry.payload):
                problems.append(Problem(describe(entry), "its amount column differs from its sealed content"))
        for document in case_file.documents:
            damage = self.documents.check(document.sha256, document.size)
            if damage:
                problems.append(Problem(document_subject(document), damage))
        problems.extend(check_sealed_documents(case_file.journal, case_file.documents))
        digest, sealed = self._rows_digest(row.pk)
        if digest != sealed:
            problems.append(
                Problem(
                    f"case {row.pk}",
                    "its stored details (client, amounts, dates, deadlines, document names or kept text) "
                    "differ from what was sealed at its last change: they were edited outside balancedue",
                )
            )
        for name in missing_triggers(connections[self.using]):
            problems.append(
                Problem(
                    "database",
                    f"the trigger {name} that keeps journal entries from being changed is missing or disabled; "
                    "`balancedue case verify --repair-triggers` puts it back",
                )
            )
        notes = []
        orphans = self.orphan_files()
        if orphans:
            notes.append(
                f"{len(orphans)} file(s) in the document folder belong to no case (left by an interrupted "
                "add; harmless; `balancedue case cleanup` removes them)"
            )
        return CaseVerification(
            case_number=row.pk,
            case_uid=row.uid,
            entries_checked=len(case_file.journal),
            documents_checked=len(case_file.documents),
            problems=tuple(problems),
            notes=tuple(notes),
        )

    def repair_triggers(self) -> list[str]:
        """Create the journal's append-only triggers that are missing; their names."""
        return restore_triggers(connections[self.using])

    def _referenced(self) -> set[str]:
        from balancedue.cases.intake_models import IntakeItem  # notices a batch has yet to file

        kept = set(Document.objects.using(self.using).values_list("sha256", flat=True).distinct())
        return kept | set(IntakeItem.objects.using(self.using).exclude(status="done").values_list("sha256", flat=True))

    def orphan_files(self) -> list[Path]:
        """Files in the document folder that no document row names."""
        return self.documents.orphans(self._referenced())

    def remove_orphans(self, now: float | None = None) -> list[Path]:
        """Delete orphan files old enough not to belong to an add in progress."""
        return self.documents.remove_orphans(self._referenced(), now)

    # --- import ------------------------------------------------------------------------------

    def find_uid(self, uid: str) -> CaseRecord | None:
        """The case with exactly this uid, if it is here."""
        row = Case.objects.using(self.using).select_related("client").filter(uid=uid).first()
        return case_record(row) if row is not None else None

    def insert_case_file(self, case_file: CaseFile) -> CaseRecord:
        """Write an imported case as it was, journal hashes and all.

        The caller has checked the chain and put every document's bytes in the folder.
        """
        record = case_file.case
        now = self.clock()
        try:
            with transaction.atomic(using=self.using):
                case = Case(
                    uid=record.uid,
                    client=self._client(record.client, now),
                    title=record.title,
                    tax_year=record.tax_year,
                    tax_periods=[period_json(p) for p in record.tax_periods],
                    notice_codes=list(record.notice_codes),
                    notice_id=record.notice_id or "",
                    notice_date=record.notice_date,
                    date_received=record.date_received,
                    status=record.status.value,
                    amount_due=record.amount_due,
                    reply_address="\n".join(record.reply_address),
                    created_at=record.created_at,
                    journal_length=len(case_file.journal),
                    journal_head=case_file.journal[-1].hash if case_file.journal else GENESIS,
                )
                case.save(using=self.using, force_insert=True)
                Deadline.objects.using(self.using).bulk_create(
                    [
                        Deadline(
                            case=case,
                            number=d.number,
                            what=d.what,
                            due=d.due,
                            computed_due=d.computed_due,
                            tag=d.tag,
                            basis=d.basis,
                            consequence=d.consequence or "",
                            rule=d.rule or "",
                            source=d.source,
                            notice_code=d.notice_code or "",
                            changed_reason=d.changed_reason or "",
                        )
                        for d in case_file.deadlines
                    ]
                )
                Document.objects.using(self.using).bulk_create(
                    [
                        Document(
                            case=case,
                            number=d.number,
                            sha256=d.sha256,
                            size=d.size,
                            kind=d.kind.value,
                            name=d.name,
                            media_type=d.media_type,
                            text=d.text,
                            added_at=d.added_at,
                        )
                        for d in case_file.documents
                    ]
                )
                by_sequence: dict[int, JournalEntry] = {}
                for entry in case_file.journal:
                    row = JournalEntry(
                        case=case,
                        sequence=entry.sequence,
                        created_at=entry.created_at,
                        kind=str(entry.kind),
                        payload=entry.payload,
                        amount=sealed_amount(entry.payload) if entry.kind == JournalKind.PAYMENT else None,
                        corrects=by_sequence[entry.corrects] if entry.corrects is not None else None,
                        prev_hash=entry.prev_hash,
                        hash=entry.hash,
                    )
                    row.save(using=self.using, force_insert=True)
                    by_sequence[entry.sequence] = row
                self._seal_state(case)
        except IntegrityError:
            raise CaseConflictError(f"case {record.uid[:12]} was imported at the same moment by another process") from None
        return self.get_case(case.pk)

    # --- who may see what ------------------------------------------------------------------------
    # ``scope`` is a set of client ids, or ``None`` for every client.

    def client_of_case(self, number: int) -> int | None:
        """The id of the case's client, or None when there is no such case."""
        found = Case.objects.using(self.using).filter(pk=number).values_list("client_id", flat=True).first()
        return int(found) if found is not None else None

    def amounts_due(self, scope: frozenset[int] | None) -> dict[int, Decimal | None]:
        """The amount due of every case within ``scope``, by case number."""
        rows = Case.objects.using(self.using).all()
        if scope is not None:
            rows = rows.filter(client_id__in=scope)
        return {int(pk): amount for pk, amount in rows.values_list("pk", "amount_due")}

    def clients_like(self, client: ClientRecord) -> list[int]:
        """The ids of the clients with this name, address and last four digits."""
        found = Client.objects.using(self.using).filter(
            name=client.name, address="\n".join(client.address), id_last4=client.id_last4 or ""
        ).values_list("pk", flat=True)
        return [int(pk) for pk in found]
