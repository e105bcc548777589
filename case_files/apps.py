from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseFilesConfig(AppConfig):
    """Private attachments to cases: checked by content, encrypted, never served as media."""

    name = "case_files"
    verbose_name = _("Case files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Key rotation re-encrypts the attachment files after the case fields.
        from case_files.rotation import rotate_case_files
        from forms_app.encryption import register_rotation_hook

        register_rotation_hook(rotate_case_files)
