"""The audit's keyed chain finds any entry edited, removed, moved or re-chained, and any cut end.

The tampering below is done with raw SQL past the triggers (the ``attacker``
fixture), on SQLite as on PostgreSQL: the chain and the anchors must not depend
on the triggers being there.
"""

import hashlib
import itertools
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import RequestFactory

from audit import anchors, chain
from audit.keys import keyed_digest
from audit.log import GENESIS, hashed_fields, record
from audit.models import Action, AppendOnlyError, AuditEntry

pytestmark = pytest.mark.django_db

TEST_KEY = b"test-only-audit-chain-key-not-secret-0123456789"
NEW_KEY = "t2:a-newer-test-only-audit-chain-key-not-secret-987654"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ghi", password="pw")


def write(user, count: int, school: int = 1, start: int = 0) -> list[AuditEntry]:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = user
    return [
        record(request, Action.VIEW, school=school, target=f"case:{n}", detail=f"n: {n}")
        for n in range(start, start + count)
    ]


@pytest.fixture
def entries(user) -> list[AuditEntry]:
    return write(user, 30)


def run_command(name: str = "verify_audit_chain", *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def sha256_digest(key, prev_hash: str, fields: dict) -> str:
    """What the old, unkeyed chain computed: anyone can."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def rechain(attacker, from_pk: int, digest=sha256_digest, key: bytes | None = None) -> None:
    """Recompute prev_hash and entry_hash of every entry from ``from_pk`` on, as a forger would."""
    before = AuditEntry.objects.filter(pk__lt=from_pk).order_by("-pk").first()
    prev = before.entry_hash if before else GENESIS
    for entry in AuditEntry.objects.filter(pk__gte=from_pk).order_by("pk"):
        new_hash = digest(key, prev, hashed_fields(entry))
        attacker(
            "UPDATE audit_auditentry SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [prev, new_hash, entry.pk],
        )
        prev = new_hash


def test_a_long_chain_verifies_and_the_command_says_ok(entries):
    result = chain.verify(chunk_size=7)

    assert result.ok
    assert result.checked == 30
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    assert "OK" in run_command()
    assert "30" in run_command()


def test_each_entry_is_an_hmac_under_the_newest_key_and_names_it(entries):
    entry = AuditEntry.objects.get(pk=entries[4].pk)

    assert entry.key_id == "t1"
    assert entry.entry_hash == keyed_digest(TEST_KEY, entry.prev_hash, hashed_fields(entry))
    assert entry.entry_hash != sha256_digest(None, entry.prev_hash, hashed_fields(entry))


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


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("detail", "n: 999"),
        ("at", "2020-01-01 00:00:00"),
        ("actor_id", 424242),
        ("actor_username", "someone-else"),
        ("ip_address", "10.0.0.1"),
        ("key_id", "t2"),
    ],
)
def test_an_edited_entry_is_reported_and_the_command_fails(entries, attacker, column, value):
    tampered = entries[12]
    attacker(f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, tampered.pk])

    result = chain.verify()

    assert not result.ok
    assert result.broken_pk == tampered.pk
    assert result.problem in (chain.EDITED, chain.UNKNOWN_KEY)
    assert result.checked == 12
    with pytest.raises(CommandError) as error:
        run_command()
    assert error.value.returncode == 1
    assert f"entry {tampered.pk}" in str(error.value)


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(entries, attacker):
    """Recomputing the edited entry's own hash is not enough: the next entry still names the old."""
    tampered = AuditEntry.objects.get(pk=entries[5].pk)
    tampered.detail = "n: 0"
    new_hash = keyed_digest(TEST_KEY, tampered.prev_hash, hashed_fields(tampered))
    attacker(
        "UPDATE audit_auditentry SET detail = %s, entry_hash = %s WHERE id = %s",
        ["n: 0", new_hash, tampered.pk],
    )

    result = chain.verify()

    assert result.broken_pk == entries[6].pk
    assert result.problem == chain.LINK_BROKEN


@pytest.mark.parametrize(
    "forged_key",
    [None, b"a-guessed-key-that-is-not-the-sites-0000000000"],
    ids=["sha256", "wrong-key"],
)
def test_an_edit_rechained_without_the_key_is_reported_at_the_edit(entries, attacker, forged_key):
    """The attack the unkeyed chain let through: edit, then recompute every hash after it."""
    digest = sha256_digest if forged_key is None else keyed_digest
    attacker("UPDATE audit_auditentry SET detail = 'n: 0' WHERE id = %s", [entries[9].pk])
    rechain(attacker, entries[9].pk, digest, forged_key)

    result = chain.verify()

    assert not result.ok
    assert result.broken_pk == entries[9].pk
    assert result.problem == chain.EDITED
    with pytest.raises(CommandError, match=r"\[edited\]"):
        run_command()


def test_entries_deleted_and_rechained_without_the_key_are_reported(entries, attacker):
    attacker("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [entries[10].pk, entries[11].pk])
    rechain(attacker, entries[12].pk)

    result = chain.verify()

    assert result.broken_pk == entries[12].pk
    assert result.problem == chain.EDITED


def test_a_deleted_middle_entry_is_found_at_the_entry_after_it(entries, attacker):
    attacker("DELETE FROM audit_auditentry WHERE id = %s", [entries[10].pk])

    result = chain.verify()

    assert result.broken_pk == entries[11].pk
    assert result.problem == chain.LINK_BROKEN
    with pytest.raises(CommandError):
        run_command()


def test_a_deleted_first_entry_is_found(entries, attacker):
    attacker("DELETE FROM audit_auditentry WHERE id = %s", [entries[0].pk])

    assert chain.verify().broken_pk == entries[1].pk


def test_swapped_entries_are_found(entries, attacker):
    a, b = entries[3].pk, entries[4].pk
    attacker("UPDATE audit_auditentry SET id = -1 WHERE id = %s", [a])
    attacker("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
    attacker("UPDATE audit_auditentry SET id = %s WHERE id = -1", [b])

    result = chain.verify()

    assert not result.ok
    assert result.broken_pk == a


# With the key: only the anchors outside the database show it ---------------------------


def test_an_edit_rechained_with_the_key_is_reported_by_the_anchor(user, attacker):
    """An insider with the key makes a consistent chain; the hourly anchor still holds the truth."""
    first = write(user, 10)
    anchors.write_anchor()
    write(user, 5, start=10)
    attacker("UPDATE audit_auditentry SET detail = 'n: 0' WHERE id = %s", [first[3].pk])
    rechain(attacker, first[3].pk, keyed_digest, TEST_KEY)

    assert chain.verify(anchors=[]).ok  # the chain alone cannot tell
    result = chain.verify()

    assert not result.ok
    assert result.problem == chain.ANCHOR_MISMATCH
    assert result.broken_pk == first[-1].pk
    with pytest.raises(CommandError, match=r"\[anchor_mismatch\]"):
        run_command()


def test_entries_deleted_and_rechained_with_the_key_are_reported_by_the_anchor(user, attacker):
    first = write(user, 10)
    anchors.write_anchor()
    later = write(user, 5, start=10)
    attacker("DELETE FROM audit_auditentry WHERE id >= %s AND id <= %s", [first[8].pk, first[9].pk])
    rechain(attacker, later[0].pk, keyed_digest, TEST_KEY)

    assert chain.verify(anchors=[]).ok
    result = chain.verify()

    assert result.problem == chain.ANCHOR_MISSING
    assert result.broken_pk == first[9].pk
    with pytest.raises(CommandError, match=r"\[anchor_missing\]"):
        run_command()


def test_the_newest_entries_cut_off_are_reported_by_the_anchor(user, attacker):
    written = write(user, 12)
    anchors.write_anchor()
    attacker("DELETE FROM audit_auditentry WHERE id > %s", [written[7].pk])

    assert chain.verify(anchors=[]).ok  # what is left still links up
    result = chain.verify()

    assert not result.ok
    assert result.problem == chain.TRUNCATED
    assert result.broken_pk == written[-1].pk
    assert result.checked == 8
    with pytest.raises(CommandError, match=r"\[truncated\]"):
        run_command()


def test_an_intact_chain_matches_every_anchor(user):
    write(user, 3)
    anchors.write_anchor()
    write(user, 3, start=3)
    anchors.write_anchor()
    write(user, 2, start=6)

    result = chain.verify()

    assert result.ok
    assert result.anchors == 2
    assert "2 anchored entries matched" in run_command()


def test_a_damaged_anchor_file_is_reported(user, anchor_file):
    write(user, 3)
    anchors.write_anchor()
    with open(anchor_file, "a") as handle:
        handle.write("not json\n")

    result = chain.verify()

    assert result.problem == chain.ANCHORS_UNREADABLE
    with pytest.raises(CommandError, match=r"\[anchors_unreadable\]"):
        run_command()


def test_a_restore_anchor_accepts_a_chain_rolled_back_to_a_backup(user, attacker):
    """After restoring an older backup the lost tail is declared, in the file and the e-mail."""
    kept = write(user, 5)
    lost = write(user, 3, start=5)
    anchors.write_anchor()
    attacker("DELETE FROM audit_auditentry WHERE id > %s", [kept[-1].pk])  # the restore
    assert chain.verify().problem == chain.TRUNCATED

    out = run_command("anchor_audit_chain", "--after-restore")

    assert f"Anchored entry {kept[-1].pk}" in out
    assert chain.verify().ok
    restore = anchors.read_anchors()[-1]
    assert (restore.kind, restore.entry) == ("restore", kept[-1].pk)
    assert restore.entry < lost[-1].pk


# Key rotation -------------------------------------------------------------------------


def test_a_rotated_key_keeps_old_entries_verifiable(user, settings):
    old = write(user, 4)
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY, *settings.AUDIT_CHAIN_KEYS]

    new = write(user, 4, start=4)

    assert {AuditEntry.objects.get(pk=e.pk).key_id for e in old} == {"t1"}
    assert {AuditEntry.objects.get(pk=e.pk).key_id for e in new} == {"t2"}
    assert chain.verify().ok
    assert chain.verify().checked == 8


def test_an_entry_whose_key_was_dropped_cannot_be_checked(user, settings):
    write(user, 2)
    settings.AUDIT_CHAIN_KEYS = [NEW_KEY]

    result = chain.verify()

    assert result.problem == chain.UNKNOWN_KEY
    assert result.checked == 0


# The ORM ----------------------------------------------------------------------------------


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
