"""The migration re-chaining the old SHA-256 audit under the HMAC key, and leaving it on record."""

import hashlib
import importlib
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from audit import chain, triggers
from audit.anchors import read_anchors
from audit.log import GENESIS
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db

migration = importlib.import_module("audit.migrations.0004_rechain_under_hmac_key")
editor = SimpleNamespace(connection=connection)


@pytest.fixture(scope="module")
def historical():
    """The models as the migration sees them (plain managers, no append-only refusals)."""
    return MigrationLoader(None).project_state(("audit", "0003_auditentry_key_id")).apps


def legacy_entries(count: int, break_at: int | None = None) -> list[AuditEntry]:
    """Entries as the old code wrote them: an unkeyed SHA-256 chain, no key id."""
    prev = GENESIS
    written = []
    for n in range(count):
        entry = AuditEntry(
            at=timezone.now(),
            actor_username="ghi",
            school_id_value=1,
            action="view",
            target=f"case:{n}",
            detail=f"n: {n}",
            ip_address="198.51.100.4",
            prev_hash=prev,
        )
        fields = migration._fields(entry)
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        entry.entry_hash = hashlib.sha256((prev + canonical).encode()).hexdigest()
        if n == break_at:
            entry.detail = "edited before the upgrade"
        entry.save()
        written.append(entry)
        prev = entry.entry_hash
    return written


def test_old_entries_are_rechained_recorded_and_anchored(historical, anchor_file):
    old = legacy_entries(5)
    assert chain.verify().problem == chain.UNKNOWN_KEY  # the old chain names no key

    migration.rechain(historical, editor)

    result = chain.verify()
    assert result.ok
    assert result.checked == 6
    assert set(AuditEntry.objects.values_list("key_id", flat=True)) == {"t1"}
    note = AuditEntry.objects.order_by("pk").last()
    assert (note.target, note.detail) == ("audit-chain", "re-chained 5 entries under key t1")
    assert AuditEntry.objects.get(pk=old[2].pk).detail == "n: 2"  # content untouched
    (anchor,) = read_anchors()
    assert (anchor.kind, anchor.entry, anchor.hash) == ("rechain", note.pk, note.entry_hash)
    assert triggers.installed()


def test_a_broken_old_chain_is_not_laundered(historical, monkeypatch, anchor_file):
    legacy_entries(5, break_at=3)

    with pytest.raises(RuntimeError, match="broken at entry"):
        migration.rechain(historical, editor)
    assert not anchor_file.exists()

    monkeypatch.setenv("AUDIT_RECHAIN_ACCEPT_BROKEN", "true")
    migration.rechain(historical, editor)

    note = AuditEntry.objects.order_by("pk").last()
    assert "the old chain was broken at entry" in note.detail
    assert chain.verify().ok


def test_an_empty_audit_is_left_alone(historical, anchor_file):
    migration.rechain(historical, editor)

    assert not AuditEntry.objects.exists()
    assert not anchor_file.exists()


def test_anchors_before_the_rechain_are_set_aside(historical, anchor_file):
    from audit.anchors import write_anchor

    legacy_entries(3)
    write_anchor()  # an anchor of the old hashes

    migration.rechain(historical, editor)

    assert chain.verify().ok
