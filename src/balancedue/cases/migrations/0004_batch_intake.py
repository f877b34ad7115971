"""Tables of batch intake: intake items, batch runs, the review queue and worker signs of life."""
from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models

import balancedue.cases.fields


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_case_state_digest'),
    ]

    operations = [
        migrations.CreateModel(
            name='BatchRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('created_at', models.DateTimeField()),
                ('today', models.DateField()),
                ('files', models.JSONField(default=list, help_text='[{path, name, sha256, client, error}] in order')),
            ],
        ),
        migrations.CreateModel(
            name='WorkerBeat',
            fields=[
                ('worker_id', models.CharField(max_length=64, primary_key=True, serialize=False)),
                ('host', models.CharField(max_length=255)),
                ('pid', models.IntegerField()),
                ('started_at', models.DateTimeField()),
                ('beat_at', models.DateTimeField()),
                ('tasks_done', models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='IntakeItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(max_length=64, unique=True)),
                ('name', models.CharField(help_text="the file's name, any full id masked", max_length=255)),
                ('client_hint', models.CharField(blank=True, default='', help_text='from the client map', max_length=200)),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('done', 'Done'), ('failed', 'Failed'), ('needs_client', 'Needs Client')], default='queued', max_length=16)),
                ('reason', models.TextField(blank=True, default='')),
                ('attempts', models.IntegerField(default=0)),
                ('today', models.DateField()),
                ('document_number', models.IntegerField(null=True)),
                ('opened_case', models.BooleanField(default=False)),
                ('notice_code', models.CharField(blank=True, default='', max_length=16)),
                ('amount_due', balancedue.cases.fields.MoneyField(null=True)),
                ('next_due', models.DateField(null=True)),
                ('id_last4', models.CharField(blank=True, default='', max_length=4)),
                ('review', models.JSONField(default=list, help_text='names of the fields read below high confidence')),
                ('task_id', models.CharField(blank=True, default='', help_text='the task that files it', max_length=64)),
                ('updated_at', models.DateTimeField()),
                ('case', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='intake_items', to='cases.case')),
            ],
        ),
        migrations.CreateModel(
            name='ReviewField',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40)),
                ('value', models.TextField(blank=True, default='')),
                ('confidence', models.FloatField()),
                ('status', models.CharField(default='open', max_length=16)),
                ('resolution', models.TextField(blank=True, default='')),
                ('resolved_at', models.DateTimeField(null=True)),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_fields', to='cases.case')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_fields', to='cases.intakeitem')),
            ],
        ),
        migrations.AddIndex(
            model_name='intakeitem',
            index=models.Index(fields=['status'], name='intake_status'),
        ),
        migrations.AddIndex(
            model_name='reviewfield',
            index=models.Index(fields=['status'], name='review_status'),
        ),
        migrations.AddConstraint(
            model_name='reviewfield',
            constraint=models.UniqueConstraint(fields=('item', 'field'), name='review_field_once_per_item'),
        ),
    ]
