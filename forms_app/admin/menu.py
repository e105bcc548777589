"""The "Hồ sơ vụ việc" (case records) submenu: a Wagtail ``Menu`` other apps add entries to.

Its entries come from the ``register_case_menu_item`` hook, as the admin's main
menu is built from ``register_admin_menu_item``: the case area registers its
list, a new intake, the to-do list and the drafts; ``audit`` registers the
access log in the same way. The submenu shows when one of its entries does, so
staff with none of them (an editor) never see the case area in the menu.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from forms_app.cases import policy

REGISTER_HOOK = "register_case_menu_item"
CONSTRUCT_HOOK = "construct_case_menu"
SUBMENU_NAME = "case-records"
SUBMENU_ICON = "clipboard-list"
SUBMENU_ORDER = 250

case_menu = Menu(register_hook_name=REGISTER_HOOK, construct_hook_name=CONSTRUCT_HOOK)


class CaseAreaMenuItem(MenuItem):
    """An entry of the submenu for those holding a case role at some school."""

    def is_shown(self, request: HttpRequest) -> bool:
        return policy.can_list_cases(request.user)


def case_submenu() -> SubmenuMenuItem:
    """The submenu itself, registered into the admin's main menu."""
    return SubmenuMenuItem(
        _("Case records"),
        case_menu,
        name=SUBMENU_NAME,
        icon_name=SUBMENU_ICON,
        order=SUBMENU_ORDER,
    )
