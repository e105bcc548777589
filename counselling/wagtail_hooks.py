"""The counselling log's registrations with the Wagtail admin, and nothing else."""

from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_counselling_urls() -> list:
    from counselling import urls

    return [path("so-tu-van/", include(urls, namespace="counselling"))]
