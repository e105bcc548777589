"""Mounts the wizards' URLs in the Wagtail admin.

A module of its own, imported from ``FormsAppConfig.ready()``, because
``wagtail_hooks.py`` (the case list) is kept separately; Wagtail only finds
modules named ``wagtail_hooks`` by itself.
"""

from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_wizard_urls() -> list:
    # Imported here: the URLconf pulls in forms and models, which ready() must not.
    from forms_app import urls

    return [path("ho-so/", include(urls, namespace="forms_app"))]
