"""The case area's registrations with the Wagtail admin, and nothing else.

The screens live in :mod:`forms_app.admin` (list, case page, menu, dashboard
panel, reference lists) and :mod:`forms_app.views` (wizards' start, actions,
to-do, export); :mod:`forms_app.printing` holds the print views. Every one of
them asks :mod:`forms_app.cases.policy` about the object itself.
"""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from forms_app.admin import menu
from forms_app.admin.case_admin import INTAKE_START_URL_NAME, CaseAdmin
from forms_app.admin.dashboard import TodoPanel
from forms_app.admin.reference_lists import CaseReferenceListsGroup
from forms_app.cases import policy

modeladmin_register(CaseAdmin)
register_snippet(CaseReferenceListsGroup)


@hooks.register("register_admin_urls")
def register_case_area_urls() -> list:
    # Imported here: the URLconf pulls in the wizards' forms, which this module,
    # loaded while the admin starts, does not need yet.
    from forms_app import urls

    return [path("ho-so/", include(urls, namespace="forms_app"))]


@hooks.register("register_admin_menu_item")
def register_case_submenu():
    return menu.case_submenu()


def _entry(label, url_name: str, name: str, icon: str, order: int):
    # Called when the menu is first built, once the URLconf is loaded; a URL name
    # that does not resolve is a broken URLconf and fails loudly here.
    return lambda: menu.CaseAreaMenuItem(
        label, reverse(url_name), name=name, icon_name=icon, order=order
    )


for _hook in (
    _entry(_("All cases"), "forms_app_case_modeladmin_index", "case-list", "list-ul", 100),
    _entry(_("New intake"), INTAKE_START_URL_NAME, "case-intake", "plus", 200),
    _entry(_("To do"), "forms_app:todo", "case-todo", "tasks", 300),
    _entry(_("My drafts"), "forms_app:drafts", "case-drafts", "draft", 400),
):
    hooks.register(menu.REGISTER_HOOK, _hook)


@hooks.register("construct_homepage_panels")
def add_todo_panel(request: HttpRequest, panels: list) -> None:
    """Việc cần làm on the dashboard, for case workers and principals only."""
    if policy.can_list_cases(request.user):
        panels.append(TodoPanel(request))
