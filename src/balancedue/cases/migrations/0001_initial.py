"""The case store's tables: clients, cases, deadlines, documents and journal entries."""

from __future__ import annotations

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import balancedue.cases.fields


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Client',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200)),
                ('address', models.TextField(blank=True, default='', help_text='mailing address, one line per line')),
                ('id_last4', models.CharField(blank=True, default='', max_length=4)),
                ('created_at', models.DateTimeField()),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('id_last4'), 4), name='client_id_at_most_last_four')],
            },
        ),
        migrations.CreateModel(
            name='Case',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('uid', models.CharField(help_text='stable id, the same after export and import', max_length=32, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('tax_year', models.IntegerField(null=True)),
                ('tax_periods', models.JSONField(default=list)),
                ('notice_codes', models.JSONField(default=list)),
                ('notice_id', models.CharField(blank=True, default='', max_length=64)),
                ('notice_date', models.DateField(null=True)),
                ('date_received', models.DateField()),
                ('status', models.CharField(choices=[('open', 'open'), ('waiting', 'waiting'), ('resolved', 'resolved'), ('closed', 'closed')], default='open', max_length=16)),
                ('amount_due', balancedue.cases.fields.MoneyField(null=True)),
                ('reply_address', models.TextField(blank=True, default='')),
                ('created_at', models.DateTimeField()),
                ('journal_length', models.IntegerField(default=0)),
                ('journal_head', models.CharField(max_length=64)),
                ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='cases.client')),
            ],
        ),
        migrations.CreateModel(
            name='Deadline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.IntegerField()),
                ('what', models.TextField()),
                ('due', models.DateField()),
                ('computed_due', models.DateField()),
                ('tag', models.CharField(max_length=16)),
                ('basis', models.TextField()),
                ('consequence', models.TextField(blank=True, default='')),
                ('rule', models.CharField(blank=True, default='', max_length=120)),
                ('source', models.TextField(blank=True, default='')),
                ('notice_code', models.CharField(blank=True, default='', max_length=16)),
                ('changed_reason', models.TextField(blank=True, default='')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='cases.case')),
            ],
        ),
        migrations.CreateModel(
            name='Document',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.IntegerField()),
                ('sha256', models.CharField(max_length=64)),
                ('size', models.BigIntegerField()),
                ('kind', models.CharField(choices=[('notice', 'notice'), ('return', 'return'), ('w2-1099', 'w2-1099'), ('proof-of-payment', 'proof-of-payment'), ('correspondence', 'correspondence'), ('mail-receipt', 'mail-receipt')], max_length=24)),
                ('name', models.CharField(max_length=255)),
                ('media_type', models.CharField(max_length=100)),
                ('text', models.TextField(blank=True, default='', help_text='text read from it, ids masked')),
                ('added_at', models.DateTimeField()),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='cases.case')),
            ],
        ),
        migrations.CreateModel(
            name='JournalEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sequence', models.IntegerField()),
                ('created_at', models.DateTimeField()),
                ('kind', models.CharField(choices=[('opened', 'opened'), ('document', 'document'), ('call', 'call'), ('mail', 'mail'), ('payment', 'payment'), ('note', 'note'), ('letter', 'letter'), ('deadline', 'deadline'), ('status', 'status'), ('correction', 'correction')], max_length=16)),
                ('payload', models.JSONField()),
                ('amount', balancedue.cases.fields.MoneyField(help_text="the payment's amount, also sealed in the payload", null=True)),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64, unique=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='journal', to='cases.case')),
                ('corrects', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='cases.journalentry')),
            ],
            options={
                'ordering': ['case_id', 'sequence'],
            },
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['status'], name='case_status'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(fields=['case', 'due'], name='deadline_case_due'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(fields=['due'], name='deadline_due'),
        ),
        migrations.AddConstraint(
            model_name='deadline',
            constraint=models.UniqueConstraint(fields=('case', 'number'), name='deadline_number_per_case'),
        ),
        migrations.AddIndex(
            model_name='document',
            index=models.Index(fields=['sha256'], name='document_sha256'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(fields=('case', 'number'), name='document_number_per_case'),
        ),
        migrations.AddConstraint(
            model_name='document',
            constraint=models.UniqueConstraint(fields=('case', 'sha256'), name='document_once_per_case'),
        ),
        migrations.AddConstraint(
            model_name='journalentry',
            constraint=models.UniqueConstraint(fields=('case', 'sequence'), name='journal_sequence_per_case'),
        ),
    ]
