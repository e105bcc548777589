"""The admin menu's "Ghi nhận thông tin lo ngại" and "Thông tin tôi đã gửi" items, and
the dashboard panel a teacher lands on.

Shown to everyone who may raise a concern (``concerns.policy.raising_school_ids``,
the same question the form's view asks). For a teacher, who holds no other role,
the dashboard shows only this panel: Wagtail's own panels are about pages they
cannot edit and would only confuse.
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from concerns.policy import own_concerns, raising_school_ids
from schools.roles import is_staff_only

RAISE_MENU_NAME = "raise-concern"
MINE_MENU_NAME = "my-concerns"
# Before the triage queue (240) and the case records (250).
RAISE_MENU_ORDER = 220
MINE_MENU_ORDER = 230


class RaiseMenuItem(MenuItem):
    """An item for the school's staff who may raise a concern."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(raising_school_ids(request.user))


def raise_menu_item() -> RaiseMenuItem:
    return RaiseMenuItem(
        _("Raise a concern"),
        reverse("concerns:raise"),
        name=RAISE_MENU_NAME,
        icon_name="warning",
        order=RAISE_MENU_ORDER,
    )


def mine_menu_item() -> RaiseMenuItem:
    return RaiseMenuItem(
        _("Concerns I have raised"),
        reverse("concerns:mine"),
        name=MINE_MENU_NAME,
        icon_name="list-ul",
        order=MINE_MENU_ORDER,
    )


class ConcernPanel(Component):
    """The teacher's dashboard: raise a concern, or see those already raised."""

    name = "staff_concerns"
    template_name = "concerns/staff/panel.html"
    order = 10

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {
            "raise_url": reverse("concerns:raise"),
            "mine_url": reverse("concerns:mine"),
            "raised": own_concerns(self.request.user).exists(),
        }


def dashboard_panels(request: HttpRequest, panels: list) -> None:
    """A teacher's dashboard is the concern panel alone; others keep theirs."""
    if is_staff_only(request.user) and raising_school_ids(request.user):
        panels[:] = [ConcernPanel(request)]
        # Read by site/templates/wagtailadmin/home.html: no page search for a teacher.
        request.dashboard_without_page_search = True
