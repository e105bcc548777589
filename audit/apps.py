from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(sender, using: str = "default", **kwargs) -> None:
    """Put the append-only triggers back after every ``migrate`` (idempotent).

    A schema change of the audit table on SQLite rebuilds the table, and a
    rebuilt table has no triggers: this keeps a later migration from silently
    dropping the guard.
    """
    from audit import triggers

    triggers.install(using)


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of every access to case data."""

    name = "audit"
    verbose_name = _("Access audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="audit.install_triggers")
