"""Mounts the attachments' URLs in the Wagtail admin, for its sign-in and ``access_admin`` check.

Each view still checks the case itself (see ``case_files.permissions``).
"""

from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_case_file_urls() -> list:
    # Imported here: the URLconf pulls in forms and models.
    from case_files import urls

    return [path("ho-so/", include(urls, namespace="case_files"))]
