"""Which state each case is in: what a page worked out from a case can be kept by.

A case's version is its client, the hash of its journal's last entry and the digest that seals
its rows (:class:`balancedue.cases.records.CaseVersion`).  Every write of the store appends to
the case's journal or seals its rows again, or both (``CaseStore._seal_state`` ends each one), so
a case that shows the same version shows the same details, deadlines, documents and journal:
what was worked out from it still holds.

Asked on every view of the dashboard and a case page, so the statement is written here once
rather than built by the ORM each time (that took ten times as long as running it).
"""

from __future__ import annotations

from django.db import connections

from balancedue.cases.models import Case
from balancedue.cases.records import CaseVersion

_COLUMNS = tuple(Case._meta.get_field(name).column for name in ("id", "client", "journal_head", "state_digest"))


def case_versions(using: str, scope: frozenset[int] | None, number: int | None = None) -> dict[int, CaseVersion]:
    """The version of every case within ``scope`` (``None``: every client), or of case ``number``
    alone when it is within ``scope``, by case number; from the database ``using``."""
    if scope is not None and not scope:
        return {}
    connection = connections[using]
    name = connection.ops.quote_name
    columns = [name(column) for column in _COLUMNS]
    where: list[str] = []
    params: list[int] = []
    if number is not None:
        where.append(f"{columns[0]} = %s")
        params.append(number)
    if scope is not None:
        where.append(f"{columns[1]} IN ({', '.join(['%s'] * len(scope))})")
        params.extend(sorted(scope))
    sql = f"SELECT {', '.join(columns)} FROM {name(Case._meta.db_table)}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {int(pk): CaseVersion(int(client), str(head), str(digest)) for pk, client, head, digest in rows}
