"""Key rotation for attachment files: every file re-encrypted under the newest key.

Registered with ``forms_app.encryption.register_rotation_hook`` by
``CaseFilesConfig.ready``, so ``manage.py rotate_case_keys`` re-encrypts the
files after the encrypted model fields (the description and original name are
such fields and are rotated by the command itself). After it has run, the old
key can be dropped from ``CASE_ENCRYPTION_KEYS``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from case_files import storage
from forms_app import encryption

ROTATED = "attachment files re-encrypted"
CURRENT = "attachment files already current"


def rotate_case_files() -> Mapping[str, int]:
    """Re-encrypt every attachment file not yet under the first key; counts by label.

    One row at a time under a row lock: the new file is written first, the row
    is switched to it, and the old file is removed only after the commit, so an
    interruption leaves at worst an orphaned old file, never a row without its
    file; a second run skips the files already done.
    """
    from case_files.models import CaseAttachment

    counts = {ROTATED: 0, CURRENT: 0}
    pks = list(CaseAttachment.objects.order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        with transaction.atomic():
            attachment = CaseAttachment.objects.select_for_update().filter(pk=pk).first()
            if attachment is None:
                continue
            token = storage.read_token(attachment.blob)
            if encryption.is_current(token):
                counts[CURRENT] += 1
                continue
            old_blob = attachment.blob
            new_blob = storage.write_token(encryption.rotate_bytes(token))
            try:
                CaseAttachment.objects.filter(pk=pk).update(blob=new_blob)
            except BaseException:
                storage.delete_blob(new_blob)
                raise
            transaction.on_commit(lambda name=old_blob: storage.delete_blob(name))
            counts[ROTATED] += 1
    return counts
