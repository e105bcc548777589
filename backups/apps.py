from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Backing up and restoring the whole site: database, private files, public media.

    No models: it covers every app's data, so it lives beside them, not inside
    the case area. Its commands keep their names (``backup_site``,
    ``restore_site``, ``check_case_data``).
    """

    name = "backups"
    verbose_name = _("Backups")
