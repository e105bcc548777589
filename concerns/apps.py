from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    """Concerns and help requests, and the triage queue that receives them."""

    name = "concerns"
    verbose_name = _("Concerns received")
    default_auto_field = "django.db.models.BigAutoField"
