"""Registers the importer's screens in the Wagtail admin, and its button on a plan index."""

from django.urls import include, path
from wagtail import hooks

from plan_import import buttons


@hooks.register("register_admin_urls")
def register_plan_import_urls() -> list:
    from plan_import import urls

    return [path("nhap-ke-hoach/", include(urls, namespace="plan_import"))]


hooks.register("register_page_header_buttons", buttons.import_buttons)
hooks.register("register_page_listing_more_buttons", buttons.import_buttons)
