"""The audit log's changes as compact JSON text instead of jsonb (PostgreSQL).

SQLite already stores JSON as text, so only PostgreSQL's column changes type; Django would
otherwise rebuild the whole SQLite table for a change of the field's class alone.
"""

from django.db import migrations

import xinzhi.core.models


def to_text(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE core_auditevent ALTER COLUMN changes TYPE text USING changes::text"
        )


def to_jsonb(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE core_auditevent ALTER COLUMN changes TYPE jsonb USING changes::jsonb"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_aggregate_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="changes",
                    field=xinzhi.core.models.JSONTextField(
                        blank=True, default=dict, verbose_name="变更内容"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(to_text, to_jsonb)],
        ),
    ]
