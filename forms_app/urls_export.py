"""URLs of the principal's export of the school's case list (``forms_app:case_export``).

``<school_pk>`` names the school; the suffix the format (``.csv`` or ``.xlsx``).
"""

from django.urls import path

from forms_app import views_export

urlpatterns: list = [
    path(
        "xuat/<int:school_pk>.<str:fmt>",
        views_export.export_cases,
        name="case_export",
    ),
]
