"""Writing to the audit: one call, ``record``, from every view that touches a case.

Each entry is chained to the one before it by an HMAC under the newest key of
``AUDIT_CHAIN_KEYS`` (:mod:`audit.keys`), whose id it stores.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from accounts.lockout import client_ip
from audit.keys import current_key, key_for, keyed_digest
from audit.models import Action, AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

GENESIS = "0" * 64
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises appends.
_PG_LOCK_ID = 7_211_033_018


def entry_digest(prev_hash: str, fields: dict) -> str:
    """The keyed hash that chains an entry to the one before it, under the key ``fields`` names.

    Raises ``LookupError`` when that key is no longer in ``AUDIT_CHAIN_KEYS``.
    """
    key = key_for(fields["key"])
    if key is None:
        raise LookupError(f"audit chain key {fields['key']!r} is not in AUDIT_CHAIN_KEYS")
    return keyed_digest(key, prev_hash, fields)


def hashed_values(
    at, actor, actor_username, school, case, case_reference, action, target, detail, ip, key_id
) -> dict:
    """Exactly the columns the chain protects, in a stable form (also from a raw row)."""
    return {
        "at": at.isoformat(),
        "actor": actor,
        "actor_username": actor_username,
        "school": school,
        "case": case,
        "case_reference": case_reference,
        "action": action,
        "target": target,
        "detail": detail,
        "ip": ip,
        "key": key_id,
    }


# The model's columns in the order hashed_values takes them.
HASHED_COLUMNS = (
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
    "key_id",
)


def hashed_fields(entry: AuditEntry) -> dict:
    """Exactly the columns the chain protects, in a stable form."""
    return hashed_values(*(getattr(entry, column) for column in HASHED_COLUMNS))


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from, as the lockout sees it (a trusted proxy's
    X-Forwarded-For entry when ``TRUSTED_PROXY_COUNT`` is set, else REMOTE_ADDR).

    Written in the form the database gives back (IPv6 compressed, lower case), so
    the hash computed now matches the one recomputed from the stored row. Anything
    that is not an address is dropped rather than stored.
    """
    if request is None:
        return None
    value = (client_ip(request) or "").strip()
    if not value:
        return None
    try:
        ipaddress.ip_address(value)
        return clean_ipv6_address(value) if ":" in value else value
    except (ValueError, ValidationError):
        return None


def record(
    request: HttpRequest | None,
    action: Action | str,
    *,
    case=None,
    school=None,
    target: str = "",
    detail: str = "",
    user=None,
) -> AuditEntry:
    """Append one entry to the chain. Call it after permission has been checked.

    ``detail`` is for what helps a principal read the trail (a template code, a
    count of results); it must never carry a child's name or any case content.
    """
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if school is None and case is not None:
        school = case.school_id
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=user.pk if user else None,
        actor_username=user.get_username() if user else "",
        school_id_value=getattr(school, "pk", school),
        case_id_value=case.pk if case is not None else None,
        case_reference=case.reference if case is not None else "",
        action=str(action),
        target=target[:120],
        detail=detail[:255],
        ip_address=client_address(request),
    )
    with transaction.atomic():
        # Two workers reading the same newest hash would both chain to it, and the
        # audit would look tampered with: appends are serialised before the read.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        elif connection.vendor == "sqlite":
            # Any write takes SQLite's database write lock until the transaction
            # ends (other writers wait for it); this one changes nothing.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = seq WHERE name = %s", ["audit_auditentry"]
                )
        last = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or GENESIS
        key_id, key = current_key()
        entry.key_id = key_id
        entry.entry_hash = keyed_digest(key, entry.prev_hash, hashed_fields(entry))
        entry.save(force_insert=True)
    return entry


def record_counts(
    request: HttpRequest | None,
    action: Action | str,
    counts: Mapping[int, int],
    *,
    target: str,
    label: str = "results",
) -> list[AuditEntry]:
    """One entry per school for a screen listing cases of several schools.

    ``counts`` maps a school id to how many of its cases were shown; each
    school's principal then reads, in their own report, what was listed of their
    school, and nothing of another's. Only the number is kept: never the search
    term, which may be a child's name.
    """
    return [
        record(request, action, school=school_id, target=target, detail=f"{label}: {count}")
        for school_id, count in sorted(counts.items())
    ]
