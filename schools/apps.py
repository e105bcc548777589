from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class SchoolsConfig(AppConfig):
    """Schools, staff membership and roles: what the public site and the case area share.

    Both ``pages`` and ``forms_app`` may import this app; neither imports the other.
    """

    # This module also holds StaffUsersConfig; this one is the app's own.
    default = True
    name = "schools"
    verbose_name = _("Schools and staff")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from schools import signals

        post_migrate.connect(signals.sync_roles_after_migrate, sender=self)


class StaffUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with its Users screens bound to the user's schools.

    Listed in INSTALLED_APPS in place of ``wagtail.users`` (same label, same models).
    """

    user_viewset = "schools.staff_admin.StaffUserViewSet"
