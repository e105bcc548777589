from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    """The counselling log and awareness activities of each school."""

    name = "counselling"
    verbose_name = _("Counselling log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from counselling import receivers  # noqa: F401  (connects the case_opened receiver)
