"""The keys of the audit chain, and the keyed hash that links one entry to the next.

An unkeyed hash (SHA-256 alone) only proves that nobody edited the chain *without
recomputing it*: anyone able to write to the database can change an entry and
recompute every hash after it. With an HMAC the recomputation needs the key,
which lives in the environment (``AUDIT_CHAIN_KEYS``), never in the database or a
backup. Each entry stores the short id of the key that signed it, so a new key
can be put first without rewriting anything: new entries use it, old ones are
checked with the key their id names, as long as that key is still listed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import parse_id_keys

__all__ = ["current_key", "key_for", "keyed_digest"]


@lru_cache(maxsize=8)
def _parsed(values: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    return tuple(
        (key_id, secret.encode("utf-8"))
        for key_id, secret in parse_id_keys("AUDIT_CHAIN_KEYS", list(values))
    )


def _keys() -> tuple[tuple[str, bytes], ...]:
    # Parsed on use (cached by value), so a test's override of the setting is seen.
    return _parsed(tuple(settings.AUDIT_CHAIN_KEYS))


def current_key() -> tuple[str, bytes]:
    """The id and secret that sign new entries: the first listed."""
    keys = _keys()
    if not keys:
        raise ImproperlyConfigured(
            "AUDIT_CHAIN_KEYS is empty: the access audit cannot be written without a key."
        )
    return keys[0]


def key_for(key_id: str) -> bytes | None:
    """The secret of ``key_id``, or None when that key is no longer listed."""
    for known, secret in _keys():
        if known == key_id:
            return secret
    return None


def keyed_digest(key: bytes, prev_hash: str, fields: dict) -> str:
    """HMAC-SHA256 over the previous hash and the entry's fields in canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, (prev_hash + canonical).encode("utf-8"), hashlib.sha256).hexdigest()
