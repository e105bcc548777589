from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanImportConfig(AppConfig):
    """Reading an official plan (Word, PDF or pasted text) into a draft PlanPage."""

    name = "plan_import"
    verbose_name = _("Plan import")
