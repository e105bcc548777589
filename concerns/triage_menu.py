"""The admin menu's "Tiếp nhận thông tin" item, with how many new concerns wait.

Shown to the school's case roles only (the same question as the queue's:
``concerns.policy.triage_school_ids``); the count is of concerns received and not
yet looked at, set-aside ones excluded.
"""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from concerns.policy import triage_school_ids
from concerns.triage import new_count

MENU_NAME = "triage"
MENU_ICON = "mail"
# Just above the case records (250): the front door comes first.
MENU_ORDER = 240


class TriageMenuItem(MenuItem):
    """The queue's menu item; its label carries the number of new items."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(triage_school_ids(request.user))

    def render_component(self, request: HttpRequest) -> LinkMenuItemComponent:
        # Menu items are built once per process: the count is read per request here.
        label = self.label
        count = new_count(request.user)
        if count:
            label = gettext("%(label)s (%(count)s new)") % {"label": label, "count": count}
        return LinkMenuItemComponent(
            self.name,
            label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def triage_menu_item() -> TriageMenuItem:
    return TriageMenuItem(
        _("Concerns received"),
        reverse("triage:queue"),
        name=MENU_NAME,
        icon_name=MENU_ICON,
        order=MENU_ORDER,
    )
