"""The counselling log's registrations with the Wagtail admin, and nothing else.

The screens live in :mod:`counselling.views`, its menu entries in
:mod:`counselling.menu`; the content areas' list is one of the case area's reference
lists (forms_app.admin.reference_lists).
"""

from django.urls import include, path
from wagtail import hooks

from counselling import menu

# The hook the "Case records" submenu is built from (forms_app.admin.menu.REGISTER_HOOK).
CASE_MENU_HOOK = "register_case_menu_item"


@hooks.register("register_admin_urls")
def register_counselling_urls() -> list:
    from counselling import urls

    return [path("so-tu-van/", include(urls, namespace="counselling"))]


hooks.register(CASE_MENU_HOOK, menu.log_menu_item)
hooks.register(CASE_MENU_HOOK, menu.activities_menu_item)
