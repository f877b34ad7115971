"""Database triggers that refuse to change or delete a journal entry.

The model already refuses it; the triggers also stop other programs that use the same database.
They do not stop someone who can drop them: the hash chain (``case verify``) shows that.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

MESSAGE = "journal entries are append-only; write a correction instead"

SQLITE_UP = [
    f"""CREATE TRIGGER cases_journal_no_update BEFORE UPDATE ON cases_journalentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER cases_journal_no_delete BEFORE DELETE ON cases_journalentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_journal_no_update",
    "DROP TRIGGER IF EXISTS cases_journal_no_delete",
]
POSTGRESQL_UP = [
    f"""CREATE FUNCTION cases_journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$""",
    """CREATE TRIGGER cases_journal_no_change BEFORE UPDATE OR DELETE ON cases_journalentry
        FOR EACH ROW EXECUTE FUNCTION cases_journal_append_only()""",
    """CREATE TRIGGER cases_journal_no_truncate BEFORE TRUNCATE ON cases_journalentry
        FOR EACH STATEMENT EXECUTE FUNCTION cases_journal_append_only()""",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS cases_journal_no_truncate ON cases_journalentry",
    "DROP TRIGGER IF EXISTS cases_journal_no_change ON cases_journalentry",
    "DROP FUNCTION IF EXISTS cases_journal_append_only()",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN}),
        )
    ]
