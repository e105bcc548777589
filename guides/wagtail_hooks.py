"""Our guides in the admin's Help menu, in place of Wagtail's English links."""

from django.http import HttpRequest
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from guides import views
from guides.catalogue import GUIDES

# Wagtail's own help entries that point to English pages on wagtail.org.
WAGTAIL_WEB_HELP_PREFIXES = ("editor-guide", "whats-new-in-wagtail")


@hooks.register("register_admin_urls")
def register_guide_urls() -> list:
    return [path("huong-dan/<slug:slug>/", views.guide, name="guides_guide")]


def _menu_item(guide):
    return lambda: MenuItem(
        guide.title,
        reverse("guides_guide", args=[guide.slug]),
        name=f"guide-{guide.slug}",
        icon_name="help",
        order=guide.order,
    )


for _guide in GUIDES:
    hooks.register("register_help_menu_item", _menu_item(_guide))


@hooks.register("construct_help_menu")
def drop_wagtail_web_help(request: HttpRequest, menu_items: list) -> None:
    menu_items[:] = [
        item for item in menu_items if not item.name.startswith(WAGTAIL_WEB_HELP_PREFIXES)
    ]
