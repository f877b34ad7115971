"""Documents may be IRS account transcripts."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_batch_intake")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("notice", "notice"),
                    ("return", "return"),
                    ("w2-1099", "w2-1099"),
                    ("proof-of-payment", "proof-of-payment"),
                    ("correspondence", "correspondence"),
                    ("mail-receipt", "mail-receipt"),
                    ("transcript", "transcript"),
                ],
                max_length=24,
            ),
        ),
    ]
