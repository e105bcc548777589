"""Refuse UPDATE and DELETE of audit entries on SQLite too, and TRUNCATE on PostgreSQL.

See :mod:`audit.triggers` for the triggers and where (and why) they are ever
lifted. They are also put back after every ``migrate`` (a schema change on
SQLite rebuilds the table without them).
"""

from django.db import migrations


def install(apps, schema_editor):
    from audit import triggers

    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from audit import triggers

    triggers.remove(schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        # Back to what 0002 left: the row trigger only.
        triggers.install(schema_editor.connection)
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_rechain_under_hmac_key"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
