"""Writing to the audit: one call, ``record``, from every view that touches a case."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from accounts.lockout import client_ip
from audit.models import Action, AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

GENESIS = "0" * 64
# Any fixed 64-bit number: the PostgreSQL advisory lock that serialises appends.
_PG_LOCK_ID = 7_211_033_018


def entry_digest(prev_hash: str, fields: dict) -> str:
    """The hash that chains an entry to the one before it."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def hashed_fields(entry: AuditEntry) -> dict:
    """Exactly the columns the chain protects, in a stable form."""
    return {
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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AuditEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
        entry.prev_hash = last or GENESIS
        entry.entry_hash = entry_digest(entry.prev_hash, hashed_fields(entry))
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
