from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    """The school's list of learners, filled by hand or from the school information system."""

    name = "learners"
    verbose_name = _("Learners")
    default_auto_field = "django.db.models.BigAutoField"
