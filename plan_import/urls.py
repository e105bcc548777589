"""The importer's screens, mounted in the Wagtail admin under ``nhap-ke-hoach/``."""

from django.urls import path

from plan_import import views

app_name = "plan_import"

urlpatterns = [
    path("<int:index_id>/", views.start, name="start"),
    path("xem-lai/<int:pk>/", views.review, name="review"),
]
