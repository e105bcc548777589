"""The front door's registrations with the Wagtail admin, and nothing else.

The screens live in :mod:`concerns.views`; each asks :mod:`concerns.policy`.
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
