"""An attachment to a case: an evidence photo, a scanned signed form, another document.

The row says what the file is and who brought it; the bytes are in
:mod:`case_files.storage`, encrypted, under the random name ``blob``. The
description and the original file name may name the child ("ảnh Nguyễn Văn An"),
so both are encrypted fields (re-encrypted by ``rotate_case_keys`` with the other
case fields); no column of this table holds case content in clear text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from case_files import storage
from forms_app.fields import EncryptedTextField


class AttachmentKind(models.TextChoices):
    EVIDENCE_PHOTO = "evidence_photo", _("Evidence photo")
    SIGNED_FORM = "signed_form", _("Signed form (scanned)")
    OTHER = "other", _("Other document")


class CaseAttachment(models.Model):
    case = models.ForeignKey(
        "forms_app.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(
        _("kind of file"),
        max_length=20,
        choices=AttachmentKind.choices,
        default=AttachmentKind.OTHER,
    )
    description = EncryptedTextField(_("description"), max_length=255, blank=True)
    # As the user's computer called it: shown to those who may read the case, never
    # used on disk or in a download name.
    original_name = EncryptedTextField(
        _("original file name"), max_length=255, blank=True, editable=False
    )
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    # The extension of the download name, from the detected type (never the user's name).
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, editable=False)
    blob = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["uploaded_at", "pk"]
        # Only views that check the case itself touch attachments; no admin screen
        # offers them through model permissions.
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case_id}-{self.pk}"

    def download_name(self) -> str:
        """``HB-2026-0007-12.pdf``: the case reference and the id, never the user's file name."""
        return f"{self.case.reference}-{self.pk}.{self.extension}"

    def read(self) -> bytes:
        """The decrypted content. Callers check permission first."""
        return storage.read_blob(self.blob)


@receiver(post_delete, sender=CaseAttachment)
def _delete_blob(sender, instance: CaseAttachment, **kwargs) -> None:
    """Remove the encrypted file once the row is gone for good (after commit)."""
    name = instance.blob
    transaction.on_commit(lambda: storage.delete_blob(name))
