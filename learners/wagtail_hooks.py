"""Registers the learners' screens in the Wagtail admin, and their entry in the
"Case records" menu (learners.menu)."""

from django.urls import include, path
from wagtail import hooks

from learners import menu

# The hook the "Case records" submenu is built from (forms_app.admin.menu.REGISTER_HOOK).
CASE_MENU_HOOK = "register_case_menu_item"


@hooks.register("register_admin_urls")
def register_learner_urls() -> list:
    from learners import urls

    return [path("hoc-sinh/", include(urls, namespace="learners"))]


hooks.register(CASE_MENU_HOOK, menu.learners_menu_item)
