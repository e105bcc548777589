"""The access audit: who read or changed which case, when, and from where.

Append-only and hash-chained: each entry stores the hash of the one before it and
its own keyed hash (HMAC, :mod:`audit.keys`) over its content, so editing or
deleting a row breaks the chain, and ``manage.py verify_audit_chain`` finds where;
database triggers refuse UPDATE and DELETE (:mod:`audit.triggers`), and anchors
kept outside the database (:mod:`audit.anchors`) show a chain cut short or
re-chained. Entries name the case by id and
reference, not by foreign key, so they outlive a case deleted under the
retention rules. No entry ever holds a child's name or story.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit entry.

    The chain would detect it anyway; refusing early turns a silent break of the
    evidence into a loud programming error.
    """


class AuditQuerySet(models.QuerySet):
    """Entries can be added and read, never updated or deleted in bulk."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    # Used by bulk_update and by QuerySet.update internally.
    def _update(self, values):
        raise AppendOnlyError("Audit entries cannot be changed.")


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    PRINT = "print", _("Printed")
    PDF = "pdf", _("Exported as PDF")
    DOWNLOAD = "download", _("Downloaded a file")
    UPLOAD = "upload", _("Uploaded a file")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    ARCHIVE = "archive", _("Archived")
    DELETE = "delete", _("Deleted")
    ANONYMISE = "anonymise", _("Anonymised")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), db_index=True)
    # DO_NOTHING without a constraint: deleting an account must not rewrite the
    # entries (SET_NULL would, breaking the chain); actor_username keeps the name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # Copied so the entry still says who it was after the account is deleted.
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    school_id_value = models.BigIntegerField(_("school"), null=True, blank=True, db_index=True)
    case_id_value = models.BigIntegerField(_("case id"), null=True, blank=True, db_index=True)
    case_reference = models.CharField(_("case"), max_length=32, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # What was touched, e.g. "intake:12", "file:3", "list"; never a name or a story.
    target = models.CharField(_("what"), max_length=120, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # Which key of AUDIT_CHAIN_KEYS made entry_hash, so a rotation leaves it verifiable.
    key_id = models.CharField(max_length=16, default="", blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} · {self.actor_username} · {self.get_action_display()}"

    def save(self, *args, **kwargs) -> None:
        """Insert only: an entry already written is never saved again."""
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")
