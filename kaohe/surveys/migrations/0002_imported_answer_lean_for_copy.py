"""Imported answers without foreign-key constraints and with a BRIN index on the batch (PostgreSQL), so that millions
of rows load fast with COPY; see ImportedAnswer."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "surveys_importedanswer_batch"


def add_batch_index(apps, schema_editor):
    # a batch's rows are copied together: BRIN (a few pages) finds them; SQLite has no BRIN, a plain index there
    using = " USING brin" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {INDEX} ON surveys_importedanswer{using} (batch_id)")


def drop_batch_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0001_initial'),
        ('surveys', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importedanswer',
            name='batch',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.importbatch'),
        ),
        migrations.AlterField(
            model_name='importedanswer',
            name='group',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.group'),
        ),
        migrations.AlterField(
            model_name='importedanswer',
            name='question',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='surveys.question'),
        ),
        migrations.AlterField(
            model_name='importedanswer',
            name='unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.unit'),
        ),
        migrations.RunPython(add_batch_index, drop_batch_index),
    ]
