from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    """Schools, staff membership and roles: what the public site and the case area share.

    Both ``pages`` and ``forms_app`` may import this app; neither imports the other.
    """

    name = "schools"
    verbose_name = _("Schools and staff")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from schools import signals

        post_migrate.connect(signals.sync_roles_after_migrate, sender=self)
