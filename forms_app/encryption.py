"""Encryption of case data at rest, and the keyed hash that still finds a learner.

Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``) rather than anything
hand-made: it authenticates as well as encrypts, so a tampered value fails loudly
instead of decrypting to garbage. ``MultiFernet`` decrypts with any key of the
ring and encrypts with the first, which is what key rotation needs: put the new
key first, run ``manage.py rotate_case_keys``, then drop the old one.

Keys come from the environment only (``CASE_ENCRYPTION_KEYS``, ``CASE_INDEX_KEY``);
a database dump without them holds no child's name or story in clear text.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "InvalidToken",
    "RotationHook",
    "blind_index",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "generate_key",
    "is_current",
    "normalise_name",
    "register_rotation_hook",
    "rotate_bytes",
    "rotate_token",
    "rotation_hooks",
]


def generate_key() -> str:
    """A new random key, in the form ``CASE_ENCRYPTION_KEYS`` expects."""
    return Fernet.generate_key().decode("ascii")


@lru_cache(maxsize=1)
def _ring() -> MultiFernet:
    keys = [k.strip() for k in settings.CASE_ENCRYPTION_KEYS if k.strip()]
    if not keys:
        raise ImproperlyConfigured(
            "CASE_ENCRYPTION_KEYS is not set: case data cannot be encrypted. "
            "Create a key with `manage.py rotate_case_keys --new-key`."
        )
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "CASE_ENCRYPTION_KEYS holds a value that is not a Fernet key."
        ) from exc


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    key = settings.CASE_INDEX_KEY
    if not key or len(key) < 32:
        raise ImproperlyConfigured("CASE_INDEX_KEY must be set to at least 32 random characters.")
    return key.encode("utf-8")


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs) -> None:
    if setting in {"CASE_ENCRYPTION_KEYS", "CASE_INDEX_KEY"}:
        _ring.cache_clear()
        _primary.cache_clear()
        _index_key.cache_clear()


def encrypt_bytes(data: bytes) -> bytes:
    return _ring().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Raises ``InvalidToken`` when no key of the ring opens ``token``."""
    return _ring().decrypt(token)


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def rotate_token(token: str) -> str:
    """The same plaintext, encrypted again under the first key of the ring."""
    return _ring().rotate(token.encode("ascii")).decode("ascii")


def rotate_bytes(token: bytes) -> bytes:
    """``rotate_token`` for binary tokens (encrypted files)."""
    return _ring().rotate(token)


@lru_cache(maxsize=1)
def _primary() -> Fernet:
    _ring()  # the same checks and errors as for the whole ring
    first = next(k.strip() for k in settings.CASE_ENCRYPTION_KEYS if k.strip())
    return Fernet(first.encode("ascii"))


def is_current(token: str | bytes) -> bool:
    """Whether ``token`` is already encrypted with the first (newest) key.

    Lets key rotation skip what an earlier, interrupted run already did, so the
    command can be run again safely and reports what it really changed.
    """
    raw = token.encode("ascii") if isinstance(token, str) else token
    try:
        _primary().decrypt(raw)
    except InvalidToken:
        return False
    return True


# Key rotation of data outside model fields ---------------------------------------

RotationHook = Callable[[], Mapping[str, int]]
"""Re-encrypts one kind of data under the first key; returns counts by label.

Called by ``manage.py rotate_case_keys`` after the encrypted model fields (which
it finds by itself). An app whose encrypted data lives elsewhere (files under
``PRIVATE_MEDIA_ROOT``) registers one, e.g. in its ``AppConfig.ready``::

    register_rotation_hook(rotate_attachment_files)

where ``rotate_attachment_files()`` re-encrypts with :func:`rotate_bytes` every
file for which :func:`is_current` is false and returns
``{"attachment files re-encrypted": n, "attachment files already current": m}``.
It must be safe to run again after an interruption.
"""

rotation_hooks: list[RotationHook] = []


def register_rotation_hook(hook: RotationHook) -> RotationHook:
    """Add ``hook`` once (also usable as a decorator)."""
    if hook not in rotation_hooks:
        rotation_hooks.append(hook)
    return hook


def normalise_name(name: str) -> str:
    """The form of a name that the index hashes: no case, no diacritics, single spaces.

    "Nguyễn Văn  An", "nguyen van an" and "NGUYỄN VĂN AN" are the same learner to a
    teacher typing on a phone, so they hash alike.
    """
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def blind_index(name: str) -> str:
    """Keyed hash of a name for exact-match lookup; empty for an empty name.

    HMAC with a key kept out of the database, so the index cannot be reversed by
    hashing a list of common Vietnamese names.
    """
    normal = normalise_name(name or "")
    if not normal:
        return ""
    return hmac.new(_index_key(), normal.encode("utf-8"), hashlib.sha256).hexdigest()
