"""Where attachments' bytes live: encrypted, under random names, outside every served path.

The directory is ``settings.PRIVATE_MEDIA_ROOT``, never ``MEDIA_ROOT``: nothing
maps a URL to it (asking the storage for a URL raises), and only
:mod:`case_files.views` reads from it, after checking who asks. A stored name is
a random hex string without extension, so a directory listing says neither which
case a file belongs to nor what kind of file it is; the bytes are Fernet tokens,
so a copied disk or backup shows nothing without the keys.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from forms_app import encryption

__all__ = [
    "PrivateStorage",
    "delete_blob",
    "private_storage",
    "read_blob",
    "read_token",
    "write_blob",
    "write_token",
]


class PrivateStorage(FileSystemStorage):
    """A file system storage that has no URL for anything it holds.

    ``base_url=None`` alone is not enough: Django then falls back to
    ``MEDIA_URL`` and would hand out ``/media/<name>`` links.
    """

    def url(self, name: str | None) -> str:
        raise ValueError("Case files are not accessible via a URL; use the download view.")


def private_storage() -> PrivateStorage:
    """The private storage, built on each use so a changed setting (tests) is followed."""
    return PrivateStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def write_token(token: bytes) -> str:
    """Store an already encrypted ``token`` under a new random name; returns the name."""
    return private_storage().save(uuid.uuid4().hex, ContentFile(token))


def read_token(name: str) -> bytes:
    """The encrypted bytes of blob ``name``, as stored."""
    with private_storage().open(name, "rb") as handle:
        return handle.read()


def write_blob(plaintext: bytes) -> str:
    """Encrypt ``plaintext`` under the current key and store it; returns its random name."""
    return write_token(encryption.encrypt_bytes(plaintext))


def read_blob(name: str) -> bytes:
    """The decrypted bytes of blob ``name``; ``encryption.InvalidToken`` if no key opens it."""
    return encryption.decrypt_bytes(read_token(name))


def delete_blob(name: str) -> None:
    if name:
        private_storage().delete(name)
