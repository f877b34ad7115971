"""``balancedue case``: keep a case per notice and tax year - documents, calls, mail, payments.

Every command works on the case store in the data folder (``BALANCEDUE_DATA_DIR``, or
PostgreSQL when ``DATABASE_URL`` says so); the first use creates it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from balancedue.cases.records import CaseStatus, CaseVerification, DocumentKind
from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.cli.given import NoInputOption, SetOption, assignments, prompter
from balancedue.errors import InputError
from balancedue.presentation import days_from_today, journal_line, money
from balancedue.services import cases as case_service

app = typer.Typer(help="Cases: documents, deadlines and a tamper-evident journal.", no_args_is_help=True)

CaseArg = Annotated[str, typer.Argument(help="The case number (or the start of its id).", metavar="ID")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
TodayOption = Annotated[str | None, typer.Option("--today", help="Act as of this date (YYYY-MM-DD); default: today.")]
_KINDS = ", ".join(k.value for k in DocumentKind)
_STATUSES = ", ".join(s.value for s in CaseStatus)


def _today(text: str | None) -> date:
    return parse_date(text, "--today") if text else date.today()  # noqa: DTZ011 - the user's local date is meant


def _moment(text: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InputError(f"{field} {text!r} is not a date and time; use the form YYYY-MM-DDTHH:MM") from None


def _days(days: int) -> str:
    return days_from_today(days)


@app.command("new")
@handle_errors
def new(
    notice: Annotated[Path, typer.Option("--notice", help="The notice: a PDF, a photo or scan, or a text file.")],
    client: Annotated[str | None, typer.Option("--client", help="The taxpayer's name.")] = None,
    address: Annotated[
        list[str] | None, typer.Option("--address", help="A line of the taxpayer's mailing address (repeat).")
    ] = None,
    received: Annotated[
        str | None, typer.Option("--received", help="The day the notice arrived (YYYY-MM-DD); default: today.")
    ] = None,
    id_last4: Annotated[
        str | None,
        typer.Option("--id-last4", help="Last four digits of the SSN/ITIN/EIN, when the notice shows none."),
    ] = None,
    today: TodayOption = None,
    json_output: JsonOption = False,
    set_values: SetOption = None,
    no_input: NoInputOption = False,
) -> None:
    """Read a notice, open a case for it and set its deadlines."""
    as_of = _today(today)
    opened = case_service.open_case_from_file(
        notice, case_service.ClientDetails(name=client, address=address or [], id_last4=id_last4), as_of,
        rules=app_context().rules, received=parse_date(received, "--received") if received else None,
        given=assignments(set_values), ask=prompter(json_output=json_output, no_input=no_input),
    )
    if json_output:
        emit_json(opened)
        return
    case = opened.case
    console.print(f"Opened case {case.number}: {case.title} ({case.client.name})", markup=False)
    for deadline in opened.deadlines:
        console.print(
            f"  {deadline.due.isoformat()}  {deadline.what} ({deadline.tag}, {_days(deadline.days_left(as_of))})",
            markup=False,
        )
    for warning in opened.warnings:
        console.print(f"  note: {warning}", style="yellow", markup=False)


@app.command("list")
@handle_errors
def list_cases(
    status: Annotated[
        list[str] | None, typer.Option("--status", help=f"Only cases with this status (repeat): {_STATUSES}.")
    ] = None,
    due_within: Annotated[
        int | None,
        typer.Option("--due-within", min=0, help="The desk: open cases overdue or due within DAYS, soonest first."),
    ] = None,
    client: Annotated[str | None, typer.Option("--client", help="Only this client's open cases (the desk).")] = None,
    csv_output: Annotated[bool, typer.Option("--csv", help="Print the desk as CSV.")] = False,
    user: Annotated[
        str | None, typer.Option("--user", help="Only the clients granted to this practice account (the desk).")
    ] = None,
    today: TodayOption = None,
    json_output: JsonOption = False,
) -> None:
    """Every case with its next deadline, and the reminders due (7 and 2 days before)."""
    as_of = _today(today)
    if due_within is not None or client or csv_output or user:
        from balancedue.cli import desk_cmd  # the desk's calendar and rules, only when asked for

        desk_cmd.print_desk(
            as_of, due_within=due_within, client=client, csv_output=csv_output, json_output=json_output, user=user
        )
        return
    try:
        statuses = [CaseStatus(s) for s in status or []]
    except ValueError:
        raise InputError(f"unknown status in {status}; use one of {_STATUSES}") from None
    listing = case_service.list_cases(as_of, statuses)
    if json_output:
        emit_json(listing)
        return
    if not listing.cases:
        typer.echo("No cases yet. Open one with: balancedue case new --notice FILE")
        return
    lines = [f"{'#':>6}  {'Client':<24}  {'Year':<4}  {'Notices':<14}  {'Status':<8}  Next deadline"]
    for case in listing.cases:
        upcoming = (
            f"{case.next_due.isoformat()}  {case.next_what} ({_days((case.next_due - as_of).days)})"
            if case.next_due
            else "-"
        )
        codes = ",".join(case.notice_codes)
        lines.append(
            f"{case.number:>6}  {case.client_name[:24]:<24}  {case.tax_year or '':<4}  {codes[:14]:<14}  "
            f"{case.status.value:<8}  {upcoming}"
        )
    if listing.reminders:
        lines += ["", "Reminders"]
        lines += [
            f"  case {r.case_number}: {r.what} - due {r.due.isoformat()} ({_days(r.days_left)}; "
            f"{r.lead_days}-day reminder)"
            for r in listing.reminders
        ]
    typer.echo("\n".join(lines))


@app.command("show")
@handle_errors
def show(ref: CaseArg, today: TodayOption = None, json_output: JsonOption = False) -> None:
    """Everything kept for a case: deadlines, documents and the journal."""
    case_file = case_service.show_case(ref)
    if json_output:
        emit_json(case_file)
        return
    as_of = _today(today)
    case = case_file.case
    console.print(f"Case {case.number}: {case.title}", style="bold", markup=False)
    client = case.client
    console.print(
        f"Taxpayer: {client.name}" + (f", id ending {client.id_last4}" if client.id_last4 else ""), markup=False
    )
    facts = [
        f"Status: {case.status.value}",
        f"Received: {case.date_received.isoformat()}",
        f"Notice date: {case.notice_date.isoformat()}" if case.notice_date else "",
        f"Notice number: {case.notice_id}" if case.notice_id else "",
        f"Amount due on the notice: {money(case.amount_due)}" if case.amount_due is not None else "",
        f"Paid so far (journal): {money(case_service.total_paid(case_file))}",
        f"Id: {case.uid}",
    ]
    for fact in filter(None, facts):
        console.print(fact, markup=False)
    from rich.table import Table  # only the case page draws tables

    table = Table(title="Deadlines", title_justify="left")
    for column in ("#", "Date", "When", "What", "Kind"):
        table.add_column(column)
    for d in case_file.deadlines:
        what = d.what + (f" (moved from {d.computed_due.isoformat()}: {d.changed_reason})" if d.changed else "")
        table.add_row(str(d.number), d.due.isoformat(), _days(d.days_left(as_of)), what, d.tag)
    console.print(table)
    table = Table(title="Documents", title_justify="left")
    for column in ("#", "Kind", "Name", "Size", "SHA-256"):
        table.add_column(column)
    for doc in case_file.documents:
        table.add_row(str(doc.number), doc.kind.value, doc.name, f"{doc.size:,}", doc.sha256[:16])
    console.print(table)
    table = Table(title="Journal", title_justify="left")
    for column in ("#", "When (UTC)", "Kind", "What"):
        table.add_column(column)
    for entry in case_file.journal:
        table.add_row(str(entry.sequence), entry.created_at.strftime("%Y-%m-%d %H:%M"), str(entry.kind),
                      journal_line(entry))
    console.print(table)
    for reminder in case_service.case_reminders(ref, as_of):
        console.print(f"Reminder: {reminder.what} - due {reminder.due.isoformat()} ({_days(reminder.days_left)})",
                      style="yellow", markup=False)


@app.command("add-doc")
@handle_errors
def add_doc(
    ref: CaseArg,
    file: Annotated[Path, typer.Argument(help="The file to keep in the case.")],
    kind: Annotated[str, typer.Option("--kind", help=f"What it is: {_KINDS}.")],
    today: TodayOption = None,
    json_output: JsonOption = False,
) -> None:
    """Keep a copy of a document in the case (stored under its SHA-256)."""
    try:
        document_kind = DocumentKind(kind)
    except ValueError:
        raise InputError(f"unknown document kind {kind!r}; use one of {_KINDS}") from None
    added = case_service.add_document(ref, file, document_kind, today=_today(today), rules=app_context().rules)
    if json_output:
        emit_json(added)
        return
    doc = added.document
    if added.created:
        console.print(
            f"Added document #{doc.number} to case {added.case_number}: {doc.name} ({doc.kind.value}, "
            f"{doc.size:,} bytes, SHA-256 {doc.sha256[:16]}...)", markup=False,
        )
    else:
        console.print(f"Case {added.case_number} already has this file as document #{doc.number}", markup=False)
    if added.notice_code and added.new_deadlines:
        console.print(f"  {added.notice_code}: {added.new_deadlines} new deadline(s)", markup=False)
    for warning in added.warnings:
        console.print(f"  note: {warning}", style="yellow", markup=False)


def _entry_done(entry: object, case_ref: str, json_output: bool) -> None:
    if json_output:
        emit_json(entry)
        return
    sequence = getattr(entry, "sequence", "?")
    kind = getattr(entry, "kind", "")
    console.print(f"Recorded journal entry #{sequence} ({kind}) in case {case_ref}", markup=False)


@app.command("log-call")
@handle_errors
def log_call(
    ref: CaseArg,
    agent: Annotated[str, typer.Option("--agent", help="The IRS employee's name.")],
    badge: Annotated[str, typer.Option("--badge", help="The employee's badge (ID) number.")],
    summary: Annotated[str, typer.Option("--summary", help="What was said.")],
    outcome: Annotated[str | None, typer.Option("--outcome", help="What was agreed or decided.")] = None,
    follow_up: Annotated[
        str | None, typer.Option("--follow-up", help="Date to follow up (YYYY-MM-DD); becomes a deadline.")
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="The number called or that called.")] = None,
    start: Annotated[
        str | None, typer.Option("--start", help="When the call started (YYYY-MM-DDTHH:MM); default: now.")
    ] = None,
    end: Annotated[str | None, typer.Option("--end", help="When the call ended (YYYY-MM-DDTHH:MM).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a call: agent name, badge number, time, summary, outcome and follow-up date."""
    started = _moment(start, "--start") if start else datetime.now().replace(second=0, microsecond=0)  # noqa: DTZ005 - the caller's local time is meant
    entry = case_service.log_call(
        ref, agent=agent, badge=badge, summary=summary, started_at=started,
        ended_at=_moment(end, "--end") if end else None, phone=phone, outcome=outcome,
        follow_up=parse_date(follow_up, "--follow-up") if follow_up else None,
    )
    _entry_done(entry, ref, json_output)


@app.command("log-mail")
@handle_errors
def log_mail(
    ref: CaseArg,
    tracking: Annotated[str, typer.Option("--tracking", help="The certified-mail tracking number.")],
    enclosure: Annotated[
        list[str] | None, typer.Option("--enclosure", help="Something enclosed (repeat for each).")
    ] = None,
    sent_on: Annotated[str | None, typer.Option("--sent-on", help="Mailing date (YYYY-MM-DD); default: today.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Where it was sent.")] = None,
    what: Annotated[str | None, typer.Option("--what", help="What was sent (e.g. the letter).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a mailing: certified tracking number, date and enclosures."""
    entry = case_service.log_mail(
        ref, tracking=tracking, sent_on=_today(sent_on) if sent_on else _today(None),
        enclosures=enclosure or [], to=to, what=what,
    )
    _entry_done(entry, ref, json_output)


@app.command("add-payment")
@handle_errors
def add_payment(
    ref: CaseArg,
    amount: Annotated[str, typer.Option("--amount", help="The amount paid, e.g. 1234.56.")],
    channel: Annotated[str, typer.Option("--channel", help="How: Direct Pay, EFTPS, check, card...")],
    paid_on: Annotated[str | None, typer.Option("--date", help="Payment date (YYYY-MM-DD); default: today.")] = None,
    confirmation: Annotated[str | None, typer.Option("--confirmation", help="The confirmation number.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record a payment: date, amount, channel and confirmation number."""
    entry = case_service.add_payment(
        ref, paid_on=parse_date(paid_on, "--date") if paid_on else _today(None), amount=amount,
        channel=channel, confirmation=confirmation,
    )
    _entry_done(entry, ref, json_output)


@app.command("note")
@handle_errors
def note(ref: CaseArg, text: Annotated[str, typer.Argument(help="The note.")], json_output: JsonOption = False) -> None:
    """Record a note."""
    _entry_done(case_service.add_note(ref, text), ref, json_output)


@app.command("correct")
@handle_errors
def correct(
    ref: CaseArg,
    entry: Annotated[int, typer.Argument(help="The number of the journal entry to correct.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is corrected.")],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="FIELD=VALUE, the corrected value (repeat).")
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Correct a journal entry: a new entry points at the old one, which stays as it was.

    Correcting the notice date, amount due or tax year of the opening entry (#1) also changes the
    case and re-dates the deadlines counted from the notice date (both in the correction's entry).
    """
    changes = {}
    for item in set_ or []:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise InputError(f"--set {item!r} is not FIELD=VALUE")
        changes[field.strip()] = value
    from balancedue.services import corrections

    _entry_done(corrections.correct_entry(ref, entry, reason, changes, app_context().rules), ref, json_output)


@app.command("deadline")
@handle_errors
def deadline(
    ref: CaseArg,
    number: Annotated[int, typer.Argument(help="The deadline's number (see case show).")],
    due: Annotated[str, typer.Option("--due", help="The new date (YYYY-MM-DD).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it moves (e.g. extension agreed by phone).")],
) -> None:
    """Move a deadline by hand; the journal keeps the old and new dates and the reason."""
    changed = case_service.change_deadline(ref, number, parse_date(due, "--due"), reason)
    console.print(f"Deadline #{changed.number} is now {changed.due.isoformat()}: {changed.what}", markup=False)


@app.command("status")
@handle_errors
def status(
    ref: CaseArg,
    new_status: Annotated[str, typer.Argument(help=f"The new status: {_STATUSES}.", metavar="STATUS")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
) -> None:
    """Change a case's status (open, waiting, resolved, closed)."""
    try:
        value = CaseStatus(new_status)
    except ValueError:
        raise InputError(f"unknown status {new_status!r}; use one of {_STATUSES}") from None
    case = case_service.set_status(ref, value, reason)
    console.print(f"Case {case.number} is now {case.status.value}", markup=False)


@app.command("verify")
@handle_errors
def verify(
    ref: CaseArg,
    json_output: JsonOption = False,
    repair_triggers: Annotated[
        bool,
        typer.Option("--repair-triggers", help="Put back the journal's append-only triggers if they were dropped."),
    ] = False,
) -> None:
    """Check the journal's hash chain, the case's rows, every document's bytes and the database's
    append-only triggers; exit 1 if anything changed."""
    if repair_triggers:
        for name in case_service.repair_triggers():
            console.print(f"Put back the trigger {name}.", markup=False)
    result = case_service.verify_case(ref)
    if json_output:
        emit_json({**_verification_json(result), "ok": result.ok})
    elif result.ok:
        console.print(
            f"Case {result.case_number} verified: {result.entries_checked} journal entries and "
            f"{result.documents_checked} documents are as they were written.", markup=False,
        )
    else:
        console.print(f"Case {result.case_number} FAILED verification:", style="bold red", markup=False)
        for problem in result.problems:
            console.print(f"  - {problem}", markup=False)
    if not json_output:
        for line in result.notes:
            console.print(f"  note: {line}", style="yellow", markup=False)
    if not result.ok:
        raise typer.Exit(1)


def _verification_json(result: CaseVerification) -> dict[str, object]:
    """The verification as JSON-ready data."""
    return {
        "case": result.case_number,
        "uid": result.case_uid,
        "entries_checked": result.entries_checked,
        "documents_checked": result.documents_checked,
        "problems": [{"subject": p.subject, "message": p.message} for p in result.problems],
        "notes": list(result.notes),
    }


PassphraseFileOption = Annotated[
    Path | None,
    typer.Option("--passphrase-file", help="Read the passphrase from the first line of this file (for scripts)."),
]


def _passphrase(file: Path | None, *, confirm: bool) -> str:
    # The cryptography library, only for sealed archives.
    from balancedue.services import sealed_export

    if file is not None:
        return sealed_export.read_passphrase_file(file)
    return str(typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))


@app.command("export")
@handle_errors
def export(
    ref: CaseArg,
    out: Annotated[Path, typer.Argument(help="The zip file to write.", metavar="OUT.zip")],
    today: TodayOption = None,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Seal the export with a passphrase (scrypt, AES-256-GCM).")
    ] = False,
    passphrase_file: PassphraseFileOption = None,
) -> None:
    """Write the case to a zip: manifest, documents, journal (JSON) and a PDF case report."""
    if encrypt:
        from balancedue.services import sealed_export

        summary = sealed_export.export_encrypted(
            ref, out, _passphrase(passphrase_file, confirm=True), today=_today(today)
        )
    else:
        summary = case_service.export_case(ref, out, today=_today(today))
    console.print(
        f"Wrote {summary.path}{' (encrypted)' if encrypt else ''}: {summary.documents} documents, "
        f"{summary.entries} journal entries (fingerprint {summary.fingerprint[:16]})", markup=False,
    )


@app.command("import")
@handle_errors
def import_(
    archive: Annotated[Path, typer.Argument(help="A zip written by case export.", metavar="FILE.zip")],
    passphrase_file: PassphraseFileOption = None,
) -> None:
    """Bring in a case from a zip; every hash and the journal chain are checked first."""
    from balancedue.services import sealed_export

    if sealed_export.is_encrypted(archive):
        result = sealed_export.import_encrypted(archive, _passphrase(passphrase_file, confirm=False))
    else:
        result = case_service.import_case(archive)
    verb = "Imported" if result.created else "Already here, unchanged:"
    console.print(f"{verb} case {result.case.number}: {result.case.title} (fingerprint {result.fingerprint[:16]})",
                  markup=False)
    if result.masked:
        console.print("The archive held full taxpayer ids; they were masked to their last four digits and the "
                      "journal sealed again.", markup=False)


@app.command("report")
@handle_errors
def report(
    ref: CaseArg,
    out: Annotated[Path, typer.Argument(help="The PDF file to write.", metavar="OUT.pdf")],
    today: TodayOption = None,
) -> None:
    """Write the case summary as a PDF."""
    from balancedue.services.report_files import write_private

    write_private(out, case_service.case_report_pdf(ref, _today(today)))
    console.print(f"Wrote {out}", markup=False)


@app.command("cleanup")
@handle_errors
def cleanup() -> None:
    """Remove files left in the document folder by an interrupted add (older than an hour)."""
    removed = case_service.cleanup_documents()
    console.print(f"Removed {len(removed)} leftover file(s)", markup=False)
