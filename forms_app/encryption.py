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
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = [
    "InvalidToken",
    "blind_index",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "generate_key",
    "normalise_name",
    "rotate_token",
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
