"""The log's entries in the "Case records" menu, shown to those who keep a school's log."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from counselling.policy import can_use_log


class LogMenuItem(MenuItem):
    """Shown to the school's counselling team and principals, as the screens are."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_use_log(request.user)


def log_menu_item() -> LogMenuItem:
    return LogMenuItem(
        _("Counselling log"),
        reverse("counselling:entries"),
        name="counselling-log",
        icon_name="clipboard-list",
        order=450,
    )


def activities_menu_item() -> LogMenuItem:
    return LogMenuItem(
        _("Awareness and prevention activities"),
        reverse("counselling:activities"),
        name="counselling-activities",
        icon_name="calendar",
        order=460,
    )
