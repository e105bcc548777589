from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of every access to case data."""

    name = "audit"
    verbose_name = _("Access audit")
    default_auto_field = "django.db.models.BigAutoField"
