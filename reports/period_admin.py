"""Reporting periods as a snippet list: the deployment's operators adjust the dates a
province sets (no role group holds these permissions, so only superusers see it)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from reports.models import ReportingPeriod


class ReportingPeriodViewSet(SnippetViewSet):
    model = ReportingPeriod
    icon = "date"
    menu_label = _("Reporting periods")
    list_display = ["__str__", "starts_on", "ends_on", "due_on"]
    ordering = ["-school_year", "kind"]
    panels = [
        FieldRowPanel([FieldPanel("school_year"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("due_on")]),
    ]


class ReportingPeriodsGroup(SnippetViewSetGroup):
    """Its own menu entry (operators only), as every snippet list here has one."""

    items = (ReportingPeriodViewSet,)
    menu_icon = "date"
    menu_label = _("Reporting periods")
    menu_name = "reporting-periods"
    menu_order = 910
