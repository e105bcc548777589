"""The audit is append-only and its hash chain finds any entry edited, removed or moved."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit import chain
from audit.log import GENESIS, record
from audit.models import Action, AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="raw edits are refused by the trigger on PostgreSQL"
)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ghi", password="pw")


@pytest.fixture
def entries(user) -> list[AuditEntry]:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = user
    return [
        record(request, Action.VIEW, school=1, target=f"case:{n}", detail=f"n: {n}")
        for n in range(30)
    ]


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def run_command() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    return out.getvalue()


def test_a_long_chain_verifies_and_the_command_says_ok(entries):
    result = chain.verify(chunk_size=7)

    assert result.ok
    assert result.checked == 30
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert "OK" in run_command()
    assert "30" in run_command()


def test_an_empty_audit_verifies():
    assert chain.verify().ok
    assert "OK: 0 entries" in run_command()


def test_the_chain_survives_ipv6_addresses_written_in_any_case(user):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    request.user = user
    entry = record(request, Action.VIEW)

    assert AuditEntry.objects.get(pk=entry.pk).ip_address == "2001:db8::1"
    assert chain.verify().ok


def test_an_address_that_is_not_one_is_not_stored(user):
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")
    request.user = user

    assert record(request, Action.VIEW).ip_address is None
    assert chain.verify().ok


@on_sqlite
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("detail", "n: 999"),
        ("at", "2020-01-01 00:00:00"),
        ("actor_id", 424242),
        ("actor_username", "someone-else"),
        ("ip_address", "10.0.0.1"),
    ],
)
def test_an_edited_entry_is_reported_and_the_command_fails(entries, column, value):
    tampered = entries[12]
    raw(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, tampered.pk])

    result = chain.verify()

    assert not result.ok
    assert result.broken_pk == tampered.pk
    assert result.problem == chain.EDITED
    assert result.checked == 12
    with pytest.raises(CommandError) as error:
        run_command()
    assert error.value.returncode == 1
    assert f"entry {tampered.pk}" in str(error.value)


@on_sqlite
def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(entries):
    """Recomputing the edited entry's own hash is not enough: the next entry still names the old."""
    from audit.log import entry_digest, hashed_fields

    tampered = AuditEntry.objects.get(pk=entries[5].pk)
    tampered.detail = "n: 0"
    new_hash = entry_digest(tampered.prev_hash, hashed_fields(tampered))
    raw(
        "UPDATE audit_auditentry SET detail = %s, entry_hash = %s WHERE id = %s",
        ["n: 0", new_hash, tampered.pk],
    )

    result = chain.verify()

    assert result.broken_pk == entries[6].pk
    assert result.problem == chain.LINK_BROKEN


@on_sqlite
def test_a_deleted_middle_entry_is_found_at_the_entry_after_it(entries):
    raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[10].pk])

    result = chain.verify()

    assert result.broken_pk == entries[11].pk
    assert result.problem == chain.LINK_BROKEN
    with pytest.raises(CommandError):
        run_command()


@on_sqlite
def test_a_deleted_first_entry_is_found(entries):
    raw("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])

    assert chain.verify().broken_pk == entries[1].pk


@on_sqlite
def test_swapped_entries_are_found(entries):
    a, b = entries[3].pk, entries[4].pk
    raw("UPDATE audit_auditentry SET id = -1 WHERE id = %s", [a])
    raw("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    raw("UPDATE audit_auditentry SET id = %s WHERE id = -1", [b])

    result = chain.verify()

    assert not result.ok
    assert result.broken_pk == a


def test_the_orm_refuses_to_change_or_delete_entries(entries):
    entry = AuditEntry.objects.get(pk=entries[0].pk)
    entry.detail = "changed"

    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["detail"])
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    # bulk_update works in a transaction of its own; the refusal rolls that back.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["detail"])

    assert AuditEntry.objects.get(pk=entry.pk).detail == "n: 0"
    assert chain.verify().ok


def test_deleting_a_user_leaves_their_entries_and_the_chain_intact(entries, user):
    user.delete()

    assert AuditEntry.objects.count() == 30
    assert AuditEntry.objects.filter(actor_username="ghi").count() == 30
    assert chain.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes(entries):
    for sql in (
        "UPDATE audit_auditentry SET detail = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            raw(sql, [entries[3].pk])
    assert chain.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_tampering_past_a_disabled_trigger_is_still_found(entries):
    raw("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only", [])
    try:
        raw("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [entries[3].pk])
    finally:
        raw("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only", [])

    assert chain.verify().broken_pk == entries[3].pk
