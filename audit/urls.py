"""URLs of the audit screens, mounted in the Wagtail admin under ``ho-so/nhat-ky/``."""

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.report, name="report"),
    path("xuat/<str:fmt>/", views.report_export, name="report_export"),
    path("ho-so/<int:case_pk>/", views.case_trail, name="case_trail"),
]
