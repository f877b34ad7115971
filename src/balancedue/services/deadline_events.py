"""One calendar event per case deadline, for a case's own calendar and for the practice's feed."""

from __future__ import annotations

from balancedue.cases.records import CaseRecord, DeadlineRecord
from balancedue.letters.calendar import CalendarDeadline


def deadline_event(case: CaseRecord, deadline: DeadlineRecord, *, practice: bool = False) -> CalendarDeadline:
    """The deadline as an event: what it is, its basis, what missing it costs and its source.

    ``practice``: for a feed of many clients' cases, the client is named in the title and the
    description; a person's own calendar names the command that shows the case instead."""
    details = [deadline.basis]
    if deadline.consequence:
        details.append(f"If missed: {deadline.consequence}")
    if deadline.source:
        details.append(f"Source: {deadline.source}")
    if practice:
        title = f"{deadline.what} ({case.client.name}, case {case.number})"
        details.append(f"Case {case.number}: {case.title} ({case.client.name})")
    else:
        title = f"{deadline.what} (case {case.number})"
        details.append(f"Case {case.number}: {case.title} (balancedue case show {case.number})")
    return CalendarDeadline(
        uid=f"{case.uid}-{deadline.number}@balancedue",
        title=title,
        due=deadline.due,
        description="\n".join(details),
        tag=deadline.tag,
    )
