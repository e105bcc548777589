"""The dashboard panel listing the user's unread urgent alerts, shown only when there are some."""

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from wagtail.admin.ui.components import Component

from notifications.models import Notification

PANEL_LIMIT = 5


class UrgentAlertsPanel(Component):
    name = "urgent_alerts"
    template_name = "notifications/urgent_panel.html"
    # Above the to-do: a child in danger now comes first.
    order = 40

    def __init__(self, alerts: list[Notification]) -> None:
        self.alerts = alerts

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"alerts": self.alerts}


def urgent_panel(request: HttpRequest) -> UrgentAlertsPanel | None:
    alerts = list(
        Notification.objects.for_user(request.user)
        .unread()
        .filter(urgent=True)
        .select_related("school")[:PANEL_LIMIT]
    )
    return UrgentAlertsPanel(alerts) if alerts else None
