"""The counselling log's registrations with the Wagtail admin, and nothing else.

The screens live in :mod:`counselling.views`, its menu entries in
:mod:`counselling.menu`, the content areas' list in :mod:`counselling.reference_list`.
"""

from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from counselling import menu
from counselling.reference_list import CounsellingAreaViewSet

# The hook the "Case records" submenu is built from (forms_app.admin.menu.REGISTER_HOOK).
CASE_MENU_HOOK = "register_case_menu_item"


@hooks.register("register_admin_urls")
def register_counselling_urls() -> list:
    from counselling import urls

    return [path("so-tu-van/", include(urls, namespace="counselling"))]


hooks.register(CASE_MENU_HOOK, menu.log_menu_item)
hooks.register(CASE_MENU_HOOK, menu.activities_menu_item)
register_snippet(CounsellingAreaViewSet)
