from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The public site: the page tree each school and district publishes."""

    name = "pages"
    verbose_name = _("Public site")
    default_auto_field = "django.db.models.BigAutoField"
