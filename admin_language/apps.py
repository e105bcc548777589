from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminLanguageConfig(AppConfig):
    name = "admin_language"
    verbose_name = _("The admin in Vietnamese")

    def ready(self) -> None:
        from admin_language import labels

        labels.apply()
