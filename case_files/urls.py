"""The attachments' URLs, mounted in the Wagtail admin under ``ho-so/`` beside the case area."""

from django.urls import path

from case_files import views

app_name = "case_files"

urlpatterns = [
    path("ho-so/<int:case_pk>/tep/", views.upload_file, name="upload"),
    path("tep/<int:pk>/", views.download, name="download"),
    path("tep/<int:pk>/xoa/", views.delete, name="delete"),
]
