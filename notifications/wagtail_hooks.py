"""Registers the notifications' admin URLs, menu item and dashboard panel; nothing else."""

from django.urls import include, path
from wagtail import hooks

from notifications import menu, panels, urls


@hooks.register("register_admin_urls")
def register_notification_urls() -> list:
    return [path("", include(urls, namespace="notifications"))]


@hooks.register("register_admin_menu_item")
def register_notifications_menu_item():
    return menu.notifications_menu_item()


@hooks.register("construct_homepage_panels")
def add_urgent_alerts_panel(request, panels_list: list) -> None:
    panel = panels.urgent_panel(request)
    if panel is not None:
        panels_list.append(panel)
