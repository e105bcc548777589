"""The reports' registrations with the Wagtail admin, and nothing else.

The school's screens (urls_school, menu) and the district's (urls_district,
district_menu) are separate rooms: the district side reads frozen figures only.
"""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from reports.period_admin import ReportingPeriodsGroup


@hooks.register("register_admin_urls")
def register_school_report_urls() -> list:
    from reports import urls_school

    return [path("bao-cao/", include(urls_school, namespace="reports"))]


@hooks.register("register_admin_urls")
def register_district_urls() -> list:
    from reports import urls_district

    return [path("phong-gd/", include(urls_district, namespace="district"))]


@hooks.register("register_admin_menu_item")
def register_school_reports_menu_item():
    from reports import menu

    return menu.reports_menu_item()


@hooks.register("construct_homepage_panels")
def add_school_report_panel(request, panels_list: list) -> None:
    from reports import menu

    panel = menu.report_panel(request)
    if panel is not None:
        panels_list.append(panel)


@hooks.register("register_admin_menu_item")
def register_district_menu_item():
    from reports.district_menu import district_menu_item

    return district_menu_item()


@hooks.register("construct_homepage_panels")
def district_dashboard(request, panels: list) -> None:
    from reports.district_menu import dashboard_panels

    dashboard_panels(request, panels)


register_snippet(ReportingPeriodsGroup)
