"""The "Thông báo" menu item, its label carrying the unread count (one indexed COUNT)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem

from notifications.models import Notification

MENU_ORDER = 240


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.for_user(user).unread().count()


class NotificationsMenuItem(MenuItem):
    """Shown to every signed-in user: anyone may be alerted (a page for review, a plan)."""

    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.is_authenticated

    def render_component(self, request: HttpRequest) -> LinkMenuItem:
        count = unread_count(request.user)
        label = _("Notifications")
        if count:
            label = _("Notifications (%(count)s unread)") % {"count": count}
        return LinkMenuItem(self.name, label, self.url, icon_name=self.icon_name)


def notifications_menu_item() -> NotificationsMenuItem:
    return NotificationsMenuItem(
        _("Notifications"),
        reverse("notifications:list"),
        name="notifications",
        icon_name="mail",
        order=MENU_ORDER,
    )
