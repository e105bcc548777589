"""The reports' registrations with the Wagtail admin, and nothing else.

The school's screens (urls_school, menu) and the district's (urls_district,
district_menu) are separate rooms: the district side reads frozen figures only.
"""

from django.urls import include, path
from wagtail import hooks


@hooks.register("register_admin_urls")
def register_school_report_urls() -> list:
    from reports import urls_school

    return [path("bao-cao/", include(urls_school, namespace="reports"))]


@hooks.register("register_admin_urls")
def register_district_urls() -> list:
    from reports import urls_district

    return [path("phong-gd/", include(urls_district, namespace="district"))]
