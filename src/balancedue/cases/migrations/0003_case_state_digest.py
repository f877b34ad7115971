"""Each case's rows sealed to its journal (``Case.state_digest``, see ``cases.integrity``).

Cases written before this migration get their digest here, from the rows as they are now.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def seal_existing(apps: Any, schema_editor: Any) -> None:
    from balancedue.cases.integrity import state_digest
    from balancedue.cases.rows import case_record, deadline_record, document_record

    alias = schema_editor.connection.alias
    cases = apps.get_model("cases", "Case")
    deadlines = apps.get_model("cases", "Deadline")
    documents = apps.get_model("cases", "Document")
    for row in cases.objects.using(alias).select_related("client"):
        digest = state_digest(
            case_record(row),
            [deadline_record(d) for d in deadlines.objects.using(alias).filter(case=row)],
            [document_record(d) for d in documents.objects.using(alias).filter(case=row)],
        )
        cases.objects.using(alias).filter(pk=row.pk).update(state_digest=digest)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_journal_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="state_digest",
            field=models.CharField(
                blank=True,
                default="",
                help_text="seals the case's rows to its journal (cases.integrity)",
                max_length=64,
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
