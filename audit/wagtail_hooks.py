"""The audit screens in the Wagtail admin: their URLs and an entry in the "Case records" menu.

Inside the admin they get its sign-in and its ``access_admin`` check; each view
asks :mod:`audit.access` about the school itself.
"""

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from audit.access import can_read_audit

# The hook the "Case records" submenu is built from (forms_app.admin.menu.REGISTER_HOOK).
# An administrator who may read the audit but holds no case role sees the
# submenu with this one entry.
CASE_MENU_HOOK = "register_case_menu_item"


@hooks.register("register_admin_urls")
def register_audit_urls() -> list:
    from audit import urls

    return [path("ho-so/nhat-ky/", include(urls, namespace="audit"))]


class AuditMenuItem(MenuItem):
    """The "Access log" entry, for those who may read a school's audit."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_read_audit(request.user)


@hooks.register(CASE_MENU_HOOK)
def audit_menu_item() -> AuditMenuItem:
    return AuditMenuItem(
        _("Access log"), reverse("audit:report"), name="case-audit", icon_name="history", order=900
    )
