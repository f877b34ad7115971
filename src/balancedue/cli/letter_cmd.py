"""``balancedue letter`` and ``balancedue calendar``: letters and deadline calendars from a case."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from balancedue.cli.common import app_context, console, emit_json, handle_errors, parse_date
from balancedue.errors import InputError, MissingFieldError
from balancedue.services import case_letters

# The option of this command that gives each letter field a request can lack.
LETTER_OPTIONS = {
    "facts": "--facts",
    "hearing_reasons": "--hearing-reason",
    "proposed_monthly_payment": "--monthly",
    "payment_day": "--payment-day",
    "direct_debit": "--direct-debit or --no-direct-debit",
    "cp2000_items": "--item",
    "penalties": "--penalty",
    "enclosures": "--enclosure",
    "signature_name": "--signature",
}


def _write(case: str, wanted: case_letters.LetterRequest, out: Path) -> case_letters.WrittenLetter:
    """The letter written; a missing field is reported with the option that gives it."""
    try:
        return case_letters.write_letter(case, wanted, out, app_context().rules)
    except MissingFieldError as exc:
        option = LETTER_OPTIONS.get(exc.field)
        if option is None:
            raise
        raise InputError(f"{exc.message} (give it with {option})") from None


@handle_errors
def letter(
    kind: Annotated[
        str,
        typer.Argument(
            help="dispute, abatement, cdp_hearing, installment_agreement, cp2000_response or "
            "penalty_computation_request."
        ),
    ],
    case: Annotated[str, typer.Argument(help="The case number (or the start of its id).", metavar="CASE")],
    facts: Annotated[
        str | None, typer.Option("--facts", help="What is disputed and why, or the reasons for the request.")
    ] = None,
    request: Annotated[list[str] | None, typer.Option("--request", help="Something asked for (repeat).")] = None,
    enclosure: Annotated[
        list[str] | None,
        typer.Option("--enclosure", help="A document enclosed (repeat); default: a copy of the notice."),
    ] = None,
    signature: Annotated[str | None, typer.Option("--signature", help="Who signs; default: the taxpayer.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="A daytime phone number for the IRS.")] = None,
    id_kind: Annotated[str | None, typer.Option("--id-kind", help="SSN, ITIN or EIN (default SSN).")] = None,
    relief: Annotated[
        str | None,
        typer.Option("--relief", help="abatement: first_time_abate, reasonable_cause or "
                     "first_time_abate_or_reasonable_cause."),
    ] = None,
    penalty: Annotated[list[str] | None, typer.Option("--penalty", help="abatement: a penalty to remove (repeat).")] = None,
    hearing_reason: Annotated[
        list[str] | None, typer.Option("--hearing-reason", help="cdp_hearing: a Form 12153 reason (repeat).")
    ] = None,
    monthly: Annotated[
        str | None, typer.Option("--monthly", help="installment_agreement: the monthly payment, e.g. 250.00.")
    ] = None,
    payment_day: Annotated[
        int | None, typer.Option("--payment-day", help="installment_agreement: day of the month, 1 to 28.")
    ] = None,
    first_payment: Annotated[
        str | None, typer.Option("--first-payment", help="installment_agreement: first payment date (YYYY-MM-DD).")
    ] = None,
    direct_debit: Annotated[
        bool | None,
        typer.Option("--direct-debit/--no-direct-debit", help="installment_agreement: paid from a bank account?"),
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="cp2000_response: ITEM|agree, partly_agree or disagree|EXPLANATION (repeat)."),
    ] = None,
    return_summary: Annotated[
        Path | None,
        typer.Option("--return", help="cp2000_response: your return summary (docs/return-summary.md); the answers, "
                     "statement and enclosures come from re-running the return with the notice's changes."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the PDF and DOCX files.")] = Path(),
    today: Annotated[str | None, typer.Option("--today", help="The letter's date (YYYY-MM-DD); default: today.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Write a letter from a case as PDF and DOCX, keep both in the case and log it."""
    as_of = parse_date(today, "--today") if today else date.today()  # noqa: DTZ011 - the user's local date is meant
    wanted = case_letters.LetterRequest(
        kind=kind, today=as_of, facts=facts, requests=request or [], enclosures=enclosure or [],
        signature_name=signature, phone=phone, id_kind=id_kind, relief_basis=relief, penalties=penalty or [],
        hearing_reasons=hearing_reason or [], monthly_payment=monthly, payment_day=payment_day,
        first_payment=parse_date(first_payment, "--first-payment") if first_payment else None,
        direct_debit=direct_debit, cp2000_items=item or [],
        return_summary=return_summary,
    )
    written = _write(case, wanted, out)
    if json_output:
        emit_json({"case": written.case_number, "files": [str(p) for p in written.files],
                   "documents": written.documents, "entry": written.entry})
        return
    for path in written.files:
        console.print(f"Wrote {path}", markup=False)
    numbers = ", ".join(f"#{d.number}" for d in written.documents)
    console.print(
        f"Kept in case {written.case_number} as documents {numbers}; journal entry #{written.entry.sequence}",
        markup=False,
    )


@handle_errors
def calendar(
    targets: Annotated[
        list[str],
        typer.Argument(help="[CASE] OUT.ics - one case's deadlines, or every open case's.", metavar="[CASE] OUT.ics"),
    ],
) -> None:
    """Write deadlines to an iCalendar (.ics) file with reminders 7 and 2 days before each."""
    if len(targets) not in (1, 2):
        raise InputError("give an output file, optionally after a case number: balancedue calendar [CASE] OUT.ics")
    ref = targets[0] if len(targets) == 2 else None
    out = Path(targets[-1])
    if out.suffix.lower() != ".ics":
        raise InputError(f"the calendar file {out.name!r} should end in .ics")
    written = case_letters.write_calendar(out, ref)
    console.print(f"Wrote {written.path}: {written.events} deadline(s), reminders 7 and 2 days before", markup=False)
