from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    """Concerns and help requests, and the triage queue that receives them."""

    name = "concerns"
    verbose_name = _("Concerns received")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the case_opened receiver (a concern linked to the case opened from it).
        from concerns import receivers  # noqa: F401
