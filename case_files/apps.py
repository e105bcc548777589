from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseFilesConfig(AppConfig):
    """Private attachments to cases: checked by content, encrypted, never served as media."""

    name = "case_files"
    verbose_name = _("Case files")
    default_auto_field = "django.db.models.BigAutoField"
