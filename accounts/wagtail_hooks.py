"""Admin wiring: the sign-in pages' URLs and where users find them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts import urls
from schools.tenancy import administered_school_ids


@hooks.register("register_admin_urls")
def register_urls() -> list:
    return urls.urlpatterns


class SecurityMenuItem(MenuItem):
    """Shown to superusers and to schools' administrators (for their own staff)."""

    def is_shown(self, request) -> bool:
        ids = administered_school_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_settings_menu_item")
def register_security_menu() -> MenuItem:
    return SecurityMenuItem(
        _("Sign-in security"), reverse("accounts_security"), icon_name="lock", order=900
    )


@hooks.register("register_account_menu_item")
def register_account_item(request) -> dict:
    return {
        "url": reverse("accounts_2fa"),
        "label": _("Two-step sign-in"),
        "help_text": _("An authenticator app and recovery codes protect your account."),
    }
