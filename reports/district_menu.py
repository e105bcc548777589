"""The admin menu's "Báo cáo của các trường" item and the district officer's dashboard
panel: the current period's states at a glance, the due date and a link.

Both are shown to district officers only (``reports.policy.district_school_ids``, the
question every district screen asks).
"""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from reports import policy, rollup

MENU_NAME = "district-reports"
# After the case records (250) and the school's own reports.
MENU_ORDER = 270


class DistrictMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return bool(policy.district_school_ids(request.user))


def district_menu_item() -> DistrictMenuItem:
    return DistrictMenuItem(
        _("Reports of the schools"),
        reverse("district:overview"),
        name=MENU_NAME,
        icon_name="doc-full",
        order=MENU_ORDER,
    )


class DistrictPanel(Component):
    """The current period: how many schools are at each state, how many are late."""

    name = "district_reports"
    template_name = "reports/district/panel.html"
    order = 5

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        period = rollup.default_period()
        schools = list(policy.district_schools(self.request.user))
        statuses = rollup.school_statuses(schools, period)
        return {
            "period": period,
            "status_counts": rollup.status_counts(statuses),
            "overdue_reports": sum(1 for status in statuses if status.overdue),
            "url": reverse("district:overview") + f"?period={period.pk}",
        }


def dashboard_panels(request: HttpRequest, panels: list) -> None:
    """A district officer's dashboard starts with the schools' reports."""
    if policy.district_school_ids(request.user):
        panels.insert(0, DistrictPanel(request))
