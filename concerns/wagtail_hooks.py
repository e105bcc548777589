"""The front door's registrations with the Wagtail admin, and nothing else.

The screens live in :mod:`concerns.views`; each asks :mod:`concerns.policy`. The
staff concern's menu items and the teacher's dashboard panel are in
:mod:`concerns.menu`.
"""

from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_triage_urls() -> list:
    from concerns import urls_triage

    return [path("tiep-nhan-thong-tin/", include(urls_triage, namespace="triage"))]


@hooks.register("register_admin_menu_item")
def register_triage_menu_item():
    from concerns.triage_menu import triage_menu_item

    return triage_menu_item()


@hooks.register("register_admin_urls")
def register_staff_concern_urls() -> list:
    from concerns import urls_staff

    return [path("thong-tin-lo-ngai/", include(urls_staff, namespace="concerns"))]


@hooks.register("register_admin_menu_item")
def register_raise_concern_menu_item():
    from concerns.menu import raise_menu_item

    return raise_menu_item()


@hooks.register("register_admin_menu_item")
def register_my_concerns_menu_item():
    from concerns.menu import mine_menu_item

    return mine_menu_item()


@hooks.register("construct_homepage_panels")
def staff_concern_dashboard(request, panels: list) -> None:
    from concerns.menu import dashboard_panels

    dashboard_panels(request, panels)
