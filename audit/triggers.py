"""Database triggers that refuse to change or remove audit entries, on SQLite and PostgreSQL.

The ORM already refuses (``AuditEntry.save``/``delete``, ``AuditQuerySet``), but
that only stops this application's own code. The triggers stop raw SQL too: a
``sqlite3`` shell on the database file, ``psql``, a careless script. PostgreSQL
also refuses TRUNCATE. Someone who can drop a trigger can still tamper; that is
what the keyed chain and the anchors outside the database are for
(:mod:`audit.chain`). SQLite has no TRUNCATE; ``DELETE FROM`` without a WHERE is
refused row by row like any DELETE.

Where the triggers are lifted, and why each is legitimate:

* ``flush`` (:mod:`audit.management.commands.flush`) — pytest-django empties the
  tables after each transactional test with it (DELETE on SQLite, TRUNCATE on
  PostgreSQL). It lifts the triggers only when ``AUDIT_FLUSH_MAY_EMPTY_AUDIT`` is
  on, which only the test settings do; anywhere else ``flush`` is refused.
* The migration that re-chains the entries under the key: the one rewrite that
  is legitimate, recorded as an entry of the chain and as an anchor.

Restoring a backup never needs them lifted: on SQLite the database file is
replaced whole, and ``pg_restore --clean`` drops the table (no trigger fires on
DROP TABLE) and brings the triggers back from the dump. Because a schema change
on SQLite rebuilds a table and loses its triggers, :func:`install` also runs
after every ``migrate`` (see :mod:`audit.apps`) and is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["TABLE", "install", "installed", "lifted", "remove"]

TABLE = "audit_auditentry"
MESSAGE = "audit entries are append-only"

_SQLITE_NAMES = ("audit_auditentry_no_update", "audit_auditentry_no_delete")

_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
    """,
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_NAMES]

# The row trigger and its function are the ones migration 0002 created (same
# names), so an existing PostgreSQL database is simply brought up to date.
_PG_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused',
            ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER audit_auditentry_append_only
        BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_change()
    """,
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON {TABLE}",
    f"""
    CREATE TRIGGER audit_auditentry_no_truncate
        BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse_change()
    """,
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON {TABLE}",
]


def _connection(connection: BaseDatabaseWrapper | str | None) -> BaseDatabaseWrapper:
    if connection is None or isinstance(connection, str):
        return connections[connection or "default"]
    return connection


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _has_table(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


def install(connection: BaseDatabaseWrapper | str | None = None) -> bool:
    """Create the triggers if they are missing; returns False when there is no audit table yet."""
    connection = _connection(connection)
    if not _has_table(connection):
        return False
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_INSTALL)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_INSTALL)
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        return False
    return True


def remove(connection: BaseDatabaseWrapper | str | None = None) -> None:
    """Drop the triggers. Only for :func:`lifted`; see the module's docstring."""
    connection = _connection(connection)
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_REMOVE)
    elif connection.vendor == "postgresql":
        _run(connection, _PG_REMOVE)


def installed(connection: BaseDatabaseWrapper | str | None = None) -> bool:
    """Whether every trigger is in place (False on a database without the audit table)."""
    connection = _connection(connection)
    if not _has_table(connection):
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            expected = set(_SQLITE_NAMES)
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'",
                [TABLE],
            )
            expected = {"audit_auditentry_append_only", "audit_auditentry_no_truncate"}
        else:  # pragma: no cover
            return False
        return expected <= {row[0] for row in cursor.fetchall()}


@contextmanager
def lifted(connection: BaseDatabaseWrapper | str | None = None) -> Iterator[None]:
    """Drop the triggers for the block and put them back after it, even if it fails."""
    connection = _connection(connection)
    remove(connection)
    try:
        yield
    finally:
        install(connection)
