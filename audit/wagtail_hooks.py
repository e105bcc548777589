"""The audit screens in the Wagtail admin: their URLs and an entry in the "Case records" menu.

Inside the admin they get its sign-in and its ``access_admin`` check; each view
asks :mod:`audit.access` about the school itself.
"""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from audit.access import can_read_audit

# The name of the submenu forms_app builds (forms_app.wagtail_hooks.register_case_menu).
CASE_SUBMENU_NAME = "case-records"


@hooks.register("register_admin_urls")
def register_audit_urls() -> list:
    from audit import urls

    return [path("ho-so/nhat-ky/", include(urls, namespace="audit"))]


class AuditMenuItem(MenuItem):
    """The "Access log" entry, for those who may read a school's audit."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_read_audit(request.user)


def audit_menu_item() -> AuditMenuItem:
    return AuditMenuItem(
        _("Access log"), reverse("audit:report"), name="case-audit", icon_name="history", order=900
    )


@hooks.register("construct_main_menu")
def add_audit_to_case_menu(request: HttpRequest, menu_items: list) -> None:
    """Put "Access log" at the end of the "Case records" submenu, for this request only.

    The submenu belongs to forms_app; a copy with one more entry replaces it in
    this request's list, so the registered menu is never changed. An
    administrator, who has no case role and so no such submenu, gets a submenu
    of the same name holding only this entry.
    """
    if not can_read_audit(request.user):
        return
    item = audit_menu_item()
    for index, existing in enumerate(menu_items):
        if isinstance(existing, SubmenuMenuItem) and existing.name == CASE_SUBMENU_NAME:
            entries = [*existing.menu.registered_menu_items, item]
            menu_items[index] = SubmenuMenuItem(
                existing.label,
                Menu(items=entries),
                name=existing.name,
                icon_name=existing.icon_name,
                order=existing.order,
            )
            return
    menu_items.append(
        SubmenuMenuItem(
            _("Case records"),
            Menu(items=[item]),
            name=CASE_SUBMENU_NAME,
            icon_name="clipboard-list",
            order=250,
        )
    )
