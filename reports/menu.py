"""The "Báo cáo" (school reports) menu item and the principal's dashboard line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from forms_app.display import local_date
from reports.models import SchoolReport
from reports.periods import current_periods
from reports.policy import principal_school_ids, report_school_ids, report_schools

MENU_ORDER = 260


class ReportsMenuItem(MenuItem):
    """Shown to a school's principals and counselling team, as the screens are."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(report_school_ids(request.user))


def reports_menu_item() -> ReportsMenuItem:
    return ReportsMenuItem(
        # Not "Reports": Wagtail's own menu of that name sits beside it.
        _("Semester and year-end reports"),
        reverse("reports:list"),
        name="school-reports",
        icon_name="doc-full",
        order=MENU_ORDER,
    )


def report_line(school, period, report: SchoolReport | None) -> str:
    """One sentence on where a school's report for ``period`` stands."""
    params = {
        "school": school.name,
        "period": period.label,
        "due": local_date(period.due_on),
    }
    if report is None or report.state == SchoolReport.State.DRAFT:
        return gettext("%(school)s: %(period)s report is due on %(due)s.") % params
    if report.state == SchoolReport.State.RETURNED:
        return gettext(
            "%(school)s: the district returned the %(period)s report; due on %(due)s."
        ) % (params)
    if report.state == SchoolReport.State.ACCEPTED:
        return gettext("%(school)s: the %(period)s report was accepted by the district.") % params
    return gettext("%(school)s: the %(period)s report was submitted on %(submitted)s.") % {
        **params,
        "submitted": local_date(report.submitted_at),
    }


class ReportDuePanel(Component):
    """For principals: where this school year's reports stand, one line each."""

    name = "school_reports"
    template_name = "reports/school/panel.html"
    order = 160

    def __init__(self, lines: list[dict]) -> None:
        self.lines = lines

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict:
        return {"lines": self.lines}


def report_panel(request: HttpRequest) -> ReportDuePanel | None:
    """The panel for a principal, about the period due next (or the last one's state)."""
    school_ids = principal_school_ids(request.user)
    if not school_ids:
        return None
    today = timezone.localdate()
    periods = current_periods(today)
    # The next report to send: the first whose due date has not long passed.
    period = next((p for p in periods if p.due_on >= today), periods[-1])
    reports = {
        report.school_id: report
        for report in SchoolReport.objects.filter(school_id__in=sorted(school_ids), period=period)
    }
    lines = []
    for school in report_schools(request.user).filter(pk__in=sorted(school_ids)):
        report = reports.get(school.pk)
        url = reverse("reports:detail", args=[report.pk]) if report else reverse("reports:list")
        lines.append({"text": report_line(school, period, report), "url": url})
    return ReportDuePanel(lines) if lines else None
