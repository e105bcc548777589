"""The database itself refuses to change or remove audit entries, on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit import chain, triggers
from audit.apps import _install_triggers
from audit.log import record
from audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(db) -> list[AuditEntry]:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    return [record(request, Action.VIEW, school=1, target=f"case:{n}") for n in range(5)]


def raw(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET detail = 'x' WHERE id = %s",
        "UPDATE audit_auditentry SET entry_hash = prev_hash WHERE id >= %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id >= %s",
    ],
)
def test_raw_updates_and_deletes_are_refused(entries, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [entries[0].pk])

    assert AuditEntry.objects.count() == 5
    assert chain.verify().ok


def test_a_whole_table_delete_is_refused(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM audit_auditentry")

    assert AuditEntry.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_postgresql_refuses_truncate(entries):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditentry")

    assert AuditEntry.objects.count() == 5


def test_appending_still_works_with_the_triggers_in_place(entries):
    assert triggers.installed()
    record(None, Action.VIEW, school=1, target="case:9")

    assert AuditEntry.objects.count() == 6
    assert chain.verify().ok


def test_flush_is_refused_on_a_site_with_audit_entries(entries, settings):
    settings.AUDIT_FLUSH_MAY_EMPTY_AUDIT = False

    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)

    assert AuditEntry.objects.count() == 5
    assert triggers.installed()


def test_the_triggers_come_back_after_migrate(entries):
    """A schema change on SQLite rebuilds the table without its triggers; migrate restores them."""
    triggers.remove(connection)
    assert not triggers.installed()

    _install_triggers(sender=None, using=connection.alias)

    assert triggers.installed()


def test_verify_audit_chain_fails_when_the_triggers_are_missing(entries):
    triggers.remove(connection)

    with pytest.raises(CommandError, match=r"\[triggers_missing\]"):
        call_command("verify_audit_chain")
