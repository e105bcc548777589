"""Re-chain every existing audit entry under the HMAC key (``AUDIT_CHAIN_KEYS``).

Until now ``entry_hash`` was an unkeyed SHA-256, which anyone able to write to
the database could recompute after editing an entry. This is the one moment a
rewrite of the chain is legitimate, so it is done carefully and left on record:

1. the old chain is verified first; a broken one is not laundered into a valid
   keyed chain: the migration stops and says where it breaks (set
   ``AUDIT_RECHAIN_ACCEPT_BROKEN=true`` to re-chain anyway once the break has
   been investigated and written down; the record below then says so);
2. every entry gets ``key_id`` and a new ``prev_hash``/``entry_hash``, in id
   order, in batches (the PostgreSQL trigger is lifted for it);
3. an entry is appended saying how many entries were re-chained under which key;
4. a ``rechain`` anchor with the new tip is appended to ``AUDIT_ANCHOR_FILE``,
   outside the database, as the first anchor of the keyed chain.

An empty audit (a new site) is left alone: nothing to re-chain, nothing to record.
Going back re-chains the entries with the old SHA-256 (for development only).
"""

import hashlib
import json
import os

from django.db import migrations
from django.utils import timezone

GENESIS = "0" * 64
BATCH = 2000
FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "school_id_value",
    "case_id_value",
    "case_reference",
    "action",
    "target",
    "detail",
    "ip_address",
)


def _fields(entry, key_id=None) -> dict:
    fields = {
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_username": entry.actor_username,
        "school": entry.school_id_value,
        "case": entry.case_id_value,
        "case_reference": entry.case_reference,
        "action": entry.action,
        "target": entry.target,
        "detail": entry.detail,
        "ip": entry.ip_address,
    }
    if key_id is not None:
        fields["key"] = key_id
    return fields


def _canonical(fields: dict) -> str:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _legacy_digest(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + _canonical(fields)).encode("utf-8")).hexdigest()


def _batches(model, db_alias):
    last = 0
    while True:
        batch = list(model.objects.using(db_alias).filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _legacy_break(model, db_alias):
    """The id of the first entry where the old SHA-256 chain breaks, or None."""
    expected = GENESIS
    for batch in _batches(model, db_alias):
        for entry in batch:
            if entry.prev_hash != expected:
                return entry.pk
            if _legacy_digest(entry.prev_hash, _fields(entry)) != entry.entry_hash:
                return entry.pk
            expected = entry.entry_hash
    return None


def rechain(apps, schema_editor):
    from audit import triggers
    from audit.anchors import RECHAIN, Anchor, anchor_path, append_line
    from audit.keys import current_key, keyed_digest

    model = apps.get_model("audit", "AuditEntry")
    db_alias = schema_editor.connection.alias
    count = model.objects.using(db_alias).count()
    if not count:
        return
    broken_at = _legacy_break(model, db_alias)
    accepted = os.environ.get("AUDIT_RECHAIN_ACCEPT_BROKEN", "").strip().lower() in {"1", "true"}
    if broken_at is not None and not accepted:
        raise RuntimeError(
            f"The access audit's chain is already broken at entry {broken_at}. It is not "
            "re-chained under the key, which would hide the break. Investigate it "
            "(manage.py verify_audit_chain on the previous version), write it down, then "
            "run the migration again with AUDIT_RECHAIN_ACCEPT_BROKEN=true."
        )
    key_id, key = current_key()
    prev = GENESIS
    with triggers.lifted(schema_editor.connection):
        for batch in _batches(model, db_alias):
            for entry in batch:
                entry.key_id = key_id
                entry.prev_hash = prev
                entry.entry_hash = keyed_digest(key, prev, _fields(entry, key_id))
                prev = entry.entry_hash
            model.objects.using(db_alias).bulk_update(
                batch, ["key_id", "prev_hash", "entry_hash"]
            )
    detail = f"re-chained {count} entries under key {key_id}"
    if broken_at is not None:
        detail += f"; the old chain was broken at entry {broken_at}"
    note = model(
        at=timezone.now(),
        actor_username="",
        action="change",
        target="audit-chain",
        detail=detail,
        key_id=key_id,
        prev_hash=prev,
    )
    note.entry_hash = keyed_digest(key, prev, _fields(note, key_id))
    note.save(using=db_alias, force_insert=True)
    anchor = Anchor(
        RECHAIN,
        timezone.now().replace(microsecond=0),
        note.pk,
        note.entry_hash,
        key_id,
        count + 1,
        # Verified: every entry was just recomputed from the old chain, checked first.
        verified=True,
    )
    try:
        append_line(anchor_path(), anchor.as_line())
    except OSError as exc:
        raise RuntimeError(
            f"The re-chained audit could not be anchored: {anchor_path()} cannot be written "
            f"({exc.strerror}). Set AUDIT_ANCHOR_FILE to a writable file outside the "
            "database and run migrate again (nothing was changed)."
        ) from exc


def unchain(apps, schema_editor):
    """Back to the unkeyed SHA-256 chain (development only: the keyed chain is the safe one)."""
    from audit import triggers

    model = apps.get_model("audit", "AuditEntry")
    db_alias = schema_editor.connection.alias
    prev = GENESIS
    with triggers.lifted(schema_editor.connection):
        for batch in _batches(model, db_alias):
            for entry in batch:
                entry.prev_hash = prev
                entry.entry_hash = _legacy_digest(prev, _fields(entry))
                prev = entry.entry_hash
            model.objects.using(db_alias).bulk_update(batch, ["prev_hash", "entry_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_auditentry_key_id"),
    ]

    operations = [
        migrations.RunPython(rechain, unchain),
    ]
