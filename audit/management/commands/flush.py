"""``manage.py flush``, refused when it would empty the access audit, except in the tests.

Django's ``flush`` empties every table: with DELETE on SQLite and TRUNCATE on
PostgreSQL, both of which the audit's triggers refuse (:mod:`audit.triggers`).
pytest-django runs ``flush`` after every transactional test, so the test settings
(and only they) set ``AUDIT_FLUSH_MAY_EMPTY_AUDIT``: then the triggers are lifted
for the flush and put back after it. Anywhere else a flush of a database holding
audit entries stops with a clear message instead of a database error; the audit
of a real site is never emptied by a management command.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

from audit import triggers


class Command(DjangoFlush):
    def handle(self, **options) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        allowed = getattr(settings, "AUDIT_FLUSH_MAY_EMPTY_AUDIT", False)
        if not allowed and _holds_entries(connection):
            raise CommandError(
                "The access audit is append-only: flush would delete its entries, "
                "so it is refused. To start a site afresh, create a new database."
            )
        # An empty audit loses nothing; PostgreSQL's trigger refuses even an empty TRUNCATE.
        with triggers.lifted(connection):
            return super().handle(**options)


def _holds_entries(connection) -> bool:
    with connection.cursor() as cursor:
        if triggers.TABLE not in connection.introspection.table_names(cursor):
            return False
        cursor.execute(f"SELECT 1 FROM {triggers.TABLE} LIMIT 1")
        return cursor.fetchone() is not None
